/*
 * Which URLs gather accepts, their normal form, and how they are shown in
 * output and logs.  Every URL is parsed by libcurl's URL API, and the
 * handle it makes is the one the transfer fetches: nothing here finds the
 * parts of a URL by hand.  Only text that libcurl refused is looked at
 * directly, to word the reason and to hide what may be a password.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "url.h"
#include "xalloc.h"

#define SCHEME_CHARS	"abcdefghijklmnopqrstuvwxyz" \
			"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-."

static void
lower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* Part p of h as an allocated string, or NULL when h has none. */
static char *
url_part(CURLU *h, CURLUPart p, unsigned flags)
{
	CURLUcode rc;
	char *s, *v;

	if ((rc = curl_url_get(h, p, &v, flags)) == CURLUE_OUT_OF_MEMORY)
		xalloc_die();
	if (rc != CURLUE_OK)
		return NULL;
	s = xstrdup(v);
	curl_free(v);
	return s;
}

static void
url_set(CURLU *h, CURLUPart p, const char *v)
{
	if (curl_url_set(h, p, v, 0) == CURLUE_OUT_OF_MEMORY)
		xalloc_die();
}

/* 1 when libcurl read a password, even an empty one, in h. */
static int
url_has_password(CURLU *h)
{
	char *pw = url_part(h, CURLUPART_PASSWORD, 0);
	int has = pw != NULL;

	free(pw);
	return has;
}

/*
 * The length of the would-be scheme text starts with, up to its ':' (0:
 * none).  Used only on text libcurl refused.
 */
static size_t
scheme_len(const char *text)
{
	size_t n = strspn(text, SCHEME_CHARS);

	return n > 0 && isalpha((unsigned char)*text) && text[n] == ':' ? n :
	    0;
}

/* 1 when the would-be scheme of text, n long, is followed by a slash. */
static int
scheme_slash(const char *text, size_t n)
{
	return n > 0 && text[n + 1] != '\0' && strchr("/\\", text[n + 1]) !=
	    NULL;
}

/* Why libcurl refused text (rc), in gather's words where it has them. */
static const char *
url_refusal(const char *text, CURLUcode rc)
{
	size_t n = scheme_len(text);

	if (rc == CURLUE_NO_HOST)
		return "no host";
	if (rc != CURLUE_BAD_SCHEME && rc != CURLUE_BAD_SLASHES &&
	    rc != CURLUE_MALFORMED_INPUT)
		return curl_url_strerror(rc);
	if ((n == 4 && strncasecmp(text, "http", 4) == 0) ||
	    (n == 5 && strncasecmp(text, "https", 5) == 0))
		return curl_url_strerror(rc);
	/* "a.test/x", "localhost:8080/x": no scheme was meant. */
	if (!scheme_slash(text, n))
		return "missing scheme (http:// or https://)";
	return "unsupported scheme (only http and https)";
}

/* Checks what libcurl parsed into h; NULL, or why it is refused. */
static const char *
url_refuse(CURLU *h)
{
	char *scheme, *host;
	const char *why = NULL;

	scheme = url_part(h, CURLUPART_SCHEME, 0);
	host = url_part(h, CURLUPART_HOST, 0);
	if (scheme == NULL || (strcmp(scheme, "http") != 0 &&
	    strcmp(scheme, "https") != 0))
		why = "unsupported scheme (only http and https)";
	else if (host == NULL || *host == '\0')
		why = "no host";
	free(scheme);
	free(host);
	return why;
}

/*
 * Normalises h in place: the host lower-cased, the default port and the
 * fragment dropped.  libcurl has already lower-cased the scheme, made an
 * empty path "/" and removed dot segments.
 */
static void
url_norm(CURLU *h)
{
	char *host, *port, *zone;
	const char *dflt;

	host = url_part(h, CURLUPART_HOST, 0);
	if (strpbrk(host, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != NULL) {
		/* Setting the host forgets an IPv6 zone: set it again. */
		zone = url_part(h, CURLUPART_ZONEID, 0);
		lower(host);
		url_set(h, CURLUPART_HOST, host);
		if (zone != NULL)
			url_set(h, CURLUPART_ZONEID, zone);
		free(zone);
	}
	free(host);
	url_set(h, CURLUPART_FRAGMENT, NULL);
	dflt = url_https(h) ? "443" : "80";
	if ((port = url_part(h, CURLUPART_PORT, 0)) != NULL &&
	    strcmp(port, dflt) == 0)
		url_set(h, CURLUPART_PORT, NULL);
	free(port);
}

CURLU *
url_new(const char *text, char **shown, const char **why)
{
	CURLUcode rc;
	CURLU *h;

	*why = NULL;
	if ((h = curl_url()) == NULL)
		xalloc_die();
	rc = curl_url_set(h, CURLUPART_URL, text, CURLU_NON_SUPPORT_SCHEME);
	if (rc == CURLUE_OUT_OF_MEMORY)
		xalloc_die();
	*why = rc != CURLUE_OK ? url_refusal(text, rc) : url_refuse(h);
	if (*why != NULL) {
		curl_url_cleanup(h);
		return NULL;
	}
	/* Shown as libcurl read it, before it is normalised. */
	if (shown != NULL)
		*shown = url_has_password(h) ? url_redacted(h) : xstrdup(text);
	url_norm(h);
	return h;
}

void
url_free(CURLU *h)
{
	curl_url_cleanup(h);
}

char *
url_text(CURLU *h)
{
	char *s;

	if ((s = url_part(h, CURLUPART_URL, 0)) == NULL)
		xalloc_die();	/* a handle url_new made always has one */
	return s;
}

char *
url_redacted(CURLU *h)
{
	CURLU *d;
	char *s;

	if (!url_has_password(h))
		return url_text(h);
	if ((d = curl_url_dup(h)) == NULL)
		xalloc_die();
	url_set(d, CURLUPART_PASSWORD, "***");
	s = url_text(d);
	curl_url_cleanup(d);
	return s;
}

char *
url_hostkey(CURLU *h)
{
	char *host, *port, *key;

	host = url_part(h, CURLUPART_HOST, 0);
	port = url_part(h, CURLUPART_PORT, CURLU_DEFAULT_PORT);
	key = xasprintf("%s:%s", host != NULL ? host : "",
	    port != NULL ? port : "");
	lower(key);
	free(host);
	free(port);
	return key;
}

int
url_https(CURLU *h)
{
	char *scheme = url_part(h, CURLUPART_SCHEME, 0);
	int https = scheme != NULL && strcmp(scheme, "https") == 0;

	free(scheme);
	return https;
}

char *
url_normalize(const char *text, int hide)
{
	const char *why;
	char *s;
	CURLU *h;

	if ((h = url_new(text, NULL, &why)) == NULL)
		return NULL;
	s = hide ? url_redacted(h) : url_text(h);
	url_free(h);
	return s;
}

char *
url_show(const char *text)
{
	const char *why;
	struct buf b;
	char *shown;
	CURLU *h;

	if ((h = url_new(text, &shown, &why)) != NULL) {
		url_free(h);
		return shown;
	}
	buf_init(&b);
	url_redact_loose(text, &b);
	return buf_steal(&b);
}

void
url_redact_loose(const char *text, struct buf *b)
{
	const char *start = text, *at, *colon;
	size_t n;

	/*
	 * The userinfo of text that did not parse may hold '/', '?' or '#':
	 * hide everything from the first ':' to the last '@', erring on the
	 * side of hiding too much.  "user:PW@h" has no scheme: the authority
	 * starts with the text.
	 */
	if (scheme_slash(text, (n = scheme_len(text))))
		start = text + n + 1 + strspn(text + n + 1, "/\\");
	if ((at = strrchr(start, '@')) == NULL ||
	    (colon = memchr(start, ':', (size_t)(at - start))) == NULL) {
		buf_adds(b, text);
		return;
	}
	buf_add(b, text, (size_t)(colon + 1 - text));
	buf_adds(b, "***");
	buf_adds(b, at);
}
