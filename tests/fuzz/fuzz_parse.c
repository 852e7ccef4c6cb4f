/*
 * libFuzzer target: the value syntaxes of the command line.  The first
 * byte picks the parser (duration, size, --retry-on, or --rate through
 * options_parse); the rest is the value.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "config.h"
#include "options.h"
#include "parse.h"
#include "retry.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
fuzz_rate(char *arg)
{
	struct config cfg;
	struct options_extra x;
	char *argv[] = { (char *)"gather", (char *)"--rate", arg, NULL };
	char *err = NULL;

	config_defaults(&cfg);
	if (options_parse(3, argv, &cfg, &x, &err) == 0 &&
	    (cfg.rate_n < 1 || cfg.rate_per_ms < 1))
		abort();
	free(err);
	config_free(&cfg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct retry_policy p;
	const char *errstr = NULL, *bad = NULL;
	char *s;
	int64_t v;

	if (size < 1)
		return 0;
	s = xstrndup((const char *)data + 1, size - 1);
	switch (data[0] % 4) {
	case 0:
		if (parse_duration(s, &v, &errstr) == 0 && v < 0)
			abort();
		break;
	case 1:
		if (parse_size(s, &v, &errstr) == 0 && v < 0)
			abort();
		break;
	case 2:
		retry_policy_default(&p);
		(void)retry_parse_on(&p, s, &bad);
		break;
	default:
		fuzz_rate(s);
		break;
	}
	free(s);
	return 0;
}
