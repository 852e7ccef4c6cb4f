#!/usr/bin/env bats
# Fault tests (issue 10): a peer that misbehaves (tests/server/faulty.py),
# a fixture server killed and restarted mid-run, a full file system under
# the cache, and SIGKILL while -o and the cache are being written.  Each
# test checks what the user sees (kind, attempts, exit status) and what the
# server counted.

bats_require_minimum_version 1.5.0
load helpers

# BASE is the faulty server: its /_/hits and /_/reset speak like
# server.py's, so hits, wait_hits and server_reset work on it.
setup_file() {
	local pf="$BATS_FILE_TMPDIR/faulty.port"
	python3 "$BATS_TEST_DIRNAME/server/faulty.py" --port-file "$pf" \
	    >/dev/null 2>>"$BATS_FILE_TMPDIR/faulty.err" 3>&- &
	echo $! >"$BATS_FILE_TMPDIR/faulty.pid"
	if ! wait_for 10 test -s "$pf"; then
		echo "faulty.py did not start" >&2
		return 1
	fi
	BASE="http://127.0.0.1:$(cat "$pf")"
	export BASE
}
teardown_file() { pidfile_stop "$BATS_FILE_TMPDIR/faulty.pid"; }
setup() { server_reset; }
teardown() {
	pidfile_stop "$BATS_TEST_TMPDIR/restarted.pid"
	pidfile_stop "$BATS_TEST_TMPDIR/gather.pid"
	if [ -n "${MNT:-}" ] && mountpoint -q "$MNT"; then
		umount "$MNT"
	fi
}

# Requests for PATH the server has finished with (answered, failed, or
# seen the client go), and the body bytes it managed to send for PATH.
finished() {
	curl -sf "$BASE/_/hits?path=$1" | jq -r .done
}
sent() {
	curl -sf "$BASE/_/hits?path=$1" | jq -r .sent
}
finished_is() {
	[ "$(finished "$1")" = "$2" ]
}

# One line per result: "kind attempts curl_code" of a failed result.
failure() {
	j '.results[0] | "\(.error.kind) \(.attempts) \(.error.curl_code)"'
}

# --- a connection lost mid-response: kind connect, retried ---------------------

@test "a server closing mid-body (curl 18) is kind connect and retried" {
	run --separate-stderr timeout 60 "$GATHER" --retry-delay 1ms \
	    "$BASE/cut/a?size=1000&send=100"
	assert_failure 1
	assert_equal "$(failure)" "connect 3 18"
	assert_equal "$(hits /cut/a)" 3
}

@test "a server dying mid-body twice, then answering: ok after 3 attempts" {
	run --separate-stderr timeout 60 "$GATHER" --retry-delay 1ms \
	    "$BASE/flaky/cut1?fail=2&how=cut"
	assert_success
	assert_equal "$(j '.results[0] | "\(.ok) \(.status) \(.attempts) \(.body.attempt)"')" \
	    "true 200 3 3"
	assert_equal "$(j .summary.retries)" 2
	assert_equal "$(hits /flaky/cut1)" 3
}

@test "a reset mid-body (curl 56) is kind connect and retried, to success" {
	run --separate-stderr timeout 60 "$GATHER" --retry-delay 1ms "$BASE/rst/a"
	assert_failure 1
	assert_equal "$(failure)" "connect 3 56"
	assert_equal "$(hits /rst/a)" 3
	run --separate-stderr timeout 60 "$GATHER" --retry-delay 1ms \
	    "$BASE/flaky/rst1?fail=2&how=rst"
	assert_success
	assert_equal "$(j '.results[0] | "\(.ok) \(.attempts)"')" "true 3"
	assert_equal "$(hits /flaky/rst1)" 3
}

@test "a connection closed with no response (curl 52) is retried, to success" {
	run --separate-stderr timeout 60 "$GATHER" --retry-delay 1ms \
	    "$BASE/flaky/close1?fail=2&how=close"
	assert_success
	assert_equal "$(j '.results[0] | "\(.ok) \(.attempts)"')" "true 3"
	assert_equal "$(hits /flaky/close1)" 3
	run --separate-stderr timeout 60 "$GATHER" --retry 1 --retry-delay 1ms \
	    "$BASE/flaky/close2?fail=5&how=close"
	assert_failure 1
	assert_equal "$(failure)" "connect 2 52"
}

# --- slow and silent peers: --timeout ----------------------------------------------

@test "one byte a second against --timeout 1500ms: kind timeout per attempt, the server stops sending" {
	t0=$(now_ms)
	run --separate-stderr timeout 60 "$GATHER" -m 1500ms --retry 1 \
	    --retry-delay 1ms "$BASE/slow/s?bytes=60&interval=1000"
	assert_failure 1
	assert_equal "$(failure)" "timeout 2 28"
	# Two attempts of 1.5 s each, far short of the 60 s the body takes.
	assert_equal "$(j '.results[0].time_ms >= 2900')" true
	[ $(($(now_ms) - t0)) -lt 30000 ]
	assert_equal "$(hits /slow/s)" 2
	# gather closed both connections: the server's writes failed after a
	# few bytes each.
	wait_for 20 finished_is /slow/s 2
	[ "$(sent /slow/s)" -lt 12 ]
}

@test "a server that accepts and never answers: kind timeout, retried, connections closed" {
	run --separate-stderr timeout 60 "$GATHER" -m 1s --retry 1 \
	    --retry-delay 1ms "$BASE/hang/h"
	assert_failure 1
	assert_equal "$(failure)" "timeout 2 28"
	assert_equal "$(hits /hang/h)" 2
	wait_for 20 finished_is /hang/h 2
}

# --- bodies too large: --max-body ----------------------------------------------

@test "Content-Length 10 GiB is kind too_large at once, not retried; the server could send little" {
	# The server would send 1 GiB and then hold the connection open.
	t0=$(now_ms)
	run --separate-stderr timeout 60 "$GATHER" --retry-delay 1ms \
	    "$BASE/huge/h?send=1073741824&then=hang"
	assert_failure 1
	assert_equal "$(failure)" "too_large 1 63"
	[ $(($(now_ms) - t0)) -lt 30000 ]
	assert_equal "$(hits /huge/h)" 1
	wait_for 20 finished_is /huge/h 1
	[ "$(sent /huge/h)" -lt $((64 << 20)) ]
	run --separate-stderr timeout 60 "$GATHER" --max-body 1K \
	    "$BASE/huge/c?send=10&then=close"
	assert_equal "$(failure)" "too_large 1 63"
}

@test "a gzip bomb (1 MiB inflating to 1 GiB) is kind too_large at --max-body, not retried" {
	t0=$(now_ms)
	run --separate-stderr timeout 60 "$GATHER" --retry-delay 1ms \
	    "$BASE/bomb/b"
	assert_failure 1
	assert_equal "$(j '.results[0] | "\(.error.kind) \(.attempts)"')" "too_large 1"
	assert_equal "$(j '.results[0].error.message')" \
	    "response body larger than --max-body (16777216 bytes)"
	[ $(($(now_ms) - t0)) -lt 30000 ]
	assert_equal "$(hits /bomb/b)" 1
	run --separate-stderr timeout 60 "$GATHER" --max-body 64K "$BASE/bomb/c"
	assert_equal "$(j '.results[0] | "\(.error.kind) \(.attempts)"')" "too_large 1"
}

# --- malformed responses: kind protocol, not retried ---------------------------

@test "a malformed status line is kind protocol, not retried" {
	run --separate-stderr timeout 60 "$GATHER" --retry-delay 1ms \
	    "$BASE/badstatus/s"
	assert_failure 1
	assert_equal "$(j '.results[0] | "\(.error.kind) \(.attempts)"')" "protocol 1"
	assert_equal "$(hits /badstatus/s)" 1
}

@test "broken chunked encoding is kind protocol, not retried" {
	# fail=1: a retry would have succeeded, so one hit proves none was made.
	run --separate-stderr timeout 60 "$GATHER" --retry-delay 1ms \
	    "$BASE/flaky/chunk1?fail=1&how=badchunk"
	assert_failure 1
	assert_equal "$(failure)" "protocol 1 56"
	assert_equal "$(hits /flaky/chunk1)" 1
}

@test "100,000 response headers is kind protocol, not retried" {
	run --separate-stderr timeout 60 "$GATHER" --retry-delay 1ms \
	    "$BASE/flaky/hdr1?fail=1&how=manyheaders"
	assert_failure 1
	assert_equal "$(failure)" "protocol 1 56"
	assert_equal "$(hits /flaky/hdr1)" 1
}

@test "a folded first header line after an earlier response on the same handle: kind protocol, no crash (curl issue 11101)" {
	# -j 1: one easy handle answers all four.  libcurl 7.88 kept a pointer
	# to the previous response's last header and appended the fold to it
	# after freeing it: ASan saw the use after free, a plain build crashed.
	# Whitespace before the first header is invalid (RFC 9112 2.2).
	run --separate-stderr timeout 60 "$GATHER" -j 1 --compact \
	    "$BASE/ok/first" "$BASE/folded/second" "$BASE/ok/third" \
	    "$BASE/folded/fourth"
	assert_failure 1
	assert_equal "$(j -c '[.results[] | [.ok, .error.kind, .attempts]]')" \
	    '[[true,null,1],[false,"protocol",1],[true,null,1],[false,"protocol",1]]'
	assert_equal "$(j -c '[.results[] | .body.path]')" \
	    '["/ok/first",null,"/ok/third",null]'
	assert_equal "$(hits /folded/second)" 1
}

@test "every fault at once beside 50 good URLs: the good ones all ok, output complete" {
	local f i
	for i in $(seq 0 49); do echo "$BASE/ok/$i"; done >"$BATS_TEST_TMPDIR/urls"
	for f in cut rst slow hang huge bomb badstatus badchunk manyheaders; do
		echo "$BASE/$f/mix"
	done >>"$BATS_TEST_TMPDIR/urls"
	run --separate-stderr timeout 120 "$GATHER" --compact -m 2s \
	    --retry-delay 1ms -i "$BATS_TEST_TMPDIR/urls"
	assert_failure 1
	assert_equal "$(j '[.results[].index] == [range(59)]')" true
	assert_equal "$(j '[.results[:50][] | select(.ok and .body.path == "/ok/\(.index)")] | length')" 50
	assert_equal "$(j '[.results[50:][] | .error.kind] | join(" ")')" \
	    "connect connect timeout timeout too_large too_large protocol protocol protocol"
}

# --- the server killed and restarted ----------------------------------------------

# 0 when the server on PORT2 has had at least N requests.
hits2_at_least() {
	[ "$(curl -sf "http://127.0.0.1:$PORT2/_/hits" | jq '[.[]] | add // 0')" \
	    -ge "$1" ] 2>/dev/null
}

@test "the server killed mid-run and restarted on its port: every result ok thanks to retries" {
	local i b2 rc=0
	second_server
	b2="http://127.0.0.1:$PORT2"
	for i in $(seq 0 299); do echo "$b2/json/$i?delay=20"; done \
	    >"$BATS_TEST_TMPDIR/urls"
	"$GATHER" --compact -v -j 8 --retry 40 --retry-delay 50ms \
	    --retry-max-delay 250ms -i "$BATS_TEST_TMPDIR/urls" \
	    >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	echo $! >"$BATS_TEST_TMPDIR/gather.pid"
	wait_for 30 hits2_at_least 40
	kill -KILL "$PID2"
	wait "$PID2" || true
	# Down until gather has seen it gone (a failed attempt in the -v log).
	wait_for 30 grep -q 'attempt [0-9]*: connect' "$BATS_TEST_TMPDIR/err"
	python3 "$BATS_TEST_DIRNAME/server/server.py" --port "$PORT2" \
	    --port-file "$BATS_TEST_TMPDIR/port3" >/dev/null 2>&1 3>&- &
	echo $! >"$BATS_TEST_TMPDIR/restarted.pid"
	wait_for 10 test -s "$BATS_TEST_TMPDIR/port3"
	wait "$(cat "$BATS_TEST_TMPDIR/gather.pid")" || rc=$?
	assert_equal "$rc" 0
	output=$(cat "$BATS_TEST_TMPDIR/out")
	assert_equal "$(j '[.results[].index] == [range(300)]')" true
	assert_equal "$(j '[.results[] | select(.ok and .status == 200 and .body.path == "/json/\(.index)")] | length')" 300
	assert_equal "$(j '.summary.retries >= 1')" true
	# The restarted server answered what the first one did not.
	hits2_at_least 1
}

# --- a full file system under the cache ----------------------------------------

# Mounts a file system of SIZE at MNT: tmpfs, else a loop-mounted ext2 file.
mount_small() {
	MNT=$1
	mkdir -p "$MNT"
	mount -t tmpfs -o "size=$2,mode=0700" tmpfs "$MNT" 2>/dev/null && return 0
	truncate -s "$2" "$BATS_TEST_TMPDIR/fs.img" &&
	    mkfs.ext2 -q -F "$BATS_TEST_TMPDIR/fs.img" &&
	    mount -o loop "$BATS_TEST_TMPDIR/fs.img" "$MNT" && chmod 0700 "$MNT"
}

@test "a full file system for the cache: every result ok, one warning, entries whole" {
	local i dir
	mount_small "$BATS_TEST_TMPDIR/mnt" 1m ||
	    skip "neither a tmpfs nor a loop mount is permitted here"
	dir="$MNT/cache"
	# 100 bodies of 20 KB: 2 MB for a 1 MiB file system, spread over
	# about half a second so that the first batches are committed.
	for i in $(seq 0 99); do echo "$BASE/ok/$i?pad=20000&delay=20"; done \
	    >"$BATS_TEST_TMPDIR/urls"
	run --separate-stderr timeout 120 "$GATHER" -j 4 --compact --ttl 1h \
	    --cache-dir "$dir" -i "$BATS_TEST_TMPDIR/urls"
	assert_success
	assert_equal "$(j '[.results[] | select(.ok and .body.path == "/ok/\(.index)")] | length')" 100
	assert_equal "$(grep -c . <<<"$stderr")" 1
	assert_regex "$stderr" 'warning: .*No space left on device'
	assert_equal "$(hits_total)" 100
	# What was written is whole: listed, and served for its own URL.
	local n
	n=$(sqlite3 "$dir/cache.db" 'select count(*) from entries')
	[ "$n" -ge 1 ] && [ "$n" -lt 100 ]
	assert_equal "$(sqlite3 "$dir/cache.db" 'pragma integrity_check')" ok
	run --separate-stderr "$GATHER" cache list --cache-dir "$dir"
	assert_success
	assert_equal "$(grep -c . <<<"$output")" "$n"
	run --separate-stderr timeout 120 "$GATHER" --compact --offline \
	    --cache-dir "$dir" -i "$BATS_TEST_TMPDIR/urls"
	assert_equal "$(j '[.results[] | select(.cache == "hit" and .body.path == "/ok/\(.index)" and (.body.pad | length) == 20000)] | length')" "$n"
}

# Requests over every path of the faulty server.
hits_total() {
	curl -sf "$BASE/_/hits" | jq '[.[]] | add // 0'
}

# 0 when at least N requests reached the faulty server.
hits_total_at_least() {
	[ "$(hits_total)" -ge "$1" ] 2>/dev/null
}

# --- SIGKILL mid-write ----------------------------------------------------------

# 0 when at least N requests reached the faulty server, or process PID
# has ended.
hits_or_gone() {
	hits_total_at_least "$1" || ! kill -0 "$2" 2>/dev/null
}

# Starts gather with ARGS in the background and SIGKILLs it once the server
# has had N requests (or lets it be if it ended first).
kill_after_hits() {
	local n=$1 pid
	shift
	"$GATHER" "$@" >/dev/null 2>&1 &
	pid=$!
	echo "$pid" >"$BATS_TEST_TMPDIR/gather.pid"
	wait_for 60 hits_or_gone "$n" "$pid"
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

@test "SIGKILL mid-write of -o leaves the old file whole or the new one whole" {
	local i n round out="$BATS_TEST_TMPDIR/o/out.json" old=0 new=0
	mkdir "$BATS_TEST_TMPDIR/o"
	# 300 results of 20 KB: 6 MB of output written as results arrive.
	# -j 4 and 20 ms each: about 1.5 s.  The first run is not killed;
	# the others at a random point (when the server has had all 300
	# requests, the run may be done).
	for i in $(seq 0 299); do echo "$BASE/ok/$i?pad=20000&delay=20"; done \
	    >"$BATS_TEST_TMPDIR/urls"
	for round in 1 2 3 4 5 6; do
		server_reset
		echo '{"old": true}' >"$out"
		n=$((round == 1 ? 1000000 : RANDOM % 300 + 1))
		kill_after_hits "$n" --compact -j 4 \
		    -i "$BATS_TEST_TMPDIR/urls" -o "$out"
		if [ "$(head -c 20 "$out")" = '{"old": true}' ]; then
			old=$((old + 1))
		else
			run jq -r '"\(.results | length) \(.summary.ok) \([.results[].index] == [range(300)])"' "$out"
			assert_output "300 300 true"
			new=$((new + 1))
		fi
	done
	[ "$old" -ge 1 ] && [ "$new" -ge 1 ]
}

@test "SIGKILL mid-write of -o leaves no temp file behind" {
	local i
	mkdir "$BATS_TEST_TMPDIR/o"
	for i in $(seq 0 299); do echo "$BASE/ok/$i?pad=20000&delay=20"; done \
	    >"$BATS_TEST_TMPDIR/urls"
	echo '{"old": true}' >"$BATS_TEST_TMPDIR/o/out.json"
	kill_after_hits 100 --compact -j 4 -i "$BATS_TEST_TMPDIR/urls" \
	    -o "$BATS_TEST_TMPDIR/o/out.json"
	# Killed mid-run: the old file is there, whole.
	assert_equal "$(head -c 20 "$BATS_TEST_TMPDIR/o/out.json")" '{"old": true}'
	assert_equal "$(ls -A "$BATS_TEST_TMPDIR/o")" out.json
}

@test "SIGKILL mid-write of the cache leaves every entry whole: listed, and served for its own URL" {
	local i round n dir="$BATS_TEST_TMPDIR/cache"
	# 200 bodies of 50 KB, rewritten (--refresh) by runs killed at random.
	for i in $(seq 0 199); do echo "$BASE/ok/$i?pad=50000&delay=10"; done \
	    >"$BATS_TEST_TMPDIR/urls"
	for round in 1 2 3 4 5; do
		server_reset
		kill_after_hits $((RANDOM % 200 + 1)) --compact -j 8 --ttl 1h \
		    --refresh --cache-dir "$dir" -i "$BATS_TEST_TMPDIR/urls"
	done
	assert_equal "$(sqlite3 "$dir/cache.db" 'pragma integrity_check')" ok
	n=$(sqlite3 "$dir/cache.db" 'select count(*) from entries')
	[ "$n" -ge 1 ]
	run --separate-stderr "$GATHER" cache list --cache-dir "$dir"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(grep -c . <<<"$output")" "$n"
	assert_equal "$(jq -s --arg b "$BASE" '[.[] | select(.url | startswith($b + "/ok/"))] | length' <<<"$output")" "$n"
	server_reset
	run --separate-stderr timeout 120 "$GATHER" --compact --offline \
	    --cache-dir "$dir" -i "$BATS_TEST_TMPDIR/urls"
	assert_equal "$(j '[.results[] | select(.cache == "hit" and .body.path == "/ok/\(.index)" and (.body.pad | length) == 50000)] | length')" "$n"
	assert_equal "$(j '[.results[] | select(.cache != "hit" and .error.kind != "offline_miss")] | length')" 0
	assert_equal "$(hits_total)" 0
}
