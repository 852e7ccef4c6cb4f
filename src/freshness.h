/*
 * Freshness as RFC 9111 defines it for a private cache: parsers of the
 * response headers that bear on it (Cache-Control, Expires, Date, Age,
 * Vary) and the expiry they give a response.  The headers are the
 * server's, so nothing here trusts them; nothing here allocates, keeps
 * state, or knows about entries, requests or the disk.
 */
#ifndef GATHER_FRESHNESS_H
#define GATHER_FRESHNESS_H

#include <stdint.h>

#include "result.h"

/* The largest delta-seconds kept: 2^31, as RFC 9111 section 1.2.2 asks. */
#define FRESHNESS_DELTA_MAX	((int64_t)1 << 31)

/* What a Cache-Control value says to a private cache. */
struct cache_control {
	int	 no_store;
	int	 no_cache;	/* with or without a list of fields */
	int	 max_age_given;	/* the first max-age decides */
	int	 max_age_bad;	/* it is not delta-seconds: stale */
	int64_t	 max_age;	/* seconds, at most FRESHNESS_DELTA_MAX */
};

/*
 * Reads the Cache-Control value v (NULL: none) into cc: directives are
 * comma-separated, names case-insensitive, arguments a token or a quoted
 * string (which may hold commas).  s-maxage, which is for shared caches,
 * and directives it does not know are skipped.
 */
void	freshness_cc(const char *, struct cache_control *);

/*
 * Parses the n bytes at p as delta-seconds (1*DIGIT), saturating at
 * FRESHNESS_DELTA_MAX.  Returns 0, or -1 when they are not.
 */
int	freshness_delta(const char *, size_t, int64_t *);

/*
 * Parses an HTTP-date (any of the three forms) into seconds since the
 * epoch with libcurl's parser.  Returns 0, or -1 when v is NULL or no date.
 */
int	freshness_date(const char *, int64_t *);

/*
 * Parses an Age value: its first member, as delta-seconds.  Returns 0, or
 * -1 when v is NULL or invalid (the header is then ignored).
 */
int	freshness_age(const char *, int64_t *);

/* 1 when the Vary value v (NULL: none) holds the member "*". */
int	freshness_vary_star(const char *);

/*
 * When a response received at now (ms since the epoch) with headers h
 * stops being fresh, in ms since the epoch, never before now: its
 * freshness lifetime (no-cache or an invalid max-age: 0; else max-age;
 * else Expires minus Date, an invalid Expires being 0; else dflt_ms) less
 * its age when received (the larger of now minus Date and Age, in whole
 * seconds, as the headers count).  Only h's cache_control, expires, date
 * and age are read.
 */
int64_t	freshness_expires_at(const struct result_headers *, int64_t, int64_t);

#endif
