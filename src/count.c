/*
 * A cheap count of the inputs, read ahead of the input proper.  It
 * follows input.c's rules for which lines are skipped (blank, all spaces,
 * '#' first) and which are bad inputs (a NUL byte anywhere), but it parses
 * nothing: a line that will fail still counts, as it still makes a result.
 * It does not touch the descriptors input.c reads.  An argument that is a
 * glob counts as its URLs; a file with a line that may be one cannot be
 * counted without keeping its lines, and is not counted.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "count.h"
#include "glob.h"

uint64_t
count_chunk(struct count_state *st, const char *p, size_t len)
{
	uint64_t n = 0;
	size_t i = 0;

	/* A UTF-8 byte-order mark opens the file, not a line. */
	if (!st->started && len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	if (len > 0)
		st->started = 1;
	for (; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\n') {
			n += (uint64_t)st->counts;
			st->seen = st->counts = st->spec = 0;
		} else if (c == '\0')
			st->counts = 1;
		else if (!st->seen && !isspace(c)) {
			st->seen = 1;
			st->counts |= c != '#';
			st->spec = c == '{';
		}
		/* A JSON spec is never a glob; a comment is nothing. */
		if (st->globbing && st->seen && !st->spec && c != '\n' &&
		    memchr("[]{}", c, 4) != NULL)
			st->globbed |= st->counts;
	}
	return n;
}

uint64_t
count_end(const struct count_state *st)
{
	return (uint64_t)st->counts;
}

/*
 * The inputs of the regular file open on fd, from offset; -1: not that,
 * or with globbing set, a line that may be a glob.
 */
static int64_t
count_fd(int fd, off_t off, int globbing)
{
	struct count_state st;
	struct stat sb;
	char chunk[65536];
	uint64_t n = 0;
	ssize_t got;

	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode))
		return -1;
	memset(&st, 0, sizeof(st));
	st.globbing = globbing;
	for (;;) {
		got = pread(fd, chunk, sizeof(chunk), off);
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1)
			return -1;
		if (got == 0)
			break;
		n += count_chunk(&st, chunk, (size_t)got);
		if (st.globbed)
			return -1;
		off += got;
	}
	return (int64_t)(n + count_end(&st));
}

/* The inputs of one source of cfg ("-" is stdin, from where it stands). */
static int64_t
count_source(const char *path, int globbing)
{
	off_t off;
	int64_t n;
	int fd;

	if (strcmp(path, "-") == 0) {
		if ((off = lseek(STDIN_FILENO, 0, SEEK_CUR)) == -1)
			return -1;
		return count_fd(STDIN_FILENO, off, globbing);
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return -1;
	n = count_fd(fd, 0, globbing);
	close(fd);
	return n;
}

/* The URLs of argument arg: those of its glob; a bad glob is one. */
static int64_t
count_arg(const char *arg, int globbing)
{
	struct glob *g;
	int64_t n;
	char *why;

	arg += strspn(arg, " \t\r\n\v\f");
	if (!globbing || *arg == '{' || !glob_maybe(arg, strlen(arg)))
		return 1;
	if ((g = glob_new(arg, &why)) == NULL) {
		free(why);
		return 1;
	}
	n = glob_count(g);
	glob_free(g);
	return n;
}

int64_t
count_inputs(const struct config *cfg)
{
	int64_t total = 0, n;
	size_t i;

	for (i = 0; i < cfg->nurls; i++)
		if (__builtin_add_overflow(total, count_arg(cfg->urls[i],
		    !cfg->globoff), &total))
			return -1;
	for (i = 0; i < cfg->ninputs; i++) {
		if ((n = count_source(cfg->inputs[i], !cfg->globoff)) == -1)
			return -1;
		total += n;
	}
	if (cfg->read_stdin) {
		if ((n = count_source("-", !cfg->globoff)) == -1)
			return -1;
		total += n;
	}
	return total;
}
