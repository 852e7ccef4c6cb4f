/*
 * Cache semantics for one request.  Under --ttl DUR freshness is decided
 * when an entry is read, against this run's DUR, so each run says how old
 * is too old.  Under --ttl auto the response's headers give the entry its
 * expiry when it is stored (or revalidated), and a read compares the time
 * with that.  Only 2xx responses without Cache-Control: no-store or
 * Vary: * are kept.  The parsing of those headers is freshness.c's.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "freshness.h"
#include "json.h"
#include "serve.h"
#include "url.h"
#include "xalloc.h"

int64_t
serve_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
serve_fresh(int64_t stored_at, int64_t ttl_ms, int64_t now)
{
	return ttl_ms >= 0 && now - stored_at < ttl_ms;
}

/*
 * As RFC 5861 has it: a server error or no answer at all may be covered by
 * a stale entry; a 4xx or a too-large body is the server's real answer.
 */
static int
covers(const struct result *r)
{
	switch (r->err) {
	case ERR_DNS:
	case ERR_CONNECT:
	case ERR_TLS:
	case ERR_TIMEOUT:
	case ERR_PROTOCOL:
		return 1;
	case ERR_HTTP:
		return r->status >= 500;
	default:
		return 0;
	}
}

int
serve_entry_fresh(const struct config *cfg, const struct request *req,
    const struct entry *e, int64_t now)
{
	if (request_ttl_auto(req, cfg))
		return now < e->expires_at;
	return serve_fresh(e->stored_at, request_ttl(req, cfg), now);
}

/* When e stops being fresh for req: the base of --stale-if-error. */
static int64_t
stale_since(const struct config *cfg, const struct request *req,
    const struct entry *e)
{
	int64_t ttl = request_ttl(req, cfg);

	if (request_ttl_auto(req, cfg))
		return e->expires_at;
	return e->stored_at + (ttl > 0 ? ttl : 0);
}

int
serve_stale_ok(const struct config *cfg, const struct request *req,
    const struct result *r, int64_t now)
{
	const struct entry *e = req->entry;

	return e != NULL && cfg->stale_if_error_ms >= 0 && covers(r) &&
	    now - stale_since(cfg, req, e) <= cfg->stale_if_error_ms;
}

int
serve_storable(long status, const char *cc, const char *vary)
{
	struct cache_control d;

	freshness_cc(cc, &d);
	return status >= 200 && status < 300 && !d.no_store &&
	    !freshness_vary_star(vary);
}

enum serve_decision
serve_lookup(struct store *c, const struct config *cfg, struct request *req,
    int64_t now)
{
	struct entry *e;

	req->looked_up = 1;
	if (c == NULL)
		return cfg->offline ? SERVE_OFFLINE_MISS : SERVE_FETCH;
	e = xcalloc(1, sizeof(*e));
	if (!store_lookup(c, req->key, e)) {
		free(e);
		return cfg->offline ? SERVE_OFFLINE_MISS : SERVE_FETCH;
	}
	req->entry = e;
	if (cfg->offline)
		return SERVE_HIT;
	if (!cfg->refresh && serve_entry_fresh(cfg, req, e, now))
		return SERVE_HIT;
	return SERVE_FETCH;
}

void
serve_result(struct request *req, enum cache_state st, struct result *r)
{
	struct entry *e = req->entry;

	r->ok = 1;
	r->err = ERR_NONE;
	r->err_msg = NULL;
	r->curl_code = 0;
	r->retry_after_s = 0;
	r->status = e->status;
	r->content_type = e->content_type;
	r->body = e->body;
	r->body_len = e->body_len;
	r->has_body = 1;
	r->cache = st;
	memset(&r->resp, 0, sizeof(r->resp));
	r->resp.etag = e->etag;
	r->resp.last_modified = e->last_modified;
	r->resp.cache_control = e->cache_control;
	r->resp.vary = e->vary;
}

/*
 * When a response received at now with headers h stops being fresh: under
 * --ttl auto, as its headers say; under --ttl DUR, DUR on (for the verbs,
 * which know no run's --ttl; reads go by stored_at).
 */
static int64_t
expiry(const struct config *cfg, const struct request *req,
    const struct result_headers *h, int64_t now)
{
	int64_t ttl = request_ttl(req, cfg);

	if (ttl < 0)
		ttl = 0;
	if (request_ttl_auto(req, cfg))
		return freshness_expires_at(h, now, ttl);
	return now + ttl;
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

struct entry *
serve_entry_new(const struct config *cfg, const struct request *req,
    const struct result *r, int64_t now)
{
	struct entry *e;

	e = xcalloc(1, sizeof(*e));
	memcpy(e->key, req->key, sizeof(e->key));
	e->method = xstrdup(request_method(req, cfg));
	/* The entry keeps no password: the key already tells them apart. */
	e->url = url_redacted(req->cu);
	e->stored_at = now;
	e->expires_at = expiry(cfg, req, &r->resp, now);
	e->status = r->status;
	e->content_type = dup_or_null(r->content_type);
	e->etag = dup_or_null(r->resp.etag);
	e->last_modified = dup_or_null(r->resp.last_modified);
	e->cache_control = dup_or_null(r->resp.cache_control);
	e->vary = dup_or_null(r->resp.vary);
	e->link = dup_or_null(r->resp.link);
	e->body = xmalloc(r->body_len + 1);
	memcpy(e->body, r->body, r->body_len);
	e->body[r->body_len] = '\0';
	e->body_len = r->body_len;
	return e;
}

/* Makes e req's entry, freeing the one it had. */
static void
request_keep(struct request *req, struct entry *e)
{
	if (req->entry != NULL) {
		entry_clear(req->entry);
		free(req->entry);
	}
	req->entry = e;
}

int
serve_store(struct store *c, const struct config *cfg, struct request *req,
    const struct result *r, int64_t now, char **warn)
{
	*warn = NULL;
	if (c == NULL || !r->ok ||
	    !serve_storable(r->status, r->resp.cache_control, r->resp.vary))
		return 0;
	request_keep(req, serve_entry_new(cfg, req, r, now));
	return store_put(c, req->entry, warn);
}

/* Replaces *field with a copy of v, when v is given. */
static void
update(char **field, const char *v)
{
	if (v == NULL)
		return;
	free(*field);
	*field = xstrdup(v);
}

int
serve_revalidated(struct store *c, const struct config *cfg,
    struct request *req, int64_t now, struct result *r, char **warn)
{
	struct entry *e = req->entry;
	struct result_headers h = r->resp;

	*warn = NULL;
	/* What a 304 says replaces what was stored (RFC 9111 4.3.4). */
	update(&e->etag, r->resp.etag);
	update(&e->last_modified, r->resp.last_modified);
	update(&e->cache_control, r->resp.cache_control);
	h.cache_control = e->cache_control;
	e->stored_at = now;
	e->expires_at = expiry(cfg, req, &h, now);
	serve_result(req, CACHE_REVALIDATED, r);
	return c != NULL ? store_put(c, req->entry, warn) : 0;
}

void
serve_headers_json(const struct entry *e, struct buf *b)
{
	const struct {
		const char	*name;
		const char	*value;
	} h[] = {
		{ "content-type", e->content_type },
		{ "etag", e->etag },
		{ "last-modified", e->last_modified },
		{ "cache-control", e->cache_control },
		{ "vary", e->vary },
		{ "link", e->link },
	};
	size_t i, n = 0;

	buf_addc(b, '{');
	for (i = 0; i < sizeof(h) / sizeof(h[0]); i++) {
		if (h[i].value == NULL)
			continue;
		buf_printf(b, "%s\"%s\":", n++ > 0 ? "," : "", h[i].name);
		json_strz(b, h[i].value);
	}
	buf_addc(b, '}');
}
