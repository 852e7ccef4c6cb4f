/*
 * What gather shows a person on stderr: the progress line, -v's attempt
 * lines, warnings, and the report at the end of a run.  Every line that
 * goes to stderr during a run goes through here, so that the progress line
 * is cleared before it.  Nothing here writes to stdout.
 */
#ifndef GATHER_UI_H
#define GATHER_UI_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "config.h"
#include "progress.h"
#include "report.h"
#include "scheduler.h"
#include "summary.h"

/* How many failed results the report names before it only counts. */
#define UI_FAILURES 10

struct ui {
	const struct config	*cfg;
	int			 escapes;	/* stderr takes "\033[K" */
	int			 tty;		/* stderr is a terminal */
	size_t			 width;		/* columns of stderr */
	size_t			 shown;		/* columns drawn; 0: none */
	volatile sig_atomic_t	*resized;	/* set by SIGWINCH */
	int64_t			 total;		/* inputs counted; -1: not */
	struct report		*rep;
	struct buf		 line;		/* scratch */
	struct buf		 drawn;		/* the line on screen */
};

/*
 * Sets ui up for the run of cfg (lent); resized (may be NULL) is the flag
 * SIGWINCH sets, total the inputs counted ahead, or -1.
 */
void	ui_init(struct ui *, const struct config *, volatile sig_atomic_t *,
	    int64_t);
void	ui_free(struct ui *);

/* Clears the progress line, if one is on screen. */
void	ui_clear(struct ui *);

/* The scheduler's hooks; arg is the struct ui. */
void	ui_attempt(void *, const struct attempt_log *);
void	ui_warn(void *, const char *);
void	ui_progress(void *, const struct progress *);
void	ui_failed(void *, const struct result *);

/*
 * The end of a run on stderr, nothing of it under -q: a line per failure
 * kept and one for the rest (under -q too with -S); then, on a terminal,
 * the line of totals.
 */
void	ui_failures(struct ui *);
void	ui_totals(struct ui *, const struct summary *, double);

#endif
