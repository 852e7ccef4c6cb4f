/*
 * Writing the document.  Text is gathered in one buffer and written in
 * large pieces (a big body straight from its own buffer); --pretty and
 * --color pass it through the re-indenter on its way, a bounded piece at
 * a time.  This file knows each shape's
 * framing and the order of results, not how a result is rendered.  Only
 * --merge of objects holds a whole value in memory, because a deep merge
 * cannot be written before its end.  --keyed keeps the keys it wrote.
 */
#include <sys/stat.h>
#include <sys/uio.h>

/* libbsd leaves __unused undefined, which RB_GENERATE_STATIC uses. */
#ifndef __unused
#define __unused __attribute__((__unused__))
#endif
#include <sys/tree.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "json.h"
#include "merge.h"
#include "output.h"
#include "pretty.h"
#include "xalloc.h"

#define FLUSH_AT (64 * 1024)
#define LINK_HOPS 40	/* symbolic links followed, as the kernel does */

/* What opens each shape (enum shape order), before its first result. */
static const char *const shape_open[] = { "{\"results\":[", "", "[", "{",
    "" };

struct slot {
	char	*text;		/* NULL: not finished yet */
	size_t	 len;
};

/* A key --keyed has written, so that no later result repeats it. */
struct key_node {
	RB_ENTRY(key_node) entry;
	char		*key;	/* its JSON text, quotes included */
};

static int
key_cmp(struct key_node *a, struct key_node *b)
{
	return strcmp(a->key, b->key);
}

RB_HEAD(key_tree, key_node);
RB_GENERATE_STATIC(key_tree, key_node, entry, key_cmp)

struct output {
	const struct config *cfg;
	int		 fd;
	char		*path;		/* -o FILE */
	char		*target;	/* replaced atomically: where */
	char		*dir;		/* its folder; NULL: written straight */
	char		*tmp;		/* a named temp file, until renamed */
	int		 filter;	/* through pp: indent or colour */
	struct pretty	 pp;
	struct buf	 wbuf;
	int		 werrno;	/* first write error */

	struct slot	*ring;
	size_t		 window;
	size_t		 written;	/* so far; ordered: the next */
	size_t		 pieces;	/* of them, those that wrote text */

	int		 merge_kind;	/* cJSON_Array or cJSON_Object; 0 */
	int		 merge_items;	/* array elements written so far */
	cJSON		*merged;	/* the object merged so far */
	size_t		 conflicts;	/* bodies --merge had to leave out */
	struct key_tree	 keys;		/* --keyed: the keys written */
	void		(*warn)(void *, const char *);
	void		*warnarg;
};

/*
 * -o FILE.  A regular file, or none, is replaced atomically: the document
 * is written to a file with no name (O_TMPFILE) in the folder of the file
 * FILE's symbolic links end at, and given that name once complete, so
 * that even a SIGKILL leaves nothing behind.  Where the file system cannot
 * make a file with no name, a hidden temp file stands in, unlinked on
 * every way out but SIGKILL.  Anything else FILE may be (a device, a FIFO,
 * a socket) is written straight into, as the shell's '>' would.
 */

/*
 * The path the symbolic links at path lead to, which need not exist (a
 * dangling link names the file to create).  Returns an allocated path, or
 * NULL with errno set.
 */
static char *
output_resolve(const char *path)
{
	char link[PATH_MAX], *cur, *next, *copy;
	struct stat st;
	ssize_t n;
	int hops;

	cur = xstrdup(path);
	for (hops = 0; hops < LINK_HOPS; hops++) {
		if (lstat(cur, &st) == -1 || !S_ISLNK(st.st_mode))
			return cur;
		if ((n = readlink(cur, link, sizeof(link))) == -1)
			goto fail;
		if ((size_t)n == sizeof(link)) {
			errno = ENAMETOOLONG;
			goto fail;
		}
		link[n] = '\0';
		if (link[0] == '/')
			next = xstrdup(link);
		else {
			/* A relative link is read from the link's folder. */
			copy = xstrdup(cur);
			next = xasprintf("%s/%s", dirname(copy), link);
			free(copy);
		}
		free(cur);
		cur = next;
	}
	errno = ELOOP;
fail:
	free(cur);
	return NULL;
}

/* The standard output or error when it is the file st, else -1. */
static int
output_std_fd(const struct stat *st)
{
	struct stat fst;
	int fd;

	for (fd = STDOUT_FILENO; fd <= STDERR_FILENO; fd++)
		if (fstat(fd, &fst) == 0 && fst.st_dev == st->st_dev &&
		    fst.st_ino == st->st_ino)
			return fd;
	return -1;
}

/*
 * Opens FILE to write straight into.  When it is the standard output or
 * error, that descriptor is used: a socket cannot be opened by name (-o
 * /dev/stdout under a service manager), and a file the shell opened with
 * '>>' is appended to.
 */
static int
output_open_direct(struct output *o, const struct stat *st)
{
	int fd;

	if ((fd = output_std_fd(st)) != -1)
		o->fd = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
	else
		o->fd = open(o->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	return o->fd == -1 ? -1 : 0;
}

/* The hidden temp file, where O_TMPFILE cannot be had. */
static int
output_open_tmp(struct output *o)
{
	mode_t mask;

	o->tmp = xasprintf("%s/.gather.XXXXXX", o->dir);
	if ((o->fd = mkostemp(o->tmp, O_CLOEXEC)) == -1) {
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	/* mkstemp makes 0600; the output is an ordinary file. */
	mask = umask(0);
	umask(mask);
	return fchmod(o->fd, 0666 & ~mask);
}

static int
output_open_atomic(struct output *o)
{
	char *copy;

	if ((o->target = output_resolve(o->path)) == NULL)
		return -1;
	copy = xstrdup(o->target);
	o->dir = xstrdup(dirname(copy));
	free(copy);
	/* The mode, 0666 less the umask, is an ordinary file's. */
	o->fd = open(o->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
	if (o->fd != -1)
		return 0;
	/* EISDIR: a kernel without O_TMPFILE opened the folder. */
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return -1;
	return output_open_tmp(o);
}

/*
 * A regular file is replaced, unless FILE is a link to the one that is
 * the standard output or error (-o /dev/stdout >>log): that is written
 * into as the shell opened it.
 */
static int
output_open(struct output *o, char **errmsg)
{
	struct stat st, lst;
	int rc;

	if (stat(o->path, &st) == 0 && (!S_ISREG(st.st_mode) ||
	    (lstat(o->path, &lst) == 0 && S_ISLNK(lst.st_mode) &&
	    output_std_fd(&st) != -1)))
		rc = output_open_direct(o, &st);
	else
		rc = output_open_atomic(o);
	if (rc == -1)
		*errmsg = xasprintf("%s: %s", o->path, strerror(errno));
	return rc;
}

/* Gives the file with no name the name name; 0, or -1 and errno. */
static int
output_link(struct output *o, const char *name)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", o->fd);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0)
		return 0;
	/* Without /proc, AT_EMPTY_PATH does it, where it is allowed. */
	if (errno != ENOENT)
		return -1;
	return linkat(o->fd, "", AT_FDCWD, name, AT_EMPTY_PATH);
}

/*
 * Puts the finished file in place of the target; 0, or -1 and errno.
 * linkat(2) cannot replace a file: one with no name is linked in as the
 * target when there is none, else under a hidden temp name that is then
 * renamed over it.  Only a SIGKILL between those two calls leaves that
 * temp file behind.
 */
static int
output_publish(struct output *o)
{
	int tries;

	if (o->tmp == NULL) {
		if (output_link(o, o->target) == 0)
			return 0;
		for (tries = 0; errno == EEXIST && tries < 100; tries++) {
			o->tmp = xasprintf("%s/.gather.%08x", o->dir,
			    arc4random());
			if (output_link(o, o->tmp) == 0)
				break;
			free(o->tmp);
			o->tmp = NULL;
		}
		if (o->tmp == NULL)
			return -1;
	}
	if (rename(o->tmp, o->target) == -1)
		return -1;
	free(o->tmp);
	o->tmp = NULL;
	return 0;
}

struct output *
output_new(const struct config *cfg, size_t window,
    void (*warn)(void *, const char *), void *warnarg, char **errmsg)
{
	struct output *o;

	*errmsg = NULL;
	o = xcalloc(1, sizeof(*o));
	o->cfg = cfg;
	RB_INIT(&o->keys);
	o->warn = warn;
	o->warnarg = warnarg;
	o->fd = STDOUT_FILENO;
	o->filter = (cfg->pretty && cfg->shape != SHAPE_NDJSON) || cfg->color;
	pretty_init(&o->pp, cfg->pretty && cfg->shape != SHAPE_NDJSON,
	    cfg->color ? &cfg->colors : NULL);
	buf_init(&o->wbuf);
	o->window = window;
	o->ring = xcalloc(window, sizeof(*o->ring));
	if (cfg->output != NULL) {
		o->path = xstrdup(cfg->output);
		if (output_open(o, errmsg) == -1) {
			output_free(o);
			return NULL;
		}
	}
	buf_reserve(&o->wbuf, FLUSH_AT * 2);
	return o;
}

void
output_free(struct output *o)
{
	struct key_node *k, *next;
	size_t i;

	if (o == NULL)
		return;
	RB_FOREACH_SAFE(k, key_tree, &o->keys, next) {
		RB_REMOVE(key_tree, &o->keys, k);
		free(k->key);
		free(k);
	}
	if (o->tmp != NULL) {
		unlink(o->tmp);
		free(o->tmp);
	}
	if (o->fd > STDERR_FILENO)
		close(o->fd);
	for (i = 0; i < o->window; i++)
		free(o->ring[i].text);
	free(o->ring);
	cJSON_Delete(o->merged);
	pretty_free(&o->pp);
	free(o->path);
	free(o->target);
	free(o->dir);
	buf_free(&o->wbuf);
	free(o);
}

/*
 * Writes what is buffered, then len bytes at s (none when s is NULL), in
 * one writev(2) where the pipe takes it all; the buffer is emptied.
 */
static void
output_write(struct output *o, const char *s, size_t len)
{
	struct iovec iov[2] = {
		{ o->wbuf.data, o->wbuf.len },
		{ (void *)(uintptr_t)s, s != NULL ? len : 0 },
	};
	struct iovec *v = iov;
	int cnt = 2;
	ssize_t n;

	while (cnt > 0 && o->werrno == 0) {
		if (v->iov_len == 0) {
			v++, cnt--;
			continue;
		}
		n = writev(o->fd, v, cnt);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			o->werrno = errno;
			break;
		}
		/* Past what was written: whole pieces, then into one. */
		for (; cnt > 0 && (size_t)n >= v->iov_len; v++, cnt--)
			n -= (ssize_t)v->iov_len;
		if (cnt > 0) {
			v->iov_base = (char *)v->iov_base + n;
			v->iov_len -= (size_t)n;
		}
	}
	buf_reset(&o->wbuf);
}

static void
output_flush(struct output *o)
{
	output_write(o, NULL, 0);
}

/*
 * Through the re-indenter, a piece of any size costs at most FLUSH_AT
 * bytes of buffer and a little more: it stops there, the buffer is
 * written, and it goes on.
 */
static void
output_filter(struct output *o, const char *s, size_t n)
{
	size_t k;

	while (n > 0 && o->werrno == 0) {
		k = pretty_feed(&o->pp, s, n, &o->wbuf, FLUSH_AT);
		s += k;
		n -= k;
		if (o->wbuf.len >= FLUSH_AT)
			output_flush(o);
	}
}

static void
output_add(struct output *o, const char *s, size_t n)
{
	if (o->werrno != 0)
		return;
	if (o->filter) {
		output_filter(o, s, n);
		return;
	}
	if (n >= FLUSH_AT) {
		/* A big piece goes out as it is, after what is buffered. */
		output_write(o, s, n);
		return;
	}
	buf_add(&o->wbuf, s, n);
	if (o->wbuf.len >= FLUSH_AT)
		output_flush(o);
}

static void
output_warn(struct output *o, size_t index, const char *what)
{
	char msg[256];

	if (o->warn == NULL)
		return;
	snprintf(msg, sizeof(msg), "--merge: the body of result %zu %s; "
	    "left out", index, what);
	o->warn(o->warnarg, msg);
}

/*
 * --merge, one body at a time in input order.  Arrays are written as they
 * come, element text copied from the compact body; objects are merged
 * into one tree written at the end.  A body of the other kind is left out
 * with a warning and makes the run fail.
 */
static void
output_merge(struct output *o, size_t index, const char *text, size_t len)
{
	cJSON *v;

	if (len == 4 && memcmp(text, "null", 4) == 0)
		return;		/* a failure: already counted as one */
	if ((text[0] != '[' && text[0] != '{') ||
	    (o->merge_kind == cJSON_Array && text[0] != '[') ||
	    (o->merge_kind == cJSON_Object && text[0] != '{')) {
		output_warn(o, index, o->merge_kind == 0 ?
		    "is not an array or an object" : o->merge_kind ==
		    cJSON_Array ? "is not an array like the first" :
		    "is not an object like the first");
		o->conflicts++;
		return;
	}
	if (text[0] == '[') {
		if (o->merge_kind == 0)
			output_add(o, "[", 1);
		o->merge_kind = cJSON_Array;
		if (len > 2) {
			if (o->merge_items++ > 0)
				output_add(o, ",", 1);
			output_add(o, text + 1, len - 2);
		}
		return;
	}
	o->merge_kind = cJSON_Object;
	if ((v = cJSON_ParseWithLength(text, len)) == NULL)
		return;
	if (o->merged == NULL)
		o->merged = v;
	else
		merge_objects(o->merged, v);
}

/*
 * --keyed: 1 when the key text starts with was written already (the same
 * unnamed URL twice, or a URL that is also a NAME), else 0 and it is
 * recorded.  The first result in input order keeps the key.
 */
static int
output_key_seen(struct output *o, size_t index, const char *text,
    size_t len)
{
	struct key_node *k;
	char msg[128];

	k = xcalloc(1, sizeof(*k));
	k->key = xstrndup(text, json_string_len(text, len));
	if (RB_INSERT(key_tree, &o->keys, k) == NULL)
		return 0;
	free(k->key);
	free(k);
	if (o->warn != NULL) {
		snprintf(msg, sizeof(msg), "--keyed: the key of result %zu is "
		    "an earlier result's; left out", index);
		o->warn(o->warnarg, msg);
	}
	return 1;
}

static void
output_emit(struct output *o, size_t index, const char *text, size_t len)
{
	enum shape shape = o->cfg->shape;

	if (len == 0 || (shape == SHAPE_KEYED &&
	    output_key_seen(o, index, text, len)))
		;	/* a result the shape leaves out: it only takes its turn */
	else if (shape == SHAPE_MERGE)
		output_merge(o, index, text, len);
	else {
		if (o->pieces == 0)
			output_add(o, shape_open[shape],
			    strlen(shape_open[shape]));
		else if (shape != SHAPE_NDJSON)
			output_add(o, ",", 1);
		output_add(o, text, len);
		if (shape == SHAPE_NDJSON)
			output_add(o, "\n", 1);
		o->pieces++;
	}
	o->written++;
}

int
output_room(const struct output *o, size_t index)
{
	return index < o->written + o->window;
}

size_t
output_conflicts(const struct output *o)
{
	return o->conflicts;
}

void
output_result(struct output *o, size_t index, struct buf *text)
{
	struct slot *s;

	/* --ndjson without --ordered: each line as soon as it is ready. */
	if ((o->cfg->shape != SHAPE_NDJSON || o->cfg->ordered) &&
	    index != o->written) {
		s = &o->ring[index % o->window];
		s->len = text->len;
		s->text = buf_steal(text);
		return;
	}
	output_emit(o, index, text->data, text->len);
	buf_reset(text);
	/* Release the results that were waiting for this one. */
	while ((s = &o->ring[o->written % o->window])->text != NULL) {
		output_emit(o, o->written, s->text, s->len);
		free(s->text);
		s->text = NULL;
	}
}

void
output_sync(struct output *o)
{
	if (o->wbuf.len > 0)
		output_flush(o);
}

int
output_failed(const struct output *o)
{
	return o->werrno != 0;
}

int
output_closed(const struct output *o)
{
	return o->werrno == EPIPE;
}

/* Closes the shape: the summary ends the document; other shapes end. */
static void
output_close(struct output *o, const struct buf *summary)
{
	static const char *const close[] = { "],\"summary\":", "", "]", "}",
	    "" };
	enum shape shape = o->cfg->shape;
	char *text;

	if (shape == SHAPE_MERGE) {
		if (o->merge_kind == cJSON_Array)
			output_add(o, "]", 1);
		else if (o->merged != NULL &&
		    (text = cJSON_PrintUnformatted(o->merged)) != NULL) {
			output_add(o, text, strlen(text));
			cJSON_free(text);
		} else
			output_add(o, "null", 4);
	} else {
		if (o->pieces == 0)
			output_add(o, shape_open[shape],
			    strlen(shape_open[shape]));
		output_add(o, close[shape], strlen(close[shape]));
	}
	if (shape == SHAPE_DOC) {
		output_add(o, summary->data, summary->len);
		output_add(o, "}", 1);
	}
	/* Through the filter: it ends a colour left open by a scalar. */
	if (shape != SHAPE_NDJSON)
		output_add(o, "\n", 1);
}

int
output_finish(struct output *o, const struct buf *summary, char **errmsg)
{
	*errmsg = NULL;
	output_close(o, summary);
	output_flush(o);
	if (o->werrno == 0 && o->dir != NULL && fsync(o->fd) == -1)
		o->werrno = errno;
	if (o->werrno != 0) {
		*errmsg = xasprintf("%s: %s",
		    o->path != NULL ? o->path : "stdout", strerror(o->werrno));
		return -1;
	}
	if (o->dir != NULL && output_publish(o) == -1) {
		*errmsg = xasprintf("%s: %s", o->path, strerror(errno));
		return -1;
	}
	return 0;
}
