/*
 * Variables as curl 8.3 has them: --variable sets NAME from a value, a
 * file or the environment, and "{{NAME}}" in an --expand- option or in a
 * string of a JSON request spec is replaced by its value, passed through
 * the functions named after it ("{{NAME:trim:json}}", left to right).
 * Unlike curl, a valid name that was never set is an error, not an empty
 * string: a typo must not send a request without its token.
 */
#ifndef GATHER_VARS_H
#define GATHER_VARS_H

#include <stddef.h>

#include "buf.h"

/* The longest name, as curl's: 127 bytes. */
#define VARS_NAME_MAX	127

/* The most one expansion or one variable may hold. */
#define VARS_VALUE_MAX	((size_t)16 << 20)

struct vars;

struct vars	*vars_new(void);

/* Frees v and overwrites the values it held; vars_free(NULL) is a no-op. */
void		 vars_free(struct vars *);

/* Sets name (nlen bytes) to the vlen bytes at value, copied. */
void		 vars_set(struct vars *, const char *, size_t, const char *,
		    size_t);

/*
 * The value of name (nlen bytes) and its length in *vlen; lent by v until
 * the name is set again.  NULL when it was never set.
 */
const char	*vars_get(const struct vars *, const char *, size_t, size_t *);

/*
 * Applies one --variable argument: "NAME=VALUE", "NAME@FILE" (the file's
 * bytes; "-" is stdin), "%NAME" (the environment's NAME), "%NAME=DEFAULT"
 * or "%NAME@FILE" (used when NAME is not in the environment).  Returns 0,
 * or -1 with an allocated reason in *why that never holds a value.
 */
int		 vars_define(struct vars *, const char *, char **);

/*
 * Appends the len bytes at s to out with every "{{NAME[:fn]...}}"
 * replaced; "\{{" gives "{{", and text that is not a reference (no
 * closing "}}", a name of other characters) is kept as it is.  v may be
 * NULL: no variables.  Returns how many "{{" were replaced (0: out got s
 * unchanged), or -1 with an allocated reason in *why (an unset name, an
 * unknown function, a NUL byte left in a value, too long a result) that
 * names the reference but never holds a value; out is then undefined.
 */
int		 vars_expand(const struct vars *, const char *, size_t,
		    struct buf *, char **);

/*
 * The same over the len bytes of the JSON text json (valid JSON): every
 * string value is expanded and written again as a JSON string; object
 * keys, numbers and the rest are copied as written.
 */
int		 vars_expand_json(const struct vars *, const char *, size_t,
		    struct buf *, char **);

#endif
