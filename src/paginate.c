/*
 * Pagination.  The Link header parser, URL resolution and the cursor's
 * query parameter are small pure functions; the pager keeps what one input
 * has collected so far (its items, pages, bytes, attempts and the URLs it
 * has seen).  Fetching, retries, the cache and the rate limit are the
 * scheduler's: each page is an ordinary request to it.  The seen set keeps
 * a 64-bit hash of each normalised page URL, sorted, so a loop is found
 * in a few comparisons and costs 8 bytes a page, at most --max-pages.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <sha2.h>

#include "json.h"
#include "paginate.h"
#include "url.h"
#include "xalloc.h"

struct pager {
	enum page_mode	 mode;
	const char	*pointer;	/* lent, as the options below */
	const char	*param;
	const char	*items_ptr;
	long		 max_pages;
	int64_t		 max_body;
	CURLU		*first;		/* owned: the input's URL */

	struct buf	 items;		/* "[" and the items so far */
	long		 nitems;
	int		 pages;		/* pages collected */
	int64_t		 bytes;		/* their bodies */
	int		 attempts;	/* of the pages before this one */
	int		 retries;
	double		 t0;		/* monotonic ms the first page began */
	enum cache_state cache;		/* the pages' state, MISS when mixed */
	int		 truncated;
	int		 closed;	/* items ends with its "]" */
	int		 fail_page;	/* set: the pager failed at that page */
	char		*shown;		/* owned: the page in flight */
	uint64_t	*seen;		/* sorted hashes of page URLs */
	size_t		 nseen;
	char		 msg[512];
};

void
page_opts_free(struct page_opts *o)
{
	if (o == NULL)
		return;
	free(o->pointer);
	free(o->param);
	free(o->items);
	free(o);
}

/* ---------------------------------------------------- Link (RFC 8288) */

static const char *
ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static int
tchar(int c)
{
	return isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c));
}

/* Reads a token or quoted-string at p into v; returns the end. */
static const char *
link_value(const char *p, struct buf *v)
{
	buf_reset(v);
	if (*p != '"') {
		while (tchar((unsigned char)*p))
			buf_addc(v, *p++);
		return p;
	}
	for (p++; *p != '\0' && *p != '"'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		buf_addc(v, *p);
	}
	return *p == '"' ? p + 1 : p;
}

/* 1 when the space-separated relation types in rel include "next". */
static int
rel_next(const char *rel)
{
	size_t n;

	for (;;) {
		rel += strspn(rel, " \t");
		if (*rel == '\0')
			return 0;
		n = strcspn(rel, " \t");
		if (n == 4 && strncasecmp(rel, "next", 4) == 0)
			return 1;
		rel += n;
	}
}

/* Skips to the comma that ends a link-value, passing quoted strings. */
static const char *
link_skip(const char *p)
{
	struct buf junk;

	buf_init(&junk);
	while (*p != '\0' && *p != ',') {
		if (*p == '"')
			p = link_value(p, &junk);
		else
			p++;
	}
	buf_free(&junk);
	return p;
}

/*
 * Reads the parameters of one link-value from p; sets *next when its
 * first rel names "next" and it has no anchor.  Returns the end.
 */
static const char *
link_params(const char *p, int *next)
{
	struct buf v;
	const char *name;
	size_t n;
	int rel = 0, anchor = 0;

	buf_init(&v);
	*next = 0;
	while (*(p = ows(p)) == ';') {
		name = p = ows(p + 1);
		while (tchar((unsigned char)*p))
			p++;
		n = (size_t)(p - name);
		buf_reset(&v);
		if (*(p = ows(p)) == '=')
			p = link_value(ows(p + 1), &v);
		/* Only the first rel counts (RFC 8288, section 3.3). */
		if (n == 3 && strncasecmp(name, "rel", 3) == 0 && !rel++)
			*next = v.data != NULL && rel_next(v.data);
		if (n == 6 && strncasecmp(name, "anchor", 6) == 0)
			anchor = 1;
	}
	buf_free(&v);
	if (anchor)
		*next = 0;
	return p;
}

char *
page_link_next(const char *s)
{
	const char *p = s, *uri, *end;
	int next;

	while (p != NULL && *p != '\0') {
		p = ows(p + strspn(p, ", \t"));
		if (*p != '<') {
			p = link_skip(p);
			continue;
		}
		uri = p + 1;
		if ((end = strchr(uri, '>')) == NULL)
			return NULL;
		p = link_params(end + 1, &next);
		if (next)
			return xstrndup(uri, (size_t)(end - uri));
		p = link_skip(p);
	}
	return NULL;
}

/* ------------------------------------------------------- URLs, cursor */

char *
page_resolve(CURLU *base, const char *ref)
{
	CURLUcode rc;
	CURLU *h;
	char *v, *s;

	if ((h = curl_url_dup(base)) == NULL)
		xalloc_die();
	rc = curl_url_set(h, CURLUPART_URL, ref, CURLU_NON_SUPPORT_SCHEME);
	if (rc == CURLUE_OUT_OF_MEMORY)
		xalloc_die();
	s = NULL;
	if (rc == CURLUE_OK && curl_url_get(h, CURLUPART_URL, &v, 0) ==
	    CURLUE_OK) {
		s = xstrdup(v);
		curl_free(v);
	}
	curl_url_cleanup(h);
	return s;
}

/* Appends the percent-encoding of s to b. */
static void
add_escaped(struct buf *b, const char *s)
{
	char *e;

	if ((e = curl_easy_escape(NULL, s, 0)) == NULL)
		xalloc_die();
	buf_adds(b, e);
	curl_free(e);
}

/* 1 when the query pair at p, n long, is named name (decoded). */
static int
pair_named(const char *p, size_t n, const char *name)
{
	size_t k = strcspn(p, "=&");
	char *dec;
	int len, same;

	if (k > n)
		k = n;
	/* curl_easy_unescape reads a length of 0 as "up to the NUL". */
	if (k == 0)
		return name[0] == '\0';
	if ((dec = curl_easy_unescape(NULL, p, (int)k, &len)) == NULL)
		xalloc_die();
	same = (size_t)len == strlen(name) && memcmp(dec, name, len) == 0;
	curl_free(dec);
	return same;
}

char *
page_cursor_url(CURLU *u, const char *name, const char *value)
{
	struct buf q;
	CURLU *h;
	char *old = NULL, *p, *s;
	size_t n;
	int done = 0;

	if ((h = curl_url_dup(u)) == NULL)
		xalloc_die();
	buf_init(&q);
	if (curl_url_get(h, CURLUPART_QUERY, &old, 0) != CURLUE_OK)
		old = NULL;
	for (p = old; p != NULL && *p != '\0'; p += n + (p[n] == '&')) {
		n = strcspn(p, "&");
		if (n > 0 && !pair_named(p, n, name)) {
			if (q.len > 0)
				buf_addc(&q, '&');
			buf_add(&q, p, n);
		} else if (n > 0 && !done++) {
			/* The cursor takes the place of the first one. */
			if (q.len > 0)
				buf_addc(&q, '&');
			add_escaped(&q, name);
			buf_addc(&q, '=');
			add_escaped(&q, value);
		}
	}
	if (!done) {
		if (q.len > 0)
			buf_addc(&q, '&');
		add_escaped(&q, name);
		buf_addc(&q, '=');
		add_escaped(&q, value);
	}
	curl_free(old);
	if (curl_url_set(h, CURLUPART_QUERY, q.data, 0) ==
	    CURLUE_OUT_OF_MEMORY)
		xalloc_die();
	buf_free(&q);
	s = url_text(h);
	curl_url_cleanup(h);
	return s;
}

/* ---------------------------------------------------------------- items */

/*
 * Appends the elements of the compact JSON array text a to b, after a
 * comma when b holds some already (n > 0).
 */
static long
add_elements(struct buf *b, long n, const char *a, size_t len)
{
	const char *p = a + 1, *end = a + len - 1;

	if (end <= p)
		return n;	/* "[]" */
	if (n > 0)
		buf_addc(b, ',');
	buf_add(b, p, (size_t)(end - p));
	return n + 1;
}

long
page_items_add(struct buf *b, long n, const char *body, size_t len,
    const char *items, const char **why)
{
	struct buf v;
	int rc;

	buf_init(&v);
	rc = json_pointer(body, len, items != NULL ? items : "", &v);
	if (rc == -1) {
		*why = "the body is not JSON";
		n = -1;
	} else if (rc == 1) {
		*why = "nothing at the --items pointer";
		n = -1;
	} else if (v.data[0] == '[')
		n = add_elements(b, n, v.data, v.len);
	else if (items != NULL && strcmp(v.data, "null") == 0)
		;	/* no items on this page */
	else if (items != NULL) {
		*why = "the value at the --items pointer is not an array";
		n = -1;
	} else {
		if (n > 0)
			buf_addc(b, ',');
		buf_add(b, v.data, v.len);
		n++;
	}
	buf_free(&v);
	return n;
}

/* ---------------------------------------------------------------- pager */

int
pager_wanted(const struct page_opts *run, const struct page_opts *spec)
{
	if (spec != NULL && spec->mode_set)
		return spec->mode != PAGE_NONE;
	return run->mode != PAGE_NONE;
}

const char *
page_spec_check(const struct page_opts *run, const struct page_opts *spec)
{
	if (spec == NULL || pager_wanted(run, spec) ||
	    (spec->items == NULL && spec->max_pages == 0))
		return NULL;
	return "\"items\" and \"max_pages\" need pagination: \"paginate\", "
	    "\"next\" or \"cursor\" (or --paginate, --next, --cursor)";
}

struct pager *
pager_new(const struct page_opts *run, const struct page_opts *spec,
    int64_t max_body, CURLU *first)
{
	const struct page_opts *m;
	struct pager *pg;

	pg = xcalloc(1, sizeof(*pg));
	m = spec != NULL && spec->mode_set ? spec : run;
	pg->mode = m->mode;
	pg->pointer = m->pointer;
	pg->param = m->param;
	pg->items_ptr = spec != NULL && spec->items != NULL ? spec->items :
	    run->items;
	pg->max_pages = spec != NULL && spec->max_pages > 0 ?
	    spec->max_pages : run->max_pages;
	if (pg->max_pages <= 0)
		pg->max_pages = PAGE_MAX_DEFAULT;
	pg->max_body = max_body;
	if ((pg->first = curl_url_dup(first)) == NULL)
		xalloc_die();
	buf_init(&pg->items);
	buf_addc(&pg->items, '[');
	return pg;
}

void
pager_free(struct pager *pg)
{
	if (pg == NULL)
		return;
	curl_url_cleanup(pg->first);
	buf_free(&pg->items);
	free(pg->shown);
	free(pg->seen);
	free(pg);
}

static uint64_t
url_hash(const char *url)
{
	unsigned char d[SHA256_DIGEST_LENGTH];
	SHA2_CTX ctx;
	uint64_t h = 0;
	int i;

	SHA256Init(&ctx);
	SHA256Update(&ctx, (const unsigned char *)url, strlen(url));
	SHA256Final(d, &ctx);
	for (i = 0; i < 8; i++)
		h = h << 8 | d[i];
	return h;
}

/* Adds the normalised url to the seen set; 1 when it was there. */
static int
pager_seen(struct pager *pg, const char *url)
{
	uint64_t h = url_hash(url);
	size_t lo = 0, hi = pg->nseen, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (pg->seen[mid] == h)
			return 1;
		if (pg->seen[mid] < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	pg->seen = xreallocarray(pg->seen, pg->nseen + 1, sizeof(*pg->seen));
	memmove(pg->seen + lo + 1, pg->seen + lo,
	    (pg->nseen - lo) * sizeof(*pg->seen));
	pg->seen[lo] = h;
	pg->nseen++;
	return 0;
}

/* Makes r fail as the pager found, at page page. */
static enum pager_step
pager_fail(struct pager *pg, struct result *r, int page, enum err_kind k,
    const char *what)
{
	snprintf(pg->msg, sizeof(pg->msg), "%s", what);
	r->ok = 0;
	r->err = k;
	r->err_msg = pg->msg;
	r->curl_code = 0;
	pg->fail_page = page;
	return PAGER_FAIL;
}

/*
 * The string or number at ptr in the body, allocated, for a next URL or a
 * cursor; NULL when it is null, missing or empty.  -1 when the body is not
 * JSON or holds another type there.
 */
static int
page_string(const char *body, size_t len, const char *ptr, int numbers,
    char **out)
{
	struct buf v;
	cJSON *o;
	int rc;

	*out = NULL;
	buf_init(&v);
	if ((rc = json_pointer(body, len, ptr, &v)) != 0) {
		buf_free(&v);
		return rc == 1 ? 0 : -1;
	}
	rc = 0;
	if (numbers && (v.data[0] == '-' || isdigit((unsigned char)v.data[0])))
		*out = buf_steal(&v);
	else if (v.data[0] == '"') {
		if ((o = cJSON_ParseWithLength(v.data, v.len)) == NULL)
			xalloc_die();	/* checked by json_pointer */
		if (*o->valuestring != '\0')
			*out = xstrdup(o->valuestring);
		cJSON_Delete(o);
	} else if (strcmp(v.data, "null") != 0)
		rc = -1;
	buf_free(&v);
	return rc;
}

/* The text of the next page's URL, allocated; NULL: the last page. */
static int
pager_find(struct pager *pg, const struct result *r, CURLU *url,
    const char *link, char **next, const char **why)
{
	char *v;

	*next = NULL;
	switch (pg->mode) {
	case PAGE_LINK:
		if (link != NULL && (v = page_link_next(link)) != NULL) {
			*next = page_resolve(url, v);
			free(v);
			if (*next == NULL)
				*why = "the next link is not a URL";
			return *next == NULL ? -1 : 0;
		}
		return 0;
	case PAGE_NEXT:
	case PAGE_CURSOR:
		if (page_string(r->body, r->body_len, pg->pointer,
		    pg->mode == PAGE_CURSOR, &v) == -1) {
			*why = pg->mode == PAGE_NEXT ? "the value at the "
			    "--next pointer is not a string" : "the value at "
			    "the --cursor pointer is not a string or a number";
			return -1;
		}
		if (v == NULL)
			return 0;
		*next = pg->mode == PAGE_NEXT ? page_resolve(url, v) :
		    page_cursor_url(pg->first, pg->param, v);
		free(v);
		if (*next == NULL)
			*why = "the next URL is not a URL";
		return *next == NULL ? -1 : 0;
	case PAGE_NONE:
		break;
	}
	return 0;
}

/* Counts the state of a page into the pages' one. */
static void
pager_cache(struct pager *pg, enum cache_state c)
{
	if (pg->pages == 1)
		pg->cache = c;
	else if (pg->cache != c)
		pg->cache = CACHE_MISS;
}

/* Collects the items of r, page number pg->pages + 1. */
static int
pager_collect(struct pager *pg, struct result *r, double now)
{
	const char *why;
	char msg[256];
	long n;

	if (pg->bytes + (int64_t)r->body_len > pg->max_body) {
		snprintf(msg, sizeof(msg), "page %d: the pages' bodies are "
		    "larger than --max-body (%lld bytes)", pg->pages + 1,
		    (long long)pg->max_body);
		pager_fail(pg, r, pg->pages + 1, ERR_TOO_LARGE, msg);
		return -1;
	}
	if ((n = page_items_add(&pg->items, pg->nitems, r->body, r->body_len,
	    pg->items_ptr, &why)) == -1) {
		snprintf(msg, sizeof(msg), "page %d: %s", pg->pages + 1, why);
		pager_fail(pg, r, pg->pages + 1, ERR_PROTOCOL, msg);
		return -1;
	}
	if (pg->pages == 0)
		pg->t0 = now - r->time_ms;
	pg->nitems = n;
	pg->pages++;
	pg->bytes += (int64_t)r->body_len;
	pager_cache(pg, r->cache);
	return 0;
}

enum pager_step
pager_page(struct pager *pg, struct result *r, CURLU *url, const char *link,
    double now, CURLU **next)
{
	const char *why;
	char *text, *norm, *shown, msg[512];
	CURLU *u;

	*next = NULL;
	if (pg->nseen == 0) {
		norm = url_text(url);
		pager_seen(pg, norm);
		free(norm);
	}
	if (pager_collect(pg, r, now) == -1)
		return PAGER_FAIL;
	if (pager_find(pg, r, url, link, &text, &why) == -1) {
		snprintf(msg, sizeof(msg), "page %d: %s", pg->pages, why);
		return pager_fail(pg, r, pg->pages, ERR_PROTOCOL, msg);
	}
	if (text == NULL)
		return PAGER_DONE;
	if (pg->pages >= pg->max_pages) {
		free(text);
		pg->truncated = 1;
		return PAGER_DONE;
	}
	if ((u = url_new(text, &shown, &why)) == NULL) {
		snprintf(msg, sizeof(msg), "page %d: the next URL is refused: "
		    "%s", pg->pages, why);
		free(text);
		return pager_fail(pg, r, pg->pages, ERR_PROTOCOL, msg);
	}
	free(text);
	norm = url_text(u);
	if (pager_seen(pg, norm)) {
		snprintf(msg, sizeof(msg), "page %d: pagination loop: it "
		    "links to %s, fetched before", pg->pages, shown);
		free(norm);
		free(shown);
		url_free(u);
		return pager_fail(pg, r, pg->pages, ERR_PROTOCOL, msg);
	}
	free(norm);
	free(pg->shown);
	pg->shown = shown;
	*next = u;
	return PAGER_NEXT;
}

void
pager_attempts(struct pager *pg, int attempts)
{
	pg->attempts += attempts;
	if (attempts > 1)
		pg->retries += attempts - 1;
}

void
pager_result(struct pager *pg, struct result *r, double now)
{
	char msg[sizeof(pg->msg)];

	r->paged = 1;
	r->pages = pg->pages;
	r->retries = pg->retries + (r->attempts > 1 ? r->attempts - 1 : 0);
	r->attempts += pg->attempts;
	r->truncated = pg->truncated;
	r->bytes = r->has_body ? r->body_len : 0;
	if (!r->ok) {
		r->page = pg->fail_page > 0 ? pg->fail_page : pg->pages + 1;
		/* The pager's own messages say their page already. */
		if (pg->fail_page == 0 && r->err_msg != NULL) {
			snprintf(msg, sizeof(msg), "page %d: %s", r->page,
			    r->err_msg);
			memcpy(pg->msg, msg, sizeof(pg->msg));
			r->err_msg = pg->msg;
		}
	}
	/* A first page that failed is shown as the server answered it. */
	if (pg->pages == 0)
		return;
	r->time_ms = now - pg->t0;
	/* A page that was not collected counts too. */
	if (r->cache != pg->cache)
		r->cache = CACHE_MISS;
	if (!pg->closed++)
		buf_addc(&pg->items, ']');
	r->has_body = 1;
	r->body = pg->items.data;
	r->body_len = pg->items.len;
	r->content_type = "application/json";
	r->bytes = (size_t)pg->bytes;
}

int64_t
pager_budget(const struct pager *pg)
{
	return pg->max_body - pg->bytes;
}

const char *
pager_shown(const struct pager *pg)
{
	return pg->shown;
}

long
pager_max(const struct pager *pg)
{
	return pg->max_pages;
}

int
pager_link(const struct pager *pg)
{
	return pg->mode == PAGE_LINK;
}
