/*
 * Retry policy with an injected random source: what is retried, bounds and
 * growth of the backoff, its cap, Retry-After as a floor, and giving up.
 */
#include <string.h>

#include "retry.h"
#include "unit.h"

/* Always the top of the range: shows the ceiling itself. */
static uint32_t
rand_max(void *arg, uint32_t bound)
{
	(void)arg;
	return bound - 1;
}

static uint32_t
rand_zero(void *arg, uint32_t bound)
{
	(void)arg;
	(void)bound;
	return 0;
}

/* A seeded xorshift, to check every draw stays in bounds. */
static uint32_t
rand_seeded(void *arg, uint32_t bound)
{
	uint32_t *x = arg;

	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x % bound;
}

static const struct {
	enum err_kind	 err;
	long		 status;
	const char	*method;
	int		 attempts;
	int		 retry;
	const char	*what;
} decisions[] = {
	{ ERR_HTTP, 503, "GET", 1, 1, "503 is retried" },
	{ ERR_HTTP, 429, "GET", 1, 1, "429 is retried" },
	{ ERR_HTTP, 500, "GET", 1, 1, "500 is retried" },
	{ ERR_HTTP, 501, "GET", 1, 0, "501 is not in the default list" },
	{ ERR_HTTP, 404, "GET", 1, 0, "404 is not retried" },
	{ ERR_CONNECT, 0, "GET", 1, 1, "connect is retried" },
	{ ERR_TIMEOUT, 0, "GET", 2, 1, "timeout is retried" },
	{ ERR_DNS, 0, "GET", 1, 0, "dns is not in the default list" },
	{ ERR_TLS, 0, "GET", 1, 0, "tls is not in the default list" },
	{ ERR_PROTOCOL, 0, "GET", 1, 0, "protocol is never retried" },
	{ ERR_TOO_LARGE, 0, "GET", 1, 0, "too_large is never retried" },
	{ ERR_NONE, 200, "GET", 1, 0, "success is not retried" },
	{ ERR_HTTP, 503, "GET", 3, 0, "two retries, then no more" },
	{ ERR_HTTP, 503, "POST", 1, 0, "POST is not retried" },
	{ ERR_HTTP, 503, "PATCH", 1, 0, "PATCH is not retried" },
	{ ERR_HTTP, 503, "PUT", 1, 1, "PUT is retried" },
	{ ERR_HTTP, 503, "delete", 1, 1, "DELETE is retried" },
	{ ERR_HTTP, 503, "OPTIONS", 1, 1, "OPTIONS is retried" },
	{ ERR_HTTP, 503, "HEAD", 1, 1, "HEAD is retried" },
};

static void
decide(const struct retry_policy *p, enum err_kind err, long status,
    const char *method, int attempts, int64_t ra, int64_t left, retry_rand r,
    void *arg, struct retry_decision *d)
{
	struct retry_outcome o = { err, status, ra, method, attempts, left };

	retry_decide(p, &o, r, arg, d);
}

static void
check_backoff(void)
{
	struct retry_policy p;
	struct retry_decision d;
	static const int64_t want[] = { 250, 500, 1000, 2000, 4000, 8000,
	    16000, 30000, 30000, 30000 };
	uint32_t seed = 12345;
	int n, i, ok;

	retry_policy_default(&p);
	p.retries = 100;
	for (n = 1; n <= 10; n++) {
		decide(&p, ERR_HTTP, 503, "GET", n, -1, -1, rand_max, NULL, &d);
		CHECK(d.retry && d.delay_ms == want[n - 1],
		    "retry %d: ceiling %lld ms (want %lld)", n,
		    (long long)d.delay_ms, (long long)want[n - 1]);
	}
	decide(&p, ERR_HTTP, 503, "GET", 60, -1, -1, rand_max, NULL, &d);
	CHECK(d.retry && d.delay_ms == 30000, "retry 60 does not overflow");
	decide(&p, ERR_HTTP, 503, "GET", 1, -1, -1, rand_zero, NULL, &d);
	CHECK(d.retry && d.delay_ms == 0, "full jitter reaches zero");
	for (n = 1, ok = 1; n <= 8; n++)
		for (i = 0; i < 1000; i++) {
			decide(&p, ERR_CONNECT, 0, "GET", n, -1, -1,
			    rand_seeded, &seed, &d);
			ok &= d.delay_ms >= 0 && d.delay_ms <= want[n - 1];
		}
	CHECK(ok, "8000 seeded draws stay within [0, ceiling]");
}

static void
check_retry_after(void)
{
	struct retry_policy p;
	struct retry_decision d;

	retry_policy_default(&p);
	decide(&p, ERR_HTTP, 429, "GET", 1, 2000, -1, rand_zero, NULL, &d);
	CHECK(d.retry && d.delay_ms == 2000, "Retry-After 2s is a floor");
	decide(&p, ERR_HTTP, 429, "GET", 1, 100, -1, rand_max, NULL, &d);
	CHECK(d.retry && d.delay_ms == 250, "backoff above Retry-After wins");
	decide(&p, ERR_HTTP, 503, "GET", 1, 31000, -1, rand_zero, NULL, &d);
	CHECK(!d.retry && d.retry_after_s == 31,
	    "Retry-After past the cap gives up with retry_after_s");
	decide(&p, ERR_HTTP, 503, "GET", 1, 5000, 3000, rand_zero, NULL, &d);
	CHECK(!d.retry && d.retry_after_s == 5,
	    "Retry-After past the deadline gives up at once");
	decide(&p, ERR_HTTP, 503, "GET", 1, -1, 100, rand_max, NULL, &d);
	CHECK(!d.retry && d.retry_after_s == 0,
	    "backoff past the deadline gives up");
}

/* 784111777 is Sun, 06 Nov 1994 08:49:37 GMT. */
#define NOW	((time_t)784111777)

static const struct {
	const char	*value;
	int64_t		 want;
} after_values[] = {
	{ "120", 120000 },
	{ "0", 0 },
	{ "7 ", 7000 },
	{ "31536000", RETRY_AFTER_MAX_MS },
	{ "31536001", RETRY_AFTER_MAX_MS },
	{ "99999999999999999999999", RETRY_AFTER_MAX_MS },
	{ "Sun, 06 Nov 1994 08:49:37 GMT", 0 },
	{ "Sun, 06 Nov 1994 08:50:37 GMT", 60000 },
	{ "Sat, 05 Nov 1994 08:49:37 GMT", 0 },
	{ "Mon, 06 Nov 1995 08:49:37 GMT", RETRY_AFTER_MAX_MS },
	/* Read by libcurl as a time_t that overflows int64_t in ms. */
	{ "Sun, 06 Nov 999999999 08:49:37 GMT", RETRY_AFTER_MAX_MS },
	{ "-5", -1 },
	{ "soon", -1 },
	{ "", -1 },
};

static void
check_retry_after_values(void)
{
	int64_t got;
	size_t i;

	for (i = 0; i < sizeof(after_values) / sizeof(after_values[0]); i++) {
		got = retry_after_parse(after_values[i].value, NOW);
		CHECK(got == after_values[i].want, "Retry-After \"%s\" is %lld",
		    after_values[i].value, (long long)got);
	}
}

static void
check_tokens(void)
{
	struct retry_policy p;
	struct retry_decision d;
	const char *bad;

	retry_policy_default(&p);
	CHECK(retry_parse_on(&p, "dns,tls,4xx", &bad) == 0,
	    "parse dns,tls,4xx");
	decide(&p, ERR_HTTP, 404, "GET", 1, -1, -1, rand_zero, NULL, &d);
	CHECK(d.retry, "4xx retries 404");
	decide(&p, ERR_HTTP, 503, "GET", 1, -1, -1, rand_zero, NULL, &d);
	CHECK(!d.retry, "the list replaces the defaults: 503 no more");
	decide(&p, ERR_DNS, 0, "GET", 1, -1, -1, rand_zero, NULL, &d);
	CHECK(d.retry, "dns token");
	CHECK(retry_parse_on(&p, "5xx,418", &bad) == 0, "parse 5xx,418");
	decide(&p, ERR_HTTP, 418, "GET", 1, -1, -1, rand_zero, NULL, &d);
	CHECK(d.retry, "a single status code");
	decide(&p, ERR_HTTP, 599, "GET", 1, -1, -1, rand_zero, NULL, &d);
	CHECK(d.retry, "5xx retries 599");
	CHECK(retry_parse_on(&p, "connect,bogus", &bad) == -1 &&
	    strncmp(bad, "bogus", 5) == 0, "unknown token is named");
	CHECK(retry_parse_on(&p, "connect,,5xx", &bad) == -1,
	    "empty token refused");
	CHECK(retry_parse_on(&p, "99", &bad) == -1, "two-digit code refused");
	p.unsafe = 1;
	retry_parse_on(&p, "503", &bad);
	decide(&p, ERR_HTTP, 503, "POST", 1, -1, -1, rand_zero, NULL, &d);
	CHECK(d.retry, "--retry-unsafe retries POST");
}

int
main(void)
{
	struct retry_policy p;
	struct retry_decision d;
	size_t i;

	retry_policy_default(&p);
	for (i = 0; i < sizeof(decisions) / sizeof(decisions[0]); i++) {
		decide(&p, decisions[i].err, decisions[i].status,
		    decisions[i].method, decisions[i].attempts, -1, -1,
		    rand_zero, NULL, &d);
		CHECK(d.retry == decisions[i].retry, "%s", decisions[i].what);
	}
	check_backoff();
	check_retry_after();
	check_retry_after_values();
	check_tokens();
	return unit_done();
}
