/*
 * libFuzzer target: a fixture file through the codec, as --replay reads
 * one.  Whatever decodes must hold a method, a URL, a status of three
 * digits and header objects, and encode to a document that decodes to
 * the same fixture and encodes to the same bytes again.  The header
 * normaliser gets the same bytes too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
same_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
	if (a == NULL || b == NULL)
		return a == b;
	return alen == blen && memcmp(a, b, alen) == 0;
}

static void
round_trip(const struct fixture *f)
{
	struct fixture again;
	struct buf a, b;
	const char *why;

	buf_init(&a);
	buf_init(&b);
	fixture_encode(f, &a);
	if (fixture_decode(a.data, a.len, f->key, &again, &why) != 0)
		abort();
	if (again.status != f->status || strcmp(again.method, f->method) ||
	    strcmp(again.url, f->url) || strcmp(again.headers, f->headers) ||
	    strcmp(again.req_headers, f->req_headers) ||
	    !same_bytes(again.body, again.body_len, f->body, f->body_len) ||
	    !same_bytes(again.req_body, again.req_body_len, f->req_body,
		f->req_body_len))
		abort();
	fixture_encode(&again, &b);
	if (!same_bytes(a.data, a.len, b.data, b.len))
		abort();
	fixture_clear(&again);
	buf_free(&a);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fixture f;
	const char *why = NULL;
	struct buf h;
	char *text;

	if (fixture_decode((const char *)data, size, NULL, &f, &why) == 0) {
		if (f.method == NULL || f.url == NULL || f.headers == NULL ||
		    f.req_headers == NULL || f.body == NULL || f.status < 100 ||
		    f.status > 999)
			abort();
		round_trip(&f);
		fixture_clear(&f);
	} else if (why == NULL || f.method != NULL)
		abort();
	text = xstrndup((const char *)data, size);
	buf_init(&h);
	(void)fixture_headers(text, FIXTURE_DROP | FIXTURE_REDACT, &h);
	buf_free(&h);
	free(text);
	return 0;
}
