/*
 * gather join's checks, on files written here: what fits together is
 * given out in index order with its text as written, and what does not is
 * refused with the message a person reads.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "join.h"
#include "unit.h"

static char dir[] = "/tmp/test_join.XXXXXX";

/* A file named name, in the folder of the test, holding text. */
static const char *
file(const char *name, const char *text)
{
	FILE *fp;

	fp = fopen(name, "w");
	fputs(text, fp);
	fclose(fp);
	return name;
}

#define R(i, ok) "{\"index\":" #i ",\"ok\":" #ok ",\"attempts\":1," \
	"\"cache\":\"off\",\"time_ms\":1.5,\"bytes\":2,\"body\":[1.0]}"
#define SUM(total, shard) "{\"total\":" #total ",\"ok\":0,\"retries\":0," \
	"\"time_ms\":9.0" shard "}"

/*
 * Joins the files (NULL-ended names and texts, in pairs); returns what
 * join_check said, or "" and the indexes in order in got.
 */
static char *
run(struct buf *got, ...)
{
	const char *name, *text;
	struct join *j;
	char *err = NULL;
	va_list ap;
	size_t i;

	j = join_new();
	va_start(ap, got);
	while ((name = va_arg(ap, const char *)) != NULL) {
		text = va_arg(ap, const char *);
		if (join_add(j, file(name, text), &err) == -1)
			break;
	}
	va_end(ap);
	buf_reset(got);
	if (err == NULL && join_check(j, &err) == 0) {
		for (i = 0; i < join_count(j); i++)
			join_result(j, i, got);
		err = strdup("");
	}
	join_free(j);
	return err;
}

static void
check(const char *what, char *err, const char *want_err, struct buf *got,
    const char *want)
{
	CHECK(err != NULL && strcmp(err, want_err) == 0 && (want == NULL ||
	    strcmp(got->data != NULL ? got->data : "", want) == 0),
	    "%s: '%s' / '%s'", what, err ? err : "(null)",
	    got->data != NULL ? got->data : "");
	free(err);
}

int
main(void)
{
	struct buf got;

	if (mkdtemp(dir) == NULL || chdir(dir) == -1)
		return 1;
	buf_init(&got);
	check("two NDJSON shards interleave", run(&got,
	    "a", R(0, true) "\n" R(2, true) "\n", "b", R(1, true) "\n",
	    NULL), "", &got, R(0, true) R(1, true) R(2, true));
	check("a pretty document comes out compact, numbers as written",
	    run(&got, "a", "{\"results\": [\n  {\"index\": 1, \"ok\": true, "
	    "\"body\": [1.0, 1e400]}\n], \"summary\": " SUM(1, ",\"shard\":"
	    "\"2/2\"") "}\n", "b", "{\"results\":[" R(0, false) "],"
	    "\"summary\":" SUM(1, ",\"shard\":\"1/2\"") "}", NULL), "", &got,
	    R(0, false) "{\"index\":1,\"ok\":true,\"body\":[1.0,1e400]}");
	check("an unordered NDJSON file is put in order", run(&got,
	    "a", R(2, true) "\n" R(0, true) "\n" R(1, true) "\n", NULL), "",
	    &got, R(0, true) R(1, true) R(2, true));
	check("an index in two files", run(&got, "a", R(0, true) R(1, true),
	    "b", R(1, true) R(2, true) R(3, true), "c", R(2, true), NULL),
	    "index 1 is in both a and b\nindex 2 is in both b and c\n", &got,
	    NULL);
	check("an index twice in one file", run(&got, "a",
	    R(0, true) R(0, true) R(1, true) R(1, true), NULL),
	    "indexes 0-1 are twice in a\n", &got, NULL);
	check("a gap", run(&got, "a", R(0, true) R(3, true) R(5, true) R(9, true),
	    NULL), "indexes 1-2, 4, 6-8 are in no file\n", &got, NULL);
	check("no index 0", run(&got, "a", R(1, true), NULL),
	    "index 0 is in no file\n", &got, NULL);
	check("a missing shard, by the summaries", run(&got,
	    "a", "{\"results\":[" R(0, true) "],\"summary\":" SUM(1,
	    ",\"shard\":\"1/3\"") "}", "c", "{\"results\":[],\"summary\":"
	    SUM(0, ",\"shard\":\"3/3\"") "}", NULL),
	    "shard 2/3 is missing\n", &got, NULL);
	check("the last results missing, by the summaries' totals", run(&got,
	    "a", R(0, true) "\n" SUM(3, ",\"shard\":\"1/1\""), NULL),
	    "indexes 1-2 are in no file\n", &got, NULL);
	check("the same shard twice", run(&got,
	    "a", "{\"results\":[],\"summary\":" SUM(0, ",\"shard\":\"1/2\"")
	    "}", "b", SUM(0, ",\"shard\":\"1/2\""), "c", SUM(0,
	    ",\"shard\":\"2/2\""), NULL),
	    "shard 1/2 is in both a and b\n", &got, NULL);
	check("shards of two splits", run(&got,
	    "a", SUM(0, ",\"shard\":\"1/2\""), "b", SUM(0,
	    ",\"shard\":\"1/3\""), NULL),
	    "a is shard 1/2 but b is shard 1/3\n", &got, NULL);
	check("a shard and a whole run", run(&got,
	    "a", SUM(0, ",\"shard\":\"1/2\""), "b", SUM(0, ""), NULL),
	    "a is shard 1/2 but b is a whole run\n", &got, NULL);
	check("results without a summary: a shard is not known missing",
	    run(&got, "a", "{\"results\":[" R(0, true) "],\"summary\":"
	    SUM(1, ",\"shard\":\"1/3\"") "}", "b", R(1, true), NULL), "",
	    &got, R(0, true) R(1, true));
	check("NDJSON and its summary file: a shard none names is missing",
	    run(&got, "a", R(0, true), "a.sum", SUM(1, ",\"shard\":\"1/3\""),
	    "c", R(1, true), "c.sum", SUM(1, ",\"shard\":\"3/3\""), NULL),
	    "shard 2/3 is missing\n", &got, NULL);
	check("many ranges are cut", run(&got, "a", R(1, true) R(3, true)
	    R(5, true) R(7, true) R(9, true) R(11, true) R(13, true)
	    R(15, true) R(17, true) R(19, true), NULL),
	    "indexes 0, 2, 4, 6, 8, 10, 12, 14, ... (10 in all) are in no "
	    "file\n", &got, NULL);
	check("not JSON", run(&got, "a", R(0, true) "\n{\"index\":", NULL),
	    "a: line 2: not JSON", &got, NULL);
	check("not a result", run(&got, "a", "[1]", NULL),
	    "a: line 1: not a gather document, result or summary", &got,
	    NULL);
	check("a result without an index", run(&got, "a",
	    "{\"index\":-1,\"ok\":true}", NULL),
	    "a: line 1: a result without a whole \"index\" and a true or "
	    "false \"ok\"", &got, NULL);
	check("an empty file is an empty shard", run(&got, "a", "", NULL), "",
	    &got, "");
	buf_free(&got);
	unlink("a");
	unlink("b");
	unlink("c");
	unlink("a.sum");
	unlink("c.sum");
	rmdir(dir);
	return unit_done();
}
