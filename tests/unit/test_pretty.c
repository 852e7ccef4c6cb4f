/*
 * The streaming re-indenter and colourer: fed whole, byte by byte, or
 * made to stop at a small room, the same text; colours byte for byte as
 * jq 1.6 writes them (the wants were taken from `jq -C` and `jq -cC`).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pretty.h"
#include "unit.h"

/* jq's default colours, as pretty_colors_default has them. */
#define NUL "\033[0;90m"
#define LIT "\033[0;39m"
#define STR "\033[0;32m"
#define ARR "\033[1;39m"
#define OBJ "\033[1;39m"
#define KEY "\033[34;1m"
#define RST "\033[0m"

static const struct {
	const char	*in;
	int		 indent;
	int		 color;
	const char	*want;
} cases[] = {
	{ "{}", 1, 0, "{}" },
	{ "[]", 1, 0, "[]" },
	{ "{\"a\":1}", 1, 0, "{\n  \"a\": 1\n}" },
	{ "[1,[],{}]", 1, 0, "[\n  1,\n  [],\n  {}\n]" },
	{ "{\"a\":{\"b\":[true,null]}}", 1, 0,
	    "{\n  \"a\": {\n    \"b\": [\n      true,\n      null\n    ]\n  }\n}" },
	{ "[\"a,b:{c}\",\"q\\\"]\"]", 1, 0,
	    "[\n  \"a,b:{c}\",\n  \"q\\\"]\"\n]" },
	{ "[\"\\\\\",1]", 1, 0, "[\n  \"\\\\\",\n  1\n]" },
	{ "{\"a\":1}\n{\"b\":2}\n", 0, 0, "{\"a\":1}\n{\"b\":2}\n" },
	/* Colour: each value wrapped, the container's colour after it. */
	{ "null\n", 1, 1, NUL "null" RST "\n" },
	{ "-1.5e3\n", 0, 1, LIT "-1.5e3" RST "\n" },
	{ "\"x\"", 1, 1, STR "\"x\"" RST },
	{ "{}", 1, 1, OBJ "{}" RST },
	{ "[1,\"x\",null,true,false]", 1, 1,
	    ARR "[\n  " LIT "1" RST ARR ",\n  " STR "\"x\"" RST ARR ",\n  "
	    NUL "null" RST ARR ",\n  " LIT "true" RST ARR ",\n  "
	    LIT "false" RST ARR "\n" ARR "]" RST },
	{ "{\"a\":[1,{}],\"b\":\"q\\\"\"}", 1, 1,
	    OBJ "{\n  " RST KEY "\"a\"" RST OBJ ": " RST ARR "[\n    "
	    LIT "1" RST ARR ",\n    " OBJ "{}" RST ARR "\n  " ARR "]" RST
	    OBJ ",\n  " RST KEY "\"b\"" RST OBJ ": " RST STR "\"q\\\"\"" RST
	    OBJ "\n" OBJ "}" RST },
	{ "{\"a\":{\"c\":1.5},\"d\":[]}", 0, 1,
	    OBJ "{" RST KEY "\"a\"" RST OBJ ":" RST OBJ "{" RST KEY "\"c\""
	    RST OBJ ":" RST LIT "1.5" RST OBJ OBJ "}" RST OBJ "," RST KEY
	    "\"d\"" RST OBJ ":" RST ARR "[]" RST OBJ OBJ "}" RST },
	/* A string value after a key: not a key; after {} not a key. */
	{ "[{},\"k\"]", 0, 1,
	    ARR "[" OBJ "{}" RST ARR "," STR "\"k\"" RST ARR ARR "]" RST },
};

/* Feeds in at most one byte of room past what out holds, many times. */
static int
feed_bounded(struct pretty *p, const char *s, size_t n, struct buf *out,
    size_t *most)
{
	size_t k, before;

	*most = 0;
	while (n > 0) {
		before = out->len;
		k = pretty_feed(p, s, n, out, out->len + 1);
		if (k == 0)
			return -1;
		if (out->len - before > *most)
			*most = out->len - before;
		s += k;
		n -= k;
	}
	return 0;
}

static void
check_cases(void)
{
	struct pretty_colors colors;
	struct pretty p;
	struct buf whole, bytes, bounded;
	size_t i, k, n, most;
	int ok;

	pretty_colors_default(&colors);
	buf_init(&whole);
	buf_init(&bytes);
	buf_init(&bounded);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&whole);
		buf_reset(&bytes);
		buf_reset(&bounded);
		n = strlen(cases[i].in);
		pretty_init(&p, cases[i].indent,
		    cases[i].color ? &colors : NULL);
		k = pretty_feed(&p, cases[i].in, n, &whole, SIZE_MAX);
		pretty_free(&p);
		pretty_init(&p, cases[i].indent,
		    cases[i].color ? &colors : NULL);
		for (k = 0; k < n; k++)
			pretty_feed(&p, cases[i].in + k, 1, &bytes, SIZE_MAX);
		pretty_free(&p);
		pretty_init(&p, cases[i].indent,
		    cases[i].color ? &colors : NULL);
		ok = feed_bounded(&p, cases[i].in, n, &bounded, &most) == 0;
		pretty_free(&p);
		CHECK(strcmp(whole.data, cases[i].want) == 0, "whole %zu", i);
		CHECK(strcmp(bytes.data, cases[i].want) == 0, "bytes %zu", i);
		/* One step: a quote, a reset and two colours at most. */
		CHECK(ok && strcmp(bounded.data, cases[i].want) == 0 &&
		    most <= 1 + 4 + 2 * 16 + 8, "bounded %zu (%zu)", i, most);
	}
	buf_free(&whole);
	buf_free(&bytes);
	buf_free(&bounded);
}

/*
 * A 1 MiB string and deep nesting: no call writes much past its room,
 * whatever the size of the piece it is given.
 */
static void
check_room(void)
{
	struct pretty p;
	struct buf in, out;
	size_t k, off, most = 0, depth = 600;

	buf_init(&in);
	buf_init(&out);
	for (k = 0; k < depth; k++)
		buf_addc(&in, '[');
	buf_addc(&in, '"');
	for (k = 0; k < (1 << 20); k++)
		buf_addc(&in, 'a' + k % 26);
	buf_addc(&in, '"');
	for (k = 0; k < depth; k++)
		buf_addc(&in, ']');
	pretty_init(&p, 1, NULL);
	for (off = 0; off < in.len; off += k) {
		buf_reset(&out);
		k = pretty_feed(&p, in.data + off, in.len - off, &out, 4096);
		if (out.len > most)
			most = out.len;
	}
	pretty_free(&p);
	/* One line break and its indent past the room at most. */
	CHECK(most <= 4096 + 1 + 2 * depth, "room kept: %zu", most);
	buf_free(&in);
	buf_free(&out);
}

static const struct {
	const char	*spec;
	int		 ret;
	int		 kind;	/* the kind checked */
	const char	*want;	/* its sequence */
} specs[] = {
	{ "", 0, PRETTY_NULL, "\033[0;90m" },
	{ "1;31", 0, PRETTY_NULL, "\033[1;31m" },
	{ "1;31", 0, PRETTY_FALSE, "\033[0;39m" },
	{ "::::4;32", 0, PRETTY_STRING, "\033[4;32m" },
	{ "::::4;32", 0, PRETTY_NULL, "\033[m" },
	{ "0:0:0:0:0:0:0:7;33", 0, PRETTY_KEY, "\033[7;33m" },
	{ "0:0:0:0:0:0:0:7;33:9:9", 0, PRETTY_KEY, "\033[7;33m" },
	{ "1;31:", 0, PRETTY_FALSE, "\033[0;39m" },
	{ "red", -1, PRETTY_NULL, "\033[0;90m" },
	{ "1;31:x", -1, PRETTY_NULL, "\033[0;90m" },
	{ "1;2;3;4;5;67", 0, PRETTY_NULL, "\033[1;2;3;4;5;67m" },
	{ "1;2;3;4;5;678", -1, PRETTY_NULL, "\033[0;90m" },
	{ "\033[31m", -1, PRETTY_NULL, "\033[0;90m" },
};

static void
check_specs(void)
{
	struct pretty_colors c;
	size_t i;
	int ret;

	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		memset(&c, 'x', sizeof(c));
		ret = pretty_colors_parse(&c, specs[i].spec);
		CHECK(ret == specs[i].ret &&
		    strcmp(c.seq[specs[i].kind], specs[i].want) == 0,
		    "colors '%s'", specs[i].spec);
	}
}

int
main(void)
{
	check_cases();
	check_room();
	check_specs();
	return unit_done();
}
