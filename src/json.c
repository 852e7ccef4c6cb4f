/*
 * JSON text helpers: escaping into our own buffer, a strict UTF-8 check,
 * base64, and the one-pass check-and-compact of a JSON body.  Trees, where
 * they are needed (--select, --merge), are cJSON's.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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

/*
 * json_str, or with strict json_text: -1 at the first byte that is not
 * UTF-8 text (a NUL included), b as it was.
 */
static int
json_string_of(struct buf *b, const char *p, size_t n, int strict)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, run, k, mark = b->len;

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
		if (strict && (s[i] == 0 || (s[i] >= 0x80 &&
		    utf8_seq(s + i, n - i) == 0))) {
			b->len = mark;
			b->data[mark] = '\0';
			return -1;
		}
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
	return 0;
}

void
json_str(struct buf *b, const char *p, size_t n)
{
	json_string_of(b, p, n, 0);
}

int
json_text(struct buf *b, const char *p, size_t n)
{
	return json_string_of(b, p, n, 1);
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
 * away.  It is one loop over local pointers with an explicit stack, not a
 * recursive descent: stores through the output pointer could alias
 * anything reached through a pointer, and would make the compiler reload
 * it.  Text is not copied token by token: the span since the last blank
 * is copied when a blank comes, so a compact body is copied once.
 */
#define JSON_DEPTH_MAX 512

/*
 * Bit i is set when byte i of the 16 (SSE2) or 8 at p ends or escapes a
 * string, is a control character, or starts a UTF-8 sequence: a '"', a
 * '\\', anything below 0x20 or above 0x7f.  Zero: all plain ASCII.
 */
#ifdef __SSE2__
#define SPAN	16

static unsigned
special(const unsigned char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i q = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
	__m128i b = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
	/* Signed: bytes above 0x7f are negative, so below 0x20 too. */
	__m128i c = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));

	return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(q, b),
	    c));
}
#else
#define SPAN	8

static unsigned
special(const unsigned char *p)
{
	unsigned bits = 0;
	int i;

	for (i = 0; i < 8; i++)
		if (p[i] == '"' || p[i] == '\\' || p[i] < 0x20 || p[i] > 0x7f)
			bits |= 1u << i;
	return bits;
}
#endif

static int
is_blank(unsigned char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* Where the blanks at p end. */
static const unsigned char *
jblanks(const unsigned char *p, const unsigned char *end)
{
	while (p < end && is_blank(*p))
		p++;
	return p;
}

/*
 * Skips the blanks at *p.  With an output, the text since *from goes out
 * first, and *from moves past the blanks.
 */
static inline __attribute__((always_inline)) void
jskip(const unsigned char **p, const unsigned char *end,
    const unsigned char **from, unsigned char **o)
{
	size_t n;

	if (*p >= end || **p > ' ' || !is_blank(**p))
		return;
	if (*o != NULL) {
		n = (size_t)(*p - *from);
#ifdef __SSE2__
		/*
		 * Most spans between blanks are short: a few unaligned moves.
		 * The output trails the input, so what is read fits there.
		 */
		if (n <= 64 && end - *from >= 64)
			for (size_t i = 0; i < n; i += 16)
				_mm_storeu_si128((__m128i *)(void *)(*o + i),
				    _mm_loadu_si128((const __m128i *)
				    (const void *)(*from + i)));
		else
#endif
			memcpy(*o, *from, n);
		*o += n;
	}
	/* The blank at *p is known; most runs are that one blank. */
	*p = *from = jblanks(*p + 1, end);
}

/* The value of the four hex digits at p (there are four bytes), or -1. */
static long
hex4(const unsigned char *p)
{
	long v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		if (!isxdigit(p[i]))
			return -1;
		v = v * 16 + (isdigit(p[i]) ? p[i] - '0' : (p[i] | 0x20) - 'a' +
		    10);
	}
	return v;
}

/*
 * Where the escape "\uXXXX" whose 'u' is at p ends, or NULL: not four hex
 * digits, or a UTF-16 surrogate that is not half of a high-low pair.  The
 * JSON grammar allows a lone surrogate, but it spells no Unicode text:
 * cJSON (--merge) and other strict readers refuse it, so a body holding
 * one is no JSON value to embed.
 */
static const unsigned char *
jescape_u(const unsigned char *p, const unsigned char *end)
{
	long hi, lo;

	if (end - p < 5 || (hi = hex4(p + 1)) == -1)
		return NULL;
	p += 5;
	if (hi < 0xd800 || hi > 0xdfff)
		return p;
	if (hi >= 0xdc00 || end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
	    (lo = hex4(p + 2)) < 0xdc00 || lo > 0xdfff)
		return NULL;
	return p + 6;
}

/*
 * Where the string at p (its opening quote) ends, or NULL: not one.
 * Inlined: a call costs as much as scanning a short key.
 */
static inline __attribute__((always_inline)) const unsigned char *
jstring(const unsigned char *p, const unsigned char *end)
{
	unsigned bits;
	size_t k;

	if (p >= end || *p != '"')
		return NULL;
	for (p++;;) {
		/* Runs of plain ASCII, the bulk of a string, go fast. */
		while (end - p >= SPAN) {
			if ((bits = special(p)) != 0) {
				p += __builtin_ctz(bits);
				break;
			}
			p += SPAN;
		}
		if (p >= end)
			return NULL;
		if (*p == '"')
			return p + 1;
		if (*p >= 0x80) {
			if ((k = utf8_seq(p, (size_t)(end - p))) == 0)
				return NULL;
			p += k;
			continue;
		}
		if (*p < 0x20)
			return NULL;
		if (*p++ != '\\')
			continue;
		if (p >= end)
			return NULL;
		if (*p == 'u') {
			if ((p = jescape_u(p, end)) == NULL)
				return NULL;
			continue;
		}
		if (*p == 0 || strchr("\"\\/bfnrt", *p) == NULL)
			return NULL;
		p++;
	}
}

static const unsigned char *
jdigits(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *d = p;

	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p > d ? p : NULL;
}

static const unsigned char *
jnumber(const unsigned char *p, const unsigned char *end)
{
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if ((p = jdigits(p, end)) == NULL)
		return NULL;
	if (p < end && *p == '.' && (p = jdigits(p + 1, end)) == NULL)
		return NULL;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if ((p = jdigits(p, end)) == NULL)
			return NULL;
	}
	return p;
}

static const unsigned char *
jliteral(const unsigned char *p, const unsigned char *end, const char *lit,
    size_t n)
{
	if ((size_t)(end - p) < n || memcmp(p, lit, n) != 0)
		return NULL;
	return p + n;
}

/*
 * Scans the one value at p (no blank before it) and returns where it
 * ends, or NULL when it is not one.  With o non-NULL, the value's text
 * without blanks is written at *o, which moves past it; the room needed
 * is at most the length of the input from p to end.
 */
static const unsigned char *
jvalue(const unsigned char *p, const unsigned char *end, unsigned char **o)
{
	unsigned char close[JSON_DEPTH_MAX];	/* '}' or ']' per level */
	const unsigned char *from = p;
	unsigned char *out = o != NULL ? *o : NULL;
	int depth = 0, key = 0;

	for (;;) {
		if (key) {
			if ((p = jstring(p, end)) == NULL)
				return NULL;
			jskip(&p, end, &from, &out);
			if (p >= end || *p++ != ':')
				return NULL;
			jskip(&p, end, &from, &out);
		}
		if (p >= end)
			return NULL;
		switch (*p) {
		case '{':
		case '[':
			if (depth == JSON_DEPTH_MAX)
				return NULL;
			close[depth++] = *p == '{' ? '}' : ']';
			p++;
			jskip(&p, end, &from, &out);
			if (p >= end || *p != close[depth - 1]) {
				key = close[depth - 1] == '}';
				continue;	/* to its first member */
			}
			p++;
			depth--;
			break;
		case '"':
			p = jstring(p, end);
			break;
		case 't':
			p = jliteral(p, end, "true", 4);
			break;
		case 'f':
			p = jliteral(p, end, "false", 5);
			break;
		case 'n':
			p = jliteral(p, end, "null", 4);
			break;
		default:
			p = jnumber(p, end);
			break;
		}
		if (p == NULL)
			return NULL;
		/* After a value: the next member, or the end of containers. */
		for (;;) {
			if (depth == 0)
				goto done;
			jskip(&p, end, &from, &out);
			if (p >= end)
				return NULL;
			if (*p == ',') {
				p++;
				jskip(&p, end, &from, &out);
				key = close[depth - 1] == '}';
				break;
			}
			if (*p != close[depth - 1])
				return NULL;
			p++;
			depth--;
		}
	}
done:
	if (out != NULL) {
		memcpy(out, from, (size_t)(p - from));
		*o = out + (p - from);
	}
	return p;
}

/*
 * Appends the compact text of the value at p (no blank before it) to b
 * and returns where the value ends; or NULL, b as it was, when it is not
 * one.  One pass: checked and copied together.
 */
static const unsigned char *
jappend(struct buf *b, const unsigned char *p, const unsigned char *end)
{
	unsigned char *o;

	buf_reserve(b, (size_t)(end - p));
	o = (unsigned char *)b->data + b->len;
	if ((p = jvalue(p, end, &o)) != NULL)
		b->len = (size_t)((char *)o - b->data);
	b->data[b->len] = '\0';
	return p;
}

int
json_embed(struct buf *b, const char *body, size_t len)
{
	const unsigned char *p = (const unsigned char *)body;
	const unsigned char *end = p + len;
	size_t mark = b->len;

	if ((p = jappend(b, jblanks(p, end), end)) == NULL ||
	    jblanks(p, end) != end) {
		b->len = mark;
		b->data[mark] = '\0';
		return -1;
	}
	return 0;
}

const char *
json_value_span(const char *text, const char *end, const char **start)
{
	const unsigned char *p, *e = (const unsigned char *)end;

	p = jblanks((const unsigned char *)text, e);
	*start = (const char *)p;
	return (const char *)jvalue(p, e, NULL);
}

size_t
json_string_len(const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text, *e;

	return (e = jstring(p, p + len)) != NULL ? (size_t)(e - p) : 0;
}

int
json_member(const char *text, size_t len, const char *key, struct buf *b)
{
	const unsigned char *p = (const unsigned char *)text;
	const unsigned char *end = p + len, *k, *kend, *v;
	size_t klen = strlen(key);

	p = jblanks(p, end);
	if (p >= end || *p++ != '{')
		return -1;
	for (;;) {
		k = jblanks(p, end);
		if ((kend = jstring(k, end)) == NULL)
			return -1;
		p = jblanks(kend, end);
		if (p >= end || *p++ != ':')
			return -1;
		v = jblanks(p, end);
		/* The key comes first: its value is checked as it is copied. */
		if ((size_t)(kend - k) == klen + 2 &&
		    memcmp(k + 1, key, klen) == 0)
			return jappend(b, v, end) != NULL ? 0 : -1;
		if ((p = jvalue(v, end, NULL)) == NULL)
			return -1;
		p = jblanks(p, end);
		if (p >= end || *p++ != ',')
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

/*
 * The member or element named by the token t of n bytes in the container
 * at p (checked already), or NULL when it has none.
 */
static const unsigned char *
jstep(const unsigned char *p, const unsigned char *end, const char *t,
    size_t n)
{
	const unsigned char *k, *kend;
	char close;
	size_t i, want = 0;

	if (p >= end || (*p != '{' && *p != '['))
		return NULL;
	close = *p == '{' ? '}' : ']';
	if (close == ']') {
		if (n == 0 || n > 9 || (t[0] == '0' && n > 1))
			return NULL;
		for (i = 0; i < n; i++) {
			if (t[i] < '0' || t[i] > '9')
				return NULL;
			want = want * 10 + (size_t)(t[i] - '0');
		}
	}
	p = jblanks(p + 1, end);
	for (i = 0; p < end && *p != close; i++) {
		if (close == '}') {
			k = p;
			kend = jstring(k, end);
			p = jblanks(jblanks(kend, end) + 1, end);	/* ':' */
			if (jkey_eq(k, kend, t, n))
				return p;
		} else if (i == want)
			return p;
		p = jblanks(jvalue(p, end, NULL), end);
		if (p < end && *p == ',')
			p = jblanks(p + 1, end);
	}
	return NULL;
}

int
json_pointer(const char *body, size_t len, const char *ptr, struct buf *b)
{
	const unsigned char *p = (const unsigned char *)body;
	const unsigned char *end = p + len, *v;
	char tok[1024];
	size_t n;

	/* The whole body is checked first; the walk then trusts it. */
	p = jblanks(p, end);
	if ((v = jvalue(p, end, NULL)) == NULL || jblanks(v, end) != end)
		return -1;
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
		if (n == sizeof(tok) || (p = jstep(p, end, tok, n)) == NULL)
			return 1;
	}
	jappend(b, p, end);	/* checked above: it is a value */
	return 0;
}
