/*
 * The run's settings as plain data.  cmd/ fills it from argv; the engine
 * only ever reads it through a const pointer.
 */
#ifndef GATHER_CONFIG_H
#define GATHER_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "okset.h"
#include "paginate.h"
#include "pretty.h"
#include "retry.h"

#define GATHER_VERSION "0.1.0"

struct vars;

/* Which netrc file use was asked for: --netrc, --netrc-optional. */
enum netrc_use { NETRC_OFF, NETRC_OPTIONAL, NETRC_REQUIRED };

enum shape {
	SHAPE_DOC,	/* {"results": [...], "summary": {...}} */
	SHAPE_NDJSON,	/* one result per line */
	SHAPE_BODIES,	/* [body, ...] */
	SHAPE_KEYED,	/* {NAME or URL: body, ...} */
	SHAPE_MERGE	/* the bodies merged into one value */
};

struct config {
	char		**urls;		/* positional URL or NAME=URL */
	size_t		  nurls;
	char		**inputs;	/* -i FILE, "-" for stdin */
	size_t		  ninputs;
	int		  read_stdin;	/* no URLs and no -i: stdin is input */
	int		  globoff;	/* -g: URLs are not globs */
	long		  shard_k;	/* --shard K/N: run only shard K */
	long		  shard_n;	/* 0: every input */

	const char	 *method;	/* -X, or GET / POST (with -d) */
	int		  method_given;	/* -X was given */
	char		 *data;		/* -d, owned; NULL: no body */
	size_t		  data_len;

	long		  concurrency;
	long		  per_host;	/* 0: no limit */
	int64_t		  rate_n;	/* --rate N/DUR; 0: no limit */
	int64_t		  rate_per_ms;
	struct retry_policy retry;
	int64_t		  deadline_ms;	/* 0: none */
	struct okset	  ok;		/* --ok: statuses that are ok */
	int		  fail_fast;	/* the first failure ends the run */
	int64_t		  connect_timeout_ms;
	int64_t		  timeout_ms;
	char		**headers;	/* -H "K: V", in order given */
	int		  idempotency_key; /* POST, PATCH get one */
	size_t		  nheaders;
	char		 *user_agent;	/* NULL: gather/VERSION */
	long		  max_redirs;
	int64_t		  max_body;
	struct page_opts  pages;	/* --paginate, --next, --cursor... */
	int		  insecure;	/* -k */
	const char	 *cacert;	/* --cacert FILE */

	/* Proxies, name pinning, TLS identity, protocols, cookies. */
	const char	 *proxy;	/* -x URL; NULL: the environment's */
	const char	 *noproxy;	/* --noproxy LIST */
	const char	 *proxy_user;	/* -U USER:PASSWORD; never shown */
	char		**resolve;	/* --resolve entries, in order */
	size_t		  nresolve;
	char		**connect_to;	/* --connect-to entries, in order */
	size_t		  nconnect_to;
	const char	 *unix_socket;	/* --unix-socket PATH */
	char		 *cert;		/* -E FILE, unescaped; owned */
	char		 *cert_password; /* -E's PASSWORD; owned; never shown */
	const char	 *key;		/* --key FILE */
	const char	 *pinnedpubkey;	/* --pinnedpubkey HASHES */
	int		  http1_1;	/* --http1.1; else HTTP/2 over TLS */
	int		  ip_version;	/* -4, -6; 0: either */
	int		  no_compressed; /* send no Accept-Encoding */
	char		 *cookie;	/* -b DATA, joined by "; "; owned */
	char		**cookie_files;	/* -b FILE, in order */
	size_t		  ncookie_files;
	const char	 *cookie_jar;	/* -c FILE */

	/* Credentials: never shown, always part of the cache key. */
	char		 *userpwd;	/* -u USER:PASSWORD, owned */
	char		 *bearer;	/* --oauth2-bearer TOKEN, owned */
	enum netrc_use	  netrc;
	const char	 *netrc_file;	/* --netrc-file FILE as given */
	char		 *netrc_path;	/* resolved by cmd/: what libcurl reads */
	unsigned char	  netrc_sum[32]; /* SHA-256 of that file, for keys */
	struct vars	 *vars;		/* --variable, owned; NULL: none */
	char		**secret_headers; /* --secret-header NAME, lent */
	size_t		  nsecret_headers;
	char		**owned;	/* strings made from options, owned */
	size_t		  nowned;

	int		  cache;	/* resolved: the cache is on */
	char		 *cache_dir;	/* resolved by cmd/; NULL: no cache */
	int64_t		  ttl_ms;	/* --ttl; -1: not given */
	int		  ttl_auto;	/* --ttl auto: ttl_ms is the default */
	int		  refresh;
	int		  offline;
	int64_t		  stale_if_error_ms; /* -1: not given */
	int64_t		  cache_max_size;   /* 0: no limit */
	const char	 *record;	/* --record DIR: write fixtures */
	const char	 *replay;	/* --replay DIR: answer from them */

	char		 *output;	/* -o FILE, NULL for stdout */
	enum shape	  shape;
	int		  ordered;	/* --ndjson in input order */
	const char	 *select;	/* --select POINTER; NULL: none */
	int		  show_headers;	/* --headers */
	int		  timings;	/* --timings */
	int		  stable;	/* --stable: nothing run-dependent */
	int		  pretty;	/* resolved by cmd/: 0 or 1 */
	int		  color;	/* resolved by cmd/: 0 or 1 */
	struct pretty_colors colors;	/* $GATHER_COLORS or jq's */
	int		  progress;	/* resolved by cmd/: 0 or 1 */
	const char	 *summary;	/* --summary FILE, "-": stderr */
	const char	 *lock;		/* --lock FILE or redis:NAME */
	int64_t		  lock_wait_ms;
	int64_t		  lock_ttl_ms;	/* --lock redis:NAME's expiry */
	const char	 *lock_token;	/* set: cmd/ holds the Redis lock */

	const char	 *redis;	/* --redis URL, $GATHER_REDIS; NULL */
	const char	 *redis_prefix;	/* of every key [gather:] */
	int64_t		  redis_timeout_ms;
	int64_t		  redis_ttl_ms;	/* an entry's expiry without a TTL */
	const char	 *shared_rate;	/* --shared-rate KEY; NULL: local */
	int		  verbose;
	int		  quiet;
	int		  show_error;	/* -S: failures even under -q */
};

void	config_defaults(struct config *);
void	config_free(struct config *);

#endif
