/*
 * Cache keys.  The URL comes normalised (url.c); each part is
 * length-prefixed in the hash, so no two different requests can run
 * together into one key.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include <sha2.h>

#include "cachekey.h"

static void
hash_part(SHA2_CTX *ctx, const void *p, size_t n)
{
	unsigned char len[8];
	int i;

	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)((uint64_t)n >> (8 * i));
	SHA256Update(ctx, len, sizeof(len));
	SHA256Update(ctx, p, n);
}

/* A header with its name lower-cased: names are case-insensitive. */
static void
hash_header(SHA2_CTX *ctx, const char *h)
{
	char name[256];
	size_t n = strcspn(h, ":;"), i;

	if (n >= sizeof(name)) {
		hash_part(ctx, h, strlen(h));
		return;
	}
	for (i = 0; i < n; i++)
		name[i] = (char)tolower((unsigned char)h[i]);
	hash_part(ctx, name, n);
	hash_part(ctx, h + n, strlen(h + n));
}

void
cachekey(const char *method, const char *normurl, const char *body,
    size_t body_len, char *const *headers, size_t nheaders, const char *ua,
    unsigned char key[CACHE_KEY_LEN])
{
	SHA2_CTX ctx;
	size_t i;

	SHA256Init(&ctx);
	/* -A is a header given too; the default one is not. */
	if (ua != NULL)
		hash_part(&ctx, ua, strlen(ua));
	hash_part(&ctx, method, strlen(method));
	hash_part(&ctx, normurl, strlen(normurl));
	hash_part(&ctx, body != NULL ? body : "", body != NULL ? body_len : 0);
	for (i = 0; i < nheaders; i++)
		hash_header(&ctx, headers[i]);
	SHA256Final(key, &ctx);
}

void
cachekey_auth(unsigned char key[CACHE_KEY_LEN], const char *user,
    const char *bearer, const unsigned char *netrc)
{
	SHA2_CTX ctx;

	if (user == NULL && bearer == NULL && netrc == NULL)
		return;
	SHA256Init(&ctx);
	hash_part(&ctx, key, CACHE_KEY_LEN);
	/* A tag for each, so that no credential can pass for another. */
	hash_part(&ctx, user != NULL ? "user" : "", user != NULL ? 4 : 0);
	if (user != NULL)
		hash_part(&ctx, user, strlen(user));
	hash_part(&ctx, bearer != NULL ? "bearer" : "", bearer != NULL ? 6 : 0);
	if (bearer != NULL)
		hash_part(&ctx, bearer, strlen(bearer));
	hash_part(&ctx, netrc != NULL ? "netrc" : "", netrc != NULL ? 5 : 0);
	if (netrc != NULL)
		hash_part(&ctx, netrc, 32);
	SHA256Final(key, &ctx);
}
