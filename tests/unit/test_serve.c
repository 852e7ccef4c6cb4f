/* Cache semantics that need no disk: freshness, staleness, storability. */
#include <string.h>

#include "serve.h"
#include "unit.h"

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
	int		 want;
} storable[] = {
	{ 200, NULL, 1 },
	{ 204, "max-age=60", 1 },
	{ 299, NULL, 1 },
	{ 304, NULL, 0 },
	{ 404, NULL, 0 },
	{ 500, NULL, 0 },
	{ 200, "no-store", 0 },
	{ 200, "private, No-Store", 0 },
	{ 200, "max-age=0,no-store", 0 },
	{ 200, "no-cache", 1 },
	{ 200, "x-no-store-y", 1 },
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
		CHECK(serve_storable(storable[i].status, storable[i].cc) ==
		    storable[i].want, "%ld with Cache-Control '%s' is %sstored",
		    storable[i].status, storable[i].cc ? storable[i].cc : "",
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
	return unit_done();
}
