/*
 * The cache store: where entries live between runs.  One small interface,
 * a struct of operations per backend (as tmux's cmd_entry or redis's
 * aeApiState), so that callers -- serve.c, the scheduler, the cache verbs
 * -- never know which backend answered.  Today the one backend is SQLite
 * (store_sqlite.c, DIR/cache.db); a shared tier can implement the same
 * operations.  The store decides nothing about freshness: serve.c does,
 * from what an entry holds.
 */
#ifndef GATHER_STORE_H
#define GATHER_STORE_H

#include <stdint.h>

#include "entry.h"

/* One entry as a walk sees it: its meta (no body, body_len set). */
struct store_item {
	const struct entry	*entry;
	uint64_t		 size;	/* the bytes it counts for */
	int			 valid;	/* its fields pass entry_validate */
};

/* What a walk callback asks for. */
enum store_walk_do {
	STORE_NEXT,		/* go on */
	STORE_REMOVE,		/* remove this entry, then go on */
	STORE_STOP		/* stop the walk */
};

typedef enum store_walk_do (*store_walk_fn)(void *,
	    const struct store_item *);

/* Which entries a walk visits; always oldest first (by stored time). */
struct store_filter {
	const char	*url;		/* only this URL's entries, or NULL */
	int64_t		 expired_at;	/* only those expired by then; -1: all */
};

struct store_stats {
	uint64_t	entries;
	uint64_t	bytes;		/* the entries' sizes */
	uint64_t	expired;	/* entries past their expires_at */
	uint64_t	file_bytes;	/* what the store takes on disk */
};

/*
 * A backend.  Every operation gets the backend's own state first.  Those
 * that can fail return 0 (or 1 for a found entry) or -1 with an allocated
 * message in the last argument; put and flush may also return -2: this
 * entry is lost for want of a passing resource, later ones need not be.
 */
struct store_ops {
	const char	*name;
	int		(*lookup)(void *, const unsigned char *, struct entry *);
	int		(*put)(void *, const struct entry *, char **);
	int		(*remove)(void *, const unsigned char *, char **);
	int		(*walk)(void *, const struct store_filter *,
			    store_walk_fn, void *, uint64_t *, char **);
	int		(*stats)(void *, int64_t, struct store_stats *, char **);
	void		(*begin)(void *);
	int		(*flush)(void *, int, char **);
	int		(*compact)(void *, char **);
	char		*(*warning)(void *);
	void		(*close)(void *);
};

struct store;

/*
 * Opens the store of the cache folder dir (made 0700 when missing).  A
 * folder or database that cannot be used gives NULL and an allocated
 * reason in *warn; a usable store may still carry a note in *warn (a
 * database moved aside, an old layout imported), which the caller shows.
 */
struct store	*store_open(const char *, char **);

/* Flushes what is pending (errors are lost: flush first to see them). */
void		 store_close(struct store *);
const char	*store_dir(const struct store *);

/*
 * Reads the entry of key into e, which then owns copies of all it holds.
 * Returns 1 when found and whole, 0 on a miss.  A damaged entry is a miss
 * and is removed; a damaged database is moved aside (store_warning says).
 */
int		 store_lookup(struct store *, const unsigned char *,
		    struct entry *);

/*
 * Stores a copy of e under its key, over what was there: at once, or in
 * the open batch (store_begin).  Returns as struct store_ops says.
 */
int		 store_put(struct store *, const struct entry *, char **);

/* Removes the entry of key, if any.  Returns 0 or -1. */
int		 store_remove(struct store *, const unsigned char *, char **);

/*
 * Calls fn for every entry the filter lets through, oldest first; fn may
 * ask for the entry to be removed (in batches) or for the walk to stop.
 * The sizes of removed entries are added to *freed.  Returns 0 or -1.
 */
int		 store_walk(struct store *, const struct store_filter *,
		    store_walk_fn, void *, uint64_t *, char **);

/* Counts the entries, their bytes and those expired at now. */
int		 store_stats(struct store *, int64_t, struct store_stats *,
		    char **);

/*
 * Opens a batch: puts and removes are then written together, at most
 * once per 50 ms or 1,000 entries, and at store_flush.
 */
void		 store_begin(struct store *);

/*
 * Writes the batch: always with force, else only when it is due.
 * Returns as put.
 */
int		 store_flush(struct store *, int, char **);

/* Gives the space of removed entries back to the file system. */
int		 store_compact(struct store *, char **);

/*
 * A warning the store has for its caller (an allocated string the caller
 * frees), or NULL: what went wrong where no message could be returned.
 */
char		*store_warning(struct store *);

/* The SQLite backend, for store.c. */
void		*store_sqlite_open(int, const char *, char **, char **);
extern const struct store_ops store_sqlite_ops;

/*
 * The hook for an allocation-failure build: routes SQLite's allocations
 * through the given malloc, realloc and free (which may fail and return
 * NULL).  Call it before the first store_open; returns 0 or -1.
 */
int		 store_sqlite_init_alloc(void *(*)(size_t),
		    void *(*)(void *, size_t), void (*)(void *));

#endif
