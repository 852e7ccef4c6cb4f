/*
 * Option parsing: values that land in the config, and every refusal by
 * its exact message (main.c adds "gather: " before and the "Try" line
 * after).
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "unit.h"

#define MAXARGS 8

static const struct {
	const char	*argv[MAXARGS];
	const char	*err;	/* the whole message; NULL: accepted */
} cases[] = {
	{ { "-j", "64" }, NULL },
	{ { "--concurrency=10000" }, NULL },
	{ { "--conc", "5" }, NULL },	/* an unambiguous prefix */
	{ { "--retry", "3" }, NULL },	/* exact beats longer names */
	{ { "-o", "=out.json" }, NULL },	/* an argument of its own */
	{ { "--output==out.json" }, NULL },
	{ { "-j", "0" }, "--concurrency: too small (min 1)" },
	{ { "-j", "10001" }, "--concurrency: too large (max 10000)" },
	{ { "-j", "abc" }, "--concurrency: not a number: 'abc'" },
	{ { "--timeout", "5x" }, "--timeout: invalid duration: '5x'" },
	{ { "-m", "1m30s" }, NULL },
	{ { "--connect-timeout", "" },
	    "--connect-timeout: invalid duration: ''" },
	{ { "--max-body", "0" }, "--max-body: must be more than 0" },
	{ { "--max-body", "1X" }, "--max-body: invalid size: '1X'" },
	{ { "--max-redirs", "-1" }, "--max-redirs: too small (min 0)" },
	{ { "-H", "novalue" },
	    "--header: want 'Name: value', got 'novalue'" },
	{ { "-H", ": x" }, "--header: want 'Name: value', got ': x'" },

	/* A flag given a value, long or abbreviated. */
	{ { "--pretty=1" }, "option '--pretty' doesn't allow an argument" },
	{ { "--pre=" }, "option '--pretty' doesn't allow an argument" },
	{ { "--no-cache=yes" },
	    "option '--no-cache' doesn't allow an argument" },

	/* An ambiguous prefix: every match, in table order. */
	{ { "--ret", "3" }, "option '--ret' is ambiguous; possibilities: "
	    "'--retry' '--retry-delay' '--retry-max-delay' '--retry-on' "
	    "'--retry-unsafe'" },
	{ { "--retry-", "3" }, "option '--retry-' is ambiguous; "
	    "possibilities: '--retry-delay' '--retry-max-delay' '--retry-on' "
	    "'--retry-unsafe'" },
	{ { "--cache=x" }, "option '--cache' is ambiguous; possibilities: "
	    "'--cache-dir' '--cache-max-size'" },

	/* Unknown, with a suggestion only when one is close. */
	{ { "--retyr", "3" }, "unknown option '--retyr'; did you mean "
	    "'--retry'?" },
	{ { "--retyr=3" }, "unknown option '--retyr'; did you mean "
	    "'--retry'?" },
	{ { "--concurency", "3" }, "unknown option '--concurency'; did you "
	    "mean '--concurrency'?" },
	{ { "--quite" }, "unknown option '--quite'; did you mean '--quiet'?" },
	{ { "--timeuot=1s" }, "unknown option '--timeuot'; did you mean "
	    "'--timeout'?" },
	{ { "--bogus" }, "unknown option '--bogus'" },
	{ { "--xy" }, "unknown option '--xy'" },
	{ { "--=3" }, "unknown option '--=3'" },
	{ { "-Z" }, "unknown option '-Z'" },
	{ { "-\033" }, "unknown option '-\\033'" },
	{ { "--\033[1m" }, "unknown option '--\\033[1m'" },

	/* A missing value, at the end of the arguments. */
	{ { "--timeout" }, "option '--timeout' requires an argument" },
	{ { "--time" }, "option '--timeout' requires an argument" },
	{ { "-j" }, "option '-j' requires an argument" },

	/* A value glued to a short option with '='. */
	{ { "-o=out.json" }, "-o: value '=out.json' starts with '='; did "
	    "you mean '-o out.json' or '--output=out.json'?" },
	{ { "-j=4" }, "-j: value '=4' starts with '='; did you mean '-j 4' "
	    "or '--concurrency=4'?" },
	{ { "-qo=x" }, "-o: value '=x' starts with '='; did you mean '-o x' "
	    "or '--output=x'?" },
	{ { "-o=" }, "-o: value '=' starts with '='; did you mean '-o FILE' "
	    "or '--output=FILE'?" },
	{ { "--ok", "2xx,404,500-503" }, NULL },
	{ { "--ok", "2xx,20" }, "--ok: not a status (100-999), class (2xx) "
	    "or range (200-299): '20'" },
	{ { "--ok", "2xx,\033" }, "--ok: not a status (100-999), class (2xx) "
	    "or range (200-299): '\\033'" },
	{ { "--help" }, NULL },
};

static int
parse(const char *const *args, struct config *cfg, struct options_extra *x,
    char **err)
{
	char *argv[MAXARGS + 2];
	int argc = 0;

	argv[argc++] = (char *)"gather";
	while (argc <= MAXARGS && args[argc - 1] != NULL) {
		argv[argc] = (char *)args[argc - 1];
		argc++;
	}
	argv[argc] = NULL;
	config_defaults(cfg);
	return options_parse(argc, argv, cfg, x, err);
}

static void
check_values(void)
{
	static const char *const args[] = { "-j", "7", "-m", "2s",
	    "--connect-timeout", "250ms", "-H", "A: 1", "-H", "B;", "-A",
	    "ua/1", "--max-body", "64K", "--max-redirs", "0", "-o", "f",
	    "--compact", "-i", "in1", "-i", "-", "-q", "u1", "n=u2", NULL };
	char *argv[32];
	struct config cfg;
	struct options_extra x;
	char *err;
	int argc = 0, rc;

	argv[argc++] = (char *)"gather";
	while (args[argc - 1] != NULL) {
		argv[argc] = (char *)args[argc - 1];
		argc++;
	}
	argv[argc] = NULL;
	config_defaults(&cfg);
	rc = options_parse(argc, argv, &cfg, &x, &err);
	CHECK(rc == 0 && cfg.concurrency == 7 && cfg.timeout_ms == 2000 &&
	    cfg.connect_timeout_ms == 250 && cfg.nheaders == 2 &&
	    strcmp(cfg.headers[1], "B;") == 0 &&
	    strcmp(cfg.user_agent, "ua/1") == 0 && cfg.max_body == 65536 &&
	    cfg.max_redirs == 0 && strcmp(cfg.output, "f") == 0 &&
	    x.pretty == 0 && cfg.ninputs == 2 &&
	    strcmp(cfg.inputs[1], "-") == 0 && cfg.quiet == 1 &&
	    cfg.nurls == 2 && strcmp(cfg.urls[1], "n=u2") == 0,
	    "every value lands in the config");
	config_free(&cfg);

	config_defaults(&cfg);
	CHECK(cfg.concurrency == 32 && cfg.timeout_ms == 30000 &&
	    cfg.connect_timeout_ms == 10000 && cfg.max_redirs == 10 &&
	    cfg.max_body == 16 << 20, "defaults follow the contract");
}

/* Abbreviations and values given as a whole argument land as given. */
static void
check_prefixes(void)
{
	static const char *const args[] = { "--conc", "5", "--retry-d=1s",
	    "-o", "=out.json", NULL };
	struct config cfg;
	struct options_extra x;
	char *err = NULL;
	int rc;

	rc = parse(args, &cfg, &x, &err);
	CHECK(rc == 0 && cfg.concurrency == 5 && cfg.retry.base_ms == 1000 &&
	    strcmp(cfg.output, "=out.json") == 0,
	    "prefixes and an '=' value in its own argument are taken");
	free(err);
	config_free(&cfg);
}

/*
 * Config files (-K): each text, with its mode, against the message ("%s"
 * is the file's path) or the warning it gives.  A file's options go
 * through the command line's table and messages.
 */
static const struct {
	const char	*text;
	mode_t		 mode;
	const char	*err;	/* NULL: accepted */
	const char	*warn;	/* NULL: no warning */
} config_cases[] = {
	{ "retry = 5\n-m 2s\nheader \"A: b c\"\n", 0600, NULL, NULL },
	{ "pretty yes\n", 0600,
	    "%s:1: option '--pretty' doesn't allow an argument", NULL },
	{ "# x\nretyr 1\n", 0600,
	    "%s:2: unknown option '--retyr'; did you mean '--retry'?", NULL },
	{ "retry 1000\n", 0600, "%s:1: --retry: too large (max 100)", NULL },
	{ "-j\n", 0600, "%s:1: option '-j' requires an argument", NULL },
	{ "-k yes\n", 0600, "%s:1: unexpected value 'yes'", NULL },
	{ "--retry=3 \"4\"\n", 0600, "%s:1: --retry=3: a second value '4'",
	    NULL },
	{ "retry 3 4\n", 0600, "%s:1: a value with spaces must be quoted",
	    NULL },
	{ "no-config\n", 0600, "%s:1: --no-config: only as the first "
	    "argument", NULL },
	{ "header \"Authorization: Bearer x\"\nheader \"Cookie: a=b\"\n",
	    0644, NULL, "%s: holds a credential (line 1) and others can read "
	    "it; chmod go-rw %s" },
	{ "-H \"cookie: a=b\"\n", 0640, NULL, "%s: holds a credential (line "
	    "1) and others can read it; chmod go-rw %s" },
	{ "header \"Authorization: Bearer x\"\n", 0600, NULL, NULL },
	{ "header \"X-Cookie: x\"\n", 0644, NULL, NULL },
};

/* Writes text to a new temporary file with mode; its path, allocated. */
static char *
config_file(const char *text, mode_t mode)
{
	char *path = strdup("/tmp/test_options.XXXXXX");
	int fd;

	if (path == NULL || (fd = mkstemp(path)) == -1)
		abort();
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
	    fchmod(fd, mode) == -1)
		abort();
	close(fd);
	return path;
}

/* tmpl with every "%s" replaced by path; NULL for NULL.  Allocated. */
static char *
fill(const char *tmpl, const char *path)
{
	const char *p;
	char *out;
	size_t n = 0;

	if (tmpl == NULL)
		return NULL;
	if ((out = malloc(strlen(tmpl) * (strlen(path) + 1) + 1)) == NULL)
		abort();
	for (p = tmpl; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] == 's') {
			memcpy(out + n, path, strlen(path));
			n += strlen(path);
			p++;
		} else
			out[n++] = *p;
	}
	out[n] = '\0';
	return out;
}

/* Parses args with dflt as the default config file. */
static int
parse_with(const char *dflt, const char *const *args, struct config *cfg,
    struct options_extra *x, char **err)
{
	char *argv[MAXARGS + 2];
	int argc = 0;

	argv[argc++] = (char *)"gather";
	while (argc <= MAXARGS && args[argc - 1] != NULL) {
		argv[argc] = (char *)args[argc - 1];
		argc++;
	}
	argv[argc] = NULL;
	config_defaults(cfg);
	return options_parse_all(argc, argv, dflt, cfg, x, err);
}

static void
check_config_table(void)
{
	struct options_extra x;
	struct config cfg;
	char *path, *err, *want, *warn;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(config_cases) / sizeof(config_cases[0]); i++) {
		path = config_file(config_cases[i].text, config_cases[i].mode);
		err = want = warn = NULL;
		rc = parse_with(NULL, (const char *const[]){ "-K", path, NULL },
		    &cfg, &x, &err);
		want = fill(config_cases[i].err, path);
		warn = fill(config_cases[i].warn, path);
		CHECK((want == NULL ? rc == 0 : rc == -1 &&
		    strcmp(err, want) == 0) && (warn == NULL ?
		    x.warnings == NULL : x.warnings != NULL &&
		    strcmp(x.warnings, warn) == 0),
		    "config %zu: %d %s / %s", i, rc, err ? err : "",
		    x.warnings ? x.warnings : "");
		if (i == 0)
			CHECK(rc == 0 && cfg.retry.retries == 5 &&
			    cfg.timeout_ms == 2000 && cfg.nheaders == 1 &&
			    strcmp(cfg.headers[0], "A: b c") == 0,
			    "a config file's values land in the config");
		free(x.warnings);
		free(err);
		free(want);
		free(warn);
		config_free(&cfg);
		unlink(path);
		free(path);
	}
}

/* -K is read where it stands; the default file first, unless told not. */
static void
check_config_order(void)
{
	struct options_extra x;
	struct config cfg;
	char *path, *err = NULL;

	path = config_file("retry 5\n", 0600);
	parse_with(NULL, (const char *const[]){ "-K", path, "--retry", "7",
	    NULL }, &cfg, &x, &err);
	CHECK(cfg.retry.retries == 7, "an option after -K wins");
	config_free(&cfg);
	parse_with(NULL, (const char *const[]){ "--retry", "7", "-K", path,
	    NULL }, &cfg, &x, &err);
	CHECK(cfg.retry.retries == 5, "-K after an option wins");
	config_free(&cfg);
	parse_with(path, (const char *const[]){ "u", NULL }, &cfg, &x, &err);
	CHECK(cfg.retry.retries == 5 && cfg.nurls == 1,
	    "the default config file is read");
	config_free(&cfg);
	parse_with(path, (const char *const[]){ "--retry", "1", NULL }, &cfg,
	    &x, &err);
	CHECK(cfg.retry.retries == 1, "the command line wins over it");
	config_free(&cfg);
	parse_with(path, (const char *const[]){ "--no-config", "u", NULL },
	    &cfg, &x, &err);
	CHECK(cfg.retry.retries == 2, "--no-config first: it is not read");
	config_free(&cfg);
	CHECK(parse_with(path, (const char *const[]){ "u", "--no-config",
	    NULL }, &cfg, &x, &err) == -1 && strcmp(err, "--no-config: only "
	    "as the first argument") == 0, "--no-config elsewhere: refused");
	free(err);
	err = NULL;
	config_free(&cfg);
	CHECK(parse_with("/nonexistent/config", (const char *const[]){ "u",
	    NULL }, &cfg, &x, &err) == 0, "no default file: no error");
	config_free(&cfg);
	unlink(path);
	free(path);
}

static void
check_credentials(void)
{
	CHECK(options_credential("user", "a:b") &&
	    options_credential("oauth2-bearer", "t") &&
	    options_credential("proxy-user", "a:b") &&
	    options_credential("variable", "%TOKEN") &&
	    options_credential("header", "authorization: x") &&
	    options_credential("header", "Proxy-Authorization:x") &&
	    options_credential("header", "Cookie;") &&
	    options_credential("expand-header", "Authorization: {{t}}") &&
	    options_credential("cookie", "sid=s3cret") &&
	    !options_credential("cookie", "cookies.txt") &&
	    options_credential("cert", "client.pem:s3cret") &&
	    !options_credential("cert", "client.pem") &&
	    !options_credential("cert", "c\\:lient.pem") &&
	    !options_credential("expand-header", "X-A: {{t}}") &&
	    !options_credential("header", "X-Cookie: x") &&
	    !options_credential("header", "Authorizations: x") &&
	    !options_credential("retry", "3"),
	    "credentials are told by option and header name");
}

int
main(void)
{
	struct config cfg;
	struct options_extra x;
	const char *want;
	char *err;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err = NULL;
		want = cases[i].err;
		rc = parse(cases[i].argv, &cfg, &x, &err);
		CHECK(want == NULL ? rc == 0 && err == NULL :
		    rc == -1 && err != NULL && strcmp(err, want) == 0,
		    "%s %s -> %d %s", cases[i].argv[0],
		    cases[i].argv[1] ? cases[i].argv[1] : "", rc,
		    err ? err : "");
		free(err);
		config_free(&cfg);
	}
	check_values();
	check_prefixes();
	check_config_table();
	check_config_order();
	check_credentials();
	return unit_done();
}
