/*
 * Option parsing: values that land in the config, and every refusal by
 * its exact message (main.c adds "gather: " before and the "Try" line
 * after).
 */
#include <stdlib.h>
#include <string.h>

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
	return unit_done();
}
