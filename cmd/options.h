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
	const char *stdin_by;	/* the option that read stdin, or NULL */
};

/*
 * The cache folder: dir when given, else $GATHER_CACHE_DIR, else
 * $XDG_CACHE_HOME/gather, else ~/.cache/gather.  Allocated; NULL when no
 * home is known.
 */
char	*options_cache_dir(const char *);

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
