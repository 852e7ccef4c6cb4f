/*
 * libFuzzer target: one input line (a URL, NAME=URL, a comment or a JSON
 * spec) through input_parse, as gather reads it from a file or stdin.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "input.h"
#include "xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request *r;
	char *why = NULL;

	if (size > INPUT_LINE_MAX)
		return 0;
	r = xcalloc(1, sizeof(*r));
	(void)input_parse((const char *)data, size, NULL, r, &why);
	free(why);
	request_free(r);
	return 0;
}
