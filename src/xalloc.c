/*
 * The x-alloc wrappers: the one place allowed to end the process from src/,
 * and only because memory ran out, where no caller could do better.
 *
 * The end is orderly, not abort(): "gather: out of memory" on stderr and
 * exit status 3 (the output could not be written), with no core dump and
 * no signal for cron to report as a crash.  It is _exit, not exit: an
 * allocation can fail inside a libcurl or OpenSSL callback, and exit's
 * handlers (OpenSSL's cleanup, stdio's flush) could re-enter the library
 * or the allocator that just failed.  Output already written stays as it
 * is; -o leaves its file as it was.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "failalloc.h"
#include "xalloc.h"

/* The exit status of an allocation failure: EXIT_OUTPUT of cmd/main.c. */
#define XALLOC_EXIT	3

void
xalloc_die(void)
{
	static const char msg[] = "gather: out of memory\n";
	ssize_t w;

	/* write(2), not stdio: stdio may itself want memory. */
	w = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)w;
	_exit(XALLOC_EXIT);
}

void *
xmalloc(size_t size)
{
	void *p;

	if (FAILALLOC_TICK() || (p = malloc(size == 0 ? 1 : size)) == NULL)
		xalloc_die();
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p;

	if (FAILALLOC_TICK() ||
	    (p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size)) == NULL)
		xalloc_die();
	return p;
}

void *
xreallocarray(void *old, size_t n, size_t size)
{
	void *p;

	if (FAILALLOC_TICK() ||
	    (p = reallocarray(old, n == 0 ? 1 : n, size == 0 ? 1 : size)) ==
	    NULL)
		xalloc_die();
	return p;
}

char *
xstrdup(const char *s)
{
	char *p;

	if (FAILALLOC_TICK() || (p = strdup(s)) == NULL)
		xalloc_die();
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p;

	if (FAILALLOC_TICK() || (p = strndup(s, n)) == NULL)
		xalloc_die();
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	if (FAILALLOC_TICK())
		xalloc_die();
	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n == -1)
		xalloc_die();
	return p;
}
