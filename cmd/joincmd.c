/*
 * gather join FILE...: parse its few options, read and check the shards'
 * outputs through join.c, and write the one document (or NDJSON) through
 * output.c, as a run writes its own.  It fetches nothing.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "join.h"
#include "joincmd.h"
#include "output.h"

#define EXIT_FAILED	1
#define EXIT_USAGE	2
#define EXIT_OUTPUT	3

static int
join_usage(const char *msg)
{
	if (msg != NULL)
		fprintf(stderr, "gather: join: %s\n", msg);
	fputs("usage: gather join [--ndjson] [--compact | --pretty] "
	    "[-o FILE] [--summary FILE] FILE...\n", stderr);
	return EXIT_USAGE;
}

/* Fills cfg from argv; optind is left at the first FILE.  -1: usage. */
static int
join_options(int argc, char **argv, struct config *cfg)
{
	static const struct option longopts[] = {
		{ "compact", no_argument, NULL, 'c' },
		{ "ndjson", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "summary", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int c, pretty = -1;

	opterr = 0;
	optind = 1;	/* after "join" */
	while ((c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			pretty = 0;
			break;
		case 'n':
			cfg->shape = SHAPE_NDJSON;
			break;
		case 'o':
			cfg->output = optarg;
			break;
		case 'p':
			pretty = 1;
			break;
		case 's':
			cfg->summary = optarg;
			break;
		default:
			fprintf(stderr, "gather: join: %s '%s'\n", c == ':' ?
			    "a value is missing after" : "unknown option",
			    argv[optind - 1]);
			return -1;
		}
	}
	cfg->pretty = pretty != -1 ? pretty :
	    cfg->output == NULL && isatty(STDOUT_FILENO);
	return 0;
}

/* --summary FILE ("-": stderr): the summary line; -1 having said why. */
static int
join_write_summary(const struct config *cfg, const struct buf *sbuf)
{
	FILE *fp = stderr;
	int bad;

	if (cfg->summary == NULL)
		return 0;
	if (strcmp(cfg->summary, "-") != 0 &&
	    (fp = fopen(cfg->summary, "we")) == NULL) {
		fprintf(stderr, "gather: join: --summary: %s: %s\n",
		    cfg->summary, strerror(errno));
		return -1;
	}
	bad = fprintf(fp, "%s\n", sbuf->data) < 0 || fflush(fp) != 0;
	if (fp != stderr && fclose(fp) != 0)
		bad = 1;
	if (bad)
		fprintf(stderr, "gather: join: --summary: %s: %s\n",
		    cfg->summary, strerror(errno));
	return bad ? -1 : 0;
}

/* Prints each line of msg after "gather: join: ". */
static void
join_say(const char *msg)
{
	const char *nl;

	for (; *msg != '\0'; msg = nl + 1) {
		nl = strchr(msg, '\n');
		fprintf(stderr, "gather: join: %.*s\n", (int)(nl - msg), msg);
	}
}

/* Writes the results of j in order, then the summary. */
static int
join_write(const struct config *cfg, struct join *j)
{
	struct output *out;
	struct buf text, sbuf;
	char *err;
	size_t i;
	int status;

	if ((out = output_new(cfg, 1, NULL, NULL, &err)) == NULL) {
		fprintf(stderr, "gather: join: %s\n", err);
		free(err);
		return EXIT_OUTPUT;
	}
	buf_init(&text);
	buf_init(&sbuf);
	for (i = 0; i < join_count(j) && !output_failed(out); i++) {
		join_result(j, i, &text);
		output_result(out, i, &text);
	}
	join_summary(j, &sbuf);
	if (output_finish(out, &sbuf, &err) == -1) {
		fprintf(stderr, "gather: join: %s\n", err);
		free(err);
		status = EXIT_OUTPUT;
	} else if (join_write_summary(cfg, &sbuf) == -1)
		status = EXIT_OUTPUT;
	else
		status = join_failed(j) > 0 ? EXIT_FAILED : EXIT_SUCCESS;
	buf_free(&text);
	buf_free(&sbuf);
	output_free(out);
	return status;
}

int
joincmd_main(int argc, char **argv)
{
	struct config cfg;
	struct join *j;
	char *err;
	int i, status = EXIT_FAILED;

	config_defaults(&cfg);
	if (join_options(argc, argv, &cfg) == -1)
		return join_usage(NULL);
	if (optind == argc)
		return join_usage("which files?");
	j = join_new();
	for (i = optind; i < argc; i++) {
		if (join_add(j, argv[i], &err) == -1) {
			fprintf(stderr, "gather: join: %s\n", err);
			free(err);
			status = EXIT_USAGE;
			goto out;
		}
	}
	if (join_check(j, &err) == -1) {
		join_say(err);
		free(err);
		goto out;
	}
	status = join_write(&cfg, j);
out:
	join_free(j);
	config_free(&cfg);
	return status;
}
