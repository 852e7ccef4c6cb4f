/*
 * libFuzzer target: the config file lexer (cfgfile.c).  A refusal names
 * a line of the input and says why.  Accepted lines come in order with 0
 * to 2 dashes and a name without blanks (nor '=' or ':' when it has no
 * dashes); an unquoted value has no blanks.  Writing each line back with
 * its value quoted and escaped (and CRLF) reads back as the same names
 * and values.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cfgfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Appends one line as curl's syntax writes it, the value quoted. */
static void
write_line(struct buf *b, const struct cfgline *l)
{
	static const char esc[] = "\\\"\t\n\r\v", as[] = "\\\"tnrv";
	const char *p, *e;

	buf_add(b, "--", (size_t)l->dashes);
	buf_adds(b, l->name);
	if (l->value != NULL) {
		buf_add(b, " \"", 2);
		for (p = l->value; *p != '\0'; p++) {
			if ((e = strchr(esc, *p)) != NULL) {
				buf_addc(b, '\\');
				buf_addc(b, as[e - esc]);
			} else
				buf_addc(b, *p);
		}
		buf_addc(b, '"');
	}
	/* CRLF: the lexer drops one '\r', and a name may end with one. */
	buf_add(b, "\r\n", 2);
}

static void
check_line(const struct cfgline *l, size_t prev, size_t nl)
{
	if (l->lineno <= prev || l->lineno > nl + 1 || l->dashes < 0 ||
	    l->dashes > 2 || l->name == NULL || l->name[0] == '\0' ||
	    strpbrk(l->name, " \t") != NULL ||
	    (l->dashes == 0 && strpbrk(l->name, "=:") != NULL))
		abort();
}

static void
round_trip(const struct cfgfile *cf)
{
	struct cfgfile *again;
	const char *why;
	struct buf b;
	size_t i, lineno;

	buf_init(&b);
	for (i = 0; i < cf->nlines; i++)
		write_line(&b, &cf->lines[i]);
	again = cfgfile_parse(b.data != NULL ? b.data : "", b.len, &lineno,
	    &why);
	if (again == NULL || again->nlines != cf->nlines)
		abort();
	for (i = 0; i < cf->nlines; i++)
		if (again->lines[i].lineno != i + 1 ||
		    again->lines[i].dashes != cf->lines[i].dashes ||
		    strcmp(again->lines[i].name, cf->lines[i].name) != 0 ||
		    (again->lines[i].value == NULL) !=
		    (cf->lines[i].value == NULL) ||
		    (cf->lines[i].value != NULL &&
		    strcmp(again->lines[i].value, cf->lines[i].value) != 0))
			abort();
	cfgfile_free(again);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *why = NULL;
	struct cfgfile *cf;
	size_t i, nl = 0, lineno = 0, prev = 0;

	for (i = 0; i < size; i++)
		nl += text[i] == '\n';
	if ((cf = cfgfile_parse(text, size, &lineno, &why)) == NULL) {
		if (why == NULL || lineno < 1 || lineno > nl + 1)
			abort();
		return 0;
	}
	for (i = 0; i < cf->nlines; i++) {
		check_line(&cf->lines[i], prev, nl);
		prev = cf->lines[i].lineno;
	}
	round_trip(cf);
	cfgfile_free(cf);
	return 0;
}
