/*
 * Release of a request.  Requests are made by input.c and owned by the
 * scheduler from then on.
 */
#include <stdlib.h>
#include <string.h>

#include "paginate.h"
#include "request.h"
#include "url.h"

void
request_free(struct request *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->url);
	free(r->name);
	free(r->input_error);
	free(r->host_key);
	free(r->last_error);
	free(r->idem_key);
	free(r->norm_url);
	url_free(r->cu);
	free(r->method);
	free(r->body);
	free(r->proxy);
	if (r->user != NULL)
		explicit_bzero(r->user, strlen(r->user));
	free(r->user);
	if (r->bearer != NULL)
		explicit_bzero(r->bearer, strlen(r->bearer));
	free(r->bearer);
	for (i = 0; i < r->nhdrs; i++)
		free(r->hdrs[i]);
	free(r->hdrs);
	page_opts_free(r->popts);
	pager_free(r->pager);
	if (r->entry != NULL) {
		entry_clear(r->entry);
		free(r->entry);
	}
	free(r);
}

int
request_set_url(struct request *r, const char **why)
{
	char *shown;

	if ((r->cu = url_new(r->url, &shown, why)) == NULL)
		return -1;
	free(r->url);
	r->url = shown;
	r->norm_url = url_text(r->cu);
	r->host_key = url_hostkey(r->cu);
	return 0;
}

const char *
request_method(const struct request *r, const struct config *cfg)
{
	if (r->method != NULL)
		return r->method;
	if (r->body != NULL && !cfg->method_given)
		return "POST";
	return cfg->method;
}

const char *
request_body(const struct request *r, const struct config *cfg, size_t *len)
{
	if (r->body != NULL) {
		*len = r->body_len;
		return r->body;
	}
	*len = cfg->data_len;
	return cfg->data;
}

int64_t
request_ttl(const struct request *r, const struct config *cfg)
{
	return r->has_ttl ? r->ttl_ms : cfg->ttl_ms;
}

int64_t
request_timeout(const struct request *r, const struct config *cfg)
{
	return r->has_timeout ? r->timeout_ms : cfg->timeout_ms;
}

int
request_retries(const struct request *r, const struct config *cfg)
{
	return r->has_retry ? r->retries : cfg->retry.retries;
}

const char *
request_user(const struct request *r, const struct config *cfg)
{
	if (r->user != NULL || r->bearer != NULL)
		return r->user;
	return cfg->userpwd;
}

const char *
request_bearer(const struct request *r, const struct config *cfg)
{
	if (r->user != NULL || r->bearer != NULL)
		return r->bearer;
	return cfg->bearer;
}

int
request_ttl_auto(const struct request *r, const struct config *cfg)
{
	return r->has_ttl ? r->ttl_auto : cfg->ttl_auto;
}

int
request_cached(const struct request *r, const struct config *cfg)
{
	return cfg->cache || (r->has_ttl && cfg->cache_dir != NULL);
}
