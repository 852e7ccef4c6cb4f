/*
 * --shard K/N: the values accepted and refused, and how keys fall into
 * shards: by their first eight bytes, big-endian, on every machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cachekey.h"
#include "shard.h"
#include "url.h"
#include "unit.h"

static const struct {
	const char	*in;
	int		 rc;
	long		 k, n;
	const char	*err;
} specs[] = {
	{ "1/4", 0, 1, 4, NULL },
	{ "4/4", 0, 4, 4, NULL },
	{ "1/1", 0, 1, 1, NULL },
	{ "7/1000000", 0, 7, 1000000, NULL },
	{ "0/4", -1, 0, 0, "K must be from 1 to N" },
	{ "5/4", -1, 0, 0, "K must be from 1 to N" },
	{ "1/0", -1, 0, 0, "N must be from 1 to 1000000" },
	{ "1/1000001", -1, 0, 0, "N must be from 1 to 1000000" },
	{ "x", -1, 0, 0, "want K/N" },
	{ "", -1, 0, 0, "want K/N" },
	{ "1", -1, 0, 0, "want K/N" },
	{ "/4", -1, 0, 0, "want K/N" },
	{ "1/", -1, 0, 0, "want K/N" },
	{ "-1/4", -1, 0, 0, "want K/N" },
	{ "+1/4", -1, 0, 0, "want K/N" },
	{ " 1/4", -1, 0, 0, "want K/N" },
	{ "1/4 ", -1, 0, 0, "want K/N" },
	{ "1/4/2", -1, 0, 0, "want K/N" },
	{ "1.5/4", -1, 0, 0, "want K/N" },
	{ "9999999999/4", -1, 0, 0, "want K/N" },
};

/* Keys whose first eight bytes are v, big-endian; the rest is noise. */
static const struct {
	unsigned long long v;
	long		 n, want;
} keys[] = {
	{ 0, 4, 1 },
	{ 5, 4, 2 },
	{ 3, 4, 4 },
	{ 0x0100000000000000ULL, 3, 2 },	/* 2^56 mod 3 = 1 */
	{ 0xffffffffffffffffULL, 10, 6 },	/* mod 10 = 5 */
	{ 123456789, 1, 1 },
};

static void
check_parse(void)
{
	const char *err;
	long k, n;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		k = n = -1;
		rc = shard_parse(specs[i].in, &k, &n, &err);
		CHECK(rc == specs[i].rc && (rc != 0 || (k == specs[i].k &&
		    n == specs[i].n && err == NULL)) && (rc == 0 ||
		    strcmp(err, specs[i].err) == 0),
		    "shard '%s' -> rc %d, %ld/%ld, %s", specs[i].in, rc, k, n,
		    rc == 0 ? "-" : err);
	}
}

static void
check_keys(void)
{
	unsigned char key[CACHE_KEY_LEN];
	size_t i;
	int b;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		memset(key, 0xa5, sizeof(key));
		for (b = 0; b < 8; b++)
			key[b] = (unsigned char)(keys[i].v >> (56 - 8 * b));
		CHECK(shard_of(key, keys[i].n) == keys[i].want,
		    "key %#llx of %ld shards -> %ld", keys[i].v, keys[i].n,
		    shard_of(key, keys[i].n));
	}
}

/*
 * Real keys: every one in exactly one shard of 4, the shards evenly
 * filled, and the same request in the same shard whichever way its URL
 * is spelled.
 */
static void
check_spread(void)
{
	unsigned char key[CACHE_KEY_LEN], again[CACHE_KEY_LEN];
	long count[5] = { 0 }, s;
	char url[64], *norm;
	int i, bad = 0, moved = 0;

	for (i = 0; i < 4000; i++) {
		snprintf(url, sizeof(url), "http://a.test/item/%d", i);
		norm = url_normalize(url, 0);
		cachekey("GET", norm, NULL, 0, NULL, 0, NULL, key);
		free(norm);
		s = shard_of(key, 4);
		if (s < 1 || s > 4)
			bad++;
		else
			count[s]++;
		snprintf(url, sizeof(url), "HTTP://A.TEST:80/item/%d#x", i);
		norm = url_normalize(url, 0);
		cachekey("GET", norm, NULL, 0, NULL, 0, NULL, again);
		free(norm);
		if (shard_of(again, 4) != s)
			moved++;
	}
	CHECK(bad == 0, "every key falls in a shard from 1 to 4 (%d not)",
	    bad);
	CHECK(moved == 0, "the same request falls in the same shard (%d moved)",
	    moved);
	for (s = 1; s <= 4; s++)
		CHECK(count[s] > 850 && count[s] < 1150,
		    "shard %ld of 4 holds about a quarter: %ld of 4000", s,
		    count[s]);
}

/* A bad input's key is the SHA-256 of its text. */
static void
check_text_key(void)
{
	static const unsigned char abc[8] = { 0xba, 0x78, 0x16, 0xbf, 0x8f,
	    0x01, 0xcf, 0xea };	/* SHA-256("abc"), FIPS 180-2 */
	unsigned char key[CACHE_KEY_LEN];

	shard_text_key("abc", 3, key);
	CHECK(memcmp(key, abc, sizeof(abc)) == 0,
	    "the text key is SHA-256 of the text");
}

int
main(void)
{
	check_parse();
	check_keys();
	check_spread();
	check_text_key();
	return unit_done();
}
