/*
 * The cache key of a request: SHA-256 over its method, its URL normalised
 * (scheme and host lower-cased, default port and fragment dropped), its
 * body and every request header given.  Identical requests in one run share
 * a key, and so a fetch; different Authorization values never do, nor
 * do different credentials given otherwise (cachekey_auth).
 */
#ifndef GATHER_CACHEKEY_H
#define GATHER_CACHEKEY_H

#include <stddef.h>

#include "entry.h"

/*
 * Computes the key of a request whose URL is already normalised, from its
 * method, URL, body, -H headers and -A user agent (NULL: the default).
 */
void	 cachekey(const char *, const char *, const char *, size_t,
	    char *const *, size_t, const char *, unsigned char[CACHE_KEY_LEN]);

/*
 * Mixes a request's credentials into its key: the USER:PASSWORD of -u or
 * "user", the token of --oauth2-bearer or "bearer", the 32-byte sum of the
 * netrc file in use (each NULL when there is none).  With none of them
 * the key is left as it was, so requests without credentials keep theirs.
 */
void	 cachekey_auth(unsigned char[CACHE_KEY_LEN], const char *,
	    const char *, const unsigned char *);

#endif
