/*
 * The Redis connection: an address parsed with libcurl's URL API, an
 * asynchronous hiredis context whose events the scheduler's poll watches,
 * and a synchronous context for the fleet lock before and after the run.
 * It knows nothing of entries, locks per key or rates: store_redis.c says
 * what to send.  It never prints: what went wrong waits in redis_warning.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/async.h>
#include <sha1.h>

#include "redis.h"
#include "xalloc.h"

struct redis {
	redisAsyncContext	*ac;		/* NULL once down */
	int			 rd, wr;	/* the events the context wants */
	int			 down;
	char			*why;		/* why it went down, until taken */
	char			*shown;		/* the URL without its password */
	int64_t			 timeout_ms;
	double			*sent;		/* send times of pending replies */
	size_t			 head, n, cap;
};

/* One command's callback, and a script's words for a resend as EVAL. */
struct call {
	struct redis	*r;
	redis_fn	 fn;
	void		*arg;
	const char	*lua;	/* set: an EVALSHA of this script */
	int		 argc;
	char		**argv;
	size_t		*lens;
};

const char redis_release_lua[] =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then "
    "return redis.call('DEL', KEYS[1]) end return 0";
const char redis_renew_lua[] =
    "if redis.call('GET', KEYS[1]) == ARGV[1] then "
    "return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";

static double
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

void
redis_token(char tok[33])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	size_t i;

	arc4random_buf(b, sizeof(b));
	for (i = 0; i < sizeof(b); i++) {
		tok[2 * i] = hex[b[i] >> 4];
		tok[2 * i + 1] = hex[b[i] & 15];
	}
	tok[32] = '\0';
}

void
redis_addr_clear(struct redis_addr *a)
{
	free(a->host);
	free(a->path);
	free(a->user);
	if (a->password != NULL)
		explicit_bzero(a->password, strlen(a->password));
	free(a->password);
	free(a->shown);
	memset(a, 0, sizeof(*a));
}

/* A part of u, decoded, or NULL. */
static char *
url_part(CURLU *u, CURLUPart what)
{
	char *v, *s;

	if (curl_url_get(u, what, &v, CURLU_URLDECODE) != CURLUE_OK)
		return NULL;
	s = xstrdup(v);
	curl_free(v);
	return s;
}

/* The /DB of a redis:// URL: 0 to 1000000; "" and "/" are 0. */
static int
addr_db(CURLU *u, struct redis_addr *a)
{
	const char *err;
	char *path;
	int rc = 0;

	if ((path = url_part(u, CURLUPART_PATH)) == NULL)
		return 0;
	if (path[0] == '/' && path[1] != '\0') {
		a->db = (long)strtonum(path + 1, 0, 1000000, &err);
		rc = err != NULL ? -1 : 0;
	}
	free(path);
	return rc;
}

int
redis_addr_parse(const char *url, struct redis_addr *a, char **err)
{
	CURLU *u;
	char *scheme = NULL, *port = NULL;
	const char *e;
	int rc = -1;

	memset(a, 0, sizeof(*a));
	/*
	 * unix:///PATH has no host, which libcurl's parser only allows for
	 * file://: the path is all that follows the scheme.
	 */
	if (strncmp(url, "unix://", 7) == 0) {
		if (url[7] != '/' || url[8] == '\0') {
			*err = xstrdup("unix:///PATH: want an absolute path");
			return -1;
		}
		a->path = xstrdup(url + 7);
		a->shown = xasprintf("unix://%s", a->path);
		return 0;
	}
	if ((u = curl_url()) == NULL)
		return *err = xstrdup("out of memory"), -1;
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) !=
		CURLUE_OK ||
	    (scheme = url_part(u, CURLUPART_SCHEME)) == NULL) {
		*err = xstrdup("want redis://[[USER]:PASSWORD@]HOST[:PORT]"
			       "[/DB] or unix:///PATH");
		goto out;
	}
	a->user = url_part(u, CURLUPART_USER);
	a->password = url_part(u, CURLUPART_PASSWORD);
	if (a->user != NULL && a->user[0] == '\0') {
		free(a->user);
		a->user = NULL;
	}
	if (strcmp(scheme, "redis") == 0) {
		a->host = url_part(u, CURLUPART_HOST);
		/* An IPv6 address, for getaddrinfo: without its brackets. */
		if (a->host != NULL && a->host[0] == '[') {
			memmove(a->host, a->host + 1, strlen(a->host));
			a->host[strcspn(a->host, "]")] = '\0';
		}
		port = url_part(u, CURLUPART_PORT);
		a->port = 6379;
		if (port != NULL) {
			a->port = (int)strtonum(port, 1, 65535, &e);
			if (e != NULL) {
				*err = xasprintf("port %s", e);
				goto out;
			}
		}
		if (addr_db(u, a) == -1) {
			*err = xstrdup("/DB: want a number from 0 to 1000000");
			goto out;
		}
		a->shown = xasprintf("redis://%s%s%s:%d/%ld",
		    strchr(a->host, ':') ? "[" : "", a->host,
		    strchr(a->host, ':') ? "]" : "", a->port, a->db);
	} else {
		*err = xasprintf("%s: not redis:// or unix://", scheme);
		goto out;
	}
	rc = 0;
out:
	free(scheme);
	free(port);
	curl_url_cleanup(u);
	if (rc == -1)
		redis_addr_clear(a);
	return rc;
}

/* The adapter: the context says what it wants; the scheduler polls. */
static void
ev_add_read(void *p)
{
	((struct redis *)p)->rd = 1;
}

static void
ev_del_read(void *p)
{
	((struct redis *)p)->rd = 0;
}

static void
ev_add_write(void *p)
{
	((struct redis *)p)->wr = 1;
}

static void
ev_del_write(void *p)
{
	((struct redis *)p)->wr = 0;
}

static void
ev_cleanup(void *p)
{
	struct redis *r = p;

	r->rd = r->wr = 0;
}

/* Marks r down with a reason (the first one counts). */
static void
redis_down(struct redis *r, const char *why)
{
	if (r->down)
		return;
	r->down = 1;
	r->why = xasprintf(
	    "Redis at %s: %s; the run goes on without it", r->shown, why);
}

/* Ends the context from our side: pending callbacks get NULL. */
static void
redis_close(struct redis *r, const char *why)
{
	redisAsyncContext *ac = r->ac;

	redis_down(r, why);
	r->ac = NULL;
	r->rd = r->wr = 0;
	if (ac != NULL)
		redisAsyncFree(ac);
}

static void
on_connect(const redisAsyncContext *ac, int status)
{
	struct redis *r = ac->data;

	if (status != REDIS_OK) {
		redis_down(
		    r, ac->errstr[0] != '\0' ? ac->errstr : "cannot connect");
		r->ac = NULL;
		r->rd = r->wr = 0;
	}
}

static void
on_disconnect(const redisAsyncContext *ac, int status)
{
	struct redis *r = ac->data;

	(void)status;
	redis_down(r, ac->err ? ac->errstr : "the connection ended");
	r->ac = NULL;
	r->rd = r->wr = 0;
}

static void
fifo_push(struct redis *r, double t)
{
	size_t i;
	double *n;

	if (r->n == r->cap) {
		n = xreallocarray(NULL, r->cap ? 2 * r->cap : 64, sizeof(*n));
		for (i = 0; i < r->n; i++)
			n[i] = r->sent[(r->head + i) % r->cap];
		free(r->sent);
		r->sent = n;
		r->head = 0;
		r->cap = r->cap ? 2 * r->cap : 64;
	}
	r->sent[(r->head + r->n++) % r->cap] = t;
}

static void
fifo_pop(struct redis *r)
{
	if (r->n == 0)
		return;
	r->head = (r->head + 1) % r->cap;
	r->n--;
}

static void
call_free(struct call *c)
{
	int i;

	for (i = 0; i < c->argc; i++)
		free(c->argv[i]);
	free(c->argv);
	free(c->lens);
	free(c);
}

static int send_call(
    struct redis *, struct call *, int, const char **, const size_t *);

/* A script Redis does not know yet: send it whole (EVAL) instead. */
static int
resend_eval(struct redis *r, struct call *c)
{
	const char **argv = (const char **)c->argv;

	free(c->argv[0]);
	c->argv[0] = xstrdup("EVAL");
	c->lens[0] = 4;
	free(c->argv[1]);
	c->argv[1] = xstrdup(c->lua);
	c->lens[1] = strlen(c->lua);
	c->lua = NULL;
	return send_call(r, c, c->argc, argv, c->lens);
}

static void
on_reply(redisAsyncContext *ac, void *reply, void *priv)
{
	struct call *c = priv;
	struct redis *r = c->r;
	const redisReply *rep = reply;

	fifo_pop(r);
	if (rep == NULL) {
		redis_down(r, ac->err ? ac->errstr : "no reply");
		r->ac = NULL;
		r->rd = r->wr = 0;
	} else if (c->lua != NULL && rep->type == REDIS_REPLY_ERROR &&
	    strncmp(rep->str, "NOSCRIPT", 8) == 0 && resend_eval(r, c) == 0)
		return;
	c->fn(c->arg, rep);
	call_free(c);
}

static int
send_call(struct redis *r, struct call *c, int argc, const char **argv,
    const size_t *lens)
{
	if (r->down || r->ac == NULL)
		return -1;
	if (redisAsyncCommandArgv(r->ac, on_reply, c, argc, argv, lens) !=
	    REDIS_OK)
		return -1;
	fifo_push(r, mono_ms());
	return 0;
}

int
redis_cmd(struct redis *r, redis_fn fn, void *arg, int argc, const char **argv,
    const size_t *lens)
{
	struct call *c;

	c = xcalloc(1, sizeof(*c));
	c->r = r;
	c->fn = fn;
	c->arg = arg;
	if (send_call(r, c, argc, argv, lens) == -1) {
		free(c);
		return -1;
	}
	return 0;
}

int
redis_script(struct redis *r, const char *lua, redis_fn fn, void *arg,
    int nkeys, int argc, const char **argv, const size_t *lens)
{
	char sha[SHA1_DIGEST_STRING_LENGTH], nk[16];
	struct call *c;
	int i, n = argc + 3;

	SHA1Data((const uint8_t *)lua, strlen(lua), sha);
	snprintf(nk, sizeof(nk), "%d", nkeys);
	c = xcalloc(1, sizeof(*c));
	c->r = r;
	c->fn = fn;
	c->arg = arg;
	c->lua = lua;
	c->argc = n;
	c->argv = xreallocarray(NULL, (size_t)n, sizeof(*c->argv));
	c->lens = xreallocarray(NULL, (size_t)n, sizeof(*c->lens));
	c->argv[0] = xstrdup("EVALSHA");
	c->argv[1] = xstrdup(sha);
	c->argv[2] = xstrdup(nk);
	for (i = 0; i < argc; i++) {
		c->argv[3 + i] = xmalloc(lens[i] + 1);
		memcpy(c->argv[3 + i], argv[i], lens[i]);
		c->argv[3 + i][lens[i]] = '\0';
		c->lens[3 + i] = lens[i];
	}
	for (i = 0; i < 3; i++)
		c->lens[i] = strlen(c->argv[i]);
	if (send_call(r, c, n, (const char **)c->argv, c->lens) == -1) {
		call_free(c);
		return -1;
	}
	return 0;
}

/* The first replies: AUTH, SELECT and PING must all say yes. */
static void
on_hello(void *arg, const redisReply *rep)
{
	struct redis *r = arg;
	char why[256];

	if (rep == NULL || rep->type != REDIS_REPLY_ERROR)
		return;
	snprintf(why, sizeof(why), "%s", rep->str);
	redis_close(r, why);
}

static void
redis_hello(struct redis *r, const struct redis_addr *a)
{
	const char *argv[3];
	size_t lens[3];
	char db[24];
	int n = 0;

	if (a->password != NULL) {
		argv[n++] = "AUTH";
		if (a->user != NULL)
			argv[n++] = a->user;
		argv[n++] = a->password;
		for (int i = 0; i < n; i++)
			lens[i] = strlen(argv[i]);
		redis_cmd(r, on_hello, r, n, argv, lens);
	}
	if (a->db > 0) {
		snprintf(db, sizeof(db), "%ld", a->db);
		argv[0] = "SELECT";
		argv[1] = db;
		lens[0] = 6;
		lens[1] = strlen(db);
		redis_cmd(r, on_hello, r, 2, argv, lens);
	}
	argv[0] = "PING";
	lens[0] = 4;
	redis_cmd(r, on_hello, r, 1, argv, lens);
}

struct redis *
redis_new(const struct redis_addr *a, int64_t timeout_ms)
{
	struct redis *r;

	r = xcalloc(1, sizeof(*r));
	r->shown = xstrdup(a->shown);
	r->timeout_ms = timeout_ms;
	r->ac = a->path != NULL ? redisAsyncConnectUnix(a->path)
				: redisAsyncConnect(a->host, a->port);
	if (r->ac == NULL) {
		redis_down(r, "cannot connect");
		return r;
	}
	if (r->ac->err) {
		redis_down(r, r->ac->errstr);
		redisAsyncFree(r->ac);
		r->ac = NULL;
		return r;
	}
	r->ac->data = r;
	r->ac->ev.data = r;
	r->ac->ev.addRead = ev_add_read;
	r->ac->ev.delRead = ev_del_read;
	r->ac->ev.addWrite = ev_add_write;
	r->ac->ev.delWrite = ev_del_write;
	r->ac->ev.cleanup = ev_cleanup;
	redisAsyncSetConnectCallback(r->ac, on_connect);
	redisAsyncSetDisconnectCallback(r->ac, on_disconnect);
	redis_hello(r, a);
	return r;
}

void
redis_free(struct redis *r)
{
	if (r == NULL)
		return;
	redis_close(r, "closed");
	free(r->why);
	free(r->shown);
	free(r->sent);
	free(r);
}

int
redis_up(const struct redis *r)
{
	return r != NULL && !r->down && r->ac != NULL;
}

int
redis_waitfd(const struct redis *r, struct curl_waitfd *w)
{
	if (!redis_up(r) || (!r->rd && !r->wr))
		return 0;
	w->fd = r->ac->c.fd;
	w->events = (short)((r->rd ? CURL_WAIT_POLLIN : 0) |
	    (r->wr ? CURL_WAIT_POLLOUT : 0));
	w->revents = 0;
	return 1;
}

double
redis_deadline(const struct redis *r)
{
	if (!redis_up(r) || r->n == 0)
		return 0;
	return r->sent[r->head] + (double)r->timeout_ms;
}

void
redis_service(struct redis *r, double now)
{
	struct pollfd p;
	char why[64];

	/* Our own look, whatever the multi poll reported for the fd. */
	if (redis_up(r) && (r->rd || r->wr)) {
		p.fd = r->ac->c.fd;
		p.events =
		    (short)((r->rd ? POLLIN : 0) | (r->wr ? POLLOUT : 0));
		p.revents = 0;
		if (poll(&p, 1, 0) > 0) {
			if (p.revents & (POLLIN | POLLERR | POLLHUP) && r->rd)
				redisAsyncHandleRead(r->ac);
			if (redis_up(r) && r->wr &&
			    (p.revents & (POLLOUT | POLLERR | POLLHUP)))
				redisAsyncHandleWrite(r->ac);
		}
	}
	if (redis_up(r) && r->n > 0 && now >= redis_deadline(r)) {
		snprintf(why, sizeof(why), "no reply within %lld ms",
		    (long long)r->timeout_ms);
		redis_close(r, why);
	}
}

char *
redis_warning(struct redis *r)
{
	char *w;

	if (r == NULL)
		return NULL;
	w = r->why;
	r->why = NULL;
	return w;
}

/* A synchronous context, AUTH and SELECT done; NULL with *err. */
static redisContext *
sync_connect(const struct redis_addr *a, int64_t timeout_ms, char **err)
{
	struct timeval tv;
	redisContext *c;
	redisReply *rep = NULL;

	tv.tv_sec = (time_t)(timeout_ms / 1000);
	tv.tv_usec = (suseconds_t)(timeout_ms % 1000) * 1000;
	c = a->path != NULL ? redisConnectUnixWithTimeout(a->path, tv)
			    : redisConnectWithTimeout(a->host, a->port, tv);
	if (c == NULL || c->err) {
		*err = xasprintf("Redis at %s: %s", a->shown,
		    c != NULL ? c->errstr : "cannot connect");
		redisFree(c);
		return NULL;
	}
	redisSetTimeout(c, tv);
	if (a->password != NULL)
		rep = a->user != NULL
		    ? redisCommand(c, "AUTH %s %s", a->user, a->password)
		    : redisCommand(c, "AUTH %s", a->password);
	if (rep == NULL || rep->type != REDIS_REPLY_ERROR) {
		freeReplyObject(rep);
		rep = a->db > 0 ? redisCommand(c, "SELECT %ld", a->db)
				: redisCommand(c, "PING");
	}
	if (rep == NULL || rep->type == REDIS_REPLY_ERROR) {
		*err = xasprintf("Redis at %s: %s", a->shown,
		    rep != NULL		       ? rep->str
			: c->errstr[0] != '\0' ? c->errstr
					       : "no reply");
		freeReplyObject(rep);
		redisFree(c);
		return NULL;
	}
	freeReplyObject(rep);
	return c;
}

int
redis_lock_take(const struct redis_addr *a, int64_t timeout_ms, const char *key,
    const char *token, int64_t ttl_ms, int64_t wait_ms,
    volatile sig_atomic_t *stop, char **err)
{
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	double until = mono_ms() + (double)wait_ms;
	redisContext *c;
	redisReply *rep;
	int rc = -1;

	if ((c = sync_connect(a, timeout_ms, err)) == NULL)
		return -1;
	for (;;) {
		rep = redisCommand(
		    c, "SET %s %s NX PX %lld", key, token, (long long)ttl_ms);
		if (rep == NULL || rep->type == REDIS_REPLY_ERROR) {
			*err = xasprintf("Redis at %s: %s", a->shown,
			    rep != NULL ? rep->str : c->errstr);
			break;
		}
		rc = rep->type == REDIS_REPLY_STATUS;
		freeReplyObject(rep);
		rep = NULL;
		if (rc == 1 || mono_ms() >= until || *stop)
			break;
		nanosleep(&nap, NULL);
	}
	freeReplyObject(rep);
	redisFree(c);
	return rc;
}

void
redis_lock_release(const struct redis_addr *a, int64_t timeout_ms,
    const char *key, const char *token)
{
	redisContext *c;
	char *err = NULL;

	if ((c = sync_connect(a, timeout_ms, &err)) == NULL) {
		free(err);
		return;
	}
	freeReplyObject(
	    redisCommand(c, "EVAL %s 1 %s %s", redis_release_lua, key, token));
	redisFree(c);
}

void
redis_drain(struct redis *r)
{
	struct pollfd p;
	double wait;

	while (redis_up(r) && r->n > 0) {
		p.fd = r->ac->c.fd;
		p.events =
		    (short)((r->rd ? POLLIN : 0) | (r->wr ? POLLOUT : 0));
		wait = redis_deadline(r) - mono_ms();
		if (poll(&p, 1, wait > 0 ? (int)wait + 1 : 0) == -1 &&
		    errno != EINTR)
			break;
		redis_service(r, mono_ms());
	}
}
