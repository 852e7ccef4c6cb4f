/*
 * The host table: a red-black tree by key.  It holds counts and queues;
 * deciding who may start is the scheduler's job.
 */
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "xalloc.h"


struct host_node {
	RB_ENTRY(host_node) entry;
	struct host	 host;
};

static int
host_cmp(struct host_node *a, struct host_node *b)
{
	return strcmp(a->host.key, b->host.key);
}

RB_HEAD(host_tree, host_node);
RB_GENERATE_STATIC(host_tree, host_node, entry, host_cmp)

struct hosts {
	struct host_tree tree;
};

struct hosts *
hosts_new(void)
{
	struct hosts *h;

	h = xcalloc(1, sizeof(*h));
	RB_INIT(&h->tree);
	return h;
}

void
hosts_free(struct hosts *h)
{
	struct host_node *n, *next;

	if (h == NULL)
		return;
	RB_FOREACH_SAFE(n, host_tree, &h->tree, next) {
		RB_REMOVE(host_tree, &h->tree, n);
		free(n->host.key);
		free(n);
	}
	free(h);
}

struct host *
hosts_get(struct hosts *h, const char *key)
{
	struct host_node find, *n;

	find.host.key = (char *)key;
	if ((n = RB_FIND(host_tree, &h->tree, &find)) != NULL)
		return &n->host;
	n = xcalloc(1, sizeof(*n));
	n->host.key = xstrdup(key);
	TAILQ_INIT(&n->host.waiting);
	RB_INSERT(host_tree, &h->tree, n);
	return &n->host;
}
