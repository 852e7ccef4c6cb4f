/*
 * URLs as gather checks, keys, shows and fetches them.  Parsing is
 * libcurl's (the CURLU API), the same parser the transfer uses, so what is
 * checked, keyed, logged and fetched can never differ; this file only
 * decides what gather accepts, how a URL is normalised and how it is shown.
 */
#ifndef GATHER_URL_H
#define GATHER_URL_H

#include <curl/curl.h>

#include "buf.h"

/*
 * Parses text with libcurl and checks that it is an absolute http or
 * https URL with a host.  Returns a new handle holding the URL normalised:
 * scheme and host lower-cased, the default port and the fragment dropped,
 * an empty path made "/", dot segments removed (libcurl's own doing); the
 * caller frees it with url_free.  When shown is not NULL, *shown is set to
 * the allocated text output and logs show for it (see url_show).  On
 * refusal: NULL, and a static reason in *why.
 */
CURLU	*url_new(const char *, char **, const char **);
void	 url_free(CURLU *);

/* The URL of u, normalised as url_new made it; allocated. */
char	*url_text(CURLU *);

/* The same with the password of its userinfo, if any, as "***". */
char	*url_redacted(CURLU *);

/* "host:port" of u, lower-cased, the default port filled in; allocated. */
char	*url_hostkey(CURLU *);

/* 1 when u is an https URL. */
int	 url_https(CURLU *);

/*
 * The normalised form of text (url_text of url_new), with hide set its
 * password as "***" (url_redacted), as cache entries store it.  Allocated;
 * NULL when url_new refuses text.
 */
char	*url_normalize(const char *, int);

/*
 * How text is shown in output and logs, allocated: as given, unless
 * libcurl reads a password in it; then as libcurl reads it, with the
 * password as "***".  Text libcurl cannot parse goes through
 * url_redact_loose.
 */
char	*url_show(const char *);

/*
 * Appends text that is not a valid URL to b with what may be a password
 * hidden: everything from the first ':' after the would-be authority's
 * start (past "scheme:" and slashes, else the start of text) to the last
 * '@' becomes "***".
 */
void	 url_redact_loose(const char *, struct buf *);

#endif
