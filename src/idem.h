/*
 * --idempotency-key: which requests get an Idempotency-Key header, and its
 * value, a random UUID.  The request keeps the value it was given for all
 * its attempts (request.h); the transfer sends it.  Nothing here is kept
 * across runs.
 */
#ifndef GATHER_IDEM_H
#define GATHER_IDEM_H

#include <stddef.h>

#define IDEM_HEADER	"Idempotency-Key"

/*
 * 1 when a request of method with the headers "K: V" gets a key: its
 * method is one --retry-unsafe is needed to retry (POST, PATCH) and no
 * Idempotency-Key header is among the headers (an empty "K;" or a
 * removing "K:" counts: the user has said what to send).
 */
int idem_wanted(const char *, char *const *, size_t);

/*
 * A new random UUID, version 4 (RFC 9562), in lower-case hex with
 * dashes: 36 characters.  Allocated.
 */
char *idem_uuid(void);

#endif
