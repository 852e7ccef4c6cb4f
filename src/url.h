/*
 * URL checks and redaction.  Parsing is libcurl's (the CURLU API); this
 * file only decides what gather accepts and how a URL is shown.
 */
#ifndef GATHER_URL_H
#define GATHER_URL_H

#include "buf.h"

/*
 * Checks that url is an absolute http or https URL with a host.  Returns 0
 * and, when hostkey is not NULL, the allocated "host:port" (lower-cased,
 * default port filled in) in *hostkey, and when norm is not NULL the
 * normalised URL (see url_normalize) in *norm; or -1 and a static reason
 * in *why.
 */
int	url_check(const char *, char **, char **, const char **);

/*
 * The URL as the cache key sees it: scheme and host lower-cased, default
 * port and fragment dropped, an empty path as "/".  Allocated; NULL when
 * url_check refuses url.
 */
char	*url_normalize(const char *);

/* Appends url to b with the password of its userinfo, if any, as "***". */
void	url_redact(const char *, struct buf *);

/*
 * The same for text that is not a valid URL: everything between the
 * first ':' after the scheme and the last '@' is hidden.
 */
void	url_redact_loose(const char *, struct buf *);

#endif
