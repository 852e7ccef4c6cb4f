/*
 * The scheduler: the only file that talks to the curl multi handle.
 *
 * Admission is ours, not libcurl's: a request is read from the input and
 * handed to the multi handle only when a slot is free (-j) and the output
 * window has room for its result, so libcurl never queues and memory is
 * bounded by the concurrency.  Easy handles are pooled and reused, keeping
 * their options and buffers.  Finished attempts are rendered at once and
 * their transfer goes back to the pool.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "render.h"
#include "scheduler.h"
#include "transfer.h"
#include "url.h"
#include "xalloc.h"

struct sched {
	const struct config	*cfg;
	struct input		*in;
	struct output		*out;
	struct summary		*sum;
	const struct sched_hooks *hooks;

	CURLM			*multi;
	struct curl_slist	*headers;
	SLIST_HEAD(, transfer)	 idle;
	struct transfer		**all;		/* every transfer made */
	size_t			 nall;
	size_t			 inflight;
	size_t			 nread;		/* requests taken from input */
	enum input_status	 input;		/* INPUT_OK while more may come */
	char			*errmsg;	/* set: stop the run */
	struct buf		 text;		/* scratch for rendering */
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void
sched_log(struct sched *s, const struct request *req, const struct result *r)
{
	struct attempt_log log;
	struct buf url, outcome;

	if (s->hooks == NULL || s->hooks->attempt == NULL)
		return;
	buf_init(&url);
	buf_init(&outcome);
	url_redact(req->url, &url);
	if (r->err == ERR_NONE || r->err == ERR_HTTP)
		buf_printf(&outcome, "%ld", r->status);
	else
		buf_printf(&outcome, "%s: %s", err_kind_name(r->err),
		    r->err_msg);
	log.index = req->index;
	log.method = "GET";
	log.url = url.data;
	log.attempt = req->attempts;
	log.outcome = outcome.data;
	log.time_ms = r->time_ms;
	s->hooks->attempt(s->hooks->arg, &log);
	buf_free(&url);
	buf_free(&outcome);
}

/* Counts, renders and writes the final result of req, then frees req. */
static void
sched_finish(struct sched *s, struct request *req, struct result *r)
{
	r->index = req->index;
	r->url = req->url;
	r->name = req->name;
	r->attempts = req->attempts;
	r->cache = CACHE_OFF;
	summary_add(s->sum, r);
	buf_reset(&s->text);
	render_result(r, &s->text);
	output_result(s->out, req->index, &s->text);
	request_free(req);
}

static void
sched_input_error(struct sched *s, struct request *req)
{
	struct result r;

	memset(&r, 0, sizeof(r));
	r.err = ERR_INPUT;
	r.err_msg = req->input_error;
	sched_finish(s, req, &r);
}

static struct transfer *
sched_transfer(struct sched *s)
{
	struct transfer *t;

	if ((t = SLIST_FIRST(&s->idle)) != NULL) {
		SLIST_REMOVE_HEAD(&s->idle, idle);
		return t;
	}
	t = transfer_new(s->cfg, s->headers);
	s->all = xreallocarray(s->all, s->nall + 1, sizeof(*s->all));
	s->all[s->nall++] = t;
	return t;
}

static void
sched_start(struct sched *s, struct request *req)
{
	struct transfer *t;
	struct result r;
	CURLMcode mc;

	t = sched_transfer(s);
	transfer_prepare(t, req);
	req->xfer = t;
	t->t_start = now_ms();
	if (req->attempts++ == 0)
		req->t_first = t->t_start;
	if ((mc = curl_multi_add_handle(s->multi, t->easy)) != CURLM_OK) {
		memset(&r, 0, sizeof(r));
		r.err = ERR_PROTOCOL;
		r.err_msg = curl_multi_strerror(mc);
		SLIST_INSERT_HEAD(&s->idle, t, idle);
		sched_finish(s, req, &r);
		return;
	}
	s->inflight++;
}

/* Takes requests from the input while there is room to run them. */
static void
sched_admit(struct sched *s)
{
	struct request *req;
	char *err;

	while (s->input == INPUT_OK && s->errmsg == NULL &&
	    s->inflight < (size_t)s->cfg->concurrency &&
	    output_room(s->out, s->nread)) {
		s->input = input_next(s->in, 0, &req, &err);
		if (s->input == INPUT_FAIL) {
			s->errmsg = err;
			break;
		}
		if (s->input != INPUT_OK)
			break;
		s->nread++;
		if (req->input_error != NULL)
			sched_input_error(s, req);
		else
			sched_start(s, req);
	}
}

static void
sched_done(struct sched *s, CURL *easy, CURLcode code)
{
	struct transfer *t;
	struct request *req;
	struct result r;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&t);
	curl_multi_remove_handle(s->multi, easy);
	s->inflight--;
	req = t->req;
	memset(&r, 0, sizeof(r));
	transfer_result(t, code, &r);
	r.time_ms = now_ms() - req->t_first;
	sched_log(s, req, &r);
	req->xfer = NULL;
	sched_finish(s, req, &r);
	t->req = NULL;
	SLIST_INSERT_HEAD(&s->idle, t, idle);
}

/* Handles every finished transfer; returns how many there were. */
static int
sched_reap(struct sched *s)
{
	CURLMsg *msg;
	int left, n = 0;

	while ((msg = curl_multi_info_read(s->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		sched_done(s, msg->easy_handle, msg->data.result);
		n++;
	}
	if (output_failed(s->out) && s->errmsg == NULL)
		s->errmsg = xstrdup("the output could not be written");
	return n;
}

static void
sched_wait(struct sched *s)
{
	struct curl_waitfd wfd;
	unsigned int n = 0;
	int fd;

	if (s->input == INPUT_AGAIN && (fd = input_fd(s->in)) != -1) {
		wfd.fd = fd;
		wfd.events = CURL_WAIT_POLLIN;
		wfd.revents = 0;
		n = 1;
	}
	curl_multi_poll(s->multi, n > 0 ? &wfd : NULL, n, 1000, NULL);
	if (s->input == INPUT_AGAIN)
		s->input = INPUT_OK;
}

static void
sched_loop(struct sched *s)
{
	int running;

	for (;;) {
		sched_admit(s);
		if (s->errmsg != NULL)
			break;
		if (s->inflight == 0 && s->input == INPUT_EOF)
			break;
		curl_multi_perform(s->multi, &running);
		if (sched_reap(s) > 0)
			continue;
		sched_wait(s);
	}
}

int
sched_run(const struct config *cfg, struct input *in, struct output *out,
    struct summary *sum, const struct sched_hooks *hooks, char **errmsg)
{
	struct sched s;
	size_t i;

	memset(&s, 0, sizeof(s));
	s.cfg = cfg;
	s.in = in;
	s.out = out;
	s.sum = sum;
	s.hooks = hooks;
	s.input = INPUT_OK;
	SLIST_INIT(&s.idle);
	buf_init(&s.text);
	if ((s.multi = curl_multi_init()) == NULL) {
		*errmsg = xstrdup("cannot create a curl multi handle");
		return -1;
	}
	s.headers = transfer_headers(cfg);
	sched_loop(&s);
	for (i = 0; i < s.nall; i++) {
		if (s.all[i]->req != NULL) {
			curl_multi_remove_handle(s.multi, s.all[i]->easy);
			request_free(s.all[i]->req);
		}
		transfer_free(s.all[i]);
	}
	free(s.all);
	curl_multi_cleanup(s.multi);
	curl_slist_free_all(s.headers);
	buf_free(&s.text);
	*errmsg = s.errmsg;
	return s.errmsg != NULL ? -1 : 0;
}
