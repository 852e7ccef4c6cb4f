/*
 * libFuzzer target: a JSON request spec through spec_parse; whatever it
 * accepts must hold a URL and headers that are HTTP tokens.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request *r;
	char *why = NULL;
	size_t i;

	r = xcalloc(1, sizeof(*r));
	if (spec_parse((const char *)data, size, 1, NULL, r, &why) == 0) {
		if (r->url == NULL)
			abort();
		for (i = 0; i < r->nhdrs; i++)
			if (strchr(r->hdrs[i], ':') == NULL)
				abort();
		if (r->method != NULL && !spec_token(r->method))
			abort();
	} else if (why == NULL)
		abort();
	free(why);
	request_free(r);
	return 0;
}
