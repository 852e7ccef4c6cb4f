/* Counting inputs ahead: which lines count, across chunk boundaries. */
#include <string.h>

#include "count.h"
#include "unit.h"

static const struct {
	const char	*data;
	size_t		 len;
	uint64_t	 want;
} files[] = {
	{ "", 0, 0 },
	{ "http://a\n", 9, 1 },
	{ "http://a", 8, 1 },			/* no newline at the end */
	{ "http://a\r\nb=http://b\r\n", 22, 2 },
	{ "\n \n\t\r\n", 6, 0 },		/* blank lines */
	{ "# c\n  # c\nx\n", 12, 1 },		/* comments */
	{ "{\"url\":\"u\"}\nnot a url\n", 22, 2 },	/* bad ones count */
	{ "#\0x\n", 4, 1 },			/* a NUL is a bad input */
	{ "\xef\xbb\xbf# c\nx\n", 9, 1 },	/* a byte-order mark */
	{ "\xef\xbb\xbfx", 4, 1 },
};

/* The count of data read in two chunks, the first cut bytes long. */
static uint64_t
count_two(const char *data, size_t len, size_t cut)
{
	struct count_state st;
	uint64_t n;

	memset(&st, 0, sizeof(st));
	n = count_chunk(&st, data, cut);
	n += count_chunk(&st, data + cut, len - cut);
	return n + count_end(&st);
}

static void
check_files(void)
{
	uint64_t n = 0;
	size_t i, cut;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		/*
		 * Every cut counts the same; the first chunk holds at least
		 * the byte-order mark, as a read of a regular file does.
		 */
		for (cut = files[i].len < 3 ? files[i].len : 3;
		    cut <= files[i].len; cut++)
			if ((n = count_two(files[i].data, files[i].len,
			    cut)) != files[i].want)
				break;
		CHECK(n == files[i].want, "file %zu: %llu, want %llu (cut %zu)",
		    i, (unsigned long long)n,
		    (unsigned long long)files[i].want, cut);
	}
}

int
main(void)
{
	check_files();
	return unit_done();
}
