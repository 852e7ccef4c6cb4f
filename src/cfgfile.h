/*
 * Config files in curl's syntax (-K FILE and the default config file):
 * one option a line, "--name value", "name value", "name = value" or
 * "name: value", a value quoted with escapes when it holds spaces, and
 * comments from '#'.  This only splits lines into names and values; which
 * options exist and what their values mean is cmd/options.c's affair.
 */
#ifndef GATHER_CFGFILE_H
#define GATHER_CFGFILE_H

#include <sys/types.h>

#include <stddef.h>

/* The largest config file read: a bound on a mistake like -K /dev/zero. */
#define CFGFILE_MAX	(1024 * 1024)

struct cfgline {
	size_t	 lineno;	/* from 1 */
	int	 dashes;	/* before the name as written: 0, 1 or 2 */
	char	*name;		/* without its dashes */
	char	*value;		/* unquoted; NULL: none given */
};

struct cfgfile {
	struct cfgline	*lines;
	size_t		 nlines;
	mode_t		 mode;	/* the file's, for the permission check */
};

/*
 * Splits text (len bytes) into its option lines.  Returns them (free with
 * cfgfile_free), or NULL with the line at fault in *lineno and a static
 * reason in *why.
 */
struct cfgfile	*cfgfile_parse(const char *, size_t, size_t *, const char **);

/*
 * Reads and splits the file at path.  NULL with an allocated message in
 * *errmsg: "PATH: reason" when it cannot be read (*lineno 0), or
 * "PATH:LINE: reason" (*lineno LINE).
 */
struct cfgfile	*cfgfile_load(const char *, size_t *, char **);

void		 cfgfile_free(struct cfgfile *);

#endif
