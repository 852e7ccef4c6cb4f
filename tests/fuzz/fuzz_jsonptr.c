/*
 * libFuzzer target: --select pointers.  The input is "POINTER \n BODY";
 * a pointer jsonptr_valid accepts is resolved in the body, and what it
 * finds must itself be JSON.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "jsonptr.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *nl;
	struct buf b, check;
	char *ptr;

	if ((nl = memchr(p, '\n', size)) == NULL)
		nl = p + size;
	ptr = xstrndup(p, (size_t)(nl - p));
	if (jsonptr_valid(ptr)) {
		buf_init(&b);
		buf_init(&check);
		p = nl < p + size ? nl + 1 : nl;
		if (json_pointer(p, size - (size_t)(p - (const char *)data),
			ptr, &b) == 0 &&
		    json_embed(&check, b.data, b.len) != 0)
			abort();
		buf_free(&b);
		buf_free(&check);
	}
	free(ptr);
	return 0;
}
