/*
 * --rate: attempt starts spaced evenly, N per period, with no bursts, not
 * even after an idle spell.  It reads no clock: the caller passes "now".
 */
#ifndef GATHER_RATELIMIT_H
#define GATHER_RATELIMIT_H

#include <stdint.h>

struct ratelimit {
	double	interval_ms;	/* 0: no limit */
	double	next_ms;	/* earliest start of the next attempt */
};

void	ratelimit_init(struct ratelimit *, int64_t, int64_t);

/*
 * Takes a start at now when one is due and returns 0; else returns how
 * many ms remain until one is, taking nothing.
 */
double	ratelimit_take(struct ratelimit *, double);

/* ms until a start is due (0: now), taking nothing. */
double	ratelimit_wait(const struct ratelimit *, double);

#endif
