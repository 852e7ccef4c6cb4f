/*
 * One libcurl easy handle and what it receives.  Handles are made once and
 * reused for request after request, so their options are set only once and
 * their body buffers keep their memory.  It never touches the multi handle.
 */
#ifndef GATHER_TRANSFER_H
#define GATHER_TRANSFER_H

#include <curl/curl.h>
#include <sys/queue.h>

#include "buf.h"
#include "config.h"
#include "request.h"
#include "result.h"

struct transfer {
	CURL		*easy;
	struct request	*req;		/* lent while in flight */
	struct buf	 body;
	int64_t		 max_body;
	int		 too_large;
	double		 t_start;	/* monotonic ms */
	struct curl_slist *headers;	/* lent: the run's request headers */
	struct curl_slist *cond;	/* owned: those plus validators */
	char		 errbuf[CURL_ERROR_SIZE];
	char		 msg[CURL_ERROR_SIZE + 64];
	SLIST_ENTRY(transfer) idle;
};

/*
 * Builds the request headers of cfg (-H, then nothing else) as the list
 * libcurl takes.  The caller frees it with curl_slist_free_all after every
 * transfer using it is freed.  NULL when there are none.
 */
struct curl_slist	*transfer_headers(const struct config *);

/* A new transfer with every fixed option of cfg set; headers is lent. */
struct transfer	*transfer_new(const struct config *, struct curl_slist *);
void		 transfer_free(struct transfer *);

/*
 * Points t at req for a new attempt, with an empty body.  With conditional
 * set and a stored entry with validators, the request carries
 * If-None-Match / If-Modified-Since.
 */
void		 transfer_prepare(struct transfer *, struct request *, int);

/*
 * The value of response header name of the last response, or NULL.  Lent
 * until t is prepared again.
 */
const char	*transfer_header(struct transfer *, const char *);

/*
 * Fills r (status, body, content type, error) from the finished attempt.
 * r lends t's memory: it is valid until t is prepared again.
 */
void		 transfer_result(struct transfer *, CURLcode, struct result *);

#endif
