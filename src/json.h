/*
 * Writing JSON text: string escaping, UTF-8 checks, base64, and embedding
 * a response body as a JSON value without re-serialising it.
 */
#ifndef GATHER_JSON_H
#define GATHER_JSON_H

#include <stddef.h>

#include "buf.h"

/*
 * Appends s as a quoted JSON string.  Bytes that are not valid UTF-8 are
 * written as U+FFFD, so the output is always valid JSON.
 */
void	json_str(struct buf *, const char *, size_t);

/*
 * The same for text only: returns 0, or -1 (and b as it was) when p is
 * not valid UTF-8 or holds a NUL, at the first such byte.
 */
int	json_text(struct buf *, const char *, size_t);
void	json_strz(struct buf *, const char *);

/* Returns 1 when s is valid UTF-8 with no NUL byte, else 0. */
int	utf8_valid(const char *, size_t);

/* Appends the standard base64 (RFC 4648, padded) of p. */
void	base64_add(struct buf *, const void *, size_t);

/*
 * Appends the JSON text in the len bytes at body as a compact JSON value;
 * UTF-8 is checked too.  Returns 0, or -1 when body is not one valid JSON
 * value; then nothing is appended.
 */
int	json_embed(struct buf *, const char *, size_t);

/*
 * The one JSON value in text up to end, blanks before it skipped: returns
 * where it ends and sets *start to where it begins, or returns NULL when
 * no valid value starts there.  Nothing is copied.
 */
const char *json_value_span(const char *, const char *, const char **);

/* Length of the JSON string that text starts with, quotes included; 0: none. */
size_t	json_string_len(const char *, size_t);

/*
 * Appends the compact text of the member key (spelled without escapes) of
 * the JSON object text, exactly as written: numbers keep every digit.
 * Returns 0, or -1 when text is not an object holding key; then b is as
 * it was.
 */
int	json_member(const char *, size_t, const char *, struct buf *);

/*
 * Appends the compact text of the value at RFC 6901 pointer ptr in the
 * JSON body, exactly as written (numbers keep every digit).  Returns 0,
 * 1 when the pointer names nothing, or -1 when body is not JSON.
 */
int	json_pointer(const char *, size_t, const char *, struct buf *);

#endif
