/*
 * The cache verbs as engine functions: stats, list, prune, purge, rm.  They
 * go through the store's interface (store.h) and print nothing; cmd/ shows
 * what they return.
 */
#ifndef GATHER_CACHECTL_H
#define GATHER_CACHECTL_H

#include <stdint.h>

#include "store.h"

struct cachectl_stats {
	uint64_t	entries;	/* entries */
	uint64_t	bytes;		/* their sizes */
	uint64_t	expired;	/* entries past their expires_at */
	uint64_t	file_bytes;	/* the store on disk */
	uint64_t	removed;	/* entries removed (prune, purge, rm) */
	uint64_t	freed;		/* their bytes */
};

/* Returns 0, or -1 with an allocated message in *err (as every verb). */
int	cachectl_stats(struct store *, int64_t, struct cachectl_stats *,
	    char **);

/*
 * Calls fn for every valid entry, oldest first (meta only; body_len is
 * set), and counts in *invalid the damaged ones.
 */
int	cachectl_list(struct store *, void (*)(void *, const struct entry *),
	    void *, uint64_t *, char **);

/*
 * Removes damaged entries, with expired set every expired entry, and with
 * max_size >= 0 the oldest entries until the rest count max_size bytes at
 * most; then gives the space back to the file system.
 */
int	cachectl_prune(struct store *, int, int64_t, int64_t,
	    struct cachectl_stats *, char **);

/* Removes every entry. */
int	cachectl_purge(struct store *, struct cachectl_stats *, char **);

/* Removes every entry stored for the normalised URL url, any method. */
int	cachectl_rm(struct store *, const char *, struct cachectl_stats *,
	    char **);

#endif
