/*
 * libFuzzer target: gather join's reader of shard outputs (join.c).  The
 * input is split at NUL bytes into up to three shard files, each written
 * to a memfd that join_add opens by its /proc path (a regular file, as
 * the shards' outputs are).  Checks: a refusal says why; join_check passes
 * only when the results are the indexes 0 to N-1, each once, and then each
 * one's text is a JSON object with that "index"; the failed are at most
 * all; the summary is JSON that counts N.
 */
#include <sys/mman.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "join.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FILES_MAX 3

/* The memfds, made once: each run only rewrites them. */
static int fds[FILES_MAX] = { -1, -1, -1 };
static char paths[FILES_MAX][64];

static const char *
shard_file(int i, const uint8_t *p, size_t n)
{
	if (fds[i] == -1) {
		if ((fds[i] = memfd_create("shard", 0)) == -1)
			abort();
		snprintf(paths[i], sizeof(paths[i]), "/proc/self/fd/%d",
		    fds[i]);
	}
	if (ftruncate(fds[i], 0) == -1 ||
	    (n > 0 && pwrite(fds[i], p, n, 0) != (ssize_t)n))
		abort();
	return paths[i];
}

static double
number(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v))
		abort();
	return v->valuedouble;
}

static void
check_joined(struct join *j)
{
	struct buf b;
	cJSON *o;
	size_t i, n = join_count(j);

	if (join_failed(j) > n)
		abort();
	buf_init(&b);
	for (i = 0; i < n; i++) {
		buf_reset(&b);
		join_result(j, i, &b);
		if ((o = cJSON_ParseWithLength(b.data, b.len)) == NULL ||
		    !cJSON_IsObject(o) || number(o, "index") != (double)i)
			abort();
		cJSON_Delete(o);
	}
	buf_reset(&b);
	join_summary(j, &b);
	if ((o = cJSON_ParseWithLength(b.data, b.len)) == NULL ||
	    number(o, "total") != (double)n)
		abort();
	cJSON_Delete(o);
	buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size, *nul;
	struct join *j = join_new();
	char *err = NULL;
	int i, rc = 0;

	for (i = 0; i < FILES_MAX && rc == 0 && (i == 0 || p < end); i++) {
		if ((nul = memchr(p, '\0', (size_t)(end - p))) == NULL ||
		    i == FILES_MAX - 1)
			nul = end;
		rc = join_add(j, shard_file(i, p, (size_t)(nul - p)), &err);
		if ((rc == -1) != (err != NULL))
			abort();
		p = nul < end ? nul + 1 : end;
	}
	if (rc == 0 && join_check(j, &err) == 0)
		check_joined(j);
	else if (err == NULL || err[0] == '\0')
		abort();
	free(err);
	join_free(j);
	return 0;
}
