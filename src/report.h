/*
 * What a person reads on stderr at the end of a run: one line per failed
 * result (the first few in input order, the rest counted) and one line of
 * totals.  It makes the text; cmd/ decides who sees it and prints it.
 */
#ifndef GATHER_REPORT_H
#define GATHER_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "result.h"
#include "summary.h"

struct report;

/* A report that keeps the lines of the max failures first in input order. */
struct report	*report_new(size_t);
void		 report_free(struct report *);

/*
 * Counts the failed result r, and keeps its line when it is among the
 * first failures by index: "#17 https://u:***@host/x: HTTP 503".  The URL's
 * password is hidden and control characters become '?'.  r is only read.
 */
void		 report_add(struct report *, const struct result *);

/*
 * The i-th kept line, in input order, lent until report_free; NULL past
 * the last.
 */
const char	*report_line(const struct report *, size_t);

/* How many failures were counted but not kept. */
uint64_t	 report_more(const struct report *);

/*
 * Appends the line of totals: "200 results in 1.2 s: 198 ok, 2 failed
 * (http 2), 37 cached".  wall_ms is the run's time.
 */
void		 report_totals(const struct summary *, double, struct buf *);

#endif
