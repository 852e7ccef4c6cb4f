/*
 * Writing the document.  Text is gathered in one buffer and written with
 * write(2) in large pieces; --pretty passes it through the re-indenter on
 * its way.  This file knows the envelope and the order of results, not how
 * a result is rendered.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "pretty.h"
#include "xalloc.h"

#define FLUSH_AT (64 * 1024)

struct slot {
	char	*text;		/* NULL: not finished yet */
	size_t	 len;
};

struct output {
	int		 fd;
	char		*path;		/* -o FILE */
	char		*tmp;		/* its temp file, until renamed */
	int		 pretty;
	struct pretty	 pp;
	struct buf	 wbuf;
	int		 werrno;	/* first write error */

	struct slot	*ring;
	size_t		 window;
	size_t		 next;		/* index of the next result to write */
};

static int
output_open_tmp(struct output *o, char **errmsg)
{
	char *copy, *dir;
	mode_t mask;

	copy = xstrdup(o->path);
	dir = dirname(copy);
	o->tmp = xasprintf("%s/.gather.XXXXXX", dir);
	free(copy);
	if ((o->fd = mkstemp(o->tmp)) == -1) {
		*errmsg = xasprintf("%s: %s", o->path, strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		return -1;
	}
	/* mkstemp makes 0600; the output is an ordinary file. */
	mask = umask(0);
	umask(mask);
	fchmod(o->fd, 0666 & ~mask);
	return 0;
}

struct output *
output_new(const struct config *cfg, size_t window, char **errmsg)
{
	struct output *o;

	*errmsg = NULL;
	o = xcalloc(1, sizeof(*o));
	o->fd = STDOUT_FILENO;
	o->pretty = cfg->pretty;
	pretty_init(&o->pp);
	buf_init(&o->wbuf);
	o->window = window;
	o->ring = xcalloc(window, sizeof(*o->ring));
	if (cfg->output != NULL) {
		o->path = xstrdup(cfg->output);
		if (output_open_tmp(o, errmsg) == -1) {
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
	size_t i;

	if (o == NULL)
		return;
	if (o->tmp != NULL) {
		unlink(o->tmp);
		free(o->tmp);
	}
	if (o->fd > STDERR_FILENO)
		close(o->fd);
	for (i = 0; i < o->window; i++)
		free(o->ring[i].text);
	free(o->ring);
	free(o->path);
	buf_free(&o->wbuf);
	free(o);
}

static void
output_flush(struct output *o)
{
	size_t off = 0;
	ssize_t n;

	while (off < o->wbuf.len && o->werrno == 0) {
		n = write(o->fd, o->wbuf.data + off, o->wbuf.len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			o->werrno = errno;
		else
			off += (size_t)n;
	}
	buf_reset(&o->wbuf);
}

static void
output_add(struct output *o, const char *s, size_t n)
{
	if (o->werrno != 0)
		return;
	if (o->pretty)
		pretty_feed(&o->pp, s, n, &o->wbuf);
	else
		buf_add(&o->wbuf, s, n);
	if (o->wbuf.len >= FLUSH_AT)
		output_flush(o);
}

static void
output_emit(struct output *o, const char *text, size_t len)
{
	if (o->next == 0)
		output_add(o, "{\"results\":[", 12);
	else
		output_add(o, ",", 1);
	output_add(o, text, len);
	o->next++;
}

int
output_room(const struct output *o, size_t index)
{
	return index < o->next + o->window;
}

void
output_result(struct output *o, size_t index, struct buf *text)
{
	struct slot *s;

	if (index != o->next) {
		s = &o->ring[index % o->window];
		s->len = text->len;
		s->text = buf_steal(text);
		return;
	}
	output_emit(o, text->data, text->len);
	buf_reset(text);
	/* Release the results that were waiting for this one. */
	for (;;) {
		s = &o->ring[o->next % o->window];
		if (s->text == NULL)
			break;
		output_emit(o, s->text, s->len);
		free(s->text);
		s->text = NULL;
	}
}

int
output_failed(const struct output *o)
{
	return o->werrno != 0;
}

int
output_finish(struct output *o, const struct buf *summary, char **errmsg)
{
	*errmsg = NULL;
	if (o->next == 0)
		output_add(o, "{\"results\":[", 12);
	output_add(o, "],\"summary\":", 12);
	output_add(o, summary->data, summary->len);
	output_add(o, "}", 1);
	buf_addc(&o->wbuf, '\n');
	output_flush(o);
	if (o->werrno == 0 && o->tmp != NULL && fsync(o->fd) == -1)
		o->werrno = errno;
	if (o->werrno != 0) {
		*errmsg = xasprintf("%s: %s",
		    o->path != NULL ? o->path : "stdout", strerror(o->werrno));
		return -1;
	}
	if (o->tmp != NULL) {
		if (rename(o->tmp, o->path) == -1) {
			*errmsg = xasprintf("%s: %s", o->path, strerror(errno));
			return -1;
		}
		free(o->tmp);
		o->tmp = NULL;
	}
	return 0;
}
