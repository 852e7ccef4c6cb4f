/*
 * Parsers for the value syntaxes of the command line: durations ("250ms",
 * "1m30s", a bare number of seconds) and sizes ("512", "64K", "16M").
 * They only parse; the caller checks the range its option allows.
 */
#ifndef GATHER_PARSE_H
#define GATHER_PARSE_H

#include <stdint.h>

/*
 * Parses a duration into milliseconds.  Returns 0, or -1 with *errstr set
 * to a static phrase ("invalid duration", "too large").
 */
int	parse_duration(const char *, int64_t *, const char **);

/*
 * Parses a size with an optional K, M or G suffix (powers of 1024) into
 * bytes.  Returns 0, or -1 with *errstr set to a static phrase.
 */
int	parse_size(const char *, int64_t *, const char **);

/*
 * Parses a --ttl value: a duration, or "auto" or "auto:DURATION" (then
 * *is_auto is 1 and *out the duration, or 0).  Returns 0, or -1 with
 * *errstr set as parse_duration sets it.
 */
int	parse_ttl(const char *, int64_t *, int *, const char **);

#endif
