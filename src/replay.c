/*
 * Record and replay (see replay.h): the glue between a request, its
 * result and its fixture.  A fixture is found by its name, made from the
 * request's host, path and cache key, and its key must match in full.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "replay.h"
#include "retry.h"
#include "transfer.h"
#include "url.h"
#include "xalloc.h"

/* A fixture may hold a body of --max-body escaped: \u00XX for a byte. */
#define FIXTURE_OVERHEAD	(1024 * 1024)

/* Part p of u, or "" when it has none; allocated. */
static char *
part(CURLU *u, CURLUPart p)
{
	char *v = NULL, *copy;

	if (curl_url_get(u, p, &v, 0) != CURLUE_OK || v == NULL)
		return xstrdup("");
	copy = xstrdup(v);
	curl_free(v);
	return copy;
}

/* The file name of req's fixture; allocated. */
static char *
name_of(const struct request *req)
{
	char *host, *path, *name;

	host = part(req->cu, CURLUPART_HOST);
	path = part(req->cu, CURLUPART_PATH);
	name = fixture_name(host, path, req->key);
	free(host);
	free(path);
	return name;
}

char *
replay_path(const char *dir, const struct request *req)
{
	char *name, *full;

	name = name_of(req);
	full = xasprintf("%s/%s", dir, name);
	free(name);
	return full;
}

/* The request headers a fixture shows: -H, a spec's, and -A. */
static void
request_headers(
    const struct config *cfg, const struct request *req, struct buf *b)
{
	char **list, *ua = NULL;
	size_t n;

	list = transfer_header_list(cfg, req, &n);
	if (cfg->user_agent != NULL) {
		list = xreallocarray(list, n + 1, sizeof(*list));
		list[n++] = ua = xasprintf("User-Agent: %s", cfg->user_agent);
	}
	fixture_request_headers(list, n, b);
	free(ua);
	free(list);
}

int
replay_record(const struct config *cfg, const struct request *req,
    const struct result *r, const char *headers, char **why)
{
	struct fixture f;
	struct buf rh, h, doc;
	const char *body;
	char *name;
	int rc;

	memset(&f, 0, sizeof(f));
	buf_init(&rh);
	buf_init(&h);
	buf_init(&doc);
	memcpy(f.key, req->key, sizeof(f.key));
	f.method = (char *)request_method(req, cfg);
	f.url = url_redacted(req->cu);
	request_headers(cfg, req, &rh);
	f.req_headers = rh.data;
	if ((body = request_body(req, cfg, &f.req_body_len)) != NULL)
		f.req_body = (char *)body;
	f.status = r->status;
	if (fixture_headers(headers, FIXTURE_DROP | FIXTURE_REDACT, &h) == -1)
		buf_adds(&h, "{}");
	f.headers = h.data;
	f.body = r->body;
	f.body_len = r->has_body ? r->body_len : 0;
	fixture_encode(&f, &doc);
	name = name_of(req);
	rc = fixture_write(cfg->record, name, doc.data, doc.len, why);
	free(name);
	free(f.url);
	buf_free(&rh);
	buf_free(&h);
	buf_free(&doc);
	return rc;
}

/* Copies the string value of header name in the JSON object hs, or NULL. */
static char *
header_value(const cJSON *hs, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(hs, name);

	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

struct replay *
replay_load(const struct config *cfg, const struct request *req, char **why)
{
	struct replay *rp;
	struct buf text;
	const char *bad;
	char *err;
	char *path;
	cJSON *hs;
	size_t max;
	int rc;

	path = replay_path(cfg->replay, req);
	buf_init(&text);
	max = (size_t)cfg->max_body * 6 + FIXTURE_OVERHEAD;
	if ((rc = fixture_read(path, max, &text, &err)) != 0) {
		*why = rc == 1 ? xasprintf("--replay: no fixture %s", path) :
		    xasprintf("--replay: %s", err);
		if (rc == -1)
			free(err);
		free(path);
		buf_free(&text);
		return NULL;
	}
	rp = xcalloc(1, sizeof(*rp));
	if (fixture_decode(text.data, text.len, req->key, &rp->fx, &bad) ==
	    -1) {
		*why = xasprintf("--replay: %s: not a fixture for this "
				 "request: %s",
		    path, bad);
		free(rp);
		rp = NULL;
	} else if ((hs = cJSON_Parse(rp->fx.headers)) != NULL) {
		rp->content_type = header_value(hs, "content-type");
		rp->retry_after = header_value(hs, "retry-after");
		cJSON_Delete(hs);
	}
	free(path);
	buf_free(&text);
	return rp;
}

void
replay_free(struct replay *rp)
{
	if (rp == NULL)
		return;
	fixture_clear(&rp->fx);
	free(rp->content_type);
	free(rp->retry_after);
	free(rp);
}

void
replay_result(struct replay *rp, const struct config *cfg, struct result *r)
{
	r->status = rp->fx.status;
	r->content_type = rp->content_type;
	r->err = ERR_NONE;
	r->err_msg = NULL;
	r->curl_code = 0;
	r->ok = 0;
	r->has_body = 0;
	r->retry_after_ms = -1;
	r->retry_after_s = 0;
	if ((int64_t)rp->fx.body_len > cfg->max_body) {
		r->err = ERR_TOO_LARGE;
		snprintf(rp->msg, sizeof(rp->msg),
		    "response body larger "
		    "than --max-body (%lld bytes)",
		    (long long)cfg->max_body);
		r->err_msg = rp->msg;
		return;
	}
	r->has_body = 1;
	r->body = rp->fx.body;
	r->body_len = rp->fx.body_len;
	if (rp->retry_after != NULL)
		r->retry_after_ms =
		    retry_after_parse(rp->retry_after, time(NULL));
	if (r->status >= 400) {
		r->err = ERR_HTTP;
		snprintf(rp->msg, sizeof(rp->msg), "HTTP %ld", r->status);
		r->err_msg = rp->msg;
		return;
	}
	r->ok = 1;
}
