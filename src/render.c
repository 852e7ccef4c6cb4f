/*
 * Rendering of one result.  The body is embedded as a JSON value when the
 * response says it is JSON and it parses, as a string when it is UTF-8
 * text, and as base64 otherwise.  It writes no envelope and no separators.
 */
#include <string.h>
#include <strings.h>

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

static void
render_body(struct result *r, struct buf *b)
{
	size_t mark;

	if (r->body_len == 0)
		return;
	if (!utf8_valid(r->body, r->body_len)) {
		buf_adds(b, ",\"body_base64\":\"");
		base64_add(b, r->body, r->body_len);
		buf_addc(b, '"');
		return;
	}
	buf_adds(b, ",\"body\":");
	mark = b->len;
	if (render_is_json_type(r->content_type) &&
	    json_embed(b, r->body, r->body_len) == 0)
		return;
	b->len = mark;
	json_str(b, r->body, r->body_len);
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
	if (r->retry_after_s > 0)
		buf_printf(b, ",\"retry_after_s\":%lld",
		    (long long)r->retry_after_s);
	buf_addc(b, '}');
}

void
render_result(struct result *r, struct buf *b)
{
	struct buf url;

	buf_printf(b, "{\"index\":%zu,\"url\":", r->index);
	if (r->url != NULL) {
		buf_init(&url);
		url_redact(r->url, &url);
		json_str(b, url.data, url.len);
		buf_free(&url);
	} else
		buf_adds(b, "null");
	if (r->name != NULL) {
		buf_adds(b, ",\"name\":");
		json_strz(b, r->name);
	}
	buf_adds(b, r->ok ? ",\"ok\":true" : ",\"ok\":false");
	if (r->status > 0)
		buf_printf(b, ",\"status\":%ld", r->status);
	else
		buf_adds(b, ",\"status\":null");
	buf_printf(b, ",\"attempts\":%d,\"cache\":\"%s\",\"time_ms\":%.1f",
	    r->attempts, cache_state_name(r->cache), r->time_ms);
	if (r->has_body) {
		buf_printf(b, ",\"bytes\":%zu,\"content_type\":",
		    r->body_len);
		if (r->content_type != NULL)
			json_strz(b, r->content_type);
		else
			buf_adds(b, "null");
		render_body(r, b);
	}
	if (!r->ok)
		render_error(r, b);
	buf_addc(b, '}');
}
