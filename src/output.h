/*
 * The output document: results in input order, written as soon as every
 * result before them has been, then the summary.  Results that finish early
 * wait in a fixed window; the scheduler asks output_room() before starting
 * a request, so memory is bounded by the window, not the input.
 */
#ifndef GATHER_OUTPUT_H
#define GATHER_OUTPUT_H

#include <stddef.h>

#include "buf.h"
#include "config.h"

struct output;

/*
 * Opens the output of cfg (lent for the run): stdout; for -o FILE, a file
 * with no name (or a hidden temp file) in the folder FILE's links lead
 * to, or FILE itself when it is a device, FIFO or socket.  window is how
 * many results may wait for those before them; warn (may be NULL) hears
 * of --merge conflicts.  Returns NULL and an allocated message in *errmsg
 * on failure.
 */
struct output	*output_new(const struct config *, size_t,
		    void (*)(void *, const char *), void *, char **);

/* How many bodies --merge left out because of their kind. */
size_t		 output_conflicts(const struct output *);

/* Drops the file written unless output_finish put it in place. */
void		 output_free(struct output *);

/* 1 when the result of request index may be started now. */
int		 output_room(const struct output *, size_t);

/*
 * Takes the rendered result of request index.  text is emptied: its memory
 * is written now or kept until its turn.
 */
void		 output_result(struct output *, size_t, struct buf *);

/*
 * Writes what is buffered.  The scheduler calls it before it waits, so
 * output is held back only while there is more work at hand.
 */
void		 output_sync(struct output *);

/* 1 once a write has failed; the run should stop. */
int		 output_failed(const struct output *);

/*
 * 1 when the write failed because the reader went away (EPIPE): the run
 * should end at once, and silently, as one killed by SIGPIPE would.
 */
int		 output_closed(const struct output *);

/*
 * Ends the output (the document takes summary, a JSON object; the other
 * shapes leave it to the caller), flushes it, and for -o puts the file
 * in place of FILE's target.  Returns 0, or -1 and an allocated message
 * in *errmsg.
 */
int		 output_finish(struct output *, const struct buf *, char **);

#endif
