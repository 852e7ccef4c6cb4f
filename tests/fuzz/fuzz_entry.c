/*
 * libFuzzer target: a cache entry file through the codec.  Whatever
 * decodes must carry its method and URL and encode back to bytes that
 * decode to the same entry.  The trailing CRC-32 is fixed up before the
 * full decode, so that mutations reach the fields behind it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "entry.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
round_trip(const struct entry *e)
{
	struct entry again;
	struct buf a, b;
	const char *why;

	buf_init(&a);
	buf_init(&b);
	entry_encode(e, &a);
	if (entry_decode(a.data, a.len, e->key, &again, &why) != 0)
		abort();
	entry_encode(&again, &b);
	if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
		abort();
	entry_clear(&again);
	buf_free(&a);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct entry e;
	const char *why = NULL;
	unsigned char *copy;
	unsigned long sum;
	int i;

	memset(&e, 0, sizeof(e));
	if (entry_decode_meta((const char *)data, size, &e, &why) == 0 &&
	    (e.method == NULL || e.url == NULL))
		abort();
	entry_clear(&e);
	if (size < ENTRY_SUM)
		return 0;
	copy = xmalloc(size);
	memcpy(copy, data, size);
	sum = crc32(0L, (const Bytef *)copy, (uInt)(size - ENTRY_SUM));
	for (i = 0; i < ENTRY_SUM; i++)
		copy[size - ENTRY_SUM + i] = (unsigned char)(sum >> (8 * i));
	if (entry_decode((const char *)copy, size, NULL, &e, &why) == 0) {
		if (e.method == NULL || e.url == NULL || e.body == NULL)
			abort();
		round_trip(&e);
	}
	entry_clear(&e);
	free(copy);
	return 0;
}
