/*
 * Idempotency keys: which requests get one, and that each is a fresh
 * version 4 UUID.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "idem.h"
#include "unit.h"

static const struct {
	const char	*method;
	const char	*header;	/* NULL: none */
	int		 want;
} cases[] = {
	{ "POST", NULL, 1 },
	{ "PATCH", NULL, 1 },
	{ "post", NULL, 1 },
	{ "GET", NULL, 0 },
	{ "PUT", NULL, 0 },
	{ "DELETE", NULL, 0 },
	{ "HEAD", NULL, 0 },
	{ "POST", "Idempotency-Key: mine", 0 },
	{ "POST", "idempotency-key: mine", 0 },
	{ "POST", "Idempotency-Key;", 0 },
	{ "POST", "Idempotency-Key:", 0 },
	{ "POST", "Idempotency-Keys: x", 1 },
	{ "POST", "X-Idempotency-Key: x", 1 },
};

static void
check_wanted(void)
{
	char *h[2];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		h[0] = (char *)"Accept: */*";
		h[1] = (char *)cases[i].header;
		CHECK(idem_wanted(cases[i].method, h,
		    cases[i].header != NULL ? 2 : 1) == cases[i].want,
		    "%s with %s: %s", cases[i].method,
		    cases[i].header ? cases[i].header : "no key",
		    cases[i].want ? "gets a key" : "none");
	}
}

static int
uuid_v4(const char *u)
{
	size_t i;

	if (strlen(u) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (u[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)u[i]) ||
		    isupper((unsigned char)u[i]))
			return 0;
	}
	return u[14] == '4' && strchr("89ab", u[19]) != NULL;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
check_uuids(void)
{
	enum { N = 1000 };
	char *u[N];
	size_t i, bad = 0, same = 0;

	for (i = 0; i < N; i++)
		if (!uuid_v4(u[i] = idem_uuid()))
			bad++;
	qsort(u, N, sizeof(u[0]), str_cmp);
	for (i = 1; i < N; i++)
		if (strcmp(u[i - 1], u[i]) == 0)
			same++;
	CHECK(bad == 0, "%d keys are version 4 UUIDs (%zu not)", N, bad);
	CHECK(same == 0, "%d keys are all different (%zu repeats)", N, same);
	for (i = 0; i < N; i++)
		free(u[i]);
}

int
main(void)
{
	check_wanted();
	check_uuids();
	return unit_done();
}
