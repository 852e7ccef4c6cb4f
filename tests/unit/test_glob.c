/*
 * URL globs: what each pattern expands to, in order, with the names its
 * values make; and each malformed one's message, as curl 7.88 words it
 * (the positions were checked against curl(1) itself).
 */
#include <stdlib.h>
#include <string.h>

#include "glob.h"
#include "unit.h"

static const struct {
	const char	*pattern;
	const char	*want;		/* the URLs, space-separated */
	const char	*values;	/* glob_values of each, space-separated */
} expands[] = {
	{ "http://h/", "http://h/", "" },
	{ "http://h/[1-3]", "http://h/1 http://h/2 http://h/3", "1 2 3" },
	{ "http://h/[8-10]", "http://h/8 http://h/9 http://h/10", "8 9 10" },
	{ "http://h/[08-10]", "http://h/08 http://h/09 http://h/10",
	    "08 09 10" },
	{ "http://h/[001-003]", "http://h/001 http://h/002 http://h/003",
	    "001 002 003" },
	{ "http://h/[0-2]", "http://h/0 http://h/1 http://h/2", "0 1 2" },
	{ "h/[0-100:50]", "h/0 h/50 h/100", "0 50 100" },
	{ "h/[0-10:4]", "h/0 h/4 h/8", "0 4 8" },
	{ "h/[1- 2]", "h/1 h/2", "1 2" },
	{ "h/[5-5]", "h/5", "5" },
	{ "h/[a-c]", "h/a h/b h/c", "a b c" },
	{ "h/[a-e:2]", "h/a h/c h/e", "a c e" },
	{ "h/[Y-b:3]", "h/Y h/\\ h/_ h/b", "Y \\ _ b" },
	{ "h/{a,b,c}", "h/a h/b h/c", "a b c" },
	{ "h/{one}", "h/one", "one" },
	{ "h/{a,,b}x", "h/ax h/x h/bx", "a  b" },
	{ "h/x/[1-2]/{a,b}", "h/x/1/a h/x/1/b h/x/2/a h/x/2/b",
	    "1.a 1.b 2.a 2.b" },
	{ "h/{a,b}[1-2]{y,z}",
	    "h/a1y h/a1z h/a2y h/a2z h/b1y h/b1z h/b2y h/b2z",
	    "a.1.y a.1.z a.2.y a.2.z b.1.y b.1.z b.2.y b.2.z" },
	{ "h/\\[1-2\\]", "h/[1-2]", "" },
	{ "h/\\{a\\}", "h/{a}", "" },
	{ "h/a\\b", "h/a\\b", "" },
	{ "h/{a\\,b,c\\}}", "h/a,b h/c}", "a,b c}" },
	{ "h/[]x", "h/[]x", "" },
	{ "http://[::1]:80/[1-2]", "http://[::1]:80/1 http://[::1]:80/2",
	    "1 2" },
	{ "http://[fe80::1%25eth0]/", "http://[fe80::1%25eth0]/", "" },
};

static const struct {
	const char	*pattern;
	const char	*why;
} errors[] = {
	{ "http://h/[1-", "bad range in URL position 13" },
	{ "http://h/[a-Z]", "bad range in URL position 15" },
	{ "http://h/[A-z]", "bad range in URL position 15" },
	{ "http://h/{a,b", "unmatched brace in URL position 10" },
	{ "http://h/x]", "unmatched close brace/bracket in URL position 11" },
	{ "http://h/x}", "unmatched close brace/bracket in URL position 11" },
	{ "http://h/{a,{b}}", "nested brace in URL position 13" },
	{ "http://h/{a,[b}", "nested brace in URL position 13" },
	{ "http://h/[0-100:200]", "bad range in URL position 21" },
	{ "http://h/{}", "empty string within braces in URL position 11" },
	{ "http://h/[--]", "bad range specification in URL position 11" },
	{ "http://h/{a]b}", "unexpected close bracket in URL position 12" },
	{ "http://h/[1-2x]", "bad range in URL position 13" },
	{ "http://h/[1-2:x]", "bad range in URL position 15" },
	{ "http://h/[1-2:1x]", "bad range in URL position 15" },
	{ "http://h/[a-c:x]", "bad range in URL position 11" },
	{ "http://h/[5-5:2]", "bad range in URL position 17" },
	{ "http://h/[3-1]", "bad range in URL position 15" },
	{ "http://h/[1-99999999999999999999]",
	    "bad range in URL position 13" },
	{ "http://h/[a-z][1-1000000000][1-1000000000]",
	    "range overflow in URL position 43" },
	{ "http://h/a[b", "bad range in URL position 12" },
	{ "http://h/[a]", "bad range in URL position 11" },
	{ "http://h/[0-2:0]", "bad range in URL position 17" },
};

/* Every URL of pattern, and every glob_values, space-separated. */
static int
expand(const char *pattern, struct buf *urls, struct buf *values,
    int64_t *count, char **why)
{
	struct glob *g;
	const char *u;

	if ((g = glob_new(pattern, why)) == NULL)
		return -1;
	*count = glob_count(g);
	while ((u = glob_next(g)) != NULL) {
		if (urls->len > 0) {
			buf_addc(urls, ' ');
			buf_addc(values, ' ');
		}
		buf_adds(urls, u);
		glob_values(g, values);
	}
	/* Past the end it stays there. */
	if (glob_next(g) != NULL)
		buf_adds(urls, " (again)");
	glob_free(g);
	return 0;
}

static void
check_expands(void)
{
	struct buf urls, values;
	int64_t count = 0, n;
	char *why = NULL;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(expands) / sizeof(expands[0]); i++) {
		buf_init(&urls);
		buf_init(&values);
		buf_adds(&urls, "");
		buf_adds(&values, "");
		rc = expand(expands[i].pattern, &urls, &values, &count, &why);
		n = 1;
		for (const char *p = expands[i].want; *p != '\0'; p++)
			n += *p == ' ';
		CHECK(rc == 0 && strcmp(urls.data, expands[i].want) == 0 &&
		    count == n, "%s: '%s' (%lld), want '%s'",
		    expands[i].pattern, rc == 0 ? urls.data : why,
		    (long long)count, expands[i].want);
		CHECK(rc == 0 && strcmp(values.data, expands[i].values) == 0,
		    "%s: values '%s', want '%s'", expands[i].pattern,
		    values.data, expands[i].values);
		free(why);
		buf_free(&urls);
		buf_free(&values);
	}
}

static void
check_errors(void)
{
	struct glob *g;
	char *why;
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		g = glob_new(errors[i].pattern, &why);
		CHECK(g == NULL && why != NULL &&
		    strcmp(why, errors[i].why) == 0, "%s: '%s', want '%s'",
		    errors[i].pattern, why != NULL ? why : "(accepted)",
		    errors[i].why);
		glob_free(g);
		free(why);
	}
}

/* A billion URLs: counted, and the first and the next come at once. */
static void
check_lazy(void)
{
	struct glob *g;
	const char *u;
	char *why;

	g = glob_new("h/[1-1000000000]/{a,b}", &why);
	CHECK(g != NULL && glob_count(g) == 2000000000LL &&
	    glob_patterns(g) == 2, "a huge glob is counted, not expanded");
	u = glob_next(g);
	CHECK(u != NULL && strcmp(u, "h/1/a") == 0, "first: %s", u);
	u = glob_next(g);
	CHECK(u != NULL && strcmp(u, "h/1/b") == 0, "second: %s", u);
	glob_free(g);
}

/* At most 100 patterns, text between them included, as curl. */
static void
check_many(void)
{
	struct buf b;
	struct glob *g;
	char *why;
	int i;

	buf_init(&b);
	for (i = 0; i < 50; i++)
		buf_adds(&b, "x{a}");
	g = glob_new(b.data, &why);
	CHECK(g != NULL && glob_patterns(g) == 50, "100 patterns are fine");
	glob_free(g);
	buf_adds(&b, "x");
	g = glob_new(b.data, &why);
	CHECK(g == NULL && strncmp(why, "too many globs", 14) == 0,
	    "101 are too many: %s", why != NULL ? why : "accepted");
	free(why);
	buf_free(&b);
}

int
main(void)
{
	check_expands();
	check_errors();
	check_lazy();
	check_many();
	return unit_done();
}
