/*
 * curl's value syntaxes: -E's escapes and password, and what --resolve
 * and --connect-to accept and refuse.
 */
#include <stdlib.h>
#include <string.h>

#include "curlarg.h"
#include "unit.h"

static const struct {
	const char	*in;
	const char	*file;
	const char	*password;	/* NULL: none */
} certs[] = {
	{ "client.pem", "client.pem", NULL },
	{ "client.pem:s3cret", "client.pem", "s3cret" },
	{ "client.pem:", "client.pem", NULL },
	{ "client.pem:a:b", "client.pem", "a:b" },
	{ "c\\:\\\\d.pem", "c:\\d.pem", NULL },
	{ "c\\:d.pem:pw", "c:d.pem", "pw" },
	{ "dir\\x.pem", "dir\\x.pem", NULL },	/* other '\' stay */
	{ "trail\\", "trail\\", NULL },
	{ "pkcs11:token=a;object=b", "pkcs11:token=a;object=b", NULL },
	{ ":pw", "", "pw" },
};

static const struct {
	const char	*in;
	int		 ok;
} resolves[] = {
	{ "api.test:8080:127.0.0.1", 1 },
	{ "api.test:443:127.0.0.1,::1", 1 },
	{ "api.test:443:[::1],127.0.0.2", 1 },
	{ "+api.test:443:127.0.0.1", 1 },
	{ "-api.test:443", 1 },
	{ "[::1]:443:127.0.0.1", 1 },
	{ "api.test:443", 0 },
	{ "api.test:443:", 0 },
	{ "api.test::127.0.0.1", 0 },
	{ "api.test:0:127.0.0.1", 0 },
	{ "api.test:65536:127.0.0.1", 0 },
	{ "api.test:http:127.0.0.1", 0 },
	{ ":443:127.0.0.1", 0 },
	{ "api.test:443:localhost", 0 },
	{ "api.test:443:127.0.0.1,", 0 },
	{ "api.test:443:127.0.0.1,,::1", 0 },
	{ "api test:443:127.0.0.1", 0 },
	{ "-api.test:443:127.0.0.1", 0 },
	{ "", 0 },
};

static const struct {
	const char	*in;
	int		 ok;
} connects[] = {
	{ "api.test:80:127.0.0.1:8080", 1 },
	{ "api.test::127.0.0.1:", 1 },
	{ ":::", 1 },
	{ "::localhost:8080", 1 },
	{ "[::1]:80:[::1]:8080", 1 },
	{ "api.test:80:127.0.0.1", 0 },
	{ "api.test:80:127.0.0.1:8080:9", 0 },
	{ "api.test:x:127.0.0.1:8080", 0 },
	{ "api.test:80:127.0.0.1:99999", 0 },
	{ "[::1:80:a:1", 0 },
	{ "api.test:80:127.0.0.1: 80", 0 },
	{ "", 0 },
};

int
main(void)
{
	const char *why;
	char *file, *pw;
	size_t i;
	int ok;

	for (i = 0; i < sizeof(certs) / sizeof(certs[0]); i++) {
		curlarg_cert(certs[i].in, &file, &pw);
		CHECK(strcmp(file, certs[i].file) == 0, "cert '%s': file "
		    "'%s' (want '%s')", certs[i].in, file, certs[i].file);
		CHECK(certs[i].password == NULL ? pw == NULL : pw != NULL &&
		    strcmp(pw, certs[i].password) == 0,
		    "cert '%s': password '%s'", certs[i].in,
		    pw != NULL ? pw : "(none)");
		free(file);
		free(pw);
	}
	for (i = 0; i < sizeof(resolves) / sizeof(resolves[0]); i++) {
		why = NULL;
		ok = curlarg_resolve(resolves[i].in, &why) == 0;
		CHECK(ok == resolves[i].ok && (ok || why != NULL),
		    "resolve '%s': %s", resolves[i].in, ok ? "ok" : why);
	}
	for (i = 0; i < sizeof(connects) / sizeof(connects[0]); i++) {
		why = NULL;
		ok = curlarg_connect_to(connects[i].in, &why) == 0;
		CHECK(ok == connects[i].ok, "connect-to '%s': %s",
		    connects[i].in, ok ? "ok" : why);
	}
	return unit_done();
}
