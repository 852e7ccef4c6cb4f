/*
 * A run's credentials outside the request itself: the netrc file libcurl
 * will read (found, and summed for the cache key) and the headers whose
 * values are never shown.  The credentials are set on a transfer in
 * transfer.c and mixed into a key in cachekey.c; nothing here prints.
 */
#ifndef GATHER_CREDS_H
#define GATHER_CREDS_H

#include <stddef.h>

#include "config.h"

/*
 * With netrc use asked for, settles cfg->netrc_path (--netrc-file, else
 * ~/.netrc) and sums the file into cfg->netrc_sum.  A file that is missing
 * is an error unless the use is optional.  Returns 0, or -1 with an
 * allocated reason in *why.
 */
int	creds_netrc(struct config *, char **);

/*
 * 1 when the header named by the len bytes at name (any case) is secret:
 * Authorization, Proxy-Authorization, Cookie, or one of --secret-header.
 */
int	creds_secret_header(const struct config *, const char *, size_t);

#endif
