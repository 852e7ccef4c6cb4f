/*
 * RFC 6901 pointers resolved on JSON text, with the examples of the RFC
 * itself (section 5), escaped keys, and numbers kept digit for digit.
 */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "jsonptr.h"
#include "unit.h"

static const char doc[] =
    "{\"foo\": [\"bar\", \"baz\"], \"\": 0, \"a/b\": 1, \"c%d\": 2,"
    " \"e^f\": 3, \"g|h\": 4, \"i\\\\j\": 5, \"k\\\"l\": 6, \" \": 7,"
    " \"m~n\": 8, \"deep\": {\"x\": [{\"y\": true}]},"
    " \"esc\\u00e9\\t\": 9, \"big\": 12345678901234567891,"
    " \"pi\": 3.14159265358979323846}";

static const struct {
	const char	*ptr;
	const char	*want;	/* NULL: names nothing */
} cases[] = {
	{ "", NULL },		/* the whole document: checked apart */
	{ "/foo", "[\"bar\",\"baz\"]" },
	{ "/foo/0", "\"bar\"" },
	{ "/foo/1", "\"baz\"" },
	{ "/", "0" },
	{ "/a~1b", "1" },
	{ "/c%d", "2" },
	{ "/e^f", "3" },
	{ "/g|h", "4" },
	{ "/i\\j", "5" },
	{ "/k\"l", "6" },
	{ "/ ", "7" },
	{ "/m~0n", "8" },
	{ "/deep/x/0/y", "true" },
	{ "/foo/2", NULL },
	{ "/foo/-", NULL },
	{ "/foo/01", NULL },
	{ "/foo/x", NULL },
	{ "/nope", NULL },
	{ "/foo/0/bar", NULL },
	{ "/m~n", NULL },
	{ "/esc\xc3\xa9\t", "9" },
	{ "/big", "12345678901234567891" },
	{ "/pi", "3.14159265358979323846" },
};

static const struct {
	const char	*ptr;
	int		 want;
} valid[] = {
	{ "", 1 }, { "/", 1 }, { "/a/b", 1 }, { "/a~0~1", 1 },
	{ "a", 0 }, { "/a~2", 0 }, { "/a~", 0 },
};

int
main(void)
{
	struct buf b;
	size_t i;
	int rc;

	buf_init(&b);
	rc = json_pointer(doc, strlen(doc), "", &b);
	CHECK(rc == 0 && b.len > 0 && b.data[0] == '{' &&
	    strstr(b.data, "\"a/b\":1") != NULL,
	    "the empty pointer is the whole document, compacted");
	for (i = 1; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		rc = json_pointer(doc, strlen(doc), cases[i].ptr, &b);
		CHECK(cases[i].want == NULL ? rc == 1 :
		    rc == 0 && strcmp(b.data, cases[i].want) == 0,
		    "'%s' -> %d %s", cases[i].ptr, rc, rc == 0 ? b.data :
		    "nothing");
	}
	buf_reset(&b);
	CHECK(json_pointer("{\"a\": 1", 8, "/a", &b) == -1,
	    "a body that is not JSON gives -1");
	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		CHECK(jsonptr_valid(valid[i].ptr) == valid[i].want,
		    "'%s' is %sa pointer", valid[i].ptr, valid[i].want ? "" :
		    "not ");
	buf_free(&b);
	return unit_done();
}
