/* Summary counts and nearest-rank percentiles, exact and histogram. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "summary.h"
#include "unit.h"

static void
add(struct summary *s, double ms, long status, enum err_kind err)
{
	struct result r;

	memset(&r, 0, sizeof(r));
	r.time_ms = ms;
	r.status = status;
	r.attempts = 1;
	r.err = err;
	r.ok = err == ERR_NONE;
	summary_add(s, &r);
}

static void
check_contract_example(void)
{
	struct summary *s = summary_new();
	struct buf b;

	add(s, 41.7, 200, ERR_NONE);
	add(s, 1210.3, 503, ERR_HTTP);
	buf_init(&b);
	summary_json(s, 1250.9, &b);
	CHECK(strcmp(b.data, "{\"total\":2,\"ok\":1,\"failed\":1,\"cached\":0,"
	    "\"retries\":0,\"bytes\":0,\"time_ms\":1250.9,\"latency_ms\":"
	    "{\"min\":41.7,\"mean\":626.0,\"p50\":41.7,\"p90\":1210.3,"
	    "\"p99\":1210.3,\"max\":1210.3},\"status\":{\"200\":1,"
	    "\"503\":1},\"errors\":{\"http\":1}}") == 0,
	    "contract example summary: %s", b.data);
	buf_free(&b);
	summary_free(s);
}

static void
check_empty(void)
{
	struct summary *s = summary_new();
	struct buf b;

	buf_init(&b);
	summary_json(s, 0, &b);
	CHECK(strstr(b.data, "\"p50\":null") != NULL &&
	    summary_percentile(s, 50) < 0, "no samples: null percentiles");
	buf_free(&b);
	summary_free(s);
}

static const struct {
	double	p;
	double	want;
} exact[] = {
	{ 1, 1 }, { 50, 50 }, { 90, 90 }, { 99, 99 }, { 100, 100 },
	{ 50.5, 51 },
};

/* One result of host, with its attempts and latency. */
static void
add_host(struct summary *s, const char *host, int ok, int attempts,
    double ms)
{
	struct result r;

	memset(&r, 0, sizeof(r));
	r.host = host;
	r.ok = ok;
	r.err = ok ? ERR_NONE : ERR_HTTP;
	r.status = ok ? 200 : 503;
	r.attempts = attempts;
	r.time_ms = ms;
	summary_add(s, &r);
}

/* Hosts: counts each, busiest first, 100 at most, percentiles within 3%. */
static void
check_hosts(void)
{
	struct summary *s = summary_new();
	char key[32], *p;
	struct buf b;
	double p50 = 0;
	int i;

	summary_by_host(s);
	add_host(s, "b:80", 1, 1, 10);
	add_host(s, "b:80", 0, 3, 30);
	add_host(s, "a:80", 1, 1, 5);
	add_host(s, NULL, 0, 0, 0);	/* a bad input has no host */
	buf_init(&b);
	summary_json(s, 1, &b);
	CHECK(strstr(b.data, ",\"hosts\":{\"b:80\":{\"requests\":2,\"ok\":1,"
	    "\"failed\":1,\"retries\":2,\"p50\":10.0,\"p90\":30.0,"
	    "\"p99\":30.0},\"a:80\":{\"requests\":1,\"ok\":1,\"failed\":0,"
	    "\"retries\":0,\"p50\":5.0,\"p90\":5.0,\"p99\":5.0}}}") != NULL,
	    "hosts, busiest first: %s", b.data);
	summary_free(s);

	s = summary_new();
	summary_by_host(s);
	for (i = 0; i < 150; i++) {
		snprintf(key, sizeof(key), "h%03d:80", i);
		add_host(s, key, 1, 1, 1);
		if (i == 120)	/* the busiest, though late */
			add_host(s, key, 1, 1, 1);
	}
	for (i = 1; i <= 10000; i++)
		add_host(s, "big:443", 1, 1, i * 0.1);
	buf_reset(&b);
	summary_json(s, 1, &b);
	p = strstr(b.data, "\"hosts\":{\"big:443\":{\"requests\":10000,");
	CHECK(p != NULL && strstr(p, "},\"h120:80\":{\"requests\":2,") != NULL,
	    "busiest first");
	CHECK(strstr(b.data, "\"h097:80\"") != NULL &&
	    strstr(b.data, "\"h098:80\"") == NULL, "100 hosts at most");
	p = strstr(b.data, "\"big:443\"");
	if (p == NULL || sscanf(p, "\"big:443\":{\"requests\":10000,\"ok\":"
	    "10000,\"failed\":0,\"retries\":0,\"p50\":%lf", &p50) != 1)
		p50 = -1;
	CHECK(fabs(p50 - 500) <= 500 * 0.03, "a host's p50 within 3%%: %.1f",
	    p50);
	buf_free(&b);
	summary_free(s);
}

int
main(void)
{
	check_hosts();
	struct summary *s;
	double v, want;
	size_t i;
	int n;

	check_contract_example();
	check_empty();
	s = summary_new();
	for (n = 100; n >= 1; n--)	/* Out of order on purpose. */
		add(s, n, 200, ERR_NONE);
	for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		CHECK(summary_percentile(s, exact[i].p) == exact[i].want,
		    "p%.1f of 1..100 is %.0f", exact[i].p, exact[i].want);
	summary_free(s);

	/* Past SUMMARY_EXACT samples: the histogram, within 0.05%. */
	s = summary_new();
	for (n = 1; n <= 100000; n++)
		add(s, n * 0.1, 200, ERR_NONE);
	for (i = 0; i < 3; i++) {
		double p = i == 0 ? 50 : i == 1 ? 90 : 99;

		v = summary_percentile(s, p);
		want = p * 100000 / 100 * 0.1;
		CHECK(fabs(v - want) <= want * 0.0005 + 0.05,
		    "histogram p%.0f = %.2f, want %.2f", p, v, want);
	}
	CHECK(summary_percentile(s, 100) == 10000.0 && s->lat.min == 0.1,
	    "histogram max and min are exact");
	CHECK(s->total == 100000 && s->ok == 100000 && s->status[200] ==
	    100000, "counts of 100000 results");
	summary_free(s);
	return unit_done();
}
