/*
 * Even spacing of attempt starts.  A token bucket of depth one: the next
 * start is due one interval after the later of the last start and now, so
 * an idle spell never saves up a burst.
 */
#include "ratelimit.h"

void
ratelimit_init(struct ratelimit *rl, int64_t n, int64_t per_ms)
{
	rl->interval_ms = n > 0 ? (double)per_ms / (double)n : 0;
	rl->next_ms = 0;
}

double
ratelimit_wait(const struct ratelimit *rl, double now)
{
	if (rl->interval_ms <= 0 || now >= rl->next_ms)
		return 0;
	return rl->next_ms - now;
}

double
ratelimit_take(struct ratelimit *rl, double now)
{
	double wait;

	if ((wait = ratelimit_wait(rl, now)) > 0)
		return wait;
	if (rl->interval_ms > 0)
		rl->next_ms = now + rl->interval_ms;
	return 0;
}
