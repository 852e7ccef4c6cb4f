/*
 * One connection to Redis, driven by the scheduler's event loop: hiredis's
 * asynchronous context with an adapter of our own that only records which
 * events the context wants, so that the scheduler's curl_multi_poll can
 * watch its descriptor (redis_waitfd) and then let it read and write
 * (redis_service).  Commands are pipelined: each is written as soon as the
 * socket takes it, and its reply comes to its callback in order.  A reply
 * that does not come within the timeout, a closed connection, a wrong
 * password or a server that does not speak Redis all end the connection
 * for the rest of the run: every pending callback then gets NULL, and
 * redis_warning says why, once.  It never reconnects.
 *
 * Also the synchronous side, for what must happen before or after the
 * loop: the fleet lock (--lock redis:NAME).
 */
#ifndef GATHER_REDIS_H
#define GATHER_REDIS_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>
#include <hiredis/hiredis.h>

/* Where Redis is: a TCP host and port, or a Unix socket path. */
struct redis_addr {
	char	*host;		/* owned; NULL for a socket */
	int	 port;
	char	*path;		/* owned; a Unix socket, or NULL */
	char	*user;		/* owned; NULL: AUTH with the password only */
	char	*password;	/* owned; NULL: no AUTH */
	long	 db;		/* SELECT db when > 0 */
	char	*shown;		/* owned; the URL without its password */
};

/*
 * Parses redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] or unix:///PATH with
 * libcurl's URL API into a.  Returns 0, or -1 with an allocated reason in
 * *err (which never holds the password).
 */
int	redis_addr_parse(const char *, struct redis_addr *, char **);
void	redis_addr_clear(struct redis_addr *);

/* A reply, or NULL: no reply (the connection ended or timed out). */
typedef void (*redis_fn)(void *, const redisReply *);

struct redis;

/*
 * Starts connecting to a; commands may be sent at once.  Never NULL: a
 * connection that failed at once is down, and says so in redis_warning.
 */
struct redis	*redis_new(const struct redis_addr *, int64_t);

/* Ends the connection: pending callbacks get NULL. */
void		 redis_free(struct redis *);

/* 1 while commands may be sent. */
int		 redis_up(const struct redis *);

/*
 * Sends a command (argc words, each of its length); fn gets its reply
 * later, never during the call.  Returns 0, or -1 when Redis is down (fn
 * is not called).
 */
int		 redis_cmd(struct redis *, redis_fn, void *, int,
		    const char **, const size_t *);

/*
 * Runs a Lua script by its SHA-1 (EVALSHA), sending its body (EVAL) when
 * Redis does not know it yet.  argv holds the keys, then the arguments.
 * Returns as redis_cmd.
 */
int		 redis_script(struct redis *, const char *, redis_fn, void *,
		    int, int, const char **, const size_t *);

/*
 * Fills w with the descriptor and events to watch; returns 0 when there
 * is nothing to watch.
 */
int		 redis_waitfd(const struct redis *, struct curl_waitfd *);

/*
 * After the scheduler's poll: reads and writes what the socket takes now
 * (it looks for itself, with a poll that does not wait, rather than trust
 * what curl_multi_poll reports of an extra descriptor), and ends the
 * connection when a reply is overdue at now (monotonic ms).
 */
void		 redis_service(struct redis *, double);

/*
 * Waits (blocking, each reply at most the timeout) until every pending
 * reply is in: the writes at the end of a run.
 */
void		 redis_drain(struct redis *);

/* When the oldest pending reply is overdue (monotonic ms); 0: none. */
double		 redis_deadline(const struct redis *);

/* Why Redis went down, once (allocated), or NULL. */
char		*redis_warning(struct redis *);

/*
 * The fleet lock: SET key token NX PX ttl, tried every 50 ms until it is
 * taken or wait ms have passed (or *stop is set).  Returns 1 when taken,
 * 0 when another holds it, -1 when Redis failed (an allocated reason in
 * *err).
 */
int		 redis_lock_take(const struct redis_addr *, int64_t,
		    const char *, const char *, int64_t, int64_t,
		    volatile sig_atomic_t *, char **);

/* Deletes key if it still holds token. */
void		 redis_lock_release(const struct redis_addr *, int64_t,
		    const char *, const char *);

/* The scripts: a compare-and-delete and a compare-and-PEXPIRE. */
extern const char redis_release_lua[];
extern const char redis_renew_lua[];

/* Fills a token of 32 random hex digits (arc4random) and a NUL. */
void		 redis_token(char [33]);

#endif
