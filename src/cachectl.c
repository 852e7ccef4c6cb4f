/*
 * Cache maintenance.  Each verb is one walk of the store, oldest first;
 * prune learns the total from the store's stats first, so that it removes
 * the oldest entries without holding the rest in memory.  Space is given
 * back to the file system after prune, purge and rm.
 */
#include <stdlib.h>
#include <string.h>

#include "cachectl.h"

struct walk {
	struct cachectl_stats	*st;
	int64_t			 now;
	int			 expired;
	int64_t			 max_size;
	uint64_t		 total;		/* prune: bytes still kept */
	void			(*list)(void *, const struct entry *);
	void			*arg;
	uint64_t		 invalid;	/* list: damaged entries */
};

int
cachectl_stats(struct store *s, int64_t now, struct cachectl_stats *st,
    char **err)
{
	struct store_stats ss;
	int rc;

	memset(st, 0, sizeof(*st));
	rc = store_stats(s, now, &ss, err);
	st->entries = ss.entries;
	st->bytes = ss.bytes;
	st->expired = ss.expired;
	st->file_bytes = ss.file_bytes;
	return rc;
}

static enum store_walk_do
visit_list(void *arg, const struct store_item *it)
{
	struct walk *w = arg;

	if (it->valid)
		w->list(w->arg, it->entry);
	else
		w->invalid++;
	return STORE_NEXT;
}

int
cachectl_list(struct store *s, void (*fn)(void *, const struct entry *),
    void *arg, uint64_t *invalid, char **err)
{
	struct store_filter f = { NULL, -1 };
	struct walk w = { .list = fn, .arg = arg };
	uint64_t freed = 0;
	int rc;

	rc = store_walk(s, &f, visit_list, &w, &freed, err);
	*invalid = w.invalid;
	return rc;
}

/* Compacts after removals; the first error wins. */
static int
compact(struct store *s, const struct cachectl_stats *st, int rc, char **err)
{
	char *cerr;

	if (rc != 0 || st->removed == 0)
		return rc;
	if (store_compact(s, &cerr) == 0)
		return 0;
	*err = cerr;
	return -1;
}

static enum store_walk_do
visit_prune(void *arg, const struct store_item *it)
{
	struct walk *w = arg;

	if (!it->valid || (w->expired && it->entry->expires_at <= w->now) ||
	    (w->max_size >= 0 && w->total > (uint64_t)w->max_size)) {
		w->st->removed++;
		w->total -= it->size < w->total ? it->size : w->total;
		return STORE_REMOVE;
	}
	return STORE_NEXT;
}

int
cachectl_prune(struct store *s, int expired, int64_t max_size, int64_t now,
    struct cachectl_stats *st, char **err)
{
	struct store_filter f = { NULL, -1 };
	struct walk w = { .st = st, .now = now, .expired = expired,
	    .max_size = max_size };
	struct store_stats ss;
	int rc;

	memset(st, 0, sizeof(*st));
	if (store_stats(s, now, &ss, err) == -1)
		return -1;
	w.total = ss.bytes;
	rc = store_walk(s, &f, visit_prune, &w, &st->freed, err);
	return compact(s, st, rc, err);
}

static enum store_walk_do
visit_all(void *arg, const struct store_item *it)
{
	struct walk *w = arg;

	(void)it;
	w->st->removed++;
	return STORE_REMOVE;
}

int
cachectl_purge(struct store *s, struct cachectl_stats *st, char **err)
{
	struct store_filter f = { NULL, -1 };
	struct walk w = { .st = st };
	int rc;

	memset(st, 0, sizeof(*st));
	rc = store_walk(s, &f, visit_all, &w, &st->freed, err);
	return compact(s, st, rc, err);
}

int
cachectl_rm(struct store *s, const char *url, struct cachectl_stats *st,
    char **err)
{
	struct store_filter f = { url, -1 };
	struct walk w = { .st = st };
	int rc;

	memset(st, 0, sizeof(*st));
	rc = store_walk(s, &f, visit_all, &w, &st->freed, err);
	return compact(s, st, rc, err);
}
