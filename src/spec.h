/*
 * JSON request specs: an input line such as
 *   {"url": "...", "name": "...", "method": "POST", "headers": {"K": "V"},
 *    "body": "text" | <any JSON value>, "ttl": "10m", "timeout": "5s",
 *    "retry": 3}
 * becomes the fields of a request.  Only "url" is required; an unknown
 * key or a value of the wrong type is refused, naming the key.
 */
#ifndef GATHER_SPEC_H
#define GATHER_SPEC_H

#include <stddef.h>

#include "request.h"

/*
 * Parses the spec of len bytes at text into r (url, name, method, headers,
 * body, ttl, timeout, retry; r owns what it gets).  Returns 0, or -1 with an allocated
 * reason in *why; a syntax error names its column, counting text's first
 * character as column col of its line.  The URL and the name are not
 * checked here.
 */
int	spec_parse(const char *, size_t, size_t, struct request *, char **);

/*
 * 1 when one of the n headers "K: V" is named by the len bytes at name
 * (any case).
 */
int	spec_has_header(char *const *, size_t, const char *, size_t);

/* 1 when m is an HTTP token (RFC 9110): a method or a header name. */
int	spec_token(const char *);

#endif
