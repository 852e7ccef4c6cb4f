/*
 * The report of a run for people.  Failures arrive in the order they
 * finish; the report keeps the lines of the ones with the lowest indexes in
 * a small sorted array, so that what it shows is the same from run to run
 * (a cron mail that does not change when nothing changed) and its memory
 * does not grow with the number of failures.  It prints nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "url.h"
#include "xalloc.h"

struct kept {
	size_t	 index;
	char	*line;
};

struct report {
	struct kept	*kept;		/* sorted by index */
	size_t		 n, max;
	uint64_t	 more;
};

struct report *
report_new(size_t max)
{
	struct report *rep;

	rep = xcalloc(1, sizeof(*rep));
	rep->max = max;
	if (max > 0)
		rep->kept = xreallocarray(NULL, max, sizeof(*rep->kept));
	return rep;
}

void
report_free(struct report *rep)
{
	size_t i;

	if (rep == NULL)
		return;
	for (i = 0; i < rep->n; i++)
		free(rep->kept[i].line);
	free(rep->kept);
	free(rep);
}

/*
 * Replaces the bytes a terminal would act on (C0 controls, DEL, and C1
 * controls encoded in UTF-8) with '?', so that no text from the input or a
 * server moves the cursor or changes colours.
 */
static void
defang(char *s)
{
	unsigned char *p;

	for (p = (unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			*p = '?';
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			p[0] = p[1] = '?';
	}
}

/* The line of r, allocated: "#INDEX URL: MESSAGE". */
static char *
line_make(const struct result *r)
{
	struct buf b;
	char *shown;

	buf_init(&b);
	buf_printf(&b, "#%zu", r->index);
	if (r->url != NULL) {
		buf_addc(&b, ' ');
		/* A bad input may not parse: hide its userinfo generously. */
		if (r->err == ERR_INPUT)
			url_redact_loose(r->url, &b);
		else {
			shown = url_show(r->url);
			buf_adds(&b, shown);
			free(shown);
		}
	}
	buf_adds(&b, ": ");
	buf_adds(&b, r->err_msg != NULL ? r->err_msg :
	    err_kind_name(r->err));
	defang(b.data);
	return buf_steal(&b);
}

void
report_add(struct report *rep, const struct result *r)
{
	size_t i;

	/* Full, and r comes after every kept one: only counted. */
	if (rep->n == rep->max &&
	    (rep->n == 0 || r->index > rep->kept[rep->n - 1].index)) {
		rep->more++;
		return;
	}
	if (rep->n == rep->max) {
		free(rep->kept[--rep->n].line);
		rep->more++;
	}
	for (i = rep->n; i > 0 && rep->kept[i - 1].index > r->index; i--)
		rep->kept[i] = rep->kept[i - 1];
	rep->kept[i].index = r->index;
	rep->kept[i].line = line_make(r);
	rep->n++;
}

const char *
report_line(const struct report *rep, size_t i)
{
	return i < rep->n ? rep->kept[i].line : NULL;
}

uint64_t
report_more(const struct report *rep)
{
	return rep->more;
}

void
report_totals(const struct summary *s, double wall_ms, struct buf *b)
{
	const char *sep = " (";
	size_t i;

	buf_printf(b, "%llu result%s in %.1f s: %llu ok, %llu failed",
	    (unsigned long long)s->total, s->total == 1 ? "" : "s",
	    wall_ms / 1000, (unsigned long long)s->ok,
	    (unsigned long long)s->failed);
	for (i = 1; i < ERR__COUNT; i++) {
		if (s->errors[i] == 0)
			continue;
		buf_printf(b, "%s%s %llu", sep,
		    err_kind_name((enum err_kind)i),
		    (unsigned long long)s->errors[i]);
		sep = ", ";
	}
	if (*sep == ',')
		buf_addc(b, ')');
	if (s->cached > 0)
		buf_printf(b, ", %llu cached", (unsigned long long)s->cached);
}
