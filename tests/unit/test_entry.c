/* The cache entry codec: a round trip, and every corruption refused. */
#include <stdlib.h>
#include <string.h>

#include "entry.h"
#include "unit.h"

static void
sample(struct entry *e)
{
	static char body[] = "{\"a\": [1, 2, 3]}\0binary\xff";

	memset(e, 0, sizeof(*e));
	memset(e->key, 0xab, sizeof(e->key));
	e->key[0] = 0x01;
	e->method = (char *)"GET";
	e->url = (char *)"http://u:p@h.test/x?q=1";
	e->stored_at = 1763780000123LL;
	e->expires_at = 1763780600123LL;
	e->status = 203;
	e->content_type = (char *)"application/json";
	e->etag = (char *)"\"v1\"";
	e->last_modified = NULL;
	e->cache_control = (char *)"max-age=60";
	e->vary = NULL;
	e->body = body;
	e->body_len = sizeof(body) - 1;
}

static int
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void
check_round_trip(void)
{
	struct entry in, out;
	struct buf b;
	const char *why = NULL;

	sample(&in);
	buf_init(&b);
	entry_encode(&in, &b);
	CHECK(entry_decode(b.data, b.len, in.key, &out, &why) == 0 &&
	    memcmp(out.key, in.key, CACHE_KEY_LEN) == 0 &&
	    same_str(out.method, in.method) && same_str(out.url, in.url) &&
	    out.stored_at == in.stored_at && out.expires_at == in.expires_at &&
	    out.status == 203 && same_str(out.content_type, in.content_type) &&
	    same_str(out.etag, in.etag) && out.last_modified == NULL &&
	    same_str(out.cache_control, in.cache_control) &&
	    out.body_len == in.body_len &&
	    memcmp(out.body, in.body, in.body_len) == 0 &&
	    out.body[out.body_len] == '\0',
	    "round trip keeps every field and a binary body (%s)",
	    why ? why : "ok");
	entry_clear(&out);
	CHECK(entry_decode_meta(b.data, b.len - in.body_len - ENTRY_SUM, &out,
	    &why) == 0 &&
	    same_str(out.url, in.url) && out.body == NULL &&
	    out.body_len == in.body_len, "the meta alone decodes from a prefix");
	entry_clear(&out);
	buf_free(&b);
}

static void
check_corruptions(void)
{
	struct entry in, out;
	unsigned char other[CACHE_KEY_LEN];
	struct buf b;
	const char *why;
	char *copy;
	size_t i, bad;

	sample(&in);
	buf_init(&b);
	entry_encode(&in, &b);
	copy = malloc(b.len);

	/* Every single flipped byte, anywhere, is refused. */
	for (i = 0, bad = 0; i < b.len; i++) {
		memcpy(copy, b.data, b.len);
		copy[i] ^= 0x20;
		if (entry_decode(copy, b.len, in.key, &out, &why) == 0) {
			bad++;
			entry_clear(&out);
		}
	}
	CHECK(bad == 0, "each of %zu flipped bytes is refused (%zu slipped)",
	    b.len, bad);

	/* Every truncation is refused. */
	for (i = 0, bad = 0; i < b.len; i++)
		if (entry_decode(b.data, i, in.key, &out, &why) == 0) {
			bad++;
			entry_clear(&out);
		}
	CHECK(bad == 0, "each truncation is refused (%zu slipped)", bad);

	memcpy(copy, b.data, b.len);
	CHECK(entry_decode(copy, 0, in.key, &out, &why) == -1,
	    "an empty file is refused");
	memcpy(copy, "GTHRCACH", 8);
	copy[8] = 1;	/* the old SHA-256 format */
	CHECK(entry_decode(copy, b.len, in.key, &out, &why) == -1 &&
	    strstr(why, "version") != NULL, "another version is refused: %s",
	    why);
	memcpy(copy, "NOTGATHR", 8);
	CHECK(entry_decode(copy, b.len, in.key, &out, &why) == -1 &&
	    strstr(why, "not a gather") != NULL, "foreign magic is refused");
	memset(other, 0, sizeof(other));
	CHECK(entry_decode(b.data, b.len, other, &out, &why) == -1 &&
	    strstr(why, "another key") != NULL,
	    "a valid entry of another key is refused");
	buf_add(&b, "x", 1);
	CHECK(entry_decode(b.data, b.len, in.key, &out, &why) == -1,
	    "trailing garbage is refused");
	free(copy);
	buf_free(&b);
}

int
main(void)
{
	check_round_trip();
	check_corruptions();
	return unit_done();
}
