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

static void
lower(char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* The normalised URL of the parsed h, allocated. */
static char *
url_norm(CURLU *h)
{
	static const CURLUPart parts[] = { CURLUPART_SCHEME, CURLUPART_USER,
	    CURLUPART_PASSWORD, CURLUPART_HOST, CURLUPART_PORT,
	    CURLUPART_PATH, CURLUPART_QUERY };
	char *v[7] = { NULL };
	struct buf b;
	size_t i;

	for (i = 0; i < 7; i++)
		curl_url_get(h, parts[i], &v[i],
		    parts[i] == CURLUPART_PORT ? CURLU_NO_DEFAULT_PORT : 0);
	lower(v[0]);
	lower(v[3]);
	buf_init(&b);
	buf_printf(&b, "%s://", v[0] ? v[0] : "");
	if (v[1] != NULL)
		buf_printf(&b, "%s%s%s@", v[1], v[2] ? ":" : "",
		    v[2] ? v[2] : "");
	buf_adds(&b, v[3] ? v[3] : "");
	if (v[4] != NULL)
		buf_printf(&b, ":%s", v[4]);
	buf_adds(&b, v[5] ? v[5] : "/");
	if (v[6] != NULL)
		buf_printf(&b, "?%s", v[6]);
	for (i = 0; i < 7; i++)
		curl_free(v[i]);
	return buf_steal(&b);
}

char *
url_normalize(const char *url)
{
	CURLU *h;
	char *norm = NULL;

	if ((h = curl_url()) == NULL)
		return NULL;
	if (curl_url_set(h, CURLUPART_URL, url, 0) == CURLUE_OK)
		norm = url_norm(h);
	curl_url_cleanup(h);
	return norm;
}

int
url_check(const char *url, char **hostkey, char **norm, const char **why)
{
	CURLU *h;
	CURLUcode rc;
	char *scheme = NULL, *host = NULL, *port = NULL;
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
		lower(*hostkey);
	}
	if (norm != NULL)
		*norm = url_norm(h);
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
