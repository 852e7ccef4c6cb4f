/*
 * Idempotency keys (see idem.h).  The randomness is arc4random_buf's; the
 * method rule is retry.c's, so that the requests --retry-unsafe retries
 * are exactly those that carry a key.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "idem.h"
#include "retry.h"
#include "spec.h"
#include "xalloc.h"

int
idem_wanted(const char *method, char *const *hdrs, size_t n)
{
	return !retry_idempotent(method) &&
	    !spec_has_header(hdrs, n, IDEM_HEADER, strlen(IDEM_HEADER));
}

char *
idem_uuid(void)
{
	unsigned char u[16];

	arc4random_buf(u, sizeof(u));
	u[6] = (u[6] & 0x0f) | 0x40; /* version 4 */
	u[8] = (u[8] & 0x3f) | 0x80; /* variant 10 */
	return xasprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
			 "%02x%02x%02x%02x%02x%02x",
	    u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10],
	    u[11], u[12], u[13], u[14], u[15]);
}
