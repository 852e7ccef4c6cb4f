/*
 * The engine's event loop: reads requests from the input as there is room,
 * runs them on one libcurl multi handle, and hands each finished result to
 * the output and the summary.
 */
#ifndef GATHER_SCHEDULER_H
#define GATHER_SCHEDULER_H

#include <signal.h>
#include <stdint.h>

#include "store.h"
#include "config.h"
#include "input.h"
#include "output.h"
#include "progress.h"
#include "result.h"
#include "summary.h"

/* What one attempt did, for -v.  Strings are lent for the call. */
struct attempt_log {
	size_t		 index;
	const char	*method;
	const char	*url;		/* password already hidden */
	int		 attempt;
	const char	*outcome;	/* "200", "connect: ..." */
	double		 time_ms;
	int64_t		 delay_ms;	/* before the next attempt; -1: none */
};

struct sched_hooks {
	void	(*attempt)(void *, const struct attempt_log *);
	void	(*warn)(void *, const char *);
	/* Progress, at most ten times a second; total -1 until EOF. */
	void	(*progress)(void *, const struct progress *);
	/* Each failed result as it is counted; r is lent for the call. */
	void	(*failed)(void *, const struct result *);
	void	*arg;
	/* Non-zero once the run must stop (a signal was caught). */
	volatile sig_atomic_t *stop;
	int	 stop_fd;	/* readable once stop is set, or -1 */
};

/*
 * Runs every request of in, with the cache of cfg->cache_dir when one
 * calls for it.  Returns 0 when the run completed (whatever its results),
 * or -1 with an allocated message in *errmsg when the input broke off
 * (what was read still ran) or the output could not be written (the run
 * stopped).
 */
int	sched_run(const struct config *, struct input *, struct output *,
	    struct summary *, const struct sched_hooks *, char **);

#endif
