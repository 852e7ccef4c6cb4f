/*
 * Pagination (issue 15): one input followed page by page through an API,
 * its pages' items collected into one JSON array.  A page links to the
 * next by a Link header (RFC 8288), by a URL in its JSON body, or by a
 * cursor that goes into a query parameter of the input's URL.
 */
#ifndef GATHER_PAGINATE_H
#define GATHER_PAGINATE_H

#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "buf.h"
#include "result.h"

/* The --max-pages default and bound. */
#define PAGE_MAX_DEFAULT	100
#define PAGE_MAX_LIMIT		100000

enum page_mode {
	PAGE_NONE,	/* no pagination */
	PAGE_LINK,	/* --paginate: Link: <URL>; rel="next" */
	PAGE_NEXT,	/* --next POINTER: a URL in the body */
	PAGE_CURSOR	/* --cursor POINTER --cursor-param NAME */
};

/*
 * How to paginate: the run's (strings lent from argv) or a spec's (the
 * request owns the struct and its strings; page_opts_free frees them).
 */
struct page_opts {
	enum page_mode	 mode;
	int		 mode_set;	/* a spec named its mode (or none) */
	char		*pointer;	/* --next or --cursor POINTER */
	char		*param;		/* --cursor-param NAME */
	char		*items;		/* --items POINTER; NULL: the body */
	long		 max_pages;	/* 0 in a spec: the run's */
};

/* Frees a spec's options and the strings in them; NULL is a no-op. */
void	page_opts_free(struct page_opts *);

/*
 * The target of the first link in a Link header value whose rel names
 * "next" (RFC 8288: links separated by commas, relation types by spaces,
 * compared in any case, the value quoted or not; a link with an anchor
 * is about another resource and is passed over).  Several Link headers
 * are one value joined by ", ".  Allocated; NULL when there is none.
 */
char	*page_link_next(const char *);

/*
 * The URL reference ref resolved against base (RFC 3986, libcurl's doing).
 * Allocated text; NULL when libcurl cannot make a URL of it.
 */
char	*page_resolve(CURLU *, const char *);

/*
 * The URL of u with query parameter name set to value, both encoded:
 * the first parameter of that name is replaced where it stands, later
 * ones are dropped, and with none it is appended.  Allocated.
 */
char	*page_cursor_url(CURLU *, const char *, const char *);

/*
 * Appends the items of one page (the len bytes of JSON at body) to b,
 * which holds "[" and the items so far (n > 0: some): the array at
 * pointer items (null is none), or with items NULL the body itself when it
 * is an array, else the body as one item.  Returns n, more when items
 * were added, or -1 with a static reason in *why and b as it was.
 */
long	page_items_add(struct buf *, long, const char *, size_t,
	    const char *, const char **);

struct pager;

/* 1 when the run's options with a spec's (NULL: none) paginate. */
int	pager_wanted(const struct page_opts *, const struct page_opts *);

/*
 * Why a spec's pagination keys (NULL: none) make no sense under the run's
 * options, as a static string; NULL when they do.
 */
const char	*page_spec_check(const struct page_opts *,
		    const struct page_opts *);

/*
 * A new pager for an input whose first page is first (copied), under the
 * run's options overridden by the spec's (may be NULL; both are lent and
 * must outlive the pager), collecting at most max_body bytes of bodies.
 */
struct pager	*pager_new(const struct page_opts *, const struct page_opts *,
		    int64_t, CURLU *);
void		 pager_free(struct pager *);

enum pager_step {
	PAGER_DONE,	/* the last page: finish the result */
	PAGER_NEXT,	/* fetch the next page */
	PAGER_FAIL	/* the result failed, r says how */
};

/*
 * Takes a page that ended ok: r, fetched from url (the base of relative
 * links), link its Link header or NULL, at monotonic ms now.  Collects
 * its items and finds the next page.  PAGER_NEXT: *next is a new handle
 * for it (the caller's).  PAGER_FAIL: r is made a failure (a body that is
 * not what the options look for, a next URL that is refused or seen
 * before) and lends the pager's message.
 */
enum pager_step	 pager_page(struct pager *, struct result *, CURLU *,
		    const char *, double, CURLU **);

/* A page is fetched again: the attempts of the one before are counted. */
void		 pager_attempts(struct pager *, int);

/*
 * Makes r, the result that ends the input at monotonic ms now, the
 * paginated result: the items collected as its body (unless no page was),
 * the pages, the bytes, the time and the attempts of every page, and on
 * failure the page that failed.  r lends the pager's memory.
 */
void		 pager_result(struct pager *, struct result *, double);

/* How many body bytes the next page may have within --max-body. */
int64_t		 pager_budget(const struct pager *);

/* The page being fetched as output shows it; NULL on the first page. */
const char	*pager_shown(const struct pager *);

/* Its --max-pages. */
long		 pager_max(const struct pager *);

/* What the result was made from: its mode needs Link headers. */
int		 pager_link(const struct pager *);

#endif
