#!/usr/bin/env bats
# Resource limits (issue 10): too few file descriptors for -j, the limit
# lowered under a running gather, and a file size limit under the cache's
# writes.  No result may fail for want of a resource gather could wait for.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() {
	server_reset
	export GATHER_CACHE_DIR="$BATS_TEST_TMPDIR/cache"
}

q() {
	jq -c "$1" <<<"$output"
}

# urls N [QUERY]: N distinct /json URLs, one a line, into $BATS_TEST_TMPDIR/urls.
urls() {
	local i
	for ((i = 0; i < $1; i++)); do
		echo "$BASE/json/$i${2:+?$2}"
	done >"$BATS_TEST_TMPDIR/urls"
}

# Entries in the cache, as gather cache stats counts them.
cached_entries() {
	"$GATHER" cache stats | jq .entries
}

@test "-j 1000 under a soft limit of 256 open files: the soft limit is raised, every result ok, every entry stored, no warning" {
	urls 2000
	run --separate-stderr bash -c 'ulimit -Sn 256 && exec timeout 120 "$@"' _ \
	    "$GATHER" --compact -j 1000 --ttl 1h -i "$BATS_TEST_TMPDIR/urls"
	assert_success
	assert_equal "$(q '[.summary.ok, .summary.failed]')" '[2000,0]'
	assert_equal "$stderr" ""
	assert_equal "$(total_hits)" 2000
	assert_equal "$(cached_entries)" 2000
}

@test "-j 1000 under a hard limit of 256 open files: one warning, -j lowered, every result ok, every entry stored" {
	local j
	urls 2000
	run --separate-stderr bash -c 'ulimit -Sn 256 && ulimit -Hn 256 && exec timeout 120 "$@"' _ \
	    "$GATHER" --compact -j 1000 --ttl 1h -i "$BATS_TEST_TMPDIR/urls"
	assert_success
	assert_equal "$(q '[.summary.ok, .summary.failed]')" '[2000,0]'
	assert_regex "$stderr" '^gather: warning: -j 1000 needs about [0-9]+ file descriptors and the limit is 256: running [0-9]+ at a time$'
	j=$(sed -E 's/.*running ([0-9]+) at a time/\1/' <<<"$stderr")
	[ "$j" -ge 16 ] && [ "$j" -lt 128 ]
	# The server never saw more at once than the lowered -j.
	[ "$(curl -sf "$BASE/_/peak" | jq .peak)" -le "$j" ]
	assert_equal "$(total_hits)" 2000
	assert_equal "$(cached_entries)" 2000
	# -q: no warning, the same lowered -j.
	run --separate-stderr bash -c 'ulimit -Sn 256 && ulimit -Hn 256 && exec timeout 120 "$@"' _ \
	    "$GATHER" --compact -q -j 1000 -i "$BATS_TEST_TMPDIR/urls"
	assert_success
	assert_equal "$stderr" ""
}

@test "the open file limit lowered under a running gather: sockets wait for descriptors, every result ok" {
	urls 1500 delay=300
	# Connection: close makes every request open a new socket; --retry 0:
	# a socket refused for want of a descriptor may not cost the result.
	timeout 120 "$GATHER" --compact -j 1000 --retry 0 \
	    -H 'Connection: close' -i "$BATS_TEST_TMPDIR/urls" \
	    >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	local pid=$!
	wait_for 20 hits_at_least_total 200
	# gather is the only child of timeout.
	prlimit --pid "$(pgrep -P "$pid")" --nofile=100:100
	local rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 0
	run jq -c '[.summary.ok, .summary.failed, .summary.retries]' "$BATS_TEST_TMPDIR/out"
	assert_output '[1500,0,0]'
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" ""
	assert_equal "$(total_hits)" 1500
}

# 0 when at least N requests reached the server, over every path.
hits_at_least_total() {
	[ "$(total_hits)" -ge "$1" ] 2>/dev/null
}

@test "cache writes over the file size limit: gather survives SIGXFSZ, warns once, loses no result, leaks no descriptor" {
	local pid fds
	# 64 KiB bodies against a file size limit of 48 KiB: the database
	# and its index of shared memory (32 KiB) can be made, but no entry
	# can be written to the WAL (EFBIG).  -j 1: the slow last request
	# holds the run open while the test looks at its descriptors.  stdout
	# is a pipe, free of the limit; timeout is the hang guard and writes
	# its pid first.
	bash -c 'echo $$ >"$0"; ulimit -f 48 && exec timeout 60 "$@"' \
	    "$BATS_TEST_TMPDIR/pid" "$GATHER" --compact -j 1 --ttl 1h \
	    "$BASE/bytes?size=65536" "$BASE/bytes?size=65537" \
	    "$BASE/json/hold?delay=2000" 2>"$BATS_TEST_TMPDIR/err" |
	    cat >"$BATS_TEST_TMPDIR/out" &
	pid=$!
	wait_hits /json/hold
	# gather is the only child of timeout.
	fds=$(ls -l /proc/"$(pgrep -P "$(cat "$BATS_TEST_TMPDIR/pid")")"/fd)
	wait "$pid"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_equal "$(q '[.results[] | [.ok, .status, .cache]]')" '[[true,200,"miss"],[true,200,"miss"],[true,200,"miss"]]'
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output --regexp '^gather: warning: cache write in .*/cache.db: File too large; the cache is not written for the rest of the run$'
	# No descriptor on a removed file; the database's own, once each.
	run grep -c '(deleted)' <<<"$fds"
	assert_output 0
	assert_equal "$(grep -c '/cache.db$' <<<"$fds")" 1
	[ -n "$fds" ]
	# Nothing was stored, and nothing torn.
	assert_equal "$(sqlite3 "$GATHER_CACHE_DIR/cache.db" 'SELECT count(*) FROM entries; PRAGMA integrity_check' | tr '\n' ' ')" "0 ok "
}
