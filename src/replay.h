/*
 * --record and --replay for one request: the fixture a final response
 * makes, and the response a fixture gives back.  The scheduler decides
 * when; fixture.c knows the document and its files.  The cache plays no
 * part: a run that records or replays neither reads nor writes it.
 */
#ifndef GATHER_REPLAY_H
#define GATHER_REPLAY_H

#include "config.h"
#include "fixture.h"
#include "request.h"
#include "result.h"

/* A fixture read back, and what a result borrows from it. */
struct replay {
	struct fixture	 fx;
	char		*content_type;	/* owned; NULL: none */
	char		*retry_after;	/* owned; NULL: none */
	char		 msg[96];
};

/* The path of req's fixture in dir; allocated. */
char *replay_path(const char *, const struct request *);

/*
 * Writes the fixture of req and its final response r (a response was
 * received: r->status > 0), whose headers are the JSON object headers
 * (transfer_headers_json), to cfg->record.  Returns 0, or -1 with an
 * allocated message in *why.
 */
int replay_record(const struct config *, const struct request *,
    const struct result *, const char *, char **);

/*
 * Reads req's fixture from cfg->replay.  Returns it (the caller frees it
 * with replay_free), or NULL with an allocated message in *why that names
 * the file looked for.
 */
struct replay *replay_load(
    const struct config *, const struct request *, char **);
void replay_free(struct replay *);

/*
 * Fills r as transfer_result would from the response rp holds: status,
 * body, content type, Retry-After, the error of a status >= 400 or a body
 * over --max-body.  r lends rp's memory.
 */
void replay_result(struct replay *, const struct config *, struct result *);

#endif
