/*
 * URLs through libcurl's parser: what is accepted and why not, the
 * normalised form the key and the transfer use, the host key, the form
 * output and logs show, and the hiding of passwords in bad input.
 */
#include <stdlib.h>
#include <string.h>

#include "url.h"
#include "unit.h"

/* url_new: the normalised text, or NULL and a part of the reason. */
static const struct {
	const char	*in;
	const char	*norm;
	const char	*why;
} parses[] = {
	{ "http://a.test/x", "http://a.test/x", NULL },
	{ "HTTP://A.Test:80/X#frag", "http://a.test/X", NULL },
	{ "https://a.test:443", "https://a.test/", NULL },
	{ "https://a.test:80/", "https://a.test:80/", NULL },
	{ "http://a.test:080/", "http://a.test/", NULL },
	{ "http://a.test?q", "http://a.test/?q", NULL },
	{ "http://a.test/a/../b/./c", "http://a.test/b/c", NULL },
	{ "http://u:p@A.test/", "http://u:p@a.test/", NULL },
	{ "http://[::FFFF:1.2.3.4]:80/", "http://[::ffff:1.2.3.4]/", NULL },
	{ "http://[FE80::1%25eth0]:81/", "http://[fe80::1%25eth0]:81/", NULL },
	/* Where libcurl finds the authority, not at the first "://". */
	{ "http:///user:PW@127.0.0.1:9/ok", "http://user:PW@127.0.0.1:9/ok",
	    NULL },
	{ "http:/H/ok/A/http://z/ok/B", "http://h/ok/A/http://z/ok/B", NULL },
	{ "http:/user:PW@h/x", "http://user:PW@h/x", NULL },
	{ "http://h/x@y:z", "http://h/x@y:z", NULL },
	/* Refused. */
	{ "a.test/x", NULL, "missing scheme" },
	{ "localhost:8080/x", NULL, "missing scheme" },
	{ "user:PW@h/x", NULL, "missing scheme" },
	{ "ftp://a.test/", NULL, "unsupported scheme" },
	{ "file:///etc/passwd", NULL, "unsupported scheme" },
	{ "http://", NULL, "no host" },
	{ "http:", NULL, "slashes" },
	{ "http://a test/", NULL, "" },
	{ "http://h:99999/", NULL, "Port number" },
	{ "", NULL, "" },
};

/* url_show: text as output and logs show it. */
static const struct {
	const char	*in;
	const char	*want;
} shows[] = {
	{ "HTTP://A.Test:80/x#f", "HTTP://A.Test:80/x#f" },
	{ "http://u@h.test/", "http://u@h.test/" },
	{ "http://u:secret@H.test:80/x#f", "http://u:***@H.test:80/x#f" },
	{ "http://u:@h.test/", "http://u:***@h.test/" },
	{ "http:///user:PW@127.0.0.1:9/ok", "http://user:***@127.0.0.1:9/ok" },
	{ "http:/user:PW@h/x", "http://user:***@h/x" },
	{ "http://u:p:q@h/", "http://u:***@h/" },
	/* Not a password: sent as the path. */
	{ "http:/H/ok/A/http://z/ok/B", "http:/H/ok/A/http://z/ok/B" },
	/* Refused by libcurl or by gather: the loose redactor. */
	{ "user:PW@h/x", "user:***@h/x" },
	{ "ftp://user:PW@h/x", "ftp://user:***@h/x" },
	{ "http:/user:PW@h/x y", "http:/user:***@h/x y" },
	{ "http://user:P/W@h:99999/x", "http://user:***@h:99999/x" },
	{ "http://a b/", "http://a b/" },
};

/* url_redact_loose on text that did not parse. */
static const struct {
	const char	*in;
	const char	*want;
} loose[] = {
	{ "user:PW@h/x", "user:***@h/x" },
	{ "http:/user:PW@h/x", "http:/user:***@h/x" },
	{ "http:///user:PW@h/x", "http:///user:***@h/x" },
	{ "http://u:p#?/w@h/x@y", "http://u:***@y" },
	{ "n=http://u:PW@h", "n=http:***@h" },
	{ "http://u@h/x", "http://u@h/x" },
	{ "no userinfo", "no userinfo" },
	{ ":PW@h", ":***@h" },
};

static const struct {
	const char	*in;
	const char	*host;
	int		 https;
} hosts[] = {
	{ "http://A.Test/x", "a.test:80", 0 },
	{ "HTTPS://a.test/x", "a.test:443", 1 },
	{ "http://a.test:8080/", "a.test:8080", 0 },
	{ "http://u:p@127.0.0.1:9/", "127.0.0.1:9", 0 },
	{ "http://[::1]:81/", "[::1]:81", 0 },
	{ "http:///127.0.0.1:9/", "127.0.0.1:9", 0 },
};

static int
same(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

static void
check_parses(void)
{
	const char *why;
	char *got;
	size_t i;
	CURLU *h;

	for (i = 0; i < sizeof(parses) / sizeof(parses[0]); i++) {
		h = url_new(parses[i].in, NULL, &why);
		got = h != NULL ? url_text(h) : NULL;
		CHECK(same(got, parses[i].norm) && (parses[i].why == NULL ?
		    why == NULL : why != NULL && strstr(why, parses[i].why) !=
		    NULL), "\"%s\" -> %s (%s)", parses[i].in,
		    got != NULL ? got : "refused", why != NULL ? why : "ok");
		free(got);
		url_free(h);
	}
}

static void
check_shows(void)
{
	struct buf b;
	char *got;
	size_t i;

	for (i = 0; i < sizeof(shows) / sizeof(shows[0]); i++) {
		got = url_show(shows[i].in);
		CHECK(strcmp(got, shows[i].want) == 0, "shown \"%s\" -> %s",
		    shows[i].in, got);
		free(got);
	}
	for (i = 0; i < sizeof(loose) / sizeof(loose[0]); i++) {
		buf_init(&b);
		url_redact_loose(loose[i].in, &b);
		CHECK(strcmp(b.data, loose[i].want) == 0, "loose \"%s\" -> %s",
		    loose[i].in, b.data);
		buf_free(&b);
	}
}

static void
check_hosts(void)
{
	const char *why;
	char *got;
	size_t i;
	CURLU *h;

	for (i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		if ((h = url_new(hosts[i].in, NULL, &why)) == NULL) {
			CHECK(0, "\"%s\" refused: %s", hosts[i].in, why);
			continue;
		}
		got = url_hostkey(h);
		CHECK(strcmp(got, hosts[i].host) == 0 &&
		    url_https(h) == hosts[i].https, "host of \"%s\" is %s",
		    hosts[i].in, got);
		free(got);
		url_free(h);
	}
}

/* The normal form with and without the password, and as entries keep it. */
static void
check_redacted(void)
{
	const char *text = "HTTP://u:secret@A.test:80/p?q#f", *why;
	char *shown, *a, *b;
	CURLU *h;

	h = url_new(text, &shown, &why);
	a = url_text(h);
	b = url_redacted(h);
	CHECK(strcmp(a, "http://u:secret@a.test/p?q") == 0 &&
	    strcmp(b, "http://u:***@a.test/p?q") == 0 &&
	    strcmp(shown, "http://u:***@A.test:80/p?q#f") == 0,
	    "normalised %s, redacted %s, shown %s", a, b, shown);
	free(a);
	free(b);
	free(shown);
	a = url_normalize(text, 1);
	b = url_normalize(text, 0);
	CHECK(strcmp(a, "http://u:***@a.test/p?q") == 0 &&
	    strcmp(b, "http://u:secret@a.test/p?q") == 0,
	    "url_normalize hides on request: %s, %s", a, b);
	free(a);
	free(b);
	CHECK(url_normalize("user:PW@h/x", 1) == NULL,
	    "a refused URL has no normal form");
	/* The handle is what the transfer fetches: its password is kept. */
	a = url_text(h);
	CHECK(strstr(a, "secret") != NULL, "the handle keeps the password");
	free(a);
	url_free(h);
	url_free(NULL);
}

int
main(void)
{
	check_parses();
	check_shows();
	check_hosts();
	check_redacted();
	return unit_done();
}
