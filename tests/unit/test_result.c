/* libcurl codes to error kinds, and the names users see. */
#include <string.h>

#include <curl/curl.h>

#include "result.h"
#include "unit.h"

static const struct {
	int		 code;
	const char	*kind;
} cases[] = {
	{ CURLE_COULDNT_RESOLVE_HOST, "dns" },
	{ CURLE_COULDNT_RESOLVE_PROXY, "dns" },
	{ CURLE_COULDNT_CONNECT, "connect" },
	{ CURLE_RECV_ERROR, "connect" },
	{ CURLE_SEND_ERROR, "connect" },
	{ CURLE_GOT_NOTHING, "connect" },
	{ CURLE_OPERATION_TIMEDOUT, "timeout" },
	{ CURLE_SSL_CONNECT_ERROR, "tls" },
	{ CURLE_PEER_FAILED_VERIFICATION, "tls" },
	{ CURLE_SSL_CACERT_BADFILE, "tls" },
	{ CURLE_FILESIZE_EXCEEDED, "too_large" },
	{ CURLE_TOO_MANY_REDIRECTS, "protocol" },
	{ CURLE_UNSUPPORTED_PROTOCOL, "protocol" },
	{ CURLE_WEIRD_SERVER_REPLY, "protocol" },
	{ CURLE_BAD_CONTENT_ENCODING, "protocol" },
	{ CURLE_PARTIAL_FILE, "protocol" },
	{ CURLE_OK, "none" },
};

int
main(void)
{
	const char *got;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = err_kind_name(err_kind_from_curl(cases[i].code));
		CHECK(strcmp(got, cases[i].kind) == 0, "curl code %d is %s",
		    cases[i].code, got);
	}
	CHECK(strcmp(cache_state_name(CACHE_REVALIDATED), "revalidated") == 0 &&
	    strcmp(err_kind_name(ERR_OFFLINE_MISS), "offline_miss") == 0,
	    "names of a cache state and an error kind");
	return unit_done();
}
