/*
 * Cache semantics for one request.  Freshness is decided when an entry is
 * read, against this run's --ttl, so each run says how old is too old; only
 * 2xx responses without Cache-Control: no-store are kept.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

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
serve_stale_ok(const struct config *cfg, const struct request *req,
    const struct result *r, int64_t now)
{
	const struct entry *e = req->entry;
	int64_t ttl = request_ttl(req, cfg);

	if (ttl < 0)
		ttl = 0;
	return e != NULL && cfg->stale_if_error_ms >= 0 && covers(r) &&
	    now - (e->stored_at + ttl) <= cfg->stale_if_error_ms;
}

/* 1 when the comma-separated list cc holds the directive want. */
static int
has_directive(const char *cc, const char *want)
{
	size_t n = strlen(want), len;

	while (cc != NULL && *cc != '\0') {
		while (*cc == ' ' || *cc == '\t' || *cc == ',')
			cc++;
		len = strcspn(cc, ",= \t");
		if (len == n && strncasecmp(cc, want, n) == 0)
			return 1;
		cc += strcspn(cc, ",");
	}
	return 0;
}

int
serve_storable(long status, const char *cc)
{
	return status >= 200 && status < 300 && !has_directive(cc, "no-store");
}

enum serve_decision
serve_lookup(struct cache *c, const struct config *cfg, struct request *req,
    int64_t now)
{
	struct entry *e;

	req->looked_up = 1;
	if (c == NULL)
		return cfg->offline ? SERVE_OFFLINE_MISS : SERVE_FETCH;
	e = xcalloc(1, sizeof(*e));
	if (!cache_get(c, req->key, e)) {
		free(e);
		return cfg->offline ? SERVE_OFFLINE_MISS : SERVE_FETCH;
	}
	req->entry = e;
	if (cfg->offline)
		return SERVE_HIT;
	if (!cfg->refresh && serve_fresh(e->stored_at, request_ttl(req, cfg),
	    now))
		return SERVE_HIT;
	return SERVE_FETCH;
}

void
serve_result(struct request *req, enum cache_state st, struct result *r)
{
	const struct entry *e = req->entry;

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
}

static int64_t
expiry(const struct config *cfg, const struct request *req, int64_t now)
{
	int64_t ttl = request_ttl(req, cfg);

	return now + (ttl > 0 ? ttl : 0);
}

int
serve_store(struct cache *c, const struct config *cfg, struct request *req,
    struct transfer *t, const struct result *r, int64_t now, char **warn)
{
	struct entry e;
	const char *cc;
	char *url;
	int rc;

	*warn = NULL;
	cc = transfer_header(t, "Cache-Control");
	if (c == NULL || !r->ok || !serve_storable(r->status, cc))
		return 0;
	/* The file keeps no password: the key already tells entries apart. */
	url = url_redacted(req->cu);
	/* The entry lends everything but its Link, which is freed below. */
	memset(&e, 0, sizeof(e));
	memcpy(e.key, req->key, sizeof(e.key));
	e.method = (char *)request_method(req, cfg);
	e.url = url;
	e.stored_at = now;
	e.expires_at = expiry(cfg, req, now);
	e.status = r->status;
	e.content_type = (char *)r->content_type;
	e.etag = (char *)transfer_header(t, "ETag");
	e.last_modified = (char *)transfer_header(t, "Last-Modified");
	e.cache_control = (char *)cc;
	e.vary = (char *)transfer_header(t, "Vary");
	e.link = transfer_header_all(t, "Link");
	e.body = r->body;
	e.body_len = r->body_len;
	rc = cache_put(c, &e, warn);
	free(url);
	free(e.link);
	return rc;
}

int
serve_revalidated(struct cache *c, const struct config *cfg,
    struct request *req, int64_t now, struct result *r, char **warn)
{
	*warn = NULL;
	req->entry->stored_at = now;
	req->entry->expires_at = expiry(cfg, req, now);
	serve_result(req, CACHE_REVALIDATED, r);
	return c != NULL ? cache_put(c, req->entry, warn) : 0;
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
