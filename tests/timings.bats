#!/usr/bin/env bats
# Where the time went (issue 13, item 10): effective_url and redirects
# after a redirect; with --timings, each result's timings, remote_ip,
# http_version and conn_reused, and the summary's hosts, checked against
# the fixture server's delays and hit counts.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() {
	server_reset
	export GATHER_CACHE_DIR="$BATS_TEST_TMPDIR/cache"
}

@test "a redirected result has effective_url and redirects; others not" {
	run --separate-stderr "$GATHER" --compact "$BASE/redirect-chain/2" \
	    "$BASE/json/plain" \
	    "http://u:pw5ecret@127.0.0.1:$PORT/redirect?to=/json/r"
	assert_success
	assert_equal "$(j -c '.results[0] | [.effective_url, .redirects]')" \
	    "[\"$BASE/redirect-chain/0\",2]"
	assert_equal "$(hits /redirect-chain/0)" 1
	assert_equal "$(j -c '.results[1] | has("effective_url"), has("redirects")')" \
	    "$(printf 'false\nfalse')"
	# The password is hidden there as in url.
	assert_equal "$(j -c '.results[2] | [.url, .effective_url, .redirects]')" \
	    "[\"http://u:***@127.0.0.1:$PORT/redirect?to=/json/r\",\"http://u:***@127.0.0.1:$PORT/json/r\",1]"
	assert_equal "$(hits /json/r)" 1
	refute_output --partial pw5ecret
}

@test "--timings: every field, monotone over many results" {
	run --separate-stderr "$GATHER" --timings -j 4 --compact \
	    "$BASE/json/t/[1-40]" "$BASE/json/slow?delay=300"
	assert_success
	# Each result has them all, and dns <= connect <= tls <= ttfb <= total.
	assert_equal "$(j '[.results[] | select(.timings.queue >= 0 and
	    .timings.dns <= .timings.connect and
	    .timings.connect <= .timings.tls and
	    .timings.tls <= .timings.ttfb and
	    .timings.ttfb <= .timings.total and
	    .remote_ip == "127.0.0.1" and .http_version == "1.1" and
	    (.conn_reused | type) == "boolean")] | length')" 41
	# The server's delay is in ttfb, and not before it.
	assert_equal "$(j '.results[40].timings | .ttfb >= 300 and .connect < 300')" true
	# Four connections at most, each used again.
	[ "$(j '[.results[] | select(.conn_reused)] | length')" -ge 30 ]
}

@test "conn_reused: the second request on one connection; queue: its wait" {
	run --separate-stderr "$GATHER" --timings -j 1 --compact \
	    "$BASE/json/a?delay=200" "$BASE/json/b"
	assert_success
	assert_equal "$(j -c '[.results[].conn_reused]')" '[false,true]'
	# At -j 1 the second waited for the first, which took 200 ms.
	assert_equal "$(j '.results[1].timings.queue >= 200')" true
	assert_equal "$(j '.results[0].timings.queue < 200')" true
}

@test "without --timings no result or summary has them" {
	run --separate-stderr "$GATHER" --compact "$BASE/json/n"
	assert_success
	assert_equal "$(j -c '[.results[0] | has("timings", "remote_ip",
	    "http_version", "conn_reused")] + [.summary | has("hosts")]')" \
	    '[false,false,false,false,false]'
}

@test "summary hosts: counts equal the server's hits, busiest first" {
	run --separate-stderr "$GATHER" --timings --compact --retry-delay 1ms \
	    "$BASE/json/h/[1-5]" "$BASE/status/404" \
	    "http://localhost:$PORT/flaky/x?fail=2" "http://localhost:$PORT/json/l" \
	    "not a url"
	assert_failure 1
	local h="127.0.0.1:$PORT" l="localhost:$PORT"
	assert_equal "$(j -c '.summary.hosts | keys_unsorted')" "[\"$h\",\"$l\"]"
	assert_equal "$(j -c ".summary.hosts[\"$h\"] | [.requests, .ok, .failed, .retries]")" \
	    '[6,5,1,0]'
	assert_equal "$(j -c ".summary.hosts[\"$l\"] | [.requests, .ok, .failed, .retries]")" \
	    '[2,2,0,2]'
	# Requests and retries are what reached the server.
	assert_equal "$(j "[.summary.hosts[] | .requests + .retries] | add")" \
	    "$(total_hits)"
	assert_equal "$(hits /flaky/x)" 3
	assert_equal "$(j ".summary.hosts[\"$h\"] | .p50 <= .p90 and .p90 <= .p99 and .p50 > 0")" true
}
