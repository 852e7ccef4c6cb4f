/*
 * --shard K/N: which of N shards a request belongs to.  The shard is the
 * request's cache key read as a number, modulo N, so that the same request
 * falls in the same shard on every machine and in every run, whatever else
 * the input holds.  A bad input has no request to key: the hash of its
 * text stands in, so that exactly one shard reports it.
 */
#ifndef GATHER_SHARD_H
#define GATHER_SHARD_H

#include <stddef.h>

#include "entry.h"

/* The most shards a run may be split into. */
#define SHARD_MAX 1000000

/*
 * Parses "K/N" (1 <= K <= N <= SHARD_MAX) into *k and *n.  Returns 0, or
 * -1 with *errstr set to a static phrase: "want K/N", "N must be from 1 to
 * 1000000" or "K must be from 1 to N".
 */
int	shard_parse(const char *, long *, long *, const char **);

/* The shard, from 1 to n, of the cache key key. */
long	shard_of(const unsigned char[CACHE_KEY_LEN], long);

/* The key of a bad input: SHA-256 of its len bytes of text. */
void	shard_text_key(const char *, size_t, unsigned char[CACHE_KEY_LEN]);

#endif
