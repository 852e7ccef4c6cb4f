/*
 * The cache verbs: parse their few options, call cachectl.c, and print
 * JSON (one object, or NDJSON for list) on stdout.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cachecmd.h"
#include "cachectl.h"
#include "json.h"
#include "options.h"
#include "parse.h"
#include "render.h"
#include "serve.h"
#include "settle.h"
#include "url.h"
#include "xalloc.h"

#define EXIT_FAILED	1
#define EXIT_USAGE	2

struct verb_opts {
	char	*dir;
	int	 expired;
	int64_t	 max_size;
	int	 stable;	/* list --stable: no dates */
};

/* What print_entry writes with, for each entry. */
struct list_out {
	struct buf	*b;
	int		 stable;
};

static int
cache_usage(const char *msg)
{
	if (msg != NULL)
		fprintf(stderr, "gather: cache: %s\n", msg);
	fputs("usage: gather cache stats|purge [--cache-dir DIR]\n"
	      "       gather cache list [--stable] [--cache-dir DIR]\n"
	      "       gather cache prune [--expired] [--max-size SIZE] "
	      "[--cache-dir DIR]\n"
	      "       gather cache rm URL [--cache-dir DIR]\n", stderr);
	return EXIT_USAGE;
}

/* Milliseconds since the epoch as an RFC 3339 UTC time. */
static void
add_time(struct buf *b, const char *name, int64_t ms)
{
	char tbuf[32];
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_printf(b, ",\"%s\":\"%s\"", name, tbuf);
}

static void
print_entry(void *arg, const struct entry *e)
{
	struct list_out *lo = arg;
	struct buf *b = lo->b;
	char *url;

	/* Stored without a password; one written by hand is hidden too. */
	url = url_show(e->url);
	buf_reset(b);
	buf_adds(b, "{\"url\":");
	json_strz(b, url);
	free(url);
	buf_adds(b, ",\"method\":");
	json_strz(b, e->method);
	buf_printf(b, ",\"status\":%ld", e->status);
	if (!(lo->stable && render_stable_omits("stored_at")))
		add_time(b, "stored_at", e->stored_at);
	if (!(lo->stable && render_stable_omits("expires_at")))
		add_time(b, "expires_at", e->expires_at);
	buf_printf(b, ",\"bytes\":%zu}\n", e->body_len);
	fwrite(b->data, 1, b->len, stdout);
}

static int
parse_verb_opts(int argc, char **argv, struct verb_opts *o)
{
	static const struct option longopts[] = {
		{ "cache-dir", required_argument, NULL, 'c' },
		{ "expired", no_argument, NULL, 'e' },
		{ "max-size", required_argument, NULL, 's' },
		{ "stable", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *errstr;
	int c;

	opterr = 0;
	optind = 2;	/* after "cache" and the verb */
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->dir = optarg;
			break;
		case 'e':
			o->expired = 1;
			break;
		case 's':
			if (parse_size(optarg, &o->max_size, &errstr) == -1) {
				fprintf(stderr, "gather: cache: --max-size: "
				    "%s: '%s'\n", errstr, optarg);
				return -1;
			}
			break;
		case 't':
			o->stable = 1;
			break;
		default:
			fprintf(stderr, "gather: cache: unknown option "
			    "'%s'\n", argv[optind - 1]);
			return -1;
		}
	}
	return 0;
}

static void
print_counts(struct buf *b, const struct cachectl_stats *st)
{
	buf_printf(b, "{\"removed\":%llu,\"bytes\":%llu}\n",
	    (unsigned long long)st->removed, (unsigned long long)st->freed);
}

static int
verb_stats(struct store *c, struct buf *b, char **err)
{
	struct cachectl_stats st;
	int rc;

	rc = cachectl_stats(c, serve_now(), &st, err);
	buf_adds(b, "{\"dir\":");
	json_strz(b, store_dir(c));
	buf_printf(b, ",\"entries\":%llu,\"bytes\":%llu,\"expired\":%llu,"
	    "\"file_bytes\":%llu}\n", (unsigned long long)st.entries,
	    (unsigned long long)st.bytes, (unsigned long long)st.expired,
	    (unsigned long long)st.file_bytes);
	return rc;
}

static int
verb_list(struct store *c, struct buf *b, int stable, char **err)
{
	struct list_out lo = { b, stable };
	uint64_t invalid;
	int rc;

	rc = cachectl_list(c, print_entry, &lo, &invalid, err);
	buf_reset(b);
	if (invalid > 0)
		fprintf(stderr, "gather: warning: %s holds %llu damaged "
		    "entries, not listed; 'gather cache prune' removes them\n",
		    store_dir(c), (unsigned long long)invalid);
	return rc;
}

/* rm: every entry of URL, normalised as the cache key has it. */
static int
verb_rm(struct store *c, const char *url, struct buf *b, char **err)
{
	struct cachectl_stats st;
	char *norm;
	int rc;

	/* Entries name their URL as the key saw it, password hidden. */
	if ((norm = url_normalize(url, 1)) == NULL)
		norm = url_show(url);
	rc = cachectl_rm(c, norm, &st, err);
	free(norm);
	buf_reset(b);
	print_counts(b, &st);
	return rc == 0 && st.removed == 0 ? 1 : rc;
}

static int
verb_run(const char *verb, struct store *c, const struct verb_opts *o,
    const char *url)
{
	struct cachectl_stats st;
	struct buf b;
	char *err = NULL;
	int rc;

	buf_init(&b);
	if (strcmp(verb, "stats") == 0)
		rc = verb_stats(c, &b, &err);
	else if (strcmp(verb, "list") == 0)
		rc = verb_list(c, &b, o->stable, &err);
	else if (strcmp(verb, "rm") == 0)
		rc = verb_rm(c, url, &b, &err);
	else {
		if (strcmp(verb, "prune") == 0)
			rc = cachectl_prune(c, o->expired, o->max_size,
			    serve_now(), &st, &err);
		else
			rc = cachectl_purge(c, &st, &err);
		print_counts(&b, &st);
	}
	if (b.len > 0)
		fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
	if (rc == -1)
		fprintf(stderr, "gather: cache: %s\n", err != NULL ? err :
		    "cannot read the cache");
	free(err);
	return rc == 0 ? 0 : EXIT_FAILED;
}

int
cachecmd_main(int argc, char **argv)
{
	static const char *const verbs[] = { "stats", "list", "prune", "purge",
	    "rm" };
	struct verb_opts o = { NULL, 0, -1, 0 };
	struct settle_env env;
	const char *verb, *url = NULL;
	struct store *c;
	char *dir, *warn;
	size_t i;
	int status;

	if (argc < 2)
		return cache_usage("which verb?");
	verb = argv[1];
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (strcmp(verb, verbs[i]) == 0)
			break;
	if (i == sizeof(verbs) / sizeof(verbs[0]))
		return cache_usage("unknown verb");
	if (parse_verb_opts(argc, argv, &o) == -1)
		return cache_usage(NULL);
	if (strcmp(verb, "rm") == 0) {
		if (optind != argc - 1)
			return cache_usage("rm takes one URL");
		url = argv[optind];
	} else if (optind != argc)
		return cache_usage("unexpected argument");
	if ((o.expired || o.max_size >= 0) && strcmp(verb, "prune") != 0)
		return cache_usage("--expired and --max-size are for prune");
	if (o.stable && strcmp(verb, "list") != 0)
		return cache_usage("--stable is for list");
	settle_env_read(&env);
	if ((dir = settle_cache_dir(o.dir, &env)) == NULL)
		return cache_usage("no cache folder: set --cache-dir or HOME");
	if ((c = store_open(dir, &warn)) == NULL) {
		fprintf(stderr, "gather: %s\n", warn);
		free(warn);
		free(dir);
		return EXIT_FAILED;
	}
	if (warn != NULL)
		fprintf(stderr, "gather: warning: %s\n", warn);
	free(warn);
	status = verb_run(verb, c, &o, url);
	store_close(c);
	free(dir);
	return status;
}
