/*
 * The summary of a run: counts, bytes, latency percentiles, and counts per
 * status and per error kind.  Memory is fixed, whatever the number of
 * results: latencies are kept exactly up to SUMMARY_EXACT samples, then in
 * a log-linear histogram (relative error under 0.05%).
 */
#ifndef GATHER_SUMMARY_H
#define GATHER_SUMMARY_H

#include <stdint.h>

#include "buf.h"
#include "result.h"

#define SUMMARY_EXACT 8192

struct summary {
	uint64_t	 total, ok, failed, cached, retries, bytes;
	uint64_t	 cached_local, cached_shared; /* hits by tier */
	int		 tiers;	/* --redis: cache_tiers is written */
	uint64_t	 status[1000];
	uint64_t	 errors[ERR__COUNT];

	uint64_t	 nlat;
	double		 lat_min, lat_max, lat_sum;
	double		*exact;		/* first SUMMARY_EXACT latencies */
	uint32_t	*hist;		/* then this, in tenths of ms */
};

struct summary	*summary_new(void);
void		 summary_free(struct summary *);

/* Counts one finished result. */
void	 summary_add(struct summary *, const struct result *);

/*
 * Nearest-rank percentile p (0 < p <= 100) of the latencies seen, in ms;
 * -1 when there are none.
 */
double	 summary_percentile(struct summary *, double);

/* Appends the summary object as compact JSON; wall_ms is the run's time. */
void	 summary_json(struct summary *, double, struct buf *);

#endif
