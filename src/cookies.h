/*
 * The run's one cookie engine: a libcurl share handle every transfer
 * uses, so that a cookie one response sets goes with every later request
 * it matches, whichever handle sends it.  -b FILE is loaded into it once,
 * at the start; -c FILE is written from it once, at the end.
 */
#ifndef GATHER_COOKIES_H
#define GATHER_COOKIES_H

#include <curl/curl.h>

#include "config.h"

struct cookies;

/*
 * The engine for cfg, with cfg's cookie files loaded (as curl does, a
 * file that cannot be read adds nothing), or NULL when cfg asks for no
 * engine: no -b FILE and no -c.
 */
struct cookies	*cookies_new(const struct config *);
void		 cookies_free(struct cookies *);

/* The share handle to give each transfer; lent. */
CURLSH		*cookies_share(struct cookies *);

/*
 * Writes every unexpired cookie to path in the Netscape format curl
 * writes, through a temp file in path's folder renamed into place, so
 * that a reader sees the old jar or the new one, never a part.  Returns
 * 0, or -1 and an allocated reason in *why.
 */
int		 cookies_save(struct cookies *, const char *, char **);

#endif
