/*
 * The cache entry codec: a round trip, every corruption refused, and a
 * total decoder: any bytes give a valid entry or an error, never a crash.
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

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

/*
 * What every decoded entry must be, whatever bytes it came from: the
 * fields list, rm and conditional requests use are there and sane.
 */
static int
sane(const struct entry *e)
{
	return e->method != NULL && e->method[0] != '\0' &&
	    strpbrk(e->method, " \r\n") == NULL && e->url != NULL &&
	    e->url[0] != '\0' && strpbrk(e->url, " \r\n") == NULL &&
	    e->status >= 100 && e->status <= 999 && e->stored_at >= 0 &&
	    e->expires_at >= e->stored_at &&
	    (e->etag == NULL || strpbrk(e->etag, "\r\n") == NULL) &&
	    (e->last_modified == NULL ||
	    strpbrk(e->last_modified, "\r\n") == NULL);
}

/* Puts the CRC-32 of everything before the last four bytes there. */
static void
reseal(unsigned char *p, size_t len)
{
	uLong crc = crc32(crc32(0L, Z_NULL, 0), p, (uInt)(len - ENTRY_SUM));
	int i;

	for (i = 0; i < 4; i++)
		p[len - ENTRY_SUM + i] = (unsigned char)(crc >> (8 * i));
}

/*
 * Every bit of an encoded entry flipped in turn, checksum fixed up so that
 * the meta is decoded: each copy decodes to a sane entry or is refused.
 * Run under ASan and UBSan, this also shows that none reads out of bounds
 * or shifts too far.
 */
static void
check_flipped_bits(void)
{
	struct entry in, out;
	struct buf b;
	const char *why;
	unsigned char *copy;
	size_t i, insane = 0, refused = 0, tried = 0;
	int bit;

	sample(&in);
	buf_init(&b);
	entry_encode(&in, &b);
	copy = malloc(b.len);
	for (i = 0; i < b.len - ENTRY_SUM; i++)
		for (bit = 0; bit < 8; bit++) {
			memcpy(copy, b.data, b.len);
			copy[i] ^= (unsigned char)(1u << bit);
			reseal(copy, b.len);
			tried++;
			if (entry_decode((char *)copy, b.len, NULL, &out,
			    &why) == 0) {
				insane += !sane(&out);
				entry_clear(&out);
			} else
				refused++;
			if (entry_decode_meta((char *)copy, b.len, &out,
			    &why) == 0) {
				insane += !sane(&out);
				entry_clear(&out);
			}
		}
	CHECK(insane == 0 && refused > 0,
	    "%zu flipped bits: each decodes sane or is refused (%zu refused, "
	    "%zu insane)", tried, refused, insane);
	free(copy);
	buf_free(&b);
}

/* One field of a hand-made meta; NULL bytes: a length and nothing else. */
struct field {
	int		 tag;	/* 0 ends the list; -1 is tag 0 itself */
	size_t		 len;
	const char	*bytes;
};

/* Numbers are 64-bit little-endian. */
#define KEY	{ 1, 32, "0123456789abcdef0123456789abcdef" }
#define METHOD	{ 2, 3, "GET" }
#define URL	{ 3, 15, "http://h.test/x" }
#define STORED	{ 4, 8, "\xe8\x03\0\0\0\0\0\0" }		/* 1000 */
#define EXPIRES	{ 5, 8, "\xd0\x07\0\0\0\0\0\0" }		/* 2000 */
#define STATUS	{ 6, 8, "\xc8\0\0\0\0\0\0\0" }		/* 200 */
#define END	{ 0, 0, NULL }

/* Encodes fields as an entry with an empty body and a right checksum. */
static void
hand_made(const struct field *f, struct buf *b)
{
	unsigned char h[ENTRY_HEAD] = "GTHRCACH", t[5], sum[ENTRY_SUM];
	struct buf meta;
	uLong crc;
	int i;

	buf_init(&meta);
	for (; f->tag != 0; f++) {
		t[0] = (unsigned char)(f->tag == -1 ? 0 : f->tag);
		for (i = 0; i < 4; i++)
			t[1 + i] = (unsigned char)(f->len >> (8 * i));
		buf_add(&meta, t, sizeof(t));
		if (f->bytes != NULL)
			buf_add(&meta, f->bytes, f->len);
	}
	memset(h + 8, 0, sizeof(h) - 8);
	h[8] = ENTRY_VERSION;
	for (i = 0; i < 4; i++)
		h[12 + i] = (unsigned char)(meta.len >> (8 * i));
	buf_reset(b);
	buf_add(b, h, sizeof(h));
	buf_add(b, meta.data, meta.len);
	crc = crc32(crc32(0L, Z_NULL, 0), (const Bytef *)b->data,
	    (uInt)b->len);
	for (i = 0; i < 4; i++)
		sum[i] = (unsigned char)(crc >> (8 * i));
	buf_add(b, sum, sizeof(sum));
	buf_free(&meta);
}

static void
check_hand_made(void)
{
	static const struct {
		const char	*what;
		struct field	 f[10];
		int		 want;	/* 0: decodes, -1: refused */
	} cases[] = {
		{ "every field",
		    { KEY, METHOD, URL, STORED, EXPIRES, STATUS, END }, 0 },
		{ "an unknown tag 40 is skipped",
		    { KEY, METHOD, URL, STORED, EXPIRES, STATUS,
		    { 40, 2, "xy" }, END }, 0 },
		{ "tag 0 is skipped",
		    { { -1, 1, "x" }, KEY, METHOD, URL, STORED, EXPIRES, STATUS,
		    END }, 0 },
		{ "tag 255 is skipped",
		    { KEY, METHOD, URL, STORED, EXPIRES, STATUS,
		    { 255, 0, "" }, END }, 0 },
		{ "missing method",
		    { KEY, URL, STORED, EXPIRES, STATUS, END }, -1 },
		{ "missing method, tag 34 in its place",
		    { KEY, { 34, 3, "GET" }, URL, STORED, EXPIRES, STATUS, END },
		    -1 },
		{ "missing url",
		    { KEY, METHOD, STORED, EXPIRES, STATUS, END }, -1 },
		{ "missing url, tag 35 in its place",
		    { KEY, METHOD, { 35, 15, "http://h.test/x" }, STORED,
		    EXPIRES, STATUS, END }, -1 },
		{ "missing key",
		    { METHOD, URL, STORED, EXPIRES, STATUS, END }, -1 },
		{ "missing status",
		    { KEY, METHOD, URL, STORED, EXPIRES, END }, -1 },
		{ "a method given twice",
		    { KEY, METHOD, METHOD, URL, STORED, EXPIRES, STATUS, END },
		    -1 },
		{ "a status given twice",
		    { KEY, METHOD, URL, STORED, EXPIRES, STATUS, STATUS, END },
		    -1 },
		{ "an empty method",
		    { KEY, { 2, 0, "" }, URL, STORED, EXPIRES, STATUS, END },
		    -1 },
		{ "a method with a space",
		    { KEY, { 2, 3, "G T" }, URL, STORED, EXPIRES, STATUS, END },
		    -1 },
		{ "an empty url",
		    { KEY, METHOD, { 3, 0, "" }, STORED, EXPIRES, STATUS, END },
		    -1 },
		{ "a url with a newline",
		    { KEY, METHOD, { 3, 8, "http://\n" }, STORED, EXPIRES,
		    STATUS, END }, -1 },
		{ "a url with a NUL",
		    { KEY, METHOD, { 3, 8, "http://\0" }, STORED, EXPIRES,
		    STATUS, END }, -1 },
		{ "status 0",
		    { KEY, METHOD, URL, STORED, EXPIRES,
		    { 6, 8, "\0\0\0\0\0\0\0\0" }, END }, -1 },
		{ "status 1000",
		    { KEY, METHOD, URL, STORED, EXPIRES,
		    { 6, 8, "\xe8\x03\0\0\0\0\0\0" }, END }, -1 },
		{ "a negative status",
		    { KEY, METHOD, URL, STORED, EXPIRES,
		    { 6, 8, "\xc8\xff\xff\xff\xff\xff\xff\xff" }, END }, -1 },
		{ "a number of 4 bytes",
		    { KEY, METHOD, URL, STORED, EXPIRES, { 6, 4, "\xc8\0\0\0" },
		    END }, -1 },
		{ "expiring before stored",
		    { KEY, METHOD, URL, { 4, 8, "\xb8\x0b\0\0\0\0\0\0" },
		    EXPIRES, STATUS, END }, -1 },
		{ "stored before the epoch",
		    { KEY, METHOD, URL, { 4, 8, "\0\0\0\0\0\0\0\x80" },
		    EXPIRES, STATUS, END }, -1 },
		{ "an ETag with CR LF",
		    { KEY, METHOD, URL, STORED, EXPIRES, STATUS,
		    { 8, 6, "\"a\"\r\nX" }, END }, -1 },
		{ "a field longer than the meta",
		    { KEY, METHOD, URL, STORED, EXPIRES, STATUS,
		    { 7, 100, NULL }, END }, -1 },
	};
	struct entry e;
	struct buf b;
	const char *why;
	size_t i;
	int rc;

	buf_init(&b);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		hand_made(cases[i].f, &b);
		why = "ok";
		rc = entry_decode(b.data, b.len, NULL, &e, &why);
		CHECK(rc == cases[i].want && (rc == -1 || sane(&e)),
		    "decode: %s (%s)", cases[i].what, why);
		entry_clear(&e);
		why = "ok";
		rc = entry_decode_meta(b.data, b.len, &e, &why);
		CHECK(rc == cases[i].want && (rc == -1 || sane(&e)),
		    "decode_meta: %s (%s)", cases[i].what, why);
		entry_clear(&e);
	}
	buf_free(&b);
}

int
main(void)
{
	check_round_trip();
	check_corruptions();
	check_flipped_bits();
	check_hand_made();
	return unit_done();
}
