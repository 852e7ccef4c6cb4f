/*
 * Fixtures of --record and --replay: one request and its final response
 * as a readable JSON document, its file name, and writing and reading it.
 * A fixture is outside data when it is read back (hand-edited, from git),
 * so decoding trusts nothing.  Which request a fixture answers, and how a
 * result is made from it, is replay.c's business, not this file's.
 *
 * The document, keys sorted, two-space indented, with no timestamps:
 *
 *   {"key": "<64 hex: the cache key>",
 *    "request": {"body"|"body_base64"|"body_text": ..., "headers": {...},
 *                "method": "GET", "url": "..."},
 *    "response": {"body"|"body_base64"|"body_text": ...,
 *                 "headers": {"name": "value", ...}, "status": 200},
 *    "version": 1}
 *
 * A body is "body" (the JSON value itself) when it is one compact JSON
 * value that writing out compactly gives back byte for byte, else
 * "body_text" (a string) when it is UTF-8 text, else "body_base64".  So a
 * replayed body is always exactly the body received.
 */
#ifndef GATHER_FIXTURE_H
#define GATHER_FIXTURE_H

#include <stddef.h>

#include "buf.h"
#include "entry.h"

#define FIXTURE_VERSION	1

struct fixture {
	unsigned char	 key[CACHE_KEY_LEN];
	char		*method;	/* the request as recorded */
	char		*url;		/* its password as "***" */
	char		*req_headers;	/* a compact JSON object, sorted */
	char		*req_body;	/* NULL: none */
	size_t		 req_body_len;
	long		 status;	/* the final response */
	char		*headers;	/* a compact JSON object, sorted */
	char		*body;		/* NUL-terminated at body_len */
	size_t		 body_len;
};

/* Frees what f owns and zeroes it; f itself is the caller's. */
void fixture_clear(struct fixture *);

/*
 * 1 when a header of this name (any case) carries a credential: its value
 * is written as "***" in a fixture.  The one list of them.
 */
int fixture_secret_header(const char *);

/*
 * 1 when a response header of this name (any case) says when it was sent
 * rather than what: it changes on every fetch of the same response, so
 * fixtures and --stable output leave it out.  The one list of them.
 */
int fixture_volatile_header(const char *);

/* How fixture_headers treats a header object. */
#define FIXTURE_DROP	0x1	/* leave out the volatile headers */
#define FIXTURE_REDACT	0x2	/* secret headers' values as "***" */

/*
 * Appends the JSON object of header names to string values at json (as
 * transfer_headers_json writes it) to b, compact, sorted by name, names
 * lower-cased, as flags say.  Returns 0, or -1 when json is no such
 * object (b as it was).
 */
int fixture_headers(const char *, unsigned, struct buf *);

/*
 * Appends the request headers "K: V" (or "K;" for an empty value; "K:"
 * removes K and is left out) to b as fixture_headers would write them,
 * with FIXTURE_REDACT; a name given twice has its values joined by ", ".
 */
void fixture_request_headers(char *const *, size_t, struct buf *);

/*
 * The file name of a fixture: "<host>-<path slug>-<12 hex of key>.json",
 * every byte but letters, digits, '.' and '_' made '-', runs of them one,
 * the slug at most 64 bytes ("root" for "/").  Allocated.
 */
char *fixture_name(
    const char *, const char *, const unsigned char[CACHE_KEY_LEN]);

/* Appends the document of f, indented, with a final newline, to b. */
void fixture_encode(const struct fixture *, struct buf *);

/*
 * Decodes the len bytes at text into f (which then owns copies of all it
 * holds).  With want set, the fixture must carry that key.  Returns 0, or
 * -1 with a static reason in *why; f is left clear on failure.
 */
int fixture_decode(const char *, size_t, const unsigned char *,
    struct fixture *, const char **);

/*
 * Writes the len bytes at data to dir/name through a temp file in dir and
 * a rename, so that a reader sees the old file or the new one, whole.
 * Returns 0, or -1 with an allocated message in *why.
 */
int fixture_write(const char *, const char *, const char *, size_t, char **);

/*
 * Reads the file at path, at most max bytes, into b.  Returns 0; 1 when
 * there is no such file; -1 with an allocated message in *why.
 */
int fixture_read(const char *, size_t, struct buf *, char **);

#endif
