/*
 * Which URLs gather accepts, and how they are shown in output and logs.
 * It does not normalise URLs: that belongs to the cache key.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "url.h"
#include "xalloc.h"

int
url_check(const char *url, char **hostkey, const char **why)
{
	CURLU *h;
	CURLUcode rc;
	char *scheme = NULL, *host = NULL, *port = NULL, *p;
	int ret = -1;

	*why = NULL;
	if (strstr(url, "://") == NULL) {
		*why = "missing scheme (http:// or https://)";
		return -1;
	}
	if ((h = curl_url()) == NULL) {
		*why = "out of memory";
		return -1;
	}
	rc = curl_url_set(h, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
	if (rc != CURLUE_OK) {
		*why = curl_url_strerror(rc);
		goto out;
	}
	if (curl_url_get(h, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    (strcasecmp(scheme, "http") != 0 &&
	    strcasecmp(scheme, "https") != 0)) {
		*why = "unsupported scheme (only http and https)";
		goto out;
	}
	if (curl_url_get(h, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    *host == '\0') {
		*why = "no host";
		goto out;
	}
	if (hostkey != NULL) {
		if (curl_url_get(h, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT)
		    != CURLUE_OK) {
			*why = "bad port";
			goto out;
		}
		*hostkey = xasprintf("%s:%s", host, port);
		for (p = *hostkey; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
	}
	ret = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(h);
	return ret;
}

void
url_redact(const char *url, struct buf *b)
{
	const char *auth, *end, *at, *colon;

	if ((auth = strstr(url, "://")) == NULL) {
		buf_adds(b, url);
		return;
	}
	auth += 3;
	end = auth + strcspn(auth, "/?#");
	/* The userinfo ends at the last '@' of the authority. */
	for (at = NULL, colon = auth; colon < end; colon++)
		if (*colon == '@')
			at = colon;
	if (at == NULL || (colon = memchr(auth, ':', (size_t)(at - auth))) ==
	    NULL) {
		buf_adds(b, url);
		return;
	}
	buf_add(b, url, (size_t)(colon + 1 - url));
	buf_adds(b, "***");
	buf_adds(b, at);
}
