/*
 * The SQLite store's SQL and files.  Before SQLite opens cache.db, the
 * file is opened here without following a link and without blocking, and
 * must be a regular file of ours (a FIFO would hang SQLite's first read);
 * its -wal and -shm likewise, when present.  The SQLite header is then
 * checked by hand, so that garbage or a truncated file is known as
 * damaged before any statement runs.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_sql.h"
#include "xalloc.h"

#define STR(x)	#x
#define XSTR(x)	STR(x)
#define WALK_LIMIT 256

/*
 * One row per entry.  The key is unique; the id (rowid) grows, so rows
 * are appended and the table stays packed.  The URL index holds a hash
 * of the URL, not the URL; the age index holds all that stats and the
 * oldest-first walks need, so neither reads the table.
 */
static const char schema[] =
    "PRAGMA auto_vacuum=INCREMENTAL;"
    "PRAGMA journal_mode=WAL;"
    "BEGIN IMMEDIATE;"
    "CREATE TABLE IF NOT EXISTS entries("
    " id INTEGER PRIMARY KEY,"
    " key BLOB NOT NULL UNIQUE,"
    " method TEXT NOT NULL,"
    " url TEXT NOT NULL,"
    " url_hash INTEGER NOT NULL,"
    " status INTEGER NOT NULL,"
    " stored_at INTEGER NOT NULL,"
    " expires_at INTEGER NOT NULL,"
    " content_type TEXT,"
    " etag TEXT,"
    " last_modified TEXT,"
    " cache_control TEXT,"
    " vary TEXT,"
    " body BLOB NOT NULL,"
    " size INTEGER NOT NULL,"
    " sum INTEGER NOT NULL,"
    " link TEXT);"
    "CREATE INDEX IF NOT EXISTS entries_url ON entries(url_hash);"
    "CREATE INDEX IF NOT EXISTS entries_age ON "
    " entries(stored_at, expires_at, size);"
    "PRAGMA user_version=" XSTR(SQ_SCHEMA) ";"
    "COMMIT;";

#define META_COLS "key, method, url, status, stored_at, expires_at, " \
	"content_type, etag, last_modified, cache_control, vary, link"
#define WALK_COLS META_COLS ", length(body), size, id FROM entries "
#define WALK_AFTER "(stored_at, expires_at, size, id) > (?1, ?2, ?3, ?4) " \
	"AND expires_at <= ?5 ORDER BY stored_at, expires_at, size, id " \
	"LIMIT " XSTR(WALK_LIMIT)

static const char *const stmt_sql[SQ_NSTMT] = {
	[SQ_GET] = "SELECT " META_COLS ", body, sum FROM entries "
	    "WHERE key = ?1",
	[SQ_PUT] = "INSERT OR REPLACE INTO entries(key, method, url, "
	    "url_hash, status, stored_at, expires_at, content_type, etag, "
	    "last_modified, cache_control, vary, body, size, sum, link) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
	    "?14, ?15, ?16)",
	[SQ_DEL_KEY] = "DELETE FROM entries WHERE key = ?1",
	[SQ_STATS] = "SELECT count(*), total(size), total(expires_at <= ?1) "
	    "FROM entries INDEXED BY entries_age",
	[SQ_WALK] = "SELECT " WALK_COLS "INDEXED BY entries_age WHERE "
	    WALK_AFTER,
	[SQ_WALK_URL] = "SELECT " WALK_COLS "WHERE url_hash = ?6 AND "
	    "url = ?7 AND " WALK_AFTER,
	[SQ_BEGIN] = "BEGIN IMMEDIATE",
	[SQ_BEGIN_READ] = "BEGIN DEFERRED",
	[SQ_COMMIT] = "COMMIT",
	[SQ_ROLLBACK] = "ROLLBACK",
	[SQ_VACUUM] = "PRAGMA incremental_vacuum",
	[SQ_CHECKPOINT] = "PRAGMA wal_checkpoint(TRUNCATE)",
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * Checks the 100-byte SQLite header of a file of size bytes.  Returns 0
 * when it is whole or the file is empty (new), else 1 with *why.  With
 * wal set (a -wal file with frames beside it) the file may be shorter
 * than its header says: a checkpoint cut short (a full disk, a kill) left
 * pages that the WAL still holds and SQLite copies again, so only the
 * magic is checked.
 */
static int
check_header(int fd, off_t size, int wal, char **why)
{
	static const char magic[16] = "SQLite format 3";
	unsigned char h[100];
	uint64_t page, pages;

	if (size == 0)
		return 0;
	if (size < (off_t)sizeof(h) || pread(fd, h, sizeof(h), 0) !=
	    (ssize_t)sizeof(h) || memcmp(h, magic, sizeof(magic)) != 0) {
		*why = xstrdup("not an SQLite database");
		return 1;
	}
	page = (uint64_t)h[16] << 8 | h[17];
	if (page == 1)
		page = 65536;
	pages = be32(h + 28);
	/* The page count is valid when the two counters agree. */
	if (!wal && be32(h + 24) == be32(h + 92) && pages > 0 &&
	    (uint64_t)size < page * pages) {
		*why = xasprintf("truncated: %lld of %llu bytes",
		    (long long)size, (unsigned long long)(page * pages));
		return 1;
	}
	return 0;
}

/* Why the file st (at path) is not one of ours, or NULL when it is. */
static const char *
not_ours(const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return "is a folder";
	if (S_ISFIFO(st->st_mode))
		return "is a FIFO";
	if (S_ISLNK(st->st_mode))
		return "is a symbolic link";
	if (!S_ISREG(st->st_mode))
		return "is not a regular file";
	if (st->st_uid != geteuid())
		return "belongs to another user";
	return NULL;
}

/*
 * The -wal or -shm file, when there, must be a regular file of ours: SQLite
 * would fail on a link (it never follows one) and hang on a FIFO.
 */
static int
check_side(int dirfd, const char *path, const char *suffix, char **why)
{
	char name[32];
	struct stat st;
	const char *bad;

	snprintf(name, sizeof(name), "cache.db%s", suffix);
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return errno == ENOENT ? 0 : -1;
	if ((bad = not_ours(&st)) == NULL)
		return 0;
	*why = xasprintf("cache database %s%s %s", path, suffix, bad);
	return -1;
}

/*
 * Opens and checks cache.db itself, making it 0600 when missing.  Returns
 * 0, 1 when damaged, -1 when not ours to use; *why says.
 */
static int
check_file(int dirfd, const char *path, char **why)
{
	struct stat st, wst;
	const char *bad = NULL;
	int fd, rc, err, wal;

	fd = openat(dirfd, "cache.db", O_RDWR | O_CREAT | O_NOFOLLOW |
	    O_NONBLOCK | O_CLOEXEC, 0600);
	if (fd == -1) {
		err = errno;
		bad = err == ELOOP ? "is a symbolic link" : err == EISDIR ?
		    "is a folder" : err == ENXIO ? "is not a regular file" :
		    NULL;
		*why = bad != NULL ? xasprintf("cache database %s %s", path,
		    bad) : xasprintf("cache database %s: %s", path,
		    strerror(err));
		return -1;
	}
	if (fstat(fd, &st) == -1 || (bad = not_ours(&st)) != NULL) {
		*why = xasprintf("cache database %s %s", path,
		    bad != NULL ? bad : strerror(errno));
		close(fd);
		return -1;
	}
	/* Whatever the umask made of it: -wal and -shm copy this mode. */
	if ((st.st_mode & 0777) != 0600)
		fchmod(fd, 0600);
	wal = fstatat(dirfd, "cache.db-wal", &wst, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(wst.st_mode) && wst.st_size > 0;
	rc = check_header(fd, st.st_size, wal, why);
	close(fd);
	return rc;
}

static int
prepare_all(sqlite3 *db, sqlite3_stmt **stmt)
{
	size_t i;

	for (i = 0; i < SQ_NSTMT; i++)
		if (sqlite3_prepare_v3(db, stmt_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &stmt[i], NULL) != SQLITE_OK)
			return -1;
	return 0;
}

/* The reason of a failure: the system's when it had one. */
static const char *
db_errstr(sqlite3 *db, int rc)
{
	int err = sqlite3_system_errno(db);

	if (err != 0 && ((rc & 0xff) == SQLITE_IOERR ||
	    (rc & 0xff) == SQLITE_FULL || (rc & 0xff) == SQLITE_CANTOPEN))
		return strerror(err);
	return sqlite3_errmsg(db);
}

/* One integer from a statement of one row, or -1. */
static int64_t
query_int(sqlite3 *db, const char *sql, int *rc)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if ((*rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL)) != SQLITE_OK)
		return -1;
	if ((*rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = sqlite3_column_int64(st, 0);
		*rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return v;
}

/*
 * Adds the link column (the Link header, for --paginate) to a database a
 * gather without it made.  Schema 1 either way: a gather without it reads
 * and writes such a table as before, leaving the column empty.  Without
 * the table there is nothing to add: preparing the statements finds that.
 */
static int
check_link(sqlite3 *db)
{
	static const char has[] = "SELECT total(name = 'link') + "
	    "(count(*) = 0) FROM pragma_table_info('entries')";
	int rc, rc2;

	if (query_int(db, has, &rc) != 0 || rc != SQLITE_OK)
		return rc;
	rc = sqlite3_exec(db, "ALTER TABLE entries ADD COLUMN link TEXT",
	    NULL, NULL, NULL);
	/* Another gather may have added it first. */
	if (rc != SQLITE_OK && query_int(db, has, &rc2) > 0)
		rc = SQLITE_OK;
	return rc;
}

/* Reads the schema version, making the schema in a new database. */
static int
check_schema(sqlite3 *db, const char *path, char **why)
{
	int64_t v;
	int rc;

	v = query_int(db, "PRAGMA user_version", &rc);
	/*
	 * Tables without a version: another program's.  One statement reads
	 * both, so a gather making the schema meanwhile is not taken for one.
	 */
	if (rc == SQLITE_OK && v == 0 &&
	    query_int(db, "SELECT count(*) FROM sqlite_schema WHERE "
	    "(SELECT user_version FROM pragma_user_version) = 0", &rc) > 0) {
		*why = xasprintf("cache database %s is not gather's", path);
		return -1;
	}
	if (rc == SQLITE_OK && v == 0)
		rc = sqlite3_exec(db, schema, NULL, NULL, NULL);
	else if (rc == SQLITE_OK && v == SQ_SCHEMA)
		rc = check_link(db);
	if (rc != SQLITE_OK) {
		*why = xasprintf("cache database %s: %s", path,
		    db_errstr(db, rc));
		if (!sqlite3_get_autocommit(db))
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return (rc & 0xff) == SQLITE_CORRUPT ||
		    (rc & 0xff) == SQLITE_NOTADB ? 1 : -1;
	}
	if (v > SQ_SCHEMA) {
		*why = xasprintf("cache database %s was made by a newer gather "
		    "(schema %lld, this one knows %d)", path, (long long)v,
		    SQ_SCHEMA);
		return -1;
	}
	return 0;
}

int
sq_open_db(int dirfd, const char *path, sqlite3 **dbp, sqlite3_stmt **stmt,
    char **why)
{
	sqlite3 *db = NULL;
	int rc;

	*why = NULL;
	memset(stmt, 0, SQ_NSTMT * sizeof(*stmt));
	if ((rc = check_file(dirfd, path, why)) != 0)
		return rc;
	if (check_side(dirfd, path, "-wal", why) == -1 ||
	    check_side(dirfd, path, "-shm", why) == -1)
		return -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		*why = xasprintf("cache database %s: %s", path,
		    db != NULL ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 2000);
	if ((rc = check_schema(db, path, why)) == 0 &&
	    sqlite3_exec(db, "PRAGMA synchronous=OFF", NULL,
	    NULL, NULL) ==
	    SQLITE_OK && prepare_all(db, stmt) == -1) {
		/* Our schema version, and not our schema: damaged. */
		*why = xasprintf("cache database %s: %s", path,
		    sqlite3_errmsg(db));
		rc = 1;
	}
	if (rc != 0) {
		for (size_t i = 0; i < SQ_NSTMT; i++) {
			sqlite3_finalize(stmt[i]);
			stmt[i] = NULL;
		}
		sqlite3_close(db);
		return rc;
	}
	*dbp = db;
	return 0;
}

/* A text column: NULL allowed only when optional, no NUL inside. */
static int
col_text(sqlite3_stmt *st, int i, char **dst, int optional)
{
	const unsigned char *p;
	int n;

	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return optional ? 0 : -1;
	if (sqlite3_column_type(st, i) != SQLITE_TEXT ||
	    (p = sqlite3_column_text(st, i)) == NULL)
		return -1;
	n = sqlite3_column_bytes(st, i);
	if (memchr(p, '\0', (size_t)n) != NULL)
		return -1;
	*dst = xstrndup((const char *)p, (size_t)n);
	return 0;
}

static int
col_int(sqlite3_stmt *st, int i, int64_t *v)
{
	if (sqlite3_column_type(st, i) != SQLITE_INTEGER)
		return -1;
	*v = sqlite3_column_int64(st, i);
	return 0;
}

/* Reads the meta columns (0-11) into e; returns 0 or -1. */
static int
row_fields(sqlite3_stmt *st, struct entry *e)
{
	const char *why;
	int64_t status;
	int ok;

	memset(e, 0, sizeof(*e));
	if (sqlite3_column_type(st, 0) != SQLITE_BLOB ||
	    sqlite3_column_bytes(st, 0) != CACHE_KEY_LEN)
		return -1;
	memcpy(e->key, sqlite3_column_blob(st, 0), CACHE_KEY_LEN);
	ok = col_text(st, 1, &e->method, 0) == 0 &&
	    col_text(st, 2, &e->url, 0) == 0 &&
	    col_int(st, 3, &status) == 0 &&
	    col_int(st, 4, &e->stored_at) == 0 &&
	    col_int(st, 5, &e->expires_at) == 0 &&
	    col_text(st, 6, &e->content_type, 1) == 0 &&
	    col_text(st, 7, &e->etag, 1) == 0 &&
	    col_text(st, 8, &e->last_modified, 1) == 0 &&
	    col_text(st, 9, &e->cache_control, 1) == 0 &&
	    col_text(st, 10, &e->vary, 1) == 0 &&
	    col_text(st, 11, &e->link, 1) == 0;
	if (ok) {
		e->status = (long)status;
		ok = status == e->status && entry_validate(e, &why) == 0;
	}
	return ok ? 0 : -1;
}

int
sq_row_entry(sqlite3_stmt *st, const unsigned char *key, struct entry *e)
{
	const void *p;
	int64_t sum;
	int n, type;

	if (row_fields(st, e) == -1 || memcmp(e->key, key, CACHE_KEY_LEN) != 0)
		goto bad;
	type = sqlite3_column_type(st, 12);
	if ((type != SQLITE_BLOB && type != SQLITE_TEXT) ||
	    col_int(st, 13, &sum) == -1)
		goto bad;
	p = sqlite3_column_blob(st, 12);
	n = sqlite3_column_bytes(st, 12);
	e->body_len = (size_t)n;
	e->body = xmalloc(e->body_len + 1);
	if (n > 0)
		memcpy(e->body, p, e->body_len);
	e->body[e->body_len] = '\0';
	if ((int64_t)entry_sum(e) != sum)
		goto bad;
	return 0;
bad:
	entry_clear(e);
	return -1;
}

int
sq_row_meta(sqlite3_stmt *st, struct entry *e, int64_t *size)
{
	int rc;

	rc = row_fields(st, e);
	e->body_len = (size_t)sqlite3_column_int64(st, 12);
	*size = sqlite3_column_int64(st, 13);
	return rc;
}

void
sq_walk_start(sqlite3_stmt *st, const struct store_filter *f,
    int64_t (*hash)(const char *))
{
	int i;

	for (i = 1; i <= 4; i++)
		sqlite3_bind_int64(st, i, INT64_MIN);
	sqlite3_bind_int64(st, 5, f->expired_at >= 0 ? f->expired_at :
	    INT64_MAX);
	if (f->url != NULL) {
		sqlite3_bind_int64(st, 6, hash(f->url));
		sqlite3_bind_text(st, 7, f->url, -1, SQLITE_TRANSIENT);
	}
}

void
sq_walk_cursor(sqlite3_stmt *st, sqlite3_value **cur)
{
	int i;

	for (i = 0; i < 4; i++)
		sqlite3_bind_value(st, i + 1, cur[i]);
}

void
sq_walk_keep(sqlite3_stmt *st, sqlite3_value **cur)
{
	static const int col[4] = { 4, 5, 13, 14 };
	int i;

	for (i = 0; i < 4; i++) {
		sqlite3_value_free(cur[i]);
		cur[i] = sqlite3_value_dup(sqlite3_column_value(st, col[i]));
	}
}
