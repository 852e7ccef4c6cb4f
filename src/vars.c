/*
 * The variable expander (vars.h).  It parses text from outside (argv,
 * input lines, files), so it trusts no length and never reads past one.
 * Variables are few (one per --variable), so they sit in a plain array
 * searched from the end; it does not print, and it never says a value.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json.h"
#include "vars.h"
#include "xalloc.h"

struct var {
	char	*name;
	char	*value;		/* NUL-terminated at len */
	size_t	 len;
};

struct vars {
	struct var	*v;
	size_t		 n;
};

/* The functions of "{{NAME:fn}}", as curl names them. */
enum vars_fn { FN_TRIM, FN_JSON, FN_URL, FN_B64 };

static const char *const fn_names[] = {
	[FN_TRIM] = "trim",
	[FN_JSON] = "json",
	[FN_URL] = "url",
	[FN_B64] = "b64",
};

struct vars *
vars_new(void)
{
	return xcalloc(1, sizeof(struct vars));
}

void
vars_free(struct vars *v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++) {
		explicit_bzero(v->v[i].value, v->v[i].len);
		free(v->v[i].value);
		free(v->v[i].name);
	}
	free(v->v);
	free(v);
}

static struct var *
vars_find(const struct vars *v, const char *name, size_t nlen)
{
	size_t i;

	if (v == NULL)
		return NULL;
	for (i = 0; i < v->n; i++)
		if (strlen(v->v[i].name) == nlen &&
		    memcmp(v->v[i].name, name, nlen) == 0)
			return &v->v[i];
	return NULL;
}

void
vars_set(struct vars *v, const char *name, size_t nlen, const char *value,
    size_t vlen)
{
	struct var *p;

	if ((p = vars_find(v, name, nlen)) == NULL) {
		v->v = xreallocarray(v->v, v->n + 1, sizeof(*v->v));
		p = &v->v[v->n++];
		p->name = xstrndup(name, nlen);
	} else {
		explicit_bzero(p->value, p->len);
		free(p->value);
	}
	p->value = xmalloc(vlen + 1);
	memcpy(p->value, value, vlen);
	p->value[vlen] = '\0';
	p->len = vlen;
}

const char *
vars_get(const struct vars *v, const char *name, size_t nlen, size_t *vlen)
{
	const struct var *p;

	if ((p = vars_find(v, name, nlen)) == NULL)
		return NULL;
	*vlen = p->len;
	return p->value;
}

static int
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_';
}

/* The length of the name s starts with. */
static size_t
name_span(const char *s, size_t len)
{
	size_t n = 0;

	while (n < len && name_char(s[n]))
		n++;
	return n;
}

/*
 * Reads all of path ("-": stdin) into b.  Returns 0, or -1 with an
 * allocated reason.
 */
static int
read_all(const char *path, struct buf *b, char **why)
{
	char chunk[65536];
	FILE *fp;
	size_t n;
	int ret = 0;

	if (strcmp(path, "-") == 0)
		fp = stdin;
	else if ((fp = fopen(path, "rbe")) == NULL) {
		*why = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (b->len + n > VARS_VALUE_MAX) {
			*why = xasprintf("%s: larger than 16M", path);
			ret = -1;
			break;
		}
		buf_add(b, chunk, n);
	}
	if (ret == 0 && ferror(fp)) {
		*why = xasprintf("%s: %s", path, strerror(errno));
		ret = -1;
	}
	explicit_bzero(chunk, sizeof(chunk));
	if (fp != stdin)
		fclose(fp);
	return ret;
}

int
vars_define(struct vars *v, const char *arg, char **why)
{
	const char *p = arg, *env = NULL;
	char name[VARS_NAME_MAX + 1];
	struct buf b;
	size_t nlen;
	int import = 0;

	*why = NULL;
	if (*p == '%') {
		import = 1;
		p++;
	}
	nlen = name_span(p, strlen(p));
	if (nlen == 0 || nlen > VARS_NAME_MAX ||
	    (p[nlen] != '\0' && p[nlen] != '=' && p[nlen] != '@') ||
	    (!import && p[nlen] == '\0')) {
		*why = xstrdup("want NAME=VALUE, NAME@FILE, %ENVNAME, "
		    "%ENVNAME=DEFAULT or %ENVNAME@FILE (a NAME is at most 127 "
		    "of A-Z, a-z, 0-9 and _)");
		return -1;
	}
	memcpy(name, p, nlen);
	name[nlen] = '\0';
	p += nlen;
	if (import && (env = getenv(name)) != NULL) {
		vars_set(v, name, nlen, env, strlen(env));
		return 0;
	}
	if (*p == '\0') {
		*why = xasprintf("%s is not set in the environment", name);
		return -1;
	}
	if (*p == '=') {
		vars_set(v, name, nlen, p + 1, strlen(p + 1));
		return 0;
	}
	buf_init(&b);
	if (read_all(p + 1, &b, why) == -1) {
		buf_free(&b);
		return -1;
	}
	vars_set(v, name, nlen, b.data != NULL ? b.data : "", b.len);
	if (b.data != NULL)
		explicit_bzero(b.data, b.len);
	buf_free(&b);
	return 0;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' ||
	    c == '\r';
}

/* A JSON string's inside, as curl's jsonquoted writes it. */
static void
fn_json(const char *s, size_t n, struct buf *out)
{
	const char *e;
	size_t i;

	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '"':
			e = "\\\"";
			break;
		case '\\':
			e = "\\\\";
			break;
		case '\b':
			e = "\\b";
			break;
		case '\f':
			e = "\\f";
			break;
		case '\n':
			e = "\\n";
			break;
		case '\r':
			e = "\\r";
			break;
		case '\t':
			e = "\\t";
			break;
		default:
			e = NULL;
			break;
		}
		if (e != NULL)
			buf_adds(out, e);
		else if ((unsigned char)s[i] < 0x20)
			buf_printf(out, "\\u%04x", (unsigned char)s[i]);
		else
			buf_addc(out, s[i]);
	}
}

/* Percent-encoding of all but RFC 3986's unreserved, as curl_easy_escape. */
static void
fn_url(const char *s, size_t n, struct buf *out)
{
	unsigned char c;
	size_t i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			buf_addc(out, (char)c);
		else
			buf_printf(out, "%%%02X", c);
	}
}

/* Applies function fn to the n bytes at s, into out (emptied first). */
static void
fn_apply(enum vars_fn fn, const char *s, size_t n, struct buf *out)
{
	buf_reset(out);
	switch (fn) {
	case FN_TRIM:
		while (n > 0 && is_space(*s))
			s++, n--;
		while (n > 0 && is_space(s[n - 1]))
			n--;
		buf_add(out, s, n);
		break;
	case FN_JSON:
		fn_json(s, n, out);
		break;
	case FN_URL:
		fn_url(s, n, out);
		break;
	case FN_B64:
		base64_add(out, s, n);
		break;
	}
}

/*
 * Appends to out the value of one reference: name (nlen bytes) through
 * the functions in fns (flen bytes, each after a ':').  Returns 0 or -1.
 */
static int
expand_ref(const struct vars *v, const char *name, size_t nlen,
    const char *fns, size_t flen, struct buf *out, char **why)
{
	struct buf a, b, tmp;
	const char *val, *c, *f = fns, *end = fns + flen;
	size_t vlen, k, n;
	int ret = -1;

	if ((val = vars_get(v, name, nlen, &vlen)) == NULL) {
		*why = xasprintf("{{%.*s}}: no such variable (set it with "
		    "--variable)", (int)nlen, name);
		return -1;
	}
	buf_init(&a);
	buf_init(&b);
	buf_add(&a, val, vlen);
	while (f < end) {
		f++;	/* the ':' */
		c = memchr(f, ':', (size_t)(end - f));
		n = (size_t)((c != NULL ? c : end) - f);
		for (k = 0; k < sizeof(fn_names) / sizeof(fn_names[0]); k++)
			if (strlen(fn_names[k]) == n &&
			    memcmp(fn_names[k], f, n) == 0)
				break;
		if (k == sizeof(fn_names) / sizeof(fn_names[0])) {
			*why = xasprintf("{{%.*s%.*s}}: unknown function '%.*s' "
			    "(want trim, json, url or b64)", (int)nlen, name,
			    (int)flen, fns, (int)n, f);
			goto out;
		}
		fn_apply((enum vars_fn)k, a.data != NULL ? a.data : "", a.len,
		    &b);
		tmp = a, a = b, b = tmp;
		f += n;
	}
	if (a.len > 0 && memchr(a.data, '\0', a.len) != NULL) {
		*why = xasprintf("{{%.*s%.*s}}: the value holds a NUL byte "
		    "(encode it with :b64 or :url)", (int)nlen, name,
		    (int)flen, fns);
		goto out;
	}
	buf_add(out, a.data != NULL ? a.data : "", a.len);
	ret = 0;
out:
	if (a.data != NULL)
		explicit_bzero(a.data, a.cap);
	if (b.data != NULL)
		explicit_bzero(b.data, b.cap);
	buf_free(&a);
	buf_free(&b);
	return ret;
}

int
vars_expand(const struct vars *v, const char *s, size_t len, struct buf *out,
    char **why)
{
	const char *p = s, *end = s + len, *open, *close, *in, *colon;
	size_t nlen;
	int count = 0;

	*why = NULL;
	while (p < end && (open = memmem(p, (size_t)(end - p), "{{", 2)) !=
	    NULL) {
		if (open > p && open[-1] == '\\') {
			buf_add(out, p, (size_t)(open - 1 - p));
			buf_add(out, "{{", 2);
			p = open + 2;
			count++;
			continue;
		}
		in = open + 2;
		if ((close = memmem(in, (size_t)(end - in), "}}", 2)) == NULL)
			break;
		colon = memchr(in, ':', (size_t)(close - in));
		nlen = (size_t)((colon != NULL ? colon : close) - in);
		buf_add(out, p, (size_t)(open - p));
		p = close + 2;
		/* Not a reference ("{{ x }}", "{{a.b}}"): kept as it is. */
		if (nlen == 0 || nlen > VARS_NAME_MAX ||
		    name_span(in, nlen) != nlen) {
			buf_add(out, open, (size_t)(p - open));
			continue;
		}
		if (expand_ref(v, in, nlen, colon != NULL ? colon : close,
		    (size_t)(close - (colon != NULL ? colon : close)), out,
		    why) == -1)
			return -1;
		count++;
		if (out->len > VARS_VALUE_MAX) {
			*why = xstrdup("the expansion is larger than 16M");
			return -1;
		}
	}
	buf_add(out, p, (size_t)(end - p));
	return count;
}

/* 1 when the JSON string at p (ending before end) is an object's key. */
static int
json_is_key(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p < end && *p == ':';
}

/*
 * Expands the JSON string of n bytes at tok (quotes included) into out.
 * A string whose escapes cJSON could not hand back whole (\u0000) is
 * copied as written.
 */
static int
expand_json_string(const struct vars *v, const char *tok, size_t n,
    struct buf *out, char **why)
{
	struct buf e;
	cJSON *s;
	int rc = 0;

	if (memmem(tok, n, "\\u0000", 6) != NULL ||
	    (s = cJSON_ParseWithLength(tok, n)) == NULL) {
		buf_add(out, tok, n);
		return 0;
	}
	buf_init(&e);
	if (cJSON_IsString(s) && (rc = vars_expand(v, s->valuestring,
	    strlen(s->valuestring), &e, why)) > 0)
		json_str(out, e.data, e.len);
	else if (rc == 0)
		buf_add(out, tok, n);
	cJSON_Delete(s);
	if (e.data != NULL)
		explicit_bzero(e.data, e.cap);
	buf_free(&e);
	return rc;
}

int
vars_expand_json(const struct vars *v, const char *json, size_t len,
    struct buf *out, char **why)
{
	const char *p = json, *end = json + len, *q;
	size_t n;
	int rc, count = 0;

	*why = NULL;
	while (p < end) {
		if ((q = memchr(p, '"', (size_t)(end - p))) == NULL)
			q = end;
		buf_add(out, p, (size_t)(q - p));
		if ((p = q) == end)
			break;
		if ((n = json_string_len(p, (size_t)(end - p))) == 0) {
			/* Not valid JSON after all: the rest as written. */
			buf_add(out, p, (size_t)(end - p));
			break;
		}
		if (json_is_key(p + n, end))
			buf_add(out, p, n);
		else if ((rc = expand_json_string(v, p, n, out, why)) == -1)
			return -1;
		else
			count += rc;
		p += n;
	}
	return count;
}
