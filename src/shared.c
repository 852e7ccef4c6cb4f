/*
 * The shared tier on Redis: what to send and what a reply means.  A
 * lookup is a GET of the entry, pipelined with every other lookup; a miss
 * then asks for its once-lock (SET NX PX), which says fetch (we hold the
 * lock) or wait (another gather fetches it).  Waiters ask again every
 * SHARED_POLL_MS rather than subscribe to keyspace notifications: polling
 * needs no server configuration (notify-keyspace-events is off by
 * default, and managed Redis often forbids CONFIG SET), survives a holder
 * that dies (its lock expires and the next poll takes it), and the GETs
 * of all waiters ride the same pipeline.  It decides no freshness of its
 * own: serve.c does, as for the local store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve.h"
#include "shared.h"
#include "xalloc.h"

struct shared {
	const struct config	*cfg;
	struct redis		*r;
	char			*lock_key;	/* the fleet run lock, or NULL */
	char			*warn;		/* a warning to give, or NULL */
	int			 lock_said;
	int			 closing;
	char			 token[33];	/* this run's, for once-locks */
};

/* One lookup in flight, until its last reply decides. */
struct ask {
	struct shared	*sh;
	struct request	*req;
	shared_fn	 fn;
	void		*arg;
	int		 lock;		/* a miss asks for the once-lock */
	struct entry	*e;		/* a fresh entry from Redis */
	int		 got_lock, lock_held;
	int64_t		 now;
};

/*
 * GCRA in one step: the theoretical arrival time (µs) moves one interval
 * on from the later of itself and now, and the caller waits until the
 * old one.  Redis's own clock, so the fleet agrees.
 */
static const char rate_lua[] =
    "local t = redis.call('TIME') "
    "local now = tonumber(t[1]) * 1000000 + tonumber(t[2]) "
    "local iv = tonumber(ARGV[1]) "
    "local tat = tonumber(redis.call('GET', KEYS[1]) or '0') "
    "if tat < now then tat = now end "
    "redis.call('SET', KEYS[1], string.format('%d', tat + iv), 'PX', "
    "math.floor((tat + iv - now) / 1000) + 1000) "
    "return tat - now";

static double
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

char *
shared_lock_key(const struct config *cfg)
{
	return xasprintf("%slock:%s", cfg->redis_prefix, cfg->lock + 6);
}

/* The key of an entry, "PREFIX" and 64 hex digits, and of its lock. */
static char *
entry_key(const struct shared *sh, const unsigned char *key, int lock)
{
	static const char digits[] = "0123456789abcdef";
	size_t i, n = strlen(sh->cfg->redis_prefix);
	char *k;

	/* Not snprintf: a run makes one or two of these per request. */
	k = xmalloc(n + 2 * CACHE_KEY_LEN + sizeof(":lock"));
	memcpy(k, sh->cfg->redis_prefix, n);
	for (i = 0; i < CACHE_KEY_LEN; i++) {
		k[n + 2 * i] = digits[key[i] >> 4];
		k[n + 2 * i + 1] = digits[key[i] & 15];
	}
	strlcpy(k + n + 2 * CACHE_KEY_LEN, lock ? ":lock" : "",
	    sizeof(":lock"));
	return k;
}

struct shared *
shared_new(const struct config *cfg, const struct redis_addr *a)
{
	struct shared *sh;

	sh = xcalloc(1, sizeof(*sh));
	sh->cfg = cfg;
	sh->r = redis_new(a, cfg->redis_timeout_ms);
	redis_token(sh->token);
	if (cfg->lock_token != NULL)
		sh->lock_key = shared_lock_key(cfg);
	return sh;
}

void
shared_free(struct shared *sh)
{
	if (sh == NULL)
		return;
	sh->closing = 1;
	redis_free(sh->r);
	free(sh->lock_key);
	free(sh->warn);
	free(sh);
}

int
shared_up(const struct shared *sh)
{
	return sh != NULL && redis_up(sh->r);
}

struct redis *
shared_redis(struct shared *sh)
{
	return sh->r;
}

static void
on_ignore(void *arg, const redisReply *rep)
{
	(void)arg;
	(void)rep;
}

/* Releases the once-lock of key if it is still ours. */
static void
release(struct shared *sh, const unsigned char *key)
{
	const char *argv[2];
	size_t lens[2];
	char *k;

	k = entry_key(sh, key, 1);
	argv[0] = k;
	argv[1] = sh->token;
	lens[0] = strlen(k);
	lens[1] = strlen(argv[1]);
	redis_script(
	    sh->r, redis_release_lua, on_ignore, NULL, 1, 2, argv, lens);
	free(k);
}

/* The last reply of an ask is in: say what it means. */
static void
ask_decide(struct ask *a)
{
	struct request *req = a->req;

	if (a->e != NULL) {
		if (a->got_lock)
			release(a->sh, req->key);
		if (req->entry != NULL) {
			entry_clear(req->entry);
			free(req->entry);
		}
		req->entry = a->e;
		req->tier = SHARED_HIT;
	} else if (a->got_lock) {
		req->tier_lock = 1;
		req->tier = SHARED_DONE;
	} else if (a->lock_held && mono_ms() < req->tier_until &&
	    shared_up(a->sh))
		req->tier = SHARED_WAIT;
	else
		req->tier = SHARED_DONE;
	a->fn(a->arg, req);
	free(a);
}

static void
on_lock(void *arg, const redisReply *rep)
{
	struct ask *a = arg;

	if (rep != NULL && rep->type == REDIS_REPLY_STATUS)
		a->got_lock = 1;
	else if (rep != NULL && rep->type == REDIS_REPLY_NIL)
		a->lock_held = 1;
	ask_decide(a);
}

/* A miss: SET key:lock NX PX, so that one gather of the fleet fetches. */
static int
ask_lock(struct ask *a)
{
	const char *argv[6];
	size_t lens[6];
	char *lk, px[24];
	int i, rc;

	lk = entry_key(a->sh, a->req->key, 1);
	snprintf(px, sizeof(px), "%lld", (long long)a->sh->cfg->timeout_ms);
	argv[0] = "SET";
	argv[1] = lk;
	argv[2] = a->sh->token;
	argv[3] = "NX";
	argv[4] = "PX";
	argv[5] = px;
	for (i = 0; i < 6; i++)
		lens[i] = strlen(argv[i]);
	rc = redis_cmd(a->sh->r, on_lock, a, 6, argv, lens);
	free(lk);
	return rc;
}

/*
 * The entry's reply.  A hit costs one round trip; only a miss asks for
 * the once-lock, in a second one, which the network fetch it saves dwarfs.
 */
static void
on_get(void *arg, const redisReply *rep)
{
	struct ask *a = arg;
	struct entry *e;
	const char *why;

	if (rep != NULL && rep->type == REDIS_REPLY_STRING) {
		e = xcalloc(1, sizeof(*e));
		if (entry_decode(rep->str, rep->len, a->req->key, e, &why) ==
			0 &&
		    serve_entry_fresh(a->sh->cfg, a->req, e, a->now))
			a->e = e;
		else {
			entry_clear(e);
			free(e);
		}
	}
	if (a->e != NULL || !a->lock || rep == NULL || ask_lock(a) == -1)
		ask_decide(a);
}

int
shared_ask(struct shared *sh, struct request *req, int lock, int64_t now,
    shared_fn fn, void *arg)
{
	const char *argv[2];
	size_t lens[2];
	struct ask *a;
	char *k;
	int rc;

	if (!shared_up(sh))
		return -1;
	a = xcalloc(1, sizeof(*a));
	a->sh = sh;
	a->req = req;
	a->fn = fn;
	a->arg = arg;
	a->now = now;
	a->lock = lock;
	k = entry_key(sh, req->key, 0);
	argv[0] = "GET";
	argv[1] = k;
	lens[0] = 3;
	lens[1] = strlen(k);
	if ((rc = redis_cmd(sh->r, on_get, a, 2, argv, lens)) == -1)
		free(a);
	free(k);
	return rc;
}

/* How long Redis keeps e: as long as it may still be served. */
static int64_t
entry_px(const struct config *cfg, const struct request *req,
    const struct entry *e, int64_t now)
{
	int64_t px, ttl = request_ttl(req, cfg);

	if (request_ttl_auto(req, cfg))
		px = e->expires_at - now;
	else
		px = ttl > 0 ? ttl : 0;
	if (px > 0 && cfg->stale_if_error_ms > 0)
		px += cfg->stale_if_error_ms;
	return px > 0 ? px : cfg->redis_ttl_ms;
}

void
shared_put(struct shared *sh, struct request *req, int stored, int64_t now)
{
	const char *argv[5];
	size_t lens[5];
	struct buf b;
	char *k, px[24];

	if (!shared_up(sh))
		return;
	if (stored && req->entry != NULL) {
		buf_init(&b);
		entry_encode(req->entry, &b);
		k = entry_key(sh, req->key, 0);
		snprintf(px, sizeof(px), "%lld",
		    (long long)entry_px(sh->cfg, req, req->entry, now));
		argv[0] = "SET";
		argv[1] = k;
		argv[2] = b.data;
		argv[3] = "PX";
		argv[4] = px;
		lens[0] = 3;
		lens[1] = strlen(k);
		lens[2] = b.len;
		lens[3] = 2;
		lens[4] = strlen(px);
		redis_cmd(sh->r, on_ignore, NULL, 5, argv, lens);
		free(k);
		buf_free(&b);
	}
	if (req->tier_lock)
		release(sh, req->key);
	req->tier_lock = 0;
}

/* A slot of the fleet's rate: wait until Redis's answer says. */
struct slot {
	struct request *req;
	shared_fn fn;
	void *arg;
};

static void
on_rate(void *arg, const redisReply *rep)
{
	struct slot *sl = arg;

	sl->req->rate_due = 0;
	if (rep != NULL && rep->type == REDIS_REPLY_INTEGER)
		sl->req->rate_due = mono_ms() + (double)rep->integer / 1000.0;
	sl->fn(sl->arg, sl->req);
	free(sl);
}

int
shared_rate(
    struct shared *sh, struct request *req, double now, shared_fn fn, void *arg)
{
	const struct config *cfg = sh->cfg;
	const char *argv[2];
	size_t lens[2];
	char *k, iv[32];
	struct slot *sl;
	int rc;

	(void)now;
	if (!shared_up(sh))
		return -1;
	sl = xcalloc(1, sizeof(*sl));
	sl->req = req;
	sl->fn = fn;
	sl->arg = arg;
	k = xasprintf("%srate:%s", cfg->redis_prefix, cfg->shared_rate);
	snprintf(iv, sizeof(iv), "%lld",
	    (long long)(cfg->rate_per_ms * 1000 / cfg->rate_n));
	argv[0] = k;
	argv[1] = iv;
	lens[0] = strlen(k);
	lens[1] = strlen(iv);
	if ((rc = redis_script(
		 sh->r, rate_lua, on_rate, sl, 1, 2, argv, lens)) == -1)
		free(sl);
	free(k);
	return rc;
}

static void
on_renew(void *arg, const redisReply *rep)
{
	struct shared *sh = arg;

	if (sh->closing || sh->lock_said)
		return;
	/* Redis went down: its own warning says what becomes of the lock. */
	if (rep == NULL)
		return;
	if (rep->type == REDIS_REPLY_INTEGER && rep->integer == 0) {
		sh->lock_said = 1;
		sh->warn = xasprintf("--lock %s: the fleet lock was lost "
				     "(it lapsed); the run goes on",
		    sh->cfg->lock);
	}
}

void
shared_renew(struct shared *sh)
{
	const char *argv[3];
	size_t lens[3];
	char ttl[24];
	int i;

	if (sh->lock_key == NULL || sh->lock_said)
		return;
	snprintf(ttl, sizeof(ttl), "%lld", (long long)sh->cfg->lock_ttl_ms);
	argv[0] = sh->lock_key;
	argv[1] = sh->cfg->lock_token;
	argv[2] = ttl;
	for (i = 0; i < 3; i++)
		lens[i] = strlen(argv[i]);
	if (redis_script(
		sh->r, redis_renew_lua, on_renew, sh, 1, 3, argv, lens) == -1)
		on_renew(sh, NULL);
}

char *
shared_warning(struct shared *sh)
{
	char *w, *n;

	if (sh == NULL)
		return NULL;
	if ((w = redis_warning(sh->r)) != NULL) {
		if (sh->lock_key != NULL && !sh->lock_said) {
			sh->lock_said = 1;
			n = xasprintf("%s; --lock %s is no longer renewed and "
				      "lapses within --lock-ttl",
			    w, sh->cfg->lock);
			free(w);
			w = n;
		}
		return w;
	}
	w = sh->warn;
	sh->warn = NULL;
	return w;
}
