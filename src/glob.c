/*
 * URL globs, read as curl(1) reads them (its tool_urlglob.c): text, sets
 * "{a,b}" and ranges "[1-9]", "[01-10]", "[a-z]", "[1-9:2]"; a backslash
 * makes one of "[]{}" plain text, and so does any byte inside a set; "[]"
 * and an IPv6 literal ("[::1]", told apart by libcurl's URL parser) are
 * text, not ranges.  Errors carry curl's words and the column where it
 * points.  A glob holds its patterns and one URL, never the expansion:
 * glob_next counts through it like an odometer.  Nested globs, curl's
 * named globs ("[<n>1-3]") and its "#1" output templates are not read.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "glob.h"
#include "xalloc.h"

/* curl's limit of patterns in one URL, its text between them included. */
#define GLOB_PATTERNS_MAX 100

/* The longest text tried as an IPv6 literal, brackets included. */
#define IPV6_MAX 128

enum pat_kind { PAT_TEXT, PAT_SET, PAT_NUM, PAT_CHAR };

struct pat {
	enum pat_kind	 kind;
	char		**elem;		/* TEXT (one) and SET */
	size_t		 nelem, cur;
	int64_t		 min, max, step, val;	/* NUM and CHAR */
	int		 pad;		/* NUM: digits, zero-padded */
};

struct glob {
	struct pat	*pat;
	size_t		 npat, nglob;
	int64_t		 count;
	int		 started, done;
	struct buf	 url;
};

/* The state of one parse: where it is, and the first error. */
struct parse {
	struct glob	*g;
	const char	*p;
	size_t		 pos;		/* column of *p, from 1 */
	struct buf	 text;		/* text or a set element so far */
	const char	*err;
	size_t		 errpos;
};

int
glob_maybe(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] == '[' || s[i] == ']' || s[i] == '{' || s[i] == '}')
			return 1;
	return 0;
}

static int
fail(struct parse *ps, const char *err, size_t pos)
{
	ps->err = err;
	ps->errpos = pos;
	return -1;
}

/* Adds an empty pattern of kind to the glob and returns it. */
static struct pat *
pat_add(struct parse *ps, enum pat_kind kind)
{
	struct glob *g = ps->g;
	struct pat *pt;

	g->pat = xreallocarray(g->pat, g->npat + 1, sizeof(*g->pat));
	pt = &g->pat[g->npat++];
	memset(pt, 0, sizeof(*pt));
	pt->kind = kind;
	if (kind != PAT_TEXT)
		g->nglob++;
	return pt;
}

/* Multiplies the count by n values; -1 when it would overflow. */
static int
count_by(struct parse *ps, int64_t n)
{
	if (__builtin_mul_overflow(ps->g->count, n, &ps->g->count))
		return fail(ps, "range overflow", ps->pos);
	return 0;
}

static void
elem_add(struct pat *pt, struct buf *text)
{
	pt->elem = xreallocarray(pt->elem, pt->nelem + 1, sizeof(*pt->elem));
	pt->elem[pt->nelem++] = xstrdup(text->data != NULL ? text->data : "");
	buf_reset(text);
}

/* A set, from its '{': elements up to the '}', any byte escaped by '\'. */
static int
parse_set(struct parse *ps)
{
	struct pat *pt = pat_add(ps, PAT_SET);
	size_t open = ps->pos;
	const char *start;

	ps->p++, ps->pos++;
	start = ps->p;
	buf_reset(&ps->text);
	for (;;) {
		switch (*ps->p) {
		case '\0':
			return fail(ps, "unmatched brace", open);
		case '{':
		case '[':
			return fail(ps, "nested brace", ps->pos);
		case ']':
			return fail(ps, "unexpected close bracket", ps->pos);
		case '}':
			if (ps->p == start)
				return fail(ps, "empty string within braces",
				    ps->pos);
			elem_add(pt, &ps->text);
			ps->p++, ps->pos++;
			return count_by(ps, (int64_t)pt->nelem);
		case ',':
			elem_add(pt, &ps->text);
			ps->p++, ps->pos++;
			continue;
		case '\\':
			if (ps->p[1] != '\0')
				ps->p++, ps->pos++;
			break;
		default:
			break;
		}
		buf_addc(&ps->text, *ps->p);
		ps->p++, ps->pos++;
	}
}

/* Reads decimal digits at *s into *v; -1 when none or too large. */
static int
digits(const char **s, int64_t *v)
{
	const char *p = *s;
	int64_t n = 0;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++)
		if (__builtin_mul_overflow(n, 10, &n) ||
		    __builtin_add_overflow(n, *p - '0', &n))
			return -1;
	*s = p;
	*v = n;
	return 0;
}

/*
 * The end of a range after "MIN-MAX" at *s: ":STEP]" or "]".  Returns 0
 * with *s past the ']', else -1 with *s where curl stops reading.
 */
static int
range_end(const char **s, int64_t *step)
{
	const char *p = *s;

	*step = 1;
	if (*p == ':') {
		*s = ++p;
		if (digits(&p, step) == -1)
			return -1;
	}
	if (*p != ']')
		return -1;
	*s = p + 1;
	return 0;
}

/* "a-z]" or "a-z:2]" after the '['; -1 when malformed. */
static int
range_chars(const char **s, struct pat *pt)
{
	const unsigned char *p = (const unsigned char *)*s;
	const char *end;

	if (p[1] != '-' || p[2] == '\0' || p[3] == '\0')
		return -1;
	pt->min = p[0];
	pt->max = p[2];
	if (p[3] != ':' && p[3] != ']')
		return -1;
	end = *s + 3;
	if (range_end(&end, &pt->step) == -1)
		return -1;
	*s = end;
	/* As curl: at most 26 letters' span, which "[Z-a]" also is. */
	return pt->max - pt->min > 'z' - 'a' ? -1 : 0;
}

/* "1-100]", "001-100]", "0-100:10]" after the '['; -1 when malformed. */
static int
range_num(const char **s, struct pat *pt)
{
	const char *p = *s, *end;

	if (*p == '0')
		pt->pad = (int)strspn(p, "0123456789");
	if (digits(&p, &pt->min) == -1 || *p != '-')
		return -1;
	p++;
	p += strspn(p, " \t");
	*s = p;
	if (digits(&p, &pt->max) == -1)
		return -1;
	end = p;
	if (range_end(&end, &pt->step) == -1) {
		/* curl points past a ':', else at MAX. */
		if (end != p)
			*s = end;
		return -1;
	}
	*s = end;
	return 0;
}

/* A range, from its '['. */
static int
parse_range(struct parse *ps)
{
	struct pat *pt;
	const char *s;
	int rc;

	ps->p++, ps->pos++;
	s = ps->p;
	if (isalpha((unsigned char)*s)) {
		pt = pat_add(ps, PAT_CHAR);
		rc = range_chars(&s, pt);
	} else if (isdigit((unsigned char)*s)) {
		pt = pat_add(ps, PAT_NUM);
		rc = range_num(&s, pt);
	} else
		return fail(ps, "bad range specification", ps->pos);
	ps->pos += (size_t)(s - ps->p);
	ps->p = s;
	if (rc == -1 || pt->step <= 0 || pt->min > pt->max ||
	    (pt->min == pt->max && pt->step != 1) ||
	    (pt->min != pt->max && pt->step > pt->max - pt->min))
		return fail(ps, "bad range", ps->pos);
	pt->val = pt->min;
	return count_by(ps, (pt->max - pt->min) / pt->step + 1);
}

/*
 * How many bytes from p, which is at a '[', are an IPv6 literal or "[]"
 * that stay text; 0 when they start a range.
 */
static size_t
bracket_text(const char *p)
{
	const char *end = strchr(p, ']');
	char host[IPV6_MAX];
	size_t len;
	CURLU *u;
	CURLUcode rc;

	if (p[1] == ']')
		return 2;
	if (end == NULL || (len = (size_t)(end - p) + 1) >= sizeof(host))
		return 0;
	memcpy(host, p, len);
	host[len] = '\0';
	if ((u = curl_url()) == NULL)
		xalloc_die();
	/* libcurl takes "[::1]" as a host only with a scheme guessed. */
	rc = curl_url_set(u, CURLUPART_URL, host, CURLU_GUESS_SCHEME);
	curl_url_cleanup(u);
	return rc == CURLUE_OK ? len : 0;
}

/* Text up to the next pattern, as a pattern of one element. */
static int
parse_text(struct parse *ps)
{
	size_t skip;

	buf_reset(&ps->text);
	while (*ps->p != '\0' && *ps->p != '{') {
		if (*ps->p == '[') {
			if ((skip = bracket_text(ps->p)) == 0)
				break;
			buf_add(&ps->text, ps->p, skip);
			ps->p += skip, ps->pos += skip;
			continue;
		}
		if (*ps->p == '}' || *ps->p == ']')
			return fail(ps, "unmatched close brace/bracket",
			    ps->pos);
		if (*ps->p == '\\' && ps->p[1] != '\0' &&
		    strchr("[]{}", ps->p[1]) != NULL)
			ps->p++, ps->pos++;
		buf_addc(&ps->text, *ps->p);
		ps->p++, ps->pos++;
	}
	if (ps->text.len > 0)
		elem_add(pat_add(ps, PAT_TEXT), &ps->text);
	return 0;
}

static int
parse_all(struct parse *ps)
{
	int rc;

	while (*ps->p != '\0') {
		if (*ps->p == '{')
			rc = parse_set(ps);
		else if (*ps->p == '[' && bracket_text(ps->p) == 0)
			rc = parse_range(ps);
		else
			rc = parse_text(ps);
		if (rc == -1)
			return -1;
		if (ps->g->npat > GLOB_PATTERNS_MAX)
			return fail(ps, "too many globs", ps->pos);
	}
	return 0;
}

struct glob *
glob_new(const char *pattern, char **why)
{
	struct parse ps;
	struct glob *g;

	*why = NULL;
	g = xcalloc(1, sizeof(*g));
	g->count = 1;
	buf_init(&g->url);
	memset(&ps, 0, sizeof(ps));
	ps.g = g;
	ps.p = pattern;
	ps.pos = 1;
	buf_init(&ps.text);
	if (parse_all(&ps) == -1) {
		*why = xasprintf("%s in URL position %zu", ps.err, ps.errpos);
		glob_free(g);
		g = NULL;
	}
	buf_free(&ps.text);
	return g;
}

void
glob_free(struct glob *g)
{
	size_t i, k;

	if (g == NULL)
		return;
	for (i = 0; i < g->npat; i++) {
		for (k = 0; k < g->pat[i].nelem; k++)
			free(g->pat[i].elem[k]);
		free(g->pat[i].elem);
	}
	free(g->pat);
	buf_free(&g->url);
	free(g);
}

int64_t
glob_count(const struct glob *g)
{
	return g->count;
}

size_t
glob_patterns(const struct glob *g)
{
	return g->nglob;
}

/* Moves pt to its next value; 1 when it went round to its first. */
static int
pat_step(struct pat *pt)
{
	switch (pt->kind) {
	case PAT_TEXT:
	case PAT_SET:
		if (++pt->cur < pt->nelem)
			return 0;
		pt->cur = 0;
		return 1;
	case PAT_NUM:
	case PAT_CHAR:
		/* max + step cannot overflow: step <= max - min, min >= 0. */
		if ((pt->val += pt->step) <= pt->max)
			return 0;
		pt->val = pt->min;
		return 1;
	}
	return 1;
}

static void
pat_value(const struct pat *pt, struct buf *b)
{
	switch (pt->kind) {
	case PAT_TEXT:
	case PAT_SET:
		buf_adds(b, pt->elem[pt->cur]);
		break;
	case PAT_NUM:
		buf_printf(b, "%0*lld", pt->pad, (long long)pt->val);
		break;
	case PAT_CHAR:
		buf_addc(b, (char)pt->val);
		break;
	}
}

const char *
glob_next(struct glob *g)
{
	size_t i;
	int carry = 1;

	if (g->done)
		return NULL;
	if (!g->started)
		g->started = 1;
	else {
		/* The last pattern turns fastest, as curl's. */
		for (i = g->npat; carry && i > 0; i--)
			carry = pat_step(&g->pat[i - 1]);
		if (carry) {
			g->done = 1;
			return NULL;
		}
	}
	buf_reset(&g->url);
	buf_adds(&g->url, "");
	for (i = 0; i < g->npat; i++)
		pat_value(&g->pat[i], &g->url);
	return g->url.data;
}

void
glob_values(const struct glob *g, struct buf *b)
{
	size_t i, n = 0;

	for (i = 0; i < g->npat; i++) {
		if (g->pat[i].kind == PAT_TEXT)
			continue;
		if (n++ > 0)
			buf_addc(b, '.');
		pat_value(&g->pat[i], b);
	}
}
