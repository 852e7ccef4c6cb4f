/* The report: which failures it keeps, their lines, and the totals. */
#include <string.h>

#include "report.h"
#include "unit.h"

static void
fail(struct report *rep, size_t index, const char *url, enum err_kind err,
    const char *msg)
{
	struct result r;

	memset(&r, 0, sizeof(r));
	r.index = index;
	r.url = url;
	r.err = err;
	r.err_msg = msg;
	report_add(rep, &r);
}

static const struct {
	size_t		 index;
	const char	*url;
	enum err_kind	 err;
	const char	*msg;
	const char	*want;
} lines[] = {
	{ 17, "https://api.example.com/x", ERR_HTTP,
	  "HTTP 503 after 3 attempts",
	  "#17 https://api.example.com/x: HTTP 503 after 3 attempts" },
	{ 2, "http://user:secret@127.0.0.1:1/a", ERR_CONNECT, "refused",
	  "#2 http://user:***@127.0.0.1:1/a: refused" },
	/* A bad input: its text is hidden generously, as in the output. */
	{ 3, "http://u:p/q@x@y", ERR_INPUT, "line 4: bad URL",
	  "#3 http://u:***@y: line 4: bad URL" },
	{ 4, NULL, ERR_INPUT, "line 5: JSON spec: bad",
	  "#4: line 5: JSON spec: bad" },
	/* Nothing a terminal would act on gets through. */
	{ 5, "http://h/\033[2J", ERR_INPUT, "bad\r\n",
	  "#5 http://h/?[2J: bad??" },
	{ 6, "http://h/\xc2\x9b" "31m", ERR_DNS, "x\x7f",
	  "#6 http://h/??31m: x?" },
	{ 7, "http://h/caf\xc3\xa9", ERR_TIMEOUT, NULL,
	  "#7 http://h/caf\xc3\xa9: timeout" },
};

static void
check_lines(void)
{
	struct report *rep;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		rep = report_new(10);
		fail(rep, lines[i].index, lines[i].url, lines[i].err,
		    lines[i].msg);
		CHECK(report_line(rep, 0) != NULL &&
		    strcmp(report_line(rep, 0), lines[i].want) == 0 &&
		    report_line(rep, 1) == NULL && report_more(rep) == 0,
		    "line %zu: '%s'", i, report_line(rep, 0));
		report_free(rep);
	}
}

/* Failures in the order they finish; the first three by index are kept. */
static void
check_order(void)
{
	static const size_t order[] = { 9, 4, 7, 1, 8, 0, 5 };
	struct report *rep = report_new(3);
	char url[32];
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		snprintf(url, sizeof(url), "http://h/%zu", order[i]);
		fail(rep, order[i], url, ERR_HTTP, "HTTP 500");
	}
	CHECK(strcmp(report_line(rep, 0), "#0 http://h/0: HTTP 500") == 0 &&
	    strcmp(report_line(rep, 1), "#1 http://h/1: HTTP 500") == 0 &&
	    strcmp(report_line(rep, 2), "#4 http://h/4: HTTP 500") == 0 &&
	    report_line(rep, 3) == NULL, "the first three in input order");
	CHECK(report_more(rep) == 4, "four more: %llu",
	    (unsigned long long)report_more(rep));
	report_free(rep);
	rep = report_new(0);
	fail(rep, 0, "http://h/", ERR_HTTP, "HTTP 500");
	CHECK(report_line(rep, 0) == NULL && report_more(rep) == 1,
	    "a report of none only counts");
	report_free(rep);
	report_free(NULL);
}

static void
check_totals(void)
{
	struct summary *s = summary_new();
	struct result r;
	struct buf b;
	int i;

	buf_init(&b);
	report_totals(s, 0, &b);
	CHECK(strcmp(b.data, "0 results in 0.0 s: 0 ok, 0 failed") == 0,
	    "no results: '%s'", b.data);
	memset(&r, 0, sizeof(r));
	r.ok = 1;
	r.attempts = 1;
	r.status = 200;
	summary_add(s, &r);
	buf_reset(&b);
	report_totals(s, 40, &b);
	CHECK(strcmp(b.data, "1 result in 0.0 s: 1 ok, 0 failed") == 0,
	    "one result: '%s'", b.data);
	r.cache = CACHE_HIT;
	for (i = 0; i < 37; i++)
		summary_add(s, &r);
	r.ok = 0;
	r.cache = CACHE_OFF;
	r.err = ERR_HTTP;
	summary_add(s, &r);
	summary_add(s, &r);
	r.err = ERR_TIMEOUT;
	summary_add(s, &r);
	buf_reset(&b);
	report_totals(s, 1234, &b);
	CHECK(strcmp(b.data, "41 results in 1.2 s: 38 ok, 3 failed "
	    "(timeout 1, http 2), 37 cached") == 0, "totals: '%s'", b.data);
	buf_free(&b);
	summary_free(s);
}

int
main(void)
{
	check_lines();
	check_order();
	check_totals();
	return unit_done();
}
