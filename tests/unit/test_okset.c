/*
 * --ok lists: which statuses each makes ok, and where a bad one is
 * refused.
 */
#include <string.h>

#include "okset.h"
#include "unit.h"

static const struct {
	const char	*list;
	const char	*bad;		/* the refused item; NULL: parsed */
	long		 ok[4];		/* statuses ok, 0-terminated */
	long		 not[4];	/* statuses not ok, 0-terminated */
} cases[] = {
	{ "2xx,404", NULL, { 200, 299, 404 }, { 199, 300, 403, 500 } },
	{ "2XX", NULL, { 200, 250 }, { 300, 404 } },
	{ "200-204", NULL, { 200, 204 }, { 199, 205 } },
	{ "500-500,301", NULL, { 500, 301 }, { 501, 200 } },
	{ "9xx", NULL, { 900, 999 }, { 899 } },
	{ "100-999", NULL, { 100, 999 }, { 99, 1000, 0 } },
	{ "404", NULL, { 404 }, { 200, 403 } },
	{ "", "", { 0 }, { 0 } },
	{ "2xx,", "", { 0 }, { 0 } },
	{ ",2xx", ",2xx", { 0 }, { 0 } },
	{ "40", "40", { 0 }, { 0 } },
	{ "4044", "4044", { 0 }, { 0 } },
	{ "099", "099", { 0 }, { 0 } },
	{ "0xx", "0xx", { 0 }, { 0 } },
	{ "2x", "2x", { 0 }, { 0 } },
	{ "x2x", "x2x", { 0 }, { 0 } },
	{ "299-200", "299-200", { 0 }, { 0 } },
	{ "200-2999", "200-2999", { 0 }, { 0 } },
	{ "200 -299", "200 -299", { 0 }, { 0 } },
	{ "2xx,abc,404", "abc,404", { 0 }, { 0 } },
	{ "+200", "+200", { 0 }, { 0 } },
};

static int
check_codes(const struct okset *s, const long *want, int ok)
{
	size_t i;

	for (i = 0; i < 4 && want[i] != 0; i++)
		if (okset_has(s, want[i]) != ok)
			return 0;
	return 1;
}

int
main(void)
{
	struct okset s;
	const char *bad;
	size_t i;
	int rc, good;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rc = okset_parse(&s, cases[i].list, &bad);
		if (cases[i].bad != NULL)
			good = rc == -1 && bad != NULL &&
			    strcmp(bad, cases[i].bad) == 0;
		else
			good = rc == 0 && check_codes(&s, cases[i].ok, 1) &&
			    check_codes(&s, cases[i].not, 0);
		CHECK(good, "'%s' -> %d %s", cases[i].list, rc,
		    rc == -1 && bad ? bad : "");
	}
	okset_default(&s);
	CHECK(okset_has(&s, 100) && okset_has(&s, 200) && okset_has(&s, 304) &&
	    okset_has(&s, 399) && !okset_has(&s, 400) &&
	    !okset_has(&s, 503) && !okset_has(&s, 0),
	    "the default: every status below 400");
	return unit_done();
}
