/*
 * Import of the old per-file layout.  Each fan-out folder (two hex digits)
 * is read without following a link or waiting on a FIFO; every file that
 * decodes as an entry of the key its name gives is put into the store,
 * and every file and folder of the old layout is then removed.  Anything
 * else in the cache folder is left alone.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "store_legacy.h"
#include "xalloc.h"

/* The largest old entry file read. */
#define LEGACY_MAX	((off_t)1 << 31)

struct import {
	struct store	*st;
	uint64_t	 imported;
	uint64_t	 dropped;
	int		 failed;	/* a put failed: only remove */
};

static int
is_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[n] == '\0';
}

static int
hex_key(const char *name, unsigned char *key)
{
	size_t i;
	int hi, lo;

	if (!is_hex(name, 2 * CACHE_KEY_LEN))
		return -1;
	for (i = 0; i < CACHE_KEY_LEN; i++) {
		hi = name[2 * i] <= '9' ? name[2 * i] - '0' :
		    name[2 * i] - 'a' + 10;
		lo = name[2 * i + 1] <= '9' ? name[2 * i + 1] - '0' :
		    name[2 * i + 1] - 'a' + 10;
		key[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/*
 * Reads the regular file name of dfd, ours and written by no one else,
 * into b.  Returns 0 or -1; a FIFO is refused, not waited on.
 */
static int
read_file(int dfd, const char *name, struct buf *b)
{
	struct stat st;
	ssize_t n;
	int fd, rc = -1;

	if ((fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || (st.st_mode & 022) != 0 ||
	    st.st_size > LEGACY_MAX)
		goto out;
	buf_reserve(b, (size_t)st.st_size);
	while (b->len < (size_t)st.st_size) {
		n = read(fd, b->data + b->len, (size_t)st.st_size - b->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		b->len += (size_t)n;
	}
	rc = b->len == (size_t)st.st_size ? 0 : -1;
out:
	close(fd);
	return rc;
}

/* Imports one old entry file (when it is whole), then removes it. */
static void
import_file(struct import *im, int dfd, const char *name)
{
	unsigned char key[CACHE_KEY_LEN];
	struct entry e;
	const char *why;
	struct buf b;
	char *warn;

	buf_init(&b);
	if (!im->failed && hex_key(name, key) == 0 &&
	    read_file(dfd, name, &b) == 0 &&
	    entry_decode(b.data, b.len, key, &e, &why) == 0) {
		if (store_put(im->st, &e, &warn) == 0)
			im->imported++;
		else
			im->failed = 1;
		free(warn);
		entry_clear(&e);
	} else
		im->dropped++;
	buf_free(&b);
	unlinkat(dfd, name, 0);
}

/* Imports and removes one fan-out folder; a folder inside is left. */
static void
import_sub(struct import *im, int fd, const char *sub)
{
	struct dirent *d;
	struct stat st;
	DIR *dir;
	int dfd;

	if ((dfd = openat(fd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		return;
	if (fstat(dfd, &st) == -1 || st.st_uid != geteuid() ||
	    (dir = fdopendir(dfd)) == NULL) {
		close(dfd);
		return;
	}
	while ((d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		if (strncmp(d->d_name, ".tmp-", 5) == 0)
			unlinkat(dirfd(dir), d->d_name, 0);
		else
			import_file(im, dirfd(dir), d->d_name);
	}
	closedir(dir);
	unlinkat(fd, sub, AT_REMOVEDIR);
}

int
store_legacy_import(struct store *st, int fd, char **note)
{
	struct import im = { .st = st };
	struct dirent *d;
	DIR *top;
	int dfd, found = 0;
	char *warn;

	*note = NULL;
	if ((dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if ((top = fdopendir(dfd)) == NULL) {
		close(dfd);
		return -1;
	}
	while ((d = readdir(top)) != NULL) {
		if (strlen(d->d_name) != 2 || !is_hex(d->d_name, 2))
			continue;
		if (!found)
			store_begin(st);
		found = 1;
		import_sub(&im, fd, d->d_name);
	}
	closedir(top);
	if (!found)
		return 0;
	if (store_flush(st, 1, &warn) != 0)
		im.failed = 1;
	free(warn);
	*note = xasprintf("the cache moved into %s: %llu entries of the old "
	    "one-file-per-entry layout were imported%s, %llu damaged ones "
	    "dropped, and the old files removed", "cache.db",
	    (unsigned long long)(im.failed ? 0 : im.imported),
	    im.failed ? " (not: a write failed)" : "",
	    (unsigned long long)im.dropped);
	return 0;
}
