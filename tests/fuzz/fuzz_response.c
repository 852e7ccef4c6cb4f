/*
 * libFuzzer target: a whole HTTP response (status line, headers, body) as
 * a server sends it, read by libcurl over loopback TCP through gather's
 * transfer: Retry-After, the --headers object, the result and its
 * rendering, and the retry decision the Retry-After feeds.  The headers
 * object and the rendered result must be valid JSON.  The harness itself
 * plays the server on a listening socket of its own.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "render.h"
#include "retry.h"
#include "transfer.h"
#include "url.h"

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct config cfg;
static struct transfer *tr;
static CURLM *multi;
static int listener = -1;
static char url[64];
static CURLU *cu;		/* url, parsed once */
static char *norm;		/* its text */

/* Listens on a free loopback port, non-blocking; aborts on failure. */
static void
listen_any(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) ==
		-1 ||
	    bind(listener, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(listener, 16) == -1 ||
	    getsockname(listener, (struct sockaddr *)&sin, &len) == -1)
		abort();
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", ntohs(sin.sin_port));
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *why;

	(void)argc;
	(void)argv;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	config_defaults(&cfg);
	cfg.timeout_ms = 5000;
	tr = transfer_new(&cfg, NULL);
	/* One connection per input: no reuse of the last input's. */
	curl_easy_setopt(tr->easy, CURLOPT_FORBID_REUSE, 1L);
	multi = curl_multi_init();
	listen_any();
	if ((cu = url_new(url, NULL, &why)) == NULL)
		abort();
	norm = url_text(cu);
	return 0;
}

static uint32_t
zero_rand(void *arg, uint32_t bound)
{
	(void)arg;
	(void)bound;
	return 0;
}

static void
must_parse(const struct buf *b)
{
	cJSON *j;

	if ((j = cJSON_ParseWithLength(b->data, b->len)) == NULL)
		abort();
	cJSON_Delete(j);
}

static void
check(struct result *r)
{
	struct retry_outcome o = {
		.method = "GET", .attempts = 1, .time_left_ms = -1
	};
	struct retry_decision d;
	struct buf b;

	buf_init(&b);
	transfer_headers_json(tr, &cfg, &b);
	must_parse(&b);
	buf_reset(&b);
	(void)transfer_header(tr, "Retry-After");
	o.err = r->err;
	o.status = r->status;
	o.retry_after_ms = r->retry_after_ms;
	retry_decide(&cfg.retry, &o, zero_rand, NULL, &d);
	if (d.retry && d.delay_ms < 0)
		abort();
	r->url = url;
	r->attempts = 1;
	(void)render_result(r, NULL, 0, &b);
	must_parse(&b);
	buf_free(&b);
}

/*
 * Runs the transfer, answering its connection with the size bytes at data
 * and then a hang-up; returns libcurl's result.
 */
static CURLcode
serve(const uint8_t *data, size_t size)
{
	CURLMsg *msg;
	CURLcode code = CURLE_OK;
	size_t off = 0;
	ssize_t n;
	int running = 1, srv = -1, left;

	curl_multi_add_handle(multi, tr->easy);
	while (running) {
		curl_multi_perform(multi, &running);
		if (srv == -1)
			srv = accept4(listener, NULL, NULL, SOCK_NONBLOCK);
		if (srv != -1 && off < size &&
		    (n = write(srv, data + off, size - off)) > 0)
			off += (size_t)n;
		if (srv != -1 && off == size)
			shutdown(srv, SHUT_WR);
		if (running)
			curl_multi_poll(multi, NULL, 0, 10, NULL);
	}
	while ((msg = curl_multi_info_read(multi, &left)) != NULL)
		if (msg->msg == CURLMSG_DONE)
			code = msg->data.result;
	curl_multi_remove_handle(multi, tr->easy);
	if (srv != -1)
		close(srv);
	return code;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request req;
	struct result r;
	CURLcode code;

	if (size > 65536)
		return 0;
	memset(&req, 0, sizeof(req));
	req.url = url;
	req.cu = cu;
	req.norm_url = norm;
	transfer_prepare(tr, &req, &cfg, 0);
	code = serve(data, size);
	memset(&r, 0, sizeof(r));
	transfer_result(tr, code, &cfg.ok, &r);
	check(&r);
	return 0;
}
