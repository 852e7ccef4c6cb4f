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
	int64_t		 max_body;	/* --max-body */
	int64_t		 budget;	/* of this body: less for a page */
	int		 too_large;
	int		 no_fd;		/* a socket found no descriptor */
	int		 used;		/* easy has made a transfer */
	CURLSH		*share;		/* lent: the cookies'; NULL: none */
	double		 t_start;	/* monotonic ms */
	struct curl_slist *headers;	/* lent: the run's request headers */
	struct curl_slist *cond;	/* owned: this request's own list */
	struct curl_slist *resolve;	/* owned: --resolve */
	struct curl_slist *connect_to;	/* owned: --connect-to */
	struct buf	 lists;		/* owned: joined list header values */
	const char	*method;	/* the method and body set last */
	const char	*body_sent;
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
 * Makes t use the cookie engine of share (cookies.c) from now on; share
 * must outlive t.
 */
void		 transfer_share(struct transfer *, CURLSH *);

/*
 * Points t at req for a new attempt, with an empty body, req's method,
 * body and headers (its spec's over the run's).  With conditional set and
 * a stored entry with validators, the request carries If-None-Match /
 * If-Modified-Since.
 */
void		 transfer_prepare(struct transfer *, struct request *,
		    const struct config *, int);

/*
 * The request headers of req as "K: V" strings: the run's -H, less those
 * its spec replaces, then the spec's.  The array is the caller's to free;
 * the strings are lent.
 */
char		**transfer_header_list(const struct config *,
		    const struct request *, size_t *);

/*
 * The value of response header name of the last response, or NULL.  Lent
 * until t is prepared again.
 */
const char	*transfer_header(struct transfer *, const char *);

/*
 * Every value of response header name of the last response, joined by
 * ", ", as HTTP allows for a list; allocated, NULL when there is none.
 */
char		*transfer_header_all(struct transfer *, const char *);

/*
 * Appends the last response's headers as a JSON object, names lower-cased,
 * a repeated header's values joined with ", ", and a secret one's value
 * (creds_secret_header) written as "***".
 */
void		 transfer_headers_json(struct transfer *,
		    const struct config *, struct buf *);

/*
 * Fills r (status, body, content type, error) from the finished attempt;
 * a response whose status is not in ok is an error of kind http.  r lends
 * t's memory: it is valid until t is prepared again.
 */
void		 transfer_result(struct transfer *, CURLcode,
		    const struct okset *, struct result *);

/*
 * Fills r->resp with the last response's headers the cache reads (all
 * NULL when there was none).  r lends t's memory, as for transfer_result.
 */
void		 transfer_cache_headers(struct transfer *, struct result *);

/*
 * Fills every field of tm but queue from the finished attempt; its
 * remote_ip is lent as transfer_result's memory is.
 */
void		 transfer_timings(struct transfer *, struct timings *);

#endif
