/* The streaming re-indenter: fed whole or byte by byte, same text. */
#include <string.h>

#include "pretty.h"
#include "unit.h"

static const struct {
	const char	*in;
	const char	*want;
} cases[] = {
	{ "{}", "{}" },
	{ "[]", "[]" },
	{ "{\"a\":1}", "{\n  \"a\": 1\n}" },
	{ "[1,[],{}]", "[\n  1,\n  [],\n  {}\n]" },
	{ "{\"a\":{\"b\":[true,null]}}",
	    "{\n  \"a\": {\n    \"b\": [\n      true,\n      null\n    ]\n  }\n}" },
	{ "[\"a,b:{c}\",\"q\\\"]\"]",
	    "[\n  \"a,b:{c}\",\n  \"q\\\"]\"\n]" },
	{ "[\"\\\\\",1]", "[\n  \"\\\\\",\n  1\n]" },
};

int
main(void)
{
	struct pretty p;
	struct buf whole, bytes;
	size_t i, k;

	buf_init(&whole);
	buf_init(&bytes);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&whole);
		buf_reset(&bytes);
		pretty_init(&p);
		pretty_feed(&p, cases[i].in, strlen(cases[i].in), &whole);
		pretty_init(&p);
		for (k = 0; cases[i].in[k] != '\0'; k++)
			pretty_feed(&p, cases[i].in + k, 1, &bytes);
		CHECK(strcmp(whole.data, cases[i].want) == 0 &&
		    strcmp(bytes.data, cases[i].want) == 0,
		    "pretty %s", cases[i].in);
	}
	buf_free(&whole);
	buf_free(&bytes);
	return unit_done();
}
