/*
 * Names of error kinds and cache states, and the mapping of libcurl's
 * result codes onto the error kinds users see.
 */
#include <string.h>

#include <curl/curl.h>

#include "result.h"

static const char *const err_names[ERR__COUNT] = {
	[ERR_NONE] = "none",
	[ERR_INPUT] = "input",
	[ERR_DNS] = "dns",
	[ERR_CONNECT] = "connect",
	[ERR_TLS] = "tls",
	[ERR_TIMEOUT] = "timeout",
	[ERR_HTTP] = "http",
	[ERR_TOO_LARGE] = "too_large",
	[ERR_DEADLINE] = "deadline",
	[ERR_OFFLINE_MISS] = "offline_miss",
	[ERR_INTERRUPTED] = "interrupted",
	[ERR_PROTOCOL] = "protocol",
	[ERR_REPLAY_MISS] = "replay_miss",
};

static const char *const cache_names[] = {
	[CACHE_OFF] = "off",
	[CACHE_MISS] = "miss",
	[CACHE_HIT] = "hit",
	[CACHE_REVALIDATED] = "revalidated",
	[CACHE_STALE] = "stale",
};

const char *
err_kind_name(enum err_kind k)
{
	return k < ERR__COUNT ? err_names[k] : "protocol";
}

const char *
cache_state_name(enum cache_state c)
{
	return c <= CACHE_STALE ? cache_names[c] : "off";
}

/*
 * 1 when msg, libcurl's error text of a CURLE_RECV_ERROR, says that the
 * response was malformed rather than that the connection was lost.
 * libcurl 7.88 gives both the same code: broken chunked framing ("... in
 * chunked-encoding") and headers past its limit ("Too large response
 * headers") are told apart only by their text.
 */
static int
recv_malformed(const char *msg)
{
	return msg != NULL && (strstr(msg, "chunked-encoding") != NULL ||
	    strstr(msg, "response headers") != NULL);
}

enum err_kind
err_kind_from_curl(int code, const char *msg)
{
	switch ((CURLcode)code) {
	case CURLE_OK:
		return ERR_NONE;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return ERR_DNS;
	/*
	 * A connection refused, reset or closed, before the response or in
	 * the middle of it: the peer or the path failed, which is what
	 * "connect" retries are for.
	 */
	case CURLE_RECV_ERROR:
		return recv_malformed(msg) ? ERR_PROTOCOL : ERR_CONNECT;
	case CURLE_COULDNT_CONNECT:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
		return ERR_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return ERR_TIMEOUT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_USE_SSL_FAILED:
		return ERR_TLS;
	case CURLE_FILESIZE_EXCEEDED:
		return ERR_TOO_LARGE;
	default:
		return ERR_PROTOCOL;
	}
}
