#!/usr/bin/env bats
# How a run is told what counts as ok and when to stop (--ok, --fail-fast),
# curl's habits (-L, -s, -S, -K and the config file), and per-request
# "timeout" and "retry" in specs: checked against what the fixture server
# received.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() { server_reset; }

@test "--ok 2xx,404: a 404 is ok, a 500 is not; the exit status follows" {
	run --separate-stderr "$GATHER" --retry 0 --ok 2xx,404 \
	    "$BASE/status/404" "$BASE/json/a"
	assert_success
	assert_equal "$(j '[.results[].ok] | join(",")')" true,true
	assert_equal "$(j '.results[0].status')" 404
	run --separate-stderr "$GATHER" --retry 0 --ok 2xx,404 \
	    "$BASE/status/404" "$BASE/status/500"
	assert_failure 1
	assert_equal "$(j '.results[1].ok')" false
	assert_equal "$(j '.results[1].error.kind')" http
	assert_equal "$(j '.results[1].error.message')" "HTTP 500"
	# Without --ok, the same 404 fails.
	run --separate-stderr "$GATHER" --retry 0 "$BASE/status/404"
	assert_failure 1
	assert_equal "$(j '.results[0].error.kind')" http
}

@test "--ok replaces the default: an unfollowed redirect fails under 2xx" {
	run --separate-stderr "$GATHER" --max-redirs 0 "$BASE/redirect?to=/json/x"
	assert_success
	run --separate-stderr "$GATHER" --max-redirs 0 --ok 2xx \
	    "$BASE/redirect?to=/json/x"
	assert_failure 1
	assert_equal "$(j '.results[0].status')" 302
	assert_equal "$(j '.results[0].error.kind')" http
}

@test "--ok with a range: a 503 in it is ok and not retried" {
	run --separate-stderr "$GATHER" --retry-delay 1ms --ok 200-299,500-503 \
	    "$BASE/status/503"
	assert_success
	assert_equal "$(j '.results[0].ok')" true
	assert_equal "$(hits /status/503)" 1
}

@test "--ok with a bad value is a usage error and fetches nothing" {
	run "$GATHER" --ok 2xx,abc,404 "$BASE/json/a"
	assert_failure 2
	assert_line -n 0 "gather: --ok: not a status (100-999), class (2xx) or range (200-299): 'abc'"
	assert_line -n 1 "Try 'gather --help' for more."
	run "$GATHER" --ok 299-200 "$BASE/json/a"
	assert_failure 2
	assert_line -n 0 "gather: --ok: not a status (100-999), class (2xx) or range (200-299): '299-200'"
	assert_equal "$(total_hits)" 0
}

@test "--fail-fast: the first failure stops the run; the rest are interrupted" {
	local args=("$BASE/json/s0?delay=5000" "$BASE/status/500") i
	for i in $(seq 2 20); do
		args+=("$BASE/json/s$i?delay=5000")
	done
	run -1 --separate-stderr "$GATHER" --fail-fast -j 2 --retry 0 \
	    "${args[@]}"
	# The output is whole: every input has its result, in order.
	assert_equal "$(j '.results | length')" 21
	assert_equal "$(j '.summary.failed')" 21
	assert_equal "$(j '.results[1].error.message')" "HTTP 500"
	assert_equal "$(j '[.results[] | select(.index != 1) |
	    .error.kind + ": " + .error.message] | unique | join(",")')" \
	    "interrupted: stopped by --fail-fast"
	# Only the two first requests ever reached the server.
	assert_equal "$(hits /json/s0)" 1
	assert_equal "$(hits /status/500)" 1
	assert_equal "$(total_hits)" 2
}

@test "without --fail-fast a failure does not stop the run" {
	run -1 --separate-stderr "$GATHER" -j 2 --retry 0 \
	    "$BASE/status/500" "$BASE/json/a" "$BASE/json/b" "$BASE/json/c"
	assert_equal "$(j '.summary.ok')" 3
	assert_equal "$(total_hits)" 4
}

@test "--fail-fast waits for retries: a request that recovers is no failure" {
	run --separate-stderr "$GATHER" --fail-fast --retry-delay 1ms \
	    "$BASE/flaky/f?fail=1" "$BASE/json/a"
	assert_success
	assert_equal "$(hits /flaky/f)" 2
	assert_equal "$(hits /json/a)" 1
}

@test "--fail-fast: a bad input line is a failure; nothing after it runs" {
	printf '%s\n' 'not a url' "$BASE/json/a" "$BASE/json/b" \
	    >"$BATS_TEST_TMPDIR/in"
	run -1 --separate-stderr "$GATHER" --fail-fast -i "$BATS_TEST_TMPDIR/in"
	assert_equal "$(j '[.results[] | .error.kind] | join(",")')" \
	    input,interrupted,interrupted
	assert_equal "$(total_hits)" 0
}
