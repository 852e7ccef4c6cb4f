/* Cache keys: URL normalisation, and which differences make a new key. */
#include <stdlib.h>
#include <string.h>

#include "cachekey.h"
#include "url.h"
#include "unit.h"

static const struct {
	const char	*in;
	const char	*want;
} urls[] = {
	{ "http://a.test/x", "http://a.test/x" },
	{ "HTTP://A.Test/X", "http://a.test/X" },
	{ "http://a.test:80/x", "http://a.test/x" },
	{ "https://a.test:443/x", "https://a.test/x" },
	{ "http://a.test:8080/x", "http://a.test:8080/x" },
	{ "https://a.test:80/x", "https://a.test:80/x" },
	{ "http://a.test/x#frag", "http://a.test/x" },
	{ "http://a.test", "http://a.test/" },
	{ "http://a.test/x?b=2&a=1", "http://a.test/x?b=2&a=1" },
	{ "http://u:p@a.test/", "http://u:p@a.test/" },
	{ "http://[::1]:81/", "http://[::1]:81/" },
};

static void
key_of(const char *method, const char *url, const char *body, char **hdrs,
    size_t n, unsigned char key[CACHE_KEY_LEN])
{
	char *norm = url_normalize(url, 0);

	cachekey(method, norm, body, body ? strlen(body) : 0, hdrs, n, NULL,
	    key);
	free(norm);
}

static void
check_keys(void)
{
	unsigned char a[CACHE_KEY_LEN], b[CACHE_KEY_LEN];
	char *auth1[] = { (char *)"Authorization: Bearer one" };
	char *auth2[] = { (char *)"Authorization: Bearer two" };
	char *ab[] = { (char *)"A: 1b" };
	char *a1b[] = { (char *)"A: 1", (char *)"b" };

	key_of("GET", "http://a.test/x", NULL, NULL, 0, a);
	key_of("GET", "HTTP://A.TEST:80/x#f", NULL, NULL, 0, b);
	CHECK(memcmp(a, b, sizeof(a)) == 0, "equivalent URLs share a key");
	key_of("POST", "http://a.test/x", NULL, NULL, 0, b);
	CHECK(memcmp(a, b, sizeof(a)) != 0, "the method is in the key");
	key_of("GET", "http://a.test/x", "body", NULL, 0, b);
	CHECK(memcmp(a, b, sizeof(a)) != 0, "the body is in the key");
	key_of("GET", "http://a.test/x", NULL, auth1, 1, a);
	key_of("GET", "http://a.test/x", NULL, auth2, 1, b);
	CHECK(memcmp(a, b, sizeof(a)) != 0,
	    "different Authorization values never share a key");
	key_of("GET", "http://a.test/x", NULL, ab, 1, a);
	key_of("GET", "http://a.test/x", NULL, a1b, 2, b);
	CHECK(memcmp(a, b, sizeof(a)) != 0,
	    "parts are length-prefixed: headers do not run together");
	key_of("GET", "http://a.test/X", NULL, NULL, 0, a);
	key_of("GET", "http://a.test/x", NULL, NULL, 0, b);
	CHECK(memcmp(a, b, sizeof(a)) != 0, "the path keeps its case");
}

/* Credentials given apart from the headers: {user, bearer, netrc}. */
static const struct {
	const char	*user;
	const char	*bearer;
	int		 netrc;		/* 0: none, else the sum's first byte */
} auths[] = {
	{ "ann:1", NULL, 0 },
	{ "ben:1", NULL, 0 },
	{ "ann:2", NULL, 0 },
	{ NULL, "ann:1", 0 },
	{ NULL, "tok", 0 },
	{ NULL, NULL, 1 },
	{ NULL, NULL, 2 },
	{ "ann:1", NULL, 1 },
	{ "", NULL, 0 },
	{ NULL, "", 0 },
};

#define NAUTHS (sizeof(auths) / sizeof(auths[0]))

static void
check_auth(void)
{
	unsigned char base[CACHE_KEY_LEN], k[NAUTHS][CACHE_KEY_LEN];
	unsigned char sum[32];
	size_t i, j;

	key_of("GET", "http://a.test/x", NULL, NULL, 0, base);
	memcpy(k[0], base, sizeof(base));
	cachekey_auth(k[0], NULL, NULL, NULL);
	CHECK(memcmp(k[0], base, sizeof(base)) == 0,
	    "no credential leaves the key as it was");
	for (i = 0; i < NAUTHS; i++) {
		memset(sum, 0, sizeof(sum));
		sum[0] = (unsigned char)auths[i].netrc;
		memcpy(k[i], base, sizeof(base));
		cachekey_auth(k[i], auths[i].user, auths[i].bearer,
		    auths[i].netrc ? sum : NULL);
		CHECK(memcmp(k[i], base, sizeof(base)) != 0,
		    "credential %zu changes the key", i);
	}
	for (i = 0; i < NAUTHS; i++)
		for (j = i + 1; j < NAUTHS; j++)
			CHECK(memcmp(k[i], k[j], CACHE_KEY_LEN) != 0,
			    "credentials %zu and %zu never share a key", i, j);
}

int
main(void)
{
	char *got;
	size_t i;

	for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		got = url_normalize(urls[i].in, 0);
		CHECK(got != NULL && strcmp(got, urls[i].want) == 0,
		    "%s -> %s", urls[i].in, got ? got : "(null)");
		free(got);
	}
	CHECK(url_normalize("not a url", 0) == NULL, "a bad URL has no key");
	check_keys();
	check_auth();
	return unit_done();
}
