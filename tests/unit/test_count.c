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

/* Which lines may be globs, so that the count is not the requests'. */
static const struct {
	const char	*data;
	int		 globbing;
	int		 want;
} globbed[] = {
	{ "http://a/[1-2]\n", 1, 1 },
	{ "http://a/{x,y}\n", 1, 1 },
	{ "n=http://a/x]\n", 1, 1 },		/* a bad one: counted as one */
	{ "http://a/[1-2]\n", 0, 0 },		/* -g */
	{ "{\"url\": \"http://a/\", \"h\": [1]}\n", 1, 0 },	/* a spec */
	{ "# [1-2]\n", 1, 0 },			/* a comment */
	{ "  \n\t{\"url\": \"u\"}\nhttp://a/\n", 1, 0 },
	{ "http://a/\nhttp://b/{c}", 1, 1 },
};

static void
check_globbed(void)
{
	struct count_state st;
	size_t i;

	for (i = 0; i < sizeof(globbed) / sizeof(globbed[0]); i++) {
		memset(&st, 0, sizeof(st));
		st.globbing = globbed[i].globbing;
		count_chunk(&st, globbed[i].data, strlen(globbed[i].data));
		CHECK(st.globbed == globbed[i].want, "globbed %zu: %d, want %d",
		    i, st.globbed, globbed[i].want);
	}
}

/* Arguments count their glob's URLs. */
static void
check_args(void)
{
	char a[] = "http://a/[1-3]/{x,y}", b[] = "n=http://a/[01-10:3]",
	    c[] = "http://a/[bad", d[] = "{\"url\": \"http://a/[1-9]\"}",
	    e[] = "http://a/";
	char *urls[] = { a, b, c, d, e };
	struct config cfg;

	config_defaults(&cfg);
	cfg.urls = urls;
	cfg.nurls = 5;
	CHECK(count_inputs(&cfg) == 6 + 4 + 1 + 1 + 1,
	    "arguments count as their URLs: %lld",
	    (long long)count_inputs(&cfg));
	cfg.globoff = 1;
	CHECK(count_inputs(&cfg) == 5, "with -g as themselves: %lld",
	    (long long)count_inputs(&cfg));
}

int
main(void)
{
	check_files();
	check_globbed();
	check_args();
	return unit_done();
}
