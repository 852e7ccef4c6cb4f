/*
 * A growable byte buffer, always NUL-terminated past its length so that its
 * data can be handed to C string functions.  It only grows; buf_reset keeps
 * the allocation for reuse.
 */
#ifndef GATHER_BUF_H
#define GATHER_BUF_H

#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_reserve(struct buf *, size_t);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addc(struct buf *, char);
void	 buf_adds(struct buf *, const char *);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
char	*buf_steal(struct buf *);

/* Appends v in decimal. */
void	 buf_addu(struct buf *, unsigned long long);

/* Appends ms (>= 0) with one decimal, as "%.1f" would. */
void	 buf_addms(struct buf *, double);

#endif
