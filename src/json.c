/*
 * JSON text helpers.  cJSON validates bodies and strips their whitespace;
 * what is here is only what cJSON does not offer: escaping into our own
 * buffer, a strict UTF-8 check, and base64.
 */
#include <stdint.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "json.h"

/*
 * Length of the valid UTF-8 sequence at s (at most n bytes), or 0 when
 * the bytes there are not one (overlong forms and surrogates included).
 */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

int
utf8_valid(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, k;

	while (i < n) {
		/* Plain ASCII is the common case: skip it fast. */
		if (s[i] >= 0x01 && s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] == 0 || (k = utf8_seq(s + i, n - i)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

void
json_str(struct buf *b, const char *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, run, k;

	buf_reserve(b, n + 2);
	buf_addc(b, '"');
	while (i < n) {
		/* Copy the longest run that needs no escaping in one go. */
		for (run = i; run < n && s[run] >= 0x20 && s[run] < 0x80 &&
		    s[run] != '"' && s[run] != '\\'; run++)
			;
		buf_add(b, s + i, run - i);
		if ((i = run) >= n)
			break;
		if (s[i] >= 0x80) {
			if ((k = utf8_seq(s + i, n - i)) == 0) {
				buf_adds(b, "\\ufffd");
				k = 1;
			} else
				buf_add(b, s + i, k);
			i += k;
			continue;
		}
		buf_addc(b, '\\');
		switch (s[i]) {
		case '"':
		case '\\':
			buf_addc(b, (char)s[i]);
			break;
		case '\n':
			buf_addc(b, 'n');
			break;
		case '\r':
			buf_addc(b, 'r');
			break;
		case '\t':
			buf_addc(b, 't');
			break;
		default:
			buf_adds(b, "u00");
			buf_addc(b, hex[s[i] >> 4]);
			buf_addc(b, hex[s[i] & 0xf]);
			break;
		}
		i++;
	}
	buf_addc(b, '"');
}

void
json_strz(struct buf *b, const char *s)
{
	json_str(b, s, strlen(s));
}

void
base64_add(struct buf *b, const void *p, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = p;
	char *o;
	uint32_t v;
	size_t i;

	buf_reserve(b, (n + 2) / 3 * 4);
	o = b->data + b->len;
	for (i = 0; i + 2 < n; i += 3) {
		v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = tab[(v >> 6) & 63];
		*o++ = tab[v & 63];
	}
	if (i < n) {
		v = (uint32_t)s[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)s[i + 1] << 8;
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	b->len = (size_t)(o - b->data);
	b->data[b->len] = '\0';
}

int
json_embed(struct buf *b, const char *body, size_t len)
{
	const char *end = NULL;
	size_t mark = b->len, i, n;
	cJSON *tree;
	char *text;

	tree = cJSON_ParseWithLengthOpts(body, len + 1, &end, 1);
	if (tree == NULL)
		return -1;
	/* Copied, then stripped of whitespace where it lies: no re-printing. */
	buf_add(b, body, len);
	cJSON_Minify(b->data + mark);
	n = strlen(b->data + mark);
	b->len = mark + n;
	/*
	 * cJSON accepts raw control characters inside strings, which JSON
	 * does not; only then is the tree printed anew, escaping them.
	 */
	for (i = mark; i < b->len; i++)
		if ((unsigned char)b->data[i] < 0x20)
			break;
	if (i < b->len) {
		b->len = mark;
		text = cJSON_PrintUnformatted(tree);
		buf_adds(b, text);
		cJSON_free(text);
	}
	cJSON_Delete(tree);
	return 0;
}
