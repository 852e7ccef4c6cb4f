/*
 * What the cache means for one request: whether a stored entry answers it
 * (fresh, offline, stale after a failure), what a revalidation or a new
 * response stores, and the result an entry makes.  The scheduler asks; the
 * disk is cache.c's.
 */
#ifndef GATHER_SERVE_H
#define GATHER_SERVE_H

#include <stdint.h>

#include "cache.h"
#include "config.h"
#include "request.h"
#include "result.h"
#include "transfer.h"

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
enum serve_decision serve_lookup(struct cache *, const struct config *,
	    struct request *, int64_t);

/* 1 when an entry stored at stored_at is fresh at now under ttl_ms. */
int	serve_fresh(int64_t, int64_t, int64_t);

/*
 * 1 when req's entry, expired, may still answer at now a fetch that failed
 * as r says: a 5xx or no answer, not a 4xx.
 */
int	serve_stale_ok(const struct config *, const struct request *,
	    const struct result *, int64_t);

/* 1 when a response of status with Cache-Control cc may be stored. */
int	serve_storable(long, const char *);

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
 * Stores the response t holds (r says how it ended) for req, when it may
 * be stored.  Returns as cache_put: 0, or -1 or -2 with an allocated
 * message in *warn.
 */
int	serve_store(struct cache *, const struct config *, struct request *,
	    struct transfer *, const struct result *, int64_t, char **);

/*
 * A 304 came: the stored entry is fresh again.  Rewrites it with the new
 * time (unless c is NULL: not writing) and makes r answer from it.
 * Returns as serve_store.
 */
int	serve_revalidated(struct cache *, const struct config *,
	    struct request *, int64_t, struct result *, char **);

#endif
