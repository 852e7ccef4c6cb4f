#!/usr/bin/env bats
# URLs are read as libcurl reads them (issue 10, defect 3): what is checked,
# keyed, shown and fetched is one parse.  A password libcurl finds is never
# written anywhere; two URLs that libcurl fetches differently never share a
# fetch or a cache entry.  The fixture server tells which path was fetched.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() {
	server_reset
	export GATHER_CACHE_DIR="$BATS_TEST_TMPDIR/cache"
}

@test "http:/// with userinfo: fetched with it, its password nowhere" {
	local url="http:///user:s3cretPW@127.0.0.1:$PORT/json/cred"
	run --separate-stderr "$GATHER" -v --ttl 1h "$url"
	assert_success
	assert_equal "$(j '.results[0].url')" \
	    "http://user:***@127.0.0.1:$PORT/json/cred"
	assert_equal "$(j '.results[0].body.path')" /json/cred
	refute_output --partial s3cretPW
	[[ "$stderr" != *s3cretPW* ]]
	[[ "$stderr" == *"http://user:***@127.0.0.1:$PORT/json/cred"* ]]
	# The request itself carried the credentials libcurl read.
	run curl -sf "$BASE/_/log?path=/json/cred"
	assert_equal "$(j '.[0].headers.authorization')" \
	    "Basic $(printf 'user:s3cretPW' | base64)"
	# Nothing in the cache folder, nor what `cache list` prints.
	run grep -r s3cretPW "$GATHER_CACHE_DIR"
	assert_failure 1
	[ -n "$(find "$GATHER_CACHE_DIR" -type f)" ]
	run --separate-stderr "$GATHER" cache list
	assert_success
	assert_equal "$(j .url)" "http://user:***@127.0.0.1:$PORT/json/cred"
	[[ "$output$stderr" != *s3cretPW* ]]
	# A second run is served from that entry, and `cache rm` finds it.
	run --separate-stderr "$GATHER" --ttl 1h "$url"
	assert_equal "$(j '.results[0].cache')" hit
	assert_equal "$(hits /json/cred)" 1
	run "$GATHER" cache rm "$url"
	assert_success
	assert_equal "$(j .removed)" 1
}

@test "http:/H/A/http://z/B and http://H/B each get their own body" {
	local odd="http:/127.0.0.1:$PORT/json/A/http://z/json/B"
	run --separate-stderr "$GATHER" "$odd" "$BASE/json/B"
	assert_success
	assert_equal "$(j '[.results[].body.path]' -c)" \
	    '["/json/A/http://z/json/B","/json/B"]'
	assert_equal "$(j '.results[0].url')" "$odd"
	assert_equal "$(hits /json/A/http://z/json/B)" 1
	assert_equal "$(hits /json/B)" 1
}

@test "a cached http:/H/A/http://z/B does not poison a later http://H/B" {
	local odd="http:/127.0.0.1:$PORT/json/A/http://z/json/B"
	run --separate-stderr "$GATHER" --ttl 1h "$odd"
	assert_success
	assert_equal "$(j '.results[0].body.path')" /json/A/http://z/json/B
	run --separate-stderr "$GATHER" --ttl 1h "$BASE/json/B"
	assert_success
	assert_equal "$(j '.results[0] | [.cache, .body.path]' -c)" \
	    '["miss","/json/B"]'
	assert_equal "$(hits /json/B)" 1
	# And each is then served its own entry.
	run --separate-stderr "$GATHER" --ttl 1h "$odd" "$BASE/json/B"
	assert_equal "$(j '[.results[] | [.cache, .body.path]]' -c)" \
	    '[["hit","/json/A/http://z/json/B"],["hit","/json/B"]]'
	assert_equal "$(total_hits)" 2
}

@test "a password in a bad input's echo is hidden, however it is written" {
	run --separate-stderr "$GATHER" -v --retry 0 \
	    "user:s3cretPW@127.0.0.1/x" \
	    "http:/user:s3cretPW@127.0.0.1:$PORT/json/ok y" \
	    "ftp:/user:s3cretPW@127.0.0.1/x" \
	    "http:/user:s3cretPW@127.0.0.1:$PORT/json/slash"
	assert_failure 1
	assert_equal "$(j '[.results[] | .error.kind // "ok"]' -c)" \
	    '["input","input","input","ok"]'
	assert_equal "$(j '[.results[].url]' -c)" "$(jq -nc --arg p "$PORT" '[
	    "user:***@127.0.0.1/x",
	    "http:/user:***@127.0.0.1:\($p)/json/ok y",
	    "ftp:/user:***@127.0.0.1/x",
	    "http://user:***@127.0.0.1:\($p)/json/slash"]')"
	assert_equal "$(j '.results[0].error.message')" \
	    "argument 1: missing scheme: did you mean http://user:***@127.0.0.1/x?"
	assert_equal "$(j '.results[2].error.message')" \
	    "argument 3: unsupported scheme (only http and https)"
	refute_output --partial s3cretPW
	[[ "$stderr" != *s3cretPW* ]]
	assert_equal "$(total_hits)" 1
	run --separate-stderr "$GATHER" --keyed --retry 0 "user:s3cretPW@h/x"
	refute_output --partial s3cretPW
}
