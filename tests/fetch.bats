#!/usr/bin/env bats
# Fetching: error kinds, limits, redirects, request headers, concurrency,
# a large run, and exit statuses (CONTRACT.md sections 3, 4 and 7).

bats_require_minimum_version 1.5.0

load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() { server_reset; }

# Writes N lines "$BASE/json/<i><suffix>" for i in 0..N-1 to FILE.
urls() {
	local n=$1 suffix=$2 file=$3 i
	for ((i = 0; i < n; i++)); do
		echo "$BASE/json/$i$suffix"
	done >"$file"
}

@test "connection refused is kind connect with curl_code 7" {
	run --separate-stderr "$GATHER" "http://127.0.0.1:$(dead_port)/json/x"
	assert_failure 1
	assert_equal "$(j '.results[0].ok')" false
	assert_equal "$(j '.results[0].status')" null
	assert_equal "$(j '.results[0].error.kind')" connect
	assert_equal "$(j '.results[0].error.curl_code')" 7
	assert_equal "$(j '.results[0].error.message | length > 0')" true
}

@test "a connection reset is kind connect" {
	run --separate-stderr "$GATHER" "$BASE/reset"
	assert_failure 1
	assert_equal "$(j '.results[0].error.kind')" connect
	assert_equal "$(j '.results[0].error.curl_code | type')" number
	# Retried or not, every attempt reached the server.
	assert_equal "$(hits /reset)" "$(j '.results[0].attempts')"
}

@test "a malformed response is kind protocol" {
	run --separate-stderr "$GATHER" "$BASE/garbage"
	assert_failure 1
	assert_equal "$(j '.results[0].ok')" false
	assert_equal "$(j '.results[0].error.kind')" protocol
	assert_equal "$(hits /garbage)" 1
}

@test "-m 300ms against a 5 s response is kind timeout and ends early" {
	t0=$(now_ms)
	run --separate-stderr timeout 60 "$GATHER" -m 300ms --retry 0 \
	    "$BASE/json/x?delay=5000"
	elapsed=$(($(now_ms) - t0))
	assert_failure 1
	assert_equal "$(j '.results[0].error.kind')" timeout
	assert_equal "$(j '.results[0].error.curl_code')" 28
	assert_equal "$(j '.results[0].attempts')" 1
	# the attempt itself: 300 ms, give or take a loaded machine
	assert_equal "$(j '.results[0].time_ms >= 250 and .results[0].time_ms < 1500')" true
	assert_equal "$(hits /json/x)" 1
	# the whole process, start and exit too: far short of the 5 s answer
	[ "$elapsed" -lt 3000 ] || fail "took $elapsed ms"
}

@test "--max-body: a larger body is kind too_large, an equal one is ok" {
	run --separate-stderr "$GATHER" --max-body 1K "$BASE/bytes?size=4096" \
	    "$BASE/bytes?size=1025" "$BASE/bytes?size=1024"
	assert_failure 1
	assert_equal "$(j '.results[0].error.kind')" too_large
	assert_equal "$(j '.results[0] | has("body")')" false
	assert_equal "$(j '.results[1].error.kind')" too_large
	assert_equal "$(j '.results[2].ok')" true
	assert_equal "$(j '.results[2].bytes')" 1024
	assert_equal "$(j '.summary.errors.too_large')" 2
}

@test "--max-body applies to a body without Content-Length (chunked)" {
	run --separate-stderr timeout 60 "$GATHER" --max-body 1K \
	    "$BASE/drip?chunked=1&bytes=2000&interval=0" \
	    "$BASE/drip?chunked=1&bytes=1000&interval=0"
	assert_failure 1
	assert_equal "$(j '.results[0].ok')" false
	assert_equal "$(j '.results[0].error.kind')" too_large
	assert_equal "$(j '.results[1].ok')" true
	assert_equal "$(j '.results[1].bytes')" 1000
}

@test "the default --max-body is 16M" {
	run --separate-stderr timeout 60 "$GATHER" "$BASE/bytes?size=16777217"
	assert_failure 1
	assert_equal "$(j '.results[0].error.kind')" too_large
}

@test "redirects are followed" {
	run --separate-stderr "$GATHER" "$BASE/redirect-chain/3" \
	    "$BASE/redirect?to=/json/target"
	assert_success
	assert_equal "$(j '.results[0].status')" 200
	assert_equal "$(j '.results[0].body.chain')" done
	assert_equal "$(j '.results[0].url')" "$BASE/redirect-chain/3"
	assert_equal "$(j '.results[1].body.path')" /json/target
	assert_equal "$(hits /redirect-chain/0)" 1
	assert_equal "$(hits /json/target)" 1
}

@test "--max-redirs 1 against a chain of 3 is kind protocol" {
	run --separate-stderr "$GATHER" --max-redirs 1 "$BASE/redirect-chain/3"
	assert_failure 1
	assert_equal "$(j '.results[0].ok')" false
	assert_equal "$(j '.results[0].error.kind')" protocol
	assert_equal "$(hits /redirect-chain/1)" 0
}

@test "--max-redirs 0 returns the redirect itself as ok" {
	run --separate-stderr "$GATHER" --max-redirs 0 "$BASE/redirect-chain/3"
	assert_success
	assert_equal "$(j '.results[0].ok')" true
	assert_equal "$(j '.results[0].status')" 302
	assert_equal "$(j '.results[0].body.location')" /redirect-chain/2
	assert_equal "$(hits /redirect-chain/2)" 0
}

@test "a redirect to another scheme is refused" {
	run --separate-stderr "$GATHER" "$BASE/redirect?to=ftp://127.0.0.1:$PORT/x"
	assert_failure 1
	assert_equal "$(j '.results[0].ok')" false
	assert_not_equal "$(j '.results[0].error.kind')" null
}

@test "-H and -A reach the server" {
	run --separate-stderr "$GATHER" -H 'X-Test: yes' --header 'X-Other: two words' \
	    -A 'agent/1' "$BASE/echo"
	assert_success
	assert_equal "$(j '.results[0].body.headers["x-test"]')" yes
	assert_equal "$(j '.results[0].body.headers["x-other"]')" 'two words'
	assert_equal "$(j '.results[0].body.headers["user-agent"]')" agent/1
	assert_equal "$(curl -sf "$BASE/_/log?path=/echo" | jq -r '.[0].headers["user-agent"]')" agent/1
}

@test "-H 'K:' removes a header" {
	run --separate-stderr "$GATHER" -H 'Accept:' "$BASE/echo"
	assert_success
	assert_equal "$(j '.results[0].body.headers | has("accept")')" false
}

@test "the default user agent is gather/<version>" {
	version=$("$GATHER" --version | awk 'NR == 1 { print $2 }')
	[ -n "$version" ]
	run --separate-stderr "$GATHER" "$BASE/echo"
	assert_success
	assert_equal "$(j '.results[0].body.headers["user-agent"]')" "gather/$version"
}

@test "-j 4 keeps at most 4 requests in flight" {
	urls 40 '?delay=300' "$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr timeout 60 "$GATHER" -j 4 -i "$BATS_TEST_TMPDIR/in.txt"
	assert_success
	assert_equal "$(j '.summary.ok')" 40
	peak=$(curl -sf "$BASE/_/peak" | jq .peak)
	[ "$peak" -le 4 ] && [ "$peak" -ge 3 ] || fail "peak $peak"
}

@test "the default concurrency is at most 32" {
	urls 100 '?delay=300' "$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr timeout 60 "$GATHER" -i "$BATS_TEST_TMPDIR/in.txt"
	assert_success
	assert_equal "$(j '.summary.ok')" 100
	peak=$(curl -sf "$BASE/_/peak" | jq .peak)
	[ "$peak" -le 32 ] && [ "$peak" -ge 16 ] || fail "peak $peak"
}

@test "connections are reused" {
	command -v strace >/dev/null || skip "strace is not installed"
	urls 100 '' "$BATS_TEST_TMPDIR/in.txt"
	strace -f -qq -e trace=connect -o "$BATS_TEST_TMPDIR/trace" true 2>/dev/null ||
	    skip "strace cannot trace here"
	# LeakSanitizer cannot run under ptrace; the leak check is make asan's.
	ASAN_OPTIONS=detect_leaks=0 run --separate-stderr strace -f -qq \
	    -e trace=connect -o "$BATS_TEST_TMPDIR/trace" \
	    "$GATHER" -j 4 -i "$BATS_TEST_TMPDIR/in.txt"
	assert_success
	assert_equal "$(j '.summary.ok')" 100
	assert_equal "$(total_hits)" 100
	n=$(grep -c "htons($PORT)" "$BATS_TEST_TMPDIR/trace")
	[ "$n" -le 8 ] || fail "$n connections for 100 requests"
}

@test "2,000 URLs with -j 64: all ok, in input order, each fetched once" {
	urls 2000 '' "$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr timeout 60 "$GATHER" -j 64 -i "$BATS_TEST_TMPDIR/in.txt"
	assert_success
	assert_equal "$(j '.results | length')" 2000
	assert_equal "$(j '[.results[].index] == [range(2000)]')" true
	assert_equal "$(j '[.results[].body.path] == [range(2000) | "/json/\(.)"]')" true
	assert_equal "$(j '[.results[].ok] | all')" true
	assert_equal "$(j '.summary.ok')" 2000
	assert_equal "$(total_hits)" 2000
	assert_equal "$(curl -sf "$BASE/_/hits" | jq 'length')" 2000
}

@test "exit status 0 when every result is ok, 1 when one failed" {
	run --separate-stderr "$GATHER" "$BASE/json/1" "$BASE/json/2"
	assert_success
	run --separate-stderr "$GATHER" "$BASE/json/1" "$BASE/status/500" "$BASE/json/2"
	assert_failure 1
	assert_equal "$(j '.summary.ok')" 2
	assert_equal "$(j '.summary.failed')" 1
}

# Runs gather with the given options and a valid URL; expects a usage error
# naming the option (the extended regex $want), and no request made.
usage_error() {
	local want=$1
	shift
	run --separate-stderr "$GATHER" "$@" "$BASE/json/never"
	assert_failure 2
	assert_output ""
	assert_regex "$stderr" "$want"
	assert_equal "$(total_hits)" 0
}

@test "-j 0 and -j abc are usage errors" {
	usage_error '(-j|--concurrency)' -j 0
	usage_error '(-j|--concurrency)' -j abc
}

@test "--timeout 5x is a usage error" {
	usage_error '(-m|--timeout)' --timeout 5x
}

@test "--max-body 0 is a usage error" {
	usage_error '--max-body' --max-body 0
}

@test "--header without a colon is a usage error" {
	usage_error '(-H|--header)' --header foo
}

@test "an unknown option is a usage error" {
	usage_error '--no-such-option' --no-such-option
}

@test "a missing option value and other bad values are usage errors" {
	usage_error '--max-redirs' --max-redirs -1
	usage_error '--connect-timeout' --connect-timeout 10q
	usage_error '--max-body' --max-body 1X
	run --separate-stderr "$GATHER" "$BASE/json/never" -j
	assert_failure 2
	assert_regex "$stderr" '(-j|--concurrency)'
	assert_equal "$(total_hits)" 0
}
