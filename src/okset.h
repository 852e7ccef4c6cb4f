/*
 * --ok: the HTTP statuses that make a result ok.  A set of codes parsed
 * from a list of codes (404), classes (2xx) and ranges (200-299); without
 * --ok, every status below 400 is ok.
 */
#ifndef GATHER_OKSET_H
#define GATHER_OKSET_H

#include <stdint.h>

#define OKSET_MIN	100
#define OKSET_MAX	999

struct okset {
	uint8_t	 bits[(OKSET_MAX + 1 + 7) / 8];
};

/* The default: every status below 400 is ok. */
void	okset_default(struct okset *);

/*
 * Parses a --ok list into s (replacing what it held).  Returns 0, or -1
 * with *bad pointing at the offending item (not NUL-terminated: it ends at
 * the next comma).
 */
int	okset_parse(struct okset *, const char *, const char **);

/* 1 when a response with status makes the result ok. */
int	okset_has(const struct okset *, long);

#endif
