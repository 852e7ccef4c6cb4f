/*
 * JSON text helpers: escaping into our own buffer, a strict UTF-8 check,
 * base64, and the one-pass check-and-compact of a JSON body.  Trees, where
 * they are needed (--select, --merge), are cJSON's.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* 1 when the 8 bytes in v are all ASCII and none is NUL. */
static int
ascii8(uint64_t v)
{
	const uint64_t lo = 0x0101010101010101ULL, hi = 0x8080808080808080ULL;

	return (v & hi) == 0 && ((v - lo) & ~v & hi) == 0;
}

int
utf8_valid(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	uint64_t v;
	size_t i = 0, k;

	while (i < n) {
		/* Plain ASCII is the common case: eight bytes at a time. */
		if (i + 8 <= n) {
			memcpy(&v, s + i, 8);
			if (ascii8(v)) {
				i += 8;
				continue;
			}
		}
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

/*
 * A strict RFC 8259 scanner that checks a body and drops its whitespace in
 * one pass, with no allocation: cJSON would build a tree only to throw it
 * away.  Text is not copied token by token: the span since the last
 * whitespace is copied when whitespace comes, so a compact body is copied
 * once.  Recursion is bounded by JSON_DEPTH_MAX.
 */
#define JSON_DEPTH_MAX 512

struct jscan {
	const unsigned char	*p, *end;
	const unsigned char	*from;	/* start of what is not copied yet */
	char			*o;	/* where it goes; NULL: nowhere */
	int			 depth;
};

static int jscan_value(struct jscan *);

static void
jscan_ws(struct jscan *s)
{
	if (s->p >= s->end || (*s->p != ' ' && *s->p != '\n' &&
	    *s->p != '\r' && *s->p != '\t'))
		return;
	if (s->o != NULL) {
		memcpy(s->o, s->from, (size_t)(s->p - s->from));
		s->o += s->p - s->from;
	}
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' ||
	    *s->p == '\r' || *s->p == '\t'))
		s->p++;
	s->from = s->p;
}

static int
jscan_lit(struct jscan *s, const char *lit, size_t n)
{
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, lit, n) != 0)
		return -1;
	s->p += n;
	return 0;
}

/*
 * 1 when none of the 8 bytes at p ends or escapes a string or is a
 * control character: no '"', no '\\', nothing below 0x20.
 */
static int
plain8(const unsigned char *p)
{
	const uint64_t lo = 0x0101010101010101ULL, hi = 0x8080808080808080ULL;
	uint64_t v, q, b, c;

	memcpy(&v, p, 8);
	q = v ^ (lo * '"');
	b = v ^ (lo * '\\');
	/* Bytes below 0x20, or equal to '"' or '\\', show as zero bytes. */
	c = (v & ~hi) + (lo * (0x80 - 0x20));
	c = ~(c | v) & hi;
	return (((q - lo) & ~q & hi) | ((b - lo) & ~b & hi) | c) == 0;
}

static int
jscan_string(struct jscan *s)
{
	int i;

	if (s->p >= s->end || *s->p != '"')
		return -1;
	for (s->p++; s->p < s->end && *s->p != '"'; s->p++) {
		/* Runs of plain characters, the bulk of a string, go fast. */
		while (s->p + 8 <= s->end && plain8(s->p))
			s->p += 8;
		if (s->p >= s->end || *s->p == '"')
			break;
		if (*s->p < 0x20)
			return -1;
		if (*s->p != '\\')
			continue;
		if (++s->p >= s->end)
			return -1;
		if (*s->p == 'u') {
			for (i = 0; i < 4; i++)
				if (++s->p >= s->end || !isxdigit(*s->p))
					return -1;
		} else if (*s->p == 0 || strchr("\"\\/bfnrt", *s->p) == NULL)
			return -1;
	}
	if (s->p >= s->end)
		return -1;
	s->p++;
	return 0;
}

static int
jscan_digits(struct jscan *s)
{
	const unsigned char *d = s->p;

	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > d ? 0 : -1;
}

static int
jscan_number(struct jscan *s)
{
	if (s->p < s->end && *s->p == '-')
		s->p++;
	if (s->p < s->end && *s->p == '0')
		s->p++;
	else if (jscan_digits(s) == -1)
		return -1;
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (jscan_digits(s) == -1)
			return -1;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (jscan_digits(s) == -1)
			return -1;
	}
	return 0;
}

/* An object or an array: its members, with keys for an object. */
static int
jscan_container(struct jscan *s, char close)
{
	if (++s->depth > JSON_DEPTH_MAX)
		return -1;
	s->p++;
	jscan_ws(s);
	if (s->p < s->end && *s->p == close) {
		s->p++;
		s->depth--;
		return 0;
	}
	for (;;) {
		if (close == '}') {
			if (jscan_string(s) == -1)
				return -1;
			jscan_ws(s);
			if (s->p >= s->end || *s->p != ':')
				return -1;
			s->p++;
			jscan_ws(s);
		}
		if (jscan_value(s) == -1)
			return -1;
		jscan_ws(s);
		if (s->p >= s->end)
			return -1;
		if (*s->p == close)
			break;
		if (*s->p != ',')
			return -1;
		s->p++;
		jscan_ws(s);
	}
	s->p++;
	s->depth--;
	return 0;
}

static int
jscan_value(struct jscan *s)
{
	if (s->p >= s->end)
		return -1;
	switch (*s->p) {
	case '{':
		return jscan_container(s, '}');
	case '[':
		return jscan_container(s, ']');
	case '"':
		return jscan_string(s);
	case 't':
		return jscan_lit(s, "true", 4);
	case 'f':
		return jscan_lit(s, "false", 5);
	case 'n':
		return jscan_lit(s, "null", 4);
	default:
		return jscan_number(s);
	}
}

static void
jscan_init(struct jscan *s, const char *text, size_t len, char *o)
{
	s->p = s->from = (const unsigned char *)text;
	s->end = s->p + len;
	s->o = o;
	s->depth = 0;
}

int
json_embed(struct buf *b, const char *body, size_t len)
{
	struct jscan s;

	buf_reserve(b, len);
	jscan_init(&s, body, len, b->data + b->len);
	jscan_ws(&s);
	if (jscan_value(&s) == -1)
		goto bad;
	jscan_ws(&s);
	if (s.p != s.end)
		goto bad;
	memcpy(s.o, s.from, (size_t)(s.p - s.from));
	s.o += s.p - s.from;
	b->len = (size_t)(s.o - b->data);
	b->data[b->len] = '\0';
	return 0;
bad:
	b->data[b->len] = '\0';
	return -1;
}

int
json_member(const char *text, size_t len, const char *key, struct buf *b)
{
	const unsigned char *k, *v;
	size_t klen = strlen(key);
	struct jscan s;

	jscan_init(&s, text, len, NULL);
	s.depth = 1;
	jscan_ws(&s);
	if (s.p >= s.end || *s.p++ != '{')
		return -1;
	for (;;) {
		jscan_ws(&s);
		k = s.p;
		if (jscan_string(&s) == -1)
			return -1;
		jscan_ws(&s);
		if (s.p >= s.end || *s.p++ != ':')
			return -1;
		jscan_ws(&s);
		v = s.p;
		if (jscan_value(&s) == -1)
			return -1;
		if ((size_t)(s.p - v) > 0 && (size_t)(v - k) >= klen + 2 &&
		    k[0] == '"' && memcmp(k + 1, key, klen) == 0 &&
		    k[klen + 1] == '"')
			return json_embed(b, (const char *)v,
			    (size_t)(s.p - v));
		jscan_ws(&s);
		if (s.p >= s.end || *s.p++ != ',')
			return -1;
	}
}

/* Appends code point cp to the n bytes at o (room for 4); returns n. */
static size_t
utf8_put(unsigned long cp, unsigned char *o)
{
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xc0 | cp >> 6);
		o[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xe0 | cp >> 12);
		o[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (unsigned char)(0xf0 | cp >> 18);
	o[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * 1 when the JSON string from k to kend (quotes included, already checked)
 * decodes to the n bytes at want.
 */
static int
jkey_eq(const unsigned char *k, const unsigned char *kend, const char *want,
    size_t n)
{
	const unsigned char *w = (const unsigned char *)want;
	unsigned char u[4];
	unsigned long cp, lo;
	size_t i, m;

	for (k++, kend--; k < kend; ) {
		if (*k != '\\') {
			if (n == 0 || *k != *w)
				return 0;
			k++, w++, n--;
			continue;
		}
		k++;
		if (*k != 'u') {
			u[0] = *k == 'b' ? '\b' : *k == 'f' ? '\f' : *k == 'n' ?
			    '\n' : *k == 'r' ? '\r' : *k == 't' ? '\t' : *k;
			m = 1;
			k++;
		} else {
			cp = strtoul((const char[5]){ (char)k[1], (char)k[2],
			    (char)k[3], (char)k[4], 0 }, NULL, 16);
			k += 5;
			if (cp >= 0xd800 && cp < 0xdc00 && kend - k >= 6 &&
			    k[0] == '\\' && k[1] == 'u') {
				lo = strtoul((const char[5]){ (char)k[2],
				    (char)k[3], (char)k[4], (char)k[5], 0 },
				    NULL, 16);
				if (lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					    (lo - 0xdc00);
					k += 6;
				}
			}
			m = utf8_put(cp, u);
		}
		if (n < m)
			return 0;
		for (i = 0; i < m; i++)
			if (w[i] != u[i])
				return 0;
		w += m;
		n -= m;
	}
	return n == 0;
}

/* Moves s into the member or element named by the token t of n bytes. */
static int
jscan_step(struct jscan *s, const char *t, size_t n)
{
	const unsigned char *k, *kend;
	char close;
	size_t i, want = 0;

	if (s->p >= s->end || (*s->p != '{' && *s->p != '['))
		return -1;
	close = *s->p == '{' ? '}' : ']';
	if (close == ']') {
		if (n == 0 || n > 9 || (t[0] == '0' && n > 1))
			return -1;
		for (i = 0; i < n; i++) {
			if (t[i] < '0' || t[i] > '9')
				return -1;
			want = want * 10 + (size_t)(t[i] - '0');
		}
	}
	s->p++;
	jscan_ws(s);
	for (i = 0; s->p < s->end && *s->p != close; i++) {
		if (close == '}') {
			k = s->p;
			jscan_string(s);
			kend = s->p;
			jscan_ws(s);
			s->p++;		/* the ':' */
			jscan_ws(s);
			if (jkey_eq(k, kend, t, n))
				return 0;
		} else if (i == want)
			return 0;
		jscan_value(s);
		jscan_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			jscan_ws(s);
		}
	}
	return -1;
}

int
json_pointer(const char *body, size_t len, const char *ptr, struct buf *b)
{
	struct jscan s;
	const unsigned char *v;
	char tok[1024];
	size_t n;

	/* The whole body is checked first; the walk then trusts it. */
	jscan_init(&s, body, len, NULL);
	jscan_ws(&s);
	if (jscan_value(&s) == -1)
		return -1;
	jscan_ws(&s);
	if (s.p != s.end)
		return -1;
	jscan_init(&s, body, len, NULL);
	jscan_ws(&s);
	while (*ptr == '/') {
		ptr++;
		for (n = 0; *ptr != '\0' && *ptr != '/' && n < sizeof(tok);
		    ptr++) {
			if (*ptr == '~' && ptr[1] != '0' && ptr[1] != '1')
				return 1;	/* not a pointer: names nothing */
			if (*ptr == '~')
				tok[n++] = *++ptr == '0' ? '~' : '/';
			else
				tok[n++] = *ptr;
		}
		if (n == sizeof(tok) || jscan_step(&s, tok, n) == -1)
			return 1;
	}
	v = s.p;
	jscan_value(&s);
	return json_embed(b, (const char *)v, (size_t)(s.p - v)) == 0 ? 0 : 1;
}
