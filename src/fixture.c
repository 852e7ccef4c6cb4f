/*
 * The fixture codec and its files (see fixture.h).  Encoding writes the
 * compact document with its keys in order and lets pretty.c indent it;
 * decoding reads the structure with cJSON and a JSON body with
 * json_pointer, which gives its text exactly as written (numbers keep
 * every digit).  It knows nothing of requests, transfers or results.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "fixture.h"
#include "json.h"
#include "pretty.h"
#include "xalloc.h"

#define SLUG_MAX	64

void
fixture_clear(struct fixture *f)
{
	if (f == NULL)
		return;
	free(f->method);
	free(f->url);
	free(f->req_headers);
	free(f->req_body);
	free(f->headers);
	free(f->body);
	memset(f, 0, sizeof(*f));
}

/* 1 when name (any case) is one of the n in list. */
static int
name_in(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(name, list[i]) == 0)
			return 1;
	return 0;
}

int
fixture_secret_header(const char *name)
{
	static const char *const secret[] = { "authorization",
		"proxy-authorization", "cookie", "set-cookie" };

	return name_in(name, secret, sizeof(secret) / sizeof(secret[0]));
}

int
fixture_volatile_header(const char *name)
{
	/* Expires is most often Date plus max-age: it moves with Date. */
	static const char *const moving[] = { "date", "age", "expires" };

	return name_in(name, moving, sizeof(moving) / sizeof(moving[0]));
}

struct header {
	char		*name;		/* owned, lower-cased */
	struct buf	 value;
};

struct headers {
	struct header	*h;
	size_t		 n;
};

/* Adds value to the header name, joining a repeated one with ", ". */
static void
headers_add(
    struct headers *hs, const char *name, size_t nlen, const char *value)
{
	struct header *h = NULL;
	size_t i;

	for (i = 0; i < hs->n; i++)
		if (strlen(hs->h[i].name) == nlen &&
		    strncasecmp(hs->h[i].name, name, nlen) == 0)
			h = &hs->h[i];
	if (h != NULL) {
		buf_adds(&h->value, ", ");
		buf_adds(&h->value, value);
		return;
	}
	hs->h = xreallocarray(hs->h, hs->n + 1, sizeof(*hs->h));
	h = &hs->h[hs->n++];
	h->name = xstrndup(name, nlen);
	for (i = 0; i < nlen; i++)
		h->name[i] = (char)tolower((unsigned char)h->name[i]);
	buf_init(&h->value);
	buf_adds(&h->value, value);
}

static int
header_cmp(const void *a, const void *b)
{
	return strcmp(
	    ((const struct header *)a)->name, ((const struct header *)b)->name);
}

/* Appends hs as a sorted JSON object as flags say, and frees it. */
static void
headers_emit(struct headers *hs, unsigned flags, struct buf *b)
{
	size_t i, n = 0;

	if (hs->n > 1)
		qsort(hs->h, hs->n, sizeof(*hs->h), header_cmp);
	buf_addc(b, '{');
	for (i = 0; i < hs->n; i++) {
		if (!((flags & FIXTURE_DROP) &&
			fixture_volatile_header(hs->h[i].name))) {
			if (n++ > 0)
				buf_addc(b, ',');
			json_strz(b, hs->h[i].name);
			buf_addc(b, ':');
			json_strz(b,
			    (flags & FIXTURE_REDACT) &&
				    fixture_secret_header(hs->h[i].name)
				? "***"
				: hs->h[i].value.data);
		}
		free(hs->h[i].name);
		buf_free(&hs->h[i].value);
	}
	buf_addc(b, '}');
	free(hs->h);
	hs->h = NULL;
	hs->n = 0;
}

int
fixture_headers(const char *json, unsigned flags, struct buf *b)
{
	struct headers hs = { NULL, 0 };
	const cJSON *item;
	cJSON *root;

	if ((root = cJSON_Parse(json)) == NULL)
		return -1;
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return -1;
	}
	cJSON_ArrayForEach(item, root) {
		if (!cJSON_IsString(item) || item->string == NULL) {
			cJSON_Delete(root);
			for (; hs.n > 0; hs.n--) {
				free(hs.h[hs.n - 1].name);
				buf_free(&hs.h[hs.n - 1].value);
			}
			free(hs.h);
			return -1;
		}
		headers_add(
		    &hs, item->string, strlen(item->string), item->valuestring);
	}
	cJSON_Delete(root);
	headers_emit(&hs, flags, b);
	return 0;
}

void
fixture_request_headers(char *const *list, size_t n, struct buf *b)
{
	struct headers hs = { NULL, 0 };
	const char *v;
	size_t i, len;

	for (i = 0; i < n; i++) {
		len = strcspn(list[i], ":;");
		v = list[i] + len;
		if (*v == '\0')
			continue;
		/* "K:" removes K; "K;" sends it empty (curl's forms). */
		if (*v++ == ':') {
			v += strspn(v, " \t");
			if (*v == '\0')
				continue;
		} else
			v = "";
		headers_add(&hs, list[i], len, v);
	}
	headers_emit(&hs, FIXTURE_REDACT, b);
}

/* Appends the n bytes at s, made safe for a file name, to b. */
static void
slug_add(struct buf *b, const char *s, size_t max)
{
	size_t start = b->len;
	int dash = 1; /* no dash first */

	for (; *s != '\0' && b->len - start < max; s++) {
		if (isalnum((unsigned char)*s) || *s == '.' || *s == '_') {
			buf_addc(b, *s);
			dash = 0;
		} else if (!dash) {
			buf_addc(b, '-');
			dash = 1;
		}
	}
	while (b->len > start && b->data[b->len - 1] == '-')
		b->data[--b->len] = '\0';
	/* No name may start with a dot, or be empty. */
	if (b->len > start && b->data[start] == '.')
		b->data[start] = '_';
}

char *
fixture_name(
    const char *host, const char *path, const unsigned char key[CACHE_KEY_LEN])
{
	struct buf b;
	size_t mark;
	int i;

	buf_init(&b);
	slug_add(&b, host, SLUG_MAX);
	if (b.len == 0)
		buf_adds(&b, "host");
	buf_addc(&b, '-');
	mark = b.len;
	slug_add(&b, path, SLUG_MAX);
	if (b.len == mark)
		buf_adds(&b, "root");
	buf_addc(&b, '-');
	for (i = 0; i < 6; i++)
		buf_printf(&b, "%02x", key[i]);
	buf_adds(&b, ".json");
	return buf_steal(&b);
}

/*
 * Appends ,"<name>": and the body as the value that gives it back
 * exactly: "body" JSON, "body_text" or "body_base64".
 */
static void
body_add(struct buf *b, const char *body, size_t len)
{
	struct buf compact;
	int exact;

	buf_init(&compact);
	exact = len > 0 && json_embed(&compact, body, len) == 0 &&
	    compact.len == len && memcmp(compact.data, body, len) == 0;
	if (exact) {
		buf_adds(b, "\"body\":");
		buf_add(b, compact.data, compact.len);
	} else if (utf8_valid(body, len)) {
		buf_adds(b, "\"body_text\":");
		json_str(b, body, len);
	} else {
		buf_adds(b, "\"body_base64\":\"");
		base64_add(b, body, len);
		buf_addc(b, '"');
	}
	buf_free(&compact);
}

void
fixture_encode(const struct fixture *f, struct buf *out)
{
	struct pretty p;
	struct buf b;
	int i;

	buf_init(&b);
	buf_adds(&b, "{\"key\":\"");
	for (i = 0; i < CACHE_KEY_LEN; i++)
		buf_printf(&b, "%02x", f->key[i]);
	buf_adds(&b, "\",\"request\":{");
	if (f->req_body != NULL) {
		body_add(&b, f->req_body, f->req_body_len);
		buf_addc(&b, ',');
	}
	buf_adds(&b, "\"headers\":");
	buf_adds(&b, f->req_headers != NULL ? f->req_headers : "{}");
	buf_adds(&b, ",\"method\":");
	json_strz(&b, f->method);
	buf_adds(&b, ",\"url\":");
	json_strz(&b, f->url);
	buf_adds(&b, "},\"response\":{");
	body_add(&b, f->body != NULL ? f->body : "", f->body_len);
	buf_adds(&b, ",\"headers\":");
	buf_adds(&b, f->headers != NULL ? f->headers : "{}");
	buf_printf(
	    &b, ",\"status\":%ld},\"version\":%d}", f->status, FIXTURE_VERSION);
	pretty_init(&p, 1, NULL);
	pretty_feed(&p, b.data, b.len, out, SIZE_MAX);
	pretty_free(&p);
	buf_addc(out, '\n');
	buf_free(&b);
}

static int
b64_value(int c)
{
	const char *s = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			"0123456789+/";
	const char *p;

	if (c == '\0' || (p = strchr(s, c)) == NULL)
		return -1;
	return (int)(p - s);
}

/* Decodes padded standard base64 (RFC 4648) into b; -1 when it is not. */
static int
b64_decode(const char *s, struct buf *b)
{
	size_t len = strlen(s), i;
	int v[4], k, pad;

	if (len % 4 != 0)
		return -1;
	for (i = 0; i < len; i += 4) {
		pad = 0;
		for (k = 0; k < 4; k++) {
			if (s[i + k] == '=' && i + 4 == len && k >= 2 &&
			    (k == 3 || s[i + 3] == '=')) {
				v[k] = 0;
				pad++;
			} else if ((v[k] = b64_value(s[i + k])) < 0)
				return -1;
		}
		buf_addc(b, (char)(v[0] << 2 | v[1] >> 4));
		if (pad < 2)
			buf_addc(b, (char)((v[1] & 15) << 4 | v[2] >> 2));
		if (pad < 1)
			buf_addc(b, (char)((v[2] & 3) << 6 | v[3]));
	}
	return 0;
}

static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int
key_decode(const cJSON *item, unsigned char key[CACHE_KEY_LEN])
{
	const char *s;
	int i, hi, lo;

	if (!cJSON_IsString(item) ||
	    strlen(s = item->valuestring) != 2 * CACHE_KEY_LEN)
		return -1;
	for (i = 0; i < CACHE_KEY_LEN; i++) {
		if ((hi = hex_value(s[2 * i])) < 0 ||
		    (lo = hex_value(s[2 * i + 1])) < 0)
			return -1;
		key[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/* 1 when s is UTF-8: what json_strz writes back unchanged. */
static int
text_ok(const char *s)
{
	return utf8_valid(s, strlen(s));
}

/* A string member of obj that is UTF-8, or NULL. */
static const char *
string_of(const cJSON *obj, const char *name)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);

	return cJSON_IsString(item) && text_ok(item->valuestring)
	    ? item->valuestring
	    : NULL;
}

/* A header object: strings without CR, LF, made sorted and compact. */
static char *
headers_decode(const cJSON *obj, const char **why)
{
	const cJSON *item;
	struct buf b;
	char *text;

	*why = "headers: not an object of strings";
	if (!cJSON_IsObject(obj))
		return NULL;
	cJSON_ArrayForEach(item, obj) {
		if (!cJSON_IsString(item) || item->string[0] == '\0' ||
		    !text_ok(item->string) || !text_ok(item->valuestring) ||
		    strpbrk(item->valuestring, "\r\n") != NULL ||
		    strpbrk(item->string, "\r\n:") != NULL)
			return NULL;
	}
	if ((text = cJSON_PrintUnformatted(obj)) == NULL)
		xalloc_die();
	buf_init(&b);
	if (fixture_headers(text, 0, &b) == -1) {
		buf_free(&b);
		b.data = NULL;
	}
	cJSON_free(text);
	return b.data;
}

/*
 * Decodes the body of the object at ptr in text (its "body", "body_text"
 * or "body_base64", exactly one of them) into *body.  need: one must be
 * there.  Returns 0 (*body NULL when none), or -1.
 */
static int
body_decode(const char *text, size_t len, const cJSON *obj, const char *ptr,
    int need, char **body, size_t *body_len, const char **why)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(obj, "body_text");
	const cJSON *b64 = cJSON_GetObjectItemCaseSensitive(obj, "body_base64");
	const cJSON *json = cJSON_GetObjectItemCaseSensitive(obj, "body");
	char path[32];
	struct buf b;
	int n;

	*body = NULL;
	*body_len = 0;
	n = (t != NULL) + (b64 != NULL) + (json != NULL);
	if (n == 0 && !need)
		return 0;
	if (n != 1 || (t != NULL && !cJSON_IsString(t)) ||
	    (b64 != NULL && !cJSON_IsString(b64))) {
		*why = "want one of body, body_text (a string) or body_base64";
		return -1;
	}
	buf_init(&b);
	buf_add(&b, "", 0); /* an empty body is "", not NULL */
	if (t != NULL)
		buf_adds(&b, t->valuestring);
	else if (b64 != NULL && b64_decode(b64->valuestring, &b) == -1) {
		*why = "body_base64: not base64";
		buf_free(&b);
		return -1;
	} else if (json != NULL) {
		snprintf(path, sizeof(path), "%s/body", ptr);
		if (json_pointer(text, len, path, &b) != 0) {
			*why = "body: not JSON";
			buf_free(&b);
			return -1;
		}
	}
	*body_len = b.len;
	*body = buf_steal(&b);
	return 0;
}

static int
request_decode(const char *text, size_t len, const cJSON *req,
    struct fixture *f, const char **why)
{
	const char *m = string_of(req, "method"), *u = string_of(req, "url");

	if (!cJSON_IsObject(req) || m == NULL || u == NULL || *m == '\0' ||
	    *u == '\0') {
		*why = "request: want an object with a method and a url";
		return -1;
	}
	f->method = xstrdup(m);
	f->url = xstrdup(u);
	if ((f->req_headers = headers_decode(
		 cJSON_GetObjectItemCaseSensitive(req, "headers"), why)) ==
	    NULL)
		return -1;
	return body_decode(
	    text, len, req, "/request", 0, &f->req_body, &f->req_body_len, why);
}

static int
response_decode(const char *text, size_t len, const cJSON *resp,
    struct fixture *f, const char **why)
{
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(resp, "status");

	if (!cJSON_IsObject(resp) || !cJSON_IsNumber(st) ||
	    st->valuedouble < 100 || st->valuedouble > 999 ||
	    st->valuedouble != (double)st->valueint) {
		*why = "response: want an object with a status of 100 to 999";
		return -1;
	}
	f->status = st->valueint;
	if ((f->headers = headers_decode(
		 cJSON_GetObjectItemCaseSensitive(resp, "headers"), why)) ==
	    NULL)
		return -1;
	return body_decode(
	    text, len, resp, "/response", 1, &f->body, &f->body_len, why);
}

int
fixture_decode(const char *text, size_t len, const unsigned char *want,
    struct fixture *f, const char **why)
{
	const cJSON *v;
	cJSON *root;
	int rc = -1;

	memset(f, 0, sizeof(*f));
	if ((root = cJSON_ParseWithLength(text, len)) == NULL ||
	    !cJSON_IsObject(root)) {
		*why = "not a JSON object";
		goto out;
	}
	v = cJSON_GetObjectItemCaseSensitive(root, "version");
	if (!cJSON_IsNumber(v) || v->valuedouble != FIXTURE_VERSION) {
		*why = "not a fixture of version 1";
		goto out;
	}
	if (key_decode(cJSON_GetObjectItemCaseSensitive(root, "key"), f->key) ==
	    -1) {
		*why = "key: want 64 lower-case hex digits";
		goto out;
	}
	if (want != NULL && memcmp(want, f->key, CACHE_KEY_LEN) != 0) {
		*why = "its key is another request's";
		goto out;
	}
	if (request_decode(text, len,
		cJSON_GetObjectItemCaseSensitive(root, "request"), f,
		why) == -1 ||
	    response_decode(text, len,
		cJSON_GetObjectItemCaseSensitive(root, "response"), f,
		why) == -1)
		goto out;
	rc = 0;
out:
	cJSON_Delete(root);
	if (rc == -1)
		fixture_clear(f);
	return rc;
}

/* Writes the len bytes at data to fd and closes it; -1 with errno set. */
static int
write_all(int fd, const char *data, size_t len)
{
	ssize_t n;
	size_t off = 0;
	int saved;

	while (off < len) {
		if ((n = write(fd, data + off, len - off)) <= 0) {
			saved = n == 0 ? EIO : errno;
			close(fd);
			errno = saved;
			return -1;
		}
		off += (size_t)n;
	}
	return close(fd);
}

int
fixture_write(const char *dir, const char *name, const char *data,
    size_t len, char **why)
{
	char *tmp, *path;
	int fd;

	tmp = xasprintf("%s/.%s.XXXXXX", dir, name);
	path = xasprintf("%s/%s", dir, name);
	if ((fd = mkstemp(tmp)) == -1) {
		*why = xasprintf("%s: %s", path, strerror(errno));
		free(tmp);
		free(path);
		return -1;
	}
	/* Fixtures are for a repository: readable, as a checkout makes them. */
	(void)fchmod(fd, 0644);
	if (write_all(fd, data, len) == -1 || rename(tmp, path) == -1) {
		*why = xasprintf("%s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		free(path);
		return -1;
	}
	free(tmp);
	free(path);
	return 0;
}

int
fixture_read(const char *path, size_t max, struct buf *b, char **why)
{
	struct stat st;
	char chunk[65536];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		if (errno == ENOENT)
			return 1;
		*why = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		*why = xasprintf("%s: not a file", path);
		close(fd);
		return -1;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		if (b->len + (size_t)n > max) {
			*why =
			    xasprintf("%s: larger than %zu bytes", path, max);
			close(fd);
			return -1;
		}
		buf_add(b, chunk, (size_t)n);
	}
	if (n == -1) {
		*why = xasprintf("%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
