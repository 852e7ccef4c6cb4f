/*
 * libFuzzer target: the embedder.  A result whose URL, --select pointer and
 * body come from the input ("flags URL \n POINTER \n BODY") must always
 * render as one valid JSON object, whatever the body holds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "render.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const types[] = { NULL, "application/json", "text/plain",
	"application/problem+json; charset=utf-8" };

/* The next field of *p, up to a newline or the end, allocated. */
static char *
field(const char **p, const char *end)
{
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));
	char *s;

	if (nl == NULL)
		nl = end;
	s = xstrndup(*p, (size_t)(nl - *p));
	*p = nl < end ? nl + 1 : end;
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;
	struct result r;
	struct buf b;
	char *url, *sel;
	cJSON *j;

	if (size < 1)
		return 0;
	memset(&r, 0, sizeof(r));
	r.ok = data[0] & 1;
	r.err = r.ok ? ERR_NONE : (data[0] & 2) ? ERR_INPUT : ERR_HTTP;
	r.content_type = types[(data[0] >> 2) & 3];
	p++;
	url = field(&p, end);
	sel = field(&p, end);
	r.url = url;
	r.status = 200;
	r.has_body = 1;
	r.body = xstrndup(p, 0);
	r.body = xreallocarray(r.body, (size_t)(end - p) + 1, 1);
	memcpy(r.body, p, (size_t)(end - p));
	r.body[end - p] = '\0';
	r.body_len = (size_t)(end - p);
	buf_init(&b);
	(void)render_result(&r, (data[0] & 16) ? sel : NULL, &b);
	if ((j = cJSON_ParseWithLength(b.data, b.len)) == NULL ||
	    !cJSON_IsObject(j))
		abort();
	cJSON_Delete(j);
	buf_free(&b);
	free(r.body);
	free(url);
	free(sel);
	return 0;
}
