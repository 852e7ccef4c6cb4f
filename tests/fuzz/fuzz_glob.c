/*
 * libFuzzer target: URL globs.  A pattern glob_new accepts expands to
 * exactly glob_count URLs (checked up to a bound), then to nothing; one
 * it refuses says where, as curl does; one with no "[]{}" byte is its
 * only URL, as it is.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "glob.h"
#include "xalloc.h"

/* The most URLs of one input walked through. */
#define WALK_MAX 4096

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
walk(struct glob *g, const char *s)
{
	struct buf values;
	const char *u;
	int64_t n = 0;

	if (glob_count(g) < 1)
		abort();
	buf_init(&values);
	while (n < WALK_MAX && (u = glob_next(g)) != NULL) {
		n++;
		buf_reset(&values);
		glob_values(g, &values);
		if (glob_patterns(g) == 0 && (values.len != 0 ||
		    (!glob_maybe(s, strlen(s)) && strcmp(u, s) != 0)))
			abort();
	}
	if (n < WALK_MAX && (n != glob_count(g) || glob_next(g) != NULL))
		abort();
	buf_free(&values);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct glob *g;
	char *s, *why = NULL;

	s = xstrndup((const char *)data, size);
	if ((g = glob_new(s, &why)) != NULL)
		walk(g, s);
	else if (why == NULL || strstr(why, " in URL position ") == NULL)
		abort();
	glob_free(g);
	free(why);
	free(s);
	return 0;
}
