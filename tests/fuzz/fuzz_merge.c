/*
 * libFuzzer target: --merge.  The input is two JSON texts separated by a
 * NUL byte; when both are objects the second is merged into the first,
 * which must keep every key of both.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "merge.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
has_keys(const cJSON *dst, const cJSON *src)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, src) if (!cJSON_GetObjectItemCaseSensitive(
					    dst, it->string)) return 0;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *nul;
	cJSON *a, *b, *keys;
	size_t n;

	if ((nul = memchr(p, '\0', size)) == NULL)
		return 0;
	n = (size_t)(nul - p);
	a = cJSON_ParseWithLength(p, n);
	b = cJSON_ParseWithLength(nul + 1, size - n - 1);
	if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
		keys = cJSON_Duplicate(b, 1);
		merge_objects(a, b);
		b = NULL;
		if (keys == NULL || !has_keys(a, keys))
			abort();
		cJSON_Delete(keys);
	}
	cJSON_Delete(a);
	cJSON_Delete(b);
	return 0;
}
