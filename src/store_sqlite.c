/*
 * The SQLite backend of the store: DIR/cache.db in WAL mode, so that any
 * number of runs read at once while one writes, and a run killed at any
 * moment leaves whole rows or none.  A row keeps each field of an entry in
 * its own column (what SQL asks for -- key, URL, stored time, expiry,
 * size -- is indexed) and the CRC-32 of the entry's codec encoding, which
 * every read checks along with the codec's field checks: a row changed
 * behind SQLite's back is a miss, never served.
 *
 * Writes are queued in memory and written in one transaction at most
 * every 50 ms or 1,000 entries (or 8 MiB), and at the end; the write lock
 * is held only while a batch is written.  A database that is not a
 * regular file of ours (a link, a FIFO, a folder, another user's), or
 * from a newer gather, is refused with a reason and left alone; one that
 * is damaged is moved aside (cache.db.corrupt-TIME) and made anew.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"
#include "store_sql.h"
#include "xalloc.h"

#define BATCH_MAX	1000		/* entries per transaction */
#define WALK_BATCH	20000		/* removals per walk transaction */
#define WALK_CACHE	"-32768"	/* a walk's page cache: 32 MiB */
#define BATCH_BYTES	(8u << 20)	/* bytes queued before a write */
#define BATCH_MS	50		/* at most one commit this often */
#define BUSY_MS		2000		/* the longest wait for a lock */
#define WALK_CHUNK	256		/* rows read per walk statement */
#define ROW_OVERHEAD	64		/* key, numbers, index entries */

static const char db_name[] = "cache.db";

/* A queued write: a put (entry owned) or a remove (only the key). */
struct op {
	int		remove;
	struct entry	e;
};

struct sq {
	sqlite3		*db;
	sqlite3_stmt	*stmt[SQ_NSTMT];
	int		 dirfd;		/* the cache folder */
	char		*dir;		/* its real path */
	char		*path;		/* dir/cache.db */
	int		 batching;
	size_t		 batch_max;	/* BATCH_MAX, or WALK_BATCH */
	int		 reading;	/* a read transaction is open */
	int64_t		 read_since;	/* monotonic ms it began */
	struct op	*q;
	size_t		 nq, capq, qbytes;
	int64_t		 last_commit;	/* monotonic ms */
	char		*note;		/* a warning not yet taken */
	int		 last_errno;	/* errno after the last failed step */
	int		 dead;		/* no usable database any more */
};

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Keeps the first note until it is taken; later ones are dropped. */
static void
sq_note(struct sq *s, char *msg)
{
	if (s->note == NULL)
		s->note = msg;
	else
		free(msg);
}

/*
 * Waits for a lock held by another process in short sleeps (SQLite's own
 * handler sleeps up to 100 ms at a time, which the event loop would feel),
 * for at most BUSY_MS in all.
 */
static int
sq_busy(void *arg, int n)
{
	(void)arg;
	usleep(n < 20 ? 1000 : 5000);
	return (n < 20 ? n : 20 + (n - 20) * 5) < BUSY_MS;
}

static int
is_corrupt(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

/* The reason of the last failure: the system's when it had one. */
static const char *
sq_errstr(struct sq *s, int rc)
{
	int err;

	if ((rc & 0xff) == SQLITE_IOERR || (rc & 0xff) == SQLITE_FULL ||
	    (rc & 0xff) == SQLITE_CANTOPEN) {
		/*
		 * SQLite often loses the system's reason (EFBIG, ENOSPC);
		 * errno right after the failed step still has it.
		 */
		if ((err = sqlite3_system_errno(s->db)) != 0 ||
		    (err = s->last_errno) != 0)
			return strerror(err);
	}
	return s->db != NULL ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc);
}

/* Steps st once, keeping errno when it fails. */
static int
sq_step(struct sq *s, sqlite3_stmt *st)
{
	int rc;

	errno = 0;
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		s->last_errno = errno;
	return rc;
}

static void
sq_finalize(struct sq *s)
{
	size_t i;

	s->reading = 0;
	for (i = 0; i < SQ_NSTMT; i++) {
		sqlite3_finalize(s->stmt[i]);
		s->stmt[i] = NULL;
	}
	sqlite3_close(s->db);
	s->db = NULL;
}

static void
op_clear(struct op *o)
{
	entry_clear(&o->e);
	o->remove = 0;
}

static void
queue_drop(struct sq *s)
{
	size_t i;

	for (i = 0; i < s->nq; i++)
		op_clear(&s->q[i]);
	s->nq = 0;
	s->qbytes = 0;
}

/*
 * Moves a damaged database (and its WAL) aside as cache.db.corrupt-TIME
 * and makes a new one.  Returns 0, or -1 when no new one could be made.
 */
static int
sq_recover(struct sq *s, const char *why)
{
	char aside[64], wal[80];
	char *warn = NULL;
	int rc;

	sq_finalize(s);
	queue_drop(s);
	snprintf(aside, sizeof(aside), "%s.corrupt-%lld", db_name,
	    (long long)time(NULL));
	snprintf(wal, sizeof(wal), "%s-wal", aside);
	if (renameat(s->dirfd, db_name, s->dirfd, aside) == -1) {
		s->dead = 1;
		sq_note(s, xasprintf("cache database %s is damaged (%s) and "
		    "cannot be moved aside: %s; running without the cache",
		    s->path, why, strerror(errno)));
		return -1;
	}
	renameat(s->dirfd, "cache.db-wal", s->dirfd, wal);
	unlinkat(s->dirfd, "cache.db-shm", 0);
	if ((rc = sq_open_db(s->dirfd, s->path, &s->db, s->stmt, &warn)) !=
	    0) {
		s->dead = 1;
		sq_note(s, xasprintf("cache database %s was damaged (%s) and "
		    "moved aside to %s; a new one cannot be made: %s", s->path,
		    why, aside, warn));
		free(warn);
		return -1;
	}
	sqlite3_busy_handler(s->db, sq_busy, s);
	sq_note(s, xasprintf("cache database %s was damaged (%s): moved aside "
	    "to %s and made anew", s->path, why, aside));
	return 0;
}

/* After a failed statement: a damaged database is made anew. */
static void
sq_failed(struct sq *s, int rc)
{
	if (is_corrupt(rc))
		sq_recover(s, sqlite3_errstr(rc));
}

void *
store_sqlite_open(int dirfd, const char *dir, char **warn, char **note)
{
	struct sq *s;
	char *why = NULL;
	int rc;

	*warn = *note = NULL;
	s = xcalloc(1, sizeof(*s));
	s->dir = xstrdup(dir);
	s->path = xasprintf("%s/%s", dir, db_name);
	if ((s->dirfd = dup(dirfd)) == -1) {
		*warn = xasprintf("cache folder %s: %s", dir, strerror(errno));
		goto fail;
	}
	rc = sq_open_db(s->dirfd, s->path, &s->db, s->stmt, &why);
	if (rc == 1) {
		/* Damaged: moved aside, and made anew. */
		if (sq_recover(s, why) == -1) {
			*warn = s->note;
			s->note = NULL;
			goto fail;
		}
		*note = s->note;
		s->note = NULL;
	} else if (rc == -1) {
		*warn = why;
		why = NULL;
		goto fail;
	}
	sqlite3_busy_handler(s->db, sq_busy, s);
	s->last_commit = mono_ms();
	s->batch_max = BATCH_MAX;
	free(why);
	return s;
fail:
	free(why);
	s->dead = 1;
	store_sqlite_ops.close(s);
	return NULL;
}

/* Binds one text column, NULL when absent. */
static void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

static size_t
slen(const char *s)
{
	return s != NULL ? strlen(s) : 0;
}

/* The bytes an entry counts for in stats and prune. */
static uint64_t
entry_size(const struct entry *e)
{
	return ROW_OVERHEAD + e->body_len + slen(e->method) + slen(e->url) +
	    slen(e->content_type) + slen(e->etag) + slen(e->last_modified) +
	    slen(e->cache_control) + slen(e->vary) + slen(e->link);
}

/* FNV-1a of the URL: the URL index holds this, not the URL itself. */
static int64_t
url_hash(const char *u)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *u != '\0'; u++)
		h = (h ^ (unsigned char)*u) * 1099511628211ULL;
	return (int64_t)(h >> 1);
}

static int
sq_write_op(struct sq *s, const struct op *o)
{
	const struct entry *e = &o->e;
	sqlite3_stmt *st;
	int rc;

	if (o->remove) {
		st = s->stmt[SQ_DEL_KEY];
		sqlite3_bind_blob(st, 1, e->key, CACHE_KEY_LEN, SQLITE_STATIC);
	} else {
		st = s->stmt[SQ_PUT];
		sqlite3_bind_blob(st, 1, e->key, CACHE_KEY_LEN, SQLITE_STATIC);
		bind_text(st, 2, e->method);
		bind_text(st, 3, e->url);
		sqlite3_bind_int64(st, 4, url_hash(e->url));
		sqlite3_bind_int64(st, 5, e->status);
		sqlite3_bind_int64(st, 6, e->stored_at);
		sqlite3_bind_int64(st, 7, e->expires_at);
		bind_text(st, 8, e->content_type);
		bind_text(st, 9, e->etag);
		bind_text(st, 10, e->last_modified);
		bind_text(st, 11, e->cache_control);
		bind_text(st, 12, e->vary);
		sqlite3_bind_blob64(st, 13, e->body != NULL ? e->body : "",
		    e->body_len, SQLITE_STATIC);
		sqlite3_bind_int64(st, 14, (int64_t)entry_size(e));
		sqlite3_bind_int64(st, 15, entry_sum(e));
		bind_text(st, 16, e->link);
	}
	rc = sq_step(s, st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int
sq_exec(struct sq *s, int which)
{
	sqlite3_stmt *st = s->stmt[which];
	int rc;

	rc = sq_step(s, st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/*
 * Ends the read transaction that a batch of lookups shares; a write, a
 * compaction and the end of a batch need none open.
 */
static void
sq_end_read(struct sq *s)
{
	if (!s->reading)
		return;
	s->reading = 0;
	if (!sqlite3_get_autocommit(s->db))
		sq_exec(s, SQ_COMMIT);
}

/*
 * Writes the queue in one transaction.  Returns an SQLite code, with the
 * reason of a failure allocated in *why.
 */
static int
sq_write_queue(struct sq *s, char **why)
{
	size_t i;
	int rc;

	*why = NULL;
	sq_end_read(s);
	if ((rc = sq_exec(s, SQ_BEGIN)) != SQLITE_OK)
		goto out;
	for (i = 0; i < s->nq && rc == SQLITE_OK; i++)
		rc = sq_write_op(s, &s->q[i]);
	if (rc == SQLITE_OK)
		rc = sq_exec(s, SQ_COMMIT);
out:
	if (rc == SQLITE_OK)
		return rc;
	/* The reason before the rollback, which has its own. */
	*why = xstrdup(sq_errstr(s, rc));
	if (!sqlite3_get_autocommit(s->db))
		sq_exec(s, SQ_ROLLBACK);
	return rc;
}

static int
sq_flush(void *arg, int force, char **warn)
{
	struct sq *s = arg;
	int64_t now = mono_ms();
	char *why;
	int rc;

	*warn = NULL;
	if (s->dead)
		return 0;
	/* A snapshot is read for at most as long as a batch is held. */
	if (s->reading && (force || now - s->read_since >= BATCH_MS))
		sq_end_read(s);
	if (s->nq == 0)
		return 0;
	if (!force && s->nq < s->batch_max && s->qbytes < BATCH_BYTES &&
	    now - s->last_commit < BATCH_MS)
		return 0;
	rc = sq_write_queue(s, &why);
	queue_drop(s);
	s->last_commit = mono_ms();
	if (rc == SQLITE_OK)
		return 0;
	*warn = xasprintf("cache write in %s: %s", s->path, why);
	free(why);
	sq_failed(s, rc);
	return -1;
}

/* Queues o (taken), then writes the queue when it is due. */
static int
sq_queue(struct sq *s, struct op *o, char **warn)
{
	if (s->nq == s->capq) {
		s->capq = s->capq == 0 ? 64 : s->capq * 2;
		s->q = xreallocarray(s->q, s->capq, sizeof(*s->q));
	}
	s->qbytes += o->e.body_len + 256;
	s->q[s->nq++] = *o;
	return sq_flush(s, !s->batching, warn);
}

static char *
dup_or_null(const char *v)
{
	return v != NULL ? xstrdup(v) : NULL;
}

/* A deep copy of e into d. */
static void
entry_copy(struct entry *d, const struct entry *e)
{
	memset(d, 0, sizeof(*d));
	memcpy(d->key, e->key, CACHE_KEY_LEN);
	d->method = dup_or_null(e->method);
	d->url = dup_or_null(e->url);
	d->stored_at = e->stored_at;
	d->expires_at = e->expires_at;
	d->status = e->status;
	d->content_type = dup_or_null(e->content_type);
	d->etag = dup_or_null(e->etag);
	d->last_modified = dup_or_null(e->last_modified);
	d->cache_control = dup_or_null(e->cache_control);
	d->vary = dup_or_null(e->vary);
	d->link = dup_or_null(e->link);
	d->body_len = e->body_len;
	d->body = xmalloc(e->body_len + 1);
	if (e->body_len > 0)
		memcpy(d->body, e->body, e->body_len);
	d->body[e->body_len] = '\0';
}

static int
sq_put(void *arg, const struct entry *e, char **warn)
{
	struct sq *s = arg;
	struct op o;

	*warn = NULL;
	if (s->dead)
		return 0;
	o.remove = 0;
	entry_copy(&o.e, e);
	return sq_queue(s, &o, warn);
}

static int
sq_remove(void *arg, const unsigned char *key, char **warn)
{
	struct sq *s = arg;
	struct op o;

	*warn = NULL;
	if (s->dead)
		return 0;
	memset(&o, 0, sizeof(o));
	o.remove = 1;
	memcpy(o.e.key, key, CACHE_KEY_LEN);
	return sq_queue(s, &o, warn);
}

/* The newest queued write of key, or NULL. */
static const struct op *
queued(const struct sq *s, const unsigned char *key)
{
	size_t i;

	for (i = s->nq; i-- > 0;)
		if (s->q[i].e.key[0] == key[0] &&
		    memcmp(s->q[i].e.key, key, CACHE_KEY_LEN) == 0)
			return &s->q[i];
	return NULL;
}

static int
sq_lookup(void *arg, const unsigned char *key, struct entry *e)
{
	struct sq *s = arg;
	const struct op *o;
	sqlite3_stmt *st;
	char *warn;
	int rc, found = 0, damaged = 0;

	memset(e, 0, sizeof(*e));
	if (s->dead)
		return 0;
	if ((o = queued(s, key)) != NULL) {
		if (o->remove)
			return 0;
		entry_copy(e, &o->e);
		return 1;
	}
	/*
	 * In a batch, lookups share one read transaction: SQLite takes and
	 * drops its locks (two fcntl and an fstat) once, not per lookup.
	 */
	if (s->batching && !s->reading && sq_exec(s, SQ_BEGIN_READ) ==
	    SQLITE_OK) {
		s->reading = 1;
		s->read_since = mono_ms();
	}
	/* A failed BEGIN may have made the database anew, or given it up. */
	if (s->dead || (st = s->stmt[SQ_GET]) == NULL)
		return 0;
	sqlite3_bind_blob(st, 1, key, CACHE_KEY_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		if (sq_row_entry(st, key, e) == 0)
			found = 1;
		else
			damaged = 1;
	}
	/*
	 * Done with st before anything that may write: a write that fails
	 * can make the database anew and finalize every statement.
	 */
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (damaged) {
		if (sq_remove(s, key, &warn) == 0)
			free(warn);	/* damaged: a miss, and gone */
		else
			sq_note(s, warn);
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		sq_failed(s, rc);
	return found;
}

/* One row of a walk, its entry owned. */
struct walk_row {
	struct entry	e;
	int64_t		size;
	int		valid;
};

/*
 * Reads up to WALK_CHUNK rows after the cursor, keeping the last one's
 * position in cur.  Returns how many, or -1 with the SQLite code in *rc.
 */
static int
walk_chunk(sqlite3_stmt *st, struct walk_row *rows, sqlite3_value **cur,
    int *rc)
{
	int n = 0;

	while (n < WALK_CHUNK && (*rc = sqlite3_step(st)) == SQLITE_ROW) {
		rows[n].valid = sq_row_meta(st, &rows[n].e,
		    &rows[n].size) == 0;
		sq_walk_keep(st, cur);
		n++;
	}
	if (n == WALK_CHUNK)
		*rc = SQLITE_DONE;
	sqlite3_reset(st);
	if (*rc == SQLITE_DONE)
		return n;
	while (n > 0)
		entry_clear(&rows[--n].e);
	return -1;
}

/* Calls fn for each row of a chunk, and frees them.  Returns 1 to stop. */
static int
walk_visit(struct sq *s, struct walk_row *rows, int n, store_walk_fn fn,
    void *arg, uint64_t *freed, char **warn)
{
	struct store_item it;
	int i, stop = 0;

	for (i = 0; i < n; i++) {
		it.entry = &rows[i].e;
		it.size = (uint64_t)rows[i].size;
		it.valid = rows[i].valid;
		if (!stop && *warn == NULL) {
			switch (fn(arg, &it)) {
			case STORE_REMOVE:
				if (sq_remove(s, rows[i].e.key, warn) == 0)
					*freed += it.size;
				break;
			case STORE_STOP:
				stop = 1;
				break;
			case STORE_NEXT:
				break;
			}
		}
		entry_clear(&rows[i].e);
	}
	return stop || *warn != NULL;
}

static int
sq_walk(void *arg, const struct store_filter *f, store_walk_fn fn, void *farg,
    uint64_t *freed, char **warn)
{
	struct sq *s = arg;
	struct walk_row *rows;
	sqlite3_value *cur[4] = { NULL, NULL, NULL, NULL };
	int n, i, rc = SQLITE_DONE, batching = s->batching, done = 0;
	int which = f->url != NULL ? SQ_WALK_URL : SQ_WALK;

	*warn = NULL;
	if (s->dead)
		return 0;
	rows = xcalloc(WALK_CHUNK, sizeof(*rows));
	s->batching = 1;
	/*
	 * A walk that removes touches the random pages of the key and URL
	 * indexes: measured on 1,000,000 entries, pruning half took 26 s in
	 * transactions of 1,000 with the default 2 MiB of cache, each one
	 * writing most of its pages again; fewer, larger transactions and a
	 * larger cache write each page about once.
	 */
	s->batch_max = WALK_BATCH;
	sqlite3_exec(s->db, "PRAGMA cache_size=" WALK_CACHE, NULL, NULL, NULL);
	sq_walk_start(s->stmt[which], f, url_hash);
	while (!done && (n = walk_chunk(s->stmt[which], rows, cur, &rc)) > 0) {
		/* The cursor moves past the last row, whatever fn does. */
		sq_walk_cursor(s->stmt[which], cur);
		done = walk_visit(s, rows, n, fn, farg, freed, warn) ||
		    n < WALK_CHUNK;
		/* A failed write may have made the database anew. */
		if (!done && sq_flush(s, 0, warn) != 0)
			done = 1;
	}
	for (i = 0; i < 4; i++)
		sqlite3_value_free(cur[i]);
	if (!s->dead)
		sqlite3_clear_bindings(s->stmt[which]);
	free(rows);
	s->batching = batching;
	s->batch_max = BATCH_MAX;
	if (*warn == NULL)
		sq_flush(s, 1, warn);
	if (*warn != NULL)
		return -1;
	if (rc != SQLITE_DONE) {
		*warn = xasprintf("cache read of %s: %s", s->path,
		    sq_errstr(s, rc));
		sq_failed(s, rc);
		return -1;
	}
	return 0;
}

/* Adds the size of file name (if it is there) to *n. */
static void
add_file(const struct sq *s, const char *name, uint64_t *n)
{
	struct stat st;

	if (fstatat(s->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode))
		*n += (uint64_t)st.st_size;
}

static int
sq_stats(void *arg, int64_t now, struct store_stats *ss, char **warn)
{
	struct sq *s = arg;
	sqlite3_stmt *st;
	int rc;

	*warn = NULL;
	add_file(s, db_name, &ss->file_bytes);
	add_file(s, "cache.db-wal", &ss->file_bytes);
	add_file(s, "cache.db-shm", &ss->file_bytes);
	if (s->dead)
		return 0;
	st = s->stmt[SQ_STATS];
	sqlite3_bind_int64(st, 1, now);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ss->entries = (uint64_t)sqlite3_column_int64(st, 0);
		ss->bytes = (uint64_t)sqlite3_column_int64(st, 1);
		ss->expired = (uint64_t)sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	*warn = xasprintf("cache read of %s: %s", s->path, sq_errstr(s, rc));
	sq_failed(s, rc);
	return -1;
}

static void
sq_begin(void *arg)
{
	struct sq *s = arg;

	s->batching = 1;
}

/*
 * Gives free pages back to the file system: incremental_vacuum moves
 * them to the end and truncates (through the WAL), and a checkpoint that
 * truncates the WAL makes the file itself shrink.
 */
static int
sq_compact(void *arg, char **warn)
{
	struct sq *s = arg;
	int rc;

	*warn = NULL;
	if (s->dead || sq_flush(s, 1, warn) != 0)
		return s->dead ? 0 : -1;
	sq_end_read(s);
	while ((rc = sqlite3_step(s->stmt[SQ_VACUUM])) == SQLITE_ROW)
		;
	sqlite3_reset(s->stmt[SQ_VACUUM]);
	if (rc == SQLITE_DONE)
		rc = sq_exec(s, SQ_CHECKPOINT);
	if (rc == SQLITE_DONE || rc == SQLITE_OK)
		return 0;
	*warn = xasprintf("cache compaction of %s: %s", s->path,
	    sq_errstr(s, rc));
	return -1;
}

static char *
sq_warning(void *arg)
{
	struct sq *s = arg;
	char *w = s->note;

	s->note = NULL;
	return w;
}

static void
sq_close(void *arg)
{
	struct sq *s = arg;
	char *warn;

	if (s == NULL)
		return;
	if (sq_flush(s, 1, &warn) != 0)
		free(warn);
	queue_drop(s);
	free(s->q);
	sq_finalize(s);
	if (s->dirfd >= 0)
		close(s->dirfd);
	free(s->note);
	free(s->dir);
	free(s->path);
	free(s);
}

const struct store_ops store_sqlite_ops = {
	"sqlite",
	sq_lookup,
	sq_put,
	sq_remove,
	sq_walk,
	sq_stats,
	sq_begin,
	sq_flush,
	sq_compact,
	sq_warning,
	sq_close,
};

/*
 * The allocation hook.  SQLite's mem methods carry no argument of their
 * own, so the three functions live in the one place SQLite can reach
 * them: set once, before SQLite starts, and only read afterwards.
 */
static struct {
	void	*(*malloc)(size_t);
	void	*(*realloc)(void *, size_t);
	void	 (*free)(void *);
} hook;

/* Each block carries its size in front, which SQLite asks for. */
#define HOOK_HEAD	16

static void *
hook_malloc(int n)
{
	char *p;

	if (n <= 0 || (p = hook.malloc((size_t)n + HOOK_HEAD)) == NULL)
		return NULL;
	memcpy(p, &n, sizeof(n));
	return p + HOOK_HEAD;
}

static void
hook_free(void *v)
{
	if (v != NULL)
		hook.free((char *)v - HOOK_HEAD);
}

static void *
hook_realloc(void *v, int n)
{
	char *p;

	if (v == NULL)
		return hook_malloc(n);
	if (n <= 0 || (p = hook.realloc((char *)v - HOOK_HEAD,
	    (size_t)n + HOOK_HEAD)) == NULL)
		return NULL;
	memcpy(p, &n, sizeof(n));
	return p + HOOK_HEAD;
}

static int
hook_size(void *v)
{
	int n;

	memcpy(&n, (char *)v - HOOK_HEAD, sizeof(n));
	return n;
}

static int
hook_roundup(int n)
{
	return (n + 7) & ~7;
}

static int
hook_init(void *arg)
{
	(void)arg;
	return SQLITE_OK;
}

static void
hook_shutdown(void *arg)
{
	(void)arg;
}

int
store_sqlite_init_alloc(void *(*m)(size_t), void *(*r)(void *, size_t),
    void (*f)(void *))
{
	static const sqlite3_mem_methods methods = { hook_malloc, hook_free,
	    hook_realloc, hook_size, hook_roundup, hook_init, hook_shutdown,
	    NULL };

	hook.malloc = m;
	hook.realloc = r;
	hook.free = f;
	return sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) == SQLITE_OK ?
	    0 : -1;
}
