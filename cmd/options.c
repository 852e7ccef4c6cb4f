/*
 * Option parsing.  The table below is the one source of truth: it is
 * sorted by long name, getopt_long's tables and --help are made from it,
 * and the switch in option_apply follows its order.  A new option is an
 * id, a row (its group picks its --help section, which wraps the help
 * text to fit) and a case.  getopt_long does the matching; the messages
 * for what it refuses are made here, from the table, not by glibc.  It
 * does not settle what depends on the environment (terminals, the cache
 * folder): settle.c does.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#define LIBBSD_OPENBSD_VIS	/* stravis only; silences libbsd's warning */
#include <vis.h>

#include "buf.h"
#include "cfgfile.h"
#include "curlarg.h"
#include "jsonptr.h"
#include "options.h"
#include "parse.h"
#include "shard.h"
#include "spec.h"
#include "vars.h"
#include "xalloc.h"

enum opt_id {
	OPT_LONG = 255,		/* below every id, above every short letter */
	OPT_BODIES,
	OPT_CACERT,
	OPT_CACHE_DIR,
	OPT_CACHE_MAX_SIZE,
	OPT_CERT,
	OPT_COLOR,
	OPT_COMPACT,
	OPT_COMPRESSED,
	OPT_CONCURRENCY,
	OPT_CONFIG,
	OPT_CONNECT_TIMEOUT,
	OPT_CONNECT_TO,
	OPT_COOKIE,
	OPT_COOKIE_JAR,
	OPT_CURSOR,
	OPT_CURSOR_PARAM,
	OPT_DATA,
	OPT_DEADLINE,
	OPT_EXPAND_DATA,
	OPT_EXPAND_HEADER,
	OPT_EXPAND_URL,
	OPT_FAIL_FAST,
	OPT_GLOBOFF,
	OPT_HEADER,
	OPT_HEADERS,
	OPT_HELP,
	OPT_HTTP1_1,
	OPT_HTTP2,
	OPT_IDEMPOTENCY_KEY,
	OPT_INPUT,
	OPT_INSECURE,
	OPT_IPV4,
	OPT_IPV6,
	OPT_ITEMS,
	OPT_JSON,
	OPT_KEY,
	OPT_KEYED,
	OPT_LOCATION,
	OPT_LOCK,
	OPT_LOCK_TTL,
	OPT_LOCK_WAIT,
	OPT_MAX_BODY,
	OPT_MAX_PAGES,
	OPT_MAX_REDIRS,
	OPT_MERGE,
	OPT_NDJSON,
	OPT_NETRC,
	OPT_NETRC_FILE,
	OPT_NETRC_OPTIONAL,
	OPT_NEXT,
	OPT_NO_CACHE,
	OPT_NO_COMPRESSED,
	OPT_NO_CONFIG,
	OPT_NO_PROGRESS,
	OPT_NOPROXY,
	OPT_OAUTH2_BEARER,
	OPT_OFFLINE,
	OPT_OK,
	OPT_ORDERED,
	OPT_OUTPUT,
	OPT_PAGINATE,
	OPT_PER_HOST,
	OPT_PINNEDPUBKEY,
	OPT_PRETTY,
	OPT_PROGRESS,
	OPT_PROXY,
	OPT_PROXY_USER,
	OPT_QUIET,
	OPT_RATE,
	OPT_RECORD,
	OPT_REDIS,
	OPT_REDIS_PREFIX,
	OPT_REDIS_TIMEOUT,
	OPT_REDIS_TTL,
	OPT_REFRESH,
	OPT_REPLAY,
	OPT_REQUEST,
	OPT_RESOLVE,
	OPT_RETRY,
	OPT_RETRY_DELAY,
	OPT_RETRY_MAX_DELAY,
	OPT_RETRY_ON,
	OPT_RETRY_UNSAFE,
	OPT_SECRET_HEADER,
	OPT_SELECT,
	OPT_SHARD,
	OPT_SHARED_RATE,
	OPT_SHOW_ERROR,
	OPT_SILENT,
	OPT_STABLE,
	OPT_STALE_IF_ERROR,
	OPT_SUMMARY,
	OPT_TIMEOUT,
	OPT_TIMINGS,
	OPT_TTL,
	OPT_UNIX_SOCKET,
	OPT_USER,
	OPT_USER_AGENT,
	OPT_VARIABLE,
	OPT_VERBOSE,
	OPT_VERSION,
};

/* The sections of --help, in the order it prints them. */
enum opt_group {
	G_INPUT,
	G_REQUESTS,
	G_PAGES,
	G_RETRIES,
	G_CACHE,
	G_OUTPUT,
	G_RUN,
};

static const char *const group_titles[] = {
	[G_INPUT] = "Input",
	[G_REQUESTS] = "Requests",
	[G_PAGES] = "Pagination",
	[G_RETRIES] = "Concurrency and retries",
	[G_CACHE] = "Cache",
	[G_OUTPUT] = "Output",
	[G_RUN] = "Run control",
};

#define NGROUPS (sizeof(group_titles) / sizeof(group_titles[0]))

struct option_def {
	const char	*name;
	int		 shortopt;	/* 0: none */
	enum opt_id	 id;
	enum opt_group	 group;
	const char	*arg;		/* NULL: takes no value */
	const char	*help;		/* a default goes last, in brackets */
};

static const struct option_def option_defs[] = {
	{ "bodies", 0, OPT_BODIES, G_OUTPUT, NULL,
	    "output an array of the bodies; a failure is null" },
	{ "cacert", 0, OPT_CACERT, G_REQUESTS, "FILE",
	    "verify TLS peers with the CA certificates in FILE" },
	{ "cache-dir", 0, OPT_CACHE_DIR, G_CACHE, "DIR",
	    "cache folder [$GATHER_CACHE_DIR, $XDG_CACHE_HOME/gather]" },
	{ "cache-max-size", 0, OPT_CACHE_MAX_SIZE, G_CACHE, "SIZE",
	    "after the run, cut the cache to SIZE, oldest first" },
	{ "cert", 'E', OPT_CERT, G_REQUESTS, "FILE[:PASSWORD]",
	    "TLS client certificate ('\\:' is a ':' of FILE)" },
	{ "color", 0, OPT_COLOR, G_OUTPUT, "WHEN",
	    "colour the output: auto, always, never [auto]" },
	{ "compact", 0, OPT_COMPACT, G_OUTPUT, NULL,
	    "write the document on one line" },
	{ "compressed", 0, OPT_COMPRESSED, G_REQUESTS, NULL,
	    "ask for every encoding libcurl decodes [default]" },
	{ "concurrency", 'j', OPT_CONCURRENCY, G_RETRIES, "N",
	    "at most N transfers in flight [32]" },
	{ "config", 'K', OPT_CONFIG, G_RUN, "FILE",
	    "read options from FILE in curl's -K syntax" },
	{ "connect-timeout", 0, OPT_CONNECT_TIMEOUT, G_REQUESTS, "DUR",
	    "limit of one connection attempt [10s]" },
	{ "connect-to", 0, OPT_CONNECT_TO, G_REQUESTS, "H1:P1:H2:P2",
	    "connect to H2:P2 for H1:P1 (repeatable)" },
	{ "cookie", 'b', OPT_COOKIE, G_REQUESTS, "DATA|FILE",
	    "send cookies 'N=V; N2=V2', or load a cookie FILE" },
	{ "cookie-jar", 'c', OPT_COOKIE_JAR, G_REQUESTS, "FILE",
	    "write every cookie to FILE at the end, atomically" },
	{ "cursor", 0, OPT_CURSOR, G_PAGES, "POINTER",
	    "put the value at POINTER of a page into --cursor-param" },
	{ "cursor-param", 0, OPT_CURSOR_PARAM, G_PAGES, "NAME",
	    "the query parameter of the input's URL the cursor goes in" },
	{ "data", 'd', OPT_DATA, G_REQUESTS, "DATA|@FILE",
	    "request body, '@FILE' reads FILE (implies POST)" },
	{ "deadline", 0, OPT_DEADLINE, G_RUN, "DUR",
	    "limit of the whole run; the unfinished fail [none]" },
	{ "expand-data", 0, OPT_EXPAND_DATA, G_REQUESTS, "DATA",
	    "--data with {{NAME}} replaced by a --variable" },
	{ "expand-header", 0, OPT_EXPAND_HEADER, G_REQUESTS, "'K: V'",
	    "--header with {{NAME}} replaced by a --variable" },
	{ "expand-url", 0, OPT_EXPAND_URL, G_REQUESTS, "URL",
	    "a URL argument with {{NAME}} replaced (goes first)" },
	{ "fail-fast", 0, OPT_FAIL_FAST, G_RUN, NULL,
	    "end the run at the first failed result" },
	{ "globoff", 'g', OPT_GLOBOFF, G_INPUT, NULL,
	    "take URLs as they are, not as globs ([1-9], {a,b})" },
	{ "header", 'H', OPT_HEADER, G_REQUESTS, "'K: V'|@FILE",
	    "add a request header (repeatable; 'K:' removes K), "
	    "or those in FILE" },
	{ "headers", 0, OPT_HEADERS, G_OUTPUT, NULL,
	    "include the response headers in each result" },
	{ "help", 'h', OPT_HELP, G_RUN, NULL, "show this help and exit" },
	{ "http1.1", 0, OPT_HTTP1_1, G_REQUESTS, NULL,
	    "use HTTP/1.1 only" },
	{ "http2", 0, OPT_HTTP2, G_REQUESTS, NULL,
	    "HTTP/2 over TLS, HTTP/1.1 over http:// [default]" },
	{ "idempotency-key", 0, OPT_IDEMPOTENCY_KEY, G_REQUESTS, NULL,
	    "send POST and PATCH with an Idempotency-Key: UUID" },
	{ "input", 'i', OPT_INPUT, G_INPUT, "FILE",
	    "read inputs from FILE, '-' for stdin (repeatable)" },
	{ "insecure", 'k', OPT_INSECURE, G_REQUESTS, NULL,
	    "do not verify TLS certificates or host names" },
	{ "ipv4", '4', OPT_IPV4, G_REQUESTS, NULL,
	    "connect to IPv4 addresses only" },
	{ "ipv6", '6', OPT_IPV6, G_REQUESTS, NULL,
	    "connect to IPv6 addresses only" },
	{ "items", 0, OPT_ITEMS, G_PAGES, "POINTER",
	    "collect the array at POINTER of each page [the body]" },
	{ "json", 0, OPT_JSON, G_REQUESTS, "DATA|@FILE",
	    "JSON body: POST, Content-Type and Accept JSON" },
	{ "key", 0, OPT_KEY, G_REQUESTS, "FILE",
	    "private key of --cert [in the --cert FILE]" },
	{ "keyed", 0, OPT_KEYED, G_OUTPUT, NULL,
	    "output {NAME or URL: body}; a failure is null" },
	{ "location", 'L', OPT_LOCATION, G_REQUESTS, NULL,
	    "accepted for curl: redirects are followed [always]" },
	{ "lock", 0, OPT_LOCK, G_RUN, "FILE|redis:NAME",
	    "hold a lock on FILE (or in Redis) for the run, else exit 75" },
	{ "lock-ttl", 0, OPT_LOCK_TTL, G_RUN, "DUR",
	    "a Redis lock of a killed run lapses after DUR [30s]" },
	{ "lock-wait", 0, OPT_LOCK_WAIT, G_RUN, "DUR",
	    "with --lock, wait up to DUR for the lock [0]" },
	{ "max-body", 0, OPT_MAX_BODY, G_REQUESTS, "SIZE",
	    "fail a larger response body as too_large [16M]" },
	{ "max-pages", 0, OPT_MAX_PAGES, G_PAGES, "N",
	    "follow at most N pages of one input [100]" },
	{ "max-redirs", 0, OPT_MAX_REDIRS, G_REQUESTS, "N",
	    "redirects followed, 0 = do not follow [10]" },
	{ "merge", 0, OPT_MERGE, G_OUTPUT, NULL,
	    "concatenate array bodies; deep-merge object bodies" },
	{ "ndjson", 0, OPT_NDJSON, G_OUTPUT, NULL,
	    "one result per line as each completes" },
	{ "netrc", 0, OPT_NETRC, G_REQUESTS, NULL,
	    "log in as ~/.netrc says for the host (file required)" },
	{ "netrc-file", 0, OPT_NETRC_FILE, G_REQUESTS, "FILE",
	    "--netrc with FILE instead of ~/.netrc" },
	{ "netrc-optional", 0, OPT_NETRC_OPTIONAL, G_REQUESTS, NULL,
	    "--netrc, but a missing file is no error" },
	{ "next", 0, OPT_NEXT, G_PAGES, "POINTER",
	    "the next page's URL is the string at POINTER of a page" },
	{ "no-cache", 0, OPT_NO_CACHE, G_CACHE, NULL,
	    "never read or write the cache (wins over the rest)" },
	{ "no-compressed", 0, OPT_NO_COMPRESSED, G_REQUESTS, NULL,
	    "send no Accept-Encoding; bodies come as sent" },
	{ "no-config", 0, OPT_NO_CONFIG, G_RUN, NULL,
	    "first argument only: skip ~/.config/gather/config" },
	{ "no-progress", 0, OPT_NO_PROGRESS, G_RUN, NULL,
	    "never show the progress line" },
	{ "noproxy", 0, OPT_NOPROXY, G_REQUESTS, "LIST",
	    "hosts to reach directly, '*': all [$no_proxy]" },
	{ "oauth2-bearer", 0, OPT_OAUTH2_BEARER, G_REQUESTS, "TOKEN",
	    "send 'Authorization: Bearer TOKEN' (shown by ps)" },
	{ "offline", 0, OPT_OFFLINE, G_CACHE, NULL,
	    "no network: serve cached entries, fresh or not" },
	{ "ok", 0, OPT_OK, G_REQUESTS, "LIST",
	    "statuses that are ok: 404, 2xx, 200-299 [below 400]" },
	{ "ordered", 0, OPT_ORDERED, G_OUTPUT, NULL,
	    "with --ndjson: write the lines in input order" },
	{ "output", 'o', OPT_OUTPUT, G_OUTPUT, "FILE",
	    "write the output to FILE atomically" },
	{ "paginate", 0, OPT_PAGINATE, G_PAGES, NULL,
	    "follow Link: rel=\"next\" headers, page by page" },
	{ "per-host", 0, OPT_PER_HOST, G_RETRIES, "N",
	    "at most N in flight to one host [0 = no limit]" },
	{ "pinnedpubkey", 0, OPT_PINNEDPUBKEY, G_REQUESTS, "HASHES",
	    "TLS peer's key: 'sha256//BASE64;...' or a FILE" },
	{ "pretty", 0, OPT_PRETTY, G_OUTPUT, NULL,
	    "indent the document [when stdout is a terminal]" },
	{ "progress", 0, OPT_PROGRESS, G_RUN, NULL,
	    "show progress [when only stderr is a terminal]" },
	{ "proxy", 'x', OPT_PROXY, G_REQUESTS, "URL",
	    "use this proxy [$http_proxy, $https_proxy]" },
	{ "proxy-user", 'U', OPT_PROXY_USER, G_REQUESTS, "USER:PASSWORD",
	    "credentials for the proxy (never shown)" },
	{ "quiet", 'q', OPT_QUIET, G_RUN, NULL,
	    "print nothing but fatal errors on stderr" },
	{ "rate", 0, OPT_RATE, G_RETRIES, "N[/DUR]",
	    "at most N attempts per DUR, evenly spaced [none]" },
	{ "record", 0, OPT_RECORD, G_CACHE, "DIR",
	    "write each response to a fixture file in DIR" },
	{ "redis", 0, OPT_REDIS, G_CACHE, "URL",
	    "share the cache through Redis at URL [$GATHER_REDIS]" },
	{ "redis-prefix", 0, OPT_REDIS_PREFIX, G_CACHE, "P",
	    "prefix of every Redis key [gather:]" },
	{ "redis-timeout", 0, OPT_REDIS_TIMEOUT, G_CACHE, "DUR",
	    "a Redis reply later than DUR is a miss [250ms]" },
	{ "redis-ttl", 0, OPT_REDIS_TTL, G_CACHE, "DUR",
	    "Redis expiry of an entry without a TTL [1d]" },
	{ "refresh", 0, OPT_REFRESH, G_CACHE, NULL,
	    "fetch even when fresh; store the new responses" },
	{ "replay", 0, OPT_REPLAY, G_CACHE, "DIR",
	    "answer from the fixtures in DIR, never the network" },
	{ "request", 'X', OPT_REQUEST, G_REQUESTS, "METHOD",
	    "request method [GET]" },
	{ "resolve", 0, OPT_RESOLVE, G_REQUESTS, "HOST:PORT:ADDR[,ADDR]...",
	    "use ADDR for HOST:PORT (repeatable)" },
	{ "retry", 0, OPT_RETRY, G_RETRIES, "N",
	    "retries after the first attempt [2]" },
	{ "retry-delay", 0, OPT_RETRY_DELAY, G_RETRIES, "DUR",
	    "base delay of the backoff [250ms]" },
	{ "retry-max-delay", 0, OPT_RETRY_MAX_DELAY, G_RETRIES, "DUR",
	    "cap of one backoff delay [30s]" },
	{ "retry-on", 0, OPT_RETRY_ON, G_RETRIES, "LIST",
	    "what is retried [connect,timeout,429,500,502,503,504]" },
	{ "retry-unsafe", 0, OPT_RETRY_UNSAFE, G_RETRIES, NULL,
	    "also retry non-idempotent methods (POST, PATCH)" },
	{ "secret-header", 0, OPT_SECRET_HEADER, G_REQUESTS, "NAME",
	    "never show header NAME's value (repeatable)" },
	{ "select", 0, OPT_SELECT, G_OUTPUT, "POINTER",
	    "apply an RFC 6901 JSON pointer to each JSON body" },
	{ "shard", 0, OPT_SHARD, G_INPUT, "K/N",
	    "run only the inputs whose key falls in shard K of N" },
	{ "shared-rate", 0, OPT_SHARED_RATE, G_RETRIES, "KEY",
	    "with --redis, share the --rate budget of KEY" },
	{ "show-error", 'S', OPT_SHOW_ERROR, G_RUN, NULL,
	    "with -q or -s, still report the failed results" },
	{ "silent", 's', OPT_SILENT, G_RUN, NULL, "the same as --quiet" },
	{ "stable", 0, OPT_STABLE, G_OUTPUT, NULL,
	    "leave out times: the same responses, the same bytes" },
	{ "stale-if-error", 0, OPT_STALE_IF_ERROR, G_CACHE, "DUR",
	    "serve an entry expired by at most DUR on failure" },
	{ "summary", 0, OPT_SUMMARY, G_OUTPUT, "FILE",
	    "write the summary JSON to FILE ('-': stderr)" },
	{ "timeout", 'm', OPT_TIMEOUT, G_REQUESTS, "DUR",
	    "limit of one attempt [30s]" },
	{ "timings", 0, OPT_TIMINGS, G_OUTPUT, NULL,
	    "add where the time went to each result, hosts to the summary" },
	{ "ttl", 0, OPT_TTL, G_CACHE, "DUR|auto[:DUR]",
	    "use the cache; fresh for DUR or as the server says" },
	{ "unix-socket", 0, OPT_UNIX_SOCKET, G_REQUESTS, "PATH",
	    "connect through the Unix socket PATH" },
	{ "user", 'u', OPT_USER, G_REQUESTS, "USER:PASSWORD",
	    "log in with HTTP basic authentication" },
	{ "user-agent", 'A', OPT_USER_AGENT, G_REQUESTS, "UA",
	    "User-Agent header [gather/" GATHER_VERSION "]" },
	{ "variable", 0, OPT_VARIABLE, G_REQUESTS, "NAME=V|NAME@FILE|%ENV",
	    "set NAME for {{NAME}} in specs and expand options; "
	    "%ENV[=DEFAULT] imports ENV" },
	{ "verbose", 'v', OPT_VERBOSE, G_RUN, NULL,
	    "log one line per attempt on stderr" },
	{ "version", 'V', OPT_VERSION, G_RUN, NULL,
	    "show the version and exit" },
};

#define NOPTS (sizeof(option_defs) / sizeof(option_defs[0]))

/* --help's layout: every line fits in HELP_WIDTH columns. */
#define HELP_WIDTH	79
#define HELP_LEFT	25	/* "    --retry-max-delay DUR" */
#define HELP_INDENT	(2 + HELP_LEFT + 2)

void
options_synopsis(FILE *fp)
{
	fputs("usage: gather [OPTIONS] [URL | NAME=URL]...\n"
	      "       gather [OPTIONS] -i FILE\n"
	      "       cmd | gather [OPTIONS]\n", fp);
}

/*
 * Where to end the first line of s so that it fits in width columns: the
 * last space outside brackets within width (a default such as "[0 = no
 * limit]" stays whole), else the first one after.  0: s has no such space.
 */
static size_t
help_break(const char *s, size_t width)
{
	size_t i, cut = 0;
	int depth = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '[')
			depth++;
		else if (s[i] == ']')
			depth--;
		else if (s[i] == ' ' && depth == 0) {
			if (i > width && cut != 0)
				break;
			cut = i;
			if (i > width)
				break;
		}
	}
	return cut;
}

/* One option of --help: its names, then its help text wrapped. */
static void
help_option(FILE *fp, const struct option_def *d)
{
	const size_t width = HELP_WIDTH - HELP_INDENT;
	const char *s = d->help;
	char left[128];
	size_t cut;

	if (d->shortopt != 0)
		snprintf(left, sizeof(left), "-%c, --%s%s%s", d->shortopt,
		    d->name, d->arg ? " " : "", d->arg ? d->arg : "");
	else
		snprintf(left, sizeof(left), "    --%s%s%s", d->name,
		    d->arg ? " " : "", d->arg ? d->arg : "");
	/* Names too wide for the column get a line of their own. */
	if (strlen(left) > HELP_LEFT)
		fprintf(fp, "  %s\n%*s", left, HELP_INDENT, "");
	else
		fprintf(fp, "  %-*s  ", HELP_LEFT, left);
	while (strlen(s) > width && (cut = help_break(s, width)) != 0) {
		fprintf(fp, "%.*s\n%*s", (int)cut, s, HELP_INDENT, "");
		s += cut + 1;
	}
	fprintf(fp, "%s\n", s);
}

void
options_usage(FILE *fp)
{
	size_t g, i;

	options_synopsis(fp);
	fputs("       gather cache stats|list|prune|purge|rm URL "
	      "[--cache-dir DIR]\n"
	      "       gather join [--ndjson] [--compact | --pretty] FILE...\n\n"
	      "Fetch many URLs concurrently; write one JSON document.\n\n"
	      "Durations: 250ms, 2s, 1m30s, 1h, 1d (a bare number is "
	      "seconds).\n"
	      "Sizes: 512, 64K, 16M, 1G.\n", fp);
	/* The table is sorted, so each section is too. */
	for (g = 0; g < NGROUPS; g++) {
		fprintf(fp, "\n%s:\n", group_titles[g]);
		for (i = 0; i < NOPTS; i++)
			if (option_defs[i].group == g)
				help_option(fp, &option_defs[i]);
	}
	fputs("\nExit status: 0 all ok, 1 some result failed, "
	      "2 usage error,\n"
	      "3 output not written, 75 locked by another run, "
	      "129 hung up (SIGHUP),\n"
	      "130 interrupted (SIGINT), 141 the reader went away (EPIPE),\n"
	      "143 terminated (SIGTERM).\n\n"
	      "See gather(1) for the whole manual and examples.\n", fp);
}

static char	*typed(const char *, size_t);

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

/* A duration of at least min_ms; shown names the floor in the message. */
static int
opt_duration_min(const char *name, const char *arg, int64_t min_ms,
    const char *shown, int64_t *out, char **errmsg)
{
	if (opt_duration(name, arg, out, errmsg) == -1)
		return -1;
	if (*out < min_ms) {
		*errmsg = xasprintf("--%s: too small (min %s)", name, shown);
		return -1;
	}
	return 0;
}

/* --ttl DUR, or auto[:DUR]: the response decides, DUR by default. */
static int
opt_ttl(const char *arg, struct config *cfg, char **errmsg)
{
	const char *errstr;

	if (parse_ttl(arg, &cfg->ttl_ms, &cfg->ttl_auto, &errstr) == -1) {
		*errmsg = xasprintf("--ttl: %s: '%s'", errstr, arg);
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

/* 1 when h is a header line: "Name: value", "Name:" or "Name;". */
static int
header_valid(const char *h)
{
	const char *sep = h + strcspn(h, ":;");

	return sep != h && *sep != '\0' && strpbrk(h, "\r\n") == NULL;
}

static int
opt_header(const char *arg, char **errmsg)
{
	if (!header_valid(arg)) {
		*errmsg = xasprintf("--header: want 'Name: value', got '%s'",
		    arg);
		return -1;
	}
	return 0;
}

/* Keeps s, allocated, for as long as cfg lives, and returns it. */
static char *
keep(struct config *cfg, char *s)
{
	push(&cfg->owned, &cfg->nowned, s);
	return s;
}

/*
 * Reads all of path ("-": stdin, noted in x) into b.  Returns 0, or -1
 * with a message naming opt.
 */
static int
read_arg_file(const char *opt, const char *path, struct buf *b,
    struct options_extra *x, char **errmsg)
{
	char chunk[65536];
	FILE *fp;
	size_t n;

	if (strcmp(path, "-") == 0) {
		fp = stdin;
		x->stdin_by = opt;
	} else if ((fp = fopen(path, "re")) == NULL) {
		*errmsg = xasprintf("--%s: %s: %s", opt, path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(b, chunk, n);
	explicit_bzero(chunk, sizeof(chunk));
	if (ferror(fp)) {
		*errmsg = xasprintf("--%s: %s: %s", opt, path, strerror(errno));
		if (fp != stdin)
			fclose(fp);
		return -1;
	}
	if (fp != stdin)
		fclose(fp);
	return 0;
}

/*
 * -H @FILE: the headers in FILE, one a line, as curl reads them (empty
 * lines skipped).  A bad line is named by its number alone: the file is
 * where secrets are kept.
 */
static int
opt_header_file(const char *opt, const char *path, struct config *cfg,
    struct options_extra *x, char **errmsg)
{
	struct buf b;
	char *line, *p, *nl, *end;
	size_t lineno = 0, len;
	int ret = -1;

	buf_init(&b);
	if (read_arg_file(opt, path, &b, x, errmsg) == -1)
		goto out;
	for (p = b.data, end = b.data + b.len; p != NULL && p < end;
	    p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		len = (size_t)(nl - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		lineno++;
		if (len == 0)
			continue;
		line = xstrndup(p, len);
		if (strlen(line) != len || !header_valid(line)) {
			*errmsg = xasprintf("--%s: %s, line %zu: want 'Name: "
			    "value'", opt, path, lineno);
			free(line);
			goto out;
		}
		push(&cfg->headers, &cfg->nheaders, keep(cfg, line));
	}
	ret = 0;
out:
	if (b.data != NULL)
		explicit_bzero(b.data, b.len);
	buf_free(&b);
	return ret;
}

static int
opt_add_header(const char *opt, char *h, struct config *cfg,
    struct options_extra *x, char **errmsg)
{
	if (h[0] == '@')
		return opt_header_file(opt, h + 1, cfg, x, errmsg);
	if (opt_header(h, errmsg) == -1)
		return -1;
	push(&cfg->headers, &cfg->nheaders, h);
	return 0;
}

/*
 * arg with its {{NAME}} references expanded, kept by cfg; NULL with a
 * message naming opt.  The message may quote the reference, never what
 * it holds.
 */
static char *
opt_expand(const char *opt, const char *arg, struct config *cfg,
    char **errmsg)
{
	struct buf b;
	char *why;

	buf_init(&b);
	if (vars_expand(cfg->vars, arg, strlen(arg), &b, &why) == -1) {
		*errmsg = xasprintf("--%s: %s", opt, why);
		free(why);
		buf_free(&b);
		return NULL;
	}
	return keep(cfg, b.data != NULL ? buf_steal(&b) : xstrdup(""));
}

/*
 * --expand-header: a header line is checked once expanded, and said as it
 * was typed.
 */
static int
opt_expand_header(const char *arg, struct config *cfg,
    struct options_extra *x, char **errmsg)
{
	char *h;

	if ((h = opt_expand("expand-header", arg, cfg, errmsg)) == NULL)
		return -1;
	if (h[0] != '@' && !header_valid(h)) {
		*errmsg = xasprintf("--expand-header: want 'Name: value', "
		    "got '%s' (before expansion)", arg);
		return -1;
	}
	return opt_add_header("expand-header", h, cfg, x, errmsg);
}

/* Frees the credential *p, overwritten first. */
static void
drop_secret(char **p)
{
	if (*p != NULL)
		explicit_bzero(*p, strlen(*p));
	free(*p);
	*p = NULL;
}

/*
 * A credential typed on the command line: copied, and its bytes in argv
 * overwritten, as curl does, so that ps shows it only until now.
 * --variable %NAME keeps it out of argv altogether.  Allocated.
 */
static char *
take_secret(char *arg)
{
	char *copy = xstrdup(arg);

	memset(arg, '*', strlen(arg));
	return copy;
}

/* -u and --oauth2-bearer: the last one given is the credential. */
static int
opt_credential(enum opt_id id, char *arg, struct config *cfg, char **errmsg)
{
	if (id == OPT_USER && strchr(arg, ':') == NULL) {
		*errmsg = xstrdup("--user: want USER:PASSWORD (gather never "
		    "asks for a password)");
		return -1;
	}
	drop_secret(&cfg->userpwd);
	drop_secret(&cfg->bearer);
	if (id == OPT_USER)
		cfg->userpwd = take_secret(arg);
	else
		cfg->bearer = take_secret(arg);
	return 0;
}

static int
opt_variable(const char *arg, struct config *cfg, struct options_extra *x,
    char **errmsg)
{
	char *why;

	if (cfg->vars == NULL)
		cfg->vars = vars_new();
	if (strcmp(arg + strcspn(arg, "=@"), "@-") == 0)
		x->stdin_by = "variable";
	if (vars_define(cfg->vars, arg, &why) == -1) {
		*errmsg = xasprintf("--variable: %s", why);
		free(why);
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

/* --shard K/N: 1 <= K <= N. */
static int
opt_shard(const char *arg, struct config *cfg, char **errmsg)
{
	const char *errstr;

	if (shard_parse(arg, &cfg->shard_k, &cfg->shard_n, &errstr) == -1) {
		*errmsg = xasprintf("--shard: %s, got '%s'", errstr, arg);
		return -1;
	}
	return 0;
}

static int
opt_ok(const char *arg, struct config *cfg, char **errmsg)
{
	const char *bad;
	char *shown;

	if (okset_parse(&cfg->ok, arg, &bad) == -1) {
		shown = typed(bad, strcspn(bad, ","));
		*errmsg = xasprintf("--ok: not a status (100-999), class (2xx) "
		    "or range (200-299): '%s'", shown);
		free(shown);
		return -1;
	}
	return 0;
}

/* --color=WHEN, as GNU ls and grep spell it. */
static int
opt_color(const char *arg, struct options_extra *x, char **errmsg)
{
	if (strcmp(arg, "auto") == 0)
		x->color = -1;
	else if (strcmp(arg, "always") == 0)
		x->color = 1;
	else if (strcmp(arg, "never") == 0)
		x->color = 0;
	else {
		*errmsg = xasprintf("--color: want auto, always or never, "
		    "got '%s'", arg);
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

/* --paginate, --next and --cursor: one way to find the next page. */
static int
opt_page_mode(struct config *cfg, enum page_mode mode, char *pointer,
    char **errmsg)
{
	static const char *const names[] = { "", "--paginate", "--next",
	    "--cursor" };

	if (pointer != NULL && !jsonptr_valid(pointer)) {
		*errmsg = xasprintf("%s: not a JSON pointer (RFC 6901): '%s'",
		    names[mode], pointer);
		return -1;
	}
	if (cfg->pages.mode != PAGE_NONE && cfg->pages.mode != mode) {
		*errmsg = xasprintf("%s: cannot be used with %s",
		    names[mode], names[cfg->pages.mode]);
		return -1;
	}
	cfg->pages.mode = mode;
	cfg->pages.pointer = pointer;
	return 0;
}

/* The options that shape pagination need one that turns it on. */
static int
opt_pages_check(const struct config *cfg, char **errmsg)
{
	const struct page_opts *p = &cfg->pages;
	const char *why = NULL;

	if (p->mode == PAGE_CURSOR && p->param == NULL)
		why = "--cursor: needs --cursor-param NAME";
	else if (p->param != NULL && p->mode != PAGE_CURSOR)
		why = "--cursor-param: needs --cursor POINTER";
	else if (p->mode == PAGE_NONE && p->items != NULL)
		why = "--items: needs --paginate, --next or --cursor";
	else if (p->mode == PAGE_NONE && p->max_pages > 0)
		why = "--max-pages: needs --paginate, --next or --cursor";
	if (why != NULL)
		*errmsg = xstrdup(why);
	return why != NULL ? -1 : 0;
}

/*
 * -b DATA|FILE, as curl tells them apart: a value with a '=' is cookies
 * to send, joined to those given before by "; "; anything else names a
 * cookie file for the engine to load, which need not exist yet.
 */
static int
opt_cookie(char *arg, struct config *cfg, char **errmsg)
{
	char *joined;

	if (strchr(arg, '=') == NULL) {
		push(&cfg->cookie_files, &cfg->ncookie_files, arg);
		return 0;
	}
	if (strpbrk(arg, "\r\n") != NULL) {
		*errmsg = xstrdup("--cookie: a line break in the cookies");
		return -1;
	}
	joined = cfg->cookie == NULL ? xstrdup(arg) :
	    xasprintf("%s; %s", cfg->cookie, arg);
	free(cfg->cookie);
	cfg->cookie = joined;
	return 0;
}

/*
 * -c FILE is written when the run ends: a folder that cannot take it is
 * said now, before anything is fetched, not after.
 */
static int
opt_cookie_jar(const char *arg, struct config *cfg, char **errmsg)
{
	const char *slash = strrchr(arg, '/');
	struct stat st;
	char *dir;

	if (*arg == '\0' || (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))) {
		*errmsg = xasprintf("--cookie-jar: not a file name: '%s'", arg);
		return -1;
	}
	dir = slash == NULL ? xstrdup(".") : slash == arg ? xstrdup("/") :
	    xstrndup(arg, (size_t)(slash - arg));
	if (access(dir, W_OK | X_OK) == -1) {
		*errmsg = xasprintf("--cookie-jar: %s: %s", dir,
		    strerror(errno));
		free(dir);
		return -1;
	}
	free(dir);
	cfg->cookie_jar = arg;
	return 0;
}

/* -E FILE[:PASSWORD]; the last one given counts. */
static int
opt_cert(const char *arg, struct config *cfg, char **errmsg)
{
	if (cfg->cert_password != NULL)
		explicit_bzero(cfg->cert_password, strlen(cfg->cert_password));
	free(cfg->cert_password);
	free(cfg->cert);
	curlarg_cert(arg, &cfg->cert, &cfg->cert_password);
	if (*cfg->cert == '\0') {
		*errmsg = xstrdup("--cert: want FILE[:PASSWORD]");
		return -1;
	}
	return 0;
}

/* --resolve and --connect-to: checked, then kept in order. */
static int
opt_pin(const struct option_def *d, char *arg, struct config *cfg,
    char **errmsg)
{
	const char *why;
	int rc;

	if (d->id == OPT_RESOLVE)
		rc = curlarg_resolve(arg, &why);
	else
		rc = curlarg_connect_to(arg, &why);
	if (rc == -1) {
		*errmsg = xasprintf("--%s: %s, got '%s'", d->name, why, arg);
		return -1;
	}
	if (d->id == OPT_RESOLVE)
		push(&cfg->resolve, &cfg->nresolve, arg);
	else
		push(&cfg->connect_to, &cfg->nconnect_to, arg);
	return 0;
}

static int
opt_unix_socket(const char *arg, struct config *cfg, char **errmsg)
{
	struct sockaddr_un sun;

	if (*arg == '\0' || strlen(arg) >= sizeof(sun.sun_path)) {
		*errmsg = xasprintf("--unix-socket: want a path of 1 to %zu "
		    "bytes", sizeof(sun.sun_path) - 1);
		return -1;
	}
	cfg->unix_socket = arg;
	return 0;
}

/*
 * -d and --json set the one body: giving both, or --json twice, is a
 * mistake, said before anything is read.
 */
static int
opt_body(const struct option_def *d, char *arg, struct options_extra *x,
    char **errmsg)
{
	if (x->json || (d->id == OPT_JSON && x->data != NULL)) {
		*errmsg = x->json && d->id == OPT_JSON ?
		    xstrdup("--json: given twice; put the whole body in one") :
		    xstrdup("--json: cannot be used with --data");
		return -1;
	}
	x->data = arg;
	x->json = d->id == OPT_JSON;
	return 0;
}

/*
 * --json sends Content-Type and Accept application/json, as curl 7.82
 * does, unless -H names them.  The strings are static, never freed.
 */
static void
json_headers(struct config *cfg)
{
	static char ctype[] = "Content-Type: application/json";
	static char accept[] = "Accept: application/json";

	if (!spec_has_header(cfg->headers, cfg->nheaders, "Content-Type", 12))
		push(&cfg->headers, &cfg->nheaders, ctype);
	if (!spec_has_header(cfg->headers, cfg->nheaders, "Accept", 6))
		push(&cfg->headers, &cfg->nheaders, accept);
}

static int
option_apply(const struct option_def *d, char *arg, struct config *cfg,
    struct options_extra *x, char **errmsg)
{
	long n;

	switch (d->id) {
	case OPT_LONG:		/* a bound, not an option */
		break;
	case OPT_BODIES:
		return opt_shape(cfg, x, SHAPE_BODIES, errmsg);
	case OPT_CACERT:
		cfg->cacert = arg;
		return 0;
	case OPT_CACHE_DIR:
		x->cache_dir = arg;
		return 0;
	case OPT_CACHE_MAX_SIZE:
		return opt_size(d->name, arg, &cfg->cache_max_size, errmsg);
	case OPT_CERT:
		return opt_cert(arg, cfg, errmsg);
	case OPT_COLOR:
		return opt_color(arg, x, errmsg);
	case OPT_COMPACT:
		x->pretty = 0;
		return 0;
	case OPT_COMPRESSED:
		cfg->no_compressed = 0;
		return 0;
	case OPT_CONCURRENCY:
		return opt_number(d->name, arg, 1, 10000, &cfg->concurrency,
		    errmsg);
	case OPT_CONFIG:	/* read by apply_list */
		return 0;
	case OPT_CONNECT_TIMEOUT:
		return opt_duration(d->name, arg, &cfg->connect_timeout_ms,
		    errmsg);
	case OPT_CONNECT_TO:
		return opt_pin(d, arg, cfg, errmsg);
	case OPT_COOKIE:
		return opt_cookie(arg, cfg, errmsg);
	case OPT_COOKIE_JAR:
		return opt_cookie_jar(arg, cfg, errmsg);
	case OPT_CURSOR:
		return opt_page_mode(cfg, PAGE_CURSOR, arg, errmsg);
	case OPT_CURSOR_PARAM:
		if (*arg == '\0') {
			*errmsg = xstrdup("--cursor-param: must not be empty");
			return -1;
		}
		cfg->pages.param = arg;
		return 0;
	case OPT_DATA:
		return opt_body(d, arg, x, errmsg);
	case OPT_DEADLINE:
		if (opt_duration(d->name, arg, &cfg->deadline_ms, errmsg) == -1)
			return -1;
		if (cfg->deadline_ms == 0) {
			*errmsg = xstrdup("--deadline: must be more than 0");
			return -1;
		}
		return 0;
	case OPT_EXPAND_DATA:
		x->data = opt_expand(d->name, arg, cfg, errmsg);
		return x->data != NULL ? 0 : -1;
	case OPT_EXPAND_HEADER:
		return opt_expand_header(arg, cfg, x, errmsg);
	case OPT_EXPAND_URL:
		if ((arg = opt_expand(d->name, arg, cfg, errmsg)) == NULL)
			return -1;
		push(&cfg->urls, &cfg->nurls, arg);
		return 0;
	case OPT_FAIL_FAST:
		cfg->fail_fast = 1;
		return 0;
	case OPT_GLOBOFF:
		cfg->globoff = 1;
		return 0;
	case OPT_HEADER:
		return opt_add_header(d->name, arg, cfg, x, errmsg);
	case OPT_HEADERS:
		cfg->show_headers = 1;
		return 0;
	case OPT_HELP:
		x->help = 1;
		return 0;
	case OPT_HTTP1_1:
		cfg->http1_1 = 1;
		return 0;
	case OPT_HTTP2:
		cfg->http1_1 = 0;
		return 0;
	case OPT_IDEMPOTENCY_KEY:
		cfg->idempotency_key = 1;
		return 0;
	case OPT_INPUT:
		push(&cfg->inputs, &cfg->ninputs, arg);
		return 0;
	case OPT_INSECURE:
		cfg->insecure = 1;
		return 0;
	case OPT_IPV4:
		cfg->ip_version = 4;
		return 0;
	case OPT_IPV6:
		cfg->ip_version = 6;
		return 0;
	case OPT_ITEMS:
		if (!jsonptr_valid(arg)) {
			*errmsg = xasprintf("--items: not a JSON pointer "
			    "(RFC 6901): '%s'", arg);
			return -1;
		}
		cfg->pages.items = arg;
		return 0;
	case OPT_JSON:
		return opt_body(d, arg, x, errmsg);
	case OPT_KEY:
		cfg->key = arg;
		return 0;
	case OPT_KEYED:
		return opt_shape(cfg, x, SHAPE_KEYED, errmsg);
	case OPT_LOCATION:	/* redirects are followed anyway */
		return 0;
	case OPT_LOCK:
		cfg->lock = arg;
		return 0;
	case OPT_LOCK_TTL:
		return opt_duration_min(d->name, arg, 100, "100ms",
		    &cfg->lock_ttl_ms, errmsg);
	case OPT_LOCK_WAIT:
		return opt_duration(d->name, arg, &cfg->lock_wait_ms, errmsg);
	case OPT_MAX_BODY:
		return opt_size(d->name, arg, &cfg->max_body, errmsg);
	case OPT_MAX_PAGES:
		return opt_number(d->name, arg, 1, PAGE_MAX_LIMIT,
		    &cfg->pages.max_pages, errmsg);
	case OPT_MAX_REDIRS:
		return opt_number(d->name, arg, 0, 1000, &cfg->max_redirs,
		    errmsg);
	case OPT_MERGE:
		return opt_shape(cfg, x, SHAPE_MERGE, errmsg);
	case OPT_NDJSON:
		return opt_shape(cfg, x, SHAPE_NDJSON, errmsg);
	case OPT_NETRC:
		cfg->netrc = NETRC_REQUIRED;
		return 0;
	case OPT_NETRC_FILE:
		cfg->netrc_file = arg;
		if (cfg->netrc == NETRC_OFF)
			cfg->netrc = NETRC_REQUIRED;
		return 0;
	case OPT_NETRC_OPTIONAL:
		cfg->netrc = NETRC_OPTIONAL;
		return 0;
	case OPT_NEXT:
		return opt_page_mode(cfg, PAGE_NEXT, arg, errmsg);
	case OPT_NO_CACHE:
		x->no_cache = 1;
		return 0;
	case OPT_NO_COMPRESSED:
		cfg->no_compressed = 1;
		return 0;
	case OPT_NO_CONFIG:	/* seen by options_parse_all */
		return 0;
	case OPT_NO_PROGRESS:
		x->progress = 0;
		return 0;
	case OPT_NOPROXY:
		cfg->noproxy = arg;
		return 0;
	case OPT_OAUTH2_BEARER:
		return opt_credential(d->id, arg, cfg, errmsg);
	case OPT_OFFLINE:
		cfg->offline = 1;
		return 0;
	case OPT_OK:
		return opt_ok(arg, cfg, errmsg);
	case OPT_ORDERED:
		cfg->ordered = 1;
		return 0;
	case OPT_OUTPUT:
		cfg->output = arg;
		return 0;
	case OPT_PAGINATE:
		return opt_page_mode(cfg, PAGE_LINK, NULL, errmsg);
	case OPT_PER_HOST:
		return opt_number(d->name, arg, 0, 10000, &cfg->per_host,
		    errmsg);
	case OPT_PINNEDPUBKEY:
		cfg->pinnedpubkey = arg;
		return 0;
	case OPT_PRETTY:
		x->pretty = 1;
		return 0;
	case OPT_PROGRESS:
		x->progress = 1;
		return 0;
	case OPT_PROXY:
		cfg->proxy = arg;
		return 0;
	case OPT_PROXY_USER:
		cfg->proxy_user = arg;
		return 0;
	case OPT_QUIET:
		cfg->quiet = 1;
		cfg->verbose = 0;
		return 0;
	case OPT_RATE:
		return opt_rate(arg, cfg, errmsg);
	case OPT_RECORD:
		cfg->record = arg;
		return 0;
	case OPT_REDIS:
		cfg->redis = arg;
		return 0;
	case OPT_REDIS_PREFIX:
		cfg->redis_prefix = arg;
		return 0;
	case OPT_REDIS_TIMEOUT:
		return opt_duration_min(d->name, arg, 1, "1ms",
		    &cfg->redis_timeout_ms, errmsg);
	case OPT_REDIS_TTL:
		return opt_duration_min(d->name, arg, 1, "1ms",
		    &cfg->redis_ttl_ms, errmsg);
	case OPT_REFRESH:
		cfg->refresh = 1;
		return 0;
	case OPT_REPLAY:
		cfg->replay = arg;
		return 0;
	case OPT_REQUEST:
		if (opt_method(arg, errmsg) == -1)
			return -1;
		x->method = arg;
		return 0;
	case OPT_RESOLVE:
		return opt_pin(d, arg, cfg, errmsg);
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
	case OPT_SECRET_HEADER:
		if (!spec_token(arg)) {
			*errmsg = xasprintf("--secret-header: not a header "
			    "name: '%s'", arg);
			return -1;
		}
		push(&cfg->secret_headers, &cfg->nsecret_headers, arg);
		return 0;
	case OPT_SELECT:
		if (!jsonptr_valid(arg)) {
			*errmsg = xasprintf("--select: not a JSON pointer "
			    "(RFC 6901): '%s'", arg);
			return -1;
		}
		cfg->select = arg;
		return 0;
	case OPT_SHARD:
		return opt_shard(arg, cfg, errmsg);
	case OPT_SHARED_RATE:
		if (*arg == '\0') {
			*errmsg = xstrdup("--shared-rate: an empty KEY");
			return -1;
		}
		cfg->shared_rate = arg;
		return 0;
	case OPT_SHOW_ERROR:
		cfg->show_error = 1;
		return 0;
	case OPT_SILENT:	/* curl's -q */
		cfg->quiet = 1;
		cfg->verbose = 0;
		return 0;
	case OPT_STABLE:
		cfg->stable = 1;
		return 0;
	case OPT_STALE_IF_ERROR:
		return opt_duration(d->name, arg, &cfg->stale_if_error_ms,
		    errmsg);
	case OPT_SUMMARY:
		cfg->summary = arg;
		return 0;
	case OPT_TIMEOUT:
		return opt_duration(d->name, arg, &cfg->timeout_ms, errmsg);
	case OPT_TIMINGS:
		cfg->timings = 1;
		return 0;
	case OPT_TTL:
		return opt_ttl(arg, cfg, errmsg);
	case OPT_UNIX_SOCKET:
		return opt_unix_socket(arg, cfg, errmsg);
	case OPT_USER:
		return opt_credential(d->id, arg, cfg, errmsg);
	case OPT_USER_AGENT:
		cfg->user_agent = arg;
		return 0;
	case OPT_VARIABLE:
		return opt_variable(arg, cfg, x, errmsg);
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

/*
 * The first n bytes of an argument as typed, safe to print: control bytes
 * come out escaped, C-style.  Allocated.
 */
static char *
typed(const char *s, size_t n)
{
	char *raw, *shown;

	raw = xstrndup(s, n);
	if (stravis(&shown, raw, VIS_CSTYLE | VIS_OCTAL | VIS_TAB | VIS_NL) ==
	    -1)
		xalloc_die();
	free(raw);
	return shown;
}

/* The longest name compared for a suggestion. */
#define SUGGEST_MAX 40

/*
 * The optimal string alignment distance between a and b (each at most
 * SUGGEST_MAX bytes): the fewest insertions, deletions, substitutions and
 * swaps of two neighbours that turn a into b.
 */
static size_t
edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
	unsigned char d[SUGGEST_MAX + 1][SUGGEST_MAX + 1];
	size_t i, j, v;

	for (i = 0; i <= la; i++)
		d[i][0] = (unsigned char)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (unsigned char)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1u < v)
				v = d[i - 1][j] + 1u;
			if (d[i][j - 1] + 1u < v)
				v = d[i][j - 1] + 1u;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1u < v)
				v = d[i - 2][j - 2] + 1u;
			d[i][j] = (unsigned char)v;
		}
	}
	return d[la][lb];
}

/*
 * The long option a mistyped name (len bytes, no dashes) most likely
 * meant, or NULL.  The rule: the nearest name by edit_distance, a tie
 * going to the first in the table, and only when it is at most one edit
 * per three characters typed.  So "retyr" finds --retry and "concurency"
 * --concurrency, while a short or unrelated word ("xy", "colour-me")
 * gets no suggestion rather than a wild one.
 */
static const struct option_def *
option_suggest(const char *name, size_t len)
{
	const struct option_def *best = NULL;
	size_t i, d, nlen, bestd = SIZE_MAX;

	if (len > SUGGEST_MAX)
		return NULL;
	for (i = 0; i < NOPTS; i++) {
		nlen = strlen(option_defs[i].name);
		if (nlen > SUGGEST_MAX)
			continue;
		d = edit_distance(name, len, option_defs[i].name, nlen);
		if (d < bestd) {
			bestd = d;
			best = &option_defs[i];
		}
	}
	return best != NULL && bestd * 3 <= len ? best : NULL;
}

/*
 * A "--name" or "--name=value" that getopt_long matched to no option or
 * to more than one: says which, with the possibilities in table order or
 * a suggestion.  Allocated.
 */
static char *
option_unknown_long(const char *arg)
{
	const struct option_def *d;
	const char *name = arg + 2;
	size_t len = strcspn(name, "="), i, n = 0;
	struct buf b;
	char *shown, *msg;

	/* "--=x" names no option; show it whole. */
	shown = typed(arg, len > 0 ? len + 2 : strlen(arg));
	buf_init(&b);
	for (i = 0; len > 0 && i < NOPTS; i++) {
		if (strncmp(option_defs[i].name, name, len) == 0) {
			buf_printf(&b, " '--%s'", option_defs[i].name);
			n++;
		}
	}
	if (n > 1)
		msg = xasprintf("option '%s' is ambiguous; possibilities:%s",
		    shown, b.data);
	else if ((d = option_suggest(name, len)) != NULL)
		msg = xasprintf("unknown option '%s'; did you mean '--%s'?",
		    shown, d->name);
	else
		msg = xasprintf("unknown option '%s'", shown);
	buf_free(&b);
	free(shown);
	return msg;
}

/*
 * What getopt_long refused, as GNU getopt would say it but with the names
 * from the table.  c is '?' or ':', opt is optopt (a short letter, a long
 * option's id, or 0 for a long name it could not match) and arg the
 * argument it last read.  A short option's missing value is said like a
 * long one's, "option '-j' requires an argument", rather than GNU's
 * "option requires an argument -- 'j'".  Allocated.
 */
static char *
option_error(int c, int opt, const char *arg)
{
	const struct option_def *d = opt != 0 ? option_find(opt) : NULL;
	char ch = (char)opt, *shown, *msg;

	if (opt == 0)
		return option_unknown_long(arg);
	if (d != NULL && c == ':' && opt > OPT_LONG)
		return xasprintf("option '--%s' requires an argument", d->name);
	if (d != NULL && c == ':')
		return xasprintf("option '-%c' requires an argument", opt);
	if (d != NULL && opt > OPT_LONG)
		return xasprintf("option '--%s' doesn't allow an argument",
		    d->name);
	shown = typed(&ch, 1);
	msg = xasprintf("unknown option '-%s'", shown);
	free(shown);
	return msg;
}

/*
 * "-o=out.json" gives -o the value "=out.json", seldom what was meant:
 * refused with the two spellings that work.  whole is the argument the
 * value came from; a value that is a whole argument ("-o =x") is taken as
 * given.
 */
static int
option_check_equals(const struct option_def *d, int c, const char *value,
    const char *whole, char **errmsg)
{
	const char *v;

	if (c > OPT_LONG || value == NULL || value[0] != '=' || value == whole)
		return 0;
	v = value[1] != '\0' ? value + 1 : d->arg;
	*errmsg = xasprintf("-%c: value '%s' starts with '='; did you mean "
	    "'-%c %s' or '--%s=%s'?", c, value, c, v, d->name, v);
	return -1;
}

/* One option as getopt_long found it, not yet applied. */
struct found {
	const struct option_def	*d;
	char			*arg;
};

struct found_list {
	struct found	*v;
	size_t		 n;
};

/* How deep -K may nest: a file that names itself ends here. */
#define CONFIG_DEPTH 8

static int	apply_list(const struct found_list *, struct config *,
		    struct options_extra *, int, char **);

static void
found_add(struct found_list *fl, const struct option_def *d, char *arg)
{
	fl->v = xreallocarray(fl->v, fl->n + 1, sizeof(*fl->v));
	fl->v[fl->n].d = d;
	fl->v[fl->n++].arg = arg;
}

/* getopt_long's tables, made from option_defs. */
static void
getopt_tables(struct option *longopts, char *shortopts)
{
	const struct option_def *d;
	char *sp = shortopts;
	size_t i;

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
}

/*
 * Runs getopt_long over argv, adding the options to fl in order and the
 * other arguments to *pos, without applying any: applying -K reads a file
 * through getopt_long again, which must not happen in the middle of this.
 * --no-config is taken only as argv[1] (when first is set).
 */
static int
collect(int argc, char **argv, int first, struct found_list *fl,
    char ***pos, size_t *npos, char **errmsg)
{
	struct option longopts[NOPTS + 1];
	char shortopts[2 * NOPTS + 2];
	const struct option_def *d;
	int c;

	getopt_tables(longopts, shortopts);
	/*
	 * getopt_long matches, abbreviates and finds ambiguity; its messages
	 * are glibc's, so it stays quiet and option_error speaks instead.
	 */
	opterr = 0;
	optind = 0;	/* 0: glibc starts afresh, as for a new argv */
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == '?' || c == ':') {
			*errmsg = option_error(c, optopt, argv[optind - 1]);
			return -1;
		}
		if ((d = option_find(c)) == NULL ||
		    option_check_equals(d, c, optarg, argv[optind - 1],
		    errmsg) == -1)
			return -1;
		if (d->id == OPT_NO_CONFIG && !(first && fl->n == 0 &&
		    optind == 2)) {
			*errmsg = xstrdup("--no-config: only as the first "
			    "argument");
			return -1;
		}
		found_add(fl, d, optarg);
	}
	for (; optind < argc; optind++)
		push(pos, npos, argv[optind]);
	return 0;
}

/*
 * The arguments a config line stands for, as it would be typed: "name
 * value" is "--name=value", so that a flag given a value is refused as on
 * the command line; "-m 5" stays two words.  Returns argc, or -1.
 */
static int
config_argv(const struct cfgline *l, struct config *cfg, char **argv,
    char **errmsg)
{
	int argc = 0;

	argv[argc++] = (char *)"gather";
	if (l->dashes == 1) {
		argv[argc++] = keep(cfg, xasprintf("-%s", l->name));
		if (l->value != NULL)
			argv[argc++] = keep(cfg, xstrdup(l->value));
	} else if (l->value == NULL)
		argv[argc++] = keep(cfg, xasprintf("--%s", l->name));
	else if (strchr(l->name, '=') != NULL) {
		*errmsg = xasprintf("--%s: a second value '%s'", l->name,
		    l->value);
		return -1;
	} else
		argv[argc++] = keep(cfg, xasprintf("--%s=%s", l->name,
		    l->value));
	argv[argc] = NULL;
	return argc;
}

/* The options whose value is a secret, by long name. */
static const char *const secret_options[] = { "oauth2-bearer", "proxy-user",
    "user", "variable" };

/* The headers whose value is a secret. */
static const char *const secret_headers[] = { "Authorization", "Cookie",
    "Proxy-Authorization" };

/* 1 when -E's value holds a password after its file name. */
static int
cert_password(const char *arg)
{
	char *file, *password;
	int has;

	curlarg_cert(arg, &file, &password);
	has = password != NULL;
	free(file);
	if (password != NULL)
		explicit_bzero(password, strlen(password));
	free(password);
	return has;
}

int
options_credential(const char *name, const char *arg)
{
	size_t i, n;

	for (i = 0; i < sizeof(secret_options) / sizeof(secret_options[0]);
	    i++)
		if (strcmp(name, secret_options[i]) == 0)
			return 1;
	/* -b DATA is a Cookie header; -b FILE names a file. */
	if (strcmp(name, "cookie") == 0 && arg != NULL &&
	    strchr(arg, '=') != NULL)
		return 1;
	if (strcmp(name, "cert") == 0 && arg != NULL && cert_password(arg))
		return 1;
	if ((strcmp(name, "header") != 0 &&
	    strcmp(name, "expand-header") != 0) || arg == NULL)
		return 0;
	n = strcspn(arg, ":;");
	for (i = 0; i < sizeof(secret_headers) / sizeof(secret_headers[0]);
	    i++)
		if (strlen(secret_headers[i]) == n &&
		    strncasecmp(arg, secret_headers[i], n) == 0)
			return 1;
	return 0;
}

/* Adds a line to x's warnings. */
static void
warn_add(struct options_extra *x, char *msg)
{
	char *all;

	/* A file read twice is warned of once. */
	if (x->warnings != NULL && strstr(x->warnings, msg) != NULL) {
		free(msg);
		return;
	}
	if (x->warnings == NULL) {
		x->warnings = msg;
		return;
	}
	all = xasprintf("%s\n%s", x->warnings, msg);
	free(x->warnings);
	free(msg);
	x->warnings = all;
}

/*
 * One config line: its options found as on the command line, each message
 * after "PATH:LINE: ".  *warned is set once a credential in a file that
 * others may read has been warned of.
 */
static int
config_line(const char *path, const struct cfgfile *cf, size_t i,
    struct config *cfg, struct options_extra *x, int depth, int *warned,
    char **errmsg)
{
	const struct cfgline *l = &cf->lines[i];
	struct found_list fl = { NULL, 0 };
	char *argv[4], **pos = NULL, *why = NULL;
	size_t npos = 0, k;
	int argc, rc = -1;

	if ((argc = config_argv(l, cfg, argv, &why)) == -1 ||
	    collect(argc, argv, 0, &fl, &pos, &npos, &why) == -1)
		goto out;
	if (npos > 0) {
		why = xasprintf("unexpected value '%s'", pos[0]);
		goto out;
	}
	for (k = 0; k < fl.n && !*warned; k++)
		if ((cf->mode & 044) != 0 &&
		    options_credential(fl.v[k].d->name, fl.v[k].arg)) {
			warn_add(x, xasprintf("%s: holds a credential (line "
			    "%zu) and others can read it; chmod go-rw %s",
			    path, l->lineno, path));
			*warned = 1;
		}
	rc = apply_list(&fl, cfg, x, depth, &why);
out:
	/* A message from a file -K named here says its own place. */
	if (rc == -2) {
		*errmsg = why;
		why = NULL;
	} else if (rc == -1)
		*errmsg = xasprintf("%s:%zu: %s", path, l->lineno, why);
	free(why);
	free(fl.v);
	free(pos);
	return rc;
}

/*
 * Applies the config file at path; depth counts the files open.  Returns
 * 0; -1 when the file cannot be read, with a message that says so; or -2
 * with a message that begins with the file and line at fault.
 */
static int
config_apply(const char *path, struct config *cfg, struct options_extra *x,
    int depth, char **errmsg)
{
	struct cfgfile *cf;
	size_t i, bad;
	int warned = 0, rc = 0;

	if (depth > CONFIG_DEPTH) {
		*errmsg = xasprintf("%s: config files nested more than %d "
		    "deep", path, CONFIG_DEPTH);
		return -1;
	}
	if ((cf = cfgfile_load(path, &bad, errmsg)) == NULL)
		return bad == 0 ? -1 : -2;
	for (i = 0; i < cf->nlines && rc == 0; i++)
		if (config_line(path, cf, i, cfg, x, depth, &warned,
		    errmsg) != 0)
			rc = -2;
	cfgfile_free(cf);
	return rc;
}

/*
 * Applies the options found, in order; -K reads its file then and there.
 * Returns 0, or -1 or -2 as config_apply.
 */
static int
apply_list(const struct found_list *fl, struct config *cfg,
    struct options_extra *x, int depth, char **errmsg)
{
	char *why;
	size_t i;

	for (i = 0; i < fl->n; i++) {
		if (fl->v[i].d->id != OPT_CONFIG) {
			if (option_apply(fl->v[i].d, fl->v[i].arg, cfg, x,
			    errmsg) == -1)
				return -1;
			continue;
		}
		switch (config_apply(fl->v[i].arg, cfg, x, depth + 1, &why)) {
		case -1:
			*errmsg = xasprintf("--config: %s", why);
			free(why);
			return -1;
		case -2:
			*errmsg = why;
			return -2;
		}
	}
	return 0;
}

static void
extra_init(struct options_extra *x)
{
	memset(x, 0, sizeof(*x));
	x->pretty = -1;
	x->progress = -1;
	x->color = -1;
}

int
options_parse_all(int argc, char **argv, const char *dflt, struct config *cfg,
    struct options_extra *x, char **errmsg)
{
	struct found_list fl = { NULL, 0 };
	struct stat st;
	char **pos = NULL;
	size_t npos = 0, i;
	int rc = -1;

	*errmsg = NULL;
	extra_init(x);
	if (collect(argc, argv, 1, &fl, &pos, &npos, errmsg) == -1)
		goto out;
	/* The default file is read unless --no-config came first. */
	if (dflt != NULL && !(fl.n > 0 && fl.v[0].d->id == OPT_NO_CONFIG) &&
	    (stat(dflt, &st) == 0 || errno != ENOENT) &&
	    config_apply(dflt, cfg, x, 1, errmsg) != 0)
		goto out;
	if (apply_list(&fl, cfg, x, 0, errmsg) != 0 ||
	    opt_pages_check(cfg, errmsg) == -1)
		goto out;
	if (x->json)
		json_headers(cfg);
	/* The URL arguments come after those of --expand-url. */
	for (i = 0; i < npos; i++)
		push(&cfg->urls, &cfg->nurls, pos[i]);
	rc = 0;
out:
	free(fl.v);
	free(pos);
	return rc;
}

int
options_parse(int argc, char **argv, struct config *cfg,
    struct options_extra *x, char **errmsg)
{
	return options_parse_all(argc, argv, NULL, cfg, x, errmsg);
}
