/*
 * libFuzzer target: URL checks, normalisation and redaction.  A URL
 * url_check accepts normalises to a URL it accepts again, unchanged.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "url.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, *key = NULL, *norm = NULL, *again;
	const char *why = NULL;
	struct buf b;

	s = xstrndup((const char *)data, size);
	buf_init(&b);
	if (url_check(s, &key, &norm, &why) == 0) {
		if ((again = url_normalize(norm)) == NULL ||
		    strcmp(again, norm) != 0)
			abort();
		free(again);
		url_redact(s, &b);
	}
	url_redact_loose(s, &b);
	free(key);
	free(norm);
	free(s);
	buf_free(&b);
	return 0;
}
