/*
 * The freshness of a response, from its headers, for a private cache
 * (RFC 9111 sections 4.2 and 5).  Small parsers over untrusted strings:
 * each reads only up to the NUL and treats what it does not understand as
 * the RFC says (an invalid max-age or Expires as stale, an invalid Age as
 * absent).  It decides nothing about storing or serving: serve.c does.
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "freshness.h"

/* A token character of RFC 9110 section 5.6.2, as the C locale has it. */
static int
is_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static const char *
skip_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

int
freshness_delta(const char *p, size_t n, int64_t *out)
{
	int64_t v = 0;
	size_t i;

	if (n == 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		/* Past 2^31 the value saturates; the digits are still checked.
		 */
		if (v < FRESHNESS_DELTA_MAX)
			v = v * 10 + (p[i] - '0');
	}
	*out = v < FRESHNESS_DELTA_MAX ? v : FRESHNESS_DELTA_MAX;
	return 0;
}

/* 1 when the n bytes at name are the directive want, in any case. */
static int
is_name(const char *name, size_t n, const char *want)
{
	return n == strlen(want) && strncasecmp(name, want, n) == 0;
}

/*
 * Reads an argument after "=" at *pp: a quoted string (its inside, escapes
 * left in) or a token.  Returns -1 for an unterminated quoted string.
 */
static int
cc_argument(const char **pp, const char **arg, size_t *len)
{
	const char *p = *pp;

	if (*p != '"') {
		*arg = p;
		while (is_tchar(*p))
			p++;
		*len = (size_t)(p - *arg);
		*pp = p;
		return 0;
	}
	*arg = ++p;
	while (*p != '\0' && *p != '"')
		p += p[0] == '\\' && p[1] != '\0' ? 2 : 1;
	*len = (size_t)(p - *arg);
	if (*p != '"') {
		*pp = p;
		return -1;
	}
	*pp = p + 1;
	return 0;
}

/* Applies one directive; well is 0 when it was not well formed. */
static void
cc_directive(struct cache_control *cc, const char *name, size_t nlen,
    const char *arg, size_t alen, int well)
{
	/* These two are heeded however they are written: the safe side. */
	if (is_name(name, nlen, "no-store"))
		cc->no_store = 1;
	else if (is_name(name, nlen, "no-cache"))
		cc->no_cache = 1;
	else if (is_name(name, nlen, "max-age") && !cc->max_age_given) {
		cc->max_age_given = 1;
		if (!well || arg == NULL ||
		    freshness_delta(arg, alen, &cc->max_age) == -1) {
			cc->max_age_bad = 1;
			cc->max_age = 0;
		}
	}
}

void
freshness_cc(const char *v, struct cache_control *cc)
{
	const char *name, *arg;
	size_t nlen, alen;
	int well;

	memset(cc, 0, sizeof(*cc));
	while (v != NULL && *v != '\0') {
		while (*v == ' ' || *v == '\t' || *v == ',')
			v++;
		if (*v == '\0')
			break;
		name = v;
		while (is_tchar(*v))
			v++;
		nlen = (size_t)(v - name);
		v = skip_ows(v);
		arg = NULL;
		alen = 0;
		well = nlen > 0;
		if (*v == '=') {
			v = skip_ows(v + 1);
			if (cc_argument(&v, &arg, &alen) == -1)
				well = 0;
		}
		v = skip_ows(v);
		/* Anything else before the next comma spoils the directive. */
		if (*v != ',' && *v != '\0') {
			well = 0;
			v += strcspn(v, ",");
		}
		cc_directive(cc, name, nlen, arg, alen, well);
	}
}

int
freshness_date(const char *v, int64_t *out)
{
	time_t t;

	if (v == NULL || (t = curl_getdate(v, NULL)) == -1)
		return -1;
	*out = (int64_t)t;
	return 0;
}

int
freshness_age(const char *v, int64_t *out)
{
	const char *end;

	if (v == NULL)
		return -1;
	/* A list-valued Age counts by its first member (RFC 9111 5.1). */
	v = skip_ows(v);
	end = v + strcspn(v, ",");
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return freshness_delta(v, (size_t)(end - v), out);
}

int
freshness_vary_star(const char *v)
{
	const char *end;

	while (v != NULL && *v != '\0') {
		v = skip_ows(v);
		end = v + strcspn(v, ",");
		while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end - v == 1 && *v == '*')
			return 1;
		v += strcspn(v, ",");
		if (*v == ',')
			v++;
	}
	return 0;
}

/* The freshness lifetime in ms (RFC 9111 section 4.2.1). */
static int64_t
lifetime(const struct result_headers *h, int64_t date, int64_t dflt_ms)
{
	struct cache_control cc;
	int64_t expires;

	freshness_cc(h->cache_control, &cc);
	if (cc.no_cache || cc.max_age_bad)
		return 0;
	if (cc.max_age_given)
		return cc.max_age * 1000;
	if (h->expires == NULL)
		return dflt_ms;
	/* An Expires that is no date, "0" say, is already in the past. */
	if (freshness_date(h->expires, &expires) == -1 || expires <= date)
		return 0;
	if (expires - date > FRESHNESS_DELTA_MAX)
		return FRESHNESS_DELTA_MAX * 1000;
	return (expires - date) * 1000;
}

int64_t
freshness_expires_at(
    const struct result_headers *h, int64_t now, int64_t dflt_ms)
{
	int64_t s = now / 1000, date, age = 0, given, left;

	/*
	 * The age when received (RFC 9111 section 4.2.3, the delays of the
	 * exchange left out): the larger of what the clocks say and what the
	 * server says.  Dates count whole seconds, and so does this.
	 */
	if (freshness_date(h->date, &date) == -1)
		date = s;
	if (s > date)
		age = s - date < FRESHNESS_DELTA_MAX ? s - date
						     : FRESHNESS_DELTA_MAX;
	if (freshness_age(h->age, &given) == 0 && given > age)
		age = given;
	left = lifetime(h, date, dflt_ms) - age * 1000;
	return left > 0 ? now + left : now;
}
