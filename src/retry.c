/*
 * Retry policy: full-jitter exponential backoff (a delay uniform in
 * [0, min(cap, base * 2^(n-1))] before the n-th retry), Retry-After as a
 * floor, and the rules of what may be retried.  The scheduler owns the
 * timers; this file only computes.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "retry.h"

static const struct {
	const char	*name;
	unsigned	 bit;
} retry_tokens[] = {
	{ "connect", RETRY_CONNECT },
	{ "timeout", RETRY_TIMEOUT },
	{ "dns", RETRY_DNS },
	{ "tls", RETRY_TLS },
	{ "5xx", RETRY_5XX },
	{ "4xx", RETRY_4XX },
};

static void
status_set(struct retry_policy *p, long code)
{
	p->status[code / 8] |= (uint8_t)(1u << (code % 8));
}

static int
status_has(const struct retry_policy *p, long code)
{
	return code > 0 && code < 1000 &&
	    (p->status[code / 8] & (1u << (code % 8))) != 0;
}

void
retry_policy_default(struct retry_policy *p)
{
	const char *bad;

	memset(p, 0, sizeof(*p));
	p->retries = 2;
	p->base_ms = 250;
	p->cap_ms = 30 * 1000;
	retry_parse_on(p, "connect,timeout,429,500,502,503,504", &bad);
}

int
retry_parse_on(struct retry_policy *p, const char *list, const char **bad)
{
	const char *s = list, *end;
	size_t n, i;
	long code;

	p->on = 0;
	memset(p->status, 0, sizeof(p->status));
	for (;;) {
		end = s + strcspn(s, ",");
		n = (size_t)(end - s);
		*bad = s;
		for (i = 0; i < sizeof(retry_tokens) / sizeof(retry_tokens[0]);
		    i++)
			if (strlen(retry_tokens[i].name) == n &&
			    strncasecmp(s, retry_tokens[i].name, n) == 0)
				break;
		if (i < sizeof(retry_tokens) / sizeof(retry_tokens[0]))
			p->on |= retry_tokens[i].bit;
		else if (n == 3 && isdigit((unsigned char)s[0]) &&
		    isdigit((unsigned char)s[1]) &&
		    isdigit((unsigned char)s[2]) &&
		    (code = strtol(s, NULL, 10)) >= 100)
			status_set(p, code);
		else
			return -1;
		if (*end == '\0')
			break;
		s = end + 1;
	}
	*bad = NULL;
	return 0;
}

int
retry_idempotent(const char *method)
{
	static const char *const safe[] = { "GET", "HEAD", "PUT", "DELETE",
	    "OPTIONS" };
	size_t i;

	for (i = 0; i < sizeof(safe) / sizeof(safe[0]); i++)
		if (strcasecmp(method, safe[i]) == 0)
			return 1;
	return 0;
}

static int
retryable(const struct retry_policy *p, const struct retry_outcome *o)
{
	switch (o->err) {
	case ERR_CONNECT:
		return (p->on & RETRY_CONNECT) != 0;
	case ERR_TIMEOUT:
		return (p->on & RETRY_TIMEOUT) != 0;
	case ERR_DNS:
		return (p->on & RETRY_DNS) != 0;
	case ERR_TLS:
		return (p->on & RETRY_TLS) != 0;
	case ERR_HTTP:
		return status_has(p, o->status) ||
		    ((p->on & RETRY_5XX) && o->status / 100 == 5) ||
		    ((p->on & RETRY_4XX) && o->status / 100 == 4);
	default:
		return 0;
	}
}

/* The backoff ceiling before retry n (1-based), without overflow. */
static int64_t
backoff_ceiling(const struct retry_policy *p, int n)
{
	int64_t c = p->base_ms;

	while (--n > 0 && c < p->cap_ms)
		c *= 2;
	return c < p->cap_ms ? c : p->cap_ms;
}

void
retry_decide(const struct retry_policy *p, const struct retry_outcome *o,
    retry_rand rnd, void *rarg, struct retry_decision *d)
{
	int64_t ceiling;

	memset(d, 0, sizeof(*d));
	if (o->err == ERR_NONE) {
		d->why = "succeeded";
		return;
	}
	if (!retryable(p, o)) {
		d->why = "not retryable";
		return;
	}
	if (!p->unsafe && !retry_idempotent(o->method)) {
		d->why = "method not idempotent";
		return;
	}
	if (o->attempts > p->retries) {
		d->why = "retries exhausted";
		return;
	}
	if (o->retry_after_ms >= 0 && (o->retry_after_ms > p->cap_ms ||
	    (o->time_left_ms >= 0 && o->retry_after_ms >= o->time_left_ms))) {
		d->retry_after_s = (o->retry_after_ms + 999) / 1000;
		d->why = "Retry-After too long";
		return;
	}
	ceiling = backoff_ceiling(p, o->attempts);
	d->delay_ms = ceiling > 0 ? rnd(rarg, (uint32_t)ceiling + 1) : 0;
	if (o->retry_after_ms > d->delay_ms)
		d->delay_ms = o->retry_after_ms;
	if (o->time_left_ms >= 0 && d->delay_ms >= o->time_left_ms) {
		d->why = "the deadline comes first";
		return;
	}
	d->retry = 1;
	d->why = NULL;
}

int64_t
retry_after_parse(const char *v, time_t now)
{
	const int64_t max_s = RETRY_AFTER_MAX_MS / 1000;
	long long secs;
	time_t when;
	char *end;

	secs = strtoll(v, &end, 10);
	if (end != v && isdigit((unsigned char)*v)) {
		while (isspace((unsigned char)*end))
			end++;
		if (*end == '\0')
			return secs > max_s ? RETRY_AFTER_MAX_MS :
			    (int64_t)secs * 1000;
	}
	if ((when = curl_getdate(v, NULL)) == -1)
		return -1;
	/*
	 * A date far off (libcurl reads years up to 999999999) is compared
	 * before it is scaled, or seconds * 1000 would overflow.
	 */
	if (when <= now)
		return 0;
	return (int64_t)(when - now) > max_s ? RETRY_AFTER_MAX_MS :
	    (int64_t)(when - now) * 1000;
}
