/*
 * Input: arguments and lines become requests, numbered in input order.
 * Lines are read with read(2) into one fixed buffer, so a long input costs
 * no more memory than its longest line.  It checks each URL's syntax but
 * never touches the network; JSON request specs are spec.c's.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "glob.h"
#include "input.h"
#include "json.h"
#include "paginate.h"
#include "shard.h"
#include "spec.h"
#include "url.h"
#include "xalloc.h"


#define LR_CAP (2 * (INPUT_LINE_MAX + 2))

struct source {
	const char	*path;		/* for messages; "-" is stdin */
	int		 fd;
	int		 pollable;	/* a pipe or terminal: reads may wait */
};

struct lineread {
	char		*buf;
	size_t		 start, end;
	size_t		 lineno;
	int		 eof;
	int		 skipping;	/* discarding an over-long line */
	size_t		 nread;		/* bytes read in this pass */
};

struct name_node {
	RB_ENTRY(name_node) entry;
	char		*name;
	int		 glob;		/* a glob's: "name." names are taken */
};

static int
name_cmp(struct name_node *a, struct name_node *b)
{
	return strcmp(a->name, b->name);
}

RB_HEAD(name_tree, name_node);
RB_GENERATE_STATIC(name_tree, name_node, entry, name_cmp)

/* A line or argument that is a glob, yielding one request at a time. */
struct input_glob {
	struct glob	*g;
	char		*name;		/* NULL: unnamed */
	char		 where[64];
	int64_t		 made;		/* requests made of it so far */
};

struct input {
	char		**args;
	size_t		  nargs, argi;
	struct source	 *src;
	size_t		  nsrc, cur;
	struct lineread	  lr;
	size_t		  next_index;
	size_t		  nlines;	/* lines taken in this pass */
	size_t		  nreqs;	/* requests made in this pass */
	int		  sharded;	/* --shard: key the bad inputs */
	struct name_tree  names;
	int		  globbing;	/* URLs are globs (no -g) */
	struct input_glob *glob;	/* set: expanding one */
	const struct vars *vars;	/* lent by the config */
	const struct page_opts *pages;	/* the run's pagination */
};

enum lr_status { LR_LINE, LR_LONG, LR_AGAIN, LR_BUSY, LR_EOF, LR_FAIL };

static int
source_open(struct source *s, const char *path, char **errmsg)
{
	struct stat st;

	s->path = path;
	if (strcmp(path, "-") == 0)
		s->fd = STDIN_FILENO;
	else if ((s->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*errmsg = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(s->fd, &st) == -1) {
		*errmsg = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		*errmsg = xasprintf("%s: is a directory", path);
		return -1;
	}
	s->pollable = !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode);
	return 0;
}

/* Ends the glob being expanded, if any. */
static void
input_glob_end(struct input *in)
{
	if (in->glob == NULL)
		return;
	glob_free(in->glob->g);
	free(in->glob->name);
	free(in->glob);
	in->glob = NULL;
}

struct input *
input_new(const struct config *cfg, char **errmsg)
{
	struct input *in;
	size_t i;

	*errmsg = NULL;
	in = xcalloc(1, sizeof(*in));
	RB_INIT(&in->names);
	in->pages = &cfg->pages;
	in->globbing = !cfg->globoff;
	in->sharded = cfg->shard_n > 0;
	in->args = cfg->urls;
	in->nargs = cfg->nurls;
	in->vars = cfg->vars;
	in->lr.buf = xmalloc(LR_CAP);
	in->src = xcalloc(cfg->ninputs + 1, sizeof(*in->src));
	for (i = 0; i < cfg->ninputs; i++) {
		in->src[in->nsrc].fd = -1;
		if (source_open(&in->src[in->nsrc], cfg->inputs[i], errmsg) ==
		    -1) {
			input_free(in);
			return NULL;
		}
		in->nsrc++;
	}
	if (cfg->read_stdin && source_open(&in->src[in->nsrc++], "-",
	    errmsg) == -1) {
		input_free(in);
		return NULL;
	}
	return in;
}

void
input_free(struct input *in)
{
	struct name_node *n, *next;
	size_t i;

	if (in == NULL)
		return;
	input_glob_end(in);
	for (i = 0; i < in->nsrc; i++)
		if (in->src[i].fd > STDIN_FILENO)
			close(in->src[i].fd);
	RB_FOREACH_SAFE(n, name_tree, &in->names, next) {
		RB_REMOVE(name_tree, &in->names, n);
		free(n->name);
		free(n);
	}
	free(in->src);
	free(in->lr.buf);
	free(in);
}

int
input_fd(const struct input *in)
{
	if (in->nargs > in->argi || in->cur >= in->nsrc ||
	    !in->src[in->cur].pollable)
		return -1;
	return in->src[in->cur].fd;
}

static int
readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

/* Fills the buffer after what is pending.  Returns an lr_status. */
static enum lr_status
lr_fill(struct lineread *lr, const struct source *s, int block)
{
	ssize_t n;

	if (lr->start > 0) {
		memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
		lr->end -= lr->start;
		lr->start = 0;
	}
	if (!block && s->pollable && !readable(s->fd))
		return LR_AGAIN;
	do
		n = read(s->fd, lr->buf + lr->end, LR_CAP - lr->end);
	while (n == -1 && errno == EINTR);
	if (n == -1)
		return errno == EAGAIN ? LR_AGAIN : LR_FAIL;
	if (n == 0)
		lr->eof = 1;
	lr->end += (size_t)n;
	lr->nread += (size_t)n;
	return LR_LINE;
}

/*
 * The next line of the current source in *line and *len, newline
 * excluded.  LR_LONG reports a line too long to keep, already skipped;
 * LR_BUSY, that this pass has read its share of bytes.
 */
static enum lr_status
lr_next(struct lineread *lr, const struct source *s, int block,
    const char **line, size_t *len)
{
	enum lr_status st;
	char *p, *nl;

	for (;;) {
		p = lr->buf + lr->start;
		if ((nl = memchr(p, '\n', lr->end - lr->start)) != NULL ||
		    (lr->eof && (lr->end > lr->start || lr->skipping))) {
			lr->lineno++;
			*line = p;
			*len = nl != NULL ? (size_t)(nl - p) : lr->end - lr->start;
			lr->start = nl != NULL ? lr->start + *len + 1 : lr->end;
			st = lr->skipping ? LR_LONG : LR_LINE;
			lr->skipping = 0;
			return st;
		}
		if (lr->eof)
			return LR_EOF;
		if (lr->end - lr->start > INPUT_LINE_MAX + 1) {
			lr->skipping = 1;
			lr->start = lr->end = 0;
		}
		/* An endless line must not hold the caller: it goes on later. */
		if (lr->nread >= INPUT_PASS_BYTES)
			return LR_BUSY;
		if ((st = lr_fill(lr, s, block)) != LR_LINE)
			return st;
	}
}

static int
name_valid(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return 0;
	for (i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '.' && s[i] != '-')
			return 0;
	return 1;
}

/* The longest input that a hint repeats. */
#define HINT_MAX 256

/*
 * 1 when url starts with what looks like a scheme gone wrong ("http:/x",
 * "https:x", "ftp:/x"), rather than a host and port or userinfo.
 */
static int
scheme_mangled(const char *url)
{
	size_t n = 0;

	if (!isalpha((unsigned char)url[0]))
		return 0;
	while (isalnum((unsigned char)url[n]) ||
	    (url[n] != '\0' && strchr("+.-", url[n]) != NULL))
		n++;
	if (url[n] != ':')
		return 0;
	if (url[n + 1] == '/')
		return 1;
	return (n == 4 || n == 5) && strncasecmp(url, "https", n) == 0;
}

/*
 * A hint for the URL of r, which url_check refused, allocated, or NULL:
 * the input as it was likely meant, its password hidden.  "NAME URL" for
 * NAME=URL is only looked for in a plain line, not in a spec.
 */
static char *
url_hint(const struct request *r)
{
	const char *url = r->url, *rest;
	size_t n = strcspn(url, " \t");
	struct buf b;
	char *full;

	if (strlen(url) > HINT_MAX)
		return NULL;
	rest = url + n + strspn(url + n, " \t");
	buf_init(&b);
	if (url[n] != '\0' && !r->spec && r->name == NULL &&
	    name_valid(url, n) && strpbrk(rest, " \t") == NULL &&
	    strstr(rest, "://") != NULL) {
		buf_printf(&b, "space instead of '=': did you mean %.*s=",
		    (int)n, url);
		url_redact_loose(rest, &b);
	} else if (url[n] == '\0' && strstr(url, "://") == NULL &&
	    *url != '/' && !scheme_mangled(url)) {
		buf_adds(&b, "missing scheme: did you mean ");
		if (r->name != NULL && !r->spec)
			buf_printf(&b, "%s=", r->name);
		full = xasprintf("http://%s", url);
		url_redact_loose(full, &b);
		free(full);
	} else {
		buf_free(&b);
		return NULL;
	}
	buf_addc(&b, '?');
	return buf_steal(&b);
}

/*
 * The text of a line that is an input: CR, white space around it, and
 * what makes it bad or skipped checked.  Returns 0 for a line to skip, 1
 * with *line and *len narrowed, or -1 with an allocated reason in *why.
 */
static int
input_clean(const char **line, size_t *len, char **why)
{
	const char *p = *line;
	size_t n = *len;

	if (n > 0 && p[n - 1] == '\r')
		n--;
	/* Any line that long is refused, whatever it holds. */
	if (n > INPUT_LINE_MAX) {
		*why = xstrdup("line longer than 64 KiB");
		return -1;
	}
	if (memchr(p, '\0', n) != NULL) {
		*why = xstrdup("NUL byte in input");
		return -1;
	}
	while (n > 0 && isspace((unsigned char)*p))
		p++, n--;
	while (n > 0 && isspace((unsigned char)p[n - 1]))
		n--;
	if (n == 0 || *p == '#')
		return 0;
	if (!utf8_valid(p, n)) {
		*why = xstrdup("invalid UTF-8");
		return -1;
	}
	*line = p;
	*len = n;
	return 1;
}

/* A JSON spec line, from its '{' (col is its column) into r. */
static int
input_spec(const char *line, size_t len, size_t col,
    const struct vars *vars, struct request *r, char **why)
{
	if (spec_parse(line, len, col, vars, r, why) == -1)
		return -1;
	if (r->name != NULL && !name_valid(r->name, strlen(r->name))) {
		*why = xstrdup("\"name\": invalid NAME (want "
		    "[A-Za-z_][A-Za-z0-9_.-]*)");
		return -1;
	}
	return 0;
}

/* A URL or NAME=URL line into r's name and url, the URL unchecked. */
static int
input_plain(const char *line, size_t len, struct request *r, char **why)
{
	const char *eq, *scheme;

	eq = memchr(line, '=', len);
	scheme = memmem(line, len, "://", 3);
	if (eq != NULL && (scheme == NULL || eq < scheme)) {
		if (!name_valid(line, (size_t)(eq - line))) {
			*why = xstrdup("invalid NAME (want "
			    "[A-Za-z_][A-Za-z0-9_.-]*)");
			return -1;
		}
		r->name = xstrndup(line, (size_t)(eq - line));
		len -= (size_t)(eq + 1 - line);
		line = eq + 1;
	}
	r->url = xstrndup(line, len);
	return 0;
}

/* Checks r's URL; -1 with the reason (and a hint) in *why. */
static int
input_url(struct request *r, char **why)
{
	const char *reason;
	char *hint;

	if (request_set_url(r, &reason) == 0)
		return 0;
	hint = url_hint(r);
	*why = xasprintf("%s%s", r->spec ? "\"url\": " : "",
	    hint != NULL ? hint : reason);
	free(hint);
	return -1;
}

/*
 * The URL of r read as a glob.  Returns 1 when it is one URL after all
 * (its escapes undone in r->url), 2 with the glob in *gp, or -1 with
 * curl's message in *why.
 */
static int
input_globbed(struct request *r, struct glob **gp, char **why)
{
	struct glob *g;

	if ((g = glob_new(r->url, why)) == NULL)
		return -1;
	if (glob_patterns(g) > 0) {
		*gp = g;
		return 2;
	}
	free(r->url);
	r->url = xstrdup(glob_next(g));
	glob_free(g);
	return 1;
}

/*
 * input_parse, and with gp set, a plain line whose URL holds a glob: 2,
 * with r's name and url (the pattern) set and the glob in *gp.
 */
static int
input_parse_glob(const char *line, size_t len, const struct vars *vars,
    struct request *r, struct glob **gp, char **why)
{
	const char *text = line;
	int rc;

	*why = NULL;
	if ((rc = input_clean(&line, &len, why)) != 1)
		return rc;
	if (*line == '{') {
		/* Only ASCII white space comes before the '{'. */
		if (input_spec(line, len, (size_t)(line - text) + 1, vars, r,
		    why) == -1)
			return -1;
	} else {
		if (input_plain(line, len, r, why) == -1)
			return -1;
		if (gp != NULL && glob_maybe(r->url, strlen(r->url)) &&
		    (rc = input_globbed(r, gp, why)) != 1)
			return rc;
	}
	return input_url(r, why) == -1 ? -1 : 1;
}

int
input_parse(const char *line, size_t len, const struct vars *vars,
    struct request *r, char **why)
{
	return input_parse_glob(line, len, vars, r, NULL, why);
}

/*
 * 1 when name is taken: an earlier input had it, or it starts with the
 * NAME of an earlier glob and a dot; for a glob's NAME (glob set), also
 * when an earlier name starts with it and a dot.  A glob's names are
 * never stored one by one, so that a huge glob costs no memory.
 */
static int
name_taken(struct input *in, const char *name, int glob)
{
	struct name_node find, *n;
	char *copy, *dot;
	int taken = 0;

	find.name = (char *)name;
	if (RB_FIND(name_tree, &in->names, &find) != NULL)
		return 1;
	copy = xstrdup(name);
	for (dot = strchr(copy, '.'); !taken && dot != NULL;
	    dot = strchr(dot + 1, '.')) {
		*dot = '\0';
		find.name = copy;
		n = RB_FIND(name_tree, &in->names, &find);
		taken = n != NULL && n->glob;
		*dot = '.';
	}
	free(copy);
	if (glob && !taken) {
		/* The names in order from "NAME." on: those that start so. */
		copy = xasprintf("%s.", name);
		find.name = copy;
		n = RB_NFIND(name_tree, &in->names, &find);
		taken = n != NULL && strncmp(n->name, copy, strlen(copy)) == 0;
		free(copy);
	}
	return taken;
}

/* Records name; returns -1 when it is taken (name_taken). */
static int
name_claim(struct input *in, const char *name, int glob)
{
	struct name_node *n;

	if (name_taken(in, name, glob))
		return -1;
	n = xmalloc(sizeof(*n));
	n->name = xstrdup(name);
	n->glob = glob;
	RB_INSERT(name_tree, &in->names, n);
	return 0;
}

/*
 * The next request of the glob being expanded, or NULL (the glob ended
 * and freed) after its last.  Each URL is checked on its own: one that
 * libcurl refuses is a bad input of its own, named by the glob's line.
 */
static struct request *
input_glob_next(struct input *in)
{
	struct input_glob *ig = in->glob;
	struct request *r;
	struct buf name;
	const char *url;
	char *why;

	if ((url = glob_next(ig->g)) == NULL) {
		input_glob_end(in);
		return NULL;
	}
	ig->made++;
	r = xcalloc(1, sizeof(*r));
	r->index = in->next_index++;
	r->url = xstrdup(url);
	if (ig->name != NULL) {
		buf_init(&name);
		buf_printf(&name, "%s.", ig->name);
		glob_values(ig->g, &name);
		r->name = buf_steal(&name);
	}
	if (input_url(r, &why) == -1) {
		r->input_error = xasprintf("%s: %s", ig->where, why);
		free(why);
	}
	return r;
}

/*
 * Starts expanding g, the glob of request r (a line or argument at where)
 * and gives its first request; r is freed.  A NAME another input took
 * makes the whole line a bad input, r itself.
 */
static struct request *
input_glob_start(struct input *in, struct request *r, struct glob *g,
    const char *where)
{
	if (r->name != NULL && name_claim(in, r->name, 1) == -1) {
		glob_free(g);
		r->dup_name = 1;
		r->input_error = xasprintf("%s: duplicate NAME", where);
		return r;
	}
	in->glob = xcalloc(1, sizeof(*in->glob));
	in->glob->g = g;
	in->glob->name = r->name;
	r->name = NULL;
	strlcpy(in->glob->where, where, sizeof(in->glob->where));
	in->next_index--;
	request_free(r);
	return input_glob_next(in);
}

static int
is_spec(const char *line, size_t len)
{
	while (len > 0 && isspace((unsigned char)*line))
		line++, len--;
	return len > 0 && *line == '{';
}

/*
 * --shard goes by the key of a request; a bad input, which has none, is
 * keyed by its text (for a line too long to keep, the part of it read
 * last), so that the same bad input falls in one shard on every machine.
 */
static void
input_bad_key(const struct input *in, struct request *r, const char *line,
    size_t len)
{
	if (in->sharded)
		shard_text_key(line, len, r->key);
}

/*
 * Makes the request for one line or argument (arg); where is "line 3" or
 * "argument 2".  NULL: a line that is skipped.  An argument is never
 * skipped: an empty, blank or comment argument is a bad input.
 */
static struct request *
input_make(struct input *in, const char *line, size_t len, int toolong,
    int arg, const char *where)
{
	struct request *r;
	struct glob *g = NULL;
	char *why = NULL;
	int rc;

	r = xcalloc(1, sizeof(*r));
	r->index = in->next_index++;
	if (toolong) {
		r->input_error = xasprintf("%s: line longer than 64 KiB",
		    where);
		input_bad_key(in, r, line, len);
		return r;
	}
	rc = input_parse_glob(line, len, in->vars, r,
	    in->globbing ? &g : NULL, &why);
	if (rc == 2)
		return input_glob_start(in, r, g, where);
	if (rc == 0 && arg) {
		rc = -1;
		why = xstrdup(len == 0 ? "empty URL" : "not a URL");
	}
	if (rc == 0) {
		in->next_index--;
		request_free(r);
		return NULL;
	}
	if (rc == 1 && r->name != NULL && name_claim(in, r->name, 0) == -1) {
		rc = -1;
		r->dup_name = 1;
		why = xstrdup("duplicate NAME");
	}
	if (rc == 1 && page_spec_check(in->pages, r->popts) != NULL) {
		rc = -1;
		why = xstrdup(page_spec_check(in->pages, r->popts));
	}
	if (rc == -1) {
		r->input_error = xasprintf("%s: %s", where, why);
		input_bad_key(in, r, line, len);
		/* A spec line may carry secrets in its headers: never echoed. */
		if (r->url == NULL && r->name == NULL && !is_spec(line, len))
			r->url = xstrndup(line, len > 200 ? 200 : len);
	}
	free(why);
	return r;
}

static struct request *
input_arg(struct input *in)
{
	const char *arg = in->args[in->argi++];
	char where[64];

	snprintf(where, sizeof(where), "argument %zu", in->argi);
	return input_make(in, arg, strlen(arg), 0, 1, where);
}

/* Names the line lineno of source s in where, as results cite it. */
static void
input_where(const struct input *in, const struct source *s, size_t lineno,
    char *where, size_t size)
{
	if (in->nsrc > 1 && strcmp(s->path, "-") != 0)
		snprintf(where, size, "line %zu of %s", lineno, s->path);
	else
		snprintf(where, size, "line %zu", lineno);
}

char *
input_unread(const struct input *in)
{
	char where[64];

	if (in->glob != NULL)
		return xasprintf("%s, URL %lld of its glob", in->glob->where,
		    (long long)in->glob->made + 1);
	if (in->argi < in->nargs)
		return xasprintf("argument %zu", in->argi + 1);
	if (in->cur >= in->nsrc)
		return NULL;
	input_where(in, &in->src[in->cur], in->lr.lineno + 1, where,
	    sizeof(where));
	return xstrdup(where);
}

/* 1, with the share of work renewed, when this pass has had its share. */
static int
input_spent(struct input *in)
{
	if (in->nlines < INPUT_PASS_LINES && in->nreqs < INPUT_PASS_REQUESTS &&
	    in->lr.nread < INPUT_PASS_BYTES)
		return 0;
	in->nlines = in->nreqs = in->lr.nread = 0;
	return 1;
}

/* The request of one line of source s, or NULL for a line skipped. */
static struct request *
input_line(struct input *in, const struct source *s, const char *line,
    size_t len, int toolong)
{
	char where[64];

	/* A byte-order mark, as some editors write, is not part of line 1. */
	if (in->lr.lineno == 1 && len >= 3 &&
	    memcmp(line, "\xEF\xBB\xBF", 3) == 0)
		line += 3, len -= 3;
	input_where(in, s, in->lr.lineno, where, sizeof(where));
	return input_make(in, line, len, toolong, 0, where);
}

enum input_status
input_next(struct input *in, int block, struct request **out, char **errmsg)
{
	struct source *s;
	const char *line;
	size_t len;
	enum lr_status st;

	*out = NULL;
	*errmsg = NULL;
	for (;;) {
		if (input_spent(in))
			return INPUT_BUSY;
		if (in->glob != NULL) {
			if ((*out = input_glob_next(in)) == NULL)
				continue;
			in->nreqs++;
			return INPUT_OK;
		}
		in->nlines++;
		if (in->argi < in->nargs) {
			in->nreqs++;
			*out = input_arg(in);
			return INPUT_OK;
		}
		if (in->cur >= in->nsrc)
			return INPUT_EOF;
		s = &in->src[in->cur];
		st = lr_next(&in->lr, s, block, &line, &len);
		switch (st) {
		case LR_LINE:
		case LR_LONG:
			*out = input_line(in, s, line, len, st == LR_LONG);
			if (*out != NULL) {
				in->nreqs++;
				return INPUT_OK;
			}
			break;
		case LR_AGAIN:
			return INPUT_AGAIN;
		case LR_BUSY:
			break;
		case LR_EOF:
			in->cur++;
			in->lr.start = in->lr.end = in->lr.lineno = 0;
			in->lr.eof = in->lr.skipping = 0;
			break;
		case LR_FAIL:
			*errmsg = xasprintf("%s: %s", s->path, strerror(errno));
			return INPUT_FAIL;
		}
	}
}
