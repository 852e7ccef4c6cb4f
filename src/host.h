/*
 * Per-host state of a run: requests in flight, requests waiting for a slot
 * (--per-host), and a pause set by a Retry-After.  A host is "name:port",
 * lower-cased.  The scheduler owns the table; requests borrow their host.
 */
#ifndef GATHER_HOST_H
#define GATHER_HOST_H

#include <stddef.h>

#include "request.h"

struct host {
	char			*key;
	size_t			 inflight;
	double			 paused_until;	/* monotonic ms; 0: none */
	struct request_queue	 waiting;	/* for a --per-host slot */
};

struct hosts;

struct hosts	*hosts_new(void);

/* Frees every host; requests still waiting are not freed. */
void		 hosts_free(struct hosts *);

/* The host named key, made on first use; never NULL. */
struct host	*hosts_get(struct hosts *, const char *);

#endif
