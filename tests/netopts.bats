#!/usr/bin/env bats
# Network options as curl spells them (issue 13, items 3 to 6): proxies,
# name pinning, TLS identity and protocols, JSON bodies and cookies.  The
# evidence comes from outside gather: the fixture server's log, the
# proxy's log (tests/server/proxy.py), nginx's access log, the jar file.

bats_require_minimum_version 1.5.0

load helpers

# A free TCP port on 127.0.0.1.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# A CA, a server certificate for 127.0.0.1 and a client certificate it
# signed, in $TLS (EC keys: quick to make).
make_certs() {
	local d=$TLS ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1)
	mkdir -p "$d"
	openssl req -x509 "${ec[@]}" -nodes -keyout "$d/ca.key" \
	    -out "$d/ca.pem" -days 2 -subj /CN=gather-test-ca 2>/dev/null &&
	openssl req "${ec[@]}" -nodes -keyout "$d/server.key" \
	    -out "$d/server.csr" -subj /CN=127.0.0.1 2>/dev/null &&
	openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" \
	    -CAkey "$d/ca.key" -CAcreateserial -out "$d/server.pem" -days 2 \
	    -extfile <(echo 'subjectAltName=IP:127.0.0.1,DNS:localhost') \
	    2>/dev/null &&
	openssl req "${ec[@]}" -nodes -keyout "$d/client.key" \
	    -out "$d/client.csr" -subj /CN=gather-client 2>/dev/null &&
	openssl x509 -req -in "$d/client.csr" -CA "$d/ca.pem" \
	    -CAkey "$d/ca.key" -CAcreateserial -out "$d/client.pem" -days 2 \
	    -extfile <(echo 'extendedKeyUsage=clientAuth') 2>/dev/null &&
	openssl pkcs8 -topk8 -in "$d/client.key" -out "$d/client-enc.key" \
	    -passout pass:kpass-9x7 2>/dev/null
}

# nginx on two free ports: $MTLS asks for a client certificate
# (ssl_verify_client on), $TLSP does not; both speak HTTP/2 and log
# "PORT PROTOCOL URI CLIENT-DN" a line to $TLS/access.log.
nginx_start() {
	local user=
	MTLS=$(free_port) TLSP=$(free_port)
	[ "$(id -u)" = 0 ] && user="user root root;"
	mkdir -p "$TLS/tmp"
	cat >"$TLS/nginx.conf" <<-CONF
	$user
	worker_processes 1;
	pid $TLS/nginx.pid;
	error_log $TLS/error.log;
	daemon on;
	events { worker_connections 64; }
	http {
	    log_format t '\$server_port \$server_protocol \$request_uri \$ssl_client_s_dn';
	    access_log $TLS/access.log t;
	    client_body_temp_path $TLS/tmp;
	    proxy_temp_path $TLS/tmp;
	    fastcgi_temp_path $TLS/tmp;
	    uwsgi_temp_path $TLS/tmp;
	    scgi_temp_path $TLS/tmp;
	    default_type application/json;
	    ssl_certificate $TLS/server.pem;
	    ssl_certificate_key $TLS/server.key;
	    server {
	        listen 127.0.0.1:$MTLS ssl http2;
	        ssl_client_certificate $TLS/ca.pem;
	        ssl_verify_client on;
	        location / { return 200 '{"client": "\$ssl_client_s_dn"}'; }
	    }
	    server {
	        listen 127.0.0.1:$TLSP ssl http2;
	        location / { return 200 '{"proto": "\$server_protocol"}'; }
	    }
	}
	CONF
	nginx -c "$TLS/nginx.conf" -e "$TLS/error.log" 2>>"$TLS/start.err" ||
	    return 1
	wait_for 10 curl -sf --cacert "$TLS/ca.pem" \
	    "https://127.0.0.1:$TLSP/_/up" -o /dev/null
}

setup_file() {
	server_start
	python3 "$BATS_TEST_DIRNAME/server/proxy.py" \
	    --port-file "$BATS_FILE_TMPDIR/proxy.port" \
	    --auth "pu:proxy-s3cret" >/dev/null 3>&- \
	    2>>"$BATS_FILE_TMPDIR/proxy.err" &
	echo $! >"$BATS_FILE_TMPDIR/proxy.pid"
	wait_for 10 test -s "$BATS_FILE_TMPDIR/proxy.port" ||
	    fail "the proxy fixture did not start"
	PROXY_PORT=$(cat "$BATS_FILE_TMPDIR/proxy.port")
	PROXY="http://127.0.0.1:$PROXY_PORT"
	TLS="$BATS_FILE_TMPDIR/tls"
	make_certs || fail "openssl could not make the test certificates"
	nginx_start || fail "nginx did not start: $(cat "$TLS"/*.err "$TLS/error.log" 2>/dev/null)"
	export PROXY PROXY_PORT TLS MTLS TLSP
}

teardown_file() {
	server_stop
	pidfile_stop "$BATS_FILE_TMPDIR/proxy.pid"
	[ -s "$TLS/nginx.pid" ] && kill "$(cat "$TLS/nginx.pid")"
	true
}

setup() {
	server_reset
	curl -sf "$PROXY/_/reset" >/dev/null
	# The environment's proxies would change what these tests see.
	unset http_proxy https_proxy HTTPS_PROXY all_proxy ALL_PROXY \
	    no_proxy NO_PROXY
}

# The proxy's log, and how many requests it forwarded.
proxy_log() { curl -sf "$PROXY/_/log"; }
forwarded() { curl -sf "$PROXY/_/hits" | jq -r .forwarded; }

# The Host header the fixture server got for PATH.
host_seen() {
	curl -sf "$BASE/_/log?path=$1" | jq -r '.[0].headers.host'
}

# nginx's access log lines for URI, "PORT PROTOCOL URI DN".
nginx_log() {
	grep -F " $1 " "$TLS/access.log" || true
}

# --- proxies ------------------------------------------------------------

@test "-x: the proxy forwards every request, and -U reaches it" {
	run --separate-stderr "$GATHER" -x "$PROXY" -U pu:proxy-s3cret \
	    "$BASE/json/p1" "$BASE/json/p2"
	assert_success
	assert_equal "$(j '[.results[].body.path] | join(" ")')" \
	    "/json/p1 /json/p2"
	assert_equal "$(forwarded)" 2
	assert_equal "$(proxy_log | jq -r '[.[].target] | sort | join(" ")')" \
	    "$BASE/json/p1 $BASE/json/p2"
	# curl's Basic: base64 of USER:PASSWORD.
	assert_equal "$(proxy_log | jq -r '.[0].proxy_authorization')" \
	    "Basic $(printf pu:proxy-s3cret | base64)"
	assert_equal "$(hits /json/p1)" 1
}

@test "-x without -U: the proxy's 407 is the result" {
	run --separate-stderr "$GATHER" --proxy "$PROXY" "$BASE/json/p3"
	assert_failure 1
	assert_equal "$(j '.results[0].status')" 407
	assert_equal "$(j '.results[0].error.kind')" http
	assert_equal "$(hits /json/p3)" 0
}

@test "-U: the proxy password shows nowhere: output, -v, cache list" {
	local dir="$BATS_TEST_TMPDIR/cache"
	run --separate-stderr "$GATHER" -v --ttl 1h --cache-dir "$dir" \
	    --proxy-user pu:proxy-s3cret -x "$PROXY" "$BASE/json/p4" \
	    "$BASE/status/503?x=1"
	assert_failure 1
	assert_equal "$(j '.results[0].status')" 200
	[ -n "$stderr" ] || fail "-v logged nothing"
	refute_output --partial proxy-s3cret
	[[ $stderr != *proxy-s3cret* ]] || fail "stderr: $stderr"
	run "$GATHER" cache list --cache-dir "$dir"
	assert_success
	assert_output --partial /json/p4
	refute_output --partial proxy-s3cret
	! grep -rqF proxy-s3cret "$dir" || fail "a cache file holds it"
}

@test "--noproxy: a listed host is reached directly" {
	run --separate-stderr "$GATHER" -x "$PROXY" --noproxy 127.0.0.1 \
	    "$BASE/json/direct"
	assert_success
	assert_equal "$(hits /json/direct)" 1
	assert_equal "$(proxy_log | jq length)" 0
}

@test "http_proxy in the environment still works; --noproxy '*' skips it" {
	http_proxy="$PROXY" run --separate-stderr "$GATHER" \
	    -U pu:proxy-s3cret "$BASE/json/env"
	assert_success
	assert_equal "$(forwarded)" 1
	assert_equal "$(proxy_log | jq -r '.[0].target')" "$BASE/json/env"
	http_proxy="$PROXY" run --separate-stderr "$GATHER" --noproxy '*' \
	    "$BASE/json/env2"
	assert_success
	assert_equal "$(forwarded)" 1
	assert_equal "$(hits /json/env2)" 1
}

@test "spec key proxy: that request alone goes through it" {
	run --separate-stderr "$GATHER" -U pu:proxy-s3cret \
	    "{\"url\": \"$BASE/json/sp1\", \"proxy\": \"$PROXY\"}" \
	    "$BASE/json/sp2"
	assert_success
	assert_equal "$(proxy_log | jq -r '[.[].target] | join(" ")')" \
	    "$BASE/json/sp1"
	assert_equal "$(hits /json/sp2)" 1
	run --separate-stderr "$GATHER" '{"url": "http://x.test/", "proxy": 1}'
	assert_failure 1
	assert_equal "$(j '.results[0].error.kind')" input
}

@test "-x: https goes through a CONNECT tunnel" {
	run --separate-stderr "$GATHER" -x "$PROXY" -U pu:proxy-s3cret \
	    --cacert "$TLS/ca.pem" "https://127.0.0.1:$TLSP/tunnel"
	assert_success
	assert_equal "$(proxy_log | jq -r '.[0] | .method + " " + .target')" \
	    "CONNECT 127.0.0.1:$TLSP"
	assert_equal "$(curl -sf "$PROXY/_/hits" | jq -r .tunnelled)" 1
	[ -n "$(nginx_log /tunnel)" ] || fail "nginx saw no /tunnel"
}

# --- name pinning -------------------------------------------------------

@test "--resolve: a made-up name reaches the fixture server" {
	run --separate-stderr "$GATHER" --resolve "api.test:$PORT:127.0.0.1" \
	    "http://api.test:$PORT/json/pinned"
	assert_success
	assert_equal "$(j '.results[0].url')" "http://api.test:$PORT/json/pinned"
	assert_equal "$(host_seen /json/pinned)" "api.test:$PORT"
}

@test "--connect-to: requests to api.test:80 go to the fixture server" {
	run --separate-stderr "$GATHER" \
	    --connect-to "api.test:80:127.0.0.1:$PORT" \
	    --connect-to "other.test::127.0.0.1:$PORT" \
	    http://api.test/json/ct1 http://other.test/json/ct2
	assert_success
	assert_equal "$(host_seen /json/ct1)" api.test
	assert_equal "$(host_seen /json/ct2)" other.test
}

@test "--per-host counts the URL's host, pinned or not" {
	run --separate-stderr "$GATHER" -j 8 --per-host 1 \
	    --connect-to "a.test:80:127.0.0.1:$PORT" \
	    --connect-to "b.test:80:127.0.0.1:$PORT" \
	    "http://a.test/json/1?delay=300" "http://a.test/json/2?delay=300" \
	    "http://b.test/json/1?delay=300" "http://b.test/json/2?delay=300"
	assert_success
	run curl -sf "$BASE/_/peak"
	assert_equal "$(j '.peak_by_host["a.test"]')" 1
	assert_equal "$(j '.peak_by_host["b.test"]')" 1
}

@test "--resolve and --connect-to: a malformed entry is a usage error" {
	run --separate-stderr "$GATHER" --resolve api.test:80 "$BASE/json/x"
	assert_failure 2
	assert_equal "$stderr" "gather: --resolve: want HOST:PORT:ADDR[,ADDR]..., got 'api.test:80'
Try 'gather --help' for more."
	run --separate-stderr "$GATHER" --resolve api.test:80:localhost \
	    "$BASE/json/x"
	assert_failure 2
	[[ ${stderr_lines[0]} == *"each ADDR must be an IPv4 or IPv6"* ]] ||
	    fail "stderr: $stderr"
	run --separate-stderr "$GATHER" --connect-to a:80:b "$BASE/json/x"
	assert_failure 2
	assert_equal "$(total_hits)" 0
}

@test "--unix-socket: the request goes to the socket, Host as the URL's" {
	local sock="$BATS_TEST_TMPDIR/s.sock"
	python3 "$BATS_TEST_DIRNAME/server/proxy.py" --unix "$sock" \
	    3>&- 2>>"$BATS_FILE_TMPDIR/unix.err" &
	echo $! >"$BATS_TEST_TMPDIR/unix.pid"
	wait_for 10 test -S "$sock" || fail "the socket fixture did not start"
	run --separate-stderr "$GATHER" --unix-socket "$sock" \
	    http://api.test/json/u1 http://api.test/echo
	pidfile_stop "$BATS_TEST_TMPDIR/unix.pid"
	assert_success
	assert_equal "$(j '.results[0].body.path')" /json/u1
	assert_equal "$(j '.results[1].body.headers.host')" api.test
	assert_equal "$(total_hits)" 0
}

# --- TLS identity and protocols -----------------------------------------

@test "-E and --key: nginx that requires a client certificate answers" {
	run --separate-stderr "$GATHER" --cacert "$TLS/ca.pem" \
	    -E "$TLS/client.pem" --key "$TLS/client.key" \
	    "https://127.0.0.1:$MTLS/mtls1"
	assert_success
	assert_equal "$(j '.results[0].body.client')" CN=gather-client
	# Without a certificate, nginx says no.
	run --separate-stderr "$GATHER" --cacert "$TLS/ca.pem" \
	    "https://127.0.0.1:$MTLS/mtls2"
	assert_failure 1
	assert_equal "$(j '.results[0].status')" 400
}

@test "-E FILE:PASSWORD with an encrypted key; the password never shows" {
	run --separate-stderr "$GATHER" -v --cacert "$TLS/ca.pem" \
	    --cert "$TLS/client.pem:kpass-9x7" --key "$TLS/client-enc.key" \
	    "https://127.0.0.1:$MTLS/mtls3"
	assert_success
	assert_equal "$(j '.results[0].body.client')" CN=gather-client
	refute_output --partial kpass-9x7
	[[ $stderr != *kpass-9x7* ]] || fail "stderr: $stderr"
	# The wrong password cannot open the key: kind tls.
	run --separate-stderr "$GATHER" --cacert "$TLS/ca.pem" \
	    --cert "$TLS/client.pem:wrong" --key "$TLS/client-enc.key" \
	    "https://127.0.0.1:$MTLS/mtls4"
	assert_failure 1
	assert_equal "$(j '.results[0].error.kind')" tls
}

@test "-E: '\\:' is a ':' of the file name, as in curl" {
	local d="$BATS_TEST_TMPDIR/a:b"
	mkdir -p "$d"
	cat "$TLS/client.pem" "$TLS/client.key" >"$d/both.pem"
	run --separate-stderr "$GATHER" --cacert "$TLS/ca.pem" \
	    -E "${d//:/\\:}/both.pem" "https://127.0.0.1:$MTLS/mtls5"
	assert_success
	assert_equal "$(j '.results[0].body.client')" CN=gather-client
}

@test "--cert without its key fails the handshake: kind tls" {
	run --separate-stderr "$GATHER" --cacert "$TLS/ca.pem" \
	    -E "$TLS/client.pem" "https://127.0.0.1:$MTLS/mtls6"
	assert_failure 1
	assert_equal "$(j '.results[0].error.kind')" tls
	assert_equal "$(j '.results[0].error.curl_code')" 58
	[ -z "$(nginx_log /mtls6)" ] || fail "the request reached nginx"
}

@test "--pinnedpubkey: the server's key passes, another fails as tls" {
	local right wrong
	right=$(openssl x509 -in "$TLS/server.pem" -pubkey -noout |
	    openssl pkey -pubin -outform der | openssl dgst -sha256 -binary |
	    base64)
	wrong=$(openssl x509 -in "$TLS/ca.pem" -pubkey -noout |
	    openssl pkey -pubin -outform der | openssl dgst -sha256 -binary |
	    base64)
	run --separate-stderr "$GATHER" --cacert "$TLS/ca.pem" \
	    --pinnedpubkey "sha256//$wrong;sha256//$right" \
	    "https://127.0.0.1:$TLSP/pin1"
	assert_success
	run --separate-stderr "$GATHER" --cacert "$TLS/ca.pem" \
	    --pinnedpubkey "sha256//$wrong" "https://127.0.0.1:$TLSP/pin2"
	assert_failure 1
	assert_equal "$(j '.results[0].error.kind')" tls
	assert_equal "$(j '.results[0].error.curl_code')" 90
	[ -z "$(nginx_log /pin2)" ] || fail "the request reached nginx"
}

@test "--http1.1 and --http2: the protocol nginx saw" {
	run --separate-stderr "$GATHER" --cacert "$TLS/ca.pem" --http1.1 \
	    "https://127.0.0.1:$TLSP/v1"
	assert_success
	assert_equal "$(j '.results[0].body.proto')" HTTP/1.1
	run --separate-stderr "$GATHER" --cacert "$TLS/ca.pem" --http2 \
	    "https://127.0.0.1:$TLSP/v2"
	assert_success
	assert_equal "$(j '.results[0].body.proto')" HTTP/2.0
	assert_equal "$(nginx_log /v1 | cut -d' ' -f2)" HTTP/1.1
	assert_equal "$(nginx_log /v2 | cut -d' ' -f2)" HTTP/2.0
	# The last one given counts.
	run --separate-stderr "$GATHER" --cacert "$TLS/ca.pem" --http2 \
	    --http1.1 "https://127.0.0.1:$TLSP/v3"
	assert_equal "$(nginx_log /v3 | cut -d' ' -f2)" HTTP/1.1
}

@test "-4 and -6: localhost on 127.0.0.1 or on ::1" {
	local pid6
	# A second server on ::1, the same port as the first.
	python3 "$BATS_TEST_DIRNAME/server/server.py" --host ::1 \
	    --port "$PORT" >/dev/null 3>&- 2>"$BATS_TEST_TMPDIR/v6.err" &
	pid6=$!
	wait_for 10 curl -sf "http://[::1]:$PORT/_/reset" -o /dev/null ||
	    fail "no fixture server on [::1]:$PORT: $(cat "$BATS_TEST_TMPDIR/v6.err")"
	run --separate-stderr "$GATHER" -4 "http://localhost:$PORT/json/four"
	assert_success
	run --separate-stderr "$GATHER" --ipv6 "http://localhost:$PORT/json/six"
	assert_success
	local v6
	v6=$(curl -sf "http://[::1]:$PORT/_/hits")
	kill "$pid6"
	wait "$pid6" || true
	assert_equal "$(curl -sf "$BASE/_/hits")" '{"/json/four":1}'
	assert_equal "$v6" '{"/json/six":1}'
}

@test "--no-compressed: no Accept-Encoding; by default, every encoding" {
	run --separate-stderr "$GATHER" "$BASE/echo"
	assert_success
	[[ $(j '.results[0].body.headers["accept-encoding"]') == *gzip* ]] ||
	    fail "default Accept-Encoding: $output"
	run --separate-stderr "$GATHER" --no-compressed "$BASE/echo" "$BASE/gzip"
	assert_success
	assert_equal "$(j '.results[0].body.headers | has("accept-encoding")')" \
	    false
	assert_equal "$(j '.results[1].body.compressed')" false
}

# --- bodies and cookies -------------------------------------------------

@test "--json: POST with JSON Content-Type and Accept; @FILE; -H wins" {
	run --separate-stderr "$GATHER" --json '{"a": 1}' "$BASE/echo"
	assert_success
	assert_equal "$(j '.results[0].body | [.method, .headers["content-type"],
	    .headers.accept, .body] | join("|")')" \
	    'POST|application/json|application/json|{"a": 1}'
	printf '[1,\n2]\n' >"$BATS_TEST_TMPDIR/b.json"
	run --separate-stderr "$GATHER" --json "@$BATS_TEST_TMPDIR/b.json" \
	    -H 'Accept: text/plain' -X PUT "$BASE/echo"
	assert_success
	assert_equal "$(j '.results[0].body | [.method, .headers["content-type"],
	    .headers.accept] | join("|")')" 'PUT|application/json|text/plain'
	assert_equal "$(j '.results[0].body.body')" "$(printf '[1,\n2]\n')"
}

@test "--json with -d, or twice, is a usage error" {
	run --separate-stderr "$GATHER" --json 1 -d x "$BASE/echo"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" \
	    "gather: --json: cannot be used with --data"
	run --separate-stderr "$GATHER" --json 1 --json 2 "$BASE/echo"
	assert_failure 2
	assert_equal "$(total_hits)" 0
}

@test "-b DATA is sent as the Cookie header; -b FILE loads a jar" {
	run --separate-stderr "$GATHER" -b 'a=1; b=2' -b c=3 "$BASE/echo"
	assert_success
	assert_equal "$(j '.results[0].body.headers.cookie')" 'a=1; b=2; c=3'
	printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\tfromfile\n' \
	    >"$BATS_TEST_TMPDIR/in.jar"
	run --separate-stderr "$GATHER" -b "$BATS_TEST_TMPDIR/in.jar" \
	    "$BASE/echo"
	assert_success
	assert_equal "$(j '.results[0].body.headers.cookie')" sid=fromfile
	# A jar that does not exist yet adds nothing, as in curl.
	run --separate-stderr "$GATHER" -b "$BATS_TEST_TMPDIR/none.jar" \
	    "$BASE/echo"
	assert_success
	assert_equal "$(j '.results[0].body.headers | has("cookie")')" false
}

@test "cookies: one engine for every handle of the run" {
	# -j 2: the cookie set on one handle must go out on the other, which
	# was busy with /json/slow when the cookie came.
	run --separate-stderr "$GATHER" -j 2 -c "$BATS_TEST_TMPDIR/jar" \
	    "$BASE/headers?Set-Cookie=sid%3Dabc" "$BASE/json/slow?delay=1500" \
	    "$BASE/echo/a?delay=3000" "$BASE/echo/b"
	assert_success
	assert_equal "$(j '.results[3].body.headers.cookie')" sid=abc
	assert_equal "$(j '.results[2].body.headers.cookie')" sid=abc
}

@test "-c: the jar is written at the end, whole, in Netscape format" {
	local jar="$BATS_TEST_TMPDIR/j/jar" inode pid
	mkdir -p "${jar%/*}"
	echo old >"$jar"
	inode=$(stat -c %i "$jar")
	"$GATHER" -j 1 -c "$jar" "$BASE/headers?Set-Cookie=k%3Dv" \
	    "$BASE/json/wait?delay=1500" >"$BATS_TEST_TMPDIR/out" &
	pid=$!
	wait_hits /json/wait
	# The cookie is in the engine; the jar is not written until the end.
	assert_equal "$(cat "$jar")" old
	wait "$pid"
	run cat "$jar"
	assert_line --index 0 '# Netscape HTTP Cookie File'
	assert_line --regexp $'^127\\.0\\.0\\.1\tFALSE\t/\tFALSE\t0\tk\tv$'
	# Renamed into place, not rewritten; no temp file left.
	[ "$(stat -c %i "$jar")" != "$inode" ] || fail "the jar was rewritten in place"
	assert_equal "$(ls "${jar%/*}")" jar
	assert_equal "$(stat -c %a "$jar")" 600
}

@test "-c into a folder that cannot take it: usage error, nothing fetched" {
	run --separate-stderr "$GATHER" -c "$BATS_TEST_TMPDIR/no/such/jar" \
	    "$BASE/json/x"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "gather: --cookie-jar: \
$BATS_TEST_TMPDIR/no/such: No such file or directory"
	assert_equal "$(total_hits)" 0
}

@test "cache key: -b DATA is part of it, as a Cookie header is" {
	local dir="$BATS_TEST_TMPDIR/cache"
	"$GATHER" --ttl 1h --cache-dir "$dir" -b a=1 "$BASE/json/ck" >/dev/null
	"$GATHER" --ttl 1h --cache-dir "$dir" -b a=1 "$BASE/json/ck" >/dev/null
	assert_equal "$(hits /json/ck)" 1
	run --separate-stderr "$GATHER" --ttl 1h --cache-dir "$dir" -b a=2 \
	    "$BASE/json/ck"
	assert_equal "$(j '.results[0].cache')" miss
	assert_equal "$(hits /json/ck)" 2
	# -H 'Cookie: a=2' is the same request.
	run --separate-stderr "$GATHER" --ttl 1h --cache-dir "$dir" \
	    -H 'Cookie: a=2' "$BASE/json/ck"
	assert_equal "$(j '.results[0].cache')" hit
}

@test "-c: a jar that cannot be written at the end is said; the output is whole" {
	local dir="$BATS_TEST_TMPDIR/gone" pid status=0
	mkdir -p "$dir"
	"$GATHER" -c "$dir/jar" "$BASE/headers?Set-Cookie=k%3Dv" \
	    "$BASE/json/wait2?delay=1000" >"$BATS_TEST_TMPDIR/out" \
	    2>"$BATS_TEST_TMPDIR/err" &
	pid=$!
	wait_hits /json/wait2
	rm -rf "$dir"
	wait "$pid" || status=$?
	assert_equal "$status" 1
	assert_equal "$(jq -r '[.results[].ok] | join(" ")' "$BATS_TEST_TMPDIR/out")" \
	    "true true"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" \
	    "gather: --cookie-jar: $dir/jar: No such file or directory"
}
