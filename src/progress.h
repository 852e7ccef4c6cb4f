/*
 * The progress line: where a run stands, as one line of text cut to the
 * width of a terminal.  It only makes the text; cmd/ decides whether a
 * terminal gets it and draws it.
 */
#ifndef GATHER_PROGRESS_H
#define GATHER_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Where the run stands, as the scheduler reports it. */
struct progress {
	uint64_t	 done, ok, failed, cached;
	int64_t		 total;		/* -1: not known (yet) */
	double		 elapsed_ms;
	int		 final;		/* the last report of the run */
};

/*
 * Appends to b the progress line of p, "gather: 12/200 done, ...", at most
 * width bytes long (every byte is one column: the line is ASCII).  When it
 * does not fit, the least useful parts are left out (the rate first, the
 * count last), and what still does not fit is cut.
 */
void	progress_line(const struct progress *, size_t, struct buf *);

/* Appends seconds as a clock, "0:07", "12:34" or "1:02:03". */
void	progress_clock(double, struct buf *);

#endif
