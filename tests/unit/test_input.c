/*
 * Input line parsing: what is skipped, named, accepted and refused, and
 * JSON request specs with every error and every override.
 */
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "unit.h"

static const struct {
	const char	*line;
	int		 rc;
	const char	*name;
	const char	*url;
	const char	*why;	/* a part of the reason */
} cases[] = {
	{ "http://a.test/x", 1, NULL, "http://a.test/x", NULL },
	{ "https://a.test/x\r", 1, NULL, "https://a.test/x", NULL },
	{ "  http://a.test/  ", 1, NULL, "http://a.test/", NULL },
	{ "HTTP://a.test/", 1, NULL, "HTTP://a.test/", NULL },
	{ "users=https://a.test/u", 1, "users", "https://a.test/u", NULL },
	{ "_a.b-c9=http://a.test/", 1, "_a.b-c9", "http://a.test/", NULL },
	{ "http://a.test/?q=1", 1, NULL, "http://a.test/?q=1", NULL },
	{ "http://[::1]:8080/", 1, NULL, "http://[::1]:8080/", NULL },
	{ "", 0, NULL, NULL, NULL },
	{ "   \t ", 0, NULL, NULL, NULL },
	{ "\r", 0, NULL, NULL, NULL },
	{ "# a comment", 0, NULL, NULL, NULL },
	{ "  # indented comment", 0, NULL, NULL, NULL },
	{ "ftp://a.test/", -1, NULL, NULL, "scheme" },
	{ "file:///etc/passwd", -1, NULL, NULL, "scheme" },
	{ "a.test/x", -1, NULL, NULL,
	    "missing scheme: did you mean http://a.test/x?" },
	{ "n=a.test:81/x", -1, NULL, NULL,
	    "missing scheme: did you mean n=http://a.test:81/x?" },
	{ "u:pw@a.test/x", -1, NULL, NULL,
	    "missing scheme: did you mean http://u:***@a.test/x?" },
	{ "a.b-", -1, NULL, NULL, "missing scheme: did you mean http://a.b-?" },
	{ "users http://a.test/u", -1, NULL, NULL,
	    "space instead of '=': did you mean users=http://a.test/u?" },
	{ "users \t http://u:pw@a.test/u", -1, NULL, NULL,
	    "did you mean users=http://u:***@a.test/u?" },
	{ "http://", -1, NULL, NULL, "" },
	{ "http://a test/", -1, NULL, NULL, "" },
	{ "9x=http://a.test/", -1, NULL, NULL, "NAME" },
	{ "a b=http://a.test/", -1, NULL, NULL, "NAME" },
	{ "=http://a.test/", -1, NULL, NULL, "NAME" },
	{ "http://a.test/\xff", -1, NULL, NULL, "UTF-8" },
	/* Specs. */
	{ "{\"url\": \"http://a.test/s\"}", 1, NULL, "http://a.test/s", NULL },
	{ "{\"url\": \"http://a.test/s\", \"name\": \"n1\"}", 1, "n1",
	    "http://a.test/s", NULL },
	{ "{\"name\": \"x\"}", -1, NULL, NULL, "\"url\" is missing" },
	{ "{\"url\": 5}", -1, NULL, NULL, "\"url\" must be a string" },
	{ "{\"url\": \"ftp://a.test/\"}", -1, NULL, NULL, "\"url\": "
	    "unsupported scheme" },
	{ "{\"url\": \"http://a.test/\", \"bogus\": 1}", -1, NULL, NULL,
	    "unknown key \"bogus\"" },
	{ "{\"url\": \"http://a.test/\", \"name\": \"9\"}", -1, NULL, NULL,
	    "\"name\": invalid NAME" },
	{ "{\"url\": \"http://a.test/\", \"name\": 3}", -1, NULL, NULL,
	    "\"name\" must be a string" },
	{ "{\"url\": \"http://a.test/\", \"method\": \"GE T\"}", -1, NULL,
	    NULL, "\"method\": not a method" },
	{ "{\"url\": \"http://a.test/\", \"headers\": [\"a\"]}", -1, NULL,
	    NULL, "\"headers\" must be an object of strings" },
	{ "{\"url\": \"http://a.test/\", \"headers\": {\"A\": 1}}", -1, NULL,
	    NULL, "\"headers\": \"A\" must map" },
	{ "{\"url\": \"http://a.test/\", \"ttl\": \"5x\"}", -1, NULL, NULL,
	    "\"ttl\": invalid duration" },
	{ "{\"url\": \"http://a.test/\", \"ttl\": 5}", -1, NULL, NULL,
	    "\"ttl\" must be a string" },
	{ "{\"url\": \"http://a.test/\", \"timeout\": \"soon\"}", -1, NULL,
	    NULL, "\"timeout\": invalid duration: \"soon\"" },
	{ "{\"url\": \"http://a.test/\", \"timeout\": 5}", -1, NULL, NULL,
	    "\"timeout\" must be a string" },
	{ "{\"url\": \"http://a.test/\", \"retry\": -1}", -1, NULL, NULL,
	    "\"retry\" must be a whole number from 0 to 100" },
	{ "{\"url\": \"http://a.test/\", \"retry\": 101}", -1, NULL, NULL,
	    "\"retry\" must be a whole number from 0 to 100" },
	{ "{\"url\": \"http://a.test/\", \"retry\": 1.5}", -1, NULL, NULL,
	    "\"retry\" must be a whole number from 0 to 100" },
	{ "{\"url\": \"http://a.test/\", \"retry\": \"2\"}", -1, NULL,
	    NULL, "\"retry\" must be a whole number from 0 to 100" },
	{ "{\"url\": \"http://a.test/\", \"retries\": 2}", -1, NULL, NULL,
	    "unknown key \"retries\"" },
	{ "{\"url\": \"http://a.test/\", \"retry\": 0, \"timeout\": "
	    "\"1m\"}", 1, NULL, "http://a.test/", NULL },
	{ "{\"url\": \"http://a.test/\"", -1, NULL, NULL,
	    "invalid JSON at line 1, column 25: one JSON object per line" },
	{ "{\"url\": \"http://a.test/\"} x", -1, NULL, NULL,
	    "invalid JSON at line 1, column 27: one JSON object per line" },
	{ "  {\"\xc3\xa9\" 1}", -1, NULL, NULL,
	    "invalid JSON at line 1, column 8: one JSON object per line" },
	{ "{\"url\": \"a.test/x\"}", -1, NULL, NULL,
	    "\"url\": missing scheme: did you mean http://a.test/x?" },
	{ "{\"url\": \"http://a.test/\", \"url\": \"http://b.test/\"}", -1,
	    NULL, NULL, "duplicate key \"url\"" },
	{ "{\"url\": \"http://a.test/\", \"headers\": {\"a b\": \"x\"}}",
	    -1, NULL, NULL, "\"headers\": \"a b\" must map" },
	{ "[1]", -1, NULL, NULL, "" },
};

/* Refused (or, for a mangled scheme, maybe accepted), never with a hint. */
static const char *const nohints[] = {
	"/a.test/x", "//a.test/x", "http:/a.test/x", "https:a.test/x",
	"a b c", "users a.test/x", "users http://a.test/ x",
	"9x http://a.test/", "{\"url\": \"u http://a.test/\"}",
};

static const struct {
	const char	*hostline;
	const char	*host;
} hosts[] = {
	{ "http://A.Test/x", "a.test:80" },
	{ "https://a.test/x", "a.test:443" },
	{ "http://a.test:8080/", "a.test:8080" },
	{ "n=http://u:p@127.0.0.1:9/", "127.0.0.1:9" },
	{ "http://[::1]:81/", "[::1]:81" },
};

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Parses line (len 0: up to its NUL) into a new *r. */
static int
parse(const char *line, size_t len, struct request **r, char **why)
{
	*r = calloc(1, sizeof(**r));
	return input_parse(line, len > 0 ? len : strlen(line), NULL, *r, why);
}

/* Every field a spec sets, and what the run's options still decide. */
static void
check_spec_fields(void)
{
	struct request *r;
	struct config cfg;
	const char *body;
	char *why;
	size_t len;
	int rc;

	config_defaults(&cfg);
	rc = parse("{\"url\": \"http://a.test/p\", \"method\": \"PUT\", "
	    "\"headers\": {\"X-A\": \"1\", \"X-Gone\": \"\"}, \"body\": "
	    "{\"k\": [1, 2]}, \"ttl\": \"10m\"}", 0, &r, &why);
	CHECK(rc == 1 && strcmp(request_method(r, &cfg), "PUT") == 0 &&
	    r->nhdrs == 3 && strcmp(r->hdrs[0], "X-A: 1") == 0 &&
	    strcmp(r->hdrs[1], "X-Gone:") == 0 &&
	    strcmp(r->hdrs[2], "Content-Type: application/json") == 0 &&
	    (body = request_body(r, &cfg, &len)) != NULL &&
	    strcmp(body, "{\"k\":[1,2]}") == 0 && len == 11 &&
	    request_ttl(r, &cfg) == 600000,
	    "a spec sets method, headers (empty removes), JSON body with its "
	    "content type, and ttl");
	request_free(r);

	rc = parse("{\"url\": \"http://a.test/p\", \"body\": {\"id\": "
	    "9007199254740993, \"f\": 1.000000000000000001}}", 0, &r, &why);
	CHECK(rc == 1 && strcmp(request_body(r, &cfg, &len),
	    "{\"id\":9007199254740993,\"f\":1.000000000000000001}") == 0,
	    "a JSON body keeps every digit of its numbers");
	request_free(r);

	rc = parse("{\"url\": \"http://a.test/p\", \"body\": \"a=1\", "
	    "\"headers\": {\"content-type\": \"text/plain\"}}", 0, &r, &why);
	CHECK(rc == 1 && strcmp(request_method(r, &cfg), "POST") == 0 &&
	    r->nhdrs == 1 && strcmp(request_body(r, &cfg, &len), "a=1") == 0,
	    "a string body is sent as is, with no JSON type; it implies POST");
	cfg.method = "PATCH";
	cfg.method_given = 1;
	CHECK(strcmp(request_method(r, &cfg), "PATCH") == 0,
	    "with -X, a spec body without a method keeps the -X method");
	request_free(r);

	cfg.method = "GET";
	cfg.method_given = 0;
	cfg.data = (char *)"d";
	cfg.data_len = 1;
	cfg.ttl_ms = 5000;
	rc = parse("{\"url\": \"http://a.test/p\"}", 0, &r, &why);
	CHECK(rc == 1 && strcmp(request_body(r, &cfg, &len), "d") == 0 &&
	    request_ttl(r, &cfg) == 5000 && r->nhdrs == 0,
	    "a spec without them takes the run's body and ttl");
	CHECK(rc == 1 && request_timeout(r, &cfg) == 30000 &&
	    request_retries(r, &cfg) == 2,
	    "and the run's timeout and retries");
	request_free(r);

	rc = parse("{\"url\": \"http://a.test/p\", \"timeout\": \"250ms\", "
	    "\"retry\": 0}", 0, &r, &why);
	CHECK(rc == 1 && request_timeout(r, &cfg) == 250 &&
	    request_retries(r, &cfg) == 0,
	    "a spec's timeout and retry win over -m and --retry");
	request_free(r);
}

int
main(void)
{
	struct request *r;
	char *why;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rc = parse(cases[i].line, strlen(cases[i].line), &r, &why);
		CHECK(rc == cases[i].rc &&
		    (rc != 1 || (same(r->name, cases[i].name) &&
		    same(r->url, cases[i].url))) &&
		    (rc != -1 || (why != NULL && strstr(why, cases[i].why))),
		    "'%s' -> rc %d name %s url %s why %s", cases[i].line, rc,
		    r->name ? r->name : "-", r->url ? r->url : "-",
		    why ? why : "-");
		request_free(r);
		free(why);
	}
	for (i = 0; i < sizeof(nohints) / sizeof(nohints[0]); i++) {
		rc = parse(nohints[i], strlen(nohints[i]), &r, &why);
		CHECK(rc == 1 || (rc == -1 && strstr(why, "did you mean") ==
		    NULL), "'%s' -> no hint: %s", nohints[i], why ? why : "-");
		request_free(r);
		free(why);
	}
	rc = parse("http://a.test/\0x", 16, &r, &why);
	CHECK(rc == -1 && strstr(why, "NUL") != NULL, "NUL byte is refused");
	request_free(r);
	free(why);
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		rc = parse(hosts[i].hostline, strlen(hosts[i].hostline), &r,
		    &why);
		CHECK(rc == 1 && same(r->host_key, hosts[i].host),
		    "host of %s is %s", hosts[i].hostline,
		    r->host_key ? r->host_key : "-");
		request_free(r);
		free(why);
	}
	check_spec_fields();
	return unit_done();
}
