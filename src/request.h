/*
 * One request of the run, from the input line that made it to the moment
 * its result is rendered.  The scheduler owns it.
 */
#ifndef GATHER_REQUEST_H
#define GATHER_REQUEST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/queue.h>

/* libbsd leaves __unused undefined, which RB_GENERATE_STATIC uses. */
#ifndef __unused
#define __unused __attribute__((__unused__))
#endif
#include <sys/tree.h>

#include <curl/curl.h>

#include "config.h"
#include "entry.h"

struct host;

struct request {
	size_t		 index;		/* position in the input */
	char		*url;		/* owned; as shown; NULL: some bad inputs */
	char		*name;		/* owned; NULL when unnamed */
	char		*input_error;	/* owned; set: a bad input */
	int		 dup_name;	/* its NAME was taken by an earlier one */
	char		*host_key;	/* owned; "name:port" */
	CURLU		*cu;		/* owned; the URL fetched, normalised */

	/* From a JSON spec line; NULL, 0: the run's own. */
	int		 spec;
	char		*method;	/* owned */
	char		*body;		/* owned */
	size_t		 body_len;
	char		**hdrs;		/* owned: "K: V", added to -H */
	size_t		 nhdrs;
	int64_t		 ttl_ms;
	int		 ttl_auto;	/* "auto[:DUR]": ttl_ms is the default */
	int		 has_ttl;
	int64_t		 timeout_ms;	/* "timeout": -m of its own */
	int		 has_timeout;
	int		 retries;	/* "retry": --retry of its own */
	int		 has_retry;
	struct page_opts *popts;	/* owned; its pagination keys */
	struct pager	*pager;		/* owned; set: it paginates */
	char		*proxy;		/* owned; NULL: the run's */
	char		*user;		/* owned: "user", USER:PASSWORD */
	char		*bearer;	/* owned: "bearer", a token */

	int		 attempts;
	double		 t_read;	/* monotonic ms it was read */
	double		 t_first;	/* monotonic ms of the first attempt */
	double		 due;		/* monotonic ms the next attempt may go */
	char		*last_error;	/* owned; the last failed attempt's */
	char		*idem_key;	/* owned; sent on every attempt */
	struct host	*host;		/* lent by the scheduler's table */

	unsigned char	 key[CACHE_KEY_LEN]; /* cache key, also for sharing */
	char		*norm_url;	/* owned; cu's text, the key is made of */
	struct entry	*entry;		/* owned; the cached response, if any */
	int		 looked_up;	/* the cache was asked already */
	int		 tier;		/* enum shared_state */
	int		 tier_lock;	/* holds its once-lock in Redis */
	double		 tier_until;	/* waits for another's fetch until */
	double		 rate_due;	/* a fleet rate slot's time; 0: none */

	TAILQ_ENTRY(request) link;	/* ready or host queue */
	RB_ENTRY(request) timer;	/* waiting for due */
	RB_ENTRY(request) flight;	/* a leader, in the flight map */
	int		 leader;	/* it is in the flight map */
	TAILQ_HEAD(, request) followers; /* identical requests sharing it */
	TAILQ_ENTRY(request) flink;	/* a follower, in its leader's list */
};
TAILQ_HEAD(request_queue, request);

void	request_free(struct request *);

/*
 * Parses the request's url, as given, with libcurl (url_new): on success
 * it fills cu, norm_url and host_key, replaces url by the text shown for
 * it and returns 0; else -1 and a static reason in *why, url unchanged.
 */
int	request_set_url(struct request *, const char **);

/*
 * The method, body and TTL a request goes with: its spec's, else the
 * run's.  A spec's body without a method makes a POST unless -X was given.
 */
const char	*request_method(const struct request *, const struct config *);
const char	*request_body(const struct request *, const struct config *,
		    size_t *);
int64_t		 request_ttl(const struct request *, const struct config *);

/* The limit of one attempt and the retries: its spec's, else the run's. */
int64_t		 request_timeout(const struct request *,
		    const struct config *);
int		 request_retries(const struct request *, const struct config *);

/*
 * 1 when the response decides the request's freshness (--ttl auto, or its
 * spec's "auto"); request_ttl is then the default.
 */
int		 request_ttl_auto(const struct request *, const struct config *);

/*
 * The credential a request goes with: its spec's "user" or "bearer" (either
 * replaces both of the run's), else the run's -u or --oauth2-bearer.  NULL
 * when it has none of that kind.
 */
const char	*request_user(const struct request *, const struct config *);
const char	*request_bearer(const struct request *, const struct config *);

/* 1 when the request uses the cache: the run's --ttl or its spec's. */
int		 request_cached(const struct request *, const struct config *);

#endif
