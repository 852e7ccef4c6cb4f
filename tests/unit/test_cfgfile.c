/*
 * The config-file lexer: each text against the lines it gives, written
 * "LINE:DASHES:NAME=VALUE" (no "=VALUE" when none was given) and joined
 * by "|", or the error "LINE: why".
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cfgfile.h"
#include "unit.h"

static const struct {
	const char	*text;
	size_t		 len;	/* 0: strlen(text) */
	const char	*want;
} cases[] = {
	/* Every way of writing an option and its value. */
	{ "retry 3\n", 0, "1:0:retry=3" },
	{ "retry = 3\n", 0, "1:0:retry=3" },
	{ "retry=3\n", 0, "1:0:retry=3" },
	{ "retry: 3\n", 0, "1:0:retry=3" },
	{ "retry:3", 0, "1:0:retry=3" },
	{ "retry\t=\t3\r\n", 0, "1:0:retry=3" },
	{ "--retry 3\n", 0, "1:2:retry=3" },
	{ "--retry=3\n", 0, "1:2:retry=3" },
	{ "-m 5\n-L\n", 0, "1:1:m=5|2:1:L" },
	{ "-m5\n", 0, "1:1:m5" },
	{ "  pretty  \n", 0, "1:0:pretty" },
	{ "--compact\n", 0, "1:2:compact" },
	{ "user-agent = a:b=c\n", 0, "1:0:user-agent=a:b=c" },
	{ "--header X-A:1\n", 0, "1:2:header=X-A:1" },

	/* Quoted values and their escapes. */
	{ "header = \"X-A: 1\"\n", 0, "1:0:header=X-A: 1" },
	{ "header \"a\\\\b\\\"c\"\n", 0, "1:0:header=a\\b\"c" },
	{ "data = \"\\t\\n\\r\\v\"\n", 0, "1:0:data=\t\n\r\v" },
	{ "data = \"\\q\\#\"\n", 0, "1:0:data=q#" },
	{ "data = \"\"\n", 0, "1:0:data=" },
	{ "data \":x\" # why\n", 0, "1:0:data=:x" },
	{ "data = \"a # b\"\n", 0, "1:0:data=a # b" },

	/* Comments and blank lines; line numbers count them. */
	{ "# a comment\n\n   \n  # indented\nretry 1\n", 0, "5:0:retry=1" },
	{ "retry 1 # one retry\n", 0, "1:0:retry=1" },
	{ "pretty # on\n", 0, "1:0:pretty" },
	{ "retry=#1\n", 0, "1:0:retry=#1" },
	{ "", 0, "" },
	{ "\n\n", 0, "" },
	{ "a\nb 1\n\"c\"\n", 0, "1:0:a|2:0:b=1|3:0:\"c\"" },

	/* Refused. */
	{ "header = X-A: 1\n", 0, "1: a value with spaces must be quoted" },
	{ "retry 3 4\n", 0, "1: a value with spaces must be quoted" },
	{ "ok\nheader \"X-A: 1\n", 0, "2: the quoted value is not closed" },
	{ "header \"X\\\"\n", 0, "1: the quoted value is not closed" },
	{ "header \"X\" y\n", 0, "1: text after the quoted value" },
	{ "= 3\n", 0, "1: no option name" },
	{ "--\n", 0, "1: no option name" },
	{ "retry 3\nre\0try 3\n", 16, "2: a NUL byte" },
};

static void
show(const struct cfgfile *cf, struct buf *b)
{
	size_t i;

	for (i = 0; i < cf->nlines; i++) {
		buf_printf(b, "%s%zu:%d:%s", i > 0 ? "|" : "",
		    cf->lines[i].lineno, cf->lines[i].dashes,
		    cf->lines[i].name);
		if (cf->lines[i].value != NULL)
			buf_printf(b, "=%s", cf->lines[i].value);
	}
}

int
main(void)
{
	struct cfgfile *cf;
	const char *why;
	char *msg;
	struct buf b;
	size_t i, len, lineno;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_init(&b);
		buf_adds(&b, "");
		len = cases[i].len ? cases[i].len : strlen(cases[i].text);
		cf = cfgfile_parse(cases[i].text, len, &lineno, &why);
		if (cf != NULL)
			show(cf, &b);
		else
			buf_printf(&b, "%zu: %s", lineno, why);
		CHECK(strcmp(b.data, cases[i].want) == 0, "case %zu: got "
		    "'%s'", i, b.data);
		cfgfile_free(cf);
		buf_free(&b);
	}
	cf = cfgfile_load("/nonexistent/gather.conf", &lineno, &msg);
	CHECK(cf == NULL && lineno == 0 && strcmp(msg, "/nonexistent/"
	    "gather.conf: No such file or directory") == 0,
	    "a missing file: %s", msg);
	free(msg);
	cf = cfgfile_load("/", &lineno, &msg);
	CHECK(cf == NULL && lineno == 0 && strcmp(msg, "/: Is a directory") ==
	    0, "a folder: %s", msg);
	free(msg);
	return unit_done();
}
