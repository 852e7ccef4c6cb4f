/*
 * A streaming re-indenter and colourer: compact JSON text in, two-space
 * indented and/or jq-coloured JSON text out, fed in pieces of any size and
 * written in pieces of a bounded size.  It trusts its input to be valid
 * compact JSON (values may follow each other on lines, as NDJSON does) and
 * does not check it.
 */
#ifndef GATHER_PRETTY_H
#define GATHER_PRETTY_H

#include <stddef.h>

#include "buf.h"

/* The kinds of text a colour is given to, in JQ_COLORS order. */
enum pretty_kind {
	PRETTY_NULL,
	PRETTY_FALSE,
	PRETTY_TRUE,
	PRETTY_NUMBER,
	PRETTY_STRING,
	PRETTY_ARRAY,
	PRETTY_OBJECT,
	PRETTY_KEY,
	PRETTY_KINDS
};

/* One escape sequence ("\033[0;32m") per kind, as plain data. */
#define PRETTY_COLOR_LEN 16
struct pretty_colors {
	char	seq[PRETTY_KINDS][PRETTY_COLOR_LEN];
};

struct pretty {
	const struct pretty_colors *colors;	/* NULL: no colour */
	int	 indent;	/* 1: two-space indent, 0: compact */
	char	*stack;		/* '{' or '[' per open container */
	size_t	 depth;
	size_t	 cap;
	int	 in_string;
	int	 escaped;
	int	 is_key;	/* the string is an object key */
	int	 in_scalar;	/* inside a number or a literal */
	int	 open;		/* just after '{' or '[' */
	int	 want_key;	/* the next string is an object key */
};

/* Fills c with the default colours, jq 1.7.1's JQ_COLORS default. */
void	pretty_colors_default(struct pretty_colors *);

/*
 * Sets c from spec in JQ_COLORS form: up to eight colon-separated fields of
 * digits and ';' (at most 12 characters each), in enum pretty_kind order;
 * fields left out keep their default.  Returns 0, or -1 when spec is not
 * such a list; then c holds the defaults.
 */
int	pretty_colors_parse(struct pretty_colors *, const char *);

/*
 * Starts p: indent or not, coloured with colors (borrowed; NULL for none).
 * pretty_free releases what feeding allocated; p may be started again.
 */
void	pretty_init(struct pretty *, int, const struct pretty_colors *);
void	pretty_free(struct pretty *);

/*
 * Appends the re-indented text of the n bytes at s to out, stopping once
 * out holds room bytes or more (a step writes at most a few escape
 * sequences and one indented line break past it).  Returns how many bytes
 * of s were taken: less than n only when out is at room.
 */
size_t	pretty_feed(struct pretty *, const char *, size_t, struct buf *,
	    size_t);

#endif
