/*
 * libFuzzer target: URL checks, normalisation and redaction.  A URL
 * url_new accepts normalises to a URL it accepts again, unchanged; read
 * again, its redacted form has "***" where libcurl read a password.
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
	char *s, *shown = NULL, *norm, *again, *key, *red, *pw = NULL;
	char *pw2 = NULL;
	const char *why = NULL;
	struct buf b;
	CURLU *u, *v;

	s = xstrndup((const char *)data, size);
	buf_init(&b);
	if ((u = url_new(s, &shown, &why)) != NULL) {
		norm = url_text(u);
		if ((again = url_normalize(norm, 0)) == NULL ||
		    strcmp(again, norm) != 0)
			abort();
		key = url_hostkey(u);
		red = url_redacted(u);
		if (curl_url_get(u, CURLUPART_PASSWORD, &pw, 0) == CURLUE_OK) {
			if ((v = curl_url()) == NULL)
				abort();
			if (curl_url_set(v, CURLUPART_URL, red,
			    CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
			    curl_url_get(v, CURLUPART_PASSWORD, &pw2, 0) !=
			    CURLUE_OK || strcmp(pw2, "***") != 0)
				abort();
			curl_free(pw2);
			curl_url_cleanup(v);
		}
		curl_free(pw);
		free(again);
		free(key);
		free(red);
		free(norm);
		url_free(u);
	}
	free(shown);
	url_redact_loose(s, &b);
	free(s);
	buf_free(&b);
	return 0;
}
