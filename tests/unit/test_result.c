/* libcurl codes to error kinds, and the names users see. */
#include <string.h>

#include <curl/curl.h>

#include "result.h"
#include "unit.h"

static const struct {
	int		 code;
	const char	*msg;	/* libcurl's error text, as 7.88 words it */
	const char	*kind;
} cases[] = {
	{ CURLE_COULDNT_RESOLVE_HOST, NULL, "dns" },
	{ CURLE_COULDNT_RESOLVE_PROXY, NULL, "dns" },
	{ CURLE_COULDNT_CONNECT, NULL, "connect" },
	{ CURLE_RECV_ERROR, NULL, "connect" },
	{ CURLE_RECV_ERROR, "Recv failure: Connection reset by peer",
	    "connect" },
	{ CURLE_RECV_ERROR, "OpenSSL SSL_read: error:0A000126:SSL routines::"
	    "unexpected eof while reading, errno 0", "connect" },
	{ CURLE_SEND_ERROR, NULL, "connect" },
	{ CURLE_GOT_NOTHING, NULL, "connect" },
	/* A connection lost in the middle of the response. */
	{ CURLE_PARTIAL_FILE, "transfer closed with 987 bytes remaining to "
	    "read", "connect" },
	{ CURLE_PARTIAL_FILE, "transfer closed with outstanding read data "
	    "remaining", "connect" },
	{ CURLE_OPERATION_TIMEDOUT, NULL, "timeout" },
	{ CURLE_SSL_CONNECT_ERROR, NULL, "tls" },
	{ CURLE_PEER_FAILED_VERIFICATION, NULL, "tls" },
	{ CURLE_SSL_CACERT_BADFILE, NULL, "tls" },
	{ CURLE_FILESIZE_EXCEEDED, NULL, "too_large" },
	{ CURLE_TOO_MANY_REDIRECTS, NULL, "protocol" },
	{ CURLE_UNSUPPORTED_PROTOCOL, "Unsupported response code in HTTP "
	    "response", "protocol" },
	{ CURLE_WEIRD_SERVER_REPLY, "Header without colon", "protocol" },
	{ CURLE_BAD_CONTENT_ENCODING, NULL, "protocol" },
	{ CURLE_OUT_OF_MEMORY, NULL, "protocol" },
	/* Malformed responses libcurl 7.88 reports as receive errors. */
	{ CURLE_RECV_ERROR, "Illegal or missing hexadecimal sequence in "
	    "chunked-encoding", "protocol" },
	{ CURLE_RECV_ERROR, "Malformed encoding found in chunked-encoding",
	    "protocol" },
	{ CURLE_RECV_ERROR, "Too large response headers: 307203 > 307200",
	    "protocol" },
	{ CURLE_OK, NULL, "none" },
};

int
main(void)
{
	const char *got;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = err_kind_name(err_kind_from_curl(cases[i].code,
		    cases[i].msg));
		CHECK(strcmp(got, cases[i].kind) == 0, "curl code %d (%s) is %s",
		    cases[i].code, cases[i].msg ? cases[i].msg : "no text", got);
	}
	CHECK(strcmp(cache_state_name(CACHE_REVALIDATED), "revalidated") == 0 &&
	    strcmp(err_kind_name(ERR_OFFLINE_MISS), "offline_miss") == 0,
	    "names of a cache state and an error kind");
	return unit_done();
}
