/*
 * A streaming re-indenter: compact JSON text in, two-space indented JSON
 * text out, fed in pieces of any size.  It trusts its input to be valid
 * JSON and does not check it.
 */
#ifndef GATHER_PRETTY_H
#define GATHER_PRETTY_H

#include <stddef.h>

#include "buf.h"

struct pretty {
	int	depth;
	int	in_string;
	int	escaped;
	int	open;		/* just after '{' or '[' */
};

void	pretty_init(struct pretty *);
void	pretty_feed(struct pretty *, const char *, size_t, struct buf *);

#endif
