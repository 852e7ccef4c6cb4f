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

/*
 * The '@' that ends the userinfo of the authority after "://" at auth (the
 * last one before the path, query or fragment), or NULL when there is
 * none.
 */
static const char *
userinfo_end(const char *auth)
{
	const char *end = auth + strcspn(auth, "/?#"), *at = NULL;

	for (; auth < end; auth++)
		if (*auth == '@')
			at = auth;
	return at;
}

/*
 * The normalised form of url, which libcurl parsed into scheme, host and
 * port (the default one filled in): the scheme and host lower-cased, the
 * default port and the fragment dropped, an empty path made "/".  The
 * rest is kept as written: a difference there only costs a cache miss.
 */
static char *
url_norm(const char *url, const char *scheme, const char *host,
    const char *port)
{
	const char *auth, *end, *at;
	struct buf b;
	size_t n;

	auth = strstr(url, "://") + 3;
	end = auth + strcspn(auth, "/?#");
	at = userinfo_end(auth);
	buf_init(&b);
	buf_adds(&b, scheme);
	lower(b.data);
	buf_adds(&b, "://");
	if (at != NULL)
		buf_add(&b, auth, (size_t)(at + 1 - auth));
	n = b.len;
	buf_adds(&b, host);
	lower(b.data + n);
	if (strcmp(port, strcasecmp(scheme, "https") == 0 ? "443" : "80") != 0)
		buf_printf(&b, ":%s", port);
	n = strcspn(end, "#");
	if (n == 0 || *end == '?')
		buf_addc(&b, '/');
	buf_add(&b, end, n);
	return buf_steal(&b);
}

/* Parses url; fills its scheme, host and port (libcurl's, to curl_free). */
static CURLUcode
url_parts(CURLU *h, const char *url, char **scheme, char **host, char **port)
{
	CURLUcode rc;

	*scheme = *host = *port = NULL;
	if ((rc = curl_url_set(h, CURLUPART_URL, url,
	    CURLU_NON_SUPPORT_SCHEME)) != CURLUE_OK)
		return rc;
	if ((rc = curl_url_get(h, CURLUPART_SCHEME, scheme, 0)) != CURLUE_OK ||
	    (rc = curl_url_get(h, CURLUPART_HOST, host, 0)) != CURLUE_OK)
		return rc;
	return curl_url_get(h, CURLUPART_PORT, port, CURLU_DEFAULT_PORT);
}

char *
url_normalize(const char *url)
{
	const char *why;
	char *norm;

	return url_check(url, NULL, &norm, &why) == 0 ? norm : NULL;
}

int
url_check(const char *url, char **hostkey, char **norm, const char **why)
{
	char *scheme, *host, *port;
	CURLUcode rc;
	CURLU *h;
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
	rc = url_parts(h, url, &scheme, &host, &port);
	if (scheme != NULL && strcasecmp(scheme, "http") != 0 &&
	    strcasecmp(scheme, "https") != 0) {
		*why = "unsupported scheme (only http and https)";
		goto out;
	}
	if (rc != CURLUE_OK || *host == '\0') {
		*why = rc == CURLUE_OK || rc == CURLUE_NO_HOST ? "no host" :
		    curl_url_strerror(rc);
		goto out;
	}
	if (hostkey != NULL) {
		*hostkey = xasprintf("%s:%s", host, port);
		lower(*hostkey);
	}
	if (norm != NULL)
		*norm = url_norm(url, scheme, host, port);
	ret = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(h);
	return ret;
}

void
url_redact_loose(const char *url, struct buf *b)
{
	const char *auth, *at, *colon;

	/*
	 * In text that did not parse, the userinfo may hold '/', '?' or '#':
	 * hide everything from the first ':' to the last '@', erring on the
	 * side of hiding too much.
	 */
	if ((auth = strstr(url, "://")) == NULL ||
	    (at = strrchr(auth + 3, '@')) == NULL ||
	    (colon = memchr(auth + 3, ':', (size_t)(at - auth - 3))) == NULL) {
		url_redact(url, b);
		return;
	}
	buf_add(b, url, (size_t)(colon + 1 - url));
	buf_adds(b, "***");
	buf_adds(b, at);
}

void
url_redact(const char *url, struct buf *b)
{
	const char *auth, *at, *colon;

	if ((auth = strstr(url, "://")) == NULL) {
		buf_adds(b, url);
		return;
	}
	auth += 3;
	if ((at = userinfo_end(auth)) == NULL ||
	    (colon = memchr(auth, ':', (size_t)(at - auth))) == NULL) {
		buf_adds(b, url);
		return;
	}
	buf_add(b, url, (size_t)(colon + 1 - url));
	buf_adds(b, "***");
	buf_adds(b, at);
}
