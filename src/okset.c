/*
 * The set of statuses --ok names.  It parses and answers; what a status
 * outside the set becomes (an error of kind http) is transfer.c's.
 */
#include <ctype.h>
#include <string.h>

#include "okset.h"

static void
okset_add(struct okset *s, long lo, long hi)
{
	long c;

	for (c = lo; c <= hi; c++)
		s->bits[c / 8] |= (uint8_t)(1u << (c % 8));
}

void
okset_default(struct okset *s)
{
	memset(s, 0, sizeof(*s));
	okset_add(s, OKSET_MIN, 399);
}

/* Three digits at s, a code from OKSET_MIN: the code, else -1. */
static long
code3(const char *s)
{
	long c;

	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]))
		return -1;
	c = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
	return c >= OKSET_MIN ? c : -1;
}

/* One item of n bytes at s: "404", "2xx" or "200-299". */
static int
okset_item(struct okset *s, const char *item, size_t n)
{
	long lo, hi;

	if (n == 3 && item[0] >= '1' && item[0] <= '9' &&
	    tolower((unsigned char)item[1]) == 'x' &&
	    tolower((unsigned char)item[2]) == 'x') {
		lo = (item[0] - '0') * 100;
		okset_add(s, lo, lo + 99);
		return 0;
	}
	if (n == 3 && (lo = code3(item)) != -1) {
		okset_add(s, lo, lo);
		return 0;
	}
	if (n == 7 && item[3] == '-' && (lo = code3(item)) != -1 &&
	    (hi = code3(item + 4)) != -1 && lo <= hi) {
		okset_add(s, lo, hi);
		return 0;
	}
	return -1;
}

int
okset_parse(struct okset *s, const char *list, const char **bad)
{
	const char *p = list, *end;

	memset(s, 0, sizeof(*s));
	for (;;) {
		end = p + strcspn(p, ",");
		if (okset_item(s, p, (size_t)(end - p)) == -1) {
			*bad = p;
			return -1;
		}
		if (*end == '\0')
			break;
		p = end + 1;
	}
	*bad = NULL;
	return 0;
}

int
okset_has(const struct okset *s, long status)
{
	if (status < OKSET_MIN || status > OKSET_MAX)
		return 0;
	return (s->bits[status / 8] >> (status % 8)) & 1;
}
