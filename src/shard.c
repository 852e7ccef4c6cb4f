/*
 * Shards: "K/N" parsed, and a key mapped to its shard.  It decides nothing
 * about which requests run; the scheduler asks it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sha2.h>

#include "shard.h"

/* Digits only, at most nine of them: no sign, space or '+' slips in. */
static int
shard_number(const char *s, size_t len, long *out)
{
	size_t i;
	long v = 0;

	if (len == 0 || len > 9)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
shard_parse(const char *arg, long *k, long *n, const char **errstr)
{
	const char *slash = strchr(arg, '/');

	*errstr = NULL;
	if (slash == NULL ||
	    shard_number(arg, (size_t)(slash - arg), k) == -1 ||
	    shard_number(slash + 1, strlen(slash + 1), n) == -1) {
		*errstr = "want K/N";
		return -1;
	}
	if (*n < 1 || *n > SHARD_MAX) {
		*errstr = "N must be from 1 to 1000000";
		return -1;
	}
	if (*k < 1 || *k > *n) {
		*errstr = "K must be from 1 to N";
		return -1;
	}
	return 0;
}

long
shard_of(const unsigned char key[CACHE_KEY_LEN], long n)
{
	uint64_t v = 0;
	int i;

	/* The first 64 bits, big-endian: the bias of the modulo is nil. */
	for (i = 0; i < 8; i++)
		v = v << 8 | key[i];
	return (long)(v % (uint64_t)n) + 1;
}

void
shard_text_key(const char *text, size_t len, unsigned char key[CACHE_KEY_LEN])
{
	SHA2_CTX ctx;

	SHA256Init(&ctx);
	SHA256Update(&ctx, (const unsigned char *)text, len);
	SHA256Final(key, &ctx);
}
