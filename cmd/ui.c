/*
 * The terminal side of the progress line and the end-of-run report: when
 * to draw, how wide, how to clear.  The text itself is made in src/
 * (progress.c, report.c).  stdout is never written here and its terminal,
 * if it has one, is never drawn on: a progress line there would land in
 * the middle of the document.
 */
#include <sys/ioctl.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui.h"

/* Columns when the terminal does not say and COLUMNS is not set. */
#define UI_WIDTH_DEFAULT 80

/* 1 when TERM names a terminal that takes escape sequences. */
static int
term_capable(void)
{
	const char *term = getenv("TERM");

	return term != NULL && *term != '\0' && strcmp(term, "dumb") != 0;
}

/* The columns of stderr's terminal, else $COLUMNS, else 80. */
static size_t
ui_columns(void)
{
	struct winsize ws;
	const char *env, *errstr;
	long long n;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if ((env = getenv("COLUMNS")) != NULL) {
		n = strtonum(env, 1, 100000, &errstr);
		if (errstr == NULL)
			return (size_t)n;
	}
	return UI_WIDTH_DEFAULT;
}

void
ui_init(struct ui *ui, const struct config *cfg,
    volatile sig_atomic_t *resized, int64_t total)
{
	memset(ui, 0, sizeof(*ui));
	ui->cfg = cfg;
	ui->tty = isatty(STDERR_FILENO);
	ui->escapes = term_capable();
	ui->width = ui_columns();
	ui->resized = resized;
	ui->total = total;
	ui->rep = report_new(UI_FAILURES);
	buf_init(&ui->line);
	buf_init(&ui->drawn);
}

void
ui_free(struct ui *ui)
{
	report_free(ui->rep);
	buf_free(&ui->line);
	buf_free(&ui->drawn);
}

void
ui_clear(struct ui *ui)
{
	if (ui->shown == 0)
		return;
	buf_reset(&ui->line);
	if (ui->escapes)
		buf_adds(&ui->line, "\r\033[K");
	else {
		/* No escapes: overwrite the line with spaces. */
		buf_addc(&ui->line, '\r');
		while (ui->line.len <= ui->shown)
			buf_addc(&ui->line, ' ');
		buf_addc(&ui->line, '\r');
	}
	fwrite(ui->line.data, 1, ui->line.len, stderr);
	fflush(stderr);
	ui->shown = 0;
}

void
ui_attempt(void *arg, const struct attempt_log *l)
{
	ui_clear(arg);
	if (l->delay_ms >= 0)
		fprintf(stderr, "gather: #%zu %s %s attempt %d: %s (%.1f ms); "
		    "retry in %lld ms\n", l->index, l->method, l->url,
		    l->attempt, l->outcome, l->time_ms, (long long)l->delay_ms);
	else
		fprintf(stderr, "gather: #%zu %s %s attempt %d: %s (%.1f ms)\n",
		    l->index, l->method, l->url, l->attempt, l->outcome,
		    l->time_ms);
}

void
ui_warn(void *arg, const char *msg)
{
	struct ui *ui = arg;

	ui_clear(ui);
	if (!ui->cfg->quiet)
		fprintf(stderr, "gather: warning: %s\n", msg);
}

/*
 * One redraw: "\r", the line cut to the width, and what clears the rest
 * of the old one.  A line the same as the one on screen is not redrawn.
 */
void
ui_progress(void *arg, const struct progress *p)
{
	struct ui *ui = arg;
	struct progress q = *p;

	if (p->final) {
		ui_clear(ui);
		return;
	}
	if (ui->resized != NULL && *ui->resized) {
		*ui->resized = 0;
		ui->width = ui_columns();
		buf_reset(&ui->drawn);
	}
	if (q.total < 0)
		q.total = ui->total;
	buf_reset(&ui->line);
	/* One column short of the edge: the cursor never wraps. */
	progress_line(&q, ui->width > 1 ? ui->width - 1 : 0, &ui->line);
	if (ui->shown > 0 && strcmp(ui->line.data, ui->drawn.data) == 0)
		return;
	buf_reset(&ui->drawn);
	buf_adds(&ui->drawn, ui->line.data);
	buf_reset(&ui->line);
	buf_adds(&ui->line, ui->escapes ? "\r\033[K" : "\r");
	buf_adds(&ui->line, ui->drawn.data);
	while (!ui->escapes && ui->line.len - 1 < ui->shown)
		buf_addc(&ui->line, ' ');
	fwrite(ui->line.data, 1, ui->line.len, stderr);
	fflush(stderr);
	ui->shown = ui->drawn.len;
}

void
ui_failed(void *arg, const struct result *r)
{
	struct ui *ui = arg;

	report_add(ui->rep, r);
}

void
ui_failures(struct ui *ui)
{
	const char *line;
	size_t i;

	ui_clear(ui);
	if (ui->cfg->quiet && !ui->cfg->show_error)
		return;
	for (i = 0; (line = report_line(ui->rep, i)) != NULL; i++)
		fprintf(stderr, "gather: %s\n", line);
	if (report_more(ui->rep) > 0)
		fprintf(stderr, "gather: ... and %llu more failed\n",
		    (unsigned long long)report_more(ui->rep));
}

void
ui_totals(struct ui *ui, const struct summary *sum, double wall_ms)
{
	ui_clear(ui);
	if (ui->cfg->quiet || !ui->tty)
		return;
	buf_reset(&ui->line);
	report_totals(sum, wall_ms, &ui->line);
	fprintf(stderr, "gather: %s\n", ui->line.data);
}
