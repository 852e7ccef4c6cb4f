/*
 * libFuzzer target: --ok lists (okset.c).  A list okset_parse accepts
 * holds only statuses from OKSET_MIN to OKSET_MAX, and each of its items
 * alone is accepted and a subset of it; a refused list points *bad at an
 * item of the input, at its start or just after a comma.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "okset.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* 1 when every status of a is in b. */
static int
subset(const struct okset *a, const struct okset *b)
{
	long c;

	for (c = OKSET_MIN; c <= OKSET_MAX; c++)
		if (okset_has(a, c) && !okset_has(b, c))
			return 0;
	return 1;
}

/* 1 when a bit below OKSET_MIN is set: okset_has would hide it. */
static int
below_min(const struct okset *s)
{
	long c;

	for (c = 0; c < OKSET_MIN; c++)
		if ((s->bits[c / 8] >> (c % 8)) & 1)
			return 1;
	return 0;
}

static void
check_items(const char *s, const struct okset *all)
{
	struct okset one;
	const char *p = s, *bad;
	char *item;
	size_t n;

	for (;;) {
		n = strcspn(p, ",");
		item = xstrndup(p, n);
		if (okset_parse(&one, item, &bad) == -1 || !subset(&one, all))
			abort();
		free(item);
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct okset s;
	const char *bad = NULL;
	char *list;

	list = xstrndup((const char *)data, size);
	if (okset_parse(&s, list, &bad) == 0) {
		if (bad != NULL || below_min(&s))
			abort();
		check_items(list, &s);
	} else if (bad == NULL || bad < list || bad > list + strlen(list) ||
	    (bad != list && bad[-1] != ','))
		abort();
	free(list);
	return 0;
}
