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

struct cache {
	char	*dir;
	int	 fd;
	int	 sub[256];	/* fan-out folders opened so far, or -1 */
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
	memset(c->sub, -1, sizeof(c->sub));
	return c;
}

void
cache_close(struct cache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < 256; i++)
		if (c->sub[i] != -1)
			close(c->sub[i]);
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
 * The fan-out folder of a key, kept open for the rest of the run: one
 * openat per folder, not per entry.  Not to be closed by the caller.
 */
static int
sub_fd(struct cache *c, const unsigned char *key, const char *sub,
    int create)
{
	int *fd = &c->sub[key[0]];

	if (*fd == -1)
		*fd = open_sub(c, sub, create);
	return *fd;
}

/* Reads the whole regular file name of folder dfd into b. */
static int
read_file(const struct cache *c, int dfd, const char *name, size_t max,
    struct buf *b)
{
	struct stat st;
	ssize_t n;
	int fd;

	if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return -1;
	/* Only our own files, that no one else could have written. */
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_uid != c->uid || (st.st_mode & 022) != 0 ||
	    st.st_size > ENTRY_MAX) {
		close(fd);
		return -1;
	}
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
	close(fd);
	return 0;
}

int
cache_get(struct cache *c, const unsigned char *key, struct entry *e)
{
	char sub[3], name[2 * CACHE_KEY_LEN + 1];
	const char *why;
	struct buf b;
	int dfd, found = 0;

	memset(e, 0, sizeof(*e));
	key_name(key, sub, name);
	if ((dfd = sub_fd(c, key, sub, 0)) == -1)
		return 0;
	buf_init(&b);
	if (read_file(c, dfd, name, (size_t)ENTRY_MAX, &b) == 0) {
		if (entry_decode(b.data, b.len, key, e, &why) == 0)
			found = 1;
		else
			unlinkat(dfd, name, 0);	/* corrupt or foreign */
	}
	buf_free(&b);
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

int
cache_put(struct cache *c, const struct entry *e, char **warn)
{
	char sub[3], name[2 * CACHE_KEY_LEN + 1], tmp[64];
	struct buf b;
	int dfd, fd, ret = -1;

	*warn = NULL;
	key_name(e->key, sub, name);
	if ((dfd = sub_fd(c, e->key, sub, 1)) == -1) {
		*warn = xasprintf("cache folder %s/%s: %s", c->dir, sub,
		    strerror(errno));
		return -1;
	}
	snprintf(tmp, sizeof(tmp), ".tmp-%ld-%u-%08x", (long)getpid(),
	    c->seq++, arc4random());
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd == -1) {
		*warn = xasprintf("cache folder %s/%s: %s", c->dir, sub,
		    strerror(errno));
		return -1;
	}
	buf_init(&b);
	entry_encode(e, &b);
	if (write_all(fd, b.data, b.len) == -1 || close(fd) == -1) {
		fd = -1;
		*warn = xasprintf("cache write in %s: %s", c->dir,
		    strerror(errno));
	} else if (renameat(dfd, tmp, dfd, name) == -1)
		*warn = xasprintf("cache rename in %s: %s", c->dir,
		    strerror(errno));
	else
		ret = 0;
	if (ret == -1)
		unlinkat(dfd, tmp, 0);
	buf_free(&b);
	return ret;
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

	if (read_file(c, dfd, name, ENTRY_HEAD, b) == -1 || b->len < ENTRY_HEAD)
		return -1;
	u = (const unsigned char *)b->data;
	mlen = (size_t)u[12] | (size_t)u[13] << 8 | (size_t)u[14] << 16 |
	    (size_t)u[15] << 24;
	buf_reset(b);
	return read_file(c, dfd, name, ENTRY_HEAD + mlen, b);
}

/* Visits one file of a fan-out folder. */
static int
walk_file(const struct cache *c, int dfd, const char *sub, const char *fname,
    int (*fn)(void *, struct cache_item *), void *arg)
{
	struct cache_item it;
	struct entry e;
	struct stat st;
	struct buf b;
	char rel[128];
	const char *why;
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
	buf_init(&b);
	if (!it.temp && S_ISREG(st.st_mode) &&
	    is_hex(fname, 2 * CACHE_KEY_LEN) &&
	    read_meta(c, dfd, fname, &b) == 0 &&
	    entry_decode_meta(b.data, b.len, &e, &why) == 0)
		it.valid = 1;
	buf_free(&b);
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
	    -1 || (top = fdopendir(fd)) == NULL)
		return -1;
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
