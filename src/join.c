/*
 * Joining shard outputs.  Each file is held whole in memory (mapped, when
 * it is a regular file) until the results are written; a result costs a
 * record of where its text is besides, and is parsed once, to be counted.
 * It does not stream: an --ndjson run without --ordered writes its lines
 * in no order, and the checks need every index before the first is
 * written.  Results are given out as written, blanks aside: their numbers
 * and strings are never parsed and printed again.
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "join.h"
#include "json.h"
#include "shard.h"
#include "summary.h"
#include "xalloc.h"

/* The most lines of each kind a failed check names. */
#define JOIN_LINES_MAX	10

/* The most index ranges one line names. */
#define JOIN_RANGES_MAX	8

struct join_file {
	const char	*path;
	char		*data;
	size_t		 len;
	int		 mapped;
	size_t		 nresults;
	size_t		 nsummaries;
};

/* One result: where its text is, in which file. */
struct join_rec {
	size_t		 index;
	size_t		 file;
	const char	*text;
	size_t		 len;
};

/* One summary: the shard it names (n 0: none) and what is summed. */
struct join_sum {
	size_t		 file;
	long		 k, n;
	uint64_t	 total, retries;
	double		 time_ms;
};

struct join {
	struct join_file *files;
	size_t		  nfiles;
	struct join_rec	 *recs;
	size_t		  nrecs, caprecs;
	struct join_sum	 *sums;
	size_t		  nsums;
	struct summary	 *sum;
	uint64_t	  retries;	/* from the results' attempts */
	double		  max_ms;	/* the longest result */
	int		  complete;	/* every shard's summary is at hand */
};

struct join *
join_new(void)
{
	struct join *j;

	j = xcalloc(1, sizeof(*j));
	j->sum = summary_new();
	return j;
}

void
join_free(struct join *j)
{
	size_t i;

	if (j == NULL)
		return;
	for (i = 0; i < j->nfiles; i++) {
		if (j->files[i].mapped)
			munmap(j->files[i].data, j->files[i].len);
		else
			free(j->files[i].data);
	}
	free(j->files);
	free(j->recs);
	free(j->sums);
	summary_free(j->sum);
	free(j);
}

/* Reads all of fd into f; 0, or -1 with errno set. */
static int
join_slurp(struct join_file *f, int fd)
{
	struct stat st;
	struct buf b;
	ssize_t n;

	if (fstat(fd, &st) == -1)
		return -1;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return -1;
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		f->data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
		    fd, 0);
		if (f->data != MAP_FAILED) {
			f->len = (size_t)st.st_size;
			f->mapped = 1;
			return 0;
		}
		f->data = NULL;
	}
	buf_init(&b);
	for (;;) {
		buf_reserve(&b, 65536);
		n = read(fd, b.data + b.len, b.cap - b.len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		b.len += (size_t)n;
	}
	if (n == -1) {
		buf_free(&b);
		return -1;
	}
	f->len = b.len;
	f->data = buf_steal(&b);
	return 0;
}

/* The line of f that p is on, counted from 1. */
static size_t
join_line(const struct join_file *f, const char *p)
{
	const char *q = f->data;
	size_t line = 1;

	while ((q = memchr(q, '\n', (size_t)(p - q))) != NULL) {
		line++;
		q++;
	}
	return line;
}

static const char *
skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
	    *p == '\r'))
		p++;
	return p;
}

/*
 * The value of member key in the object at v (checked JSON), through
 * *start and the return value; NULL when it has none.
 */
static const char *
member(const char *v, const char *end, const char *key, const char **start)
{
	size_t klen = strlen(key);
	const char *k, *kend, *p;

	p = skip_blanks(v + 1, end);
	while (p < end && *p == '"') {
		kend = json_value_span(p, end, &k);
		p = skip_blanks(kend, end) + 1;	/* past ':' */
		if ((p = json_value_span(p, end, start)) == NULL)
			return NULL;
		if ((size_t)(kend - k) == klen + 2 &&
		    memcmp(k + 1, key, klen) == 0)
			return p;
		p = skip_blanks(p, end);
		if (p < end && *p == ',')
			p = skip_blanks(p + 1, end);
	}
	return NULL;
}

/*
 * The number member key of o, from 0 to max; dflt when it is missing, not
 * a number or below 0.  A file gather did not write cannot overflow a
 * count.
 */
static double
num(const cJSON *o, const char *key, double dflt, double max)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v) || !(v->valuedouble >= 0))
		return dflt;
	return v->valuedouble > max ? max : v->valuedouble;
}

static enum cache_state
cache_of(const cJSON *o)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, "cache");
	int c;

	if (cJSON_IsString(v))
		for (c = CACHE_OFF; c <= CACHE_STALE; c++)
			if (strcmp(v->valuestring,
			    cache_state_name((enum cache_state)c)) == 0)
				return (enum cache_state)c;
	return CACHE_OFF;
}

/* The error kind of a failed result; one gather does not know: protocol. */
static enum err_kind
kind_of(const cJSON *o)
{
	const cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "error");
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "kind");
	int k;

	if (cJSON_IsString(v))
		for (k = ERR_INPUT; k < ERR__COUNT; k++)
			if (strcmp(v->valuestring,
			    err_kind_name((enum err_kind)k)) == 0)
				return (enum err_kind)k;
	return ERR_PROTOCOL;
}

/* Counts the result o into the summary, as the run that made it did. */
static void
join_count_result(struct join *j, const cJSON *o)
{
	struct result r;
	double bytes = num(o, "bytes", -1, 1e15);

	memset(&r, 0, sizeof(r));
	r.ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "ok"));
	r.status = (long)num(o, "status", 0, 999);
	r.attempts = (int)num(o, "attempts", 0, 1000000);
	r.cache = cache_of(o);
	r.time_ms = num(o, "time_ms", 0, 1e12);
	r.has_body = bytes >= 0;
	r.body_len = bytes >= 0 ? (size_t)bytes : 0;
	r.err = r.ok ? ERR_NONE : kind_of(o);
	summary_add(j->sum, &r);
	if (r.attempts > 1)
		j->retries += (uint64_t)r.attempts - 1;
	if (r.time_ms > j->max_ms)
		j->max_ms = r.time_ms;
}

/* The largest index kept exactly by a double, and by any size_t here. */
#define INDEX_MAX 9007199254740991.0

static int
join_result_add(struct join *j, size_t fi, const char *text, size_t len,
    char **errmsg)
{
	struct join_file *f = &j->files[fi];
	struct join_rec *r;
	const cJSON *idx;
	cJSON *o;

	o = cJSON_ParseWithLength(text, len);
	idx = cJSON_GetObjectItemCaseSensitive(o, "index");
	if (!cJSON_IsNumber(idx) || idx->valuedouble < 0 ||
	    idx->valuedouble > INDEX_MAX ||
	    floor(idx->valuedouble) != idx->valuedouble ||
	    !cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(o, "ok"))) {
		*errmsg = xasprintf("%s: line %zu: a result without a whole "
		    "\"index\" and a true or false \"ok\"", f->path,
		    join_line(f, text));
		cJSON_Delete(o);
		return -1;
	}
	if (j->nrecs == j->caprecs) {
		j->caprecs = j->caprecs == 0 ? 1024 : j->caprecs * 2;
		j->recs = xreallocarray(j->recs, j->caprecs,
		    sizeof(*j->recs));
	}
	r = &j->recs[j->nrecs++];
	r->index = (size_t)idx->valuedouble;
	r->file = fi;
	r->text = text;
	r->len = len;
	join_count_result(j, o);
	cJSON_Delete(o);
	f->nresults++;
	return 0;
}

static int
join_summary_add(struct join *j, size_t fi, const char *text, size_t len,
    char **errmsg)
{
	struct join_file *f = &j->files[fi];
	struct join_sum *s;
	const cJSON *shard;
	const char *errstr;
	cJSON *o;
	int rc = 0;

	o = cJSON_ParseWithLength(text, len);
	j->sums = xreallocarray(j->sums, j->nsums + 1, sizeof(*j->sums));
	s = &j->sums[j->nsums];
	memset(s, 0, sizeof(*s));
	s->file = fi;
	s->total = (uint64_t)num(o, "total", 0, 1e15);
	s->retries = (uint64_t)num(o, "retries", 0, 1e15);
	s->time_ms = num(o, "time_ms", 0, 1e12);
	shard = cJSON_GetObjectItemCaseSensitive(o, "shard");
	if (shard != NULL && (!cJSON_IsString(shard) ||
	    shard_parse(shard->valuestring, &s->k, &s->n, &errstr) == -1)) {
		*errmsg = xasprintf("%s: line %zu: a summary whose \"shard\" "
		    "is not K/N", f->path, join_line(f, text));
		rc = -1;
	} else {
		j->nsums++;
		f->nsummaries++;
	}
	cJSON_Delete(o);
	return rc;
}

/* The results of the document at [v, vend) and its summary. */
static int
join_document(struct join *j, size_t fi, const char *v, const char *vend,
    const char *results, char **errmsg)
{
	const char *p, *e, *start;

	p = skip_blanks(results + 1, vend);
	while (p < vend && *p != ']') {
		e = json_value_span(p, vend, &start);
		if (join_result_add(j, fi, start, (size_t)(e - start),
		    errmsg) == -1)
			return -1;
		p = skip_blanks(e, vend);
		if (p < vend && *p == ',')
			p++;
	}
	if ((e = member(v, vend, "summary", &start)) != NULL && *start == '{')
		return join_summary_add(j, fi, start, (size_t)(e - start),
		    errmsg);
	return 0;
}

/* One top-level value of file fi: a document, a result or a summary. */
static int
join_value(struct join *j, size_t fi, const char *v, const char *vend,
    char **errmsg)
{
	struct join_file *f = &j->files[fi];
	const char *start;

	if (*v == '{') {
		if (member(v, vend, "results", &start) != NULL &&
		    *start == '[')
			return join_document(j, fi, v, vend, start, errmsg);
		if (member(v, vend, "index", &start) != NULL)
			return join_result_add(j, fi, v, (size_t)(vend - v),
			    errmsg);
		if (member(v, vend, "total", &start) != NULL)
			return join_summary_add(j, fi, v, (size_t)(vend - v),
			    errmsg);
	}
	*errmsg = xasprintf("%s: line %zu: not a gather document, result or "
	    "summary", f->path, join_line(f, v));
	return -1;
}

int
join_add(struct join *j, const char *path, char **errmsg)
{
	struct join_file *f;
	const char *p, *end, *v;
	size_t fi;
	int fd;

	*errmsg = NULL;
	j->files = xreallocarray(j->files, j->nfiles + 1, sizeof(*j->files));
	fi = j->nfiles;
	f = &j->files[fi];
	memset(f, 0, sizeof(*f));
	f->path = path;
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*errmsg = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (join_slurp(f, fd) == -1) {
		*errmsg = xasprintf("%s: %s", path, strerror(errno));
		if (fd != STDIN_FILENO)
			close(fd);
		return -1;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	j->nfiles++;
	p = f->data;
	end = f->data + f->len;
	for (;;) {
		if ((p = json_value_span(p, end, &v)) == NULL) {
			if (v == end)
				return 0;
			*errmsg = xasprintf("%s: line %zu: not JSON", path,
			    join_line(f, v));
			return -1;
		}
		if (join_value(j, fi, v, p, errmsg) == -1)
			return -1;
	}
}

static int
rec_cmp(const void *a, const void *b)
{
	const struct join_rec *x = a, *y = b;

	if (x->index != y->index)
		return x->index < y->index ? -1 : 1;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	return x->text < y->text ? -1 : x->text > y->text;
}

/* A run of indexes, from to to, both in. */
struct join_range {
	size_t	from, to;
};

/*
 * Appends "index 4" or "indexes 0-3, 7": the n ranges at r of count
 * indexes in all, the first JOIN_RANGES_MAX of them named.
 */
static void
add_ranges(struct buf *b, const struct join_range *r, size_t n,
    size_t count)
{
	size_t i;

	buf_adds(b, count == 1 ? "index " : "indexes ");
	for (i = 0; i < n; i++) {
		if (i == JOIN_RANGES_MAX) {
			buf_printf(b, ", ... (%zu in all)", count);
			return;
		}
		buf_printf(b, "%s%zu", i > 0 ? ", " : "", r[i].from);
		if (r[i].to > r[i].from)
			buf_printf(b, "-%zu", r[i].to);
	}
}

/*
 * Adds the indexes from..to, above those already there, to the n ranges
 * at r (room for JOIN_RANGES_MAX + 1; ranges past it are only counted).
 */
static void
range_add(struct join_range *r, size_t *n, size_t from, size_t to)
{
	if (*n > 0 && *n <= JOIN_RANGES_MAX + 1 && r[*n - 1].to + 1 == from) {
		r[*n - 1].to = to;
		return;
	}
	if (*n <= JOIN_RANGES_MAX)
		r[*n] = (struct join_range){ from, to };
	(*n)++;
}

/* An index found twice: in file a and in file b (maybe a itself). */
struct join_dup {
	size_t	a, b, index;
};

static int
dup_cmp(const void *x, const void *y)
{
	const struct join_dup *p = x, *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	if (p->b != q->b)
		return p->b < q->b ? -1 : 1;
	return p->index < q->index ? -1 : p->index > q->index;
}

/* One line per pair of files that hold the same indexes. */
static void
join_overlaps(struct join *j, struct buf *msg)
{
	struct join_range r[JOIN_RANGES_MAX + 1];
	struct join_dup *d;
	size_t i, n = 0, from, k, nr, lines = 0;

	d = xreallocarray(NULL, j->nrecs + 1, sizeof(*d));
	for (i = 1; i < j->nrecs; i++)
		if (j->recs[i].index == j->recs[i - 1].index)
			d[n++] = (struct join_dup){ j->recs[i - 1].file,
			    j->recs[i].file, j->recs[i].index };
	qsort(d, n, sizeof(*d), dup_cmp);
	for (i = 0; i < n && lines < JOIN_LINES_MAX; i = from, lines++) {
		nr = k = 0;
		for (from = i; from < n && d[from].a == d[i].a &&
		    d[from].b == d[i].b; from++) {
			if (from > i && d[from].index == d[from - 1].index)
				continue;	/* three copies or more */
			range_add(r, &nr, d[from].index, d[from].index);
			k++;
		}
		add_ranges(msg, r, nr, k);
		if (d[i].a == d[i].b)
			buf_printf(msg, " %s twice in %s\n", k == 1 ? "is" :
			    "are", j->files[d[i].a].path);
		else
			buf_printf(msg, " %s in both %s and %s\n", k == 1 ?
			    "is" : "are", j->files[d[i].a].path,
			    j->files[d[i].b].path);
	}
	free(d);
}

/*
 * The indexes below end (or up to the last index held, when it is above)
 * that no file holds.
 */
static void
join_gaps(struct join *j, size_t end, struct buf *msg)
{
	struct join_range r[JOIN_RANGES_MAX + 1];
	size_t i, want = 0, nr = 0, count = 0;

	for (i = 0; i < j->nrecs; i++) {
		if (j->recs[i].index > want) {
			range_add(r, &nr, want, j->recs[i].index - 1);
			count += j->recs[i].index - want;
		}
		if (j->recs[i].index >= want)
			want = j->recs[i].index + 1;
	}
	if (end > want) {
		range_add(r, &nr, want, end - 1);
		count += end - want;
	}
	if (count > 0) {
		add_ranges(msg, r, nr, count);
		buf_printf(msg, " %s in no file\n", count == 1 ? "is" : "are");
	}
}

/* Names the shard of summary s: "shard 2/4" or "a whole run". */
static void
add_shard(struct buf *b, const struct join_sum *s)
{
	if (s->n > 0)
		buf_printf(b, "shard %ld/%ld", s->k, s->n);
	else
		buf_adds(b, "a whole run");
}

/*
 * The summaries name the shards of one split: the same N, no K twice,
 * and none missing, when the files of results that came without their
 * summary (NDJSON) are no more than the summaries that came without
 * results (their --summary files).  Sets complete when every shard's
 * summary is here, once.
 */
static void
join_shards(struct join *j, struct buf *msg)
{
	const struct join_sum *first = &j->sums[0], *s;
	size_t i, m, bare = 0, lone = 0, lines = 0;
	long n = first->n, k, *seen;

	for (i = 0; i < j->nfiles; i++) {
		if (j->files[i].nresults > 0 && j->files[i].nsummaries == 0)
			bare++;
		if (j->files[i].nresults == 0 && j->files[i].nsummaries > 0)
			lone++;
	}
	for (i = 1; i < j->nsums; i++) {
		s = &j->sums[i];
		if (s->n == n)
			continue;
		buf_printf(msg, "%s is ", j->files[first->file].path);
		add_shard(msg, first);
		buf_printf(msg, " but %s is ", j->files[s->file].path);
		add_shard(msg, s);
		buf_addc(msg, '\n');
		return;
	}
	if (n == 0) {
		j->complete = j->nsums == 1;
		return;
	}
	seen = xcalloc((size_t)n + 1, sizeof(*seen));
	for (i = 0; i < j->nsums; i++) {
		s = &j->sums[i];
		if (seen[s->k] != 0 && lines++ < JOIN_LINES_MAX)
			buf_printf(msg, "shard %ld/%ld is in both %s and %s\n",
			    s->k, n, j->files[j->sums[seen[s->k] - 1].file].path,
			    j->files[s->file].path);
		seen[s->k] = (long)i + 1;
	}
	for (k = 1, m = 0; k <= n; k++) {
		if (seen[k] != 0)
			continue;
		if (bare <= lone && m++ < JOIN_LINES_MAX)
			buf_printf(msg, "shard %ld/%ld is missing\n", k, n);
		lines++;
	}
	j->complete = lines == 0;
	free(seen);
}

int
join_check(struct join *j, char **errmsg)
{
	struct buf msg, shards;
	uint64_t total = 0;
	size_t i;

	*errmsg = NULL;
	if (j->nrecs > 0)
		qsort(j->recs, j->nrecs, sizeof(*j->recs), rec_cmp);
	buf_init(&msg);
	buf_init(&shards);
	if (j->nsums > 0)
		join_shards(j, &shards);
	/* Every shard's summary: they count every input once. */
	for (i = 0; j->complete && i < j->nsums; i++)
		total += j->sums[i].total;
	join_overlaps(j, &msg);
	join_gaps(j, total < SIZE_MAX ? (size_t)total : SIZE_MAX, &msg);
	if (shards.len > 0)
		buf_add(&msg, shards.data, shards.len);
	buf_free(&shards);
	if (msg.len == 0 && j->complete && total < j->nrecs)
		buf_printf(&msg, "the summaries count %llu results, the files "
		    "hold %zu\n", (unsigned long long)total, j->nrecs);
	if (msg.len == 0) {
		buf_free(&msg);
		return 0;
	}
	*errmsg = buf_steal(&msg);
	return -1;
}

size_t
join_count(const struct join *j)
{
	return j->nrecs;
}

uint64_t
join_failed(const struct join *j)
{
	return j->sum->failed;
}

void
join_result(const struct join *j, size_t i, struct buf *b)
{
	const struct join_rec *r = &j->recs[i];

	/* Checked as it was read: it cannot fail. */
	json_embed(b, r->text, r->len);
}

void
join_summary(struct join *j, struct buf *b)
{
	double wall = j->max_ms;
	uint64_t retries = 0;
	size_t i;

	if (j->nsums > 0)
		wall = 0;
	for (i = 0; i < j->nsums; i++) {
		retries += j->sums[i].retries;
		if (j->sums[i].time_ms > wall)
			wall = j->sums[i].time_ms;
	}
	/*
	 * Identical requests fall in one shard, whose summary counted a
	 * shared fetch's retries once; the results alone cannot tell.
	 */
	j->sum->retries = j->complete ? retries : j->retries;
	summary_json(j->sum, wall, b);
}
