/*
 * libFuzzer target: curl's value syntaxes (curlarg.c).  The first byte
 * picks the entry.  -E: the file name is never longer than the value, and
 * escaping its ':' and '\' and appending ":PASSWORD" splits back into the
 * same two.  --resolve and --connect-to: a refusal says why; an accepted
 * entry has the shape the header promises (no blanks, enough ':').
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "curlarg.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* file escaped as -E wants it, then ":password" when there is one. */
static char *
cert_join(const char *file, const char *password)
{
	struct buf b;
	const char *p;

	buf_init(&b);
	for (p = file; *p != '\0'; p++) {
		if (*p == ':' || *p == '\\')
			buf_addc(&b, '\\');
		buf_addc(&b, *p);
	}
	if (password != NULL) {
		buf_addc(&b, ':');
		buf_adds(&b, password);
	}
	buf_add(&b, "", 0);
	return buf_steal(&b);
}

static void
fuzz_cert(const char *arg)
{
	char *file, *password, *again, *file2, *password2;

	curlarg_cert(arg, &file, &password);
	if (file == NULL || strlen(file) > strlen(arg) ||
	    (password != NULL && (password[0] == '\0' ||
	    strstr(arg, password) == NULL)))
		abort();
	/* A pkcs11: name is taken whole, so it has no escapes to undo. */
	if (strncasecmp(file, "pkcs11:", 7) != 0) {
		again = cert_join(file, password);
		curlarg_cert(again, &file2, &password2);
		if (strcmp(file, file2) != 0 || (password == NULL) !=
		    (password2 == NULL) || (password != NULL &&
		    strcmp(password, password2) != 0))
			abort();
		free(again);
		free(file2);
		free(password2);
	}
	free(file);
	free(password);
}

static void
fuzz_entry(const char *arg, int connect_to)
{
	const char *why = NULL, *p;
	int colons = 0, rc;

	if (connect_to)
		rc = curlarg_connect_to(arg, &why);
	else
		rc = curlarg_resolve(arg, &why);
	if (rc == -1) {
		if (why == NULL || *why == '\0')
			abort();
		return;
	}
	if (rc != 0)
		abort();
	for (p = arg; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n')
			abort();
		colons += *p == ':';
	}
	if (colons < (connect_to ? 3 : 1))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *arg;

	if (size < 1)
		return 0;
	arg = xstrndup((const char *)data + 1, size - 1);
	switch (data[0] % 3) {
	case 0:
		fuzz_cert(arg);
		break;
	case 1:
		fuzz_entry(arg, 0);
		break;
	default:
		fuzz_entry(arg, 1);
		break;
	}
	free(arg);
	return 0;
}
