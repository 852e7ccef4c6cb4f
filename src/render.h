/*
 * One result as a compact JSON object: the element of "results" and the
 * line of --ndjson.
 */
#ifndef GATHER_RENDER_H
#define GATHER_RENDER_H

#include "buf.h"
#include "config.h"
#include "result.h"

/*
 * Appends r as a JSON object to b, its body through the JSON pointer select
 * (NULL: the whole body), without what changes from run to run when
 * stable is set (--stable).  r->body must be NUL-terminated; it is not
 * modified.  Returns 1 when select named nothing in the body, else 0.
 */
int	render_result(const struct result *, const char *, int, struct buf *);

/*
 * 1 when --stable leaves out the JSON member of this name wherever it is
 * written: its value changes from run to run over the same responses
 * (times, dates).  The one list of them.
 */
int	render_stable_omits(const char *);

/*
 * Appends what the shape of cfg writes for r: the result object (document
 * and --ndjson), its body value or null (--bodies, --merge), or
 * "key":value (--keyed).  Returns as render_result.
 */
int	render_shaped(const struct result *, const struct config *,
	    struct buf *);

/* 1 when a content type (or its absence) announces a JSON body. */
int	render_is_json_type(const char *);

#endif
