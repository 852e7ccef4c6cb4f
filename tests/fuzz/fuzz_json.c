/*
 * libFuzzer target: the JSON scanner and string writers.  What json_embed
 * accepts must be one value cJSON also reads, and writing it again must
 * not change it; json_str must always write valid JSON.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Aborts unless the len bytes at p are one JSON value to cJSON. */
static void
must_parse(const char *p, size_t len)
{
	cJSON *j;

	if ((j = cJSON_ParseWithLength(p, len)) == NULL)
		abort();
	cJSON_Delete(j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data;
	struct buf a, b;

	buf_init(&a);
	buf_init(&b);
	if (json_embed(&a, p, size) == 0) {
		if (json_embed(&b, a.data, a.len) != 0 || a.len != b.len ||
		    memcmp(a.data, b.data, a.len) != 0)
			abort();
		must_parse(a.data, a.len);
		buf_reset(&b);
		(void)json_member(p, size, "a", &b);
	}
	buf_reset(&a);
	json_str(&a, p, size);
	must_parse(a.data, a.len);
	buf_reset(&a);
	if (json_text(&a, p, size) == 0 && !utf8_valid(p, size))
		abort();
	(void)json_string_len(p, size);
	buf_free(&a);
	buf_free(&b);
	return 0;
}
