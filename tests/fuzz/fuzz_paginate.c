/*
 * libFuzzer target: pagination's parsers (paginate.c).  The input is split
 * at '\n' into a Link header value, a URL reference, a cursor parameter
 * name and its value, and a base URL (a fixed one when that is missing or
 * refused).  Checks: a next link is the text of some "<...>" in the value;
 * a resolved reference resolves to itself again; the cursor URL's query
 * holds the name exactly once, with the value, both as given.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "buf.h"
#include "paginate.h"
#include "url.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define BASE "http://127.0.0.1:8080/api/v1/items?page=1&q=a%20b&page=2#f"

static void
check_link(const char *value)
{
	struct buf b;
	char *next;

	if ((next = page_link_next(value)) == NULL)
		return;
	buf_init(&b);
	buf_addc(&b, '<');
	buf_adds(&b, next);
	buf_addc(&b, '>');
	if (strchr(next, '>') != NULL || strstr(value, b.data) == NULL)
		abort();
	buf_free(&b);
	free(next);
}

static void
check_resolve(CURLU *base, const char *ref)
{
	char *s, *again;

	if ((s = page_resolve(base, ref)) == NULL)
		return;
	if ((again = page_resolve(base, s)) == NULL || strcmp(s, again) != 0)
		abort();
	free(again);
	free(s);
}

/* 1 when the n bytes at p decode to s. */
static int
decodes_to(const char *p, size_t n, const char *s)
{
	char *dec;
	int len, same;

	/* curl_easy_unescape reads a length of 0 as "up to the NUL". */
	if (n == 0)
		return s[0] == '\0';
	if ((dec = curl_easy_unescape(NULL, p, (int)n, &len)) == NULL)
		abort();
	same = (size_t)len == strlen(s) && memcmp(dec, s, (size_t)len) == 0;
	curl_free(dec);
	return same;
}

static void
check_cursor(CURLU *base, const char *name, const char *value)
{
	CURLU *u;
	char *s, *q = NULL, *p;
	size_t n, k;
	int found = 0;

	s = page_cursor_url(base, name, value);
	if (s == NULL || (u = curl_url()) == NULL ||
	    curl_url_set(u, CURLUPART_URL, s, CURLU_NON_SUPPORT_SCHEME) !=
	    CURLUE_OK ||
	    curl_url_get(u, CURLUPART_QUERY, &q, 0) != CURLUE_OK)
		abort();
	for (p = q; *p != '\0'; p += n + (p[n] == '&')) {
		n = strcspn(p, "&");
		k = strcspn(p, "=&");
		if (n == 0 || !decodes_to(p, k, name))
			continue;
		if (found++ || p[k] != '=' ||
		    !decodes_to(p + k + 1, n - k - 1, value))
			abort();
	}
	if (found != 1)
		abort();
	curl_free(q);
	curl_url_cleanup(u);
	free(s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *part[5] = { "", "", "", "", NULL }, *why;
	char *s, *p;
	CURLU *base;
	size_t i;

	s = xstrndup((const char *)data, size);
	for (i = 0, p = s; i < 5 && p != NULL; i++) {
		part[i] = p;
		if ((p = strchr(p, '\n')) != NULL)
			*p++ = '\0';
	}
	if (part[4] == NULL || (base = url_new(part[4], NULL, &why)) == NULL)
		base = url_new(BASE, NULL, &why);
	if (base == NULL)
		abort();
	check_link(part[0]);
	check_resolve(base, part[1]);
	if (part[2][0] != '\0')
		check_cursor(base, part[2], part[3]);
	url_free(base);
	free(s);
	return 0;
}
