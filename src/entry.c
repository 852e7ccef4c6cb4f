/*
 * Entry codec.  The meta is a list of tagged fields, so a later version
 * can add some; the fixed head and the CRC-32 make torn, truncated or
 * foreign files cheap to refuse.  It does no file I/O.
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "entry.h"
#include "xalloc.h"

static const char entry_magic[8] = { 'G', 'T', 'H', 'R', 'C', 'A', 'C', 'H' };

void
entry_clear(struct entry *e)
{
	free(e->method);
	free(e->url);
	free(e->content_type);
	free(e->etag);
	free(e->last_modified);
	free(e->cache_control);
	free(e->vary);
	free(e->link);
	free(e->body);
	memset(e, 0, sizeof(*e));
}

static void
put_le(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t
get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/*
 * The checksum: zlib's CRC-32.  It guards against torn and corrupt files,
 * not against an attacker (the folder is ours alone), and costs a small
 * fraction of a SHA-256 over the whole entry.
 */
static uint64_t
entry_crc_more(uLong crc, const char *p, size_t n)
{
	while (n > 0) {
		uInt k = n > 1u << 30 ? 1u << 30 : (uInt)n;

		crc = crc32(crc, (const Bytef *)p, k);
		p += k;
		n -= k;
	}
	return (uint64_t)crc;
}

static uint64_t
entry_crc(const char *p, size_t n)
{
	return entry_crc_more(crc32(0L, Z_NULL, 0), p, n);
}

/*
 * The meta is a list of fields, each a tag byte, a 32-bit length and the
 * bytes; unknown tags are skipped, so a later version can add fields.
 * Numbers are 64-bit little-endian, strings have no NUL.
 */
enum meta_tag {
	META_KEY = 1,
	META_METHOD,
	META_URL,
	META_STORED_AT,
	META_EXPIRES_AT,
	META_STATUS,
	META_CONTENT_TYPE,
	META_ETAG,
	META_LAST_MODIFIED,
	META_CACHE_CONTROL,
	META_VARY,
	META_LINK,	/* the Link header, for --paginate */
	META__END	/* tags from here on: a later version's */
};

/* The fields every entry carries. */
#define META_REQUIRED	(1u << META_KEY | 1u << META_METHOD | \
	1u << META_URL | 1u << META_STORED_AT | 1u << META_EXPIRES_AT | \
	1u << META_STATUS)

static void
meta_put(struct buf *b, enum meta_tag tag, const void *p, size_t n)
{
	unsigned char h[5];

	h[0] = (unsigned char)tag;
	put_le(h + 1, n, 4);
	buf_add(b, h, sizeof(h));
	buf_add(b, p, n);
}

static void
meta_str(struct buf *b, enum meta_tag tag, const char *v)
{
	if (v != NULL)
		meta_put(b, tag, v, strlen(v));
}

static void
meta_num(struct buf *b, enum meta_tag tag, int64_t v)
{
	unsigned char n[8];

	put_le(n, (uint64_t)v, 8);
	meta_put(b, tag, n, sizeof(n));
}

/* Appends e's meta (every field but the body) to meta. */
static void
entry_meta_encode(const struct entry *e, struct buf *meta)
{
	meta_put(meta, META_KEY, e->key, CACHE_KEY_LEN);
	meta_str(meta, META_METHOD, e->method);
	meta_str(meta, META_URL, e->url);
	meta_num(meta, META_STORED_AT, e->stored_at);
	meta_num(meta, META_EXPIRES_AT, e->expires_at);
	meta_num(meta, META_STATUS, e->status);
	meta_str(meta, META_CONTENT_TYPE, e->content_type);
	meta_str(meta, META_ETAG, e->etag);
	meta_str(meta, META_LAST_MODIFIED, e->last_modified);
	meta_str(meta, META_CACHE_CONTROL, e->cache_control);
	meta_str(meta, META_VARY, e->vary);
	meta_str(meta, META_LINK, e->link);
}

/* Fills the fixed head of an entry whose meta is mlen bytes. */
static void
entry_head_encode(const struct entry *e, size_t mlen,
    unsigned char head[ENTRY_HEAD])
{
	memcpy(head, entry_magic, 8);
	put_le(head + 8, ENTRY_VERSION, 4);
	put_le(head + 12, mlen, 4);
	put_le(head + 16, e->body_len, 8);
}

void
entry_encode(const struct entry *e, struct buf *b)
{
	unsigned char head[ENTRY_HEAD], sum[ENTRY_SUM];
	size_t start = b->len;
	struct buf meta;

	buf_init(&meta);
	entry_meta_encode(e, &meta);
	entry_head_encode(e, meta.len, head);
	buf_add(b, head, sizeof(head));
	buf_add(b, meta.data, meta.len);
	buf_add(b, e->body, e->body_len);
	buf_free(&meta);
	put_le(sum, entry_crc(b->data + start, b->len - start), 4);
	buf_add(b, sum, sizeof(sum));
}

uint32_t
entry_sum(const struct entry *e)
{
	unsigned char head[ENTRY_HEAD];
	struct buf meta;
	uLong crc;

	buf_init(&meta);
	entry_meta_encode(e, &meta);
	entry_head_encode(e, meta.len, head);
	crc = crc32(0L, head, sizeof(head));
	crc = crc32(crc, (const Bytef *)meta.data, (uInt)meta.len);
	buf_free(&meta);
	return (uint32_t)entry_crc_more(crc, e->body, e->body_len);
}

/* A string field: no NUL inside, and not given twice. */
static int
meta_string(char **dst, const unsigned char *v, size_t n)
{
	if (*dst != NULL || memchr(v, '\0', n) != NULL)
		return -1;
	*dst = xstrndup((const char *)v, n);
	return 0;
}

static int
meta_field(struct entry *e, unsigned tag, const unsigned char *v, size_t n,
    unsigned *seen)
{
	/* Tag 0 and tags past ours are skipped; any known tag comes once. */
	if (tag == 0 || tag >= META__END)
		return 0;
	if (*seen & 1u << tag)
		return -1;
	*seen |= 1u << tag;
	switch (tag) {
	case META_KEY:
		if (n != CACHE_KEY_LEN)
			return -1;
		memcpy(e->key, v, n);
		return 0;
	case META_METHOD:
		return meta_string(&e->method, v, n);
	case META_URL:
		return meta_string(&e->url, v, n);
	case META_STORED_AT:
	case META_EXPIRES_AT:
	case META_STATUS:
		if (n != 8)
			return -1;
		if (tag == META_STORED_AT)
			e->stored_at = (int64_t)get_le(v, 8);
		else if (tag == META_EXPIRES_AT)
			e->expires_at = (int64_t)get_le(v, 8);
		else
			e->status = (long)(int64_t)get_le(v, 8);
		return 0;
	case META_CONTENT_TYPE:
		return meta_string(&e->content_type, v, n);
	case META_ETAG:
		return meta_string(&e->etag, v, n);
	case META_LAST_MODIFIED:
		return meta_string(&e->last_modified, v, n);
	case META_CACHE_CONTROL:
		return meta_string(&e->cache_control, v, n);
	case META_VARY:
		return meta_string(&e->vary, v, n);
	case META_LINK:
		return meta_string(&e->link, v, n);
	default:
		return 0;
	}
}

/* A method is an HTTP token (RFC 9110 section 5.6.2) of at most 32 bytes. */
static int
valid_method(const char *m)
{
	static const char tchar[] = "!#$%&'*+-.^_`|~";
	size_t i;

	for (i = 0; m[i] != '\0'; i++)
		if (i >= 32 || !((m[i] >= 'a' && m[i] <= 'z') ||
		    (m[i] >= 'A' && m[i] <= 'Z') || (m[i] >= '0' &&
		    m[i] <= '9') || strchr(tchar, m[i]) != NULL))
			return 0;
	return i > 0;
}

/* No control character, no space: what a normalised URL never holds. */
static int
valid_url(const char *u)
{
	size_t i;

	for (i = 0; u[i] != '\0'; i++)
		if ((unsigned char)u[i] <= ' ' || u[i] == 0x7f)
			return 0;
	return i > 0;
}

/*
 * A header value goes back out in a conditional request: a CR or a LF in
 * it would forge headers.
 */
static int
valid_value(const char *v)
{
	return v == NULL || strpbrk(v, "\r\n") == NULL;
}

int
entry_validate(const struct entry *e, const char **why)
{
	if (e->method == NULL || !valid_method(e->method))
		*why = "bad method";
	else if (e->url == NULL || !valid_url(e->url))
		*why = "bad url";
	else if (e->status < 100 || e->status > 999)
		*why = "bad status";
	else if (e->stored_at < 0 || e->expires_at < e->stored_at)
		*why = "bad times";
	else if (!valid_value(e->content_type) || !valid_value(e->etag) ||
	    !valid_value(e->last_modified) || !valid_value(e->cache_control) ||
	    !valid_value(e->vary) || !valid_value(e->link))
		*why = "bad header value";
	else
		return 0;
	return -1;
}

/* Checks every field a decoded meta gave; returns 0 or -1 with *why. */
static int
entry_check(const struct entry *e, unsigned seen, const char **why)
{
	if ((seen & META_REQUIRED) != META_REQUIRED) {
		*why = "meta lacks a field";
		return -1;
	}
	return entry_validate(e, why);
}

/*
 * Parses the meta of n bytes at p into e and checks it.  Returns 0, or -1
 * with e clear.
 */
static int
entry_meta(const char *p, size_t n, struct entry *e, const char **why)
{
	const unsigned char *u = (const unsigned char *)p;
	unsigned seen = 0;
	size_t off = 0, len;

	while (off < n) {
		if (n - off < 5 || (len = (size_t)get_le(u + off + 1, 4)) >
		    n - off - 5 || meta_field(e, u[off], u + off + 5, len,
		    &seen) == -1) {
			entry_clear(e);
			*why = "bad meta";
			return -1;
		}
		off += 5 + len;
	}
	if (entry_check(e, seen, why) == -1) {
		entry_clear(e);
		return -1;
	}
	return 0;
}

/* Checks the fixed head; fills the two lengths. */
static int
entry_head(const unsigned char *p, size_t len, uint64_t *mlen, uint64_t *blen,
    const char **why)
{
	if (len < ENTRY_HEAD) {
		*why = "truncated";
		return -1;
	}
	if (memcmp(p, entry_magic, 8) != 0) {
		*why = "not a gather cache entry";
		return -1;
	}
	if (get_le(p + 8, 4) != ENTRY_VERSION) {
		*why = "unknown version";
		return -1;
	}
	*mlen = get_le(p + 12, 4);
	*blen = get_le(p + 16, 8);
	return 0;
}

int
entry_decode_meta(const char *p, size_t len, struct entry *e,
    const char **why)
{
	uint64_t mlen, blen;

	memset(e, 0, sizeof(*e));
	if (entry_head((const unsigned char *)p, len, &mlen, &blen, why) == -1)
		return -1;
	if (mlen > len - ENTRY_HEAD) {
		*why = "truncated";
		return -1;
	}
	if (entry_meta(p + ENTRY_HEAD, (size_t)mlen, e, why) == -1)
		return -1;
	e->body_len = (size_t)blen;
	return 0;
}

int
entry_decode(const char *p, size_t len, const unsigned char *want_key,
    struct entry *e, const char **why)
{
	const unsigned char *u = (const unsigned char *)p;
	uint64_t mlen, blen;

	memset(e, 0, sizeof(*e));
	if (entry_head(u, len, &mlen, &blen, why) == -1)
		return -1;
	/* Lengths first, so that no sum of them can overflow. */
	if (len < ENTRY_HEAD + ENTRY_SUM || mlen > len || blen > len ||
	    ENTRY_HEAD + mlen + blen + ENTRY_SUM != len) {
		*why = "truncated or overlong";
		return -1;
	}
	if (entry_crc(p, len - ENTRY_SUM) != get_le(u + len - ENTRY_SUM, 4)) {
		*why = "checksum mismatch";
		return -1;
	}
	if (entry_meta(p + ENTRY_HEAD, (size_t)mlen, e, why) == -1)
		return -1;
	if (want_key != NULL && memcmp(e->key, want_key, CACHE_KEY_LEN) != 0) {
		entry_clear(e);
		*why = "entry of another key";
		return -1;
	}
	e->body_len = (size_t)blen;
	e->body = xmalloc(e->body_len + 1);
	memcpy(e->body, p + ENTRY_HEAD + mlen, e->body_len);
	e->body[e->body_len] = '\0';
	return 0;
}
