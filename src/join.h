/*
 * gather join: the outputs of the shards of one run (documents, NDJSON of
 * results, summary lines, in any mix) read back, checked, and given out
 * again as one run's results in input order with one summary.
 */
#ifndef GATHER_JOIN_H
#define GATHER_JOIN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct join;

struct join	*join_new(void);
void		 join_free(struct join *);

/*
 * Reads the file at path ("-": stdin; lent until join_free), which holds
 * whitespace-separated JSON values: documents ({"results": [...],
 * "summary": {...}}), results (objects with an "index") and summaries
 * (objects with a "total").  Returns 0, or -1 and an allocated message
 * in *errmsg ("FILE: line N: ...") when it cannot be read or holds
 * anything else.
 */
int		 join_add(struct join *, const char *, char **);

/*
 * Puts the results read in index order and checks them: no index twice,
 * none missing from 0 to the last, and the shards named by the summaries
 * of one split with none twice or missing.  Returns 0, or -1 and an
 * allocated message of one or more lines, each ended by '\n'.
 */
int		 join_check(struct join *, char **);

/* How many results were read. */
size_t		 join_count(const struct join *);

/* How many of them failed. */
uint64_t	 join_failed(const struct join *);

/*
 * Appends the compact text of the i-th result in index order (after
 * join_check) to b, exactly as written but for blanks.
 */
void		 join_result(const struct join *, size_t, struct buf *);

/*
 * Appends the summary of the joined results as compact JSON: counts and
 * latencies from the results; retries, when every shard's summary is at
 * hand, as the sum of theirs, else from the results' attempts; time_ms
 * the longest of the summaries' (the shards ran side by side), or of the
 * results' without a summary.
 */
void		 join_summary(struct join *, struct buf *);

#endif
