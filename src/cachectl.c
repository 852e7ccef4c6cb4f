/*
 * Cache maintenance.  Each verb is one walk over the folder; prune also
 * sorts what it keeps, oldest first, which costs memory in the number of
 * entries: acceptable for a maintenance command, never done during a run
 * unless --cache-max-size asks for it.
 */
#include <stdlib.h>
#include <string.h>

#include "cachectl.h"
#include "xalloc.h"

/* Temp files younger than this may belong to a run still writing them. */
#define TEMP_GRACE_MS (60 * 1000)

struct walk {
	struct cache		*c;
	struct cachectl_stats	*st;
	int64_t			 now;
	int			 expired;
	const char		*url;
	void			(*list)(void *, const struct entry *);
	void			*arg;
	uint64_t		 invalid;	/* list: files not entries */
	struct kept {
		char	*name;
		int64_t	 stored_at;
		off_t	 size;
	}			*kept;
	size_t			 nkept;
};

static int
visit_stats(void *arg, struct cache_item *it)
{
	struct walk *w = arg;

	w->st->bytes += (uint64_t)it->size;
	if (it->valid) {
		w->st->entries++;
		if (it->entry->expires_at <= w->now)
			w->st->expired++;
	}
	return 0;
}

int
cachectl_stats(struct cache *c, int64_t now, struct cachectl_stats *st)
{
	struct walk w = { .c = c, .st = st, .now = now };

	memset(st, 0, sizeof(*st));
	return cache_walk(c, visit_stats, &w);
}

static int
visit_list(void *arg, struct cache_item *it)
{
	struct walk *w = arg;

	if (it->valid)
		w->list(w->arg, it->entry);
	else if (!it->temp)
		w->invalid++;
	return 0;
}

int
cachectl_list(struct cache *c, void (*fn)(void *, const struct entry *),
    void *arg, uint64_t *invalid)
{
	struct walk w = { .c = c, .list = fn, .arg = arg };
	int rc;

	rc = cache_walk(c, visit_list, &w);
	*invalid = w.invalid;
	return rc;
}

static void
drop(struct walk *w, const struct cache_item *it)
{
	if (cache_remove(w->c, it->name) == 0) {
		w->st->removed++;
		w->st->freed += (uint64_t)it->size;
	}
}

static int
visit_prune(void *arg, struct cache_item *it)
{
	struct walk *w = arg;
	struct kept *k;

	if (it->temp) {
		if (w->now - it->mtime_ms > TEMP_GRACE_MS)
			drop(w, it);
		return 0;
	}
	if (!it->valid || (w->expired && it->entry->expires_at <= w->now)) {
		drop(w, it);
		return 0;
	}
	w->kept = xreallocarray(w->kept, w->nkept + 1, sizeof(*w->kept));
	k = &w->kept[w->nkept++];
	k->name = xstrdup(it->name);
	k->stored_at = it->entry->stored_at;
	k->size = it->size;
	return 0;
}

static int
kept_cmp(const void *a, const void *b)
{
	const struct kept *x = a, *y = b;

	return x->stored_at < y->stored_at ? -1 : x->stored_at > y->stored_at;
}

int
cachectl_prune(struct cache *c, int expired, int64_t max_size, int64_t now,
    struct cachectl_stats *st)
{
	struct walk w = { .c = c, .st = st, .now = now, .expired = expired };
	uint64_t total = 0;
	size_t i;
	int rc;

	memset(st, 0, sizeof(*st));
	rc = cache_walk(c, visit_prune, &w);
	for (i = 0; i < w.nkept; i++)
		total += (uint64_t)w.kept[i].size;
	qsort(w.kept, w.nkept, sizeof(*w.kept), kept_cmp);
	for (i = 0; i < w.nkept; i++) {
		if (max_size >= 0 && total > (uint64_t)max_size &&
		    cache_remove(c, w.kept[i].name) == 0) {
			total -= (uint64_t)w.kept[i].size;
			st->removed++;
			st->freed += (uint64_t)w.kept[i].size;
		}
		free(w.kept[i].name);
	}
	free(w.kept);
	return rc;
}

static int
visit_purge(void *arg, struct cache_item *it)
{
	drop(arg, it);
	return 0;
}

int
cachectl_purge(struct cache *c, struct cachectl_stats *st)
{
	struct walk w = { .c = c, .st = st };

	memset(st, 0, sizeof(*st));
	return cache_walk(c, visit_purge, &w);
}

static int
visit_rm(void *arg, struct cache_item *it)
{
	struct walk *w = arg;

	if (it->valid && strcmp(it->entry->url, w->url) == 0)
		drop(w, it);
	return 0;
}

int
cachectl_rm(struct cache *c, const char *url, struct cachectl_stats *st)
{
	struct walk w = { .c = c, .st = st, .url = url };

	memset(st, 0, sizeof(*st));
	return cache_walk(c, visit_rm, &w);
}
