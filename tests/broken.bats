#!/usr/bin/env bats
# Servers that break off or garble a response (issue 10, defects 7-9): a
# connection lost mid-response is kind connect and retried; a malformed
# response is kind protocol and is not; a Retry-After however far off
# never overflows.  The fixture server's counters tell what was retried.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() { server_reset; }

# run_one PATH [OPTIONS...]: gather with fast retries on $BASE$PATH.
run_one() {
	local path=$1
	shift
	run --separate-stderr "$GATHER" --retry-delay 1ms "$@" "$BASE$path"
}

@test "a server that dies mid-body (curl 18) is kind connect, retried" {
	run_one /die-mid-body/a?fail=1
	assert_success
	assert_equal "$(hits /die-mid-body/a)" 2
	assert_equal "$(j '.results[0] | [.ok, .attempts, .body.path]' -c)" \
	    '[true,2,"/die-mid-body/a"]'
	server_reset
	run_one /die-mid-body/b?fail=9
	assert_failure 1
	assert_equal "$(hits /die-mid-body/b)" 3
	assert_equal "$(j '.results[0].error | [.kind, .curl_code]' -c)" \
	    '["connect",18]'
}

@test "a connection reset mid-body (curl 56) is kind connect, retried" {
	run_one /reset-mid-body/a?fail=1
	assert_success
	assert_equal "$(hits /reset-mid-body/a)" 2
	server_reset
	run_one /reset-mid-body/b?fail=9
	assert_failure 1
	assert_equal "$(hits /reset-mid-body/b)" 3
	assert_equal "$(j '.results[0].error | [.kind, .curl_code]' -c)" \
	    '["connect",56]'
}

@test "broken chunked encoding is kind protocol, not retried" {
	run_one /bad-chunk/a?fail=9
	assert_failure 1
	assert_equal "$(hits /bad-chunk/a)" 1
	assert_equal "$(j '.results[0] | [.error.kind, .error.curl_code, .attempts]' -c)" \
	    '["protocol",56,1]'
	assert_regex "$(j '.results[0].error.message')" 'chunked-encoding'
}

@test "100,000 response headers are kind protocol, not retried" {
	run_one /many-headers/a?fail=9
	assert_failure 1
	assert_equal "$(hits /many-headers/a)" 1
	assert_equal "$(j '.results[0] | [.error.kind, .attempts]' -c)" \
	    '["protocol",1]'
}

@test "a malformed status line is kind protocol, not retried" {
	run_one /bad-status/a?fail=9
	assert_failure 1
	assert_equal "$(hits /bad-status/a)" 1
	assert_equal "$(j '.results[0] | [.error.kind, .attempts]' -c)" \
	    '["protocol",1]'
}

@test "a Retry-After date in the year 999999999 saturates: no overflow" {
	local v='Sun,%2006%20Nov%20999999999%2008:49:37%20GMT'
	run_one "/retry-after-value/far?value=$v"
	assert_failure 1
	assert_equal "$(hits /retry-after-value/far)" 1
	# Saturated at a year, far past --retry-max-delay: given up at once.
	assert_equal "$(j '.results[0].error | [.kind, .retry_after_s]' -c)" \
	    '["http",31536000]'
	[[ "$stderr" != *runtime\ error* ]]
}
