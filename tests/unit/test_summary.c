/* Summary counts and nearest-rank percentiles, exact and histogram. */
#include <math.h>
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
	summary_json(s, 1250.9, 0, &b);
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
	summary_json(s, 0, 0, &b);
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

int
main(void)
{
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
	CHECK(summary_percentile(s, 100) == 10000.0 && s->lat_min == 0.1,
	    "histogram max and min are exact");
	CHECK(s->total == 100000 && s->ok == 100000 && s->status[200] ==
	    100000, "counts of 100000 results");
	summary_free(s);
	return unit_done();
}
