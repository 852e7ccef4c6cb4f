/*
 * Easy-handle set-up and the reading of a finished attempt.  Which attempt
 * runs when, and retries, are the scheduler's business, not this file's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transfer.h"
#include "xalloc.h"

/* Large buffers are given back after use, so one huge body is not kept. */
#define BODY_KEEP_MAX (256 * 1024)

static size_t
transfer_on_body(char *p, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	curl_off_t cl = -1;
	size_t len = size * n;

	if ((int64_t)(t->body.len + len) > t->max_body) {
		t->too_large = 1;
		return 0;
	}
	/* Size the buffer once when the length is announced. */
	if (t->body.len == 0 &&
	    curl_easy_getinfo(t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T,
	    &cl) == CURLE_OK && cl > 0 && cl <= t->max_body)
		buf_reserve(&t->body, (size_t)cl);
	buf_add(&t->body, p, len);
	return len;
}

struct curl_slist *
transfer_headers(const struct config *cfg)
{
	struct curl_slist *list = NULL, *l;
	size_t i;

	for (i = 0; i < cfg->nheaders; i++) {
		if ((l = curl_slist_append(list, cfg->headers[i])) == NULL)
			xalloc_die();
		list = l;
	}
	return list;
}

struct transfer *
transfer_new(const struct config *cfg, struct curl_slist *headers)
{
	struct transfer *t;
	CURL *e;
	char *ua = NULL;

	t = xcalloc(1, sizeof(*t));
	buf_init(&t->body);
	t->max_body = cfg->max_body;
	if ((e = t->easy = curl_easy_init()) == NULL)
		xalloc_die();
	if (cfg->user_agent == NULL)
		ua = xstrdup("gather/" GATHER_VERSION);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, transfer_on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, cfg->max_redirs > 0);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, cfg->max_redirs);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)cfg->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)cfg->timeout_ms);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)cfg->max_body);
	curl_easy_setopt(e, CURLOPT_USERAGENT,
	    cfg->user_agent != NULL ? cfg->user_agent : ua);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
	free(ua);	/* libcurl keeps its own copy of strings. */
	return t;
}

void
transfer_free(struct transfer *t)
{
	if (t == NULL)
		return;
	curl_easy_cleanup(t->easy);
	buf_free(&t->body);
	free(t);
}

void
transfer_prepare(struct transfer *t, struct request *req)
{
	if (t->body.cap > BODY_KEEP_MAX)
		buf_free(&t->body);
	buf_reset(&t->body);
	t->req = req;
	t->too_large = 0;
	t->errbuf[0] = '\0';
	curl_easy_setopt(t->easy, CURLOPT_URL, req->url);
}

void
transfer_result(struct transfer *t, CURLcode code, struct result *r)
{
	char *ct = NULL;
	long status = 0;

	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &ct);
	r->status = status;
	r->content_type = ct;
	r->err = ERR_NONE;
	r->err_msg = NULL;
	r->curl_code = 0;
	r->ok = 0;
	r->has_body = 0;
	if (t->too_large || code == CURLE_FILESIZE_EXCEEDED) {
		r->err = ERR_TOO_LARGE;
		r->curl_code = code;
		snprintf(t->msg, sizeof(t->msg),
		    "response body larger than --max-body (%lld bytes)",
		    (long long)t->max_body);
		r->err_msg = t->msg;
		return;
	}
	if (code != CURLE_OK) {
		r->err = err_kind_from_curl(code);
		r->curl_code = code;
		r->err_msg = t->errbuf[0] != '\0' ? t->errbuf :
		    curl_easy_strerror(code);
		/* A transfer cut short keeps no partial body. */
		r->status = 0;
		return;
	}
	r->has_body = 1;
	r->body = t->body.data != NULL ? t->body.data : t->errbuf;
	r->body_len = t->body.len;
	if (status >= 400) {
		r->err = ERR_HTTP;
		snprintf(t->msg, sizeof(t->msg), "HTTP %ld", status);
		r->err_msg = t->msg;
		return;
	}
	r->ok = 1;
}
