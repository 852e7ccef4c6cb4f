/*
 * Allocation that cannot fail: on exhaustion the process ends with
 * "gather: out of memory" and exit status 3 (see xalloc.c), so callers
 * never carry an out-of-memory path of their own.
 */
#ifndef GATHER_XALLOC_H
#define GATHER_XALLOC_H

#include <stddef.h>

void	 xalloc_die(void) __attribute__((noreturn));
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
