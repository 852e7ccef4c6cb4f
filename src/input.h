/*
 * The input: positional arguments, then each -i FILE, or stdin, read one
 * line at a time as the scheduler asks for more, so that a run starts
 * before its input ends and holds no more of it than it must.
 */
#ifndef GATHER_INPUT_H
#define GATHER_INPUT_H

#include <stddef.h>

#include "config.h"
#include "request.h"

/* Longest input line accepted, newline excluded. */
#define INPUT_LINE_MAX 65536

/* The most work input_next does between two INPUT_BUSY. */
#define INPUT_PASS_LINES	4096		/* lines taken, skipped or not */
#define INPUT_PASS_REQUESTS	256		/* requests made, bad ones too */
#define INPUT_PASS_BYTES	(1024 * 1024)	/* bytes read */

enum input_status {
	INPUT_OK,	/* *out is a new request (maybe a bad input) */
	INPUT_AGAIN,	/* nothing now; wait for input_fd() to be readable */
	INPUT_BUSY,	/* a pass's share of work is done; call again soon */
	INPUT_EOF,	/* every source is exhausted */
	INPUT_FAIL	/* a read error; *errmsg says which */
};

struct input;

/*
 * Opens every source of cfg.  Returns NULL, and an allocated message in
 * *errmsg that the caller frees, when a file cannot be opened.
 */
struct input	*input_new(const struct config *, char **);
void		 input_free(struct input *);

/*
 * The next request, given to the caller.  A URL argument or line that
 * is a glob (glob.c; not with cfg's globoff, never a JSON spec) gives its
 * URLs one call at a time, each a request with an index of its own,
 * named NAME.VALUES when the input has a NAME.  With block set it waits for
 * input; without, it returns INPUT_AGAIN rather than wait.  Once one of
 * the INPUT_PASS_ limits is reached it returns INPUT_BUSY, request or
 * not, and starts a new share: input that makes no request or only bad
 * ones (an endless line, a million comments, random bytes) never keeps a
 * caller that loops on it from its deadline and signals.
 */
enum input_status input_next(struct input *, int, struct request **,
		    char **);

/* The descriptor to wait on after INPUT_AGAIN, or -1. */
int		 input_fd(const struct input *);

/*
 * Where reading would go on ("line 7 of FILE", "argument 3"), for a run
 * that stops before its input ends; NULL when every source is exhausted.
 * The caller frees it.
 */
char		*input_unread(const struct input *);

/*
 * Parses one input line (or argument) of len bytes into r: name, URL,
 * host key and normalised URL, and a spec's fields, with vars expanded
 * in a spec (NULL: none set).  Returns 0 for a line to skip, 1 for a
 * request, or -1 with an allocated reason in *why (r may hold part of what
 * was parsed: request_free frees it).  Duplicate names are not its
 * concern.
 */
int		 input_parse(const char *, size_t, const struct vars *,
		    struct request *, char **);

#endif
