/*
 * Request spec parsing, with cJSON.  A string body is sent as it is; any
 * other JSON value is sent compactly with Content-Type: application/json
 * unless the spec's headers set a type.  Checking the URL and name is
 * input.c's, as for plain lines.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "json.h"
#include "jsonptr.h"
#include "paginate.h"
#include "parse.h"
#include "spec.h"
#include "vars.h"
#include "xalloc.h"

static const char *const spec_keys[] = { "url", "name", "method", "headers",
    "body", "ttl", "timeout", "retry", "user", "bearer", "proxy", "paginate",
    "next", "cursor", "cursor_param", "items", "max_pages" };

/* The first pagination key in spec_keys. */
#define SPEC_PAGE_KEYS	11

/* The most retries a spec may ask for, as --retry. */
#define SPEC_RETRY_MAX 100

int
spec_has_header(char *const *h, size_t n, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strncasecmp(h[i], name, len) == 0 &&
		    (h[i][len] == ':' || h[i][len] == ';'))
			return 1;
	return 0;
}

int
spec_token(const char *m)
{
	const char *p;

	for (p = m; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) &&
		    strchr("!#$%&'*+-.^_`|~", *p) == NULL)
			return 0;
	return p != m;
}

/*
 * The string value v of key with its variables expanded (vars.h).
 * Allocated; NULL with a reason in *why that never holds a value.
 */
static char *
spec_string(const cJSON *v, const char *key, const struct vars *vars,
    char **why)
{
	struct buf b;
	char *err;

	buf_init(&b);
	if (vars_expand(vars, v->valuestring, strlen(v->valuestring), &b,
	    &err) == -1) {
		*why = xasprintf("\"%s\": %s", key, err);
		free(err);
		buf_free(&b);
		return NULL;
	}
	return b.data != NULL ? buf_steal(&b) : xstrdup("");
}

static int
spec_headers(const cJSON *o, const struct vars *vars, struct request *r,
    char **why)
{
	const cJSON *h;
	char *v;

	if (!cJSON_IsObject(o)) {
		*why = xstrdup("\"headers\" must be an object of strings");
		return -1;
	}
	cJSON_ArrayForEach(h, o) {
		if (!cJSON_IsString(h) || !spec_token(h->string) ||
		    strpbrk(h->valuestring, "\r\n") != NULL) {
			*why = xasprintf("\"headers\": \"%s\" must map a header "
			    "name to a string", h->string);
			return -1;
		}
		if ((v = spec_string(h, "headers", vars, why)) == NULL)
			return -1;
		/* A value never says what it holds: it may be a secret. */
		if (strpbrk(v, "\r\n") != NULL) {
			*why = xasprintf("\"headers\": \"%s\": a variable put a "
			    "line break in the value", h->string);
			free(v);
			return -1;
		}
		r->hdrs = xreallocarray(r->hdrs, r->nhdrs + 1,
		    sizeof(*r->hdrs));
		/* An empty value removes the header, as -H 'K:' does. */
		r->hdrs[r->nhdrs++] = xasprintf("%s:%s%s", h->string,
		    *v != '\0' ? " " : "", v);
		explicit_bzero(v, strlen(v));
		free(v);
	}
	return 0;
}

/*
 * A JSON body is sent as the spec wrote it, compacted: printing cJSON's
 * tree again would round numbers past 15 digits (IDs, most of all).
 */
static int
spec_body(const cJSON *b, const char *text, size_t len,
    const struct vars *vars, struct request *r, char **why)
{
	struct buf v, e;
	char *err;

	if (cJSON_IsString(b)) {
		if ((r->body = spec_string(b, "body", vars, why)) == NULL)
			return -1;
		r->body_len = strlen(r->body);
		return 0;
	}
	buf_init(&v);
	buf_init(&e);
	if (json_member(text, len, "body", &v) == -1) {
		*why = xstrdup("\"body\": write the key without escapes");
		buf_free(&v);
		return -1;
	}
	if (vars_expand_json(vars, v.data, v.len, &e, &err) == -1) {
		*why = xasprintf("\"body\": %s", err);
		free(err);
		buf_free(&v);
		buf_free(&e);
		return -1;
	}
	buf_free(&v);
	r->body_len = e.len;
	r->body = buf_steal(&e);
	if (!spec_has_header(r->hdrs, r->nhdrs, "Content-Type", 12)) {
		r->hdrs = xreallocarray(r->hdrs, r->nhdrs + 1,
		    sizeof(*r->hdrs));
		r->hdrs[r->nhdrs++] = xstrdup("Content-Type: application/json");
	}
	return 0;
}

/* "timeout" (a duration, as -m) and "retry" (a count, as --retry). */
static int
spec_limits(const cJSON *o, const struct vars *vars, struct request *r,
    char **why)
{
	const cJSON *v;
	const char *errstr;
	char *dur;
	int rc;

	if ((v = cJSON_GetObjectItemCaseSensitive(o, "timeout")) != NULL) {
		if ((dur = spec_string(v, "timeout", vars, why)) == NULL)
			return -1;
		rc = parse_duration(dur, &r->timeout_ms, &errstr);
		free(dur);
		if (rc == -1) {
			*why = xasprintf("\"timeout\": %s: \"%s\"", errstr,
			    v->valuestring);
			return -1;
		}
		r->has_timeout = 1;
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "retry")) != NULL) {
		if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
		    v->valuedouble > SPEC_RETRY_MAX ||
		    v->valuedouble != (double)(int)v->valuedouble) {
			*why = xasprintf("\"retry\" must be a whole number "
			    "from 0 to %d", SPEC_RETRY_MAX);
			return -1;
		}
		r->retries = (int)v->valuedouble;
		r->has_retry = 1;
	}
	return 0;
}

/* Checks every key of o is known and of its type. */
static int
spec_check(const cJSON *o, char **why)
{
	const cJSON *v, *w;
	size_t i;

	cJSON_ArrayForEach(v, o) {
		for (w = o->child; w != v; w = w->next)
			if (strcmp(w->string, v->string) == 0) {
				*why = xasprintf("duplicate key \"%s\"",
				    v->string);
				return -1;
			}
		for (i = 0; i < sizeof(spec_keys) / sizeof(spec_keys[0]); i++)
			if (strcmp(v->string, spec_keys[i]) == 0)
				break;
		if (i == sizeof(spec_keys) / sizeof(spec_keys[0])) {
			*why = xasprintf("unknown key \"%s\"", v->string);
			return -1;
		}
		if (strcmp(v->string, "paginate") == 0 && !cJSON_IsBool(v)) {
			*why = xstrdup("\"paginate\" must be true or false");
			return -1;
		}
		if (strcmp(v->string, "max_pages") == 0 &&
		    (!cJSON_IsNumber(v) || v->valuedouble < 1 ||
		    v->valuedouble > PAGE_MAX_LIMIT ||
		    v->valuedouble != (double)(long)v->valuedouble)) {
			*why = xasprintf("\"max_pages\" must be a whole number "
			    "from 1 to %d", PAGE_MAX_LIMIT);
			return -1;
		}
		if (i != 3 && i != 4 && strcmp(v->string, "retry") != 0 &&
		    strcmp(v->string, "paginate") != 0 &&
		    strcmp(v->string, "max_pages") != 0 && !cJSON_IsString(v)) {
			*why = xasprintf("\"%s\" must be a string", v->string);
			return -1;
		}
	}
	return 0;
}

/* The string of key in o, expanded, a valid JSON pointer; NULL: absent. */
static int
spec_pointer(const cJSON *o, const char *key, const struct vars *vars,
    char **out, char **why)
{
	const cJSON *v;

	*out = NULL;
	if ((v = cJSON_GetObjectItemCaseSensitive(o, key)) == NULL)
		return 0;
	if ((*out = spec_string(v, key, vars, why)) == NULL)
		return -1;
	if (!jsonptr_valid(*out)) {
		*why = xasprintf("\"%s\": not a JSON pointer (RFC 6901): "
		    "\"%s\"", key, *out);
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/*
 * The pagination keys: one of "paginate", "next" or "cursor" (with
 * "cursor_param") names how the spec's pages link, which replaces the
 * run's; "items" and "max_pages" replace the run's one by one.
 */
static int
spec_pages(const cJSON *o, const struct vars *vars, struct request *r,
    char **why)
{
	struct page_opts *p;
	const cJSON *v, *param;
	char *cursor;
	int modes;

	p = r->popts = xcalloc(1, sizeof(*p));
	cursor = NULL;
	if (spec_pointer(o, "next", vars, &p->pointer, why) == -1 ||
	    spec_pointer(o, "cursor", vars, &cursor, why) == -1 ||
	    spec_pointer(o, "items", vars, &p->items, why) == -1) {
		free(cursor);
		return -1;
	}
	v = cJSON_GetObjectItemCaseSensitive(o, "paginate");
	param = cJSON_GetObjectItemCaseSensitive(o, "cursor_param");
	modes = (v != NULL) + (p->pointer != NULL) + (cursor != NULL);
	if (modes > 1) {
		free(cursor);
		*why = xstrdup("\"paginate\", \"next\" and \"cursor\": one "
		    "of them only");
		return -1;
	}
	if ((cursor != NULL) != (param != NULL && *param->valuestring)) {
		free(cursor);
		*why = xstrdup("\"cursor\" and \"cursor_param\" (not empty) "
		    "go together");
		return -1;
	}
	p->mode_set = modes > 0;
	if (v != NULL)
		p->mode = cJSON_IsTrue(v) ? PAGE_LINK : PAGE_NONE;
	else if (p->pointer != NULL)
		p->mode = PAGE_NEXT;
	else if (cursor != NULL) {
		p->mode = PAGE_CURSOR;
		p->pointer = cursor;
		if ((p->param = spec_string(param, "cursor_param", vars,
		    why)) == NULL)
			return -1;
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "max_pages")) != NULL)
		p->max_pages = (long)v->valuedouble;
	return 0;
}

/* 1 when o has a pagination key. */
static int
spec_paginates(const cJSON *o)
{
	size_t i;

	for (i = SPEC_PAGE_KEYS; i < sizeof(spec_keys) / sizeof(spec_keys[0]); i++)
		if (cJSON_GetObjectItemCaseSensitive(o, spec_keys[i]) != NULL)
			return 1;
	return 0;
}

/*
 * Why the len bytes at text, whose first character is in column col of
 * its line, are not one JSON object: where cJSON stopped, in the words
 * jq uses for a place.
 */
static char *
spec_syntax(const char *text, size_t len, size_t col, const char *stop)
{
	const char *p;

	if (stop == NULL || stop < text || stop > text + len)
		stop = text + len;
	/* Columns count characters: the line is valid UTF-8. */
	for (p = text; p < stop; p++)
		if (((unsigned char)*p & 0xc0) != 0x80)
			col++;
	return xasprintf("invalid JSON at line 1, column %zu: one JSON "
	    "object per line", col);
}

/* "user" and "bearer": one credential, never said back. */
static int
spec_creds(const cJSON *o, const struct vars *vars, struct request *r,
    char **why)
{
	const cJSON *u, *b;

	u = cJSON_GetObjectItemCaseSensitive(o, "user");
	b = cJSON_GetObjectItemCaseSensitive(o, "bearer");
	if (u != NULL && b != NULL) {
		*why = xstrdup("\"user\" and \"bearer\" cannot be used "
		    "together");
		return -1;
	}
	if (u != NULL && (r->user = spec_string(u, "user", vars, why)) == NULL)
		return -1;
	if (r->user != NULL && strchr(r->user, ':') == NULL) {
		*why = xstrdup("\"user\": want \"USER:PASSWORD\"");
		return -1;
	}
	if (b != NULL &&
	    (r->bearer = spec_string(b, "bearer", vars, why)) == NULL)
		return -1;
	return 0;
}

/* The keys of a checked spec o into r. */
static int
spec_fields(const cJSON *o, const char *text, size_t len,
    const struct vars *vars, struct request *r, char **why)
{
	const cJSON *v;
	const char *errstr;
	char *ttl;
	int rc;

	if ((v = cJSON_GetObjectItemCaseSensitive(o, "url")) == NULL) {
		*why = xstrdup("\"url\" is missing");
		return -1;
	}
	if ((r->url = spec_string(v, "url", vars, why)) == NULL)
		return -1;
	r->spec = 1;
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "name")) != NULL &&
	    (r->name = spec_string(v, "name", vars, why)) == NULL)
		return -1;
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "method")) != NULL) {
		if ((r->method = spec_string(v, "method", vars, why)) == NULL)
			return -1;
		if (!spec_token(r->method)) {
			*why = xasprintf("\"method\": not a method: \"%s\"",
			    v->valuestring);
			return -1;
		}
	}
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "headers")) != NULL &&
	    spec_headers(v, vars, r, why) == -1)
		return -1;
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "body")) != NULL &&
	    spec_body(v, text, len, vars, r, why) == -1)
		return -1;
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "ttl")) != NULL) {
		if ((ttl = spec_string(v, "ttl", vars, why)) == NULL)
			return -1;
		rc = parse_ttl(ttl, &r->ttl_ms, &r->ttl_auto, &errstr);
		free(ttl);
		if (rc == -1) {
			*why = xasprintf("\"ttl\": %s: \"%s\"", errstr,
			    v->valuestring);
			return -1;
		}
		r->has_ttl = 1;
	}
	if (spec_limits(o, vars, r, why) == -1)
		return -1;
	/* Checked by libcurl when it connects, as -x is. */
	if ((v = cJSON_GetObjectItemCaseSensitive(o, "proxy")) != NULL &&
	    (r->proxy = spec_string(v, "proxy", vars, why)) == NULL)
		return -1;
	if (spec_paginates(o) && spec_pages(o, vars, r, why) == -1)
		return -1;
	return spec_creds(o, vars, r, why);
}

int
spec_parse(const char *text, size_t len, size_t col, const struct vars *vars,
    struct request *r, char **why)
{
	const char *stop = NULL;
	char *copy;
	cJSON *o;
	int ret = -1;

	*why = NULL;
	/* A copy ends at the line's end, so nothing may follow the object. */
	copy = xstrndup(text, len);
	o = cJSON_ParseWithOpts(copy, &stop, 1);
	if (o == NULL || !cJSON_IsObject(o)) {
		*why = spec_syntax(copy, len, col, stop);
		free(copy);
		goto out;
	}
	free(copy);
	if (spec_check(o, why) == -1 ||
	    spec_fields(o, text, len, vars, r, why) == -1)
		goto out;
	ret = 0;
out:
	cJSON_Delete(o);
	return ret;
}
