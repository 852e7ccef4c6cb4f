/*
 * The store against a temporary cache folder: round trips, the batch,
 * walks (oldest first, filters, removal), stats, and rows damaged behind
 * SQLite's back, a newer schema, a FIFO and garbage at cache.db.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store.h"
#include "unit.h"

static char dir[64];

static void
sample(struct entry *e, int i, int64_t stored)
{
	static char url[64], body[64];

	memset(e, 0, sizeof(*e));
	memset(e->key, i, sizeof(e->key));
	snprintf(url, sizeof(url), "http://h.test/%d", i % 3);
	snprintf(body, sizeof(body), "{\"i\":%d}", i);
	e->method = (char *)"GET";
	e->url = url;
	e->stored_at = stored;
	e->expires_at = stored + 1000;
	e->status = 200;
	e->content_type = (char *)"application/json";
	e->etag = i % 2 ? (char *)"\"e\"" : NULL;
	e->body = body;
	e->body_len = strlen(body);
}

static struct store *
open_store(void)
{
	struct store *st;
	char *warn;

	st = store_open(dir, &warn);
	free(warn);
	return st;
}

/* Runs SQL on the database directly, as another program would. */
static void
sql(const char *q)
{
	char path[128];
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/cache.db", dir);
	sqlite3_open(path, &db);
	sqlite3_exec(db, q, NULL, NULL, NULL);
	sqlite3_close(db);
}

static enum store_walk_do
collect(void *arg, const struct store_item *it)
{
	char *s = arg;
	char n[16];

	snprintf(n, sizeof(n), "%d%s ", it->entry->key[0],
	    it->valid ? "" : "!");
	strlcat(s, n, 256);
	return it->entry->key[0] == 4 ? STORE_REMOVE : STORE_NEXT;
}

static void
check_round_trip_and_batch(void)
{
	struct store *st = open_store();
	struct entry e, got;
	unsigned char k9[CACHE_KEY_LEN];
	char *warn;
	int i;

	CHECK(st != NULL, "a new store opens");
	store_begin(st);
	for (i = 1; i <= 6; i++) {
		sample(&e, i, 1000 + (7 - i) * 10);	/* 6 is the oldest */
		CHECK(store_put(st, &e, &warn) == 0, "put %d", i);
	}
	/* Queued, not yet written: the store still answers. */
	CHECK(store_lookup(st, e.key, &got) == 1 && got.body_len == 7 &&
	    memcmp(got.body, "{\"i\":6}", 7) == 0, "a queued entry is found");
	entry_clear(&got);
	CHECK(store_flush(st, 1, &warn) == 0, "flush");
	store_close(st);
	st = open_store();
	sample(&e, 3, 0);
	CHECK(store_lookup(st, e.key, &got) == 1 &&
	    strcmp(got.url, "http://h.test/0") == 0 && got.etag != NULL &&
	    strcmp(got.etag, "\"e\"") == 0 && got.stored_at == 1040 &&
	    got.status == 200, "written and read back, every field");
	entry_clear(&got);
	memset(k9, 9, sizeof(k9));
	CHECK(store_lookup(st, k9, &got) == 0, "an absent key is a miss");
	store_close(st);
}

static void
check_walks(void)
{
	struct store *st = open_store();
	struct store_filter all = { NULL, -1 }, url = { "http://h.test/1", -1 },
	    old = { NULL, 2030 };
	struct store_stats ss;
	char seen[256] = "", *warn;
	uint64_t freed = 0;
	int rc;

	CHECK(store_walk(st, &all, collect, seen, &freed, &warn) == 0 &&
	    strcmp(seen, "6 5 4 3 2 1 ") == 0, "walk: oldest first (%s)",
	    seen);
	CHECK(freed > 0, "walk: a removed entry's size is counted");
	seen[0] = '\0';
	CHECK(store_walk(st, &url, collect, seen, &freed, &warn) == 0 &&
	    strcmp(seen, "1 ") == 0, "walk by URL: 4 was removed (%s)", seen);
	seen[0] = '\0';
	CHECK(store_walk(st, &old, collect, seen, &freed, &warn) == 0 &&
	    strcmp(seen, "6 5 ") == 0, "walk of the expired (%s)", seen);
	rc = store_stats(st, 2035, &ss, &warn);
	CHECK(rc == 0 && ss.entries == 5 && ss.expired == 2 &&
	    ss.bytes > 5 * 64 && ss.file_bytes > 0,
	    "stats: %llu entries, %llu expired",
	    (unsigned long long)ss.entries, (unsigned long long)ss.expired);
	store_close(st);
}

static void
check_damaged_rows(void)
{
	struct store *st;
	struct entry e, got;
	char seen[256] = "", *warn;
	struct store_filter all = { NULL, -1 };
	uint64_t freed = 0;

	sql("UPDATE entries SET body = 'x' || body WHERE key = zeroblob(0) "
	    "OR hex(key) LIKE '05%'");
	sql("UPDATE entries SET method = 'G E T' WHERE hex(key) LIKE '06%'");
	st = open_store();
	sample(&e, 5, 0);
	CHECK(store_lookup(st, e.key, &got) == 0, "a changed body: a miss");
	CHECK(store_walk(st, &all, collect, seen, &freed, &warn) == 0 &&
	    strcmp(seen, "6! 3 2 1 ") == 0,
	    "the damaged row is gone; a bad field shows as invalid (%s)",
	    seen);
	sample(&e, 5, 5000);
	CHECK(store_put(st, &e, &warn) == 0 && store_lookup(st, e.key,
	    &got) == 1, "and is written anew");
	entry_clear(&got);
	store_close(st);
}

static void
check_bad_databases(void)
{
	char path[128], *warn;
	struct store *st;
	FILE *f;

	sql("PRAGMA user_version = 7");
	st = store_open(dir, &warn);
	CHECK(st == NULL && warn != NULL && strstr(warn, "newer") != NULL,
	    "a newer schema is refused: %s", warn);
	free(warn);
	snprintf(path, sizeof(path), "%s/cache.db", dir);
	unlink(path);
	mkfifo(path, 0600);
	st = store_open(dir, &warn);
	CHECK(st == NULL && warn != NULL && strstr(warn, "FIFO") != NULL,
	    "a FIFO is refused, not waited on: %s", warn);
	free(warn);
	unlink(path);
	f = fopen(path, "w");
	fputs("this is no database, and it is long enough to have a header "
	    "that SQLite would read and refuse as not a database at all", f);
	fclose(f);
	st = store_open(dir, &warn);
	CHECK(st != NULL && warn != NULL && strstr(warn, "moved aside") !=
	    NULL, "garbage is moved aside: %s", warn);
	free(warn);
	store_close(st);
}

int
main(void)
{
	char cmd[128];

	strlcpy(dir, "/tmp/test_store.XXXXXX", sizeof(dir));
	if (mkdtemp(dir) == NULL)
		return 1;
	check_round_trip_and_batch();
	check_walks();
	check_damaged_rows();
	check_bad_databases();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return unit_done();
}
