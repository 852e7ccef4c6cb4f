/*
 * Settling the options: after options_parse has put argv into the config,
 * this decides what the command line left to the environment (the inputs,
 * the cache folder, the method, pretty printing, colour, the progress
 * line), loads the body of -d, checks what the credentials need, and
 * refuses what does not go together.
 * The rules read the environment only through struct settle_env, which
 * settle_env_read fills from the real one; they do not print, so a test
 * can hold each rule to its outcome without a terminal.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "creds.h"
#include "pretty.h"
#include "redis.h"
#include "settle.h"
#include "xalloc.h"

/* 1 when fds a and b are open on the same terminal. */
static int
same_terminal(int a, int b)
{
	struct stat sa, sb;

	if (fstat(a, &sa) == -1 || fstat(b, &sb) == -1)
		return 0;
	return S_ISCHR(sa.st_mode) && S_ISCHR(sb.st_mode) &&
	    sa.st_rdev == sb.st_rdev;
}

void
settle_env_read(struct settle_env *env)
{
	memset(env, 0, sizeof(*env));
	env->stdin_tty = isatty(STDIN_FILENO);
	env->stdout_tty = isatty(STDOUT_FILENO);
	env->stderr_tty = isatty(STDERR_FILENO);
	env->same_tty = same_terminal(STDOUT_FILENO, STDERR_FILENO);
	env->term = getenv("TERM");
	env->no_color = getenv("NO_COLOR");
	env->colors = getenv("GATHER_COLORS");
	env->cache_dir = getenv("GATHER_CACHE_DIR");
	env->xdg_cache = getenv("XDG_CACHE_HOME");
	env->home = getenv("HOME");
	env->xdg_config = getenv("XDG_CONFIG_HOME");
	env->redis = getenv("GATHER_REDIS");
	env->in = stdin;
}

/* Set and not empty, as no-color.org has it. */
static int
set(const char *v)
{
	return v != NULL && *v != '\0';
}

/* 1 when TERM names a terminal that takes escape sequences. */
static int
term_capable(const struct settle_env *env)
{
	return set(env->term) && strcmp(env->term, "dumb") != 0;
}

char *
settle_cache_dir(const char *dir, const struct settle_env *env)
{
	if (dir != NULL)
		return xstrdup(dir);
	if (set(env->cache_dir))
		return xstrdup(env->cache_dir);
	if (set(env->xdg_cache))
		return xasprintf("%s/gather", env->xdg_cache);
	if (set(env->home))
		return xasprintf("%s/.cache/gather", env->home);
	return NULL;
}

char *
settle_config_file(const struct settle_env *env)
{
	if (set(env->xdg_config))
		return xasprintf("%s/gather/config", env->xdg_config);
	if (set(env->home))
		return xasprintf("%s/.config/gather/config", env->home);
	return NULL;
}

static int
refuse(struct settle_msg *msg, enum settle_err err, char *text)
{
	msg->err = err;
	msg->text = text;
	return -1;
}

static int
stdin_is_input(const struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->ninputs; i++)
		if (strcmp(cfg->inputs[i], "-") == 0)
			return 1;
	return cfg->read_stdin;
}

/* Reads all of fp into cfg's body; name is for the message. */
static int
slurp(struct config *cfg, FILE *fp, const char *name, struct settle_msg *msg)
{
	struct buf b;
	char chunk[65536];
	size_t n;

	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(fp)) {
		buf_free(&b);
		return refuse(msg, SETTLE_BAD,
		    xasprintf("--data: %s: read error", name));
	}
	cfg->data_len = b.len;
	cfg->data = buf_steal(&b);
	return 0;
}

/* -d DATA, or -d @FILE ("@-": env->in, when stdin is not the input). */
static int
load_data(struct config *cfg, const char *arg, const struct settle_env *env,
    struct settle_msg *msg)
{
	FILE *fp;
	int rc;

	if (arg[0] != '@') {
		cfg->data = xstrdup(arg);
		cfg->data_len = strlen(arg);
		return 0;
	}
	if (strcmp(arg, "@-") == 0) {
		if (stdin_is_input(cfg))
			return refuse(msg, SETTLE_BAD, xstrdup("--data: '@-' "
			    "cannot be used when the inputs come from stdin"));
		return slurp(cfg, env->in, "-", msg);
	}
	if ((fp = fopen(arg + 1, "rbe")) == NULL)
		return refuse(msg, SETTLE_BAD, xasprintf("--data: %s: %s",
		    arg + 1, strerror(errno)));
	rc = slurp(cfg, fp, arg + 1, msg);
	fclose(fp);
	return rc;
}

/*
 * No URLs and no -i: stdin is the input, unless it is a terminal, where
 * nobody is about to type URLs and a usage message helps more.
 */
static int
settle_inputs(struct config *cfg, const struct settle_env *env,
    struct settle_msg *msg)
{
	if (cfg->nurls != 0 || cfg->ninputs != 0)
		return 0;
	if (env->stdin_tty)
		return refuse(msg, SETTLE_NO_URLS, xstrdup("no URLs given"));
	cfg->read_stdin = 1;
	return 0;
}

/*
 * The cache is on with any option that asks for it, and --no-cache wins
 * over all of them.  Its folder is known even when it is off, since a
 * spec's "ttl" may turn it on.
 */
static int
settle_cache(struct config *cfg, const struct options_extra *x,
    const struct settle_env *env, struct settle_msg *msg)
{
	int no_cache;

	if (cfg->record != NULL && cfg->replay != NULL)
		return refuse(msg, SETTLE_USAGE,
		    xstrdup("--record: cannot be used with --replay"));
	/* A fixture is a response as the server gave it, not the cache. */
	no_cache = x->no_cache || cfg->record != NULL || cfg->replay != NULL;
	cfg->cache = !no_cache && (cfg->ttl_ms >= 0 || cfg->offline ||
	    cfg->refresh || cfg->stale_if_error_ms >= 0);
	/* --offline stays: it is a promise about the network, not the cache. */
	if (no_cache) {
		cfg->refresh = 0;
		cfg->stale_if_error_ms = cfg->ttl_ms = -1;
		cfg->cache_max_size = 0;
		return 0;
	}
	cfg->cache_dir = settle_cache_dir(x->cache_dir, env);
	if ((cfg->cache || cfg->cache_max_size > 0) && cfg->cache_dir == NULL)
		return refuse(msg, SETTLE_BAD,
		    xstrdup("no cache folder: set --cache-dir or HOME"));
	return 0;
}

/* -X wins; else a body makes it a POST. */
static void
settle_method(struct config *cfg, const struct options_extra *x)
{
	cfg->method_given = x->method != NULL;
	if (x->method != NULL)
		cfg->method = x->method;
	else if (cfg->data != NULL)
		cfg->method = "POST";
}

/*
 * --pretty and --compact win; else a document for a terminal is pretty.
 * --color auto colours only a pretty document on a terminal that can show
 * it, and NO_COLOR turns that off; --color=always wins over both.  The
 * progress line, unless asked for or refused, is drawn only on a stderr
 * that is a terminal taking escapes and not the one the output goes to,
 * and never under -q.
 */
static void
settle_display(struct config *cfg, const struct options_extra *x,
    const struct settle_env *env, struct settle_msg *msg)
{
	if (x->pretty != -1)
		cfg->pretty = x->pretty;
	else
		cfg->pretty = cfg->output == NULL && env->stdout_tty;
	if (x->color != -1)
		cfg->color = x->color;
	else
		cfg->color = cfg->pretty && cfg->shape != SHAPE_NDJSON &&
		    cfg->output == NULL && env->stdout_tty &&
		    !set(env->no_color) && term_capable(env);
	if (cfg->color && env->colors != NULL &&
	    pretty_colors_parse(&cfg->colors, env->colors) == -1 &&
	    !cfg->quiet)
		msg->warning = xstrdup("GATHER_COLORS: not a list of colours "
		    "like JQ_COLORS; using the defaults");
	if (x->progress != -1)
		cfg->progress = x->progress;
	else
		cfg->progress = !cfg->quiet && env->stderr_tty &&
		    term_capable(env) && (cfg->output != NULL ||
		    !env->same_tty);
}

/*
 * --cacert FILE must be a file that can be read: found missing only when
 * the first https transfer fails, the mistake would cost every result.
 */
static int
check_cacert(const struct config *cfg, struct settle_msg *msg)
{
	struct stat st;
	int fd;

	if (cfg->cacert == NULL)
		return 0;
	if ((fd = open(cfg->cacert, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return refuse(msg, SETTLE_USAGE, xasprintf("--cacert: %s: %s",
		    cfg->cacert, strerror(errno)));
	if (fstat(fd, &st) == -1 || S_ISDIR(st.st_mode)) {
		close(fd);
		return refuse(msg, SETTLE_USAGE,
		    xasprintf("--cacert: %s: not a file", cfg->cacert));
	}
	close(fd);
	return 0;
}

/* Options that mean something only beside another. */
static int
check_pairs(const struct config *cfg, struct settle_msg *msg)
{
	if (cfg->ordered && cfg->shape != SHAPE_NDJSON)
		return refuse(msg, SETTLE_USAGE,
		    xstrdup("--ordered: only with --ndjson"));
	if (cfg->lock_wait_ms > 0 && cfg->lock == NULL)
		return refuse(msg, SETTLE_USAGE,
		    xstrdup("--lock-wait: only with --lock"));
	return 0;
}

/*
 * --redis URL, else $GATHER_REDIS: checked here, so that a bad address is
 * a usage error, not a run without Redis.  --shared-rate and --lock
 * redis:NAME need it.
 */
static int
check_redis(struct config *cfg, const struct settle_env *env,
    struct settle_msg *msg)
{
	struct redis_addr a;
	char *err;

	if (cfg->redis == NULL && set(env->redis))
		cfg->redis = env->redis;
	if (cfg->redis != NULL) {
		if (redis_addr_parse(cfg->redis, &a, &err) == -1) {
			refuse(msg, SETTLE_USAGE, xasprintf("--redis: %s", err));
			free(err);
			return -1;
		}
		redis_addr_clear(&a);
	}
	if (cfg->shared_rate != NULL && (cfg->redis == NULL ||
	    cfg->rate_n == 0))
		return refuse(msg, SETTLE_USAGE, xstrdup("--shared-rate: only "
		    "with --redis and --rate"));
	if (cfg->lock != NULL && strncmp(cfg->lock, "redis:", 6) == 0 &&
	    (cfg->redis == NULL || cfg->lock[6] == '\0'))
		return refuse(msg, SETTLE_USAGE, xstrdup("--lock redis:NAME: "
		    "only with --redis, and NAME must not be empty"));
	return 0;
}

/*
 * What the credentials need before the run: stdin read by -H @- or
 * --variable NAME@- cannot be the input too, and a netrc file asked for
 * must be there (creds_netrc).
 */
static int
check_creds(struct config *cfg, const struct options_extra *x,
    struct settle_msg *msg)
{
	char *why;

	if (x->stdin_by != NULL && stdin_is_input(cfg))
		return refuse(msg, SETTLE_USAGE, xasprintf("--%s: '@-' cannot "
		    "be used when the inputs come from stdin", x->stdin_by));
	if (creds_netrc(cfg, &why) == -1)
		return refuse(msg, SETTLE_USAGE, why);
	return 0;
}

int
settle_config(struct config *cfg, const struct options_extra *x,
    const struct settle_env *env, struct settle_msg *msg)
{
	memset(msg, 0, sizeof(*msg));
	if (settle_inputs(cfg, env, msg) == -1)
		return -1;
	if (x->data != NULL && load_data(cfg, x->data, env, msg) == -1)
		return -1;
	if (settle_cache(cfg, x, env, msg) == -1)
		return -1;
	settle_method(cfg, x);
	settle_display(cfg, x, env, msg);
	if (check_pairs(cfg, msg) == -1 || check_cacert(cfg, msg) == -1 ||
	    check_creds(cfg, x, msg) == -1 || check_redis(cfg, env, msg) == -1)
		return -1;
	return 0;
}
