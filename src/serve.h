/*
 * What the cache means for one request: whether a stored entry answers it
 * (fresh, offline, stale after a failure), what a revalidation or a new
 * response stores, and the result an entry makes.  The scheduler asks; the
 * store (store.h) keeps the entries.  It reads a response only through its result, never
 * the transfer.  The request owns its entry (req->entry); these functions
 * change it only where they take the request non-const.
 */
#ifndef GATHER_SERVE_H
#define GATHER_SERVE_H

#include <stdint.h>

#include "store.h"
#include "config.h"
#include "request.h"
#include "result.h"

enum serve_decision {
	SERVE_FETCH,		/* go to the network (req->entry may be set) */
	SERVE_HIT,		/* req->entry answers it */
	SERVE_OFFLINE_MISS	/* --offline and nothing stored */
};

/* Wall-clock ms since the epoch. */
int64_t	serve_now(void);

/*
 * Looks req up in c (which may be NULL: no cache) and decides.  A found
 * entry is kept in req->entry for revalidation and --stale-if-error.
 */
enum serve_decision serve_lookup(struct store *, const struct config *,
	    struct request *, int64_t);

/* 1 when an entry stored at stored_at is fresh at now under ttl_ms. */
int	serve_fresh(int64_t, int64_t, int64_t);

/*
 * 1 when entry e is fresh at now for req: under --ttl DUR (the request's
 * or the run's), when stored less than DUR ago; under --ttl auto, until
 * the expiry it was stored with.
 */
int	serve_entry_fresh(const struct config *, const struct request *,
	    const struct entry *, int64_t);

/*
 * 1 when req's entry, expired, may still answer at now a fetch that failed
 * as r says: a 5xx or no answer, not a 4xx.
 */
int	serve_stale_ok(const struct config *, const struct request *,
	    const struct result *, int64_t);

/*
 * 1 when a response of status with Cache-Control cc and Vary vary (either
 * may be NULL) may be stored: a 2xx, without no-store or Vary: *.
 */
int	serve_storable(long, const char *, const char *);

/*
 * Makes r answer from req->entry in state st.  r lends req->entry's
 * memory.
 */
void	serve_result(struct request *, enum cache_state, struct result *);

/*
 * Appends the response headers an entry keeps (content-type, etag,
 * last-modified, cache-control, vary, link) as a JSON object, for
 * --headers.
 */
void	serve_headers_json(const struct entry *, struct buf *);

/*
 * A new entry for the response r, received at now for req: it owns copies
 * of everything it holds (the URL without its password) and expires as
 * --ttl says.  The caller frees it with entry_clear and free.
 */
struct entry *serve_entry_new(const struct config *, const struct request *,
	    const struct result *, int64_t);

/*
 * Stores the response r (which says how the fetch ended) for req, when it
 * may be stored; req then owns the new entry in place of any it had.
 * Returns as store_put: 0, or -1 or -2 with an allocated message in *warn.
 */
int	serve_store(struct store *, const struct config *, struct request *,
	    const struct result *, int64_t, char **);

/*
 * r is a 304: req's entry is fresh again.  Takes the validators and
 * Cache-Control r carries into it, gives it a new time and expiry,
 * rewrites it (unless c is NULL: not writing) and makes r answer from it.
 * Returns as serve_store.
 */
int	serve_revalidated(struct store *, const struct config *,
	    struct request *, int64_t, struct result *, char **);

#endif
