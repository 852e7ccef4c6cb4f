/*
 * Run summary.  Latency percentiles are exact for the first SUMMARY_EXACT
 * results; past that, every sample goes into a log-linear histogram of
 * tenths of a millisecond, so a run of a million URLs costs no more memory
 * than one of ten thousand.  With summary_by_host, each host gets counts
 * and percentiles of its own, in a coarser store (at most about 4.5 KiB
 * a host).  It does not time anything itself.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* libbsd leaves __unused undefined, which RB_GENERATE_STATIC uses. */
#ifndef __unused
#define __unused __attribute__((__unused__))
#endif
#include <sys/tree.h>

#include "json.h"
#include "summary.h"
#include "xalloc.h"

/*
 * A latency store: the first `exact_max` samples as they are, then every
 * one in a log-linear histogram of tenths of a millisecond with 2^subbits
 * buckets per power of two (relative error under 2^-subbits).  Values
 * below 2^(subbits + 1) tenths get a bucket each.
 */
#define HIST_MAXBITS	40

/* The run's: under 0.05%; a host's: under 2%, in 4.5 KiB. */
#define RUN_SUBBITS	11
#define HOST_SUBBITS	5
#define HOST_EXACT	256

/* The hosts the summary lists, busiest first. */
#define HOSTS_SHOWN	100

static size_t
hist_n(int sb)
{
	return ((size_t)2 << sb) + (size_t)(HIST_MAXBITS - sb - 1) *
	    ((size_t)1 << sb);
}

static size_t
hist_bucket(uint64_t v, int sb)
{
	int e;

	if (v < (uint64_t)2 << sb)
		return (size_t)v;
	if (v >= (uint64_t)1 << HIST_MAXBITS)
		v = ((uint64_t)1 << HIST_MAXBITS) - 1;
	e = 63 - __builtin_clzll(v);
	return ((size_t)2 << sb) + (size_t)(e - sb - 1) * ((size_t)1 << sb) +
	    (size_t)((v >> (e - sb)) & (((uint64_t)1 << sb) - 1));
}

/* The middle of a bucket, in tenths of ms. */
static double
hist_value(size_t i, int sb)
{
	size_t e, sub, linear = (size_t)2 << sb;

	if (i < linear)
		return (double)i;
	e = (size_t)sb + 1 + (i - linear) / ((size_t)1 << sb);
	sub = (i - linear) % ((size_t)1 << sb);
	return (double)((((size_t)1 << sb) + sub) << (e - (size_t)sb)) +
	    (double)((size_t)1 << (e - (size_t)sb)) / 2;
}

static void
latency_init(struct latency *l, size_t exact_max, int subbits)
{
	memset(l, 0, sizeof(*l));
	l->exact_max = exact_max;
	l->subbits = subbits;
}

static void
latency_clear(struct latency *l)
{
	free(l->exact);
	free(l->hist);
}

static void
hist_add(struct latency *l, double ms)
{
	l->hist[hist_bucket((uint64_t)llround(ms * 10), l->subbits)]++;
}

static void
latency_add(struct latency *l, double ms)
{
	uint64_t i;

	if (l->n == 0 || ms < l->min)
		l->min = ms;
	if (l->n == 0 || ms > l->max)
		l->max = ms;
	l->sum += ms;
	if (l->n < l->exact_max) {
		/* Grown as needed: a host with few samples costs little. */
		if (l->n == l->exact_cap) {
			l->exact_cap = l->exact_cap == 0 ? 8 : l->exact_cap * 2;
			if (l->exact_cap > l->exact_max)
				l->exact_cap = l->exact_max;
			l->exact = xreallocarray(l->exact, l->exact_cap,
			    sizeof(*l->exact));
		}
		l->exact[l->n++] = ms;
		return;
	}
	if (l->hist == NULL) {
		l->hist = xcalloc(hist_n(l->subbits), sizeof(*l->hist));
		for (i = 0; i < l->n; i++)
			hist_add(l, l->exact[i]);
		free(l->exact);
		l->exact = NULL;
	}
	hist_add(l, ms);
	l->n++;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
latency_percentile(struct latency *l, double p)
{
	uint64_t rank, seen = 0;
	size_t i, n;
	double v;

	if (l->n == 0)
		return -1;
	rank = (uint64_t)ceil(p / 100.0 * (double)l->n);
	if (rank < 1)
		rank = 1;
	if (rank > l->n)
		rank = l->n;
	if (l->hist == NULL) {
		qsort(l->exact, l->n, sizeof(*l->exact), cmp_double);
		return l->exact[rank - 1];
	}
	n = hist_n(l->subbits);
	for (i = 0; i < n; i++)
		if ((seen += l->hist[i]) >= rank)
			break;
	v = hist_value(i, l->subbits) / 10;
	if (v < l->min)
		v = l->min;
	if (v > l->max)
		v = l->max;
	return v;
}

struct host_stat {
	RB_ENTRY(host_stat) entry;
	char		*key;
	uint64_t	 requests, ok, failed, retries;
	struct latency	 lat;
};

static int
host_stat_cmp(struct host_stat *a, struct host_stat *b)
{
	return strcmp(a->key, b->key);
}

RB_HEAD(host_stats, host_stat);
RB_GENERATE_STATIC(host_stats, host_stat, entry, host_stat_cmp)

struct summary *
summary_new(void)
{
	struct summary *s;

	s = xcalloc(1, sizeof(*s));
	latency_init(&s->lat, SUMMARY_EXACT, RUN_SUBBITS);
	return s;
}

void
summary_by_host(struct summary *s)
{
	if (s->hosts != NULL)
		return;
	s->hosts = xcalloc(1, sizeof(*s->hosts));
	RB_INIT(s->hosts);
}

void
summary_free(struct summary *s)
{
	struct host_stat *h, *next;

	if (s == NULL)
		return;
	if (s->hosts != NULL) {
		RB_FOREACH_SAFE(h, host_stats, s->hosts, next) {
			RB_REMOVE(host_stats, s->hosts, h);
			latency_clear(&h->lat);
			free(h->key);
			free(h);
		}
		free(s->hosts);
	}
	latency_clear(&s->lat);
	free(s);
}

static struct host_stat *
host_stat_get(struct summary *s, const char *key)
{
	struct host_stat find, *h;

	find.key = (char *)key;
	if ((h = RB_FIND(host_stats, s->hosts, &find)) != NULL)
		return h;
	h = xcalloc(1, sizeof(*h));
	h->key = xstrdup(key);
	latency_init(&h->lat, HOST_EXACT, HOST_SUBBITS);
	RB_INSERT(host_stats, s->hosts, h);
	s->nhosts++;
	return h;
}

/* 1 when r's time counts as a latency: it was fetched or served. */
static int
timed(const struct result *r)
{
	return r->attempts > 0 || r->cache != CACHE_OFF;
}

static void
host_add(struct summary *s, const struct result *r)
{
	struct host_stat *h;

	if (s->hosts == NULL || r->host == NULL)
		return;
	h = host_stat_get(s, r->host);
	h->requests++;
	if (r->ok)
		h->ok++;
	else
		h->failed++;
	if (r->attempts > 1 && !r->shared)
		h->retries += (uint64_t)r->attempts - 1;
	if (timed(r))
		latency_add(&h->lat, r->time_ms);
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
	if (timed(r))
		latency_add(&s->lat, r->time_ms);
	host_add(s, r);
}

double
summary_percentile(struct summary *s, double p)
{
	return latency_percentile(&s->lat, p);
}

static void
latency_json(struct latency *l, struct buf *b)
{
	static const struct {
		const char	*name;
		double		 p;
	} pct[] = { { "p50", 50 }, { "p90", 90 }, { "p99", 99 } };
	size_t i;

	if (l->n == 0) {
		buf_adds(b, "{\"min\":null,\"mean\":null,\"p50\":null,"
		    "\"p90\":null,\"p99\":null,\"max\":null}");
		return;
	}
	buf_printf(b, "{\"min\":%.1f,\"mean\":%.1f", l->min,
	    l->sum / (double)l->n);
	for (i = 0; i < sizeof(pct) / sizeof(pct[0]); i++)
		buf_printf(b, ",\"%s\":%.1f", pct[i].name,
		    latency_percentile(l, pct[i].p));
	buf_printf(b, ",\"max\":%.1f}", l->max);
}

/* Busiest first: most requests, then by name. */
static int
host_busier(const void *a, const void *b)
{
	const struct host_stat *x = *(struct host_stat *const *)a;
	const struct host_stat *y = *(struct host_stat *const *)b;

	if (x->requests != y->requests)
		return x->requests > y->requests ? -1 : 1;
	return strcmp(x->key, y->key);
}

static void
host_json(struct host_stat *h, struct buf *b)
{
	static const char *const pct[] = { "p50", "p90", "p99" };
	static const double p[] = { 50, 90, 99 };
	size_t i;

	json_strz(b, h->key);
	buf_printf(b, ":{\"requests\":%llu,\"ok\":%llu,\"failed\":%llu,"
	    "\"retries\":%llu", (unsigned long long)h->requests,
	    (unsigned long long)h->ok, (unsigned long long)h->failed,
	    (unsigned long long)h->retries);
	for (i = 0; i < 3; i++) {
		if (h->lat.n == 0)
			buf_printf(b, ",\"%s\":null", pct[i]);
		else
			buf_printf(b, ",\"%s\":%.1f", pct[i],
			    latency_percentile(&h->lat, p[i]));
	}
	buf_addc(b, '}');
}

/* ",\"hosts\":{...}": the HOSTS_SHOWN busiest hosts. */
static void
hosts_json(struct summary *s, struct buf *b)
{
	struct host_stat **all, *h;
	size_t n = 0, i;

	all = xreallocarray(NULL, s->nhosts + 1, sizeof(*all));
	RB_FOREACH(h, host_stats, s->hosts)
		all[n++] = h;
	qsort(all, n, sizeof(*all), host_busier);
	buf_adds(b, ",\"hosts\":{");
	for (i = 0; i < n && i < HOSTS_SHOWN; i++) {
		if (i > 0)
			buf_addc(b, ',');
		host_json(all[i], b);
	}
	buf_addc(b, '}');
	free(all);
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
	latency_json(&s->lat, b);
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
	buf_addc(b, '}');
	if (s->hosts != NULL)
		hosts_json(s, b);
	if (s->shard_n > 0)
		buf_printf(b, ",\"shard\":\"%ld/%ld\"", s->shard_k,
		    s->shard_n);
	buf_addc(b, '}');
}
