/*
 * Allocation-failure testing (make allocfail).  In the build compiled with
 * -DGATHER_FAILALLOC, the n-th allocation of the run fails, n being
 * $GATHER_FAILALLOC, counting gather's own (the x-alloc wrappers),
 * libcurl's and cJSON's.  In every other build nothing fails on purpose
 * and failalloc_init is plain curl_global_init.
 */
#ifndef GATHER_FAILALLOC_H
#define GATHER_FAILALLOC_H

#include <curl/curl.h>

/*
 * libcurl's global init, flags as curl_global_init takes them and the
 * same result; in the allocation-failure build, libcurl's and cJSON's
 * allocations go through the counter from here on.  Call it first of
 * everything libcurl, once.
 */
CURLcode	 failalloc_init(long);

#ifdef GATHER_FAILALLOC
/* 1 when the allocation about to be made is the n-th, the one to fail. */
int		 failalloc_tick(void);
#define FAILALLOC_TICK()	failalloc_tick()
#else
#define FAILALLOC_TICK()	0
#endif

#endif
