/*
 * curl's value syntaxes for -E, --resolve and --connect-to.  The checks
 * are the shape libcurl needs, so that a typing mistake is a usage error
 * rather than an entry libcurl skips without a word; they resolve no name
 * and open no file.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "curlarg.h"
#include "xalloc.h"

void
curlarg_cert(const char *arg, char **file, char **password)
{
	const char *p;
	char *out;

	*password = NULL;
	if (strncasecmp(arg, "pkcs11:", 7) == 0 ||
	    strpbrk(arg, ":\\") == NULL) {
		*file = xstrdup(arg);
		return;
	}
	*file = out = xmalloc(strlen(arg) + 1);
	for (p = arg; *p != '\0'; p++) {
		if (*p == ':') {
			if (p[1] != '\0')
				*password = xstrdup(p + 1);
			break;
		}
		if (*p == '\\' && (p[1] == ':' || p[1] == '\\'))
			p++;
		*out++ = *p;
	}
	*out = '\0';
}

/*
 * The field at *sp up to the next ':' (or the end), a bracketed IPv6
 * address whole; *sp moves past the ':'.  Returns its length, or -1 when
 * a '[' has no ']' before the ':'.
 */
static int
field(const char **sp, const char **start)
{
	const char *s = *sp, *end;

	*start = s;
	if (*s == '[') {
		if ((end = strchr(s, ']')) == NULL ||
		    (end[1] != ':' && end[1] != '\0'))
			return -1;
		end++;
	} else
		end = s + strcspn(s, ":");
	*sp = *end == ':' ? end + 1 : end;
	return (int)(end - s);
}

/* A port: empty (when allowed) or 1 to 65535, digits only. */
static int
port_ok(const char *s, int len, int empty_ok)
{
	long n = 0;
	int i;

	if (len == 0)
		return empty_ok;
	if (len > 5)
		return 0;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		n = n * 10 + (s[i] - '0');
	}
	return n >= 1 && n <= 65535;
}

/* A host name or address: no spaces or control bytes. */
static int
host_ok(const char *s, int len)
{
	int i;

	for (i = 0; i < len; i++)
		if (!isgraph((unsigned char)s[i]))
			return 0;
	return 1;
}

/* An IPv4 or IPv6 address, the latter in brackets or not. */
static int
addr_ok(const char *s, size_t len)
{
	unsigned char buf[sizeof(struct in6_addr)];
	char text[64];

	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		s++;
		len -= 2;
	}
	if (len == 0 || len >= sizeof(text))
		return 0;
	memcpy(text, s, len);
	text[len] = '\0';
	return inet_pton(AF_INET, text, buf) == 1 ||
	    inet_pton(AF_INET6, text, buf) == 1;
}

int
curlarg_resolve(const char *arg, const char **why)
{
	const char *p = arg, *host, *port, *a;
	int hlen, plen, drop = *p == '-';
	size_t alen;

	if (*p == '+' || *p == '-')
		p++;
	if ((hlen = field(&p, &host)) <= 0 || !host_ok(host, hlen) ||
	    host[hlen] != ':') {
		*why = "want HOST:PORT:ADDR[,ADDR]...";
		return -1;
	}
	plen = field(&p, &port);
	if (!port_ok(port, plen, 0)) {
		*why = "PORT must be a number from 1 to 65535";
		return -1;
	}
	if (drop) {
		*why = "-HOST:PORT takes no address";
		return port[plen] == '\0' ? 0 : -1;
	}
	if (port[plen] != ':' || *p == '\0') {
		*why = "want HOST:PORT:ADDR[,ADDR]...";
		return -1;
	}
	for (a = p; *a != '\0'; a += alen + (a[alen] == ',')) {
		alen = strcspn(a, ",");
		if (!addr_ok(a, alen)) {
			*why = "each ADDR must be an IPv4 or IPv6 address";
			return -1;
		}
	}
	if (a[-1] == ',') {
		*why = "each ADDR must be an IPv4 or IPv6 address";
		return -1;
	}
	return 0;
}

int
curlarg_connect_to(const char *arg, const char **why)
{
	const char *p = arg, *f[4];
	int len[4], i;

	*why = "want HOST1:PORT1:HOST2:PORT2 (any of them may be empty)";
	for (i = 0; i < 4; i++) {
		if ((len[i] = field(&p, &f[i])) < 0 || !host_ok(f[i], len[i]))
			return -1;
		/* Every field but the last ends at a ':'. */
		if (i < 3 && f[i][len[i]] != ':')
			return -1;
	}
	if (*p != '\0')
		return -1;
	if (!port_ok(f[1], len[1], 1) || !port_ok(f[3], len[3], 1)) {
		*why = "a PORT must be empty or a number from 1 to 65535";
		return -1;
	}
	return 0;
}
