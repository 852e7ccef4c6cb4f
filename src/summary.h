/*
 * The summary of a run: counts, bytes, latency percentiles, and counts per
 * status and per error kind.  Memory is fixed, whatever the number of
 * results: latencies are kept exactly up to SUMMARY_EXACT samples, then in
 * a log-linear histogram (relative error under 0.05%).
 */
#ifndef GATHER_SUMMARY_H
#define GATHER_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "result.h"

#define SUMMARY_EXACT 8192

/* Latencies: exact for the first exact_max, then a histogram. */
struct latency {
	uint64_t	 n;
	double		 min, max, sum;
	double		*exact;		/* the first samples, grown as needed */
	size_t		 exact_cap, exact_max;
	uint32_t	*hist;		/* then this, in tenths of ms */
	int		 subbits;	/* its precision */
};

struct host_stats;

struct summary {
	uint64_t	 total, ok, failed, cached, retries, bytes;
	uint64_t	 status[1000];
	uint64_t	 errors[ERR__COUNT];
	struct latency	 lat;
	struct host_stats *hosts;	/* NULL: not by host */
	size_t		 nhosts;

	long		 shard_k, shard_n; /* --shard K/N; n 0: none */
};

struct summary	*summary_new(void);
void		 summary_free(struct summary *);

/*
 * Keeps counts and latencies per host (results' host) as well, and adds
 * "hosts" to the summary: for the 100 with the most results, busiest
 * first, {requests, ok, failed, retries, p50, p90, p99}; its percentiles
 * are within 2%.
 */
void		 summary_by_host(struct summary *);

/* Counts one finished result. */
void	 summary_add(struct summary *, const struct result *);

/*
 * Nearest-rank percentile p (0 < p <= 100) of the latencies seen, in ms;
 * -1 when there are none.
 */
double	 summary_percentile(struct summary *, double);

/*
 * Appends the summary object as compact JSON; wall_ms is the run's time.
 * A shard's summary ends with "shard": "K/N".
 */
void	 summary_json(struct summary *, double, struct buf *);

#endif
