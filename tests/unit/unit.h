/*
 * A minimal TAP producer for table-driven unit tests: each check prints
 * "ok N - what" or "not ok N - what", and unit_done() the plan.
 */
#ifndef GATHER_UNIT_H
#define GATHER_UNIT_H

#include <stdarg.h>
#include <stdio.h>

static int unit_count, unit_failed;

static void __attribute__((format(printf, 4, 5)))
unit_check(int ok, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", ok ? "ok" : "not ok", ++unit_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok) {
		printf("#   at %s:%d\n", file, line);
		unit_failed++;
	}
}

#define CHECK(cond, ...) unit_check((cond), __FILE__, __LINE__, __VA_ARGS__)

static int
unit_done(void)
{
	printf("1..%d\n", unit_count);
	return unit_failed != 0;
}

#endif
