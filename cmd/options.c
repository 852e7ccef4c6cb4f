/*
 * Option parsing.  The table below is the one source of truth: it is
 * sorted by long name, getopt_long's tables and --help are made from it,
 * and the switch in option_apply follows its order.
 */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonptr.h"
#include "options.h"
#include "parse.h"
#include "spec.h"
#include "xalloc.h"

enum opt_id {
	OPT_CACHE_DIR = 256,
	OPT_CACHE_MAX_SIZE,
	OPT_CACERT,
	OPT_COMPACT,
	OPT_CONCURRENCY,
	OPT_CONNECT_TIMEOUT,
	OPT_DATA,
	OPT_BODIES,
	OPT_DEADLINE,
	OPT_HEADER,
	OPT_HEADERS,
	OPT_HELP,
	OPT_INPUT,
	OPT_INSECURE,
	OPT_KEYED,
	OPT_LOCK,
	OPT_LOCK_WAIT,
	OPT_MAX_BODY,
	OPT_MAX_REDIRS,
	OPT_MERGE,
	OPT_NDJSON,
	OPT_NO_CACHE,
	OPT_NO_PROGRESS,
	OPT_OFFLINE,
	OPT_ORDERED,
	OPT_OUTPUT,
	OPT_PER_HOST,
	OPT_PRETTY,
	OPT_PROGRESS,
	OPT_QUIET,
	OPT_RATE,
	OPT_REFRESH,
	OPT_REQUEST,
	OPT_RETRY,
	OPT_RETRY_DELAY,
	OPT_RETRY_MAX_DELAY,
	OPT_RETRY_ON,
	OPT_RETRY_UNSAFE,
	OPT_SELECT,
	OPT_STALE_IF_ERROR,
	OPT_SUMMARY,
	OPT_TIMEOUT,
	OPT_TTL,
	OPT_USER_AGENT,
	OPT_VERBOSE,
	OPT_VERSION,
};

struct option_def {
	const char	*name;
	int		 shortopt;	/* 0: none */
	enum opt_id	 id;
	const char	*arg;		/* NULL: takes no value */
	const char	*help;
};

static const struct option_def option_defs[] = {
	{ "bodies", 0, OPT_BODIES, NULL,
	    "output a JSON array of the bodies; a failure is null" },
	{ "cache-dir", 0, OPT_CACHE_DIR, "DIR",
	    "cache folder [$GATHER_CACHE_DIR, $XDG_CACHE_HOME/gather]" },
	{ "cache-max-size", 0, OPT_CACHE_MAX_SIZE, "SIZE",
	    "after the run, prune the cache to SIZE, oldest first" },
	{ "cacert", 0, OPT_CACERT, "FILE",
	    "verify TLS peers with the CA certificates in FILE" },
	{ "compact", 0, OPT_COMPACT, NULL,
	    "write the document on one line" },
	{ "concurrency", 'j', OPT_CONCURRENCY, "N",
	    "at most N transfers in flight [32]" },
	{ "connect-timeout", 0, OPT_CONNECT_TIMEOUT, "DUR",
	    "limit of one connection attempt [10s]" },
	{ "data", 'd', OPT_DATA, "DATA|@FILE",
	    "request body, '@FILE' reads FILE (implies POST)" },
	{ "deadline", 0, OPT_DEADLINE, "DUR",
	    "limit of the whole run; the unfinished fail [none]" },
	{ "header", 'H', OPT_HEADER, "'K: V'",
	    "add a request header (repeatable; 'K:' removes K)" },
	{ "headers", 0, OPT_HEADERS, NULL,
	    "include the response headers in each result" },
	{ "help", 'h', OPT_HELP, NULL, "show this help and exit" },
	{ "input", 'i', OPT_INPUT, "FILE",
	    "read inputs from FILE, '-' for stdin (repeatable)" },
	{ "insecure", 'k', OPT_INSECURE, NULL,
	    "do not verify TLS certificates or host names" },
	{ "keyed", 0, OPT_KEYED, NULL,
	    "output an object NAME (or URL) -> body; a failure is null" },
	{ "lock", 0, OPT_LOCK, "FILE",
	    "hold an exclusive lock on FILE for the run, else exit 75" },
	{ "lock-wait", 0, OPT_LOCK_WAIT, "DUR",
	    "with --lock, wait up to DUR for the lock [0]" },
	{ "max-body", 0, OPT_MAX_BODY, "SIZE",
	    "fail a larger response body as too_large [16M]" },
	{ "max-redirs", 0, OPT_MAX_REDIRS, "N",
	    "redirects followed, 0 = do not follow [10]" },
	{ "merge", 0, OPT_MERGE, NULL,
	    "concatenate array bodies; deep-merge object bodies" },
	{ "ndjson", 0, OPT_NDJSON, NULL,
	    "one result per line as each completes" },
	{ "no-cache", 0, OPT_NO_CACHE, NULL,
	    "neither read nor write the cache (wins over the rest)" },
	{ "no-progress", 0, OPT_NO_PROGRESS, NULL,
	    "never show the progress line" },
	{ "offline", 0, OPT_OFFLINE, NULL,
	    "never touch the network: serve cached entries, fresh or not" },
	{ "ordered", 0, OPT_ORDERED, NULL,
	    "with --ndjson: write the lines in input order" },
	{ "output", 'o', OPT_OUTPUT, "FILE",
	    "write the output to FILE atomically" },
	{ "per-host", 0, OPT_PER_HOST, "N",
	    "at most N requests in flight to one host [0 = no limit]" },
	{ "pretty", 0, OPT_PRETTY, NULL,
	    "indent the document [when stdout is a terminal]" },
	{ "progress", 0, OPT_PROGRESS, NULL,
	    "show progress [when only stderr is a terminal]" },
	{ "quiet", 'q', OPT_QUIET, NULL,
	    "print nothing but fatal errors on stderr" },
	{ "rate", 0, OPT_RATE, "N[/DUR]",
	    "start at most N attempts per DUR, evenly spaced [no limit]" },
	{ "refresh", 0, OPT_REFRESH, NULL,
	    "ignore fresh entries, fetch, and store the new responses" },
	{ "request", 'X', OPT_REQUEST, "METHOD", "request method [GET]" },
	{ "retry", 0, OPT_RETRY, "N", "retries after the first attempt [2]" },
	{ "retry-delay", 0, OPT_RETRY_DELAY, "DUR",
	    "base delay of the backoff [250ms]" },
	{ "retry-max-delay", 0, OPT_RETRY_MAX_DELAY, "DUR",
	    "cap of one backoff delay [30s]" },
	{ "retry-on", 0, OPT_RETRY_ON, "LIST",
	    "what is retried [connect,timeout,429,500,502,503,504]" },
	{ "retry-unsafe", 0, OPT_RETRY_UNSAFE, NULL,
	    "also retry non-idempotent methods (POST, PATCH)" },
	{ "select", 0, OPT_SELECT, "POINTER",
	    "apply an RFC 6901 JSON pointer to each JSON body" },
	{ "stale-if-error", 0, OPT_STALE_IF_ERROR, "DUR",
	    "when a fetch fails, serve an entry expired by at most DUR" },
	{ "summary", 0, OPT_SUMMARY, "FILE",
	    "write the summary JSON to FILE ('-': stderr)" },
	{ "timeout", 'm', OPT_TIMEOUT, "DUR", "limit of one attempt [30s]" },
	{ "ttl", 0, OPT_TTL, "DUR",
	    "use the cache: entries stored less than DUR ago are fresh" },
	{ "user-agent", 'A', OPT_USER_AGENT, "UA",
	    "User-Agent header [gather/" GATHER_VERSION "]" },
	{ "verbose", 'v', OPT_VERBOSE, NULL,
	    "log one line per attempt on stderr" },
	{ "version", 'V', OPT_VERSION, NULL, "show the version and exit" },
};

#define NOPTS (sizeof(option_defs) / sizeof(option_defs[0]))

void
options_usage(FILE *fp)
{
	const struct option_def *d;
	char left[64];
	size_t i;

	fputs("usage: gather [OPTIONS] [URL | NAME=URL]...\n"
	      "       gather [OPTIONS] -i FILE\n"
	      "       cmd | gather [OPTIONS]\n"
	      "       gather cache stats|list|prune|purge|rm URL "
	      "[--cache-dir DIR]\n\n"
	      "Fetch many URLs concurrently; write one JSON document.\n\n"
	      "Durations: 250ms, 2s, 1m30s, 1h, 1d (a bare number is "
	      "seconds).\n"
	      "Sizes: 512, 64K, 16M, 1G.\n\n"
	      "Options:\n", fp);
	for (i = 0; i < NOPTS; i++) {
		d = &option_defs[i];
		if (d->shortopt != 0)
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
			    d->shortopt, d->name, d->arg ? " " : "",
			    d->arg ? d->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", d->name,
			    d->arg ? " " : "", d->arg ? d->arg : "");
		fprintf(fp, "  %-28s %s\n", left, d->help);
	}
	fputs("\nExit status: 0 all ok, 1 some result failed, 2 usage error, "
	      "3 output not written,\n75 locked by another run, "
	      "130 interrupted (SIGINT), 143 terminated (SIGTERM).\n", fp);
}

static void
push(char ***v, size_t *n, char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = s;
}

static int
opt_number(const char *name, const char *arg, long long min, long long max,
    long *out, char **errmsg)
{
	const char *errstr;
	long long n;

	n = strtonum(arg, min, max, &errstr);
	if (errstr == NULL) {
		*out = (long)n;
		return 0;
	}
	if (strcmp(errstr, "too small") == 0)
		*errmsg = xasprintf("--%s: too small (min %lld)", name, min);
	else if (strcmp(errstr, "too large") == 0)
		*errmsg = xasprintf("--%s: too large (max %lld)", name, max);
	else
		*errmsg = xasprintf("--%s: not a number: '%s'", name, arg);
	return -1;
}

static int
opt_duration(const char *name, const char *arg, int64_t *out, char **errmsg)
{
	const char *errstr;

	if (parse_duration(arg, out, &errstr) == -1) {
		*errmsg = xasprintf("--%s: %s: '%s'", name, errstr, arg);
		return -1;
	}
	return 0;
}

static int
opt_size(const char *name, const char *arg, int64_t *out, char **errmsg)
{
	const char *errstr;

	if (parse_size(arg, out, &errstr) == -1) {
		*errmsg = xasprintf("--%s: %s: '%s'", name, errstr, arg);
		return -1;
	}
	if (*out == 0) {
		*errmsg = xasprintf("--%s: must be more than 0", name);
		return -1;
	}
	return 0;
}

static int
opt_header(const char *arg, char **errmsg)
{
	const char *sep = arg + strcspn(arg, ":;");

	if (sep == arg || *sep == '\0' || strpbrk(arg, "\r\n") != NULL) {
		*errmsg = xasprintf("--header: want 'Name: value', got '%s'",
		    arg);
		return -1;
	}
	return 0;
}

/* Longest backoff or Retry-After wait: a day. */
#define RETRY_DELAY_MAX ((int64_t)24 * 3600 * 1000)

static int
opt_delay(const char *name, const char *arg, int64_t *out, char **errmsg)
{
	if (opt_duration(name, arg, out, errmsg) == -1)
		return -1;
	if (*out > RETRY_DELAY_MAX) {
		*errmsg = xasprintf("--%s: too large (max 1d)", name);
		return -1;
	}
	return 0;
}

/* --rate N[/DUR]: "20", "20/s", "100/1m". */
static int
opt_rate(const char *arg, struct config *cfg, char **errmsg)
{
	const char *slash, *errstr;
	char num[32], per[64];
	long long n;

	slash = strchr(arg, '/');
	if (strlcpy(num, arg, sizeof(num)) >= sizeof(num))
		goto bad;
	if (slash != NULL)
		num[slash - arg] = '\0';
	n = strtonum(num, 1, 1000000, &errstr);
	if (errstr != NULL)
		goto bad;
	cfg->rate_n = n;
	cfg->rate_per_ms = 1000;
	if (slash == NULL)
		return 0;
	/* A bare unit means one of it: "/s" is "/1s". */
	snprintf(per, sizeof(per), "%s%s",
	    isdigit((unsigned char)slash[1]) ? "" : "1", slash + 1);
	if (parse_duration(per, &cfg->rate_per_ms, &errstr) == -1 ||
	    cfg->rate_per_ms == 0)
		goto bad;
	return 0;
bad:
	*errmsg = xasprintf("--rate: want N or N/DUR (N from 1 to 1000000), "
	    "got '%s'", arg);
	return -1;
}

static int
opt_method(const char *arg, char **errmsg)
{
	if (!spec_token(arg)) {
		*errmsg = xasprintf("--request: not a method: '%s'", arg);
		return -1;
	}
	return 0;
}

static int
opt_retry_on(const char *arg, struct config *cfg, char **errmsg)
{
	const char *bad;

	if (retry_parse_on(&cfg->retry, arg, &bad) == -1) {
		*errmsg = xasprintf("--retry-on: unknown token '%.*s' (want "
		    "connect, timeout, dns, tls, 5xx, 4xx or a status code)",
		    (int)strcspn(bad, ","), bad);
		return -1;
	}
	return 0;
}

static int
opt_shape(struct config *cfg, struct options_extra *x, enum shape shape,
    char **errmsg)
{
	static const char *const names[] = { "", "--ndjson", "--bodies",
	    "--keyed", "--merge" };

	if (x->shape_set && cfg->shape != shape) {
		*errmsg = xasprintf("%s: cannot be used with %s",
		    names[shape], names[cfg->shape]);
		return -1;
	}
	x->shape_set = 1;
	cfg->shape = shape;
	return 0;
}

static int
option_apply(const struct option_def *d, char *arg, struct config *cfg,
    struct options_extra *x, char **errmsg)
{
	long n;

	switch (d->id) {
	case OPT_BODIES:
		return opt_shape(cfg, x, SHAPE_BODIES, errmsg);
	case OPT_CACHE_DIR:
		x->cache_dir = arg;
		return 0;
	case OPT_CACHE_MAX_SIZE:
		return opt_size(d->name, arg, &cfg->cache_max_size, errmsg);
	case OPT_CACERT:
		cfg->cacert = arg;
		return 0;
	case OPT_COMPACT:
		x->pretty = 0;
		return 0;
	case OPT_CONCURRENCY:
		return opt_number(d->name, arg, 1, 10000, &cfg->concurrency,
		    errmsg);
	case OPT_CONNECT_TIMEOUT:
		return opt_duration(d->name, arg, &cfg->connect_timeout_ms,
		    errmsg);
	case OPT_DATA:
		x->data = arg;
		return 0;
	case OPT_DEADLINE:
		if (opt_duration(d->name, arg, &cfg->deadline_ms, errmsg) == -1)
			return -1;
		if (cfg->deadline_ms == 0) {
			*errmsg = xstrdup("--deadline: must be more than 0");
			return -1;
		}
		return 0;
	case OPT_HEADER:
		if (opt_header(arg, errmsg) == -1)
			return -1;
		push(&cfg->headers, &cfg->nheaders, arg);
		return 0;
	case OPT_HEADERS:
		cfg->show_headers = 1;
		return 0;
	case OPT_HELP:
		x->help = 1;
		return 0;
	case OPT_INPUT:
		push(&cfg->inputs, &cfg->ninputs, arg);
		return 0;
	case OPT_INSECURE:
		cfg->insecure = 1;
		return 0;
	case OPT_KEYED:
		return opt_shape(cfg, x, SHAPE_KEYED, errmsg);
	case OPT_LOCK:
		cfg->lock = arg;
		return 0;
	case OPT_LOCK_WAIT:
		return opt_duration(d->name, arg, &cfg->lock_wait_ms, errmsg);
	case OPT_MAX_BODY:
		return opt_size(d->name, arg, &cfg->max_body, errmsg);
	case OPT_MAX_REDIRS:
		return opt_number(d->name, arg, 0, 1000, &cfg->max_redirs,
		    errmsg);
	case OPT_MERGE:
		return opt_shape(cfg, x, SHAPE_MERGE, errmsg);
	case OPT_NDJSON:
		return opt_shape(cfg, x, SHAPE_NDJSON, errmsg);
	case OPT_NO_CACHE:
		x->no_cache = 1;
		return 0;
	case OPT_NO_PROGRESS:
		x->progress = 0;
		return 0;
	case OPT_OFFLINE:
		cfg->offline = 1;
		return 0;
	case OPT_ORDERED:
		cfg->ordered = 1;
		return 0;
	case OPT_OUTPUT:
		cfg->output = arg;
		return 0;
	case OPT_PER_HOST:
		return opt_number(d->name, arg, 0, 10000, &cfg->per_host,
		    errmsg);
	case OPT_PRETTY:
		x->pretty = 1;
		return 0;
	case OPT_PROGRESS:
		x->progress = 1;
		return 0;
	case OPT_QUIET:
		cfg->quiet = 1;
		cfg->verbose = 0;
		return 0;
	case OPT_RATE:
		return opt_rate(arg, cfg, errmsg);
	case OPT_REFRESH:
		cfg->refresh = 1;
		return 0;
	case OPT_REQUEST:
		if (opt_method(arg, errmsg) == -1)
			return -1;
		x->method = arg;
		return 0;
	case OPT_RETRY:
		if (opt_number(d->name, arg, 0, 100, &n, errmsg) == -1)
			return -1;
		cfg->retry.retries = (int)n;
		return 0;
	case OPT_RETRY_DELAY:
		return opt_delay(d->name, arg, &cfg->retry.base_ms, errmsg);
	case OPT_RETRY_MAX_DELAY:
		return opt_delay(d->name, arg, &cfg->retry.cap_ms, errmsg);
	case OPT_RETRY_ON:
		return opt_retry_on(arg, cfg, errmsg);
	case OPT_RETRY_UNSAFE:
		cfg->retry.unsafe = 1;
		return 0;
	case OPT_SELECT:
		if (!jsonptr_valid(arg)) {
			*errmsg = xasprintf("--select: not a JSON pointer "
			    "(RFC 6901): '%s'", arg);
			return -1;
		}
		cfg->select = arg;
		return 0;
	case OPT_STALE_IF_ERROR:
		return opt_duration(d->name, arg, &cfg->stale_if_error_ms,
		    errmsg);
	case OPT_SUMMARY:
		cfg->summary = arg;
		return 0;
	case OPT_TIMEOUT:
		return opt_duration(d->name, arg, &cfg->timeout_ms, errmsg);
	case OPT_TTL:
		return opt_duration(d->name, arg, &cfg->ttl_ms, errmsg);
	case OPT_USER_AGENT:
		cfg->user_agent = arg;
		return 0;
	case OPT_VERBOSE:
		cfg->verbose = 1;
		cfg->quiet = 0;
		return 0;
	case OPT_VERSION:
		x->version = 1;
		return 0;
	}
	return 0;
}

static const struct option_def *
option_find(int c)
{
	size_t i;

	for (i = 0; i < NOPTS; i++)
		if ((int)option_defs[i].id == c || option_defs[i].shortopt == c)
			return &option_defs[i];
	return NULL;
}

int
options_parse(int argc, char **argv, struct config *cfg,
    struct options_extra *x, char **errmsg)
{
	struct option longopts[NOPTS + 1];
	char shortopts[2 * NOPTS + 2], *sp = shortopts;
	const struct option_def *d;
	size_t i;
	int c, ret = -1;

	*errmsg = NULL;
	x->help = x->version = 0;
	x->pretty = -1;
	x->data = x->method = x->cache_dir = NULL;
	x->no_cache = x->shape_set = 0;
	x->progress = -1;
	*sp++ = ':';	/* Report a missing value as ':'. */
	for (i = 0; i < NOPTS; i++) {
		d = &option_defs[i];
		longopts[i] = (struct option){ d->name,
		    d->arg ? required_argument : no_argument, NULL, d->id };
		if (d->shortopt != 0) {
			*sp++ = (char)d->shortopt;
			if (d->arg)
				*sp++ = ':';
		}
	}
	*sp = '\0';
	memset(&longopts[NOPTS], 0, sizeof(longopts[NOPTS]));
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			d = option_find(optopt);
			if (c == ':' && d != NULL)
				*errmsg = xasprintf("--%s: needs a value",
				    d->name);
			else if (optopt != 0)
				*errmsg = xasprintf("unknown option '-%c'",
				    optopt);
			else
				*errmsg = xasprintf("unknown option '%s'",
				    argv[optind - 1]);
			goto out;
		}
		if ((d = option_find(c)) == NULL ||
		    option_apply(d, optarg, cfg, x, errmsg) == -1)
			goto out;
	}
	for (i = (size_t)optind; i < (size_t)argc; i++)
		push(&cfg->urls, &cfg->nurls, argv[i]);
	ret = 0;
out:
	return ret;
}

char *
options_cache_dir(const char *dir)
{
	const char *v;

	if (dir != NULL)
		return xstrdup(dir);
	if ((v = getenv("GATHER_CACHE_DIR")) != NULL && *v != '\0')
		return xstrdup(v);
	if ((v = getenv("XDG_CACHE_HOME")) != NULL && *v != '\0')
		return xasprintf("%s/gather", v);
	if ((v = getenv("HOME")) != NULL && *v != '\0')
		return xasprintf("%s/.cache/gather", v);
	return NULL;
}
