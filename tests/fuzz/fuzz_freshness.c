/*
 * libFuzzer target: the freshness parsers (freshness.c).  The input is
 * split at '\n' into the values of Cache-Control, Expires, Date, Age and
 * Vary.  Checks: delta-seconds and max-age stay within 0 and
 * FRESHNESS_DELTA_MAX, and digits below it read as strtoll reads them; a
 * bad max-age is given and 0; "*" in Vary is found only where it is; the
 * expiry is never before now, is now under no-cache, and never later than
 * the lifetime the headers allow.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "freshness.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define NOW_MS	 1700000000123LL
#define DFLT_MS	 60000LL

static void
check_delta(const char *s)
{
	size_t n = strlen(s);
	int64_t v = -1;

	if (freshness_delta(s, n, &v) == -1) {
		if (n > 0 && strspn(s, "0123456789") == n)
			abort();
		return;
	}
	if (n == 0 || strspn(s, "0123456789") != n || v < 0 ||
	    v > FRESHNESS_DELTA_MAX || (n <= 9 && v != strtoll(s, NULL, 10)))
		abort();
}

static void
check_cc(const char *s, struct cache_control *cc)
{
	freshness_cc(s, cc);
	if (cc->max_age < 0 || cc->max_age > FRESHNESS_DELTA_MAX ||
	    (cc->max_age_bad && (!cc->max_age_given || cc->max_age != 0)) ||
	    (!cc->max_age_given && cc->max_age != 0))
		abort();
}

static void
check_expiry(const struct result_headers *h, const struct cache_control *cc)
{
	int64_t at, bound;

	at = freshness_expires_at(h, NOW_MS, DFLT_MS);
	bound = cc->max_age_given ? cc->max_age * 1000 :
	    FRESHNESS_DELTA_MAX * 1000;
	if (h->expires == NULL && !cc->max_age_given)
		bound = DFLT_MS;
	if (at < NOW_MS || at - NOW_MS > bound ||
	    ((cc->no_cache || cc->max_age_bad) && at != NOW_MS))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct result_headers h;
	struct cache_control cc;
	const char *v[5] = { NULL };
	char *s, *p;
	int64_t n;
	size_t i;

	s = xstrndup((const char *)data, size);
	for (i = 0, p = s; i < 5 && p != NULL; i++) {
		v[i] = *p != '\0' ? p : NULL;
		if ((p = strchr(p, '\n')) != NULL)
			*p++ = '\0';
	}
	check_delta(s);
	check_cc(v[0], &cc);
	if (freshness_age(v[3], &n) == 0 && (n < 0 || n > FRESHNESS_DELTA_MAX))
		abort();
	if (freshness_vary_star(v[4]) && strchr(v[4], '*') == NULL)
		abort();
	memset(&h, 0, sizeof(h));
	h.cache_control = v[0];
	h.expires = v[1];
	h.date = v[2];
	h.age = v[3];
	check_expiry(&h, &cc);
	free(s);
	return 0;
}
