/*
 * Run summary.  Latency percentiles are exact for the first SUMMARY_EXACT
 * results; past that, every sample goes into a log-linear histogram of
 * tenths of a millisecond, so a run of a million URLs costs no more memory
 * than one of ten thousand.  It does not time anything itself.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"
#include "xalloc.h"

/* Below HIST_LINEAR tenths of ms every value has its own bucket. */
#define HIST_LINEAR	4096
#define HIST_SUBBITS	11
#define HIST_MAXBITS	40
#define HIST_N \
	(HIST_LINEAR + (HIST_MAXBITS - 12) * (1 << HIST_SUBBITS))

struct summary *
summary_new(void)
{
	struct summary *s;

	s = xcalloc(1, sizeof(*s));
	s->exact = xreallocarray(NULL, SUMMARY_EXACT, sizeof(*s->exact));
	return s;
}

void
summary_free(struct summary *s)
{
	if (s == NULL)
		return;
	free(s->exact);
	free(s->hist);
	free(s);
}

static size_t
hist_bucket(uint64_t v)
{
	int e;

	if (v < HIST_LINEAR)
		return (size_t)v;
	if (v >= (uint64_t)1 << HIST_MAXBITS)
		v = ((uint64_t)1 << HIST_MAXBITS) - 1;
	e = 63 - __builtin_clzll(v);
	return HIST_LINEAR + (size_t)(e - 12) * (1 << HIST_SUBBITS) +
	    (size_t)((v >> (e - HIST_SUBBITS)) & ((1 << HIST_SUBBITS) - 1));
}

/* The middle of a bucket, in tenths of ms. */
static double
hist_value(size_t i)
{
	size_t e, sub;

	if (i < HIST_LINEAR)
		return (double)i;
	e = 12 + (i - HIST_LINEAR) / (1 << HIST_SUBBITS);
	sub = (i - HIST_LINEAR) % (1 << HIST_SUBBITS);
	return (double)(((1 << HIST_SUBBITS) + sub) << (e - HIST_SUBBITS)) +
	    (double)((size_t)1 << (e - HIST_SUBBITS)) / 2;
}

static void
hist_add(struct summary *s, double ms)
{
	s->hist[hist_bucket((uint64_t)llround(ms * 10))]++;
}

static void
latency_add(struct summary *s, double ms)
{
	uint64_t i;

	if (s->nlat == 0 || ms < s->lat_min)
		s->lat_min = ms;
	if (s->nlat == 0 || ms > s->lat_max)
		s->lat_max = ms;
	s->lat_sum += ms;
	if (s->nlat < SUMMARY_EXACT) {
		s->exact[s->nlat++] = ms;
		return;
	}
	if (s->hist == NULL) {
		s->hist = xcalloc(HIST_N, sizeof(*s->hist));
		for (i = 0; i < s->nlat; i++)
			hist_add(s, s->exact[i]);
	}
	hist_add(s, ms);
	s->nlat++;
}

void
summary_add(struct summary *s, const struct result *r)
{
	s->total++;
	if (r->ok)
		s->ok++;
	else {
		s->failed++;
		s->errors[r->err]++;
	}
	if (r->cache == CACHE_HIT || r->cache == CACHE_REVALIDATED ||
	    r->cache == CACHE_STALE)
		s->cached++;
	/* A shared fetch's retries were counted with the first result. */
	if (r->paged && !r->shared)
		s->retries += (uint64_t)r->retries;
	else if (r->attempts > 1 && !r->shared)
		s->retries += (uint64_t)r->attempts - 1;
	if (r->has_body)
		s->bytes += r->paged ? r->bytes : r->body_len;
	if (r->status > 0 && r->status < 1000)
		s->status[r->status]++;
	if (r->attempts > 0 || r->cache != CACHE_OFF)
		latency_add(s, r->time_ms);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
summary_percentile(struct summary *s, double p)
{
	uint64_t rank, seen = 0;
	double v;
	size_t i;

	if (s->nlat == 0)
		return -1;
	rank = (uint64_t)ceil(p / 100.0 * (double)s->nlat);
	if (rank < 1)
		rank = 1;
	if (rank > s->nlat)
		rank = s->nlat;
	if (s->hist == NULL) {
		qsort(s->exact, s->nlat, sizeof(*s->exact), cmp_double);
		return s->exact[rank - 1];
	}
	for (i = 0; i < HIST_N; i++)
		if ((seen += s->hist[i]) >= rank)
			break;
	v = hist_value(i) / 10;
	if (v < s->lat_min)
		v = s->lat_min;
	if (v > s->lat_max)
		v = s->lat_max;
	return v;
}

static void
latency_json(struct summary *s, struct buf *b)
{
	static const struct {
		const char	*name;
		double		 p;
	} pct[] = { { "p50", 50 }, { "p90", 90 }, { "p99", 99 } };
	size_t i;

	if (s->nlat == 0) {
		buf_adds(b, "{\"min\":null,\"mean\":null,\"p50\":null,"
		    "\"p90\":null,\"p99\":null,\"max\":null}");
		return;
	}
	buf_printf(b, "{\"min\":%.1f,\"mean\":%.1f", s->lat_min,
	    s->lat_sum / (double)s->nlat);
	for (i = 0; i < sizeof(pct) / sizeof(pct[0]); i++)
		buf_printf(b, ",\"%s\":%.1f", pct[i].name,
		    summary_percentile(s, pct[i].p));
	buf_printf(b, ",\"max\":%.1f}", s->lat_max);
}

void
summary_json(struct summary *s, double wall_ms, struct buf *b)
{
	const char *sep = "";
	size_t i;

	buf_printf(b,
	    "{\"total\":%llu,\"ok\":%llu,\"failed\":%llu,\"cached\":%llu,"
	    "\"retries\":%llu,\"bytes\":%llu,\"time_ms\":%.1f,"
	    "\"latency_ms\":",
	    (unsigned long long)s->total, (unsigned long long)s->ok,
	    (unsigned long long)s->failed, (unsigned long long)s->cached,
	    (unsigned long long)s->retries, (unsigned long long)s->bytes,
	    wall_ms);
	latency_json(s, b);
	buf_adds(b, ",\"status\":{");
	for (i = 0; i < 1000; i++) {
		if (s->status[i] == 0)
			continue;
		buf_printf(b, "%s\"%zu\":%llu", sep, i,
		    (unsigned long long)s->status[i]);
		sep = ",";
	}
	buf_adds(b, "},\"errors\":{");
	sep = "";
	for (i = 1; i < ERR__COUNT; i++) {
		if (s->errors[i] == 0)
			continue;
		buf_printf(b, "%s\"%s\":%llu", sep,
		    err_kind_name((enum err_kind)i),
		    (unsigned long long)s->errors[i]);
		sep = ",";
	}
	buf_adds(b, "}}");
}
