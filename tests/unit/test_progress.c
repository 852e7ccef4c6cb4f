/* The progress line: its parts, and how it is cut to a width. */
#include <string.h>

#include "progress.h"
#include "unit.h"

static const struct {
	uint64_t	 done, ok, failed, cached;
	int64_t		 total;
	double		 elapsed_ms;
	size_t		 width;
	const char	*want;
} lines[] = {
	{ 0, 0, 0, 0, -1, 0, 200,
	  "gather: 0/? done, 0 ok, 0 failed, 0 cached, 0.0/s, 0:00 elapsed" },
	/* 10 of 40 in 5 s: 2/s, 30 more take 15 s. */
	{ 10, 8, 2, 3, 40, 5000, 200,
	  "gather: 10/40 done, 8 ok, 2 failed, 3 cached, 2.0/s, "
	  "0:05 elapsed, ETA 0:15" },
	{ 600, 600, 0, 0, 1000, 30000, 200,
	  "gather: 600/1000 done, 600 ok, 0 failed, 0 cached, 20/s, "
	  "0:30 elapsed, ETA 0:20" },
	/* Done: no ETA. */
	{ 5, 5, 0, 0, 5, 3723000, 200,
	  "gather: 5/5 done, 5 ok, 0 failed, 0 cached, 0.0/s, "
	  "1:02:03 elapsed" },
	/* Narrower: the rate goes first, then cached, ok, failed, ETA,
	 * elapsed. */
	{ 10, 8, 2, 3, 40, 5000, 70,
	  "gather: 10/40 done, 8 ok, 2 failed, 3 cached, 0:05 elapsed, "
	  "ETA 0:15" },
	{ 10, 8, 2, 3, 40, 5000, 60,
	  "gather: 10/40 done, 8 ok, 2 failed, 0:05 elapsed, ETA 0:15" },
	{ 10, 8, 2, 3, 40, 5000, 50,
	  "gather: 10/40 done, 0:05 elapsed, ETA 0:15" },
	{ 10, 8, 2, 3, 40, 5000, 39,
	  "gather: 10/40 done, 0:05 elapsed" },
	{ 10, 8, 2, 3, 40, 5000, 30, "gather: 10/40 done" },
	/* Narrower than the count: cut. */
	{ 10, 8, 2, 3, 40, 5000, 12, "gather: 10/4" },
	{ 10, 8, 2, 3, 40, 5000, 0, "" },
};

static void
check_lines(void)
{
	struct progress p;
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		memset(&p, 0, sizeof(p));
		p.done = lines[i].done;
		p.ok = lines[i].ok;
		p.failed = lines[i].failed;
		p.cached = lines[i].cached;
		p.total = lines[i].total;
		p.elapsed_ms = lines[i].elapsed_ms;
		buf_reset(&b);
		progress_line(&p, lines[i].width, &b);
		CHECK(strcmp(b.data, lines[i].want) == 0 &&
		    b.len <= lines[i].width && strlen(b.data) == b.len,
		    "line %zu (width %zu): '%s'", i, lines[i].width, b.data);
	}
	buf_free(&b);
}

static const struct {
	double		 s;
	const char	*want;
} clocks[] = {
	{ 0, "0:00" }, { 0.99, "0:00" }, { 59, "0:59" }, { 61, "1:01" },
	{ 3599, "59:59" }, { 3600, "1:00:00" }, { 90061, "25:01:01" },
	{ -5, "0:00" },
};

static void
check_clocks(void)
{
	struct buf b;
	size_t i;

	buf_init(&b);
	for (i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		buf_reset(&b);
		progress_clock(clocks[i].s, &b);
		CHECK(strcmp(b.data, clocks[i].want) == 0, "clock %g: '%s'",
		    clocks[i].s, b.data);
	}
	buf_free(&b);
}

int
main(void)
{
	check_lines();
	check_clocks();
	return unit_done();
}
