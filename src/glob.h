/*
 * URL globs as curl(1) reads them: "[1-100]", "[001-100]" (zero padding),
 * "[a-z]", "[0-100:10]" (a step), "{a,b,c}".  A glob is expanded lazily,
 * one URL at a time, so that "[1-1000000000]" costs no more memory than
 * "[1-2]".  Only the text is made here: checking the URLs is url.c's.
 */
#ifndef GATHER_GLOB_H
#define GATHER_GLOB_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct glob;

/*
 * 1 when text (len bytes) holds a byte that a glob gives a meaning to
 * ("[]{}"): only then need it be parsed as a glob at all.
 */
int		 glob_maybe(const char *, size_t);

/*
 * Parses the NUL-terminated pattern.  Returns a new glob, positioned
 * before its first URL, or NULL with an allocated message in *why as
 * curl words it ("bad range in URL position 13"; positions count bytes
 * of pattern from 1).  The caller frees the glob with glob_free.
 */
struct glob	*glob_new(const char *, char **);
void		 glob_free(struct glob *);

/* How many URLs the glob expands to (at least 1). */
int64_t		 glob_count(const struct glob *);

/* How many ranges and sets it holds (0: plain text, maybe unescaped). */
size_t		 glob_patterns(const struct glob *);

/*
 * The next URL, in curl's order (the last pattern varies fastest), lent
 * until the next call; NULL after the last.
 */
const char	*glob_next(struct glob *);

/*
 * Appends the values the patterns have in the URL glob_next gave last,
 * joined by '.' ("2.b" for "/[1-2]/{a,b}" at ".../2/b").
 */
void		 glob_values(const struct glob *, struct buf *);

#endif
