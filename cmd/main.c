/*
 * gather's front door: turns argv into a config, runs the engine, prints
 * diagnostics and maps the outcome to an exit status.  It is the only
 * place that prints to stderr or exits.
 */
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "buf.h"
#include "store.h"
#include "cachecmd.h"
#include "cachectl.h"
#include "config.h"
#include "count.h"
#include "failalloc.h"
#include "input.h"
#include "joincmd.h"
#include "options.h"
#include "output.h"
#include "redis.h"
#include "shared.h"
#include "scheduler.h"
#include "serve.h"
#include "settle.h"
#include "summary.h"
#include "ui.h"
#include "xalloc.h"

#define EXIT_FAILED	1
#define EXIT_USAGE	2
#define EXIT_OUTPUT	3
#define EXIT_LOCKED	75
#define EXIT_PIPE	(128 + SIGPIPE)	/* as if killed by SIGPIPE */

/*
 * The signal that asked the run to stop, or 0; and a pipe its handler
 * writes to, which the scheduler polls, so that a signal landing just
 * before it goes to sleep still wakes it.  With resized below, the only
 * mutable globals.
 */
static volatile sig_atomic_t caught;
static int wake[2] = { -1, -1 };

/* Set by SIGWINCH: the progress line asks the terminal's width again. */
static volatile sig_atomic_t resized;

static void
on_signal(int sig)
{
	int saved = errno;
	ssize_t n;

	caught = sig;
	if (wake[1] != -1) {
		n = write(wake[1], "", 1);
		(void)n;	/* full or failed: the flag is set anyway */
	}
	errno = saved;
}

/*
 * SIGINT, SIGTERM and SIGHUP (a closed terminal, or a service manager's
 * stop) end the run with complete output.  SA_RESETHAND: a second signal
 * kills at once, for a run that will not stop.
 */
static void
signals_init(void)
{
	struct sigaction sa;

	/* Without the pipe, the loop still sees the flag within 200 ms. */
	if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) == -1)
		wake[0] = wake[1] = -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/*
	 * A closed pipe is a write error (EPIPE), so that the output is
	 * dropped and the run ends in order, with the status SIGPIPE gives.
	 */
	signal(SIGPIPE, SIG_IGN);
}

static void
on_winch(int sig)
{
	(void)sig;
	resized = 1;
}

/* Only a run that draws a progress line cares for the terminal's width. */
static void
winch_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_winch;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);
}

static double
wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/*
 * --lock FILE: an exclusive flock held until the process ends.  Returns
 * the descriptor, -1 when another run holds it (after --lock-wait), or -2
 * when the file cannot be opened.
 */
static int
take_lock(const struct config *cfg)
{
	double until = wall_ms() + (double)cfg->lock_wait_ms;
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	int fd;

	if ((fd = open(cfg->lock, O_RDONLY | O_CREAT | O_CLOEXEC, 0644)) == -1) {
		fprintf(stderr, "gather: --lock: %s: %s\n", cfg->lock,
		    strerror(errno));
		return -2;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK || wall_ms() >= until ||
		    caught != 0) {
			if (caught == 0)
				fprintf(stderr, "gather: --lock: %s is held by "
				    "another run\n", cfg->lock);
			close(fd);
			return -1;
		}
		nanosleep(&nap, NULL);
	}
	return fd;
}

/*
 * --lock redis:NAME: SET NX PX with a random token in Redis, so that runs
 * on every machine of a fleet exclude each other; the scheduler renews it
 * and release_redis_lock lets it go.  Returns 0 (taken: cfg->lock_token
 * set), -1 when another run holds it.  A Redis that cannot be asked is
 * said once and the run goes on unlocked: a fault of Redis never costs a
 * run its results.
 */
static int
take_redis_lock(struct config *cfg, char token[33])
{
	struct redis_addr a;
	char *key, *err = NULL;
	int rc;

	if (redis_addr_parse(cfg->redis, &a, &err) == -1) {
		free(err);
		return -1;
	}
	redis_token(token);
	key = shared_lock_key(cfg);
	rc = redis_lock_take(&a, cfg->redis_timeout_ms > 1000 ?
	    cfg->redis_timeout_ms : 1000, key, token, cfg->lock_ttl_ms,
	    cfg->lock_wait_ms, &caught, &err);
	if (rc == 1)
		cfg->lock_token = token;
	else if (rc == 0 && caught == 0)
		fprintf(stderr, "gather: --lock: %s is held by another run\n",
		    cfg->lock);
	else if (rc == -1) {
		/* Said once: the run does not try Redis again. */
		if (!cfg->quiet)
			fprintf(stderr, "gather: warning: %s; the run goes on "
			    "without it and without the fleet lock %s\n", err,
			    cfg->lock);
		free(err);
		cfg->redis = NULL;
		cfg->shared_rate = NULL;
	}
	free(key);
	redis_addr_clear(&a);
	return rc == 0 ? -1 : 0;
}

static void
release_redis_lock(const struct config *cfg)
{
	struct redis_addr a;
	char *key, *err;

	if (cfg->lock_token == NULL ||
	    redis_addr_parse(cfg->redis, &a, &err) == -1)
		return;
	key = shared_lock_key(cfg);
	redis_lock_release(&a, 1000, key, cfg->lock_token);
	free(key);
	redis_addr_clear(&a);
}

static int
usage_error(char *msg)
{
	fprintf(stderr, "gather: %s\nTry 'gather --help' for more.\n", msg);
	free(msg);
	return EXIT_USAGE;
}

/* Prints, unless -q, the warnings of the option parser, and frees them. */
static void
options_warnings(const struct config *cfg, struct options_extra *x)
{
	char *s, *line;

	for (s = x->warnings; s != NULL && !cfg->quiet;)
		if ((line = strsep(&s, "\n")) != NULL)
			fprintf(stderr, "gather: warning: %s\n", line);
	free(x->warnings);
	x->warnings = NULL;
}

/* Prints what settle_config said; returns its exit status, or 0. */
static int
settle_report(struct settle_msg *msg)
{
	int status = 0;

	if (msg->warning != NULL)
		fprintf(stderr, "gather: warning: %s\n", msg->warning);
	switch (msg->err) {
	case SETTLE_OK:
		break;
	case SETTLE_BAD:
		fprintf(stderr, "gather: %s\n", msg->text);
		status = EXIT_USAGE;
		break;
	case SETTLE_USAGE:
		fprintf(stderr, "gather: %s\n", msg->text);
		fputs("Try 'gather --help' for more.\n", stderr);
		status = EXIT_USAGE;
		break;
	case SETTLE_NO_URLS:
		fprintf(stderr, "gather: %s\n", msg->text);
		options_synopsis(stderr);
		fputs("Try 'gather --help' for more.\n", stderr);
		status = EXIT_USAGE;
		break;
	}
	free(msg->warning);
	free(msg->text);
	return status;
}

/*
 * --record DIR is made when missing and must be a folder that can be
 * written; --replay DIR must be a folder.  Found out only at the first
 * fixture, the mistake would cost every result.
 */
static int
check_fixture_dir(const struct config *cfg)
{
	const char *opt = cfg->record != NULL ? "--record" : "--replay";
	const char *dir = cfg->record != NULL ? cfg->record : cfg->replay;
	struct stat st;

	if (dir == NULL)
		return 0;
	if (cfg->record != NULL && mkdir(dir, 0755) == -1 && errno != EEXIST) {
		usage_error(xasprintf("%s: %s: %s", opt, dir, strerror(errno)));
		return -1;
	}
	if (stat(dir, &st) == -1) {
		usage_error(xasprintf("%s: %s: %s", opt, dir, strerror(errno)));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		usage_error(xasprintf("%s: %s: not a folder", opt, dir));
		return -1;
	}
	if (cfg->record != NULL && access(dir, W_OK | X_OK) == -1) {
		usage_error(xasprintf("%s: %s: %s", opt, dir, strerror(errno)));
		return -1;
	}
	return 0;
}

/*
 * File descriptors a transfer may hold at once: its socket, and a second
 * while happy eyeballs races two addresses or the resolver's socket pair
 * is open.  The rest of a run (stdio, output and temp file, lock, signal
 * pipe, libcurl's own, the cache folder and one entry, what the resolver
 * reads) fits in FD_RESERVE, besides one per input and what was open at
 * start.
 */
#define FD_PER_TRANSFER	2
#define FD_RESERVE	64

/* The descriptors open now, or 0 when they cannot be counted. */
static rlim_t
fds_open(void)
{
	struct dirent *d;
	rlim_t n = 0;
	DIR *dir;

	if ((dir = opendir("/proc/self/fd")) == NULL)
		return 0;
	while ((d = readdir(dir)) != NULL)
		if (d->d_name[0] != '.')
			n++;
	closedir(dir);
	return n > 0 ? n - 1 : 0;	/* not the one reading the folder */
}

/*
 * Raises the soft limit on open files to the hard one, then lowers -j,
 * with one warning, when its transfers would still not fit: a transfer
 * short of a socket would fail as if the server were down.
 */
static void
fit_descriptors(struct config *cfg)
{
	struct rlimit rl;
	rlim_t need, reserve;
	long j;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		need = rl.rlim_cur;
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) == -1)
			rl.rlim_cur = need;
	}
	reserve = FD_RESERVE + cfg->ninputs + fds_open();
	need = reserve + (rlim_t)cfg->concurrency * FD_PER_TRANSFER;
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
		return;
	j = rl.rlim_cur > reserve + FD_PER_TRANSFER ?
	    (long)((rl.rlim_cur - reserve) / FD_PER_TRANSFER) : 1;
	if (!cfg->quiet)
		fprintf(stderr, "gather: warning: -j %ld needs about %llu file "
		    "descriptors and the limit is %llu: running %ld at a "
		    "time\n", cfg->concurrency, (unsigned long long)need,
		    (unsigned long long)rl.rlim_cur, j);
	cfg->concurrency = j;
}

/*
 * Resource limits: a file grown past RLIMIT_FSIZE is a write error to
 * report (EFBIG), not a reason to die (SIGXFSZ); too few descriptors
 * lower -j.
 */
static void
limits_init(struct config *cfg)
{
	signal(SIGXFSZ, SIG_IGN);
	fit_descriptors(cfg);
}

/* The reorder window: how many finished results may wait their turn. */
static size_t
window_size(const struct config *cfg)
{
	size_t w = (size_t)cfg->concurrency * 32;

	return w < 1024 ? 1024 : w;
}

/* --cache-max-size: prune the cache once the run is over. */
static void
prune_after(const struct config *cfg, struct ui *ui)
{
	struct cachectl_stats st;
	struct store *c;
	char *why, *msg;

	if (cfg->cache_max_size <= 0 || cfg->cache_dir == NULL)
		return;
	if ((c = store_open(cfg->cache_dir, &why)) == NULL) {
		msg = xasprintf("--cache-max-size: %s", why);
		ui_warn(ui, msg);
		free(msg);
		free(why);
		return;
	}
	free(why);	/* a note the run itself has given */
	if (cachectl_prune(c, 0, cfg->cache_max_size, serve_now(), &st,
	    &why) == -1) {
		msg = xasprintf("--cache-max-size: %s", why);
		ui_warn(ui, msg);
		free(msg);
		free(why);
	}
	store_close(c);
}

/*
 * --summary FILE ("-": stderr), opened before the run so that a path that
 * cannot be written fetches nothing.  Returns 0 and *fp (NULL without
 * --summary), or -1 having said why.
 */
static int
summary_open(const struct config *cfg, FILE **fp)
{
	*fp = NULL;
	if (cfg->summary == NULL)
		return 0;
	if (strcmp(cfg->summary, "-") == 0) {
		*fp = stderr;
		return 0;
	}
	if ((*fp = fopen(cfg->summary, "we")) == NULL) {
		fprintf(stderr, "gather: --summary: %s: %s\n", cfg->summary,
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* Writes the summary line to fp and closes it; -1 having said why. */
static int
summary_write(const struct config *cfg, FILE *fp, const struct buf *sbuf)
{
	int bad;

	if (fp == NULL)
		return 0;
	bad = fprintf(fp, "%s\n", sbuf->data) < 0 || fflush(fp) != 0;
	if (fp != stderr && fclose(fp) != 0)
		bad = 1;
	if (bad)
		fprintf(stderr, "gather: --summary: %s: %s\n", cfg->summary,
		    strerror(errno));
	return bad ? -1 : 0;
}

static int
run(const struct config *cfg)
{
	struct ui ui;
	struct sched_hooks hooks = { .attempt = ui_attempt, .warn = ui_warn,
	    .progress = ui_progress, .failed = ui_failed, .arg = &ui,
	    .stop = &caught, .stop_fd = wake[0] };
	struct input *in = NULL;
	struct output *out = NULL;
	struct summary *sum = NULL;
	struct buf sbuf;
	FILE *sumfp = NULL;
	char *err = NULL, *ferr = NULL;
	double t0, wall;
	int rc, status = EXIT_FAILED;

	buf_init(&sbuf);
	/*
	 * The total is worth a second read of the input only to show it;
	 * a shard's is known only once its input has been read.
	 */
	ui_init(&ui, cfg, &resized, cfg->progress && cfg->shard_n == 0 ?
	    count_inputs(cfg) : -1);
	if ((in = input_new(cfg, &err)) == NULL) {
		status = usage_error(err);
		goto out;
	}
	if (summary_open(cfg, &sumfp) == -1) {
		status = EXIT_OUTPUT;
		goto out;
	}
	if ((out = output_new(cfg, window_size(cfg), ui_warn, &ui,
	    &err)) == NULL) {
		/* A signal may end the wait for a -o FIFO's reader. */
		if (caught == 0)
			fprintf(stderr, "gather: %s\n", err);
		free(err);
		status = caught != 0 ? 128 + caught : EXIT_OUTPUT;
		goto out;
	}
	sum = summary_new();
	if (cfg->timings)
		summary_by_host(sum);
	sum->shard_k = cfg->shard_k;
	sum->shard_n = cfg->shard_n;
	t0 = wall_ms();
	if (!cfg->verbose)
		hooks.attempt = NULL;
	if (!cfg->progress)
		hooks.progress = NULL;
	rc = sched_run(cfg, in, out, sum, &hooks, &err);
	if (!output_closed(out))
		prune_after(cfg, &ui);
	wall = wall_ms() - t0;
	summary_json(sum, wall, cfg->stable, &sbuf);
	if (output_finish(out, &sbuf, &ferr) == -1 && output_closed(out)) {
		/* The reader went away: end as cat does, without a word. */
		free(err);
		free(ferr);
		status = EXIT_PIPE;
		goto out;
	}
	if (rc == -1) {
		fprintf(stderr, "gather: %s\n", err);
		free(err);
	}
	if (ferr != NULL) {
		fprintf(stderr, "gather: %s\n", ferr);
		free(ferr);
		status = EXIT_OUTPUT;
		goto out;
	}
	if (caught != 0)
		status = 128 + caught;
	else
		status = rc == 0 && sum->failed == 0 &&
		    output_conflicts(out) == 0 ? EXIT_SUCCESS : EXIT_FAILED;
	/* The report follows the output: on a shared terminal, below it. */
	ui_failures(&ui);
	if (summary_write(cfg, sumfp, &sbuf) == -1)
		status = EXIT_OUTPUT;
	sumfp = NULL;
	ui_totals(&ui, sum, wall);
out:
	if (sumfp != NULL && sumfp != stderr)
		fclose(sumfp);
	buf_free(&sbuf);
	summary_free(sum);
	output_free(out);
	input_free(in);
	ui_free(&ui);
	return status;
}

/*
 * "gather --cache-dir DIR cache VERB ...", the folder named first as for
 * a run, is "gather cache VERB ... --cache-dir DIR".  Returns the verb's
 * exit status, or -1 when argv is not that.
 */
static int
cache_verb_late(int argc, char **argv)
{
	char **v;
	int n, status;

	if (argc > 3 && strcmp(argv[1], "--cache-dir") == 0 &&
	    strcmp(argv[3], "cache") == 0)
		n = 2;
	else if (argc > 2 && strncmp(argv[1], "--cache-dir=", 12) == 0 &&
	    strcmp(argv[2], "cache") == 0)
		n = 1;
	else
		return -1;
	/* The verb's words first, then the option; NULL-terminated. */
	v = xreallocarray(NULL, (size_t)argc + 1, sizeof(*v));
	memcpy(v, argv + 1 + n, (size_t)(argc - 1 - n) * sizeof(*v));
	memcpy(v + argc - 1 - n, argv + 1, (size_t)n * sizeof(*v));
	v[argc - 1] = NULL;
	status = cachecmd_main(argc - 1, v);
	free(v);
	return status;
}

int
main(int argc, char **argv)
{
	struct config cfg;
	struct options_extra x;
	struct settle_env env;
	struct settle_msg msg;
	char *err, *conf;
	int status, lockfd = -1;
	char token[33];

	if (argc > 1 && strcmp(argv[1], "cache") == 0)
		return cachecmd_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "join") == 0)
		return joincmd_main(argc - 1, argv + 1);
	if ((status = cache_verb_late(argc, argv)) != -1)
		return status;
	config_defaults(&cfg);
	settle_env_read(&env);
	conf = settle_config_file(&env);
	status = options_parse_all(argc, argv, conf, &cfg, &x, &err);
	free(conf);
	options_warnings(&cfg, &x);
	if (status == -1) {
		config_free(&cfg);
		return usage_error(err);
	}
	if (x.help) {
		options_usage(stdout);
		config_free(&cfg);
		return EXIT_SUCCESS;
	}
	if (x.version) {
		printf("gather %s (%s)\n", GATHER_VERSION, curl_version());
		config_free(&cfg);
		return EXIT_SUCCESS;
	}
	settle_config(&cfg, &x, &env, &msg);
	if ((status = settle_report(&msg)) == 0 &&
	    check_fixture_dir(&cfg) == -1)
		status = EXIT_USAGE;
	if (status != 0) {
		config_free(&cfg);
		return status;
	}
	limits_init(&cfg);
	signals_init();
	if (failalloc_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fputs("gather: cannot initialise libcurl\n", stderr);
		config_free(&cfg);
		return EXIT_FAILED;
	}
	if (cfg.lock != NULL && strncmp(cfg.lock, "redis:", 6) == 0) {
		if (take_redis_lock(&cfg, token) == -1) {
			status = caught != 0 ? 128 + caught : EXIT_LOCKED;
			curl_global_cleanup();
			config_free(&cfg);
			return status;
		}
	} else if (cfg.lock != NULL && (lockfd = take_lock(&cfg)) < 0) {
		status = caught != 0 ? 128 + caught : lockfd == -1 ?
		    EXIT_LOCKED : EXIT_USAGE;
		curl_global_cleanup();
		config_free(&cfg);
		return status;
	}
	if (cfg.progress)
		winch_init();
	status = run(&cfg);
	if (lockfd != -1)
		close(lockfd);
	release_redis_lock(&cfg);
	curl_global_cleanup();
	config_free(&cfg);
	return status;
}
