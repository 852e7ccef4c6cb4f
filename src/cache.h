/*
 * The disk cache: one file per key under a two-level fan-out
 * (DIR/ab/abcdef...), written to a temp file and renamed into place, read
 * without following links and without trusting a byte.  It decides nothing
 * about freshness: the scheduler does, from what an entry holds.
 */
#ifndef GATHER_CACHE_H
#define GATHER_CACHE_H

#include <sys/types.h>

#include <stdint.h>

#include "entry.h"

struct cache;

/*
 * Opens (creating it 0700 when missing) the cache folder dir.  A folder
 * that is not ours, is group- or world-writable, or is not writable gives
 * NULL and an allocated reason in *warn.
 */
struct cache	*cache_open(const char *, char **);
void		 cache_close(struct cache *);
const char	*cache_dir(const struct cache *);

/*
 * Reads the entry of key into e.  Returns 1 when found, 0 on a miss.  A
 * corrupt or foreign file is a miss and is removed, and so is anything at
 * the entry's path that is no regular file (a FIFO is not waited on, a
 * folder is removed with what it holds).
 */
int		 cache_get(struct cache *, const unsigned char *, struct entry *);

/*
 * Stores e under its key, over whatever is at its path.  Returns 0; -1
 * with an allocated message in *warn (the caller decides whether to stop
 * writing); or -2 with a message when the process is short of file
 * descriptors, which may pass: this entry is lost, later ones need not be.
 * Nothing is left open or half written on any failure.
 */
int		 cache_put(struct cache *, const struct entry *, char **);

/* One file of the cache, as the walk sees it.  Lent for the call. */
struct cache_item {
	const char	*name;		/* "ab/abcdef...", relative to dir */
	off_t		 size;
	int64_t		 mtime_ms;
	int		 temp;		/* a temp file left by some run */
	int		 valid;		/* meta decoded into entry */
	struct entry	*entry;		/* meta only: no body */
};

/*
 * Calls fn for every file under the cache folder; fn returns 0 to go on.
 * Returns 0, or -1 when the folder cannot be read.
 */
int		 cache_walk(struct cache *, int (*)(void *, struct cache_item *),
		    void *);

/* Removes one file named as by the walk.  Returns 0 or -1. */
int		 cache_remove(struct cache *, const char *);

#endif
