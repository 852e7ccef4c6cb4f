/*
 * Rendering of one result.  The body is embedded as a JSON value when the
 * response says it is JSON and it parses, as a string when it is UTF-8
 * text, and as base64 otherwise.  It writes no envelope and no separators.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "json.h"
#include "render.h"
#include "url.h"

int
render_is_json_type(const char *ct)
{
	size_t n;

	if (ct == NULL)
		return 1;
	n = strcspn(ct, "; \t");
	/* application/json, and any type with the +json suffix. */
	return (n == 16 && strncasecmp(ct, "application/json", 16) == 0) ||
	    (n > 5 && strncasecmp(ct + n - 5, "+json", 5) == 0);
}

/*
 * Appends the body of r as a JSON string when it is text, else as a base64
 * string.  As a member, the value goes under ",\"body\":", or
 * ",\"body_base64\":".
 */
static void
render_text(const struct result *r, int member, struct buf *b)
{
	size_t mark = b->len;

	if (member)
		buf_adds(b, ",\"body\":");
	if (json_text(b, r->body, r->body_len) == 0)
		return;
	b->len = mark;
	if (member)
		buf_adds(b, ",\"body_base64\":");
	buf_addc(b, '"');
	base64_add(b, r->body, r->body_len);
	buf_addc(b, '"');
}

/*
 * Appends the body of r, whole or at select, as a JSON value.  Returns 1
 * when select named nothing (and null was written).
 */
static int
render_selected(const struct result *r, const char *select, struct buf *b)
{
	size_t mark = b->len;
	int rc = -1;

	/*
	 * Resolved on the text itself: numbers keep every digit.  The JSON
	 * check covers UTF-8.
	 */
	if (render_is_json_type(r->content_type) &&
	    (rc = json_pointer(r->body, r->body_len, select, b)) == 0)
		return 0;
	b->len = mark;
	if (rc == -1 && *select == '\0') {
		/* The empty pointer is the whole body, JSON or not. */
		render_text(r, 0, b);
		return 0;
	}
	buf_adds(b, "null");
	return 1;
}

/*
 * Appends the body of r as a JSON value: the JSON itself when it is JSON,
 * else a string; bytes that are not UTF-8 as a base64 string.  As a
 * member, the value goes under ",\"body\":", or ",\"body_base64\":".
 */
static void
render_value(const struct result *r, int member, struct buf *b)
{
	size_t mark = b->len;

	/* Each check covers UTF-8 too: one pass for the common case. */
	if (member)
		buf_adds(b, ",\"body\":");
	if (render_is_json_type(r->content_type) &&
	    json_embed(b, r->body, r->body_len) == 0)
		return;
	b->len = mark;
	render_text(r, member, b);
}

static int
render_body(const struct result *r, const char *select, struct buf *b)
{
	if (r->body_len == 0 && select == NULL)
		return 0;
	if (select == NULL) {
		render_value(r, 1, b);
		return 0;
	}
	buf_adds(b, ",\"body\":");
	return render_selected(r, select, b);
}

static void
render_error(const struct result *r, struct buf *b)
{
	buf_adds(b, ",\"error\":{\"kind\":\"");
	buf_adds(b, err_kind_name(r->err));
	buf_adds(b, "\",\"message\":");
	json_strz(b, r->err_msg != NULL ? r->err_msg : "");
	if (r->curl_code != 0)
		buf_printf(b, ",\"curl_code\":%d", r->curl_code);
	if (r->page > 0)
		buf_printf(b, ",\"page\":%d", r->page);
	if (r->retry_after_s > 0)
		buf_printf(b, ",\"retry_after_s\":%lld",
		    (long long)r->retry_after_s);
	buf_addc(b, '}');
}

/*
 * Appends the URL of r as a JSON string, its password hidden.  A
 * request's URL is already as shown (url_show), which showing again leaves
 * as it is; the text of a bad input has its userinfo hidden generously
 * (url_redact_loose).
 */
static void
render_url(struct buf *b, const struct result *r)
{
	const char *url = r->url != NULL ? r->url : "";
	struct buf red;
	char *shown;

	if (strchr(url, '@') == NULL) {
		json_strz(b, url);	/* no userinfo: nothing to hide */
		return;
	}
	if (r->err != ERR_INPUT) {
		shown = url_show(url);
		json_strz(b, shown);
		free(shown);
		return;
	}
	buf_init(&red);
	url_redact_loose(url, &red);
	json_str(b, red.data, red.len);
	buf_free(&red);
}

/* The effective URL after redirects, its password hidden as url's. */
static void
render_redirects(const struct result *r, struct buf *b)
{
	char *shown;

	if (r->redirects <= 0 || r->effective_url == NULL)
		return;
	shown = url_show(r->effective_url);
	buf_adds(b, ",\"effective_url\":");
	json_strz(b, shown);
	free(shown);
	buf_adds(b, ",\"redirects\":");
	buf_addu(b, (unsigned long long)r->redirects);
}

static const char *
http_version_name(long v)
{
	switch (v) {
	case CURL_HTTP_VERSION_1_0:
		return "1.0";
	case CURL_HTTP_VERSION_1_1:
		return "1.1";
	case CURL_HTTP_VERSION_2_0:
		return "2";
	case CURL_HTTP_VERSION_3:
		return "3";
	default:
		return NULL;
	}
}

/* --timings: where the time went, and over what connection. */
static void
render_timings(const struct result *r, struct buf *b)
{
	const struct timings *tm = &r->timings;
	const char *v;

	buf_adds(b, ",\"timings\":{\"queue\":");
	buf_addms(b, tm->queue);
	buf_adds(b, ",\"dns\":");
	buf_addms(b, tm->dns);
	buf_adds(b, ",\"connect\":");
	buf_addms(b, tm->connect);
	buf_adds(b, ",\"tls\":");
	buf_addms(b, tm->tls);
	buf_adds(b, ",\"ttfb\":");
	buf_addms(b, tm->ttfb);
	buf_adds(b, ",\"total\":");
	buf_addms(b, tm->total);
	buf_adds(b, "},\"remote_ip\":");
	if (tm->remote_ip != NULL)
		json_strz(b, tm->remote_ip);
	else
		buf_adds(b, "null");
	buf_adds(b, ",\"http_version\":");
	if ((v = http_version_name(tm->http_version)) != NULL)
		json_strz(b, v);
	else
		buf_adds(b, "null");
	buf_adds(b, tm->conn_reused ? ",\"conn_reused\":true" :
	    ",\"conn_reused\":false");
}

int
render_result(const struct result *r, const char *select, struct buf *b)
{
	int missing = 0;

	buf_adds(b, "{\"index\":");
	buf_addu(b, r->index);
	buf_adds(b, ",\"url\":");
	if (r->url != NULL)
		render_url(b, r);
	else
		buf_adds(b, "null");
	if (r->name != NULL) {
		buf_adds(b, ",\"name\":");
		json_strz(b, r->name);
	}
	buf_adds(b, r->ok ? ",\"ok\":true" : ",\"ok\":false");
	if (r->status > 0) {
		buf_adds(b, ",\"status\":");
		buf_addu(b, (unsigned long long)r->status);
	} else
		buf_adds(b, ",\"status\":null");
	buf_adds(b, ",\"attempts\":");
	buf_addu(b, (unsigned long long)r->attempts);
	if (r->paged) {
		buf_adds(b, ",\"pages\":");
		buf_addu(b, (unsigned long long)r->pages);
		if (r->truncated)
			buf_adds(b, ",\"truncated\":true");
	}
	buf_adds(b, ",\"cache\":\"");
	buf_adds(b, cache_state_name(r->cache));
	buf_adds(b, "\",\"time_ms\":");
	buf_addms(b, r->time_ms);
	render_redirects(r, b);
	if (r->has_timings)
		render_timings(r, b);
	if (r->has_body) {
		buf_adds(b, ",\"bytes\":");
		buf_addu(b, r->paged ? r->bytes : r->body_len);
		buf_adds(b, ",\"content_type\":");
		if (r->content_type != NULL)
			json_strz(b, r->content_type);
		else
			buf_adds(b, "null");
		missing = render_body(r, select, b);
	}
	if (r->headers_json != NULL) {
		buf_adds(b, ",\"headers\":");
		buf_adds(b, r->headers_json);
	}
	if (!r->ok)
		render_error(r, b);
	buf_addc(b, '}');
	return missing;
}

int
render_shaped(const struct result *r, const struct config *cfg,
    struct buf *b)
{
	switch (cfg->shape) {
	case SHAPE_DOC:
	case SHAPE_NDJSON:
		return render_result(r, cfg->select, b);
	case SHAPE_KEYED:
		/* A NAME taken twice keys its second result by URL instead. */
		if (r->name != NULL && !r->name_dup)
			json_strz(b, r->name);
		else
			render_url(b, r);
		buf_addc(b, ':');
		break;
	default:
		break;
	}
	/* A failure is null in the shapes made of bodies. */
	if (!r->ok || !r->has_body) {
		buf_adds(b, "null");
		return 0;
	}
	if (cfg->select != NULL)
		return render_selected(r, cfg->select, b);
	render_value(r, 0, b);
	return 0;
}
