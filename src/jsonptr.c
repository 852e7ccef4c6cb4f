/*
 * JSON pointer resolution.  Array indices are decimal without leading
 * zeros; "-" (past the end) never names a value, so it resolves to nothing.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "jsonptr.h"
#include "xalloc.h"

int
jsonptr_valid(const char *p)
{
	if (*p == '\0')
		return 1;
	if (*p != '/')
		return 0;
	for (; *p != '\0'; p++)
		if (*p == '~' && p[1] != '0' && p[1] != '1')
			return 0;
	return 1;
}

/* Unescapes the token of n bytes at s into an allocated string. */
static char *
token(const char *s, size_t n)
{
	char *t = xmalloc(n + 1), *o = t;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '~' && i + 1 < n && (s[i + 1] == '0' ||
		    s[i + 1] == '1')) {
			*o++ = s[i + 1] == '0' ? '~' : '/';
			i++;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return t;
}

static cJSON *
array_item(cJSON *a, const char *t)
{
	const char *p;
	long i;

	if (*t == '\0' || (t[0] == '0' && t[1] != '\0'))
		return NULL;
	for (p = t; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p))
			return NULL;
	if (p - t > 9)
		return NULL;
	i = strtol(t, NULL, 10);
	return cJSON_GetArrayItem(a, (int)i);
}

cJSON *
jsonptr_get(cJSON *root, const char *p)
{
	cJSON *cur = root;
	const char *end;
	char *t;

	if (!jsonptr_valid(p))
		return NULL;
	while (cur != NULL && *p == '/') {
		p++;
		end = p + strcspn(p, "/");
		t = token(p, (size_t)(end - p));
		if (cJSON_IsObject(cur))
			cur = cJSON_GetObjectItemCaseSensitive(cur, t);
		else if (cJSON_IsArray(cur))
			cur = array_item(cur, t);
		else
			cur = NULL;
		free(t);
		p = end;
	}
	return cur;
}
