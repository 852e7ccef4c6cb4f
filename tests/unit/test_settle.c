/*
 * The rules of settle_config: argv through options_parse, then an
 * environment given as facts, and what the config holds after, or the
 * refusal by its exact message.
 */
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "settle.h"
#include "unit.h"

#define MAXARGS 8
#define ANY	-1	/* a value the row does not check */

/* A terminal everywhere: stdin, stdout and stderr on one xterm. */
#define TTY	.stdin_tty = 1, .stdout_tty = 1, .stderr_tty = 1, \
		.same_tty = 1, .term = "xterm"
/* Run from a script: nothing is a terminal. */
#define PIPE	.term = "xterm"

static const struct {
	const char		*argv[MAXARGS];
	struct settle_env	 env;
	enum settle_err		 err;
	const char		*text;	/* the refusal or the warning */
	int			 pretty, color, progress;
} cases[] = {
	/* Inputs: none on a terminal is a usage error; else stdin. */
	{ { NULL }, { TTY }, SETTLE_NO_URLS, "no URLs given", ANY, ANY, ANY },
	{ { NULL }, { PIPE }, SETTLE_OK, NULL, 0, 0, 0 },

	/* A document for a terminal is pretty and coloured. */
	{ { "u" }, { TTY }, SETTLE_OK, NULL, 1, 1, 0 },
	{ { "u" }, { PIPE }, SETTLE_OK, NULL, 0, 0, 0 },
	{ { "--compact", "u" }, { TTY }, SETTLE_OK, NULL, 0, 0, 0 },
	{ { "--pretty", "u" }, { PIPE }, SETTLE_OK, NULL, 1, 0, 0 },
	{ { "-o", "f", "u" }, { TTY }, SETTLE_OK, NULL, 0, 0, 1 },
	{ { "--ndjson", "u" }, { TTY }, SETTLE_OK, NULL, 1, 0, 0 },

	/* NO_COLOR set and not empty; a terminal that takes escapes. */
	{ { "u" }, { TTY, .no_color = "1" }, SETTLE_OK, NULL, 1, 0, 0 },
	{ { "u" }, { TTY, .no_color = "" }, SETTLE_OK, NULL, 1, 1, 0 },
	{ { "u" }, { .stdout_tty = 1, .term = "dumb" }, SETTLE_OK, NULL,
	    1, 0, 0 },
	{ { "u" }, { .stdout_tty = 1, .term = "" }, SETTLE_OK, NULL, 1, 0, 0 },
	{ { "u" }, { .stdout_tty = 1 }, SETTLE_OK, NULL, 1, 0, 0 },
	{ { "--color=always", "u" }, { PIPE }, SETTLE_OK, NULL, 0, 1, 0 },
	{ { "--color=never", "u" }, { TTY }, SETTLE_OK, NULL, 1, 0, 0 },
	{ { "--color=always", "u" }, { PIPE, .no_color = "1" }, SETTLE_OK,
	    NULL, 0, 1, 0 },

	/* GATHER_COLORS: one warning when colour is on, none under -q. */
	{ { "u" }, { TTY, .colors = "bogus" }, SETTLE_OK,
	    "GATHER_COLORS: not a list of colours like JQ_COLORS; using the "
	    "defaults", 1, 1, 0 },
	{ { "-q", "u" }, { TTY, .colors = "bogus" }, SETTLE_OK, NULL,
	    1, 1, 0 },
	{ { "u" }, { PIPE, .colors = "bogus" }, SETTLE_OK, NULL, 0, 0, 0 },
	{ { "u" }, { TTY, .colors = "0;31" }, SETTLE_OK, NULL, 1, 1, 0 },

	/* Progress: on a terminal of its own, never under -q. */
	{ { "u" }, { .stderr_tty = 1, .term = "xterm" }, SETTLE_OK, NULL,
	    0, 0, 1 },
	{ { "u" }, { .stderr_tty = 1, .term = "dumb" }, SETTLE_OK, NULL,
	    0, 0, 0 },
	{ { "-q", "u" }, { .stderr_tty = 1, .term = "xterm" }, SETTLE_OK,
	    NULL, 0, 0, 0 },
	{ { "--no-progress", "u" }, { .stderr_tty = 1, .term = "xterm" },
	    SETTLE_OK, NULL, 0, 0, 0 },
	{ { "--progress", "u" }, { PIPE }, SETTLE_OK, NULL, 0, 0, 1 },

	/* Options that need another. */
	{ { "--ordered", "u" }, { PIPE }, SETTLE_USAGE,
	    "--ordered: only with --ndjson", ANY, ANY, ANY },
	{ { "--ordered", "--ndjson", "u" }, { PIPE }, SETTLE_OK, NULL,
	    0, 0, 0 },
	{ { "--lock-wait", "1s", "u" }, { PIPE }, SETTLE_USAGE,
	    "--lock-wait: only with --lock", ANY, ANY, ANY },
	{ { "--lock-wait", "1s", "--lock", "l", "u" }, { PIPE }, SETTLE_OK,
	    NULL, 0, 0, 0 },

	/* --cacert must be a file that can be read. */
	{ { "--cacert", "/nonexistent/ca.pem", "u" }, { PIPE }, SETTLE_USAGE,
	    "--cacert: /nonexistent/ca.pem: No such file or directory",
	    ANY, ANY, ANY },
	{ { "--cacert", "/", "u" }, { PIPE }, SETTLE_USAGE,
	    "--cacert: /: not a file", ANY, ANY, ANY },
	{ { "--cacert", "/dev/null", "u" }, { PIPE }, SETTLE_OK, NULL,
	    0, 0, 0 },

	/* The cache needs a folder; without one it is off, not refused. */
	{ { "--ttl", "1m", "u" }, { PIPE }, SETTLE_BAD,
	    "no cache folder: set --cache-dir or HOME", ANY, ANY, ANY },
	{ { "--cache-max-size", "1M", "u" }, { PIPE }, SETTLE_BAD,
	    "no cache folder: set --cache-dir or HOME", ANY, ANY, ANY },
	{ { "--no-cache", "--ttl", "1m", "u" }, { PIPE }, SETTLE_OK, NULL,
	    0, 0, 0 },

	/* -d: a file that cannot be read, stdin taken twice. */
	{ { "-d", "@/nonexistent/body", "u" }, { PIPE }, SETTLE_BAD,
	    "--data: /nonexistent/body: No such file or directory",
	    ANY, ANY, ANY },
	{ { "-d", "@-", "-i", "-" }, { PIPE }, SETTLE_BAD,
	    "--data: '@-' cannot be used when the inputs come from stdin",
	    ANY, ANY, ANY },
	{ { "-d", "@-" }, { PIPE }, SETTLE_BAD,
	    "--data: '@-' cannot be used when the inputs come from stdin",
	    ANY, ANY, ANY },

	/* A netrc file asked for must be a file; --netrc-optional's may lack. */
	{ { "--netrc-file", "/nonexistent/netrc", "u" }, { PIPE },
	    SETTLE_USAGE, "--netrc-file: /nonexistent/netrc: No such file or "
	    "directory", ANY, ANY, ANY },
	{ { "--netrc-file", "/", "u" }, { PIPE }, SETTLE_USAGE,
	    "--netrc-file: /: not a file that can be read", ANY, ANY, ANY },
	{ { "--netrc-optional", "--netrc-file", "/nonexistent/netrc", "u" },
	    { PIPE }, SETTLE_OK, NULL, 0, 0, 0 },
};

static int
parse(const char *const *args, struct config *cfg, struct options_extra *x)
{
	char *argv[MAXARGS + 2], *err = NULL;
	int argc = 0, rc;

	argv[argc++] = (char *)"gather";
	while (argc <= MAXARGS && args[argc - 1] != NULL) {
		argv[argc] = (char *)args[argc - 1];
		argc++;
	}
	argv[argc] = NULL;
	config_defaults(cfg);
	rc = options_parse(argc, argv, cfg, x, &err);
	free(err);
	return rc;
}

static int
want(int want, int got)
{
	return want == ANY || want == got;
}

static void
check_table(void)
{
	struct settle_msg msg;
	struct options_extra x;
	struct config cfg;
	const char *text;
	size_t i;
	int rc, ok;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (parse(cases[i].argv, &cfg, &x) == -1) {
			CHECK(0, "row %zu parses", i);
			continue;
		}
		rc = settle_config(&cfg, &x, &cases[i].env, &msg);
		text = cases[i].err != SETTLE_OK ? msg.text : msg.warning;
		ok = (rc == 0) == (cases[i].err == SETTLE_OK) &&
		    msg.err == cases[i].err &&
		    (cases[i].text == NULL ? text == NULL :
		    text != NULL && strcmp(text, cases[i].text) == 0);
		if (rc == 0)
			ok = ok && want(cases[i].pretty, cfg.pretty) &&
			    want(cases[i].color, cfg.color) &&
			    want(cases[i].progress, cfg.progress);
		CHECK(ok, "row %zu: %s %s -> %d %s (pretty %d color %d "
		    "progress %d)", i, cases[i].argv[0] ? cases[i].argv[0] :
		    "", cases[i].argv[0] && cases[i].argv[1] ?
		    cases[i].argv[1] : "", rc, text ? text : "", cfg.pretty,
		    cfg.color, cfg.progress);
		free(msg.text);
		free(msg.warning);
		config_free(&cfg);
	}
}

/* Settles args in env; the caller checks cfg and frees it. */
static int
settle(const char *const *args, const struct settle_env *env,
    struct config *cfg)
{
	struct options_extra x;
	struct settle_msg msg;
	int rc;

	if (parse(args, cfg, &x) == -1)
		return -1;
	rc = settle_config(cfg, &x, env, &msg);
	free(msg.text);
	free(msg.warning);
	return rc;
}

/* The cache folder: --cache-dir, $GATHER_CACHE_DIR, XDG, then HOME. */
static void
check_cache_dir(void)
{
	static const char *const url[] = { "u", NULL };
	static const char *const given[] = { "--cache-dir", "d", "u", NULL };
	static const char *const off[] = { "--no-cache", "--ttl", "1m",
	    "--refresh", "--cache-dir", "d", "u", NULL };
	static const char *const ttl[] = { "--ttl", "1m", "u", NULL };
	struct settle_env env = { PIPE, .cache_dir = "g", .xdg_cache = "x",
	    .home = "h" };
	struct config cfg;

	CHECK(settle(given, &env, &cfg) == 0 &&
	    strcmp(cfg.cache_dir, "d") == 0 && !cfg.cache,
	    "--cache-dir wins; the folder is known while the cache is off");
	config_free(&cfg);
	CHECK(settle(url, &env, &cfg) == 0 && strcmp(cfg.cache_dir, "g") == 0,
	    "then $GATHER_CACHE_DIR");
	config_free(&cfg);
	env.cache_dir = "";
	CHECK(settle(url, &env, &cfg) == 0 &&
	    strcmp(cfg.cache_dir, "x/gather") == 0,
	    "then $XDG_CACHE_HOME/gather (an empty variable is unset)");
	config_free(&cfg);
	env.xdg_cache = NULL;
	CHECK(settle(ttl, &env, &cfg) == 0 &&
	    strcmp(cfg.cache_dir, "h/.cache/gather") == 0 && cfg.cache,
	    "then ~/.cache/gather; --ttl turns the cache on");
	config_free(&cfg);
	env.home = NULL;
	CHECK(settle(url, &env, &cfg) == 0 && cfg.cache_dir == NULL,
	    "no home and no cache asked for: no folder, no refusal");
	config_free(&cfg);
	CHECK(settle(off, &env, &cfg) == 0 && !cfg.cache &&
	    cfg.cache_dir == NULL && cfg.ttl_ms == -1 && !cfg.refresh,
	    "--no-cache wins over --ttl, --refresh and --cache-dir");
	config_free(&cfg);
}

/* The method and the body of -d. */
static void
check_body(void)
{
	static const char *const post[] = { "-d", "a=1", "u", NULL };
	static const char *const put[] = { "-X", "PUT", "-d", "x", "u", NULL };
	static const char *const get[] = { "u", NULL };
	static const char *const in[] = { "-d", "@-", "u", NULL };
	struct settle_env env = { PIPE };
	struct config cfg;
	int rc;

	CHECK(settle(post, &env, &cfg) == 0 && cfg.data_len == 3 &&
	    memcmp(cfg.data, "a=1", 3) == 0 &&
	    strcmp(cfg.method, "POST") == 0 && !cfg.method_given,
	    "-d makes a POST");
	config_free(&cfg);
	CHECK(settle(put, &env, &cfg) == 0 && strcmp(cfg.method, "PUT") == 0 &&
	    cfg.method_given, "-X wins over -d");
	config_free(&cfg);
	CHECK(settle(get, &env, &cfg) == 0 && strcmp(cfg.method, "GET") == 0 &&
	    cfg.data == NULL && !cfg.read_stdin, "no body: GET");
	config_free(&cfg);
	if ((env.in = tmpfile()) == NULL) {
		CHECK(0, "tmpfile");
		return;
	}
	fwrite("b\0dy", 1, 4, env.in);
	rewind(env.in);
	rc = settle(in, &env, &cfg);
	CHECK(rc == 0 && cfg.data_len == 4 && memcmp(cfg.data, "b\0dy", 4) == 0,
	    "-d @- reads stdin whole, NUL bytes and all");
	config_free(&cfg);
	fclose(env.in);
}

int
main(void)
{
	check_table();
	check_cache_dir();
	check_body();
	return unit_done();
}
