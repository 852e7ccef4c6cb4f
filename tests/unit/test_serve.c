/*
 * Cache semantics that need no disk: freshness, staleness, storability,
 * and the entries a response and a 304 make.
 */
#include <stdlib.h>
#include <string.h>

#include "serve.h"
#include "unit.h"
#include "xalloc.h"

static const struct {
	int64_t	stored, ttl, now;
	int	want;
} fresh[] = {
	{ 1000, 60000, 1000, 1 },
	{ 1000, 60000, 60999, 1 },
	{ 1000, 60000, 61000, 0 },
	{ 1000, 0, 1000, 0 },
	{ 1000, -1, 1000, 0 },
	{ 5000, 1000, 1000, 1 },	/* stored "in the future": clock skew */
};

static const struct {
	long		 status;
	const char	*cc;
	const char	*vary;
	int		 want;
} storable[] = {
	{ 200, NULL, NULL, 1 },
	{ 204, "max-age=60", NULL, 1 },
	{ 299, NULL, NULL, 1 },
	{ 304, NULL, NULL, 0 },
	{ 404, NULL, NULL, 0 },
	{ 500, NULL, NULL, 0 },
	{ 200, "no-store", NULL, 0 },
	{ 200, "private, No-Store", NULL, 0 },
	{ 200, "max-age=0,no-store", NULL, 0 },
	{ 200, "no-cache", NULL, 1 },
	{ 200, "x-no-store-y", NULL, 1 },
	{ 200, "private=\"a, no-store\"", NULL, 1 },
	{ 200, NULL, "Accept-Encoding", 1 },
	{ 200, NULL, "*", 0 },
	{ 200, "max-age=60", "Accept, *", 0 },
};

static const struct {
	enum err_kind	err;
	long		status;
	int		want;
} covered[] = {
	{ ERR_CONNECT, 0, 1 },
	{ ERR_TIMEOUT, 0, 1 },
	{ ERR_DNS, 0, 1 },
	{ ERR_PROTOCOL, 0, 1 },
	{ ERR_HTTP, 503, 1 },
	{ ERR_HTTP, 500, 1 },
	{ ERR_HTTP, 404, 0 },
	{ ERR_HTTP, 429, 0 },
	{ ERR_TOO_LARGE, 0, 0 },
};

/* Under --ttl auto an entry is fresh, and stale, by its own expiry. */
static void
check_auto(void)
{
	struct config cfg;
	struct request req;
	struct result r;
	struct entry e;

	config_defaults(&cfg);
	memset(&req, 0, sizeof(req));
	memset(&e, 0, sizeof(e));
	memset(&r, 0, sizeof(r));
	e.stored_at = 1000;
	e.expires_at = 3000;
	cfg.ttl_ms = 60000;
	CHECK(serve_entry_fresh(&cfg, &req, &e, 5000),
	    "--ttl 1m: stored 4s ago, fresh whatever its expiry");
	cfg.ttl_auto = 1;
	cfg.ttl_ms = 0;
	CHECK(serve_entry_fresh(&cfg, &req, &e, 2999),
	    "--ttl auto: fresh until its expiry");
	CHECK(!serve_entry_fresh(&cfg, &req, &e, 3000),
	    "--ttl auto: stale at its expiry");
	cfg.ttl_ms = 3600000;
	CHECK(!serve_entry_fresh(&cfg, &req, &e, 3000),
	    "--ttl auto:1h: the default was applied when stored, not now");
	req.has_ttl = 1;
	req.ttl_ms = 60000;
	CHECK(serve_entry_fresh(&cfg, &req, &e, 5000),
	    "a spec's ttl 1m over --ttl auto: by the time stored");
	req.ttl_auto = 1;
	cfg.ttl_auto = 0;
	CHECK(!serve_entry_fresh(&cfg, &req, &e, 5000),
	    "a spec's ttl auto over --ttl 1h: by its expiry");
	req.entry = &e;
	r.err = ERR_CONNECT;
	cfg.stale_if_error_ms = 2000;
	CHECK(serve_stale_ok(&cfg, &req, &r, 5000),
	    "--ttl auto: expired by 2s, allowed 2s: served stale");
	CHECK(!serve_stale_ok(&cfg, &req, &r, 5001),
	    "--ttl auto: expired by just over 2s: not served");
}

/* A response to store: what an entry is made of. */
static void
response(struct result *r, const char *cc, const char *age)
{
	static char body[] = "{\"a\": 1}";

	memset(r, 0, sizeof(*r));
	r->ok = 1;
	r->status = 200;
	r->content_type = "application/json";
	r->body = body;
	r->body_len = strlen(body);
	r->has_body = 1;
	r->resp.etag = "\"v1\"";
	r->resp.cache_control = cc;
	r->resp.vary = "Accept";
	r->resp.date = "Tue, 14 Nov 2023 22:13:20 GMT";
	r->resp.age = age;
}

#define NOW_MS	((int64_t)1700000000 * 1000)

static void
free_entry(struct entry *e)
{
	entry_clear(e);
	free(e);
}

/* A request for url, as input.c makes one; freed with request_free. */
static struct request *
new_request(const char *url)
{
	struct request *req;
	const char *why;

	req = xcalloc(1, sizeof(*req));
	req->url = xstrdup(url);
	if (request_set_url(req, &why) == -1)
		abort();
	return req;
}

static void
check_entry(void)
{
	struct config cfg;
	struct request *req;
	struct result r;
	struct entry *e;

	config_defaults(&cfg);
	req = new_request("http://u:secret@127.0.0.1/x");
	cfg.ttl_ms = 600000;
	response(&r, "max-age=60", NULL);
	e = serve_entry_new(&cfg, req, &r, NOW_MS);
	CHECK(e->expires_at - e->stored_at == 600000 && e->stored_at == NOW_MS,
	    "--ttl 10m: the entry expires 10m on, whatever max-age says");
	CHECK(strcmp(e->url, "http://u:***@127.0.0.1/x") == 0,
	    "the entry keeps no password: %s", e->url);
	CHECK(e->body != r.body && e->body_len == r.body_len &&
	    memcmp(e->body, r.body, r.body_len) == 0 && e->etag != r.resp.etag &&
	    strcmp(e->etag, "\"v1\"") == 0 && strcmp(e->vary, "Accept") == 0 &&
	    strcmp(e->cache_control, "max-age=60") == 0 &&
	    strcmp(e->method, "GET") == 0 && e->last_modified == NULL,
	    "the entry owns copies of the response it was made of");
	free_entry(e);
	cfg.ttl_auto = 1;
	e = serve_entry_new(&cfg, req, &r, NOW_MS);
	CHECK(e->expires_at - NOW_MS == 60000, "--ttl auto: max-age=60 "
	    "expires 60s on (%lld)", (long long)(e->expires_at - NOW_MS));
	free_entry(e);
	response(&r, NULL, "20");
	cfg.ttl_ms = 30000;
	e = serve_entry_new(&cfg, req, &r, NOW_MS);
	CHECK(e->expires_at - NOW_MS == 10000, "--ttl auto:30s, nothing "
	    "said, Age 20: 10s (%lld)", (long long)(e->expires_at - NOW_MS));
	free_entry(e);
	request_free(req);
}

/* A 304 takes its Cache-Control into the entry and renews its expiry. */
static void
check_revalidated(void)
{
	struct config cfg;
	struct request *req;
	struct result r;
	char *warn = NULL;

	config_defaults(&cfg);
	req = new_request("http://127.0.0.1/x");
	cfg.ttl_auto = 1;
	cfg.ttl_ms = 0;
	response(&r, "no-cache", NULL);
	req->entry = serve_entry_new(&cfg, req, &r, NOW_MS);
	CHECK(req->entry->expires_at == NOW_MS, "no-cache: stale at once");
	memset(&r, 0, sizeof(r));
	r.status = 304;
	r.resp.cache_control = "max-age=30";
	r.resp.etag = "\"v2\"";
	r.resp.date = "Tue, 14 Nov 2023 22:13:25 GMT";
	CHECK(serve_revalidated(NULL, &cfg, req, NOW_MS + 5000, &r, &warn) ==
	    0 && warn == NULL, "revalidated without a cache to write");
	CHECK(req->entry->stored_at == NOW_MS + 5000 &&
	    req->entry->expires_at == NOW_MS + 35000,
	    "the 304's max-age=30 renews it for 30s (%lld)",
	    (long long)(req->entry->expires_at - NOW_MS));
	CHECK(strcmp(req->entry->cache_control, "max-age=30") == 0 &&
	    strcmp(req->entry->etag, "\"v2\"") == 0 &&
	    strcmp(req->entry->vary, "Accept") == 0,
	    "the 304's headers replace the stored ones, the others stay");
	CHECK(r.ok && r.cache == CACHE_REVALIDATED && r.status == 200 &&
	    r.body == req->entry->body && r.resp.etag == req->entry->etag,
	    "the result answers from the entry");
	request_free(req);
}

int
main(void)
{
	struct config cfg;
	struct request req;
	struct result r;
	struct entry e;
	size_t i;

	for (i = 0; i < sizeof(fresh) / sizeof(fresh[0]); i++)
		CHECK(serve_fresh(fresh[i].stored, fresh[i].ttl, fresh[i].now) ==
		    fresh[i].want, "stored %lld ttl %lld now %lld: %s",
		    (long long)fresh[i].stored, (long long)fresh[i].ttl,
		    (long long)fresh[i].now, fresh[i].want ? "fresh" : "stale");
	for (i = 0; i < sizeof(storable) / sizeof(storable[0]); i++)
		CHECK(serve_storable(storable[i].status, storable[i].cc,
		    storable[i].vary) == storable[i].want, "%ld with "
		    "Cache-Control '%s', Vary '%s' is %sstored",
		    storable[i].status, storable[i].cc ? storable[i].cc : "",
		    storable[i].vary ? storable[i].vary : "",
		    storable[i].want ? "" : "not ");

	config_defaults(&cfg);
	memset(&e, 0, sizeof(e));
	memset(&r, 0, sizeof(r));
	memset(&req, 0, sizeof(req));
	req.entry = &e;
	e.stored_at = 0;
	cfg.ttl_ms = 10000;
	r.err = ERR_CONNECT;
	CHECK(!serve_stale_ok(&cfg, &req, &r, 20000),
	    "no --stale-if-error: never stale");
	cfg.stale_if_error_ms = 5000;
	CHECK(serve_stale_ok(&cfg, &req, &r, 15000),
	    "expired by 5s, allowed 5s: served stale");
	CHECK(!serve_stale_ok(&cfg, &req, &r, 15001),
	    "expired by just over 5s: not served");
	req.entry = NULL;
	CHECK(!serve_stale_ok(&cfg, &req, &r, 0), "no entry: nothing to serve");
	req.entry = &e;
	req.has_ttl = 1;
	req.ttl_ms = 1000;
	r.err = ERR_CONNECT;
	CHECK(!serve_stale_ok(&cfg, &req, &r, 7000),
	    "a spec's ttl counts: expired by 6s, allowed 5s: not served");
	req.has_ttl = 0;
	for (i = 0; i < sizeof(covered) / sizeof(covered[0]); i++) {
		r.err = covered[i].err;
		r.status = covered[i].status;
		CHECK(serve_stale_ok(&cfg, &req, &r, 12000) == covered[i].want,
		    "a failure of kind %s, status %ld, is %scovered",
		    err_kind_name(r.err), r.status, covered[i].want ? "" :
		    "not ");
	}
	check_auto();
	check_entry();
	check_revalidated();
	return unit_done();
}
