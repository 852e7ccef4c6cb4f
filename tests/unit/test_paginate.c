/*
 * Pagination's pure parts: the Link header parser (RFC 8288), resolving a
 * next URL, the cursor's query parameter, collecting items, and a pager
 * that meets a loop.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "paginate.h"
#include "url.h"
#include "unit.h"

static const struct {
	const char	*in;
	const char	*want;	/* NULL: no next link */
} links[] = {
	{ "<https://a.test/p?page=2>; rel=\"next\"",
	    "https://a.test/p?page=2" },
	{ "<https://a.test/1>; rel=\"prev\", <https://a.test/3>; rel=\"next\"",
	    "https://a.test/3" },
	{ "<https://a.test/3>; rel=next", "https://a.test/3" },
	{ "<https://a.test/3>; REL=\"NEXT\"", "https://a.test/3" },
	{ "<https://a.test/3>; rel=\"Next\"", "https://a.test/3" },
	{ "<https://a.test/3>; rel=\"last next\"", "https://a.test/3" },
	{ "<https://a.test/3>; rel=\"next\tlast\"", "https://a.test/3" },
	{ "<https://a.test/3>; rel=\"nextpage\"", NULL },
	{ "<https://a.test/3>; rel=\"previous\"", NULL },
	{ "<https://a.test/x,y;z>; rel=\"next\"", "https://a.test/x,y;z" },
	{ "<https://a.test/1>; title=\"a, b; rel=next\", <https://a.test/2>; "
	    "rel=\"next\"", "https://a.test/2" },
	{ "<https://a.test/1>; title=\"say \\\"hi\\\", <x>\"; rel=\"next\"",
	    "https://a.test/1" },
	{ "<https://a.test/1>; rel=\"prev\"; rel=\"next\"", NULL },
	{ "<https://a.test/1>; anchor=\"#x\"; rel=\"next\"", NULL },
	{ "<https://a.test/1>; rel=\"next\"; anchor=\"#x\", "
	    "<https://a.test/2>; rel=\"next\"", "https://a.test/2" },
	{ "</p?page=2>; rel=\"next\"", "/p?page=2" },
	{ "<?page=2>; rel=\"next\"", "?page=2" },
	{ "", NULL },
	{ "garbage, <https://a.test/2>; rel=\"next\"", "https://a.test/2" },
	{ "<https://a.test/2", NULL },
	{ "<https://a.test/1>;rel=next;title=x", "https://a.test/1" },
	{ "<https://a.test/2> ; rel = \"next\"", "https://a.test/2" },
	{ "  ,, <https://a.test/2>;\trel=\"next\"  ", "https://a.test/2" },
	{ "<https://a.test/1>; rel", NULL },
	{ "<https://a.test/1>; rel=", NULL },
	{ "<https://a.test/1>, <https://a.test/2>; rel=next",
	    "https://a.test/2" },
};

static const struct {
	const char	*base;
	const char	*ref;
	const char	*want;
} resolves[] = {
	{ "https://h.test/a/b?x=1", "c", "https://h.test/a/c" },
	{ "https://h.test/a/b?x=1", "/d?e=f", "https://h.test/d?e=f" },
	{ "https://h.test/a/b?x=1", "?page=2", "https://h.test/a/b?page=2" },
	{ "https://h.test/a/b", "//o.test/p", "https://o.test/p" },
	{ "https://h.test/a/b", "http://x.test/y", "http://x.test/y" },
	{ "https://h.test/a/b/c", "../e", "https://h.test/a/e" },
	{ "http://h.test:8080/a", "b", "http://h.test:8080/b" },
};

static const struct {
	const char	*url;
	const char	*name;
	const char	*value;
	const char	*want;
} cursors[] = {
	{ "https://h.test/p", "cursor", "tok-2",
	    "https://h.test/p?cursor=tok-2" },
	{ "https://h.test/p?a=1", "cursor", "2",
	    "https://h.test/p?a=1&cursor=2" },
	{ "https://h.test/p?a=1&cursor=x&b=2", "cursor", "y",
	    "https://h.test/p?a=1&cursor=y&b=2" },
	{ "https://h.test/p?cursor=x&cursor=z&b=2", "cursor", "y",
	    "https://h.test/p?cursor=y&b=2" },
	{ "https://h.test/p?cursorx=1", "cursor", "y",
	    "https://h.test/p?cursorx=1&cursor=y" },
	{ "https://h.test/p", "after", "a b&c=d/e",
	    "https://h.test/p?after=a%20b%26c%3Dd%2Fe" },
	{ "https://h.test/p?page%5Bafter%5D=1", "page[after]", "9",
	    "https://h.test/p?page%5Bafter%5D=9" },
	{ "https://h.test/p?cursor", "cursor", "q",
	    "https://h.test/p?cursor=q" },
	{ "https://h.test/p?&&a=1&", "c", "q", "https://h.test/p?a=1&c=q" },
	/* A pair with an empty name is not named by the rest of the query. */
	{ "https://h.test/p?=x", "=x", "y", "https://h.test/p?=x&%3Dx=y" },
	{ "https://h.test/p?=a&b", "=a&b", "y",
	    "https://h.test/p?=a&b&%3Da%26b=y" },
};

static const struct {
	const char	*body;
	const char	*items;
	const char	*want;	/* NULL: refused */
} item_cases[] = {
	{ "[1,2]", NULL, "[0,1,2" },
	{ "[ ]", NULL, "[0" },
	{ "{\"a\": 1}", NULL, "[0,{\"a\":1}" },
	{ "{\"data\": [ {\"id\": 12345678901234567890} ]}", "/data",
	    "[0,{\"id\":12345678901234567890}" },
	{ "{\"data\": null}", "/data", "[0" },
	{ "{\"data\": {}}", "/data", NULL },
	{ "{\"x\": []}", "/data", NULL },
	{ "not json", NULL, NULL },
	{ "[\"a\",[1]]", "", "[0,\"a\",[1]" },
};

/* A page result with body text, as the scheduler would hand it over. */
static void
page(struct result *r, const char *body)
{
	memset(r, 0, sizeof(*r));
	r->ok = 1;
	r->status = 200;
	r->has_body = 1;
	r->body = (char *)body;
	r->body_len = strlen(body);
	r->content_type = "application/json";
}

/* Three pages, the third linking back to the first: a loop. */
static void
test_loop(void)
{
	struct page_opts o = { PAGE_LINK, 0, NULL, NULL, NULL, 0 };
	const char *why;
	struct pager *pg;
	struct result r;
	CURLU *u, *next;
	enum pager_step st;

	u = url_new("http://h.test/l?n=3", NULL, &why);
	pg = pager_new(&o, NULL, 1 << 20, u);
	page(&r, "[1]");
	st = pager_page(pg, &r, u, "<?n=3&page=2>; rel=\"next\"", 0, &next);
	CHECK(st == PAGER_NEXT && next != NULL, "page 1 leads to page 2");
	url_free(u);
	u = next;
	page(&r, "[2]");
	st = pager_page(pg, &r, u, "</l?n=3&page=3>; rel=next", 0, &next);
	CHECK(st == PAGER_NEXT, "page 2 leads to page 3");
	url_free(u);
	u = next;
	page(&r, "[3]");
	/* The same URL written otherwise: host case, default port. */
	st = pager_page(pg, &r, u, "<HTTP://H.test:80/l?n=3>; rel=next", 0,
	    &next);
	CHECK(st == PAGER_FAIL && r.err == ERR_PROTOCOL &&
	    strstr(r.err_msg, "pagination loop") != NULL,
	    "page 3 linking to page 1 is a loop: %s", r.err_msg);
	pager_result(pg, &r, 0);
	CHECK(r.page == 3 && r.pages == 3 && r.body_len == 7 &&
	    strcmp(r.body, "[1,2,3]") == 0,
	    "the loop keeps the items of 3 pages: %s, page %d", r.body, r.page);
	url_free(u);
	pager_free(pg);
}

/* --max-pages ends the result early, ok and marked. */
static void
test_max_pages(void)
{
	char next_ptr[] = "/next", items[] = "/data";
	struct page_opts o = { PAGE_NEXT, 0, next_ptr, NULL, items, 2 };
	const char *why;
	struct pager *pg;
	struct result r;
	CURLU *u, *next;

	u = url_new("http://h.test/n", NULL, &why);
	pg = pager_new(&o, NULL, 1 << 20, u);
	page(&r, "{\"data\": [1], \"next\": \"/n?p=2\"}");
	CHECK(pager_page(pg, &r, u, NULL, 0, &next) == PAGER_NEXT,
	    "page 1 of 2 goes on");
	url_free(u);
	u = next;
	page(&r, "{\"data\": [2], \"next\": \"/n?p=3\"}");
	CHECK(pager_page(pg, &r, u, NULL, 0, &next) == PAGER_DONE,
	    "page 2 of --max-pages 2 is the last");
	pager_result(pg, &r, 0);
	CHECK(r.ok && r.truncated && r.pages == 2 &&
	    strcmp(r.body, "[1,2]") == 0, "truncated, items of 2 pages");
	url_free(u);
	pager_free(pg);
}

int
main(void)
{
	const char *why;
	struct buf b;
	char *got;
	CURLU *u;
	size_t i;
	long n;

	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		got = page_link_next(links[i].in);
		CHECK(links[i].want == NULL ? got == NULL : got != NULL &&
		    strcmp(got, links[i].want) == 0, "link '%s' -> %s",
		    links[i].in, got != NULL ? got : "(none)");
		free(got);
	}
	for (i = 0; i < sizeof(resolves) / sizeof(resolves[0]); i++) {
		u = url_new(resolves[i].base, NULL, &why);
		got = page_resolve(u, resolves[i].ref);
		CHECK(got != NULL && strcmp(got, resolves[i].want) == 0,
		    "'%s' against %s -> %s", resolves[i].ref, resolves[i].base,
		    got != NULL ? got : "(none)");
		free(got);
		url_free(u);
	}
	for (i = 0; i < sizeof(cursors) / sizeof(cursors[0]); i++) {
		u = url_new(cursors[i].url, NULL, &why);
		got = page_cursor_url(u, cursors[i].name, cursors[i].value);
		/* libcurl versions differ in the case of %XX (RFC 3986 2.1). */
		CHECK(strcasecmp(got, cursors[i].want) == 0,
		    "%s with %s=%s -> %s",
		    cursors[i].url, cursors[i].name, cursors[i].value, got);
		free(got);
		url_free(u);
	}
	for (i = 0; i < sizeof(item_cases) / sizeof(item_cases[0]); i++) {
		buf_init(&b);
		buf_adds(&b, "[0");
		n = page_items_add(&b, 1, item_cases[i].body,
		    strlen(item_cases[i].body), item_cases[i].items, &why);
		CHECK(item_cases[i].want == NULL ? n == -1 &&
		    strcmp(b.data, "[0") == 0 : n >= 1 &&
		    strcmp(b.data, item_cases[i].want) == 0,
		    "items of '%s' at %s -> %s", item_cases[i].body,
		    item_cases[i].items ? item_cases[i].items : "(body)",
		    n == -1 ? why : b.data);
		buf_free(&b);
	}
	test_loop();
	test_max_pages();
	return unit_done();
}
