/*
 * libFuzzer target: --redis URLs (redis_addr_parse in redis.c; it only
 * parses, no server is needed).  An accepted URL is a socket path or a
 * host with a port from 1 to 65535 and a db from 0 to 1000000, never
 * both, and is shown without its password; a refused one says why, also
 * without it.  The password is read with libcurl, as the parser reads it,
 * and checked only when it cannot show in the text by chance.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "redis.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The parser's own words in its messages: a password may match them. */
#define OWN_WORDS "want redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] or " \
	"unix:///PATH: not redis:// or unix://port too large too small " \
	"invalid/DB: want a number from 0 to 1000000"

/* The text of part of u as the parser reads it (decoded), or NULL. */
static char *
part_of(CURLU *u, CURLUPart what)
{
	char *v, *s;

	if (curl_url_get(u, what, &v, CURLU_URLDECODE) != CURLUE_OK)
		return NULL;
	s = xstrdup(v);
	curl_free(v);
	return s;
}

/*
 * The password in url, when it is one that can only show where it leaked:
 * long, not all digits, without the bytes that join the parts shown, and
 * in none of the scheme, the host and the parser's own words.
 */
static char *
password_of(const char *url)
{
	char *pw = NULL, *scheme = NULL, *host = NULL;
	CURLU *u;

	if ((u = curl_url()) == NULL)
		abort();
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) ==
	    CURLUE_OK) {
		pw = part_of(u, CURLUPART_PASSWORD);
		scheme = part_of(u, CURLUPART_SCHEME);
		host = part_of(u, CURLUPART_HOST);
	}
	if (pw != NULL && (strlen(pw) < 6 || strstr(OWN_WORDS, pw) != NULL ||
	    strpbrk(pw, ":/[]") != NULL ||
	    strspn(pw, "0123456789") == strlen(pw) ||
	    (scheme != NULL && strstr(scheme, pw) != NULL) ||
	    (host != NULL && strstr(host, pw) != NULL))) {
		free(pw);
		pw = NULL;
	}
	free(scheme);
	free(host);
	curl_url_cleanup(u);
	return pw;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct redis_addr a;
	char *url, *err = NULL, *pw;

	url = xstrndup((const char *)data, size);
	pw = strncmp(url, "unix://", 7) != 0 ? password_of(url) : NULL;
	if (redis_addr_parse(url, &a, &err) == -1) {
		if (err == NULL || (pw != NULL && strstr(err, pw) != NULL))
			abort();
	} else if (a.shown == NULL || (a.host == NULL) == (a.path == NULL) ||
	    (a.path != NULL && a.path[0] != '/') ||
	    (a.host != NULL && (a.port < 1 || a.port > 65535)) ||
	    a.db < 0 || a.db > 1000000 ||
	    (pw != NULL && strstr(a.shown, pw) != NULL))
		abort();
	else
		redis_addr_clear(&a);
	free(pw);
	free(err);
	free(url);
	return 0;
}
