/*
 * The text of the progress line.  The parts of the line are made in the
 * order they are shown, each with a rank; when the line is too wide for the
 * terminal the parts of the highest rank are dropped first, so that a
 * narrow pane still shows the count and the time.  Nothing here knows of
 * terminals, escape sequences or clocks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "progress.h"

#define NPARTS 7

struct part {
	char	 text[48];
	int	 rank;		/* 0: kept the longest */
};

void
progress_clock(double s, struct buf *b)
{
	long long t = s > 0 ? (long long)s : 0;

	if (t >= 3600)
		buf_printf(b, "%lld:%02lld:%02lld", t / 3600, t / 60 % 60,
		    t % 60);
	else
		buf_printf(b, "%lld:%02lld", t / 60, t % 60);
}

static void part_set(struct part *, int, const char *, ...)
    __attribute__((format(printf, 3, 4)));

/* Formats one part of the line, cut to the part's room. */
static void
part_set(struct part *p, int rank, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->text, sizeof(p->text), fmt, ap);
	va_end(ap);
	p->rank = rank;
}

static void
clock_part(struct part *p, int rank, const char *label, double s,
    int before)
{
	struct buf b;

	buf_init(&b);
	progress_clock(s, &b);
	if (before)
		part_set(p, rank, "%s %s", label, b.data);
	else
		part_set(p, rank, "%s %s", b.data, label);
	buf_free(&b);
}

/* Fills parts with the line's parts, in the order shown; returns how many. */
static size_t
parts_make(const struct progress *p, struct part *parts)
{
	double secs = p->elapsed_ms / 1000, rate;
	size_t n = 0;

	rate = secs > 0 ? (double)p->done / secs : 0;
	if (p->total >= 0)
		part_set(&parts[n++], 0, "%llu/%lld done",
		    (unsigned long long)p->done, (long long)p->total);
	else
		part_set(&parts[n++], 0, "%llu/? done",
		    (unsigned long long)p->done);
	part_set(&parts[n++], 4, "%llu ok", (unsigned long long)p->ok);
	part_set(&parts[n++], 3, "%llu failed", (unsigned long long)p->failed);
	part_set(&parts[n++], 5, "%llu cached", (unsigned long long)p->cached);
	part_set(&parts[n++], 6, rate < 10 ? "%.1f/s" : "%.0f/s", rate);
	clock_part(&parts[n++], 1, "elapsed", secs, 0);
	/* The rest at the rate so far; unknown before the first result. */
	if (p->total >= 0 && rate > 0 && p->done < (uint64_t)p->total)
		clock_part(&parts[n++], 2, "ETA",
		    (double)((uint64_t)p->total - p->done) / rate, 1);
	return n;
}

/* The line of the parts of rank up to max, appended to b. */
static void
parts_join(const struct part *parts, size_t n, int max, struct buf *b)
{
	const char *sep = "gather: ";
	size_t i;

	for (i = 0; i < n; i++) {
		if (parts[i].rank > max)
			continue;
		buf_adds(b, sep);
		buf_adds(b, parts[i].text);
		sep = ", ";
	}
}

void
progress_line(const struct progress *p, size_t width, struct buf *b)
{
	struct part parts[NPARTS];
	size_t n, start = b->len;
	int max;

	n = parts_make(p, parts);
	for (max = NPARTS - 1; max >= 0; max--) {
		b->len = start;
		parts_join(parts, n, max, b);
		if (b->len - start <= width)
			break;
	}
	if (b->len - start > width)
		b->len = start + width;
	b->data[b->len] = '\0';
}
