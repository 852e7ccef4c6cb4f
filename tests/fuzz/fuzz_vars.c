/*
 * libFuzzer target: the variable expander (vars.c).  The first byte picks
 * the entry: vars_expand over text, vars_expand_json over JSON text, or
 * vars_define over a --variable argument (without '@': no files).  Its
 * checks: a refusal says why and never holds a value; text with nothing
 * replaced comes out unchanged; JSON comes out as valid JSON.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "vars.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* What every variable holds: it must never show in a reason. */
#define SECRET "S3CR3T-VALUE"

static struct vars *
fuzz_vars(void)
{
	struct vars *v = vars_new();

	vars_set(v, "A", 1, SECRET, strlen(SECRET));
	vars_set(v, "TOKEN", 5, " " SECRET "\n", strlen(SECRET) + 2);
	vars_set(v, "Q", 1, "\"\\" SECRET "\x01", strlen(SECRET) + 3);
	vars_set(v, "Z", 1, SECRET "\0z", strlen(SECRET) + 2);
	vars_set(v, "E", 1, "", 0);
	return v;
}

static void
check_reason(const char *why, const char *in, size_t len)
{
	if (why == NULL)
		abort();
	if (memmem(in, len, SECRET, strlen(SECRET)) == NULL &&
	    strstr(why, SECRET) != NULL)
		abort();
}

static void
fuzz_expand(const struct vars *v, const char *in, size_t len)
{
	struct buf b;
	char *why = NULL;
	int rc;

	buf_init(&b);
	rc = vars_expand(v, in, len, &b, &why);
	if (rc == -1)
		check_reason(why, in, len);
	else if (rc == 0 && (b.len != len || (len > 0 &&
	    memcmp(b.data, in, len) != 0)))
		abort();
	free(why);
	buf_free(&b);
}

static void
fuzz_json(const struct vars *v, const char *in, size_t len)
{
	struct buf b;
	char *why = NULL;
	cJSON *j;
	int rc;

	if ((j = cJSON_ParseWithLength(in, len)) == NULL)
		return;
	cJSON_Delete(j);
	buf_init(&b);
	rc = vars_expand_json(v, in, len, &b, &why);
	if (rc == -1)
		check_reason(why, in, len);
	else if ((j = cJSON_ParseWithLength(b.data != NULL ? b.data : "",
	    b.len)) == NULL)
		abort();
	else
		cJSON_Delete(j);
	free(why);
	buf_free(&b);
}

static void
fuzz_define(struct vars *v, const char *in, size_t len)
{
	char *arg, *why = NULL;

	if (memchr(in, '@', len) != NULL)
		return;
	arg = xstrndup(in, len);
	if (vars_define(v, arg, &why) == -1 && why == NULL)
		abort();
	free(why);
	free(arg);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vars *v;
	const char *in = (const char *)data + 1;

	if (size < 1)
		return 0;
	v = fuzz_vars();
	switch (data[0] % 3) {
	case 0:
		fuzz_expand(v, in, size - 1);
		break;
	case 1:
		fuzz_json(v, in, size - 1);
		break;
	default:
		fuzz_define(v, in, size - 1);
		break;
	}
	vars_free(v);
	return 0;
}
