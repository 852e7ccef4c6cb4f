/*
 * The SQL of the SQLite store: the schema, the prepared statements, the
 * checks made before SQLite is let near a file, and the reading of rows
 * back into entries.  store_sqlite.c, the operations, is its one user.
 */
#ifndef GATHER_STORE_SQL_H
#define GATHER_STORE_SQL_H

#include <stdint.h>

#include <sqlite3.h>

#include "store.h"

#define SQ_SCHEMA	1	/* PRAGMA user_version of this schema */

enum sq_stmt {
	SQ_GET,
	SQ_PUT,
	SQ_DEL_KEY,
	SQ_STATS,
	SQ_WALK,
	SQ_WALK_URL,
	SQ_BEGIN,
	SQ_BEGIN_READ,
	SQ_COMMIT,
	SQ_ROLLBACK,
	SQ_VACUUM,
	SQ_CHECKPOINT,
	SQ_NSTMT
};

/*
 * Opens (making it when missing or empty) cache.db in the folder dirfd,
 * whose path is path, and prepares every statement.  Returns 0; 1 when
 * the database is damaged (garbage, truncated, unreadable schema); -1
 * when it cannot be used and must be left alone (a link, a FIFO, a
 * folder, another user's, a newer schema).  The reason is allocated in
 * *why.
 */
int	sq_open_db(int, const char *, sqlite3 **, sqlite3_stmt **, char **);

/*
 * Reads the SQ_GET row at st into e (which then owns it) and checks it:
 * the key, every field as the codec would, and the CRC-32 of the whole.
 * Returns 0, or -1 with e clear.
 */
int	sq_row_entry(sqlite3_stmt *, const unsigned char *, struct entry *);

/*
 * Reads the meta of a walk row into e (no body; body_len set) and its
 * size.  Returns 0 when every field is valid, else -1 (e holds what could
 * be read).
 */
int	sq_row_meta(sqlite3_stmt *, struct entry *, int64_t *);

/* Binds a walk statement for a first chunk under the filter. */
void	sq_walk_start(sqlite3_stmt *, const struct store_filter *,
	    int64_t (*)(const char *));

/*
 * Keeps in cur[4] (freeing what it held) the walk row's position, as
 * SQLite has it, whatever the row holds; and moves a walk statement's
 * cursor past such a kept position.
 */
void	sq_walk_keep(sqlite3_stmt *, sqlite3_value **);
void	sq_walk_cursor(sqlite3_stmt *, sqlite3_value **);

#endif
