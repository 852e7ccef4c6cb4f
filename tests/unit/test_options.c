/* Option parsing: values that land in the config and errors that name
 * their option. */
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "unit.h"

#define MAXARGS 8

static const struct {
	const char	*argv[MAXARGS];
	int		 rc;
	const char	*err;	/* a part of the message */
} cases[] = {
	{ { "-j", "64" }, 0, NULL },
	{ { "--concurrency=10000" }, 0, NULL },
	{ { "-j", "0" }, -1, "--concurrency: too small (min 1)" },
	{ { "-j", "10001" }, -1, "--concurrency: too large (max 10000)" },
	{ { "-j", "abc" }, -1, "--concurrency: not a number" },
	{ { "-j" }, -1, "--concurrency: needs a value" },
	{ { "--timeout", "5x" }, -1, "--timeout: invalid duration" },
	{ { "-m", "1m30s" }, 0, NULL },
	{ { "--connect-timeout", "" }, -1, "--connect-timeout" },
	{ { "--max-body", "0" }, -1, "--max-body: must be more than 0" },
	{ { "--max-body", "1X" }, -1, "--max-body: invalid size" },
	{ { "--max-redirs", "-1" }, -1, "--max-redirs" },
	{ { "-H", "novalue" }, -1, "--header" },
	{ { "-H", ": x" }, -1, "--header" },
	{ { "--bogus" }, -1, "unknown option '--bogus'" },
	{ { "-Z" }, -1, "unknown option '-Z'" },
	{ { "--help" }, 0, NULL },
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

int
main(void)
{
	struct config cfg;
	struct options_extra x;
	char *err;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err = NULL;
		rc = parse(cases[i].argv, &cfg, &x, &err);
		CHECK(rc == cases[i].rc && (rc == 0 ||
		    (err != NULL && strstr(err, cases[i].err) != NULL)),
		    "%s %s -> %d %s", cases[i].argv[0],
		    cases[i].argv[1] ? cases[i].argv[1] : "", rc,
		    err ? err : "");
		free(err);
		config_free(&cfg);
	}
	check_values();
	return unit_done();
}
