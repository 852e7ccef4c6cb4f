/*
 * One request of the run, from the input line that made it to the moment
 * its result is rendered.  The scheduler owns it.
 */
#ifndef GATHER_REQUEST_H
#define GATHER_REQUEST_H

#include <stddef.h>
#include <sys/queue.h>

struct transfer;

struct request {
	size_t		 index;		/* position in the input */
	char		*url;		/* owned; NULL for some bad inputs */
	char		*name;		/* owned; NULL when unnamed */
	char		*input_error;	/* owned; set: a bad input */

	int		 attempts;
	double		 t_first;	/* monotonic ms of the first attempt */
	struct transfer	*xfer;		/* while an attempt is in flight */

	TAILQ_ENTRY(request) link;
};
TAILQ_HEAD(request_queue, request);

void	request_free(struct request *);

#endif
