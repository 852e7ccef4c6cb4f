/*
 * Entry codec.  The meta is JSON (cJSON), so a later version can add
 * fields; the fixed head and the CRC-32 make torn, truncated or foreign
 * files cheap to refuse.  It does no file I/O.
 */
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
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
entry_crc(const char *p, size_t n)
{
	uLong crc = crc32(0L, Z_NULL, 0);

	while (n > 0) {
		uInt k = n > 1u << 30 ? 1u << 30 : (uInt)n;

		crc = crc32(crc, (const Bytef *)p, k);
		p += k;
		n -= k;
	}
	return (uint64_t)crc;
}

static void
hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static int
unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static void
meta_str(cJSON *o, const char *name, const char *v)
{
	if (v != NULL)
		cJSON_AddStringToObject(o, name, v);
}

void
entry_encode(const struct entry *e, struct buf *b)
{
	unsigned char head[ENTRY_HEAD], sum[ENTRY_SUM];
	char keyhex[2 * CACHE_KEY_LEN + 1], *meta;
	size_t start = b->len, mlen;
	cJSON *o;

	o = cJSON_CreateObject();
	hex(e->key, CACHE_KEY_LEN, keyhex);
	cJSON_AddStringToObject(o, "key", keyhex);
	meta_str(o, "method", e->method);
	meta_str(o, "url", e->url);
	cJSON_AddNumberToObject(o, "stored_at", (double)e->stored_at);
	cJSON_AddNumberToObject(o, "expires_at", (double)e->expires_at);
	cJSON_AddNumberToObject(o, "status", (double)e->status);
	meta_str(o, "content_type", e->content_type);
	meta_str(o, "etag", e->etag);
	meta_str(o, "last_modified", e->last_modified);
	meta_str(o, "cache_control", e->cache_control);
	meta_str(o, "vary", e->vary);
	if ((meta = cJSON_PrintUnformatted(o)) == NULL)
		xalloc_die();
	cJSON_Delete(o);
	mlen = strlen(meta);
	memcpy(head, entry_magic, 8);
	put_le(head + 8, ENTRY_VERSION, 4);
	put_le(head + 12, mlen, 4);
	put_le(head + 16, e->body_len, 8);
	buf_add(b, head, sizeof(head));
	buf_add(b, meta, mlen);
	buf_add(b, e->body, e->body_len);
	cJSON_free(meta);
	put_le(sum, entry_crc(b->data + start, b->len - start), 4);
	buf_add(b, sum, sizeof(sum));
}

static char *
meta_get(const cJSON *o, const char *name, int *bad)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (v == NULL)
		return NULL;
	if (!cJSON_IsString(v)) {
		*bad = 1;
		return NULL;
	}
	return xstrdup(v->valuestring);
}

static int64_t
meta_num(const cJSON *o, const char *name, int *bad)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsNumber(v)) {
		*bad = 1;
		return 0;
	}
	return (int64_t)v->valuedouble;
}

/* Parses the meta at p into e.  Returns 0 or -1. */
static int
entry_meta(const char *p, size_t n, struct entry *e, const char **why)
{
	const cJSON *k;
	cJSON *o;
	size_t i;
	int bad = 0, hi, lo;

	if ((o = cJSON_ParseWithLength(p, n)) == NULL || !cJSON_IsObject(o)) {
		cJSON_Delete(o);
		*why = "bad meta";
		return -1;
	}
	k = cJSON_GetObjectItemCaseSensitive(o, "key");
	if (!cJSON_IsString(k) || strlen(k->valuestring) != 2 * CACHE_KEY_LEN)
		bad = 1;
	else
		for (i = 0; i < CACHE_KEY_LEN && !bad; i++) {
			hi = unhex(k->valuestring[2 * i]);
			lo = unhex(k->valuestring[2 * i + 1]);
			if (hi < 0 || lo < 0)
				bad = 1;
			e->key[i] = (unsigned char)(hi << 4 | lo);
		}
	e->method = meta_get(o, "method", &bad);
	e->url = meta_get(o, "url", &bad);
	e->stored_at = meta_num(o, "stored_at", &bad);
	e->expires_at = meta_num(o, "expires_at", &bad);
	e->status = (long)meta_num(o, "status", &bad);
	e->content_type = meta_get(o, "content_type", &bad);
	e->etag = meta_get(o, "etag", &bad);
	e->last_modified = meta_get(o, "last_modified", &bad);
	e->cache_control = meta_get(o, "cache_control", &bad);
	e->vary = meta_get(o, "vary", &bad);
	cJSON_Delete(o);
	if (bad || e->method == NULL || e->url == NULL) {
		entry_clear(e);
		*why = "bad meta";
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
