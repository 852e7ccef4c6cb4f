/*
 * The fixture codec: every kind of body round-trips byte for byte, the
 * document is the same bytes however the headers came, secrets and
 * volatile headers never reach it, names are safe file names, and every
 * broken document is refused with a reason.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "unit.h"

static void
sample(struct fixture *f, const char *body, size_t len)
{
	memset(f, 0, sizeof(*f));
	memset(f->key, 0x5a, sizeof(f->key));
	f->key[0] = 0x01;
	f->method = (char *)"POST";
	f->url = (char *)"http://u:***@h.test/x?q=1";
	f->req_headers = (char *)"{\"authorization\":\"***\"}";
	f->req_body = (char *)"a=1";
	f->req_body_len = 3;
	f->status = 201;
	f->headers = (char *)"{\"content-type\":\"application/json\"}";
	f->body = (char *)body;
	f->body_len = len;
}

static const struct {
	const char	*body;
	size_t		 len;
	const char	*member;	/* how the document holds it */
} bodies[] = {
	{ "{\"n\":12345678901234567890123,\"s\":\"\\u00e9\"}", 42, "\"body\"" },
	{ "[1,2.50,true]", 13, "\"body\"" },
	{ "{\"pretty\": 1}\n", 14, "\"body_text\"" },
	{ "hello, w\xc3\xb6rld\n", 14, "\"body_text\"" },
	{ "", 0, "\"body_text\"" },
	{ "\xff\x00\x01 binary", 10, "\"body_base64\"" },
	{ "a\0b", 3, "\"body_base64\"" },
};

static void
check_round_trips(void)
{
	struct fixture in, out;
	struct buf b, again;
	const char *why = "";
	size_t i;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		sample(&in, bodies[i].body, bodies[i].len);
		buf_init(&b);
		buf_init(&again);
		fixture_encode(&in, &b);
		CHECK(strstr(b.data, bodies[i].member) != NULL,
		    "body %zu is held as %s", i, bodies[i].member);
		CHECK(fixture_decode(b.data, b.len, in.key, &out, &why) == 0,
		    "body %zu decodes (%s)", i, why);
		CHECK(out.body_len == bodies[i].len &&
		    memcmp(out.body, bodies[i].body, bodies[i].len) == 0 &&
		    out.body[out.body_len] == '\0',
		    "body %zu comes back byte for byte", i);
		CHECK(out.status == 201 && strcmp(out.method, "POST") == 0 &&
		    strcmp(out.url, in.url) == 0 && out.req_body_len == 3 &&
		    memcmp(out.req_body, "a=1", 3) == 0 &&
		    strcmp(out.headers, in.headers) == 0 &&
		    strcmp(out.req_headers, in.req_headers) == 0,
		    "the rest of fixture %zu comes back", i);
		fixture_encode(&out, &again);
		CHECK(again.len == b.len && memcmp(again.data, b.data,
		    b.len) == 0, "fixture %zu encodes to the same bytes", i);
		fixture_clear(&out);
		buf_free(&b);
		buf_free(&again);
	}
}

static void
check_layout(void)
{
	static const char want[] =
	    "{\n"
	    "  \"key\": \"015a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"
	    "5a5a5a5a5a5a\",\n"
	    "  \"request\": {\n"
	    "    \"body_text\": \"a=1\",\n"
	    "    \"headers\": {\n"
	    "      \"authorization\": \"***\"\n"
	    "    },\n"
	    "    \"method\": \"POST\",\n"
	    "    \"url\": \"http://u:***@h.test/x?q=1\"\n"
	    "  },\n"
	    "  \"response\": {\n"
	    "    \"body\": {\n"
	    "      \"a\": 1\n"
	    "    },\n"
	    "    \"headers\": {\n"
	    "      \"content-type\": \"application/json\"\n"
	    "    },\n"
	    "    \"status\": 201\n"
	    "  },\n"
	    "  \"version\": 1\n"
	    "}\n";
	struct fixture f;
	struct buf b;

	sample(&f, "{\"a\":1}", 7);
	buf_init(&b);
	fixture_encode(&f, &b);
	CHECK(strcmp(b.data, want) == 0, "the document is indented, keys "
	    "sorted, with a final newline");
	buf_free(&b);
}

static const struct {
	const char	*in;
	unsigned	 flags;
	const char	*want;
} header_cases[] = {
	{ "{\"Server\":\"x\",\"date\":\"Mon\",\"Age\":\"3\",\"etag\":\"e\"}",
	    FIXTURE_DROP, "{\"etag\":\"e\",\"server\":\"x\"}" },
	{ "{\"b\":\"2\",\"a\":\"1\",\"Expires\":\"0\"}", 0,
	    "{\"a\":\"1\",\"b\":\"2\",\"expires\":\"0\"}" },
	{ "{\"set-cookie\":\"sid=1\",\"Authorization\":\"Basic x\","
	    "\"x\":\"y\"}", FIXTURE_REDACT,
	    "{\"authorization\":\"***\",\"set-cookie\":\"***\",\"x\":\"y\"}" },
	{ "{\"A\":\"1\",\"a\":\"2\"}", 0, "{\"a\":\"1, 2\"}" },
	{ "{}", FIXTURE_DROP, "{}" },
	{ "[]", 0, NULL },
	{ "{\"a\":1}", 0, NULL },
	{ "nope", 0, NULL },
};

static void
check_headers(void)
{
	struct buf b;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(header_cases) / sizeof(header_cases[0]); i++) {
		buf_init(&b);
		buf_adds(&b, "<");
		rc = fixture_headers(header_cases[i].in, header_cases[i].flags,
		    &b);
		if (header_cases[i].want == NULL)
			CHECK(rc == -1 && strcmp(b.data, "<") == 0,
			    "headers %s are refused", header_cases[i].in);
		else
			CHECK(rc == 0 && strcmp(b.data + 1,
			    header_cases[i].want) == 0, "headers %s give %s "
			    "(got %s)", header_cases[i].in,
			    header_cases[i].want, b.data + 1);
		buf_free(&b);
	}
}

static void
check_request_headers(void)
{
	char *const list[] = { (char *)"Cookie: c=1", (char *)"X-Empty;",
	    (char *)"Accept:", (char *)"Proxy-Authorization: Basic eA==",
	    (char *)"x-two: 1", (char *)"X-Two: 2",
	    (char *)"X-Secret-Not: shown" };
	struct buf b;

	buf_init(&b);
	fixture_request_headers(list, sizeof(list) / sizeof(list[0]), &b);
	CHECK(strcmp(b.data, "{\"cookie\":\"***\",\"proxy-authorization\":"
	    "\"***\",\"x-empty\":\"\",\"x-secret-not\":\"shown\","
	    "\"x-two\":\"1, 2\"}") == 0, "request headers: secrets hidden, "
	    "a removed one left out, sorted (got %s)", b.data);
	buf_free(&b);
}

static const struct {
	const char	*host;
	const char	*path;
	const char	*want;
} names[] = {
	{ "api.example.com", "/v1/users", "api.example.com-v1-users-" },
	{ "127.0.0.1", "/", "127.0.0.1-root-" },
	{ "[::1]", "/a//b/../c d", "1-a-b-..-c-d-" },
	{ "h", "/.hidden", "h-_hidden-" },
	{ "h", "/x/y/", "h-x-y-" },
	{ "", "/%2F..%2F", "host-2F..-2F-" },
};

static void
check_names(void)
{
	unsigned char key[CACHE_KEY_LEN];
	char *name, want[256], *longp;
	size_t i;

	memset(key, 0, sizeof(key));
	key[0] = 0xde;
	key[5] = 0x0f;
	key[6] = 0xff;	/* past the 12 hex digits */
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		name = fixture_name(names[i].host, names[i].path, key);
		snprintf(want, sizeof(want), "%sde000000000f.json",
		    names[i].want);
		CHECK(strcmp(name, want) == 0, "%s %s is named %s (got %s)",
		    names[i].host, names[i].path, want, name);
		CHECK(strchr(name, '/') == NULL && name[0] != '.',
		    "%s is a plain file name", name);
		free(name);
	}
	longp = malloc(1001);
	memset(longp, 'a', 1000);
	longp[1000] = '\0';
	name = fixture_name("h", longp, key);
	CHECK(strlen(name) == strlen("h-") + 64 + strlen("-de000000000f.json"),
	    "a long path is cut to 64 bytes: %s", name);
	free(name);
	free(longp);
}

static const struct {
	const char	*doc;
	const char	*why;
} broken[] = {
	{ "", "not a JSON object" },
	{ "[1]", "not a JSON object" },
	{ "{\"version\":2}", "not a fixture of version 1" },
	{ "{\"version\":1,\"key\":\"ab\"}", "key" },
	{ "{\"version\":1,\"key\":\"@\"}", "request" },
	{ "{\"version\":1,\"key\":\"@\",\"request\":{\"method\":\"GET\","
	    "\"url\":\"u\",\"headers\":{}},\"response\":{\"status\":99,"
	    "\"headers\":{},\"body_text\":\"\"}}", "response" },
	{ "{\"version\":1,\"key\":\"@\",\"request\":{\"method\":\"GET\","
	    "\"url\":\"u\",\"headers\":{}},\"response\":{\"status\":200,"
	    "\"headers\":{\"a\":\"x\\r\\ny: 1\"},\"body_text\":\"\"}}",
	    "headers" },
	{ "{\"version\":1,\"key\":\"@\",\"request\":{\"method\":\"GET\","
	    "\"url\":\"u\",\"headers\":{}},\"response\":{\"status\":200,"
	    "\"headers\":{}}}", "want one of" },
	{ "{\"version\":1,\"key\":\"@\",\"request\":{\"method\":\"GET\","
	    "\"url\":\"u\",\"headers\":{}},\"response\":{\"status\":200,"
	    "\"headers\":{},\"body\":1,\"body_text\":\"1\"}}", "want one of" },
	{ "{\"version\":1,\"key\":\"@\",\"request\":{\"method\":\"GET\","
	    "\"url\":\"u\",\"headers\":{}},\"response\":{\"status\":200,"
	    "\"headers\":{},\"body_base64\":\"abc\"}}", "not base64" },
	{ "{\"version\":1,\"key\":\"@\",\"request\":{\"method\":\"GET\","
	    "\"url\":\"u\",\"headers\":{}},\"response\":{\"status\":200,"
	    "\"headers\":{},\"body_base64\":\"a===\"}}", "not base64" },
	{ "{\"version\":1,\"key\":\"@\",\"request\":{\"method\":\"GET\","
	    "\"url\":\"u\",\"headers\":{}},\"response\":{\"status\":200.5,"
	    "\"headers\":{},\"body_text\":\"\"}}", "response" },
};

/* Copies doc to out with its '@' made the key in hex. */
static void
with_key(const char *doc, const char *hex, char *out, size_t size)
{
	const char *at = strchr(doc, '@');

	if (at == NULL)
		snprintf(out, size, "%s", doc);
	else
		snprintf(out, size, "%.*s%s%s", (int)(at - doc), doc, hex,
		    at + 1);
}

static void
check_broken(void)
{
	unsigned char key[CACHE_KEY_LEN], other[CACHE_KEY_LEN];
	char hex[2 * CACHE_KEY_LEN + 1], doc[1024];
	struct fixture f, in;
	struct buf b;
	const char *why;
	size_t i;

	memset(key, 0x5a, sizeof(key));
	key[0] = 0x01;
	for (i = 0; i < CACHE_KEY_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		with_key(broken[i].doc, hex, doc, sizeof(doc));
		why = "";
		CHECK(fixture_decode(doc, strlen(doc), NULL, &f, &why) == -1 &&
		    strstr(why, broken[i].why) != NULL && f.method == NULL,
		    "broken fixture %zu is refused: %s (got %s)", i,
		    broken[i].why, why);
	}
	/* A fixture for another request is not this one's. */
	sample(&in, "x", 1);
	buf_init(&b);
	fixture_encode(&in, &b);
	memset(other, 0x5a, sizeof(other));
	CHECK(fixture_decode(b.data, b.len, other, &f, &why) == -1 &&
	    strstr(why, "another request") != NULL,
	    "a fixture with another key is refused");
	CHECK(fixture_decode(b.data, b.len, in.key, &f, &why) == 0,
	    "the same fixture with its own key is read");
	fixture_clear(&f);
	fixture_clear(NULL);
	buf_free(&b);
}

int
main(void)
{
	check_round_trips();
	check_layout();
	check_headers();
	check_request_headers();
	check_names();
	check_broken();
	return unit_done();
}
