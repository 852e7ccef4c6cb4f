/*
 * The scheduler: the only file that talks to the curl multi handle.
 *
 * Admission is ours, not libcurl's.  A request starts only when a slot is
 * free (-j), its host has room (--per-host) and is not paused by a
 * Retry-After, the rate allows (--rate), and the output window can take its
 * result; so libcurl never queues and memory is bounded by the concurrency.
 * Requests that must wait sit in a timer tree (retry backoff, host pause),
 * in their host's queue, or in the ready queue; none holds a slot.  The loop
 * sleeps in curl_multi_poll until a socket, the input, or the earliest
 * timer needs it, and never sleeps otherwise.
 *
 * Easy handles are pooled and reused with their options and buffers.  A
 * finished attempt is either scheduled again (retry.c decides) or rendered
 * at once, and its transfer goes back to the pool.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "cachekey.h"
#include "cookies.h"
#include "fixture.h"
#include "host.h"
#include "idem.h"
#include "paginate.h"
#include "ratelimit.h"
#include "render.h"
#include "replay.h"
#include "scheduler.h"
#include "serve.h"
#include "shard.h"
#include "shared.h"
#include "spec.h"
#include "transfer.h"
#include "url.h"
#include "xalloc.h"

/* The longest the loop sleeps without looking at the stop flag. */
#define WAIT_MAX_MS 200

/* How long a request that found no descriptor waits to try again. */
#define STARVED_WAIT_MS 20

/*
 * How long a stopped run still reads its input, in bounded passes, to end
 * each input with a result: all of an ordinary file, but not an input
 * that never ends or a huge one.
 */
#define DRAIN_MS 150

static int
timer_cmp(struct request *a, struct request *b)
{
	if (a->due != b->due)
		return a->due < b->due ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

RB_HEAD(timer_tree, request);
RB_GENERATE_STATIC(timer_tree, request, timer, timer_cmp)

/*
 * Requests are identical when their normalised URLs are, and for spec
 * requests their keys: method, body and headers are otherwise the same for
 * the whole run, so plain lines need no hashing to be compared.
 */
/*
 * 1 when a spec gives req a method, body, headers or credential of its
 * own.
 */
static int
variant(const struct request *req)
{
	return req->method != NULL || req->body != NULL || req->nhdrs > 0 ||
	    req->user != NULL || req->bearer != NULL;
}

static int
flight_cmp(struct request *a, struct request *b)
{
	int c;

	if ((c = strcmp(a->norm_url, b->norm_url)) != 0)
		return c;
	/* A spec that changes the method, body or headers: the key decides. */
	if (variant(a) != variant(b))
		return variant(a) - variant(b);
	return variant(a) ? memcmp(a->key, b->key, CACHE_KEY_LEN) : 0;
}

RB_HEAD(flight_tree, request);
RB_GENERATE_STATIC(flight_tree, request, flight, flight_cmp)

struct sched {
	const struct config	*cfg;
	struct input		*in;
	struct output		*out;
	struct summary		*sum;
	const struct sched_hooks *hooks;

	CURLM			*multi;
	struct curl_slist	*headers;
	struct cookies		*cookies;	/* NULL: no cookie engine */
	SLIST_HEAD(, transfer)	 idle;
	struct transfer		**all;		/* every transfer made */
	size_t			 nall;
	size_t			 inflight;

	struct store		*cache;		/* NULL: off or unusable */
	int			 cache_tried;	/* store_open was called */
	int			 cache_ro;	/* a write failed: only read */
	int			 cache_short;	/* said: short of descriptors */
	struct flight_tree	 flights;	/* leaders, by key */
	struct hosts		*hosts;
	struct request_queue	 fresh;		/* read, not yet started */
	struct request_queue	 ready;		/* waited, may start now */
	struct timer_tree	 timers;	/* may start at their due */
	size_t			 waiting;	/* in timers and host queues */
	struct ratelimit	 rate;
	struct shared		*sh;		/* --redis; NULL: none */
	size_t			 reserved;	/* hold or await a fleet slot */
	struct request_queue	 unrated;	/* no room yet to ask for one */
	double			 renew_at;	/* the fleet lock's next PEXPIRE */
	double			 deadline;	/* monotonic ms; 0: none */

	size_t			 nread;		/* requests taken from input */
	size_t			 skipped;	/* of them, other shards' */
	enum input_status	 input;		/* INPUT_OK while more may come */
	char			*errmsg;	/* set: stop the run */
	int			 failed;	/* --fail-fast: a result failed */
	char			*input_err;	/* set: the input broke off */
	struct buf		 text;		/* scratch for rendering */
	struct buf		 hdrs;		/* scratch for --headers */
	double			 progress_at;	/* last progress report */
	double			 t0;
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static uint32_t
sched_rand(void *arg, uint32_t bound)
{
	(void)arg;
	return arc4random_uniform(bound);
}

static void
sched_log(struct sched *s, const struct request *req, const struct result *r,
    double attempt_ms, int64_t delay)
{
	struct attempt_log log;
	struct buf outcome;

	if (s->hooks == NULL || s->hooks->attempt == NULL)
		return;
	buf_init(&outcome);
	if (r->err == ERR_NONE || r->err == ERR_HTTP)
		buf_printf(&outcome, "%ld", r->status);
	else
		buf_printf(&outcome, "%s: %s", err_kind_name(r->err),
		    r->err_msg);
	log.index = req->index;
	log.method = request_method(req, s->cfg);
	/* As shown: no password.  A later page has its own URL. */
	log.url = req->pager != NULL && pager_shown(req->pager) != NULL ?
	    pager_shown(req->pager) : req->url;
	log.attempt = req->attempts;
	log.outcome = outcome.data;
	log.time_ms = attempt_ms;
	log.delay_ms = delay;
	s->hooks->attempt(s->hooks->arg, &log);
	buf_free(&outcome);
}

static void
sched_warn(struct sched *s, char *msg)
{
	if (msg != NULL && s->hooks != NULL && s->hooks->warn != NULL)
		s->hooks->warn(s->hooks->arg, msg);
	free(msg);
}

/*
 * A cache write failed (rc as store_put's): say so once and stop writing,
 * not fetching.  Short of descriptors (-2), only that entry is lost.
 */
static void
sched_cache_failed(struct sched *s, int rc, char *msg)
{
	char *full;

	if (rc == -2) {
		if (!s->cache_short)
			sched_warn(s, xasprintf("%s; entries are not stored "
			    "while file descriptors are short", msg));
		s->cache_short = 1;
		free(msg);
		return;
	}
	full = xasprintf("%s; the cache is not written for the rest of the "
	    "run", msg != NULL ? msg : "cache write failed");
	free(msg);
	sched_warn(s, full);
	s->cache_ro = 1;
}

/* Counts r as the result of req and writes it. */
static void
sched_emit(struct sched *s, struct request *req, struct result *r)
{
	r->index = req->index;
	r->url = req->url;
	r->name = req->name;
	r->host = req->host_key;
	r->name_dup = req->dup_name;
	summary_add(s->sum, r);
	if (!r->ok && s->cfg->fail_fast)
		s->failed = 1;
	if (!r->ok && s->hooks != NULL && s->hooks->failed != NULL)
		s->hooks->failed(s->hooks->arg, r);
	buf_reset(&s->text);
	if (render_shaped(r, s->cfg, &s->text) == 1)
		sched_warn(s, xasprintf("--select %s: nothing there in the body "
		    "of result %zu; null instead", s->cfg->select, req->index));
	output_result(s->out, req->index, &s->text);
}

/*
 * Counts, renders and writes the final result of req and of every request
 * that shared its fetch, then frees them all.
 */
static void
sched_finish(struct sched *s, struct request *req, struct result *r)
{
	struct request *f;
	char msg[512];

	r->attempts = req->attempts;
	if (r->err == ERR_HTTP && req->attempts > 1) {
		snprintf(msg, sizeof(msg), "%s after %d attempts", r->err_msg,
		    req->attempts);
		r->err_msg = msg;
	}
	if (req->leader)
		RB_REMOVE(flight_tree, &s->flights, req);
	if (req->pager != NULL) {
		pager_result(req->pager, r, now_ms());
		if (r->truncated)
			sched_warn(s, xasprintf("%s: stopped after %ld pages "
			    "(--max-pages); more pages follow", req->url,
			    pager_max(req->pager)));
	}
	sched_emit(s, req, r);
	r->shared = 1;
	while ((f = TAILQ_FIRST(&req->followers)) != NULL) {
		TAILQ_REMOVE(&req->followers, f, flink);
		sched_emit(s, f, r);
		request_free(f);
	}
	request_free(req);
}

/* Ends a request that never ran to its end: bad input, deadline, signal. */
static void
sched_fail(struct sched *s, struct request *req, enum err_kind kind,
    const char *why)
{
	struct result r;
	char msg[512];

	memset(&r, 0, sizeof(r));
	r.err = kind;
	r.err_msg = why;
	r.cache = kind != ERR_INPUT && s->cache != NULL &&
	    request_cached(req, s->cfg) ? CACHE_MISS : CACHE_OFF;
	if (req->last_error != NULL) {
		snprintf(msg, sizeof(msg), "%s (after %d attempts, last: %s)",
		    why, req->attempts, req->last_error);
		r.err_msg = msg;
	}
	if (req->attempts > 0)
		r.time_ms = now_ms() - req->t_first;
	sched_finish(s, req, &r);
}

static struct transfer *
sched_transfer(struct sched *s)
{
	struct transfer *t;

	if ((t = SLIST_FIRST(&s->idle)) != NULL) {
		SLIST_REMOVE_HEAD(&s->idle, idle);
		return t;
	}
	t = transfer_new(s->cfg, s->headers);
	if (s->cookies != NULL)
		transfer_share(t, cookies_share(s->cookies));
	s->all = xreallocarray(s->all, s->nall + 1, sizeof(*s->all));
	s->all[s->nall++] = t;
	return t;
}

/*
 * --idempotency-key: req's key, made once, before its first attempt, so
 * that every retry sends the same.
 */
static void
sched_idem(struct sched *s, struct request *req)
{
	char **hdrs;
	size_t n;

	if (!s->cfg->idempotency_key || req->idem_key != NULL)
		return;
	hdrs = transfer_header_list(s->cfg, req, &n);
	if (idem_wanted(request_method(req, s->cfg), hdrs, n))
		req->idem_key = idem_uuid();
	free(hdrs);
}

static void
sched_start(struct sched *s, struct request *req, double now)
{
	struct transfer *t;
	CURLMcode mc;

	sched_idem(s, req);
	t = sched_transfer(s);
	transfer_prepare(t, req, s->cfg, !s->cfg->refresh);
	t->t_start = now;
	if (req->attempts++ == 0)
		req->t_first = now;
	if ((mc = curl_multi_add_handle(s->multi, t->easy)) != CURLM_OK) {
		t->req = NULL;
		SLIST_INSERT_HEAD(&s->idle, t, idle);
		sched_fail(s, req, ERR_PROTOCOL, curl_multi_strerror(mc));
		return;
	}
	req->host->inflight++;
	s->inflight++;
}

static void
sched_defer(struct sched *s, struct request *req, double due)
{
	req->due = due;
	RB_INSERT(timer_tree, &s->timers, req);
	s->waiting++;
}

/* Moves every request whose time has come to the ready queue. */
static void
sched_timers(struct sched *s, double now)
{
	struct request *req;

	while ((req = RB_MIN(timer_tree, &s->timers)) != NULL &&
	    req->due <= now) {
		RB_REMOVE(timer_tree, &s->timers, req);
		s->waiting--;
		TAILQ_INSERT_TAIL(&s->ready, req, link);
	}
}

/* --headers of a result answered from the cache: what the entry keeps. */
static void
sched_entry_headers(struct sched *s, const struct request *req,
    struct result *r)
{
	if (!s->cfg->show_headers)
		return;
	buf_reset(&s->hdrs);
	serve_headers_json(req->entry, &s->hdrs);
	r->headers_json = s->hdrs.data;
}

/* Computes the cache key of req (spec requests have theirs already). */
static void
sched_key(struct sched *s, struct request *req)
{
	const char *body;
	char **hdrs, *cookie = NULL;
	size_t len, n;

	body = request_body(req, s->cfg, &len);
	hdrs = transfer_header_list(s->cfg, req, &n);
	/*
	 * -b DATA is a Cookie header given, sent unless a header names one,
	 * and keyed as that header.  The engine's cookies are not keyed:
	 * they change as the run goes.
	 */
	if (s->cfg->cookie != NULL && !spec_has_header(hdrs, n, "Cookie", 6)) {
		cookie = xasprintf("Cookie: %s", s->cfg->cookie);
		hdrs = xreallocarray(hdrs, n + 2, sizeof(*hdrs));
		hdrs[n++] = cookie;
		hdrs[n] = NULL;
	}
	cachekey(request_method(req, s->cfg), req->norm_url, body, len, hdrs,
	    n, s->cfg->user_agent, req->key);
	free(cookie);
	cachekey_auth(req->key, request_user(req, s->cfg),
	    request_bearer(req, s->cfg),
	    s->cfg->netrc != NETRC_OFF ? s->cfg->netrc_sum : NULL);
	free(hdrs);
}

/*
 * --shard K/N: 1 when req falls in another shard; its turn in the output
 * is taken, without a result, and it is freed.  0 when it is the run's.
 */
static int
sched_shard_skip(struct sched *s, struct request *req)
{
	struct buf none;

	if (s->cfg->shard_n == 0)
		return 0;
	/* A bad input came keyed by its text. */
	if (req->input_error == NULL)
		sched_key(s, req);
	if (shard_of(req->key, s->cfg->shard_n) == s->cfg->shard_k)
		return 0;
	buf_init(&none);
	output_result(s->out, req->index, &none);
	buf_free(&none);
	request_free(req);
	s->skipped++;
	return 1;
}

/*
 * Reads ahead as far as the output window allows.  A new request that is
 * identical to one already read and unfinished joins it as a follower and
 * is never fetched on its own; bad inputs are finished on the way.
 */
static void
sched_read(struct sched *s)
{
	struct request *req, *leader;
	char *err;

	while (s->input == INPUT_OK && !s->failed &&
	    output_room(s->out, s->nread)) {
		s->input = input_next(s->in, 0, &req, &err);
		if (s->input == INPUT_FAIL) {
			/* What was read still runs to its end. */
			s->input_err = err;
			s->input = INPUT_EOF;
			return;
		}
		if (s->input != INPUT_OK)
			return;
		s->nread++;
		if (sched_shard_skip(s, req))
			continue;
		req->t_read = now_ms();
		if (req->input_error != NULL) {
			sched_fail(s, req, ERR_INPUT, req->input_error);
			continue;
		}
		TAILQ_INIT(&req->followers);
		if (variant(req))
			sched_key(s, req);
		/* Pagination of a spec's own is never shared. */
		if (req->popts == NULL) {
			if ((leader = RB_INSERT(flight_tree, &s->flights,
			    req)) != NULL) {
				TAILQ_INSERT_TAIL(&leader->followers, req,
				    flink);
				continue;
			}
			req->leader = 1;
		}
		if (pager_wanted(&s->cfg->pages, req->popts))
			req->pager = pager_new(&s->cfg->pages, req->popts,
			    s->cfg->max_body, req->cu);
		req->host = hosts_get(s->hosts, req->host_key);
		TAILQ_INSERT_TAIL(&s->fresh, req, link);
	}
}

/* The next request to consider: one that waited first, else a new one. */
static struct request *
sched_next(struct sched *s)
{
	struct request *req;

	if ((req = TAILQ_FIRST(&s->ready)) != NULL) {
		TAILQ_REMOVE(&s->ready, req, link);
		return req;
	}
	sched_read(s);
	if ((req = TAILQ_FIRST(&s->fresh)) != NULL)
		TAILQ_REMOVE(&s->fresh, req, link);
	return req;
}

/*
 * The cache, opened on first use: a spec's "ttl" may call for it in a run
 * without --ttl.  NULL when it cannot be used (said once).
 */
static struct store *
sched_cache(struct sched *s, const struct request *req)
{
	char *why;

	if (!request_cached(req, s->cfg))
		return NULL;
	if (!s->cache_tried && s->cfg->cache_dir != NULL) {
		s->cache_tried = 1;
		s->cache = store_open(s->cfg->cache_dir, &why);
		if (s->cache == NULL)
			sched_warn(s, xasprintf("%s; running without the "
			    "cache", why));
		else if (why != NULL)
			sched_warn(s, xstrdup(why));
		free(why);
		/* Results are written in batches, off the hot path. */
		if (s->cache != NULL)
			store_begin(s->cache);
	}
	return s->cache;
}

/* What the store could not say where it happened (a database made anew). */
static void
sched_store_note(struct sched *s)
{
	if (s->cache != NULL)
		sched_warn(s, store_warning(s->cache));
}

/*
 * Writes the cache's batch when it is due (force: now, at the end).  A
 * failed write is said once and the cache is written no more.
 */
static void
sched_store_flush(struct sched *s, int force)
{
	char *warn;
	int rc;

	if (s->cache == NULL || s->cache_ro)
		return;
	if ((rc = store_flush(s->cache, force, &warn)) != 0)
		sched_cache_failed(s, rc, warn);
	sched_store_note(s);
}

/* Says what the shared tier has to say (Redis went down), once each. */
static void
sched_shared_note(struct sched *s)
{
	char *w;

	while ((w = shared_warning(s->sh)) != NULL)
		sched_warn(s, w);
}

static void	sched_end(struct sched *, struct request *, struct result *,
		    const char *);
static char	*sched_link(const struct request *, struct transfer *,
		    const struct result *);

/* A hit from tier: req->entry answers it (and may lead to a next page). */
static void
sched_hit(struct sched *s, struct request *req, enum cache_tier tier,
    double now)
{
	struct result r;
	struct store *c;
	char *warn = NULL, *link;
	int rc;

	/* A shared hit fills the local store, for the next run here. */
	if (tier == TIER_SHARED && (c = sched_cache(s, req)) != NULL &&
	    !s->cache_ro && (rc = store_put(c, req->entry, &warn)) != 0)
		sched_cache_failed(s, rc, warn);
	memset(&r, 0, sizeof(r));
	serve_result(req, CACHE_HIT, &r);
	r.tier = tier;
	sched_entry_headers(s, req, &r);
	r.time_ms = now_ms() - now;
	link = sched_link(req, NULL, &r);
	sched_end(s, req, &r, link);
	free(link);
}

/* Redis answered a lookup: the request waits no more. */
static void
sched_shared_answer(void *arg, struct request *req)
{
	struct sched *s = arg;

	s->waiting--;
	if (req->tier == SHARED_WAIT)
		sched_defer(s, req, now_ms() + SHARED_POLL_MS);
	else
		TAILQ_INSERT_TAIL(&s->ready, req, link);
}

/*
 * Asks the shared tier for a request the local store did not answer, and
 * for its once-lock.  Returns 1 when req is parked until Redis answers,
 * 0 when it goes to the network.
 */
static int
sched_shared_ask(struct sched *s, struct request *req, double now)
{
	if (s->sh == NULL || !request_cached(req, s->cfg) || s->cfg->offline ||
	    s->cfg->refresh || req->tier == SHARED_DONE)
		return 0;
	if (req->tier == SHARED_NEW)
		req->tier_until = now + (double)s->cfg->timeout_ms;
	if (shared_ask(s->sh, req, 1, serve_now(), sched_shared_answer,
	    s) == -1) {
		req->tier = SHARED_DONE;
		sched_shared_note(s);
		return 0;
	}
	req->tier = SHARED_ASKED;
	s->waiting++;
	return 1;
}

/*
 * Points req, a paginating request, at its next page cu and queues it:
 * a request of its own again, with its own cache key, host and attempts.
 */
static void
sched_turn_page(struct sched *s, struct request *req, CURLU *cu)
{
	/* Its key changes: identical inputs read from now on go alone. */
	if (req->leader) {
		RB_REMOVE(flight_tree, &s->flights, req);
		req->leader = 0;
	}
	url_free(req->cu);
	req->cu = cu;
	free(req->norm_url);
	req->norm_url = url_text(cu);
	free(req->host_key);
	req->host_key = url_hostkey(cu);
	req->host = hosts_get(s->hosts, req->host_key);
	if (req->entry != NULL) {
		entry_clear(req->entry);
		free(req->entry);
		req->entry = NULL;
	}
	req->looked_up = 0;
	pager_attempts(req->pager, req->attempts);
	req->attempts = 0;
	free(req->last_error);
	req->last_error = NULL;
	if (variant(req))
		sched_key(s, req);
	TAILQ_INSERT_TAIL(&s->ready, req, link);
}

/*
 * A fetch of req ended with r (link: its Link header, or NULL): a page
 * that went well may lead to the next one; else the result is final.
 */
static void
sched_end(struct sched *s, struct request *req, struct result *r,
    const char *link)
{
	CURLU *next;

	if (req->pager != NULL && r->ok && pager_page(req->pager, r, req->cu,
	    link, now_ms(), &next) == PAGER_NEXT)
		sched_turn_page(s, req, next);
	else
		sched_finish(s, req, r);
}

/*
 * The Link header of the page r for req, allocated, when req follows
 * them: the stored one when the cache answered, else the response's.
 */
static char *
sched_link(const struct request *req, struct transfer *t,
    const struct result *r)
{
	const struct entry *e = req->entry;

	if (req->pager == NULL || !pager_link(req->pager) || !r->ok)
		return NULL;
	if (r->cache == CACHE_HIT || r->cache == CACHE_REVALIDATED ||
	    r->cache == CACHE_STALE)
		return e != NULL && e->link != NULL ? xstrdup(e->link) : NULL;
	return t != NULL ? transfer_header_all(t, "Link") : NULL;
}

/*
 * Answers req from the cache when it can: the local store, then the
 * shared tier (asynchronously).  Returns 1 when req is finished (a hit or
 * an offline miss) or parked, 0 when it must go to the network.
 */
static int
sched_cached(struct sched *s, struct request *req, double now)
{
	enum serve_decision d;

	if (req->tier == SHARED_HIT) {
		sched_hit(s, req, TIER_SHARED, now);
		return 1;
	}
	if (req->tier == SHARED_WAIT)
		return sched_shared_ask(s, req, now);
	if (req->looked_up || (!request_cached(req, s->cfg) && !s->cfg->offline))
		return 0;
	if (!variant(req))
		sched_key(s, req);
	d = serve_lookup(sched_cache(s, req), s->cfg, req, serve_now());
	sched_store_note(s);
	switch (d) {
	case SERVE_FETCH:
		return sched_shared_ask(s, req, now);
	case SERVE_HIT:
		sched_hit(s, req, TIER_LOCAL, now);
		return 1;
	case SERVE_OFFLINE_MISS:
		sched_fail(s, req, ERR_OFFLINE_MISS,
		    "--offline and no cached entry");
		return 1;
	}
	return 0;
}

static int	sched_retry(struct sched *, struct request *, struct result *,
		    double, double);

/*
 * --replay: one attempt of req answered from its fixture, never the
 * network, and then handled as a finished transfer is (sched_done): a
 * status --retry-on names is tried again, against the same fixture, after
 * the same backoff.  A request without a fixture fails with replay_miss.
 * Returns 1 when req was taken care of: always, under --replay.
 */
static int
sched_replayed(struct sched *s, struct request *req, double now)
{
	struct replay *rp;
	struct result r;
	char *why;

	if (s->cfg->replay == NULL)
		return 0;
	if (!variant(req))
		sched_key(s, req);
	if ((rp = replay_load(s->cfg, req, &why)) == NULL) {
		sched_fail(s, req, ERR_REPLAY_MISS, why);
		free(why);
		return 1;
	}
	if (req->attempts++ == 0)
		req->t_first = now;
	memset(&r, 0, sizeof(r));
	replay_result(rp, s->cfg, &r);
	r.time_ms = now_ms() - req->t_first;
	if (s->cfg->show_headers) {
		buf_reset(&s->hdrs);
		buf_adds(&s->hdrs, rp->fx.headers);
		r.headers_json = s->hdrs.data;
	}
	if (!sched_retry(s, req, &r, now, now_ms() - now))
		sched_finish(s, req, &r);
	replay_free(rp);
	return 1;
}

/* 1 when --shared-rate spaces the starts through Redis. */
static int
sched_fleet_rate(const struct sched *s)
{
	return s->cfg->shared_rate != NULL && s->cfg->rate_n > 0 &&
	    shared_up(s->sh);
}

/* Redis gave req a start slot (rate_due), or none: the local rate. */
static void
sched_rate_answer(void *arg, struct request *req)
{
	struct sched *s = arg;

	s->waiting--;
	if (req->rate_due > 0) {
		sched_defer(s, req, req->rate_due);
		return;
	}
	s->reserved--;
	TAILQ_INSERT_HEAD(&s->ready, req, link);
	sched_shared_note(s);
}

/*
 * The fleet's rate for req: 1 when it may start now (its slot came), 0
 * when it is parked for one or waits for room to ask (s->unrated: slots
 * are asked for no further ahead than the concurrency), -1 when the
 * local rate decides.
 */
static int
sched_rate_slot(struct sched *s, struct request *req, double now)
{
	if (req->rate_due > 0) {
		req->rate_due = 0;
		s->reserved--;
		/* The local rate keeps in step, for when Redis goes. */
		s->rate.next_ms = now + s->rate.interval_ms;
		return 1;
	}
	if (!sched_fleet_rate(s))
		return -1;
	if (s->inflight + s->reserved >= (size_t)s->cfg->concurrency) {
		TAILQ_INSERT_TAIL(&s->unrated, req, link);
		s->waiting++;
		return 0;
	}
	if (shared_rate(s->sh, req, now, sched_rate_answer, s) == -1) {
		sched_shared_note(s);
		return -1;
	}
	s->reserved++;
	s->waiting++;
	return 0;
}

/* Starts requests while there is room to run them. */
static void
sched_admit(struct sched *s)
{
	struct request *req;
	struct host *h;
	double now = now_ms();

	int slot;

	sched_timers(s, now);
	/* Those that found no room to ask for a slot look again first. */
	while ((req = TAILQ_LAST(&s->unrated, request_queue)) != NULL) {
		TAILQ_REMOVE(&s->unrated, req, link);
		s->waiting--;
		TAILQ_INSERT_HEAD(&s->ready, req, link);
	}
	while (s->errmsg == NULL && !s->failed &&
	    s->inflight < (size_t)s->cfg->concurrency &&
	    (sched_fleet_rate(s) || ratelimit_wait(&s->rate, now) == 0) &&
	    (req = sched_next(s)) != NULL) {
		if (sched_replayed(s, req, now) || sched_cached(s, req, now))
			continue;
		h = req->host;
		if (h->paused_until > now) {
			sched_defer(s, req, h->paused_until);
			continue;
		}
		if (s->cfg->per_host > 0 &&
		    h->inflight >= (size_t)s->cfg->per_host) {
			TAILQ_INSERT_TAIL(&h->waiting, req, link);
			s->waiting++;
			continue;
		}
		if ((slot = sched_rate_slot(s, req, now)) == 0)
			continue;
		if (slot == -1 && ratelimit_take(&s->rate, now) > 0) {
			/* The fleet's rate fell back to ours: its turn waits. */
			TAILQ_INSERT_HEAD(&s->ready, req, link);
			break;
		}
		sched_start(s, req, now);
	}
}

/* A slot of h came free: its first waiter may go. */
static void
sched_host_free(struct sched *s, struct host *h)
{
	struct request *req;

	h->inflight--;
	if ((req = TAILQ_FIRST(&h->waiting)) != NULL) {
		TAILQ_REMOVE(&h->waiting, req, link);
		s->waiting--;
		TAILQ_INSERT_HEAD(&s->ready, req, link);
	}
}

/* Decides whether req goes again; returns 1 when it was scheduled. */
static int
sched_retry(struct sched *s, struct request *req, struct result *r,
    double now, double attempt_ms)
{
	struct retry_policy policy = s->cfg->retry;
	struct retry_outcome o;
	struct retry_decision d;
	double pause;

	/* A Retry-After on 429 or 503 holds back the whole host. */
	if (r->retry_after_ms >= 0 && (r->status == 429 || r->status == 503)) {
		pause = (double)(r->retry_after_ms < s->cfg->retry.cap_ms ?
		    r->retry_after_ms : s->cfg->retry.cap_ms);
		if (req->host->paused_until < now + pause)
			req->host->paused_until = now + pause;
	}
	o.err = r->err;
	o.status = r->status;
	o.retry_after_ms = r->retry_after_ms;
	o.method = request_method(req, s->cfg);
	o.attempts = req->attempts;
	o.time_left_ms = s->deadline > 0 ? (int64_t)(s->deadline - now) : -1;
	policy.retries = request_retries(req, s->cfg);
	retry_decide(&policy, &o, sched_rand, NULL, &d);
	r->retry_after_s = d.retry_after_s;
	sched_log(s, req, r, attempt_ms, d.retry ? d.delay_ms : -1);
	if (!d.retry)
		return 0;
	free(req->last_error);
	if (r->err == ERR_HTTP)
		req->last_error = xasprintf("HTTP %ld", r->status);
	else
		req->last_error = xasprintf("%s: %s", err_kind_name(r->err),
		    r->err_msg);
	sched_defer(s, req, now + (double)d.delay_ms);
	return 1;
}

/* The final result of a fetch: store it, or answer from a stale entry. */
static void
sched_settle(struct sched *s, struct request *req, struct result *r)
{
	int64_t now = serve_now();
	struct store *c;
	char *warn = NULL;
	int rc;

	c = request_cached(req, s->cfg) && !s->cache_ro ? s->cache : NULL;
	r->cache = request_cached(req, s->cfg) && s->cache != NULL ?
	    CACHE_MISS : CACHE_OFF;
	if (r->status == 304 && req->entry != NULL) {
		if ((rc = serve_revalidated(c, s->cfg, req, now, r,
		    &warn)) != 0)
			sched_cache_failed(s, rc, warn);
		sched_entry_headers(s, req, r);
		shared_put(s->sh, req, c != NULL, now);
		return;
	}
	if (!r->ok && serve_stale_ok(s->cfg, req, r, now)) {
		serve_result(req, CACHE_STALE, r);
		sched_entry_headers(s, req, r);
		shared_put(s->sh, req, 0, now);
		return;
	}
	if (c != NULL && (rc = serve_store(c, s->cfg, req, r, now,
	    &warn)) != 0)
		sched_cache_failed(s, rc, warn);
	/* What was stored goes to Redis too; the once-lock is let go. */
	if (s->sh != NULL && request_cached(req, s->cfg))
		shared_put(s->sh, req, c != NULL && r->ok &&
		    serve_storable(r->status, r->resp.cache_control,
		    r->resp.vary), now);
}

/*
 * The response headers of t into s->hdrs, for --headers and --record:
 * under --stable sorted, without those that change on every fetch.
 */
static void
sched_headers(struct sched *s, struct transfer *t, struct result *r)
{
	buf_reset(&s->hdrs);
	transfer_headers_json(t, s->cfg, &s->hdrs);
	if (s->cfg->stable) {
		buf_reset(&s->text);
		if (fixture_headers(s->hdrs.data, FIXTURE_DROP, &s->text) == 0) {
			buf_reset(&s->hdrs);
			buf_add(&s->hdrs, s->text.data, s->text.len);
		}
	}
	if (s->cfg->show_headers)
		r->headers_json = s->hdrs.data;
}

/* --record: the final response of req, with a whole body, as a fixture. */
static void
sched_record(struct sched *s, struct request *req, const struct result *r)
{
	char *why;

	if (s->cfg->record == NULL || r->status == 0 || !r->has_body)
		return;
	if (!variant(req))
		sched_key(s, req);
	if (replay_record(s->cfg, req, r, s->hdrs.data, &why) == -1) {
		sched_warn(s, xasprintf("--record: %s; that response is not "
		    "recorded", why));
		free(why);
	}
}

static void
sched_done(struct sched *s, CURL *easy, CURLcode code)
{
	struct transfer *t;
	struct request *req;
	struct result r;
	double now = now_ms();
	char *link;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&t);
	curl_multi_remove_handle(s->multi, easy);
	s->inflight--;
	req = t->req;
	sched_host_free(s, req->host);
	memset(&r, 0, sizeof(r));
	transfer_result(t, code, &s->cfg->ok, &r);
	transfer_cache_headers(t, &r);
	r.time_ms = now - req->t_first;
	if (s->cfg->timings) {
		transfer_timings(t, &r.timings);
		/* Read and started in one pass: no wait worth a sign. */
		r.timings.queue = t->t_start > req->t_read ?
		    t->t_start - req->t_read : 0;
		r.has_timings = 1;
	}
	if ((s->cfg->show_headers || s->cfg->record != NULL) &&
	    r.status > 0)
		sched_headers(s, t, &r);
	/*
	 * No descriptor for the socket: the server was never reached.  While
	 * other transfers run, and will give theirs back, the request waits
	 * its turn again, the attempt not counted.
	 */
	if (t->no_fd && !r.ok && s->inflight > 0) {
		req->attempts--;
		sched_defer(s, req, now + STARVED_WAIT_MS);
	} else if (!sched_retry(s, req, &r, now, now - t->t_start)) {
		sched_record(s, req, &r);
		sched_settle(s, req, &r);
		link = sched_link(req, t, &r);
		sched_end(s, req, &r, link);
		free(link);
	}
	t->req = NULL;
	SLIST_INSERT_HEAD(&s->idle, t, idle);
}

/* Handles every finished transfer; returns how many there were. */
static int
sched_reap(struct sched *s)
{
	CURLMsg *msg;
	int left, n = 0;

	while ((msg = curl_multi_info_read(s->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		sched_done(s, msg->easy_handle, msg->data.result);
		n++;
	}
	if (output_failed(s->out) && s->errmsg == NULL)
		s->errmsg = xstrdup("the output could not be written");
	return n;
}

static int
index_cmp(const void *a, const void *b)
{
	const struct request *x = *(struct request *const *)a;
	const struct request *y = *(struct request *const *)b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Ends with kind what the input still holds, as far as it can be read
 * without waiting and within DRAIN_MS: input that never ends (/dev/zero,
 * a fast pipe) or a huge file must not hold a run that was told to stop.
 * Input left unread is said through s->input_err.
 */
static void
sched_drain(struct sched *s, enum err_kind kind, const char *why)
{
	struct request *req;
	char *err, *where;
	double until = now_ms() + DRAIN_MS;

	while (s->errmsg == NULL && (s->input == INPUT_OK ||
	    (s->input == INPUT_BUSY && now_ms() < until))) {
		s->input = input_next(s->in, 0, &req, &err);
		if (s->input == INPUT_FAIL)
			s->input_err = err;
		if (s->input != INPUT_OK)
			continue;
		s->nread++;
		if (sched_shard_skip(s, req))
			continue;
		TAILQ_INIT(&req->followers);
		sched_fail(s, req, req->input_error ? ERR_INPUT : kind,
		    req->input_error ? req->input_error : why);
	}
	if (s->input == INPUT_BUSY && (where = input_unread(s->in)) != NULL) {
		s->input_err = xasprintf("input left unread from %s on: %s",
		    where, why);
		free(where);
	}
}

/*
 * Ends every unfinished request with kind, in index order so that each is
 * written at once: those in flight and waiting, then what the input still
 * holds (without waiting for more).
 */
static void
sched_abort(struct sched *s, enum err_kind kind, const char *why)
{
	struct request **pending, *req;
	struct host *h;
	size_t n = 0, i;

	/* Questions still out to Redis are answered as misses first. */
	shared_free(s->sh);
	s->sh = NULL;
	pending = xreallocarray(NULL, s->nread + 1, sizeof(*pending));
	for (i = 0; i < s->nall; i++)
		if ((req = s->all[i]->req) != NULL) {
			curl_multi_remove_handle(s->multi, s->all[i]->easy);
			s->all[i]->req = NULL;
			SLIST_INSERT_HEAD(&s->idle, s->all[i], idle);
			pending[n++] = req;
		}
	while ((req = RB_MIN(timer_tree, &s->timers)) != NULL) {
		RB_REMOVE(timer_tree, &s->timers, req);
		pending[n++] = req;
	}
	while ((req = TAILQ_FIRST(&s->ready)) != NULL) {
		TAILQ_REMOVE(&s->ready, req, link);
		pending[n++] = req;
	}
	while ((req = TAILQ_FIRST(&s->unrated)) != NULL) {
		TAILQ_REMOVE(&s->unrated, req, link);
		pending[n++] = req;
	}
	while ((req = TAILQ_FIRST(&s->fresh)) != NULL) {
		TAILQ_REMOVE(&s->fresh, req, link);
		pending[n++] = req;
	}
	for (i = 0; i < n; i++) {
		h = pending[i]->host;
		while ((req = TAILQ_FIRST(&h->waiting)) != NULL) {
			TAILQ_REMOVE(&h->waiting, req, link);
			pending[n++] = req;
		}
	}
	/* In index order, so that each is written as soon as it ends. */
	qsort(pending, n, sizeof(*pending), index_cmp);
	for (i = 0; i < n; i++)
		sched_fail(s, pending[i], kind, why);
	free(pending);
	s->inflight = s->waiting = s->reserved = 0;
	sched_drain(s, kind, why);
}

/* How long the loop may sleep, in ms. */
static int
sched_sleep_ms(struct sched *s, double now)
{
	struct request *req;
	double wake = now + WAIT_MAX_MS, w, w2;

	if ((req = RB_MIN(timer_tree, &s->timers)) != NULL && req->due < wake)
		wake = req->due;
	if (s->deadline > 0 && s->deadline < wake)
		wake = s->deadline;
	if ((w = ratelimit_wait(&s->rate, now)) > 0 && now + w < wake)
		wake = now + w;
	if (s->sh != NULL && (w2 = redis_deadline(shared_redis(s->sh))) > 0 &&
	    w2 < wake)
		wake = w2;
	if (s->renew_at > 0 && s->renew_at < wake)
		wake = s->renew_at;
	if ((!TAILQ_EMPTY(&s->ready) || !TAILQ_EMPTY(&s->fresh)) && w == 0 &&
	    s->inflight < (size_t)s->cfg->concurrency)
		return 0;
	/* The input yielded with more to read: read on after a look round. */
	if (s->input == INPUT_BUSY)
		return 0;
	return wake <= now ? 0 : (int)(wake - now + 0.999);
}

static void
sched_wait(struct sched *s)
{
	struct curl_waitfd wfd[3];
	unsigned int n = 0;
	int fd;

	output_sync(s->out);
	memset(wfd, 0, sizeof(wfd));
	if (s->input == INPUT_AGAIN && (fd = input_fd(s->in)) != -1) {
		wfd[n].fd = fd;
		wfd[n++].events = CURL_WAIT_POLLIN;
	}
	/*
	 * A signal caught after sched_stopped looked wakes the poll.  The
	 * pipe is never drained: the next pass of the loop stops the run.
	 */
	if (s->hooks != NULL && s->hooks->stop_fd != -1) {
		wfd[n].fd = s->hooks->stop_fd;
		wfd[n++].events = CURL_WAIT_POLLIN;
	}
	if (s->sh != NULL && redis_waitfd(shared_redis(s->sh), &wfd[n]))
		n++;
	sched_store_flush(s, 0);
	curl_multi_poll(s->multi, n > 0 ? wfd : NULL, n,
	    sched_sleep_ms(s, now_ms()), NULL);
	if (s->sh != NULL) {
		redis_service(shared_redis(s->sh), now_ms());
		sched_shared_note(s);
	}
	if (s->input == INPUT_AGAIN || s->input == INPUT_BUSY)
		s->input = INPUT_OK;
}

static int
sched_stopped(struct sched *s)
{
	if (s->hooks != NULL && s->hooks->stop != NULL && *s->hooks->stop) {
		sched_abort(s, ERR_INTERRUPTED, "interrupted by a signal");
		return 1;
	}
	if (s->deadline > 0 && now_ms() >= s->deadline) {
		sched_abort(s, ERR_DEADLINE, "deadline reached");
		return 1;
	}
	if (s->failed) {
		sched_abort(s, ERR_INTERRUPTED, "stopped by --fail-fast");
		return 1;
	}
	return 0;
}

/* Reports progress at most ten times a second, and once at the end. */
static void
sched_progress(struct sched *s, int final)
{
	struct progress p;
	double now;

	if (s->hooks == NULL || s->hooks->progress == NULL)
		return;
	now = now_ms();
	if (!final && now - s->progress_at < 100)
		return;
	s->progress_at = now;
	p.done = s->sum->total;
	p.total = s->input == INPUT_EOF ? (int64_t)(s->nread - s->skipped) :
	    -1;
	p.ok = s->sum->ok;
	p.failed = s->sum->failed;
	p.cached = s->sum->cached;
	p.elapsed_ms = now - s->t0;
	p.final = final;
	s->hooks->progress(s->hooks->arg, &p);
}

/* Keeps the fleet run lock alive: a PEXPIRE every third of its TTL. */
static void
sched_renew(struct sched *s)
{
	double now;

	if (s->sh == NULL || s->cfg->lock_token == NULL)
		return;
	now = now_ms();
	if (now < s->renew_at)
		return;
	shared_renew(s->sh);
	sched_shared_note(s);
	s->renew_at = now + (double)s->cfg->lock_ttl_ms / 3;
}

static void
sched_loop(struct sched *s)
{
	int running;

	for (;;) {
		sched_progress(s, 0);
		if (sched_stopped(s))
			break;
		sched_renew(s);
		sched_admit(s);
		if (s->errmsg != NULL)
			break;
		/* A failure under --fail-fast: the next pass stops the run. */
		if (s->failed)
			continue;
		if (s->inflight == 0 && s->waiting == 0 &&
		    TAILQ_EMPTY(&s->ready) && TAILQ_EMPTY(&s->fresh) &&
		    s->input == INPUT_EOF)
			break;
		curl_multi_perform(s->multi, &running);
		if (sched_reap(s) > 0)
			continue;
		sched_wait(s);
	}
}

/*
 * --redis: the shared tier, connecting while the first requests are read.
 * An address that does not parse was refused by cmd/ already.
 */
static void
sched_shared_open(struct sched *s)
{
	struct redis_addr a;
	char *err;

	if (s->cfg->redis == NULL)
		return;
	s->sum->tiers = 1;
	if (redis_addr_parse(s->cfg->redis, &a, &err) == -1) {
		free(err);
		return;
	}
	s->sh = shared_new(s->cfg, &a);
	redis_addr_clear(&a);
	s->renew_at = s->cfg->lock_token != NULL ? now_ms() +
	    (double)s->cfg->lock_ttl_ms / 3 : 0;
}

static void
sched_init(struct sched *s, const struct config *cfg, struct input *in,
    struct output *out, struct summary *sum)
{
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->in = in;
	s->out = out;
	s->sum = sum;
	s->input = INPUT_OK;
	SLIST_INIT(&s->idle);
	TAILQ_INIT(&s->ready);
	TAILQ_INIT(&s->fresh);
	TAILQ_INIT(&s->unrated);
	RB_INIT(&s->timers);
	RB_INIT(&s->flights);
	buf_init(&s->text);
	buf_init(&s->hdrs);
	s->t0 = now_ms();
	s->hosts = hosts_new();
	ratelimit_init(&s->rate, cfg->rate_n, cfg->rate_per_ms);
	if (cfg->deadline_ms > 0)
		s->deadline = now_ms() + (double)cfg->deadline_ms;
	sched_shared_open(s);
}

/*
 * -c FILE, once every transfer is over.  A jar that cannot be written
 * fails the run, as broken input does: the results are all there.
 */
static void
sched_jar(struct sched *s)
{
	char *why, *msg;

	if (s->cookies == NULL || s->cfg->cookie_jar == NULL ||
	    cookies_save(s->cookies, s->cfg->cookie_jar, &why) == 0)
		return;
	msg = xasprintf("--cookie-jar: %s", why);
	free(why);
	if (s->input_err == NULL && s->errmsg == NULL)
		s->input_err = msg;
	else
		sched_warn(s, msg);
}

int
sched_run(const struct config *cfg, struct input *in, struct output *out,
    struct summary *sum, const struct sched_hooks *hooks, char **errmsg)
{
	static const char nomulti[] = "cannot create a curl multi handle";
	struct sched s;
	size_t i;

	sched_init(&s, cfg, in, out, sum);
	s.hooks = hooks;
	/* Without one (no memory, no descriptors) every input fails. */
	if ((s.multi = curl_multi_init()) == NULL)
		sched_abort(&s, ERR_INTERRUPTED, nomulti);
	else {
		s.headers = transfer_headers(cfg);
		s.cookies = cookies_new(cfg);
		/*
		 * At most one connection per transfer, idle ones included, so
		 * that a run holds the descriptors the front door counted on:
		 * libcurl closes the oldest idle connection to make room.
		 */
		curl_multi_setopt(s.multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
		    cfg->concurrency);
		curl_multi_setopt(s.multi, CURLMOPT_MAXCONNECTS,
		    cfg->concurrency);
		sched_loop(&s);
	}
	if (s.errmsg != NULL)
		sched_abort(&s, ERR_INTERRUPTED, s.errmsg);
	sched_progress(&s, 1);
	sched_jar(&s);
	for (i = 0; i < s.nall; i++)
		transfer_free(s.all[i]);
	free(s.all);
	if (s.multi == NULL && s.errmsg == NULL)
		s.errmsg = xstrdup(nomulti);
	curl_multi_cleanup(s.multi);
	curl_slist_free_all(s.headers);
	/* The last writes to Redis go out before it is let go. */
	if (s.sh != NULL)
		redis_drain(shared_redis(s.sh));
	sched_shared_note(&s);
	shared_free(s.sh);
	cookies_free(s.cookies);
	sched_store_flush(&s, 1);
	store_close(s.cache);
	hosts_free(s.hosts);
	buf_free(&s.text);
	buf_free(&s.hdrs);
	if (s.errmsg != NULL) {
		free(s.input_err);
		*errmsg = s.errmsg;
		return -1;
	}
	*errmsg = s.input_err;
	return s.input_err != NULL ? -1 : 0;
}
