/* Deep merge of objects: later wins, nested objects merge, arrays join. */
#include <stdlib.h>
#include <string.h>

#include "merge.h"
#include "unit.h"

static const struct {
	const char	*a, *b, *want;
} cases[] = {
	{ "{}", "{}", "{}" },
	{ "{\"a\":1}", "{\"b\":2}", "{\"a\":1,\"b\":2}" },
	{ "{\"a\":1}", "{\"a\":2}", "{\"a\":2}" },
	{ "{\"a\":{\"x\":1,\"y\":1}}", "{\"a\":{\"y\":2,\"z\":2}}",
	    "{\"a\":{\"x\":1,\"y\":2,\"z\":2}}" },
	{ "{\"a\":[1,2]}", "{\"a\":[3]}", "{\"a\":[1,2,3]}" },
	{ "{\"a\":[1]}", "{\"a\":{\"k\":1}}", "{\"a\":{\"k\":1}}" },
	{ "{\"a\":{\"k\":1}}", "{\"a\":null}", "{\"a\":null}" },
	{ "{\"a\":{\"b\":{\"c\":[1]}}}", "{\"a\":{\"b\":{\"c\":[2],\"d\":0}}}",
	    "{\"a\":{\"b\":{\"c\":[1,2],\"d\":0}}}" },
};

int
main(void)
{
	cJSON *a, *b;
	char *text;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		a = cJSON_Parse(cases[i].a);
		b = cJSON_Parse(cases[i].b);
		merge_objects(a, b);
		text = cJSON_PrintUnformatted(a);
		CHECK(strcmp(text, cases[i].want) == 0, "%s + %s = %s",
		    cases[i].a, cases[i].b, text);
		cJSON_free(text);
		cJSON_Delete(a);
	}
	return unit_done();
}
