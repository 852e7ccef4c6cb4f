/* Input line parsing: what is skipped, named, accepted and refused. */
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
	{ "a.test/x", -1, NULL, NULL, "missing scheme" },
	{ "http://", -1, NULL, NULL, "" },
	{ "http://a test/", -1, NULL, NULL, "" },
	{ "9x=http://a.test/", -1, NULL, NULL, "NAME" },
	{ "a b=http://a.test/", -1, NULL, NULL, "NAME" },
	{ "=http://a.test/", -1, NULL, NULL, "NAME" },
	{ "{\"url\": \"http://a.test/\"}", -1, NULL, NULL, "JSON" },
	{ "http://a.test/\xff", -1, NULL, NULL, "UTF-8" },
};

static const struct {
	const char	*line;
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

int
main(void)
{
	char *name, *url, *host, *norm;
	const char *why;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rc = input_parse(cases[i].line, strlen(cases[i].line), &name,
		    &url, &host, &norm, &why);
		CHECK(rc == cases[i].rc &&
		    (rc != 1 || (same(name, cases[i].name) &&
		    same(url, cases[i].url))) &&
		    (rc != -1 || (why != NULL && strstr(why, cases[i].why))),
		    "'%s' -> rc %d name %s url %s why %s", cases[i].line, rc,
		    name ? name : "-", url ? url : "-", why ? why : "-");
		free(name);
		free(url);
		free(host);
		free(norm);
	}
	rc = input_parse("http://a.test/\0x", 16, &name, &url, &host, &norm, &why);
	CHECK(rc == -1 && strstr(why, "NUL") != NULL, "NUL byte is refused");
	free(name);
	free(url);
	free(host);
	free(norm);
	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		rc = input_parse(hosts[i].line, strlen(hosts[i].line), &name,
		    &url, &host, &norm, &why);
		CHECK(rc == 1 && same(host, hosts[i].host), "host of %s is %s",
		    hosts[i].line, host ? host : "-");
		free(name);
		free(url);
		free(host);
		free(norm);
	}
	return unit_done();
}
