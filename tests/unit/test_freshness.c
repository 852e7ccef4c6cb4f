/*
 * The freshness parsers and the expiry they give, against RFC 9111's
 * rules for a private cache.
 */
#include <string.h>

#include "freshness.h"
#include "unit.h"

#define NOW_S	1700000000	/* Tue, 14 Nov 2023 22:13:20 GMT */
#define NOW_MS	((int64_t)NOW_S * 1000)
#define D0	"Tue, 14 Nov 2023 22:13:20 GMT"	/* NOW_S */
#define D10	"Tue, 14 Nov 2023 22:13:30 GMT"	/* NOW_S + 10 */
#define D60	"Tue, 14 Nov 2023 22:14:20 GMT"	/* NOW_S + 60 */
#define DM30	"Tue, 14 Nov 2023 22:12:50 GMT"	/* NOW_S - 30 */
#define NEVER	(-1)

static const struct {
	const char	*v;
	int		 no_store, no_cache, given, bad;
	int64_t		 max_age;
} ccs[] = {
	{ NULL, 0, 0, 0, 0, 0 },
	{ "", 0, 0, 0, 0, 0 },
	{ "max-age=60", 0, 0, 1, 0, 60 },
	{ "MAX-AGE=60", 0, 0, 1, 0, 60 },
	{ " public ,max-age=5 ", 0, 0, 1, 0, 5 },
	{ "max-age=\"7\"", 0, 0, 1, 0, 7 },
	{ "max-age = 9", 0, 0, 1, 0, 9 },
	{ "max-age=0", 0, 0, 1, 0, 0 },
	{ "max-age=abc", 0, 0, 1, 1, 0 },
	{ "max-age=-1", 0, 0, 1, 1, 0 },
	{ "max-age=1.5", 0, 0, 1, 1, 0 },
	{ "max-age=", 0, 0, 1, 1, 0 },
	{ "max-age", 0, 0, 1, 1, 0 },
	{ "max-age=\"5", 0, 0, 1, 1, 0 },
	{ "max-age=5 6", 0, 0, 1, 1, 0 },
	{ "max-age=99999999999999999999", 0, 0, 1, 0, FRESHNESS_DELTA_MAX },
	{ "max-age=2147483649", 0, 0, 1, 0, FRESHNESS_DELTA_MAX },
	{ "max-age=10, max-age=20", 0, 0, 1, 0, 10 },
	{ "s-maxage=60", 0, 0, 0, 0, 0 },
	{ "s-maxage=60, max-age=5", 0, 0, 1, 0, 5 },
	{ "x-max-age=5", 0, 0, 0, 0, 0 },
	{ "no-store", 1, 0, 0, 0, 0 },
	{ "private, No-Store", 1, 0, 0, 0, 0 },
	{ "x-no-store-y", 0, 0, 0, 0, 0 },
	{ "no-cache", 0, 1, 0, 0, 0 },
	{ "NO-CACHE, max-age=60", 0, 1, 1, 0, 60 },
	{ "no-cache=\"Set-Cookie, X-Foo\", max-age=30", 0, 1, 1, 0, 30 },
	{ "private=\"a,max-age=1\", max-age=40", 0, 0, 1, 0, 40 },
	{ "ext=\"q\\\"uoted, max-age=1\", max-age=8", 0, 0, 1, 0, 8 },
	{ ",,, ,max-age=3,,", 0, 0, 1, 0, 3 },
	{ "=5, \"x\", max-age=4", 0, 0, 1, 0, 4 },
	{ "no-store junk, max-age=2", 1, 0, 1, 0, 2 },
};

static const struct {
	const char	*v;
	int		 ok;
	int64_t		 want;
} ages[] = {
	{ NULL, -1, 0 },
	{ "", -1, 0 },
	{ "0", 0, 0 },
	{ "30", 0, 30 },
	{ " 30 ", 0, 30 },
	{ "30, 40", 0, 30 },
	{ "-5", -1, 0 },
	{ "3.5", -1, 0 },
	{ "abc", -1, 0 },
	{ "99999999999999999999999", 0, FRESHNESS_DELTA_MAX },
};

static const struct {
	const char	*v;
	int		 want;
} varies[] = {
	{ NULL, 0 },
	{ "", 0 },
	{ "*", 1 },
	{ " * ", 1 },
	{ "Accept-Encoding", 0 },
	{ "Accept, *", 1 },
	{ "*, Accept", 1 },
	{ "Accept,*", 1 },
	{ "x*", 0 },
	{ "**", 0 },
};

static const struct {
	const char	*v;
	int64_t		 want;	/* NEVER: not a date */
} dates[] = {
	{ NULL, NEVER },
	{ "", NEVER },
	{ "0", NEVER },
	{ "soon", NEVER },
	{ D0, NOW_S },
	{ "Tuesday, 14-Nov-23 22:13:20 GMT", NOW_S },
	{ "Tue Nov 14 22:13:20 2023", NOW_S },
};

/* The headers of a response received at NOW_MS, and its expiry. */
static const struct {
	const char	*what;
	const char	*cc, *expires, *date, *age;
	int64_t		 dflt_ms;
	int64_t		 want;	/* expiry minus NOW_MS */
} expiries[] = {
	{ "nothing said: the default", NULL, NULL, NULL, NULL, 5000, 5000 },
	{ "nothing said, no default: stale", NULL, NULL, D0, NULL, 0, 0 },
	{ "directives that say nothing: the default", "public, private",
	    NULL, D0, NULL, 7000, 7000 },
	{ "max-age", "max-age=60", NULL, D0, NULL, 0, 60000 },
	{ "max-age wins over Expires", "max-age=60", D10, D0, NULL, 0, 60000 },
	{ "max-age wins over the default", "max-age=2", NULL, D0, NULL,
	    900000, 2000 },
	{ "s-maxage is for shared caches", "s-maxage=600", NULL, D0, NULL,
	    1000, 1000 },
	{ "no-cache: always revalidate", "no-cache, max-age=60", NULL, D0,
	    NULL, 5000, 0 },
	{ "an invalid max-age is stale", "max-age=soon", D60, D0, NULL, 5000,
	    0 },
	{ "Expires minus Date", NULL, D60, D0, NULL, 0, 60000 },
	{ "Expires minus Date, not minus now: a Date ahead", NULL, D60, D10,
	    NULL, 0, 50000 },
	{ "Expires and a Date 30s ago: 30s of age", NULL, D60, DM30, NULL, 0,
	    60000 },
	{ "Expires without Date: minus the time received", NULL, D10, NULL,
	    NULL, 0, 10000 },
	{ "Expires in the past", NULL, DM30, D0, NULL, 5000, 0 },
	{ "Expires: 0 is in the past", NULL, "0", D0, NULL, 5000, 0 },
	{ "Expires no date is in the past", NULL, "soon", D0, NULL, 5000, 0 },
	{ "Age reduces max-age", "max-age=60", NULL, D0, "45", 0, 15000 },
	{ "an Age past max-age: stale", "max-age=60", NULL, D0, "120", 0, 0 },
	{ "Age reduces Expires minus Date", NULL, D60, D0, "20", 0, 40000 },
	{ "Age reduces the default", NULL, NULL, D0, "2", 5000, 3000 },
	{ "an invalid Age is ignored", "max-age=60", NULL, D0, "x", 0, 60000 },
	{ "apparent age over a smaller Age", "max-age=60", NULL, DM30, "10", 0,
	    30000 },
	{ "Age over a smaller apparent age", "max-age=60", NULL, DM30, "50", 0,
	    10000 },
	{ "a Date ahead is no negative age", "max-age=60", NULL, D60, NULL, 0,
	    60000 },
	{ "a huge max-age saturates", "max-age=99999999999999", NULL, D0,
	    NULL, 0, FRESHNESS_DELTA_MAX * 1000 },
};

static void
check_cc(void)
{
	struct cache_control cc;
	size_t i;

	for (i = 0; i < sizeof(ccs) / sizeof(ccs[0]); i++) {
		memset(&cc, 0xff, sizeof(cc));
		freshness_cc(ccs[i].v, &cc);
		CHECK(cc.no_store == ccs[i].no_store &&
		    cc.no_cache == ccs[i].no_cache &&
		    cc.max_age_given == ccs[i].given &&
		    cc.max_age_bad == ccs[i].bad &&
		    cc.max_age == ccs[i].max_age,
		    "Cache-Control '%s': no-store %d no-cache %d max-age "
		    "given %d bad %d = %lld", ccs[i].v ? ccs[i].v : "(none)",
		    cc.no_store, cc.no_cache, cc.max_age_given, cc.max_age_bad,
		    (long long)cc.max_age);
	}
}

static void
check_headers(void)
{
	int64_t v;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(ages) / sizeof(ages[0]); i++) {
		v = -7;
		rc = freshness_age(ages[i].v, &v);
		CHECK(rc == ages[i].ok && (rc == -1 || v == ages[i].want),
		    "Age '%s': %d, %lld", ages[i].v ? ages[i].v : "(none)", rc,
		    (long long)v);
	}
	for (i = 0; i < sizeof(varies) / sizeof(varies[0]); i++)
		CHECK(freshness_vary_star(varies[i].v) == varies[i].want,
		    "Vary '%s' %s *", varies[i].v ? varies[i].v : "(none)",
		    varies[i].want ? "holds" : "does not hold");
	for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		v = NEVER;
		rc = freshness_date(dates[i].v, &v);
		CHECK(dates[i].want == NEVER ? rc == -1 : rc == 0 &&
		    v == dates[i].want, "date '%s': %d, %lld",
		    dates[i].v ? dates[i].v : "(none)", rc, (long long)v);
	}
}

int
main(void)
{
	struct result_headers h;
	int64_t got;
	size_t i;

	check_cc();
	check_headers();
	for (i = 0; i < sizeof(expiries) / sizeof(expiries[0]); i++) {
		memset(&h, 0, sizeof(h));
		h.cache_control = expiries[i].cc;
		h.expires = expiries[i].expires;
		h.date = expiries[i].date;
		h.age = expiries[i].age;
		/* Received a little after the second the Date names. */
		got = freshness_expires_at(&h, NOW_MS + 400,
		    expiries[i].dflt_ms) - (NOW_MS + 400);
		CHECK(got == expiries[i].want, "%s: fresh for %lld ms, want "
		    "%lld", expiries[i].what, (long long)got,
		    (long long)expiries[i].want);
	}
	return unit_done();
}
