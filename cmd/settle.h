/*
 * Settling the options: what the command line left open (colour,
 * progress, the cache folder, the method, the body of -d @FILE) decided
 * from the environment, and the combinations refused.  The environment
 * comes in as a struct of facts, so that every rule can be tested without
 * a terminal.
 */
#ifndef GATHER_SETTLE_H
#define GATHER_SETTLE_H

#include <stdio.h>

#include "config.h"
#include "options.h"

/* The facts of the environment the rules read; settle_env_read fills it. */
struct settle_env {
	int		 stdin_tty;	/* isatty(0) */
	int		 stdout_tty;	/* isatty(1) */
	int		 stderr_tty;	/* isatty(2) */
	int		 same_tty;	/* stdout and stderr: one terminal */
	const char	*term;		/* $TERM */
	const char	*no_color;	/* $NO_COLOR */
	const char	*colors;	/* $GATHER_COLORS */
	const char	*cache_dir;	/* $GATHER_CACHE_DIR */
	const char	*xdg_cache;	/* $XDG_CACHE_HOME */
	const char	*home;		/* $HOME */
	const char	*xdg_config;	/* $XDG_CONFIG_HOME */
	const char	*redis;		/* $GATHER_REDIS */
	FILE		*in;		/* what "-d @-" reads: stdin */
};

/* How main says a refusal. */
enum settle_err {
	SETTLE_OK,
	SETTLE_BAD,	/* "gather: TEXT" */
	SETTLE_USAGE,	/* "gather: TEXT" and the "Try" line */
	SETTLE_NO_URLS,	/* "gather: TEXT", the synopsis and the "Try" line */
};

/* What settle_config has to say; both strings allocated, or NULL. */
struct settle_msg {
	enum settle_err	 err;
	char		*text;		/* the refusal */
	char		*warning;	/* to print, without "warning: " */
};

/* Reads the facts of this process's environment into env (its strings lent). */
void	settle_env_read(struct settle_env *);

/*
 * The cache folder: dir when given, else $GATHER_CACHE_DIR, else
 * $XDG_CACHE_HOME/gather, else $HOME/.cache/gather.  Allocated; NULL when
 * no home is known.
 */
char	*settle_cache_dir(const char *, const struct settle_env *);

/*
 * The default config file: $XDG_CONFIG_HOME/gather/config, else
 * $HOME/.config/gather/config.  Allocated; NULL when no home is known.
 */
char	*settle_config_file(const struct settle_env *);

/*
 * Settles cfg (as options_parse left it, with x) in env.  Returns 0, or
 * -1 with msg->err and msg->text saying why; msg->warning may be set
 * either way.  The caller frees msg's strings.
 */
int	settle_config(struct config *, const struct options_extra *,
	    const struct settle_env *, struct settle_msg *);

#endif
