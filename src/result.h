/*
 * The outcome of one request as output sees it.  A result lends its
 * strings: they belong to the request or transfer it was made from and
 * live until it has been rendered.
 */
#ifndef GATHER_RESULT_H
#define GATHER_RESULT_H

#include <stddef.h>
#include <stdint.h>

enum err_kind {
	ERR_NONE,
	ERR_INPUT,
	ERR_DNS,
	ERR_CONNECT,
	ERR_TLS,
	ERR_TIMEOUT,
	ERR_HTTP,
	ERR_TOO_LARGE,
	ERR_DEADLINE,
	ERR_OFFLINE_MISS,
	ERR_INTERRUPTED,
	ERR_PROTOCOL,
	ERR__COUNT
};

enum cache_state {
	CACHE_OFF,
	CACHE_MISS,
	CACHE_HIT,
	CACHE_REVALIDATED,
	CACHE_STALE
};

/*
 * The response headers the cache policy reads, lent like the rest of the
 * result; NULL when absent.  A list header (Cache-Control, Vary) sent on
 * several lines comes joined with ", ", as HTTP allows.
 */
struct result_headers {
	const char	*etag;
	const char	*last_modified;
	const char	*cache_control;
	const char	*vary;
	const char	*link;		/* every Link, for --paginate */
	const char	*expires;
	const char	*date;
	const char	*age;
};

/*
 * Where the time of a fetch went (--timings), in ms.  queue is from when
 * the request was read to when this attempt started; the rest are
 * libcurl's, from the attempt's start: each one the time at which that
 * step had ended, so that they only grow.
 */
struct timings {
	double		 queue, dns, connect, tls, ttfb, total;
	const char	*remote_ip;	/* NULL: none */
	long		 http_version;	/* CURL_HTTP_VERSION_*; 0: none */
	int		 conn_reused;
};

struct result {
	size_t		 index;
	const char	*url;		/* as shown; a bad input: as given */
	const char	*name;		/* NULL when unnamed */
	const char	*host;		/* "name:port"; NULL: a bad input */
	int		 name_dup;	/* name is an earlier result's */
	int		 ok;
	long		 status;	/* 0: no response */
	int		 attempts;	/* 0: never sent (input errors) */
	enum cache_state cache;
	double		 time_ms;
	const char	*content_type;	/* NULL when none */
	char		*body;		/* NUL-terminated at body_len */
	size_t		 body_len;
	int		 has_body;

	enum err_kind	 err;
	const char	*err_msg;
	int		 curl_code;	/* 0: none */
	int64_t		 retry_after_ms; /* the response's; -1: none */
	int64_t		 retry_after_s;	/* set: too long to honour */
	int		 shared;	/* another request's fetch, reused */
	const char	*headers_json;	/* --headers: a JSON object, or NULL */
	struct result_headers resp;	/* for the cache */
	const char	*effective_url;	/* the last URL, after redirects */
	long		 redirects;	/* redirects followed */
	int		 has_timings;
	struct timings	 timings;

	/* A paginated result (paged set) has these too. */
	int		 paged;
	int		 pages;		/* pages whose items are in the body */
	int		 page;		/* failed: the page that did; 0: none */
	size_t		 bytes;		/* the bodies of those pages */
	int		 retries;	/* over every page */
	int		 truncated;	/* --max-pages ended it early */
};

const char	*err_kind_name(enum err_kind);
const char	*cache_state_name(enum cache_state);

/*
 * Maps a libcurl result code and its error text (msg, may be NULL) to an
 * error kind.  CURLE_OK maps to ERR_NONE; codes that name no better kind
 * map to ERR_PROTOCOL.  A connection lost in the middle of a response is
 * ERR_CONNECT; a malformed response is ERR_PROTOCOL.
 */
enum err_kind	 err_kind_from_curl(int, const char *);

#endif
