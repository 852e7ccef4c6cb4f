/*
 * Retry policy, pure: given how an attempt ended, whether to try again and
 * after how long.  It keeps no state and reads no clock; randomness comes
 * from the caller, so tests can pin it.
 */
#ifndef GATHER_RETRY_H
#define GATHER_RETRY_H

#include <stdint.h>
#include <time.h>

#include "result.h"

/* Tokens of --retry-on. */
#define RETRY_CONNECT	0x01
#define RETRY_TIMEOUT	0x02
#define RETRY_DNS	0x04
#define RETRY_TLS	0x08
#define RETRY_5XX	0x10
#define RETRY_4XX	0x20

struct retry_policy {
	int		 retries;	/* after the first attempt */
	int64_t		 base_ms;
	int64_t		 cap_ms;
	unsigned	 on;		/* RETRY_* */
	uint8_t		 status[1000 / 8]; /* codes named one by one */
	int		 unsafe;	/* retry POST and PATCH too */
};

struct retry_outcome {
	enum err_kind	 err;
	long		 status;
	int64_t		 retry_after_ms;	/* -1: none given */
	const char	*method;
	int		 attempts;		/* made so far, >= 1 */
	int64_t		 time_left_ms;		/* to the deadline; -1: none */
};

struct retry_decision {
	int		 retry;
	int64_t		 delay_ms;
	/* Set when a Retry-After was too long to honour, in seconds. */
	int64_t		 retry_after_s;
	const char	*why;		/* static: why not, when not */
};

/* A source of uniform integers in [0, bound). */
typedef uint32_t (*retry_rand)(void *, uint32_t);

void	retry_policy_default(struct retry_policy *);

/*
 * Parses a --retry-on list into p (replacing its tokens).  Returns 0, or
 * -1 with *bad pointing at the offending token (not NUL-terminated).
 */
int	retry_parse_on(struct retry_policy *, const char *, const char **);

/* Decides about the attempt described by o; fills d. */
void	retry_decide(const struct retry_policy *, const struct retry_outcome *,
	    retry_rand, void *, struct retry_decision *);

/* The longest wait a Retry-After can ask for: a year, in ms. */
#define RETRY_AFTER_MAX_MS	((int64_t)86400 * 365 * 1000)

/*
 * The wait in ms a Retry-After value asks for at now (seconds since the
 * epoch): delay-seconds, or an HTTP-date (0 when it is past).  A longer
 * wait, however far off, is RETRY_AFTER_MAX_MS.  -1: not a valid value.
 */
int64_t	retry_after_parse(const char *, time_t);

/* 1 for the methods retried without --retry-unsafe. */
int	retry_idempotent(const char *);

#endif
