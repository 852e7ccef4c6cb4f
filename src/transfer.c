/*
 * Easy-handle set-up and the reading of a finished attempt.  Which attempt
 * runs when, and retries, are the scheduler's business, not this file's.
 */
#include <sys/socket.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "creds.h"
#include "idem.h"
#include "json.h"
#include "paginate.h"
#include "retry.h"
#include "spec.h"
#include "transfer.h"
#include "url.h"
#include "xalloc.h"

/* Large buffers are given back after use, so one huge body is not kept. */
#define BODY_KEEP_MAX (256 * 1024)
/*
 * What one recv(2) may take: curl(1) uses 100 KiB, not libcurl's 16 KiB,
 * and big bodies then cost a quarter of the calls.  Every handle keeps
 * its own, so at a high -j they shrink to keep all of them within
 * RECV_TOTAL, down to libcurl's default.
 */
#define RECV_BUFFER_MAX	(100L * 1024)
#define RECV_BUFFER_MIN	(16L * 1024)
#define RECV_TOTAL	(16L * 1024 * 1024)

static long
recv_buffer(long concurrency)
{
	long n = RECV_TOTAL / (concurrency > 0 ? concurrency : 1);

	return n > RECV_BUFFER_MAX ? RECV_BUFFER_MAX : n < RECV_BUFFER_MIN ?
	    RECV_BUFFER_MIN : n;
}

static size_t
transfer_on_body(char *p, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	curl_off_t cl = -1;
	size_t len = size * n;

	if ((int64_t)(t->body.len + len) > t->budget) {
		t->too_large = 1;
		return 0;
	}
	/* Size the buffer once when the length is announced. */
	if (t->body.len == 0 &&
	    curl_easy_getinfo(t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T,
	    &cl) == CURLE_OK && cl > 0 && cl <= t->budget)
		buf_reserve(&t->body, (size_t)cl);
	buf_add(&t->body, p, len);
	return len;
}

static struct curl_slist *
slist_add(struct curl_slist *list, const char *s)
{
	struct curl_slist *l;

	if ((l = curl_slist_append(list, s)) == NULL)
		xalloc_die();
	return l;
}

struct curl_slist *
transfer_headers(const struct config *cfg)
{
	struct curl_slist *list = NULL;
	size_t i;

	for (i = 0; i < cfg->nheaders; i++)
		list = slist_add(list, cfg->headers[i]);
	return list;
}

char **
transfer_header_list(const struct config *cfg, const struct request *req,
    size_t *n)
{
	char **list;
	size_t i, len;

	list = xreallocarray(NULL, cfg->nheaders + req->nhdrs + 1,
	    sizeof(*list));
	*n = 0;
	for (i = 0; i < cfg->nheaders; i++) {
		len = strcspn(cfg->headers[i], ":;");
		/* A spec's header replaces the -H of the same name. */
		if (spec_has_header(req->hdrs, req->nhdrs, cfg->headers[i],
		    len))
			continue;
		list[(*n)++] = cfg->headers[i];
	}
	for (i = 0; i < req->nhdrs; i++)
		list[(*n)++] = req->hdrs[i];
	list[*n] = NULL;
	return list;
}

/* Sets the method and body of one attempt; the handle keeps the last. */
static void
transfer_method(struct transfer *t, const char *method, const char *body,
    size_t len, int run_wide)
{
	CURL *e = t->easy;

	/*
	 * Only the run's own method and body live as long as the handle: a
	 * spec's are freed with their request, and the next one's may get the
	 * same address, so the shortcut is for the run's alone.
	 */
	if (run_wide && t->method == method && t->body_sent == body)
		return;
	t->method = run_wide ? method : NULL;
	t->body_sent = run_wide ? body : NULL;
	/* HTTPGET resets POST and NOBODY from an earlier request. */
	curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, NULL);
	if (strcasecmp(method, "HEAD") == 0) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
		return;
	}
	if (body != NULL) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)len);
	} else if (strcmp(method, "POST") == 0) {
		curl_easy_setopt(e, CURLOPT_POST, 1L);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, 0L);
	}
	/* A body makes libcurl say POST: any other method is named. */
	if (strcmp(method, "POST") != 0 &&
	    (body != NULL || strcmp(method, "GET") != 0))
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
}

/*
 * The credential of one attempt: its own or the run's (request_user),
 * set or cleared on every attempt, as the handle served others before.
 * libcurl sends neither to another host a redirect leads to.
 */
static void
transfer_auth(struct transfer *t, const struct request *req,
    const struct config *cfg)
{
	const char *bearer = request_bearer(req, cfg);

	curl_easy_setopt(t->easy, CURLOPT_USERPWD, request_user(req, cfg));
	curl_easy_setopt(t->easy, CURLOPT_XOAUTH2_BEARER, bearer);
	curl_easy_setopt(t->easy, CURLOPT_HTTPAUTH, bearer != NULL ?
	    (long)CURLAUTH_BEARER : (long)CURLAUTH_BASIC);
}

/*
 * Opens a socket as libcurl would, and notes when the process is out of
 * descriptors: that attempt failed for want of room, not because the
 * server is down, and the scheduler gives it another turn.
 */
static curl_socket_t
transfer_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct transfer *t = arg;
	curl_socket_t fd;

	(void)purpose;
	fd = socket(a->family, a->socktype, a->protocol);
	if (fd == CURL_SOCKET_BAD && (errno == EMFILE || errno == ENFILE))
		t->no_fd = 1;
	return fd;
}

/*
 * The run's proxy, name pinning, TLS identity and cookie options.  While
 * CURLOPT_PROXY is unset, libcurl reads http_proxy, https_proxy, no_proxy
 * and the like itself; a spec's "proxy" is set per request.
 */
static void
transfer_net(struct transfer *t, const struct config *cfg)
{
	CURL *e = t->easy;
	size_t i;

	if (cfg->noproxy != NULL)
		curl_easy_setopt(e, CURLOPT_NOPROXY, cfg->noproxy);
	if (cfg->proxy_user != NULL)
		curl_easy_setopt(e, CURLOPT_PROXYUSERPWD, cfg->proxy_user);
	for (i = 0; i < cfg->nresolve; i++)
		t->resolve = slist_add(t->resolve, cfg->resolve[i]);
	for (i = 0; i < cfg->nconnect_to; i++)
		t->connect_to = slist_add(t->connect_to, cfg->connect_to[i]);
	curl_easy_setopt(e, CURLOPT_RESOLVE, t->resolve);
	curl_easy_setopt(e, CURLOPT_CONNECT_TO, t->connect_to);
	if (cfg->unix_socket != NULL)
		curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, cfg->unix_socket);
	if (cfg->cert != NULL)
		curl_easy_setopt(e, CURLOPT_SSLCERT, cfg->cert);
	if (cfg->cert_password != NULL)
		curl_easy_setopt(e, CURLOPT_KEYPASSWD, cfg->cert_password);
	if (cfg->key != NULL)
		curl_easy_setopt(e, CURLOPT_SSLKEY, cfg->key);
	if (cfg->pinnedpubkey != NULL)
		curl_easy_setopt(e, CURLOPT_PINNEDPUBLICKEY, cfg->pinnedpubkey);
	if (cfg->ip_version != 0)
		curl_easy_setopt(e, CURLOPT_IPRESOLVE, cfg->ip_version == 4 ?
		    (long)CURL_IPRESOLVE_V4 : (long)CURL_IPRESOLVE_V6);
	/* -b DATA: libcurl joins it to the engine's cookies in one header. */
	if (cfg->cookie != NULL)
		curl_easy_setopt(e, CURLOPT_COOKIE, cfg->cookie);
}

void
transfer_share(struct transfer *t, CURLSH *share)
{
	t->share = share;
	curl_easy_setopt(t->easy, CURLOPT_SHARE, share);
	/*
	 * The share holds the cookies, but a handle sends and takes them
	 * only with its engine on, which "" turns on without a file.
	 */
	curl_easy_setopt(t->easy, CURLOPT_COOKIEFILE, "");
}

struct transfer *
transfer_new(const struct config *cfg, struct curl_slist *headers)
{
	struct transfer *t;
	CURL *e;
	char *ua = NULL;

	t = xcalloc(1, sizeof(*t));
	buf_init(&t->body);
	t->max_body = t->budget = cfg->max_body;
	t->headers = headers;
	if ((e = t->easy = curl_easy_init()) == NULL)
		xalloc_die();
	if (cfg->user_agent == NULL)
		ua = xstrdup("gather/" GATHER_VERSION);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, transfer_on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, transfer_socket);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, t);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_BUFFERSIZE,
	    recv_buffer((long)cfg->concurrency));
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	/* "": every encoding libcurl decodes; NULL: no Accept-Encoding. */
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING,
	    cfg->no_compressed ? NULL : "");
	/*
	 * Never cleartext HTTP/2 (h2c): libcurl 7.88 mishandles it (curl
	 * issue 10634), so http:// stays HTTP/1.1.
	 */
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, cfg->http1_1 ?
	    (long)CURL_HTTP_VERSION_1_1 : (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, cfg->max_redirs > 0);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, cfg->max_redirs);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
	    (long)cfg->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)cfg->timeout_ms);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)cfg->max_body);
	curl_easy_setopt(e, CURLOPT_USERAGENT,
	    cfg->user_agent != NULL ? cfg->user_agent : ua);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
	if (cfg->insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (cfg->cacert != NULL)
		curl_easy_setopt(e, CURLOPT_CAINFO, cfg->cacert);
	transfer_net(t, cfg);
	if (cfg->netrc != NETRC_OFF) {
		curl_easy_setopt(e, CURLOPT_NETRC, cfg->netrc == NETRC_REQUIRED ?
		    (long)CURL_NETRC_REQUIRED : (long)CURL_NETRC_OPTIONAL);
		curl_easy_setopt(e, CURLOPT_NETRC_FILE, cfg->netrc_path);
	}
	free(ua);	/* libcurl keeps its own copy of strings. */
	return t;
}

void
transfer_free(struct transfer *t)
{
	if (t == NULL)
		return;
	curl_easy_cleanup(t->easy);
	curl_slist_free_all(t->cond);
	curl_slist_free_all(t->resolve);
	curl_slist_free_all(t->connect_to);
	buf_free(&t->body);
	buf_free(&t->lists);
	free(t);
}

/*
 * libcurl before 8.1.0 keeps a pointer to the last header of a handle's
 * previous response, freed with it, and appends a folded first header
 * line of the next response to it (curl issue 11101): a use after free a
 * server can trigger.  Such a libcurl gets a fresh copy of the handle, its
 * options and no state, for each transfer after the first.
 */
static void
transfer_renew(struct transfer *t)
{
	static const unsigned int fixed = 0x080100;
	CURL *dup;

	if (!t->used) {
		t->used = 1;
		return;
	}
	if (curl_version_info(CURLVERSION_NOW)->version_num >= fixed)
		return;
	/* The old request's URL handle is not the copy's to keep. */
	curl_easy_setopt(t->easy, CURLOPT_CURLU, NULL);
	if ((dup = curl_easy_duphandle(t->easy)) == NULL)
		xalloc_die();
	curl_easy_cleanup(t->easy);
	t->easy = dup;
	/*
	 * A copy is made without the share, with cookies of its own: it
	 * must go back to the run's, or it would neither send the cookies
	 * others took nor keep those it takes.
	 */
	if (t->share != NULL)
		curl_easy_setopt(t->easy, CURLOPT_SHARE, t->share);
}

void
transfer_prepare(struct transfer *t, struct request *req,
    const struct config *cfg, int conditional)
{
	const struct entry *e = req->entry;
	const char *body;
	char **list, *h;
	size_t len, n, i;
	int64_t budget;

	if (t->body.cap > BODY_KEEP_MAX)
		buf_free(&t->body);
	buf_reset(&t->body);
	transfer_renew(t);
	t->req = req;
	t->too_large = 0;
	/* The pages of one input share --max-body. */
	budget = req->pager != NULL ? pager_budget(req->pager) : t->max_body;
	if (budget != t->budget) {
		t->budget = budget;
		curl_easy_setopt(t->easy, CURLOPT_MAXFILESIZE_LARGE,
		    (curl_off_t)budget);
	}
	t->no_fd = 0;
	t->errbuf[0] = '\0';
	curl_slist_free_all(t->cond);
	t->cond = NULL;
	/*
	 * The transfer fetches the very handle the URL was checked, keyed and
	 * shown from.  Its text is set too, which it is made of: libcurl
	 * before 8.12 (curl issue 15984) keeps the URL of a handle's previous
	 * transfer as its working URL otherwise.
	 */
	curl_easy_setopt(t->easy, CURLOPT_URL, req->norm_url);
	curl_easy_setopt(t->easy, CURLOPT_CURLU, req->cu);
	/*
	 * Wait for a connection that may multiplex only where HTTP/2 is
	 * possible: over plain http it would queue requests behind a slow one.
	 */
	curl_easy_setopt(t->easy, CURLOPT_PIPEWAIT,
	    (long)(url_https(req->cu) && !cfg->http1_1));
	/* A spec's proxy, else the run's; NULL: libcurl asks the environment. */
	curl_easy_setopt(t->easy, CURLOPT_PROXY,
	    req->proxy != NULL ? req->proxy : cfg->proxy);
	/* A handle from the pool keeps the last request's: set it each time. */
	curl_easy_setopt(t->easy, CURLOPT_TIMEOUT_MS,
	    (long)request_timeout(req, cfg));
	transfer_auth(t, req, cfg);
	body = request_body(req, cfg, &len);
	transfer_method(t, request_method(req, cfg), body, len,
	    req->method == NULL && req->body == NULL);
	conditional = conditional && e != NULL &&
	    (e->etag != NULL || e->last_modified != NULL);
	if (!conditional && req->nhdrs == 0 && req->idem_key == NULL) {
		curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
		return;
	}
	/* This request's own list: the run's, a spec's, its key, validators. */
	list = transfer_header_list(cfg, req, &n);
	for (i = 0; i < n; i++)
		t->cond = slist_add(t->cond, list[i]);
	free(list);
	if (req->idem_key != NULL) {
		h = xasprintf(IDEM_HEADER ": %s", req->idem_key);
		t->cond = slist_add(t->cond, h);
		free(h);
	}
	if (conditional && e->etag != NULL) {
		h = xasprintf("If-None-Match: %s", e->etag);
		t->cond = slist_add(t->cond, h);
		free(h);
	}
	if (conditional && e->last_modified != NULL) {
		h = xasprintf("If-Modified-Since: %s", e->last_modified);
		t->cond = slist_add(t->cond, h);
		free(h);
	}
	curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->cond);
}

/* The Retry-After of the last response in ms, or -1 when none is valid. */
static int64_t
transfer_retry_after(CURL *e)
{
	struct curl_header *h;

	if (curl_easy_header(e, "Retry-After", 0, CURLH_HEADER, -1, &h) !=
	    CURLHE_OK)
		return -1;
	return retry_after_parse(h->value, time(NULL));
}

const char *
transfer_header(struct transfer *t, const char *name)
{
	struct curl_header *h;

	if (curl_easy_header(t->easy, name, 0, CURLH_HEADER, -1, &h) !=
	    CURLHE_OK)
		return NULL;
	return h->value;
}

char *
transfer_header_all(struct transfer *t, const char *name)
{
	struct curl_header *h;
	struct buf b;
	size_t k, amount = 1;

	buf_init(&b);
	for (k = 0; k < amount; k++) {
		if (curl_easy_header(t->easy, name, k, CURLH_HEADER, -1, &h) !=
		    CURLHE_OK)
			break;
		amount = h->amount;
		if (k > 0)
			buf_adds(&b, ", ");
		buf_adds(&b, h->value);
	}
	return b.data;	/* NULL when there was none */
}

void
transfer_headers_json(struct transfer *t, const struct config *cfg,
    struct buf *b)
{
	struct curl_header *h, *prev = NULL, *same;
	char name[256];
	size_t i, k, n = 0;

	buf_addc(b, '{');
	while ((h = curl_easy_nextheader(t->easy, CURLH_HEADER, -1, prev)) !=
	    NULL) {
		prev = h;
		/* A name that comes again was written with its first one. */
		if (h->index > 0)
			continue;
		for (i = 0; h->name[i] != '\0' && i < sizeof(name) - 1; i++)
			name[i] = (char)tolower((unsigned char)h->name[i]);
		name[i] = '\0';
		if (n++ > 0)
			buf_addc(b, ',');
		json_strz(b, name);
		buf_addc(b, ':');
		if (creds_secret_header(cfg, name, i)) {
			json_strz(b, "***");
			continue;
		}
		if (h->amount == 1) {
			json_strz(b, h->value);
			continue;
		}
		/* Repeated headers join as one value, as HTTP allows. */
		buf_addc(b, '"');
		for (k = 0; k < h->amount; k++)
			if (curl_easy_header(t->easy, h->name, k, CURLH_HEADER,
			    -1, &same) == CURLHE_OK) {
				struct buf v;

				buf_init(&v);
				if (k > 0)
					buf_adds(b, ", ");
				json_strz(&v, same->value);
				buf_add(b, v.data + 1, v.len - 2);
				buf_free(&v);
			}
		buf_addc(b, '"');
	}
	buf_addc(b, '}');
}

/* libcurl's time of step info in ms, from the attempt's start. */
static double
transfer_time(CURL *e, CURLINFO info)
{
	curl_off_t us = 0;

	if (curl_easy_getinfo(e, info, &us) != CURLE_OK || us < 0)
		return 0;
	return (double)us / 1000.0;
}

void
transfer_timings(struct transfer *t, struct timings *tm)
{
	CURL *e = t->easy;
	long connects = 0;
	char *ip = NULL;

	tm->dns = transfer_time(e, CURLINFO_NAMELOOKUP_TIME_T);
	tm->connect = transfer_time(e, CURLINFO_CONNECT_TIME_T);
	tm->tls = transfer_time(e, CURLINFO_APPCONNECT_TIME_T);
	tm->ttfb = transfer_time(e, CURLINFO_STARTTRANSFER_TIME_T);
	tm->total = transfer_time(e, CURLINFO_TOTAL_TIME_T);
	/*
	 * A step that was not needed ended with the one before: no connect
	 * on a connection an earlier request made (libcurl says 0 while it
	 * still times the name lookup), no handshake without TLS.
	 */
	if (tm->ttfb > 0 && tm->connect < tm->dns)
		tm->connect = tm->dns;
	if (tm->tls < tm->connect)
		tm->tls = tm->connect;
	tm->http_version = 0;
	curl_easy_getinfo(e, CURLINFO_HTTP_VERSION, &tm->http_version);
	curl_easy_getinfo(e, CURLINFO_PRIMARY_IP, &ip);
	tm->remote_ip = ip != NULL && *ip != '\0' ? ip : NULL;
	curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &connects);
	/* No new connection, yet a response: it came on an open one. */
	tm->conn_reused = connects == 0 && tm->http_version != 0;
}

void
transfer_result(struct transfer *t, CURLcode code, const struct okset *ok,
    struct result *r)
{
	char *ct = NULL;
	long status = 0;

	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &ct);
	r->redirects = 0;
	r->effective_url = NULL;
	if (curl_easy_getinfo(t->easy, CURLINFO_REDIRECT_COUNT,
	    &r->redirects) != CURLE_OK || r->redirects < 0)
		r->redirects = 0;
	if (r->redirects > 0)
		curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL,
		    &r->effective_url);
	r->status = status;
	r->content_type = ct;
	r->err = ERR_NONE;
	r->err_msg = NULL;
	r->curl_code = 0;
	r->ok = 0;
	r->has_body = 0;
	r->retry_after_ms = -1;
	r->retry_after_s = 0;
	if (t->too_large || code == CURLE_FILESIZE_EXCEEDED) {
		r->err = ERR_TOO_LARGE;
		r->curl_code = code;
		snprintf(t->msg, sizeof(t->msg), "%s larger than --max-body "
		    "(%lld bytes)", t->budget < t->max_body ? "the pages' "
		    "bodies are" : "response body", (long long)t->max_body);
		r->err_msg = t->msg;
		return;
	}
	if (code != CURLE_OK) {
		r->curl_code = code;
		r->err_msg = t->errbuf[0] != '\0' ? t->errbuf :
		    curl_easy_strerror(code);
		if (t->no_fd)
			r->err_msg = "no file descriptor left for a socket";
		r->err = err_kind_from_curl(code, r->err_msg);
		/* A transfer cut short keeps no partial body. */
		r->status = 0;
		return;
	}
	r->has_body = 1;
	r->retry_after_ms = transfer_retry_after(t->easy);
	r->body = t->body.data != NULL ? t->body.data : t->errbuf;
	r->body_len = t->body.len;
	if (!okset_has(ok, status)) {
		r->err = ERR_HTTP;
		snprintf(t->msg, sizeof(t->msg), "HTTP %ld", status);
		r->err_msg = t->msg;
		return;
	}
	r->ok = 1;
}

/*
 * Appends every value of the list header name joined with ", ", and a NUL,
 * to t->lists.  Returns where it starts, or -1 when there is none.
 */
static long
transfer_join(struct transfer *t, const char *name)
{
	struct curl_header *h;
	size_t k, n;
	long off = (long)t->lists.len;

	if (curl_easy_header(t->easy, name, 0, CURLH_HEADER, -1, &h) !=
	    CURLHE_OK)
		return -1;
	n = h->amount;
	for (k = 0; k < n; k++) {
		if (curl_easy_header(t->easy, name, k, CURLH_HEADER, -1, &h) !=
		    CURLHE_OK)
			break;
		if (k > 0)
			buf_adds(&t->lists, ", ");
		buf_adds(&t->lists, h->value);
	}
	buf_addc(&t->lists, '\0');
	return off;
}

void
transfer_cache_headers(struct transfer *t, struct result *r)
{
	long cc, vary, link;

	buf_reset(&t->lists);
	cc = transfer_join(t, "Cache-Control");
	vary = transfer_join(t, "Vary");
	link = transfer_join(t, "Link");
	/* Pointers only now: the joins may have moved the buffer. */
	r->resp.cache_control = cc >= 0 ? t->lists.data + cc : NULL;
	r->resp.vary = vary >= 0 ? t->lists.data + vary : NULL;
	r->resp.link = link >= 0 ? t->lists.data + link : NULL;
	r->resp.etag = transfer_header(t, "ETag");
	r->resp.last_modified = transfer_header(t, "Last-Modified");
	r->resp.expires = transfer_header(t, "Expires");
	r->resp.date = transfer_header(t, "Date");
	r->resp.age = transfer_header(t, "Age");
}
