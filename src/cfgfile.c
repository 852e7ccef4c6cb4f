/*
 * The lexer of config files, as curl's tool_parsecfg.c reads them: a line
 * is blank, a comment ('#' first), or an option name with dashes or
 * without, then its value.  Without dashes the name may end at '=' or ':'
 * too; with them only at whitespace, so that "--retry=3" stays one word
 * for getopt.  A value is a word, or a double-quoted string with the
 * escapes \\ \" \t \n \r \v (a backslash before anything else is
 * dropped).  Where curl warns and goes on (an unquoted value with spaces, a
 * quote left open), this refuses the line: a config file is read with no
 * one watching, and half an option is worse than none.  Nothing here
 * knows which options exist.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cfgfile.h"
#include "xalloc.h"

static int
blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Past the blanks at p, up to end. */
static const char *
skip_blank(const char *p, const char *end)
{
	while (p < end && blank(*p))
		p++;
	return p;
}

/* 1 when only blanks, or blanks and a comment, are left at p. */
static int
rest_empty(const char *p, const char *end)
{
	const char *q = skip_blank(p, end);

	return q == end || (q > p && *q == '#');
}

/*
 * The quoted value opening at p (on '"'), unescaped into out.  Returns
 * the byte after the closing quote, or NULL when the quote is not closed.
 */
static const char *
quoted(const char *p, const char *end, struct buf *out)
{
	static const char from[] = "tnrv", to[] = "\t\n\r\v";
	const char *e;

	for (p++; p < end && *p != '"'; p++) {
		if (*p != '\\' || p + 1 == end) {
			buf_addc(out, *p);
			continue;
		}
		p++;
		e = strchr(from, *p);
		buf_addc(out, e != NULL && *p != '\0' ? to[e - from] : *p);
	}
	return p < end ? p + 1 : NULL;
}

/* The value at p (the name and separators behind), or why not. */
static const char *
value(const char *p, const char *end, char **out)
{
	struct buf b;
	const char *q;

	buf_init(&b);
	buf_add(&b, "", 0);	/* "" is a value too */
	if (*p == '"') {
		if ((q = quoted(p, end, &b)) == NULL) {
			buf_free(&b);
			return "the quoted value is not closed";
		}
		if (!rest_empty(q, end)) {
			buf_free(&b);
			return "text after the quoted value";
		}
	} else {
		for (q = p; q < end && !blank(*q); q++)
			;
		if (!rest_empty(q, end)) {
			buf_free(&b);
			return "a value with spaces must be quoted";
		}
		buf_add(&b, p, (size_t)(q - p));
	}
	*out = buf_steal(&b);
	return NULL;
}

/* One line of len bytes, no newline; adds it to cf unless blank. */
static const char *
line(const char *p, size_t len, size_t lineno, struct cfgfile *cf)
{
	struct cfgline l = { lineno, 0, NULL, NULL };
	const char *end = p + len, *name, *why, *gap;

	if (memchr(p, '\0', len) != NULL)
		return "a NUL byte";
	p = skip_blank(p, end);
	if (p == end || *p == '#')
		return NULL;
	while (p < end && *p == '-' && l.dashes < 2) {
		l.dashes++;
		p++;
	}
	for (name = p; p < end && !blank(*p) &&
	    (l.dashes > 0 || (*p != '=' && *p != ':')); p++)
		;
	if (p == name)
		return "no option name";
	gap = p;
	p = skip_blank(p, end);
	if (l.dashes == 0 && p < end && (*p == '=' || *p == ':'))
		p = skip_blank(p + 1, end);
	/* Nothing, or a comment after a blank: no value. */
	if (p < end && !(*p == '#' && p > gap && blank(p[-1])) &&
	    (why = value(p, end, &l.value)) != NULL)
		return why;
	l.name = xstrndup(name, (size_t)(gap - name));
	cf->lines = xreallocarray(cf->lines, cf->nlines + 1,
	    sizeof(*cf->lines));
	cf->lines[cf->nlines++] = l;
	return NULL;
}

struct cfgfile *
cfgfile_parse(const char *text, size_t len, size_t *lineno, const char **why)
{
	struct cfgfile *cf = xcalloc(1, sizeof(*cf));
	const char *p = text, *end = text + len, *nl;
	size_t n = 0, linelen;

	while (p < end) {
		n++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		linelen = (size_t)(nl - p);
		if (linelen > 0 && p[linelen - 1] == '\r')
			linelen--;
		if ((*why = line(p, linelen, n, cf)) != NULL) {
			*lineno = n;
			cfgfile_free(cf);
			return NULL;
		}
		p = nl < end ? nl + 1 : end;
	}
	*why = NULL;
	*lineno = 0;
	return cf;
}

/* Reads fd whole into b, up to CFGFILE_MAX bytes; -1 with errno. */
static int
slurp(int fd, struct buf *b)
{
	char chunk[8192];
	ssize_t n;

	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (b->len + (size_t)n > CFGFILE_MAX) {
			errno = EFBIG;
			return -1;
		}
		buf_add(b, chunk, (size_t)n);
	}
	return 0;
}

struct cfgfile *
cfgfile_load(const char *path, size_t *lineno, char **errmsg)
{
	struct cfgfile *cf = NULL;
	struct stat st;
	struct buf b;
	const char *why;
	int fd;

	*lineno = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*errmsg = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	buf_init(&b);
	if (fstat(fd, &st) == -1 || slurp(fd, &b) == -1)
		*errmsg = xasprintf("%s: %s", path, errno == EFBIG ?
		    "larger than 1M" : strerror(errno));
	else if ((cf = cfgfile_parse(b.data != NULL ? b.data : "", b.len,
	    lineno, &why)) == NULL)
		*errmsg = xasprintf("%s:%zu: %s", path, *lineno, why);
	else
		cf->mode = st.st_mode;
	close(fd);
	buf_free(&b);
	return cf;
}

void
cfgfile_free(struct cfgfile *cf)
{
	size_t i;

	if (cf == NULL)
		return;
	for (i = 0; i < cf->nlines; i++) {
		free(cf->lines[i].name);
		free(cf->lines[i].value);
	}
	free(cf->lines);
	free(cf);
}
