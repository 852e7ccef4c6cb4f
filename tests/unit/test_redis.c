/* The --redis address: every form the man page gives, and the refusals. */
#include <stdlib.h>
#include <string.h>

#include "redis.h"
#include "unit.h"

static const struct {
	const char	*in;
	int		 rc;
	const char	*host;	/* or the socket path */
	int		 port;
	const char	*user;
	const char	*password;
	long		 db;
	const char	*shown;
} addrs[] = {
	{ "redis://127.0.0.1", 0, "127.0.0.1", 6379, NULL, NULL, 0,
	    "redis://127.0.0.1:6379/0" },
	{ "redis://localhost:7000/3", 0, "localhost", 7000, NULL, NULL, 3,
	    "redis://localhost:7000/3" },
	{ "redis://:s3cr3t@h:1/2", 0, "h", 1, NULL, "s3cr3t", 2,
	    "redis://h:1/2" },
	{ "redis://alice:p%40ss@h/", 0, "h", 6379, "alice", "p@ss", 0,
	    "redis://h:6379/0" },
	{ "redis://[::1]:6380", 0, "::1", 6380, NULL, NULL, 0,
	    "redis://[::1]:6380/0" },
	{ "unix:///run/redis.sock", 0, "/run/redis.sock", 0, NULL, NULL, 0,
	    "unix:///run/redis.sock" },
	{ "unix://", -1, NULL, 0, NULL, NULL, 0, NULL },
	{ "unix://relative.sock", -1, NULL, 0, NULL, NULL, 0, NULL },
	{ "http://h/", -1, NULL, 0, NULL, NULL, 0, NULL },
	{ "redis://h:0", -1, NULL, 0, NULL, NULL, 0, NULL },
	{ "redis://h/x", -1, NULL, 0, NULL, NULL, 0, NULL },
	{ "redis://h/-1", -1, NULL, 0, NULL, NULL, 0, NULL },
	{ "h:6379", -1, NULL, 0, NULL, NULL, 0, NULL },
	{ "", -1, NULL, 0, NULL, NULL, 0, NULL },
};

static int
same(const char *a, const char *b)
{
	return a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0;
}

int
main(void)
{
	struct redis_addr a;
	char *err, tok[33], tok2[33];
	const char *where;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		err = NULL;
		rc = redis_addr_parse(addrs[i].in, &a, &err);
		where = a.path != NULL ? a.path : a.host;
		CHECK(rc == addrs[i].rc && (rc != 0 ||
		    (same(where, addrs[i].host) && a.port == addrs[i].port &&
		    same(a.user, addrs[i].user) &&
		    same(a.password, addrs[i].password) &&
		    a.db == addrs[i].db && same(a.shown, addrs[i].shown))),
		    "redis_addr_parse(\"%s\") = %d", addrs[i].in, rc);
		/* The reason never holds the password. */
		CHECK(err == NULL || strstr(err, "s3cr3t") == NULL,
		    "its error: %s", err != NULL ? err : "none");
		free(err);
		if (rc == 0)
			redis_addr_clear(&a);
	}
	redis_token(tok);
	redis_token(tok2);
	CHECK(strlen(tok) == 32 && strspn(tok, "0123456789abcdef") == 32 &&
	    strcmp(tok, tok2) != 0, "redis_token: 32 hex digits, new each time");
	return unit_done();
}
