/*
 * Counting the inputs of a run before it starts, so that a progress line
 * can show the total and an ETA from the first result.
 */
#ifndef GATHER_COUNT_H
#define GATHER_COUNT_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

/*
 * The number of inputs of cfg: its arguments and the lines of its input
 * files that are not blank or comments.  Only regular files are counted
 * (they are read here once more, and stdin's offset is left alone); -1
 * when an input is a pipe, a terminal or anything else that can be read
 * only once, or cannot be read.  An argument that is a glob counts as
 * its URLs; a file with a line that may be a glob gives -1 too.  It is a
 * forecast: the input decides.
 */
int64_t	 count_inputs(const struct config *);

/*
 * The inputs in the len bytes of a file's data p; state carries a line
 * across calls (0 before the first) and count_end ends the last line.
 * With globbing set, globbed tells that a line holds "[]{}": the count
 * is then not the number of requests.
 */
struct count_state {
	int	 globbing;	/* set by the caller: lines may be globs */
	int	 started;	/* a byte of the file was seen */
	int	 seen;		/* the line has a byte that is not a space */
	int	 counts;	/* the line is an input */
	int	 spec;		/* the line is a JSON spec */
	int	 globbed;	/* a line that counts may be a glob */
};
uint64_t count_chunk(struct count_state *, const char *, size_t);
uint64_t count_end(const struct count_state *);

#endif
