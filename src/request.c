/*
 * Release of a request.  Requests are made by input.c and owned by the
 * scheduler from then on.
 */
#include <stdlib.h>

#include "request.h"

void
request_free(struct request *r)
{
	if (r == NULL)
		return;
	free(r->url);
	free(r->name);
	free(r->input_error);
	free(r->host_key);
	free(r->last_error);
	free(r->norm_url);
	if (r->entry != NULL) {
		entry_clear(r->entry);
		free(r->entry);
	}
	free(r);
}
