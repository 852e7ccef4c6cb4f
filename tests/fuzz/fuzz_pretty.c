/*
 * libFuzzer target: the pretty printer.  Compact JSON (what json_embed
 * makes of the input) fed in pieces whose sizes come from the input must
 * come out as JSON that compacts back to exactly what went in.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "pretty.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pretty pp;
	struct buf compact, out, again;
	size_t off, n, took, i = 0;

	buf_init(&compact);
	buf_init(&out);
	buf_init(&again);
	if (json_embed(&compact, (const char *)data, size) != 0)
		goto out;
	pretty_init(&pp, 1, NULL);
	/*
	 * Piece sizes from the input's own bytes: 1 to 16, and a room of a
	 * few bytes past what is out, so that feeding stops part way too.
	 */
	for (off = 0; off < compact.len; off += n) {
		n = (size_t)(data[i++ % size] & 15) + 1;
		if (n > compact.len - off)
			n = compact.len - off;
		for (took = 0; took < n;)
			took += pretty_feed(&pp, compact.data + off + took,
			    n - took, &out, out.len + 8);
	}
	pretty_free(&pp);
	if (json_embed(&again, out.data, out.len) != 0 ||
	    again.len != compact.len ||
	    memcmp(again.data, compact.data, compact.len) != 0)
		abort();
out:
	buf_free(&compact);
	buf_free(&out);
	buf_free(&again);
	return 0;
}
