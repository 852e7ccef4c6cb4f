/*
 * One result as a compact JSON object: the element of "results" and the
 * line of --ndjson.
 */
#ifndef GATHER_RENDER_H
#define GATHER_RENDER_H

#include "buf.h"
#include "result.h"

/*
 * Appends r as a JSON object to b.  It may modify r->body in place (JSON
 * bodies lose their whitespace); r->body must be NUL-terminated.
 */
void	render_result(struct result *, struct buf *);

/* 1 when a content type (or its absence) announces a JSON body. */
int	render_is_json_type(const char *);

#endif
