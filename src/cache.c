/*
 * Disk cache I/O.  Every path is opened relative to the cache folder's
 * descriptor with O_NOFOLLOW, one component at a time, so a planted link
 * is never followed; writes go to a temp file in the entry's own folder and
 * are renamed over the entry, so a reader sees the old file or the new one,
 * never a torn one, whatever other runs do at the same time.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cache.h"
#include "xalloc.h"

/* Refuse to read more than this as one entry: the largest body and meta. */
#define ENTRY_MAX	((off_t)1 << 31)

/* How deep a planted folder at an entry's path is removed. */
#define CLEAR_DEPTH	8

struct cache {
	char	*dir;
	int	 fd;
	unsigned seq;		/* temp file names of this process */
	uid_t	 uid;		/* ours: geteuid() once, not per file */
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

struct cache *
cache_open(const char *dir, char **warn)
{
	struct cache *c;
	struct stat st;
	int fd;

	*warn = NULL;
	if (mkdirs(dir) == -1 ||
	    (fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) ==
	    -1) {
		*warn = xasprintf("cache folder %s: %s", dir, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || st.st_uid != geteuid() ||
	    (st.st_mode & 022) != 0 || (st.st_mode & S_IWUSR) == 0 ||
	    faccessat(fd, ".", W_OK, AT_EACCESS) == -1) {
		*warn = xasprintf("cache folder %s is %s", dir,
		    st.st_uid != geteuid() ? "not ours" :
		    (st.st_mode & 022) != 0 ? "writable by others" :
		    "not writable");
		close(fd);
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->uid = st.st_uid;
	c->dir = xstrdup(dir);
	c->fd = fd;
	return c;
}

void
cache_close(struct cache *c)
{
	if (c == NULL)
		return;
	close(c->fd);
	free(c->dir);
	free(c);
}

const char *
cache_dir(const struct cache *c)
{
	return c->dir;
}

static void
key_name(const unsigned char *key, char sub[3], char name[2 * CACHE_KEY_LEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < CACHE_KEY_LEN; i++) {
		name[2 * i] = digits[key[i] >> 4];
		name[2 * i + 1] = digits[key[i] & 15];
	}
	name[2 * CACHE_KEY_LEN] = '\0';
	memcpy(sub, name, 2);
	sub[2] = '\0';
}

/* Opens the fan-out folder sub, making it when create is set. */
static int
open_sub(struct cache *c, const char *sub, int create)
{
	struct stat st;
	int fd;

	fd = openat(c->fd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1 && errno == ENOENT && create) {
		if (mkdirat(c->fd, sub, 0700) == -1 && errno != EEXIST)
			return -1;
		fd = openat(c->fd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
	}
	/* A fan-out folder others could write to is not trusted. */
	if (fd != -1 && (fstat(fd, &st) == -1 || st.st_uid != c->uid ||
	    (st.st_mode & 022) != 0)) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

/*
 * Removes whatever is at name in folder dfd: a file, a link, a FIFO, or a
 * folder and what it holds (to a bounded depth), never following a link.
 * Returns 0 or -1.
 */
static int
clear_path(int dfd, const char *name, int depth)
{
	struct dirent *d;
	DIR *dir;
	int fd, rc = 0;

	if (unlinkat(dfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR || depth == 0)
		return -1;
	if ((fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		return -1;
	if ((dir = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while (rc == 0 && (d = readdir(dir)) != NULL)
		if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0)
			rc = clear_path(dirfd(dir), d->d_name, depth - 1);
	closedir(dir);
	if (rc == 0 && unlinkat(dfd, name, AT_REMOVEDIR) == -1 &&
	    errno != ENOENT)
		rc = -1;
	return rc;
}

/*
 * Reads the whole regular file name of folder dfd into b.  Returns 0; -1
 * when there is nothing to read (or it cannot be opened); -2 when what is
 * there is not a regular file of ours, no entry.  The open does not block,
 * so a FIFO planted there is refused, not waited on.
 */
static int
read_file(const struct cache *c, int dfd, const char *name, size_t max,
    struct buf *b)
{
	struct stat st;
	ssize_t n;
	int fd, rc = -2;

	if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		return errno == ENXIO ? -2 : -1;	/* ENXIO: a socket */
	/* Only our own files, that no one else could have written. */
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_uid != c->uid || (st.st_mode & 022) != 0 ||
	    st.st_size > ENTRY_MAX)
		goto out;
	if ((size_t)st.st_size < max)
		max = (size_t)st.st_size;
	buf_reserve(b, max);
	while (b->len < max) {
		n = read(fd, b->data + b->len, max - b->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		b->len += (size_t)n;
	}
	b->data[b->len] = '\0';
	rc = 0;
out:
	close(fd);
	return rc;
}

int
cache_get(struct cache *c, const unsigned char *key, struct entry *e)
{
	char sub[3], name[2 * CACHE_KEY_LEN + 1];
	const char *why;
	struct buf b;
	int dfd, rc, found = 0;

	memset(e, 0, sizeof(*e));
	key_name(key, sub, name);
	if ((dfd = open_sub(c, sub, 0)) == -1)
		return 0;
	buf_init(&b);
	rc = read_file(c, dfd, name, (size_t)ENTRY_MAX, &b);
	if (rc == 0 && entry_decode(b.data, b.len, key, e, &why) == 0)
		found = 1;
	else if (rc == 0 || rc == -2)
		clear_path(dfd, name, CLEAR_DEPTH);	/* corrupt or foreign */
	buf_free(&b);
	close(dfd);
	return found;
}

static int
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Renames tmp over name in dfd; what is in the way and is no file (a
 * folder, say) is removed first.
 */
static int
rename_over(int dfd, const char *tmp, const char *name)
{
	if (renameat(dfd, tmp, dfd, name) == 0)
		return 0;
	if (errno != EISDIR && errno != ENOTEMPTY && errno != EEXIST)
		return -1;
	if (clear_path(dfd, name, CLEAR_DEPTH) == -1)
		return -1;
	return renameat(dfd, tmp, dfd, name);
}

int
cache_put(struct cache *c, const struct entry *e, char **warn)
{
	char sub[3], name[2 * CACHE_KEY_LEN + 1], tmp[64];
	const char *what = "cache folder";
	struct buf b;
	int dfd, fd = -1, made = 0, ret = -1, err;

	*warn = NULL;
	buf_init(&b);
	key_name(e->key, sub, name);
	snprintf(tmp, sizeof(tmp), ".tmp-%ld-%u-%08x", (long)getpid(),
	    c->seq++, arc4random());
	if ((dfd = open_sub(c, sub, 1)) == -1 ||
	    (fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1)
		goto out;
	made = 1;
	entry_encode(e, &b);
	what = "cache write in";
	if (write_all(fd, b.data, b.len) == -1)
		goto out;
	err = close(fd);
	fd = -1;
	if (err == -1)
		goto out;
	what = "cache rename in";
	if (rename_over(dfd, tmp, name) == 0)
		ret = 0;
out:
	err = errno;
	if (fd != -1)
		close(fd);
	if (made && ret != 0)
		unlinkat(dfd, tmp, 0);
	if (dfd != -1)
		close(dfd);
	buf_free(&b);
	if (ret == 0)
		return 0;
	*warn = xasprintf("%s %s/%s: %s", what, c->dir, sub, strerror(err));
	/* Short of descriptors: this entry is lost, not the cache. */
	return err == EMFILE || err == ENFILE ? -2 : -1;
}

static int
is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'f')))
			return 0;
	return s[n] == '\0';
}

/*
 * Reads the head and the meta of an entry file, whatever the meta's
 * length, and not its body.
 */
static int
read_meta(const struct cache *c, int dfd, const char *name, struct buf *b)
{
	const unsigned char *u;
	size_t mlen;

	if (read_file(c, dfd, name, ENTRY_HEAD, b) != 0 || b->len < ENTRY_HEAD)
		return -1;
	u = (const unsigned char *)b->data;
	mlen = (size_t)u[12] | (size_t)u[13] << 8 | (size_t)u[14] << 16 |
	    (size_t)u[15] << 24;
	buf_reset(b);
	return read_file(c, dfd, name, ENTRY_HEAD + mlen, b) == 0 ? 0 : -1;
}

/*
 * Whether the meta of file name decodes into e and the lengths it gives
 * add up to the file's size.
 */
static int
walk_valid(const struct cache *c, int dfd, const char *name, off_t size,
    struct entry *e)
{
	const char *why;
	struct buf b;
	int ok = 0;

	buf_init(&b);
	if (read_meta(c, dfd, name, &b) == 0 &&
	    entry_decode_meta(b.data, b.len, e, &why) == 0) {
		ok = e->body_len <= (uint64_t)size &&
		    (uint64_t)size == b.len + e->body_len + ENTRY_SUM;
		if (!ok)
			entry_clear(e);
	}
	buf_free(&b);
	return ok;
}

/* Visits one file of a fan-out folder. */
static int
walk_file(const struct cache *c, int dfd, const char *sub, const char *fname,
    int (*fn)(void *, struct cache_item *), void *arg)
{
	struct cache_item it;
	struct entry e;
	struct stat st;
	char rel[128];
	int rc;

	if (fstatat(dfd, fname, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return 0;
	memset(&it, 0, sizeof(it));
	memset(&e, 0, sizeof(e));
	snprintf(rel, sizeof(rel), "%s/%s", sub, fname);
	it.name = rel;
	it.size = st.st_size;
	it.mtime_ms = (int64_t)st.st_mtim.tv_sec * 1000 +
	    st.st_mtim.tv_nsec / 1000000;
	it.temp = strncmp(fname, ".tmp-", 5) == 0;
	it.entry = &e;
	it.valid = !it.temp && S_ISREG(st.st_mode) &&
	    is_hex(fname, 2 * CACHE_KEY_LEN) &&
	    walk_valid(c, dfd, fname, st.st_size, &e);
	rc = fn(arg, &it);
	entry_clear(&e);
	return rc;
}

int
cache_walk(struct cache *c, int (*fn)(void *, struct cache_item *),
    void *arg)
{
	struct dirent *d, *f;
	DIR *top, *dir;
	int fd, dfd, rc = 0;

	if ((fd = openat(c->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1)
		return -1;
	if ((top = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while (rc == 0 && (d = readdir(top)) != NULL) {
		if (strlen(d->d_name) != 2 || !is_hex(d->d_name, 2) ||
		    (dfd = open_sub(c, d->d_name, 0)) == -1)
			continue;
		if ((dir = fdopendir(dfd)) == NULL) {
			close(dfd);
			continue;
		}
		while (rc == 0 && (f = readdir(dir)) != NULL)
			if (strcmp(f->d_name, ".") != 0 &&
			    strcmp(f->d_name, "..") != 0)
				rc = walk_file(c, dirfd(dir), d->d_name,
				    f->d_name, fn, arg);
		closedir(dir);
	}
	closedir(top);
	return 0;
}

int
cache_remove(struct cache *c, const char *name)
{
	return unlinkat(c->fd, name, 0);
}
