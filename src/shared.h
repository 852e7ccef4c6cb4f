/*
 * The shared tier: what gathers on the same Redis share.  Entries (the
 * same bytes the local store keeps, entry.c's codec) under the prefix and
 * the hex of their cache key, with an expiry; a once-lock per key, so that
 * one gather of the fleet fetches what the others wait for; the GCRA of
 * --shared-rate; the renewal of the fleet run lock.  Every answer comes
 * later, through a callback, from the scheduler's loop (redis.h); when
 * Redis is down, every question is answered at once as a miss.
 */
#ifndef GATHER_SHARED_H
#define GATHER_SHARED_H

#include <stdint.h>

#include "config.h"
#include "redis.h"
#include "request.h"

/* Where a request stands with the shared tier (request.tier). */
enum shared_state {
	SHARED_NEW,		/* not asked */
	SHARED_ASKED,		/* a question is out */
	SHARED_WAIT,		/* another gather fetches it: ask again */
	SHARED_HIT,		/* req->entry came from Redis */
	SHARED_DONE		/* go to the network */
};

/* The answer to a question: req->tier says which, rate_due for a slot. */
typedef void (*shared_fn)(void *, struct request *);

struct shared;

/*
 * Connects to cfg->redis (parsed into a) for a run; never NULL (a Redis
 * that cannot be reached is down, as shared_warning says).
 */
struct shared	*shared_new(const struct config *, const struct redis_addr *);

/* Ends it: pending questions are answered as misses first. */
void		 shared_free(struct shared *);
int		 shared_up(const struct shared *);
struct redis	*shared_redis(struct shared *);

/*
 * Asks Redis for req's entry and, with lock, for its once-lock when it is
 * missing (a second round trip, for misses only).  fn gets req with tier SHARED_HIT (req->entry replaced by a
 * fresh entry from Redis), SHARED_WAIT (another gather holds the lock;
 * ask again after SHARED_POLL_MS) or SHARED_DONE.  Returns 0, or -1 when
 * Redis is down (fn is not called; req goes to the network).
 */
int		 shared_ask(struct shared *, struct request *, int, int64_t,
		    shared_fn, void *);

#define SHARED_POLL_MS	50

/*
 * Stores req->entry in Redis (when set and stored), then releases req's
 * once-lock if it holds it.  now is wall-clock ms.
 */
void		 shared_put(struct shared *, struct request *, int, int64_t);

/*
 * Asks the fleet's rate for a start slot for req: fn gets req with
 * rate_due set to the monotonic ms it may start at, or 0 when Redis did
 * not answer (the local rate applies).  Returns 0, or -1 when down.
 */
int		 shared_rate(struct shared *, struct request *, double,
		    shared_fn, void *);

/* Renews the fleet run lock cfg->lock_token holds (PEXPIRE, compared). */
void		 shared_renew(struct shared *);

/* What went wrong, once each (allocated), or NULL. */
char		*shared_warning(struct shared *);

/* The Redis key of --lock redis:NAME (allocated). */
char		*shared_lock_key(const struct config *);

#endif
