/*
 * The allocation-failure build's counter and hooks.  It holds the one
 * mutable global besides the signal flag, and only in that build: the
 * count of allocations so far, which libcurl's and cJSON's hooks take no
 * argument to carry.  The failing allocation is announced on stderr
 * ("gather: failalloc: ..."), so a test knows the run reached it; what
 * gather says and does after that is what the test checks.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "failalloc.h"
#include "store.h"

#ifdef GATHER_FAILALLOC
static struct {
	long long	 count;
	long long	 fail_at;	/* 0: never; -1: $GATHER_FAILALLOC unread */
} failalloc = { 0, -1 };

int
failalloc_tick(void)
{
	const char *v, *errstr;
	char msg[80];
	ssize_t w;
	int n;

	if (failalloc.fail_at == -1) {
		failalloc.fail_at = 0;
		if ((v = getenv("GATHER_FAILALLOC")) != NULL)
			failalloc.fail_at = strtonum(v, 1, LLONG_MAX, &errstr);
	}
	if (++failalloc.count != failalloc.fail_at)
		return 0;
	/* No stdio: its buffers may want the memory that just ran out. */
	n = snprintf(msg, sizeof(msg),
	    "gather: failalloc: allocation %lld fails\n", failalloc.count);
	w = write(STDERR_FILENO, msg, (size_t)n);
	(void)w;	/* without the line, the test sees no failure made */
	return 1;
}

static void *
fa_malloc(size_t size)
{
	return failalloc_tick() ? NULL : malloc(size);
}

static void *
fa_calloc(size_t n, size_t size)
{
	return failalloc_tick() ? NULL : calloc(n, size);
}

static void *
fa_realloc(void *p, size_t size)
{
	/* A shrink or a free through realloc is no allocation to fail. */
	if (size > 0 && failalloc_tick())
		return NULL;
	return realloc(p, size);
}

static char *
fa_strdup(const char *s)
{
	return failalloc_tick() ? NULL : strdup(s);
}

CURLcode
failalloc_init(long flags)
{
	cJSON_Hooks hooks = { fa_malloc, free };

	cJSON_InitHooks(&hooks);
	/* The SQLite store's allocations count too, before it starts. */
	if (store_sqlite_init_alloc(fa_malloc, fa_realloc, free) == -1)
		return CURLE_FAILED_INIT;
	return curl_global_init_mem(flags, fa_malloc, free, fa_realloc,
	    fa_strdup, fa_calloc);
}
#else
CURLcode
failalloc_init(long flags)
{
	return curl_global_init(flags);
}
#endif
