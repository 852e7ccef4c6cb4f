/*
 * The variable expander: references, curl's four functions and their
 * chains, what is left as it is, what is refused; --variable's forms; and
 * the expansion of the string values of JSON text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vars.h"
#include "unit.h"

/* want NULL: an error whose message holds err. */
static const struct {
	const char	*in;
	const char	*want;
	int		 count;
	const char	*err;
} expands[] = {
	{ "plain text", "plain text", 0, NULL },
	{ "", "", 0, NULL },
	{ "x{{A}}y", "xhelloy", 1, NULL },
	{ "{{A}}{{A}}", "hellohello", 2, NULL },
	{ "{{SP}}", "  padded \n", 1, NULL },
	{ "{{SP:trim}}", "padded", 1, NULL },
	{ "[{{WS:trim}}]", "[]", 1, NULL },
	{ "{{Q:json}}", "a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001/\xc3\xa9", 1, NULL },
	{ "{{U:url}}", "a%20b%26c%2F%C3%A9-._~", 1, NULL },
	{ "{{A:b64}}", "aGVsbG8=", 1, NULL },
	{ "{{AB:b64}}", "YWI=", 1, NULL },
	{ "{{SP:trim:b64}}", "cGFkZGVk", 1, NULL },
	{ "{{U:url:url}}", "a%2520b%2526c%252F%25C3%25A9-._~", 1, NULL },
	{ "{{SP:trim:json}}", "padded", 1, NULL },
	{ "{{SP:json:trim}}", "padded \\n", 1, NULL },
	{ "{{E}}", "", 1, NULL },
	{ "<{{E:b64}}>", "<>", 1, NULL },
	{ "{{Z:b64}}", "YQBi", 1, NULL },
	{ "{{Z:url}}", "a%00b", 1, NULL },
	{ "{{Z}}", NULL, 0, "holds a NUL byte" },
	{ "{{Z:trim}}", NULL, 0, "holds a NUL byte" },
	{ "\\{{A}}", "{{A}}", 1, NULL },
	{ "a\\{{A}} {{A}}", "a{{A}} hello", 2, NULL },
	{ "{{ A }}", "{{ A }}", 0, NULL },
	{ "{{a.b}}", "{{a.b}}", 0, NULL },
	{ "{{}}", "{{}}", 0, NULL },
	{ "{{:trim}}", "{{:trim}}", 0, NULL },
	{ "{{A", "{{A", 0, NULL },
	{ "{{A}", "{{A}", 0, NULL },
	{ "{{A}}{{B", "hello{{B", 1, NULL },
	{ "{{{A}}", "{{{A}}", 0, NULL },
	{ "{{B}}", NULL, 0, "{{B}}: no such variable" },
	{ "{{a}}", NULL, 0, "{{a}}: no such variable" },
	{ "{{B:trim}}", NULL, 0, "no such variable" },
	{ "{{A:upper}}", NULL, 0, "unknown function 'upper'" },
	{ "{{A:}}", NULL, 0, "unknown function ''" },
	{ "{{A:trim:}}", NULL, 0, "unknown function ''" },
	{ "{{A:trimx}}", NULL, 0, "unknown function 'trimx'" },
	{ "{{A::trim}}", NULL, 0, "unknown function ''" },
};

static void
setup(struct vars *v)
{
	vars_set(v, "A", 1, "hello", 5);
	vars_set(v, "AB", 2, "ab", 2);
	vars_set(v, "SP", 2, "  padded \n", 10);
	vars_set(v, "WS", 2, " \t\r\n\v\f", 6);
	vars_set(v, "Q", 1, "a\"b\\c\n\t\r\b\f\x01/\xc3\xa9", 14);
	vars_set(v, "U", 1, "a b&c/\xc3\xa9-._~", 12);
	vars_set(v, "E", 1, "", 0);
	vars_set(v, "Z", 1, "a\0b", 3);
}

static void
check_expand(void)
{
	struct vars *v = vars_new();
	struct buf b;
	char *why;
	size_t i;
	int rc;

	setup(v);
	for (i = 0; i < sizeof(expands) / sizeof(expands[0]); i++) {
		buf_init(&b);
		rc = vars_expand(v, expands[i].in, strlen(expands[i].in), &b,
		    &why);
		if (expands[i].want != NULL)
			CHECK(rc == expands[i].count && b.len ==
			    strlen(expands[i].want) && memcmp(b.data,
			    expands[i].want, b.len) == 0,
			    "'%s' -> '%s' (%d), got '%s' (%d)", expands[i].in,
			    expands[i].want, expands[i].count,
			    b.data ? b.data : "", rc);
		else
			CHECK(rc == -1 && why != NULL &&
			    strstr(why, expands[i].err) != NULL,
			    "'%s' is refused: '%s' (got %d '%s')",
			    expands[i].in, expands[i].err, rc,
			    why ? why : "");
		free(why);
		buf_free(&b);
	}
	/* A name of 127 characters is one; of 128, text. */
	{
		char name[129], ref[140];

		memset(name, 'n', 128);
		vars_set(v, name, 127, "long", 4);
		name[127] = '\0';
		snprintf(ref, sizeof(ref), "{{%s}}", name);
		buf_init(&b);
		rc = vars_expand(v, ref, strlen(ref), &b, &why);
		CHECK(rc == 1 && strcmp(b.data, "long") == 0,
		    "a 127-character name is expanded");
		buf_free(&b);
		name[127] = 'n';
		name[128] = '\0';
		snprintf(ref, sizeof(ref), "{{%s}}", name);
		buf_init(&b);
		rc = vars_expand(v, ref, strlen(ref), &b, &why);
		CHECK(rc == 0 && strcmp(b.data, ref) == 0,
		    "a 128-character name is left as text");
		buf_free(&b);
	}
	/* No variables at all: every reference is unset. */
	buf_init(&b);
	rc = vars_expand(NULL, "{{A}}", 5, &b, &why);
	CHECK(rc == -1 && strstr(why, "no such variable") != NULL,
	    "without variables, {{A}} is refused");
	free(why);
	buf_free(&b);
	/* The input is read only within its length. */
	buf_init(&b);
	rc = vars_expand(v, "{{A}}{{A}}", 7, &b, &why);
	CHECK(rc == 1 && strcmp(b.data, "hello{{") == 0,
	    "only len bytes are read");
	buf_free(&b);
	vars_free(v);
}

static const struct {
	const char	*in;
	const char	*want;
} jsons[] = {
	{ "{\"a\":\"{{A}}\"}", "{\"a\":\"hello\"}" },
	{ "{\"{{A}}\": \"{{A}}\"}", "{\"{{A}}\": \"hello\"}" },
	{ "{\"n\": 12345678901234567890, \"t\": [\"{{Q}}\", true, null]}",
	    "{\"n\": 12345678901234567890, \"t\": [\"a\\\"b\\\\c\\n\\t\\r"
	    "\\u0008\\u000c\\u0001/\xc3\xa9\", true, null]}" },
	{ "\"x{{A}}y\"", "\"xhelloy\"" },
	{ "{\"a\": \"\\u0068{{A}}\"}", "{\"a\": \"hhello\"}" },
	{ "{\"a\": \"x\\\\{{A}}\"}", "{\"a\": \"x{{A}}\"}" },
	{ "{\"a\": \"plain\\n\"}", "{\"a\": \"plain\\n\"}" },
	{ "{\"a\" : \"{{A}}\" , \"b\" :\"{{AB:b64}}\"}",
	    "{\"a\" : \"hello\" , \"b\" :\"YWI=\"}" },
	{ "[1, 2.50, \"{{E}}\"]", "[1, 2.50, \"\"]" },
};

static void
check_json(void)
{
	struct vars *v = vars_new();
	struct buf b;
	char *why;
	size_t i;
	int rc;

	setup(v);
	for (i = 0; i < sizeof(jsons) / sizeof(jsons[0]); i++) {
		buf_init(&b);
		rc = vars_expand_json(v, jsons[i].in, strlen(jsons[i].in), &b,
		    &why);
		CHECK(rc >= 0 && strcmp(b.data, jsons[i].want) == 0,
		    "json %s -> %s, got %s", jsons[i].in, jsons[i].want,
		    b.data ? b.data : "(error)");
		free(why);
		buf_free(&b);
	}
	buf_init(&b);
	rc = vars_expand_json(v, "{\"a\": [\"{{NOPE}}\"]}", 19, &b, &why);
	CHECK(rc == -1 && strstr(why, "{{NOPE}}") != NULL,
	    "an unset name inside JSON is refused");
	free(why);
	buf_free(&b);
	vars_free(v);
}

/* want NULL: an error whose message holds err; never the value. */
static const struct {
	const char	*arg;
	const char	*name;
	const char	*want;
	const char	*err;
} defines[] = {
	{ "X=1", "X", "1", NULL },
	{ "X=", "X", "", NULL },
	{ "X=a=b", "X", "a=b", NULL },
	{ "_x9=v", "_x9", "v", NULL },
	{ "%GATHER_TEST_SET", "GATHER_TEST_SET", "s3cret", NULL },
	{ "%GATHER_TEST_SET=dflt", "GATHER_TEST_SET", "s3cret", NULL },
	{ "%GATHER_TEST_UNSET=dflt", "GATHER_TEST_UNSET", "dflt", NULL },
	{ "%GATHER_TEST_EMPTY", "GATHER_TEST_EMPTY", "", NULL },
	{ "%GATHER_TEST_UNSET", NULL, NULL, "not set in the environment" },
	{ "X", NULL, NULL, "want NAME=VALUE" },
	{ "=1", NULL, NULL, "want NAME=VALUE" },
	{ "%=1", NULL, NULL, "want NAME=VALUE" },
	{ "a-b=1", NULL, NULL, "want NAME=VALUE" },
	{ "a b=1", NULL, NULL, "want NAME=VALUE" },
	{ "X@/nonexistent/gather", NULL, NULL, "/nonexistent/gather: No such" },
};

static void
check_define(void)
{
	char path[] = "/tmp/test_vars.XXXXXX", *why, arg[64];
	struct vars *v = vars_new();
	const char *val;
	size_t i, len;
	int fd, rc;

	setenv("GATHER_TEST_SET", "s3cret", 1);
	setenv("GATHER_TEST_EMPTY", "", 1);
	unsetenv("GATHER_TEST_UNSET");
	for (i = 0; i < sizeof(defines) / sizeof(defines[0]); i++) {
		rc = vars_define(v, defines[i].arg, &why);
		if (defines[i].want != NULL) {
			val = vars_get(v, defines[i].name,
			    strlen(defines[i].name), &len);
			CHECK(rc == 0 && val != NULL &&
			    len == strlen(defines[i].want) &&
			    memcmp(val, defines[i].want, len) == 0,
			    "--variable '%s' sets %s", defines[i].arg,
			    defines[i].name);
		} else
			CHECK(rc == -1 && why != NULL &&
			    strstr(why, defines[i].err) != NULL &&
			    strstr(why, "s3cret") == NULL,
			    "--variable '%s' is refused: '%s' (got '%s')",
			    defines[i].arg, defines[i].err, why ? why : "");
		free(why);
	}
	/* NAME@FILE takes the file's bytes as they are, NULs included. */
	if ((fd = mkstemp(path)) == -1 || write(fd, "tok\0en\n", 7) != 7) {
		CHECK(0, "a temporary file");
		return;
	}
	close(fd);
	snprintf(arg, sizeof(arg), "F@%s", path);
	rc = vars_define(v, arg, &why);
	val = vars_get(v, "F", 1, &len);
	CHECK(rc == 0 && val != NULL && len == 7 &&
	    memcmp(val, "tok\0en\n", 7) == 0, "NAME@FILE reads every byte");
	snprintf(arg, sizeof(arg), "%%GATHER_TEST_UNSET@%s", path);
	rc = vars_define(v, arg, &why);
	val = vars_get(v, "GATHER_TEST_UNSET", 17, &len);
	CHECK(rc == 0 && val != NULL && len == 7,
	    "%%ENVNAME@FILE reads FILE when ENVNAME is unset");
	unlink(path);
	/* Setting a name again replaces it. */
	vars_define(v, "X=first", &why);
	vars_define(v, "X=second", &why);
	val = vars_get(v, "X", 1, &len);
	CHECK(val != NULL && strcmp(val, "second") == 0,
	    "a name set again takes the new value");
	CHECK(vars_get(v, "x", 1, &len) == NULL, "names are case-sensitive");
	vars_free(v);
	vars_free(NULL);
}

int
main(void)
{
	check_expand();
	check_json();
	check_define();
	return unit_done();
}
