/*
 * The cache entry codec: one stored response as bytes on disk and back.
 * Layout (little-endian): magic "GTHRCACH", u32 version, u32 meta length,
 * u64 body length, the meta (tagged fields), the body, then the CRC-32 of
 * everything before it.  Decoding trusts nothing it reads.
 */
#ifndef GATHER_ENTRY_H
#define GATHER_ENTRY_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

#define ENTRY_VERSION	3	/* 1: SHA-256 sum; 2: JSON meta */
#define ENTRY_HEAD	24	/* magic, version, lengths */
#define ENTRY_SUM	4	/* the trailing CRC-32 */
#define CACHE_KEY_LEN	32

struct entry {
	unsigned char	 key[CACHE_KEY_LEN];
	char		*method;	/* key material, for list and rm */
	char		*url;		/* normalised, password included */
	int64_t		 stored_at;	/* ms since the epoch */
	int64_t		 expires_at;	/* ms since the epoch */
	long		 status;
	char		*content_type;	/* these may be NULL */
	char		*etag;
	char		*last_modified;
	char		*cache_control;
	char		*vary;
	char		*link;		/* every Link header, joined by ", " */
	char		*body;		/* NUL-terminated at body_len */
	size_t		 body_len;
};

/* Frees what e owns and zeroes it; e itself is the caller's. */
void	entry_clear(struct entry *);

/* Appends the encoded e to b. */
void	entry_encode(const struct entry *, struct buf *);

/*
 * The CRC-32 of e's encoding, computed without making it: what a store
 * that keeps the fields apart checks a row against.
 */
uint32_t entry_sum(const struct entry *);

/*
 * Checks the fields of e as the decoder does (a method token, a URL
 * without spaces, a status of three digits, times in order, header values
 * without CR or LF).  Returns 0, or -1 with a static reason in *why.
 */
int	entry_validate(const struct entry *, const char **);

/*
 * Decodes the len bytes at p into e (which then owns copies of all it
 * holds).  With want_key, the entry must carry that key.  Returns 0, or
 * -1 with a static reason in *why; e is left clear on failure.
 */
int	entry_decode(const char *, size_t, const unsigned char *,
	    struct entry *, const char **);

/*
 * Decodes only the meta of an entry whose first len bytes are at p (the
 * body and checksum need not be there), for listing: e gets no body, but
 * its body_len.  Returns 0 or -1.
 */
int	entry_decode_meta(const char *, size_t, struct entry *, const char **);

#endif
