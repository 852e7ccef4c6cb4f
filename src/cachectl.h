/*
 * The cache verbs as engine functions: stats, list, prune, purge, rm.  They
 * walk the cache folder through cache.c and print nothing; cmd/ shows what
 * they return.
 */
#ifndef GATHER_CACHECTL_H
#define GATHER_CACHECTL_H

#include <stdint.h>

#include "cache.h"

struct cachectl_stats {
	uint64_t	entries;	/* valid entries */
	uint64_t	bytes;		/* every file's size, temp files too */
	uint64_t	expired;	/* entries past their expires_at */
	uint64_t	removed;	/* files removed (prune, purge, rm) */
	uint64_t	freed;		/* their bytes */
};

int	cachectl_stats(struct cache *, int64_t, struct cachectl_stats *);

/*
 * Calls fn for every valid entry (meta only; body_len is set) and counts
 * in *invalid the files that are neither entries nor temp files.
 */
int	cachectl_list(struct cache *, void (*)(void *, const struct entry *),
	    void *, uint64_t *);

/*
 * Removes temp files left by killed runs (older than a minute), files that
 * are not valid entries, with expired set every expired entry, and with
 * max_size >= 0 the oldest entries until the rest fit in max_size bytes.
 */
int	cachectl_prune(struct cache *, int, int64_t, int64_t,
	    struct cachectl_stats *);

/* Removes every file of the cache. */
int	cachectl_purge(struct cache *, struct cachectl_stats *);

/* Removes every entry stored for the normalised URL url, any method. */
int	cachectl_rm(struct cache *, const char *, struct cachectl_stats *);

#endif
