/* String escaping, UTF-8 checks, base64, body embedding, rendering. */
#include <string.h>

#include "json.h"
#include "render.h"
#include "unit.h"

static const struct {
	const char	*in;
	size_t		 len;
	const char	*want;
} escapes[] = {
	{ "plain", 5, "\"plain\"" },
	{ "a\"b\\c", 5, "\"a\\\"b\\\\c\"" },
	{ "t\tn\nr\r", 6, "\"t\\tn\\nr\\r\"" },
	{ "\x01\x1f", 2, "\"\\u0001\\u001f\"" },
	{ "w\xc3\xb6rld", 6, "\"w\xc3\xb6rld\"" },
	{ "bad\xff", 4, "\"bad\\ufffd\"" },
	{ "\xe2\x82", 2, "\"\\ufffd\\ufffd\"" },
	{ "nul\0x", 5, "\"nul\\u0000x\"" },
};

static const struct {
	const char	*in;
	size_t		 len;
	int		 want;
} utf8[] = {
	{ "ascii", 5, 1 },
	{ "\xc3\xb6", 2, 1 },
	{ "\xe2\x82\xac", 3, 1 },
	{ "\xf0\x9f\x98\x80", 4, 1 },
	{ "\xff", 1, 0 },
	{ "\xc0\xaf", 2, 0 },		/* overlong */
	{ "\xed\xa0\x80", 3, 0 },	/* surrogate */
	{ "\xf4\x90\x80\x80", 4, 0 },	/* past U+10FFFF */
	{ "\xe2\x82", 2, 0 },		/* truncated */
	{ "a\0b", 3, 0 },
	{ "aaaaaaaa\0aaaaaaa", 16, 0 },	/* NUL in a fast block */
	{ "aaaaaaaaaaaaaa\xc3\xb6", 16, 1 },
	{ "aaaaaaaaaaaaaaa\xff", 16, 0 },
	{ "aaa\xe2\x82\xac" "aaaaaaaaaaaa", 18, 1 },
};

static const struct {
	const char	*in;
	const char	*want;
} b64[] = {
	{ "", "" },
	{ "f", "Zg==" },
	{ "fo", "Zm8=" },
	{ "foo", "Zm9v" },
	{ "foob", "Zm9vYg==" },
	{ "fooba", "Zm9vYmE=" },
	{ "foobar", "Zm9vYmFy" },
};

static const struct {
	const char	*in;
	int		 rc;
	const char	*want;
} embeds[] = {
	{ "{\"a\": [1, 2.50, \"x y\"]}\n", 0, "{\"a\":[1,2.50,\"x y\"]}" },
	{ "  42  ", 0, "42" },
	{ "\"s\"", 0, "\"s\"" },
	{ "[]", 0, "[]" },
	{ "{\"a\":1} x", -1, NULL },
	{ "{\"a\":", -1, NULL },
	{ "nope", -1, NULL },
	{ "", -1, NULL },
	/* A raw control character in a string is not JSON: a text body. */
	{ "{\"k\": \"tab\there\"}", -1, NULL },
	{ "  [ 1 , 2 ]  ", 0, "[1,2]" },
	{ "-0.5e+10", 0, "-0.5e+10" },
	{ "\"\\u00e9 \\n \\\"\"", 0, "\"\\u00e9 \\n \\\"\"" },
	{ "{\"a\" : {\"b\" : [ ]} , \"c\" : null}", 0,
	    "{\"a\":{\"b\":[]},\"c\":null}" },
	{ "[true,false,null]", 0, "[true,false,null]" },
	{ "01", -1, NULL },
	{ "1.", -1, NULL },
	{ ".5", -1, NULL },
	{ "-", -1, NULL },
	{ "1e", -1, NULL },
	{ "[1,]", -1, NULL },
	{ "{\"a\" 1}", -1, NULL },
	{ "{\"a\":1,}", -1, NULL },
	{ "{1:2}", -1, NULL },
	{ "\"\\u00zz\"", -1, NULL },
	{ "\"\\x\"", -1, NULL },
	{ "tru", -1, NULL },
	{ "\"open", -1, NULL },
	{ "[1] [2]", -1, NULL },
	/* Surrogate escapes only in high-low pairs: cJSON reads no other. */
	{ "\"\\ud83d\\ude00\"", 0, "\"\\ud83d\\ude00\"" },
	{ "\"\\uD83D\\uDE00\"", 0, "\"\\uD83D\\uDE00\"" },
	{ "\"\\ud7ff\\ue000\"", 0, "\"\\ud7ff\\ue000\"" },
	{ "{\"b\":\"\\udc00\"}", -1, NULL },
	{ "\"/true83d\\ude00\"", -1, NULL },
	{ "\"\\ud83d\"", -1, NULL },
	{ "\"\\ud83dx\"", -1, NULL },
	{ "\"\\ud83d\\u0041\"", -1, NULL },
	{ "\"\\ud83d\\ud83d\"", -1, NULL },
	{ "\"\\ud83d\\", -1, NULL },
};

static const struct {
	const char	*type;
	int		 want;
} types[] = {
	{ NULL, 1 },
	{ "application/json", 1 },
	{ "application/json; charset=utf-8", 1 },
	{ "Application/JSON", 1 },
	{ "application/problem+json", 1 },
	{ "text/plain", 0 },
	{ "application/jsonx", 0 },
	{ "text/html; charset=utf-8", 0 },
};

static void
check_render(void)
{
	struct result r;
	struct buf b;
	char body[] = "{ \"x\" : 1 }";
	char lone[] = "{\"b\":\"\\udc00\"}";

	memset(&r, 0, sizeof(r));
	buf_init(&b);
	r.index = 3;
	r.url = "http://u:secret@h.test/p";
	r.name = "n";
	r.ok = 1;
	r.status = 200;
	r.attempts = 1;
	r.time_ms = 1.25;
	r.content_type = "application/json";
	r.body = body;
	r.body_len = strlen(body);
	r.has_body = 1;
	render_result(&r, NULL, &b);
	CHECK(strcmp(b.data, "{\"index\":3,\"url\":\"http://u:***@h.test/p\","
	    "\"name\":\"n\",\"ok\":true,\"status\":200,\"attempts\":1,"
	    "\"cache\":\"off\",\"time_ms\":1.2,\"bytes\":11,"
	    "\"content_type\":\"application/json\",\"body\":{\"x\":1}}") == 0,
	    "render ok result: %s", b.data);
	buf_reset(&b);
	memset(&r, 0, sizeof(r));
	r.url = "ftp://x";
	r.err = ERR_INPUT;
	r.err_msg = "line 2: bad";
	render_result(&r, NULL, &b);
	CHECK(strcmp(b.data, "{\"index\":0,\"url\":\"ftp://x\",\"ok\":false,"
	    "\"status\":null,\"attempts\":0,\"cache\":\"off\",\"time_ms\":0.0,"
	    "\"error\":{\"kind\":\"input\",\"message\":\"line 2: bad\"}}") == 0,
	    "render input error: %s", b.data);
	/* A JSON type with a lone surrogate escape (fuzz_render): text. */
	buf_reset(&b);
	memset(&r, 0, sizeof(r));
	r.url = "http://h.test/";
	r.ok = 1;
	r.content_type = "application/json";
	r.body = lone;
	r.body_len = strlen(lone);
	r.has_body = 1;
	render_result(&r, NULL, &b);
	CHECK(strstr(b.data, ",\"body\":\"{\\\"b\\\":\\\"\\\\udc00\\\"}\"}") !=
	    NULL, "a lone surrogate body renders as a string: %s", b.data);
	buf_free(&b);
}

/*
 * Every byte value, at every offset of the fast scan and of the byte-wise
 * tail after it: only a control character, a quote, a backslash or a
 * byte that starts no valid UTF-8 sequence stops a string.
 */
static void
check_string_bytes(struct buf *b)
{
	char body[32];
	int v, k, want, bad = 0;

	for (v = 0; v < 256; v++)
		for (k = 1; k <= 18; k++) {
			memset(body, 'a', sizeof(body));
			body[0] = '"';
			body[k] = (char)v;
			body[19] = '"';
			want = v >= 0x20 && v < 0x80 && v != '"' && v != '\\' ?
			    0 : -1;
			buf_reset(b);
			if (json_embed(b, body, 20) != want)
				bad++;
		}
	CHECK(bad == 0, "each byte value at each offset of a string: %d wrong",
	    bad);
}

/*
 * UTF-8 inside strings, at every offset: whole sequences pass and come
 * out as they were; overlong forms, surrogates, stray continuation bytes
 * and sequences cut by the closing quote do not.
 */
static void
check_string_utf8(struct buf *b)
{
	static const struct {
		const char	*seq;
		int		 want;
	} cases[] = {
		{ "\xc3\xa9", 0 },		/* U+00E9 */
		{ "\xe2\x82\xac", 0 },		/* U+20AC */
		{ "\xf0\x9f\x98\x80", 0 },	/* U+1F600 */
		{ "\xc0\x80", -1 },		/* overlong NUL */
		{ "\xe0\x80\xaf", -1 },		/* overlong '/' */
		{ "\xed\xa0\x80", -1 },		/* a surrogate */
		{ "\xf4\x90\x80\x80", -1 },	/* past U+10FFFF */
		{ "\x80", -1 },			/* a stray continuation */
		{ "\xe2\x82", -1 },		/* cut short */
	};
	char body[40];
	size_t i, n;
	int k, bad = 0;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (k = 1; k <= 20; k++) {
			n = strlen(cases[i].seq);
			memset(body, 'a', sizeof(body));
			body[0] = '"';
			memcpy(body + k, cases[i].seq, n);
			body[k + n] = '"';	/* cuts "cut short" there */
			body[k + n + 1] = '\0';
			buf_reset(b);
			if (json_embed(b, body, (size_t)k + n + 1) !=
			    cases[i].want || (cases[i].want == 0 &&
			    (b->len != (size_t)k + n + 1 ||
			    memcmp(b->data, body, b->len) != 0)))
				bad++;
		}
	CHECK(bad == 0, "UTF-8 sequences at each offset of a string: %d wrong",
	    bad);
}

/* Nesting is bounded: 512 levels embed, 513 do not. */
static void
check_depth(struct buf *b)
{
	char deep[2 * 513 + 1];
	int rc512, rc513;

	memset(deep, '[', 512);
	memset(deep + 512, ']', 512);
	buf_reset(b);
	rc512 = json_embed(b, deep, 1024);
	memset(deep, '[', 513);
	memset(deep + 513, ']', 513);
	buf_reset(b);
	rc513 = json_embed(b, deep, 1026);
	CHECK(rc512 == 0 && rc513 == -1, "512 levels nest, 513 do not");
}

int
main(void)
{
	struct buf b;
	char tmp[256];
	size_t i;
	int rc;

	buf_init(&b);
	for (i = 0; i < sizeof(escapes) / sizeof(escapes[0]); i++) {
		buf_reset(&b);
		json_str(&b, escapes[i].in, escapes[i].len);
		CHECK(strcmp(b.data, escapes[i].want) == 0, "escape -> %s",
		    b.data);
	}
	for (i = 0; i < sizeof(utf8) / sizeof(utf8[0]); i++)
		CHECK(utf8_valid(utf8[i].in, utf8[i].len) == utf8[i].want,
		    "utf8 case %zu is %s", i, utf8[i].want ? "valid" :
		    "invalid");
	/* json_text: json_str for text, and nothing for what is not. */
	for (i = 0; i < sizeof(utf8) / sizeof(utf8[0]); i++) {
		buf_reset(&b);
		buf_adds(&b, "x");
		rc = json_text(&b, utf8[i].in, utf8[i].len);
		strlcpy(tmp, b.data, sizeof(tmp));
		buf_reset(&b);
		buf_adds(&b, "x");
		json_str(&b, utf8[i].in, utf8[i].len);
		CHECK(utf8[i].want ? rc == 0 && strcmp(tmp, b.data) == 0 :
		    rc == -1 && strcmp(tmp, "x") == 0,
		    "json_text of utf8 case %zu: %d '%s'", i, rc, tmp);
	}
	for (i = 0; i < sizeof(b64) / sizeof(b64[0]); i++) {
		buf_reset(&b);
		base64_add(&b, b64[i].in, strlen(b64[i].in));
		CHECK(strcmp(b.data != NULL ? b.data : "", b64[i].want) == 0,
		    "base64 '%s' -> '%s'", b64[i].in, b.data ? b.data : "");
	}
	for (i = 0; i < sizeof(embeds) / sizeof(embeds[0]); i++) {
		buf_reset(&b);
		strlcpy(tmp, embeds[i].in, sizeof(tmp));
		rc = json_embed(&b, tmp, strlen(tmp));
		CHECK(rc == embeds[i].rc && (rc != 0 ||
		    strcmp(b.data, embeds[i].want) == 0),
		    "embed case %zu -> rc %d '%s'", i, rc,
		    b.data ? b.data : "");
	}
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		CHECK(render_is_json_type(types[i].type) == types[i].want,
		    "type %s is %sJSON", types[i].type ? types[i].type : "(none)",
		    types[i].want ? "" : "not ");
	check_render();
	check_depth(&b);
	check_string_bytes(&b);
	check_string_utf8(&b);
	buf_free(&b);
	return unit_done();
}
