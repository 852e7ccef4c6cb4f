/*
 * The store's front: opens the cache folder (made 0700, refused when it is
 * not ours or others may write to it, never through a link), hands it to
 * the backend, and passes every call on.  It knows no SQL and no file
 * layout of entries but the old one it imports (store_legacy.c).
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "store_legacy.h"
#include "xalloc.h"

struct store {
	const struct store_ops	*ops;
	void			*be;	/* the backend's state */
	char			*dir;
};

/* Makes dir and its missing parents with mode 0700. */
static int
mkdirs(const char *dir)
{
	char *p, *s;
	int ret = 0;

	s = xstrdup(dir);
	for (p = s + 1; ret == 0 && *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(s, 0700) == -1 && errno != EEXIST)
			ret = -1;
		*p = '/';
	}
	if (ret == 0 && mkdir(s, 0700) == -1 && errno != EEXIST)
		ret = -1;
	free(s);
	return ret;
}

/*
 * Opens the folder dir, not through a link, and checks that it is ours,
 * that no one else may write to it, and that we may.  Returns its
 * descriptor, or -1 with an allocated reason in *warn.
 */
static int
open_dir(const char *dir, char **warn)
{
	struct stat st;
	int fd;

	if (mkdirs(dir) == -1 ||
	    (fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) ==
	    -1) {
		if (lstat(dir, &st) == 0 && S_ISLNK(st.st_mode))
			*warn = xasprintf("cache folder %s is a symbolic link",
			    dir);
		else
			*warn = xasprintf("cache folder %s: %s", dir,
			    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || st.st_uid != geteuid() ||
	    (st.st_mode & 022) != 0 || (st.st_mode & S_IWUSR) == 0 ||
	    faccessat(fd, ".", W_OK, AT_EACCESS) == -1) {
		*warn = xasprintf("cache folder %s is %s", dir,
		    st.st_uid != geteuid() ? "not ours" :
		    (st.st_mode & 022) != 0 ? "writable by others" :
		    "not writable");
		close(fd);
		return -1;
	}
	return fd;
}

/* Joins two notes into one line; takes both. */
static char *
join_notes(char *a, char *b)
{
	char *s;

	if (a == NULL || b == NULL)
		return a != NULL ? a : b;
	s = xasprintf("%s; %s", a, b);
	free(a);
	free(b);
	return s;
}

struct store *
store_open(const char *dir, char **warn)
{
	struct store *st = NULL;
	char real[PATH_MAX], *note = NULL, *more = NULL;
	void *be;
	int fd;

	*warn = NULL;
	if ((fd = open_dir(dir, warn)) == -1)
		return NULL;
	/*
	 * SQLite opens by name and refuses a link anywhere in it; the links
	 * of the parents are resolved here, the folder itself is none.
	 */
	if (realpath(dir, real) == NULL) {
		*warn = xasprintf("cache folder %s: %s", dir, strerror(errno));
		close(fd);
		return NULL;
	}
	if ((be = store_sqlite_open(fd, real, warn, &note)) != NULL) {
		st = xcalloc(1, sizeof(*st));
		st->ops = &store_sqlite_ops;
		st->be = be;
		st->dir = xstrdup(dir);
		store_legacy_import(st, fd, &more);
		*warn = join_notes(note, more);
	}
	close(fd);
	return st;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	st->ops->close(st->be);
	free(st->dir);
	free(st);
}

const char *
store_dir(const struct store *st)
{
	return st->dir;
}

int
store_lookup(struct store *st, const unsigned char *key, struct entry *e)
{
	return st->ops->lookup(st->be, key, e);
}

int
store_put(struct store *st, const struct entry *e, char **warn)
{
	*warn = NULL;
	return st->ops->put(st->be, e, warn);
}

int
store_remove(struct store *st, const unsigned char *key, char **warn)
{
	*warn = NULL;
	return st->ops->remove(st->be, key, warn);
}

int
store_walk(struct store *st, const struct store_filter *f, store_walk_fn fn,
    void *arg, uint64_t *freed, char **warn)
{
	*warn = NULL;
	return st->ops->walk(st->be, f, fn, arg, freed, warn);
}

int
store_stats(struct store *st, int64_t now, struct store_stats *ss,
    char **warn)
{
	*warn = NULL;
	memset(ss, 0, sizeof(*ss));
	return st->ops->stats(st->be, now, ss, warn);
}

void
store_begin(struct store *st)
{
	st->ops->begin(st->be);
}

int
store_flush(struct store *st, int force, char **warn)
{
	*warn = NULL;
	return st->ops->flush(st->be, force, warn);
}

int
store_compact(struct store *st, char **warn)
{
	*warn = NULL;
	return st->ops->compact(st->be, warn);
}

char *
store_warning(struct store *st)
{
	return st->ops->warning(st->be);
}
