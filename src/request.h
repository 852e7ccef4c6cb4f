/*
 * One request of the run, from the input line that made it to the moment
 * its result is rendered.  The scheduler owns it.
 */
#ifndef GATHER_REQUEST_H
#define GATHER_REQUEST_H

#include <stddef.h>
#include <sys/queue.h>

/* libbsd leaves __unused undefined, which RB_GENERATE_STATIC uses. */
#ifndef __unused
#define __unused __attribute__((__unused__))
#endif
#include <sys/tree.h>

#include "entry.h"

struct host;
struct transfer;

struct request {
	size_t		 index;		/* position in the input */
	char		*url;		/* owned; NULL for some bad inputs */
	char		*name;		/* owned; NULL when unnamed */
	char		*input_error;	/* owned; set: a bad input */
	char		*host_key;	/* owned; "name:port" */

	int		 attempts;
	double		 t_first;	/* monotonic ms of the first attempt */
	double		 due;		/* monotonic ms the next attempt may go */
	char		*last_error;	/* owned; the last failed attempt's */
	struct host	*host;		/* lent by the scheduler's table */
	struct transfer	*xfer;		/* while an attempt is in flight */

	unsigned char	 key[CACHE_KEY_LEN]; /* cache key, also for sharing */
	char		*norm_url;	/* owned; the URL the key was made of */
	struct entry	*entry;		/* owned; the cached response, if any */
	int		 looked_up;	/* the cache was asked already */

	TAILQ_ENTRY(request) link;	/* ready or host queue */
	RB_ENTRY(request) timer;	/* waiting for due */
	RB_ENTRY(request) flight;	/* a leader, in the flight map */
	TAILQ_HEAD(, request) followers; /* identical requests sharing it */
	TAILQ_ENTRY(request) flink;	/* a follower, in its leader's list */
};
TAILQ_HEAD(request_queue, request);

void	request_free(struct request *);

#endif
