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
#include "creds.h"
#include "input.h"
#include "options.h"
#include "output.h"
#include "scheduler.h"
#include "serve.h"
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

static int
usage_error(char *msg)
{
	fprintf(stderr, "gather: %s\nTry 'gather --help' for more.\n", msg);
	free(msg);
	return EXIT_USAGE;
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

/* Loads -d DATA or -d @FILE ("@-": stdin) into cfg. */
static int
load_data(struct config *cfg, const char *arg)
{
	struct buf b;
	FILE *fp;
	char chunk[65536];
	size_t n;

	if (arg[0] != '@') {
		cfg->data = strdup(arg);
		cfg->data_len = strlen(arg);
		return cfg->data == NULL ? -1 : 0;
	}
	if (strcmp(arg, "@-") == 0) {
		if (stdin_is_input(cfg)) {
			fputs("gather: --data: '@-' cannot be used when the "
			    "inputs come from stdin\n", stderr);
			return -1;
		}
		fp = stdin;
	} else if ((fp = fopen(arg + 1, "rb")) == NULL) {
		fprintf(stderr, "gather: --data: %s: %s\n", arg + 1,
		    strerror(errno));
		return -1;
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(fp)) {
		fprintf(stderr, "gather: --data: %s: read error\n", arg + 1);
		buf_free(&b);
		if (fp != stdin)
			fclose(fp);
		return -1;
	}
	if (fp != stdin)
		fclose(fp);
	cfg->data_len = b.len;
	cfg->data = buf_steal(&b);
	return 0;
}

/* Set and not empty, as no-color.org has it. */
static int
env_on(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0';
}

/*
 * --color: auto colours only a pretty document on a terminal that can
 * show it, and NO_COLOR turns that off; --color=always wins over both.
 */
static void
resolve_color(struct config *cfg, int color)
{
	const char *term = getenv("TERM"), *spec;

	if (color != -1)
		cfg->color = color;
	else
		cfg->color = cfg->pretty && cfg->shape != SHAPE_NDJSON &&
		    cfg->output == NULL && isatty(STDOUT_FILENO) &&
		    !env_on("NO_COLOR") && term != NULL &&
		    strcmp(term, "dumb") != 0;
	if (cfg->color && (spec = getenv("GATHER_COLORS")) != NULL &&
	    pretty_colors_parse(&cfg->colors, spec) == -1 && !cfg->quiet)
		fprintf(stderr, "gather: warning: GATHER_COLORS: not a list "
		    "of colours like JQ_COLORS; using the defaults\n");
}

/* Settles what the options left to the environment. */
static int
resolve(struct config *cfg, const struct options_extra *x)
{
	if (cfg->nurls == 0 && cfg->ninputs == 0) {
		if (isatty(STDIN_FILENO)) {
			fputs("gather: no URLs given\n", stderr);
			options_synopsis(stderr);
			fputs("Try 'gather --help' for more.\n", stderr);
			return -1;
		}
		cfg->read_stdin = 1;
	}
	if (x->data != NULL && load_data(cfg, x->data) == -1)
		return -1;
	cfg->cache = !x->no_cache && (cfg->ttl_ms >= 0 || cfg->offline ||
	    cfg->refresh || cfg->stale_if_error_ms >= 0);
	/* --offline stays: it is a promise about the network, not the cache. */
	if (x->no_cache) {
		cfg->refresh = 0;
		cfg->stale_if_error_ms = cfg->ttl_ms = -1;
		cfg->cache_max_size = 0;
	}
	/* Known even when off: a spec's "ttl" may turn the cache on. */
	if (!x->no_cache)
		cfg->cache_dir = options_cache_dir(x->cache_dir);
	if ((cfg->cache || cfg->cache_max_size > 0) && cfg->cache_dir == NULL) {
		fputs("gather: no cache folder: set --cache-dir or HOME\n",
		    stderr);
		return -1;
	}
	cfg->method_given = x->method != NULL;
	if (x->method != NULL)
		cfg->method = x->method;
	else if (cfg->data != NULL)
		cfg->method = "POST";
	if (x->pretty != -1)
		cfg->pretty = x->pretty;
	else
		cfg->pretty = cfg->output == NULL && isatty(STDOUT_FILENO);
	resolve_color(cfg, x->color);
	if (x->progress != -1)
		cfg->progress = x->progress;
	else
		cfg->progress = ui_progress_default(cfg);
	if (cfg->ordered && cfg->shape != SHAPE_NDJSON) {
		usage_error(xstrdup("--ordered: only with --ndjson"));
		return -1;
	}
	if (cfg->lock_wait_ms > 0 && cfg->lock == NULL) {
		usage_error(xstrdup("--lock-wait: only with --lock"));
		return -1;
	}
	return 0;
}

/*
 * --cacert FILE must be a file that can be read: found missing only when
 * the first https transfer fails, the mistake would cost every result.
 */
static int
check_cacert(const struct config *cfg)
{
	struct stat st;
	int fd;

	if (cfg->cacert == NULL)
		return 0;
	if ((fd = open(cfg->cacert, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		usage_error(xasprintf("--cacert: %s: %s", cfg->cacert,
		    strerror(errno)));
		return -1;
	}
	if (fstat(fd, &st) == -1 || S_ISDIR(st.st_mode)) {
		close(fd);
		usage_error(xasprintf("--cacert: %s: not a file", cfg->cacert));
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * What the credentials need before the run: stdin read by -H @- or
 * --variable NAME@- cannot be the input too, and a netrc file asked for
 * must be there (creds_netrc).
 */
static int
check_creds(struct config *cfg, const struct options_extra *x)
{
	char *why;

	if (x->stdin_by != NULL && stdin_is_input(cfg)) {
		usage_error(xasprintf("--%s: '@-' cannot be used when the "
		    "inputs come from stdin", x->stdin_by));
		return -1;
	}
	if (creds_netrc(cfg, &why) == -1) {
		usage_error(why);
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
	/* The total is worth a second read of the input only to show it. */
	ui_init(&ui, cfg, &resized, cfg->progress ? count_inputs(cfg) : -1);
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
	t0 = wall_ms();
	if (!cfg->verbose)
		hooks.attempt = NULL;
	if (!cfg->progress)
		hooks.progress = NULL;
	rc = sched_run(cfg, in, out, sum, &hooks, &err);
	if (!output_closed(out))
		prune_after(cfg, &ui);
	wall = wall_ms() - t0;
	summary_json(sum, wall, &sbuf);
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
	char *err;
	int status, lockfd = -1;

	if (argc > 1 && strcmp(argv[1], "cache") == 0)
		return cachecmd_main(argc - 1, argv + 1);
	if ((status = cache_verb_late(argc, argv)) != -1)
		return status;
	config_defaults(&cfg);
	if (options_parse(argc, argv, &cfg, &x, &err) == -1) {
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
	if (resolve(&cfg, &x) == -1 || check_cacert(&cfg) == -1 ||
	    check_creds(&cfg, &x) == -1) {
		config_free(&cfg);
		return EXIT_USAGE;
	}
	limits_init(&cfg);
	signals_init();
	if (failalloc_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fputs("gather: cannot initialise libcurl\n", stderr);
		config_free(&cfg);
		return EXIT_FAILED;
	}
	if (cfg.lock != NULL && (lockfd = take_lock(&cfg)) < 0) {
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
	curl_global_cleanup();
	config_free(&cfg);
	return status;
}
