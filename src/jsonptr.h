/*
 * RFC 6901 JSON pointers ("/a/0/b", with "~1" for '/' and "~0" for '~'):
 * the check of their syntax, for --select.
 */
#ifndef GATHER_JSONPTR_H
#define GATHER_JSONPTR_H

/* 1 when p is a well-formed pointer: "" or a sequence of "/token". */
int	 jsonptr_valid(const char *);

#endif
