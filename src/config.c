/*
 * Defaults of every setting, in one place, and the release of what the
 * option parser allocated.
 */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "vars.h"

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->method = "GET";
	cfg->concurrency = 32;
	retry_policy_default(&cfg->retry);
	cfg->connect_timeout_ms = 10 * 1000;
	cfg->timeout_ms = 30 * 1000;
	okset_default(&cfg->ok);
	cfg->max_redirs = 10;
	cfg->max_body = (int64_t)16 << 20;
	cfg->ttl_ms = -1;
	cfg->stale_if_error_ms = -1;
	cfg->lock_ttl_ms = 30 * 1000;
	cfg->redis_prefix = "gather:";
	cfg->redis_timeout_ms = 250;
	cfg->redis_ttl_ms = (int64_t)24 * 3600 * 1000;
	pretty_colors_default(&cfg->colors);
}

/*
 * The arrays, the body and the strings config.h marks owned are owned;
 * the strings in the arrays point into argv, or into owned (expansions,
 * -H @FILE lines), and are not.  Credentials are overwritten before they
 * are freed.
 */
void
config_free(struct config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->nowned; i++) {
		explicit_bzero(cfg->owned[i], strlen(cfg->owned[i]));
		free(cfg->owned[i]);
	}
	free(cfg->owned);
	if (cfg->userpwd != NULL)
		explicit_bzero(cfg->userpwd, strlen(cfg->userpwd));
	free(cfg->userpwd);
	if (cfg->bearer != NULL)
		explicit_bzero(cfg->bearer, strlen(cfg->bearer));
	free(cfg->bearer);
	free(cfg->netrc_path);
	vars_free(cfg->vars);
	free(cfg->secret_headers);
	free(cfg->urls);
	free(cfg->inputs);
	free(cfg->headers);
	free(cfg->data);
	free(cfg->cache_dir);
	free(cfg->resolve);
	free(cfg->connect_to);
	free(cfg->cert);
	if (cfg->cert_password != NULL)
		explicit_bzero(cfg->cert_password, strlen(cfg->cert_password));
	free(cfg->cert_password);
	free(cfg->cookie);
	free(cfg->cookie_files);
	memset(cfg, 0, sizeof(*cfg));
}
