/*
 * The command line: one table of options drives parsing, --help, and the
 * option list the tests hold the man page and completions to.
 */
#ifndef GATHER_OPTIONS_H
#define GATHER_OPTIONS_H

#include <stdio.h>

#include "config.h"

struct options_extra {
	int	help;
	int	version;
	int	pretty;		/* -1: not given */
	char	*data;		/* -d or --json as given; main loads it */
	int	 json;		/* it came from --json */
	char	*method;	/* -X as given */
	char	*cache_dir;	/* --cache-dir as given */
	int	 no_cache;
	int	 shape_set;
	int	 progress;	/* -1: not given */
	int	 color;		/* --color: -1 auto, 0 never, 1 always */
	char	*warnings;	/* allocated lines for "gather: warning: " */
	const char *stdin_by;	/* the option that read stdin, or NULL */
};

/*
 * Parses argv into cfg (already holding the defaults), after the config
 * file at dflt (NULL: none; a file that does not exist is no error) unless
 * argv[1] is --no-config; -K FILE is read where it stands.  Returns 0, or
 * -1 with an allocated message naming the option in *errmsg, after
 * "FILE:LINE: " for a config file's.  cfg borrows strings from argv and
 * owns those from config files.  x->warnings may be set either way; the
 * caller frees it.
 */
int	options_parse_all(int, char **, const char *, struct config *,
	    struct options_extra *, char **);

/* options_parse_all without a default config file. */
int	options_parse(int, char **, struct config *, struct options_extra *,
	    char **);

/*
 * 1 when the option of long name (as the table has it) with arg carries a
 * credential: -u, --oauth2-bearer, -U, --variable, -b with cookies (not
 * a file), -E with a password, and -H or --expand-header with
 * Authorization, Cookie or Proxy-Authorization.
 */
int	options_credential(const char *, const char *);

/* Prints the three lines of the synopsis to fp. */
void	options_synopsis(FILE *);

/*
 * Prints --help to fp: the synopsis, then the option table's rows in
 * sections, each line at most 79 columns.
 */
void	options_usage(FILE *);

#endif
