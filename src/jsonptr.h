/*
 * RFC 6901 JSON pointers over cJSON trees ("/a/0/b", with "~1" for '/'
 * and "~0" for '~').  cJSON_Utils would do this, but Debian does not ship
 * it; this is the short walk it would be.
 */
#ifndef GATHER_JSONPTR_H
#define GATHER_JSONPTR_H

#include <cjson/cJSON.h>

/* 1 when p is a well-formed pointer: "" or a sequence of "/token". */
int	 jsonptr_valid(const char *);

/*
 * The value at pointer p in root, lent from root, or NULL when there is
 * none.  The empty pointer is root itself.
 */
cJSON	*jsonptr_get(cJSON *, const char *);

#endif
