/* RFC 6901 pointers, with the examples of the RFC itself (section 5). */
#include <stdlib.h>
#include <string.h>

#include "jsonptr.h"
#include "unit.h"

static const char doc[] =
    "{\"foo\": [\"bar\", \"baz\"], \"\": 0, \"a/b\": 1, \"c%d\": 2,"
    " \"e^f\": 3, \"g|h\": 4, \"i\\\\j\": 5, \"k\\\"l\": 6, \" \": 7,"
    " \"m~n\": 8, \"deep\": {\"x\": [{\"y\": true}]}}";

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
	cJSON *root, *v;
	char *text;
	size_t i;

	root = cJSON_Parse(doc);
	CHECK(root != NULL && jsonptr_get(root, "") == root,
	    "the empty pointer is the whole document");
	for (i = 1; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = jsonptr_get(root, cases[i].ptr);
		text = v != NULL ? cJSON_PrintUnformatted(v) : NULL;
		CHECK(cases[i].want == NULL ? v == NULL :
		    text != NULL && strcmp(text, cases[i].want) == 0,
		    "'%s' -> %s", cases[i].ptr, text ? text : "nothing");
		cJSON_free(text);
	}
	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
		CHECK(jsonptr_valid(valid[i].ptr) == valid[i].want,
		    "'%s' is %sa pointer", valid[i].ptr, valid[i].want ? "" :
		    "not ");
	cJSON_Delete(root);
	return unit_done();
}
