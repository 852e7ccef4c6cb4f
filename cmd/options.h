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
	char	*data;		/* -d as given; main loads it */
	char	*method;	/* -X as given */
	char	*cache_dir;	/* --cache-dir as given */
	int	 no_cache;
	int	 shape_set;
	int	 progress;	/* -1: not given */
	int	 color;		/* --color: -1 auto, 0 never, 1 always */
};

/*
 * Parses argv into cfg (already holding the defaults).  Returns 0, or -1
 * with an allocated message naming the option in *errmsg.  cfg borrows
 * strings from argv.
 */
int	options_parse(int, char **, struct config *, struct options_extra *,
	    char **);

/* Prints the three lines of the synopsis to fp. */
void	options_synopsis(FILE *);

/*
 * Prints --help to fp: the synopsis, then the option table's rows in
 * sections, each line at most 79 columns.
 */
void	options_usage(FILE *);

#endif
