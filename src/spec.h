/*
 * JSON request specs: an input line such as
 *   {"url": "...", "name": "...", "method": "POST", "headers": {"K": "V"},
 *    "body": "text" | <any JSON value>, "ttl": "10m", "timeout": "5s",
 *    "retry": 3, "user": "USER:PASSWORD" | "bearer": "TOKEN",
 *    "proxy": "URL"}
 * becomes the fields of a request; so do the pagination keys "paginate",
 * "next", "cursor", "cursor_param", "items" and "max_pages".  Only "url"
 * is required; an unknown key or a value of the wrong type is refused,
 * naming the key.  Every string value, those inside a JSON body too, has
 * its "{{NAME}}" references expanded (vars.h); a name not set is an error.
 */
#ifndef GATHER_SPEC_H
#define GATHER_SPEC_H

#include <stddef.h>

#include "request.h"

struct vars;

/*
 * Parses the spec of len bytes at text into r (url, name, method, headers,
 * body, ttl, timeout, retry, user, bearer; r owns what it gets),
 * expanding vars (NULL: none).  Returns 0, or -1 with an allocated reason
 * in *why that never holds a header's, body's or credential's value; a
 * syntax error names its column, counting text's first character as
 * column col of its line.  The URL and the name are not checked here.
 */
int	spec_parse(const char *, size_t, size_t, const struct vars *,
	    struct request *, char **);

/*
 * 1 when one of the n headers "K: V" is named by the len bytes at name
 * (any case).
 */
int	spec_has_header(char *const *, size_t, const char *, size_t);

/* 1 when m is an HTTP token (RFC 9110): a method or a header name. */
int	spec_token(const char *);

#endif
