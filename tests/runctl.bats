#!/usr/bin/env bats
# Run control: signals, the progress line, --lock / --lock-wait, and
# redaction of secrets in output and logs (CONTRACT.md sections 3, 4 and 7).

bats_require_minimum_version 1.5.0

load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() {
	server_reset
	PID=
}
# A test that failed before wait_exit leaves no gather behind.
teardown() {
	if [ -n "${PID:-}" ]; then
		kill -KILL "$PID" 2>/dev/null || true
		wait "$PID" 2>/dev/null || true
	fi
}

# Starts gather in the background: stdout to $OUT, stderr to $ERR; sets PID.
bg() {
	OUT="$BATS_TEST_TMPDIR/out"
	ERR="$BATS_TEST_TMPDIR/err"
	"$GATHER" "$@" >"$OUT" 2>"$ERR" 3>&- &
	PID=$!
}

# 0 when $OUT holds at least N lines.
has_lines() {
	[ "$(wc -l <"$OUT")" -ge "$1" ]
}

# Waits until $OUT holds at least N lines (hang guard: fails after 10 s).
wait_lines() {
	wait_for 10 has_lines "$1"
}

# 0 when process PID has FILE open.
has_open() {
	local f
	for f in "/proc/$1/fd/"*; do
		[ "$f" -ef "$2" ] && return 0
	done
	return 1
}

# Waits until process PID has FILE open (hang guard: fails after 10 s).
# gather opens its --lock file after installing its signal handlers.
wait_open() {
	wait_for 10 has_open "$1" "$2"
}

# Waits for PID to exit within LIMIT seconds (hang guard: past it, the
# process is killed and the test fails). Sets RC and ELAPSED (ms).
wait_exit() {
	local limit_ms=$(($1 * 1000)) start i
	start=$(now_ms)
	while kill -0 "$PID" 2>/dev/null; do
		if [ $(($(now_ms) - start)) -gt "$limit_ms" ]; then
			kill -KILL "$PID" 2>/dev/null
			wait "$PID" 2>/dev/null || true
			PID=
			echo "gather still running after $1 s" >&2
			return 1
		fi
		sleep 0.01
	done
	ELAPSED=$(($(now_ms) - start))
	RC=0
	wait "$PID" || RC=$?
	PID=
}

# Every line of FILE on its own is one JSON value: prints "ok" or the bad lines.
lines_valid() {
	jq -R -r 'try (fromjson | "ok") catch "BAD: \(.)"' "$1" | sort -u
}

# ---------------------------------------------------------------- signals

# No test signals gather after a bare sleep: a slow or loaded machine may not
# have fetched anything yet, nor even installed the handlers. Each waits
# (bounded) until the server saw the slow requests arrive (wait_hits) and
# answered the fast ones (wait_answered, or the lines written).

@test "SIGINT: exit 130 at once, complete JSON, the unfinished are interrupted" {
	bg "$BASE/json/fast" "$BASE/json/slow?delay=5000" "$BASE/json/slow2?delay=5000"
	wait_hits /json/slow
	wait_hits /json/slow2
	wait_answered /json/fast
	kill -INT "$PID"
	wait_exit 5
	assert_equal "$RC" 130
	assert [ "$ELAPSED" -lt 1000 ]
	run jq -c '[.results[] | [.index, .ok, .error.kind]]' "$OUT"
	assert_success
	assert_output '[[0,true,null],[1,false,"interrupted"],[2,false,"interrupted"]]'
	run jq -c '.summary | {total, ok, failed, errors}' "$OUT"
	assert_output '{"total":3,"ok":1,"failed":2,"errors":{"interrupted":2}}'
}

@test "SIGTERM: exit 143 at once, complete JSON, the unfinished are interrupted" {
	bg "$BASE/json/slow?delay=5000" "$BASE/json/fast"
	wait_hits /json/slow
	wait_answered /json/fast
	kill -TERM "$PID"
	wait_exit 5
	assert_equal "$RC" 143
	assert [ "$ELAPSED" -lt 1000 ]
	run jq -c '[.results[] | [.index, .ok, .error.kind]]' "$OUT"
	assert_success
	assert_output '[[0,false,"interrupted"],[1,true,null]]'
}

@test "a signal also fails the queued results that never started" {
	bg -j 1 "$BASE/json/1?delay=5000" "$BASE/json/2?delay=5000" "$BASE/json/3"
	wait_hits /json/1
	kill -INT "$PID"
	wait_exit 5
	assert_equal "$RC" 130
	run jq -c '[.results[] | .error.kind]' "$OUT"
	assert_success
	assert_output '["interrupted","interrupted","interrupted"]'
	assert_equal "$(hits /json/3)" 0
}

@test "a signal during a retry backoff ends the run at once" {
	# Retry-After is a floor, so the backoff is at least 10 s whatever
	# the jitter draws (a bare --retry-delay could draw a wait near 0).
	bg --retry-max-delay 20s "$BASE/retry-after/sig?after=10&status=503"
	wait_answered /retry-after/sig
	kill -TERM "$PID"
	wait_exit 5
	assert_equal "$RC" 143
	assert [ "$ELAPSED" -lt 1000 ]
	run jq -r '.results[0].ok' "$OUT"
	assert_output false
	assert_equal "$(hits /retry-after/sig)" 1
}

@test "SIGINT with -o FILE: the file is complete and valid, no temp file left" {
	local dir="$BATS_TEST_TMPDIR/dest"
	mkdir "$dir"
	bg -o "$dir/result.json" "$BASE/json/fast" "$BASE/json/slow?delay=5000"
	wait_hits /json/slow
	wait_answered /json/fast
	kill -INT "$PID"
	wait_exit 5
	assert_equal "$RC" 130
	assert [ "$ELAPSED" -lt 1000 ]
	assert_equal "$(cat "$OUT")" ""
	run jq -c '[.results[] | .error.kind]' "$dir/result.json"
	assert_success
	assert_output '[null,"interrupted"]'
	assert_equal "$(ls -A "$dir")" result.json
}

@test "SIGTERM with -o FILE: the old file is replaced whole, no temp file left" {
	local dir="$BATS_TEST_TMPDIR/dest"
	mkdir "$dir"
	echo 'old content' >"$dir/result.json"
	bg -o "$dir/result.json" "$BASE/json/slow?delay=5000" "$BASE/json/fast"
	wait_hits /json/slow
	wait_answered /json/fast
	kill -TERM "$PID"
	wait_exit 5
	assert_equal "$RC" 143
	run jq -c '[.results[] | .error.kind]' "$dir/result.json"
	assert_success
	assert_output '["interrupted",null]'
	assert_equal "$(ls -A "$dir")" result.json
}

@test "SIGTERM with --ndjson: the lines so far plus the interrupted, all valid" {
	bg --ndjson --summary "$BATS_TEST_TMPDIR/summary.json" "$BASE/json/fast" \
	    "$BASE/json/slow?delay=5000" "$BASE/json/slow2?delay=5000" \
	    "$BASE/status/404"
	wait_hits /json/slow
	wait_hits /json/slow2
	wait_lines 2 # /json/fast and /status/404
	kill -TERM "$PID"
	wait_exit 5
	assert_equal "$RC" 143
	assert [ "$ELAPSED" -lt 1000 ]
	assert_equal "$(wc -l <"$OUT")" 4
	assert_equal "$(lines_valid "$OUT")" ok
	run jq -s -c 'sort_by(.index) | map([.index, .error.kind])' "$OUT"
	assert_output '[[0,null],[1,"interrupted"],[2,"interrupted"],[3,"http"]]'
	# the summary is still written, as one JSON line
	run jq -c '{total, failed, errors}' "$BATS_TEST_TMPDIR/summary.json"
	assert_success
	assert_output '{"total":4,"failed":3,"errors":{"http":1,"interrupted":2}}'
	# stderr names the failures in input order, the 404 (done first) last
	run cut -d' ' -f2 "$ERR"
	assert_output $'#1\n#2\n#3'
}

@test "SIGINT with --ndjson --ordered: every line, in input order" {
	bg --ndjson --ordered -q "$BASE/json/slow?delay=5000" "$BASE/json/fast" \
	    "$BASE/json/fast2"
	wait_hits /json/slow
	wait_answered /json/fast /json/fast2
	kill -INT "$PID"
	wait_exit 5
	assert_equal "$RC" 130
	assert_equal "$(lines_valid "$OUT")" ok
	run jq -s -c 'map([.index, .error.kind])' "$OUT"
	assert_output '[[0,"interrupted"],[1,null],[2,null]]'
	assert_equal "$(cat "$ERR")" ""
}

@test "SIGINT with --bodies: the unfinished are null, the array is complete" {
	bg --bodies -q "$BASE/json/fast" "$BASE/json/slow?delay=5000"
	wait_hits /json/slow
	wait_answered /json/fast
	kill -INT "$PID"
	wait_exit 5
	assert_equal "$RC" 130
	run jq -c . "$OUT"
	assert_success
	assert_output '[{"path":"/json/fast","method":"GET"},null]'
}

# ---------------------------------------------------------------- progress

@test "progress: drawn with \\r on a terminal and cleared at the end" {
	local term="$BATS_TEST_TMPDIR/term" so="$BATS_TEST_TMPDIR/so.json"
	TERM=xterm script -qfec "'$GATHER' '$BASE/json/a' '$BASE/json/b?delay=400' >'$so'" \
	    /dev/null </dev/null >"$term"
	assert grep -q 'gather: [0-9]*/[0-9?]* done' "$term"
	assert grep -q $'\r' "$term"
	# the clear sequence, then the line of totals ends the terminal's bytes
	run tail -c 50 "$term"
	assert_output --regexp $'\r\033\\[Kgather: 2 results in [0-9.]+ s: 2 ok, 0 failed\r$'
	# stdout (a file) got the document, untouched
	run jq -c '.summary | {total, ok}' "$so"
	assert_success
	assert_output '{"total":2,"ok":2}'
}

@test "progress: N/T counts the inputs" {
	local term="$BATS_TEST_TMPDIR/term" so="$BATS_TEST_TMPDIR/so.json"
	TERM=xterm script -qfec "'$GATHER' '$BASE/json/a' '$BASE/json/b' '$BASE/json/c?delay=600' >'$so'" \
	    /dev/null </dev/null >"$term"
	assert grep -q 'gather: 2/3 done' "$term"
}

@test "progress: never when stderr is not a terminal" {
	"$GATHER" "$BASE/json/a" "$BASE/json/b?delay=400" \
	    >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err"
	run jq -r .summary.ok "$BATS_TEST_TMPDIR/out"
	assert_output 2
	refute grep -q 'done' "$BATS_TEST_TMPDIR/err"
	refute grep -q $'\r' "$BATS_TEST_TMPDIR/err"
	# nor in a pipe
	run bash -c "'$GATHER' '$BASE/json/a' '$BASE/json/b?delay=400' 2>&1 >/dev/null | cat"
	assert_success
	refute_output --partial done
}

@test "progress: --progress draws it even when stderr is a file" {
	local err="$BATS_TEST_TMPDIR/err"
	"$GATHER" --progress "$BASE/json/a" "$BASE/json/b?delay=400" \
	    >"$BATS_TEST_TMPDIR/out" 2>"$err"
	assert grep -q 'gather: [0-9]*/2 done' "$err"
	assert_equal "$(tail -c 4 "$err" | od -An -c | tr -s ' ')" ' \r 033 [ K'
	run jq -r .summary.ok "$BATS_TEST_TMPDIR/out"
	assert_output 2
}

@test "progress: --no-progress suppresses it on a terminal" {
	local term="$BATS_TEST_TMPDIR/term" so="$BATS_TEST_TMPDIR/so.json"
	TERM=xterm script -qfec "'$GATHER' --no-progress '$BASE/json/a' '$BASE/json/b?delay=400' >'$so'" \
	    /dev/null </dev/null >"$term"
	refute grep -q 'done' "$term"
	# only the line of totals, its newline made \r\n by the terminal
	assert_equal "$(grep -c $'\r$' "$term")" 1
	refute grep -q $'\033' "$term"
	run jq -r .summary.ok "$so"
	assert_output 2
}

@test "progress: the last of --progress and --no-progress wins" {
	local err="$BATS_TEST_TMPDIR/err"
	"$GATHER" --progress --no-progress "$BASE/json/a?delay=300" \
	    >/dev/null 2>"$err"
	refute grep -q 'done' "$err"
	"$GATHER" --no-progress --progress "$BASE/json/a?delay=300" \
	    >/dev/null 2>"$err"
	assert grep -q 'done' "$err"
}

# ---------------------------------------------------------------- lock

# A holder's request reaching the server (wait_hits) means it holds the lock:
# gather takes the lock before it fetches anything.

@test "--lock: a second run exits 75 at once, says why, and fetches nothing" {
	local lock="$BATS_TEST_TMPDIR/run.lock" t0 t1
	bg --lock "$lock" "$BASE/json/holder?delay=2000"
	wait_hits /json/holder
	t0=$(now_ms)
	run --separate-stderr "$GATHER" --lock "$lock" "$BASE/json/second"
	t1=$(now_ms)
	assert_failure 75
	assert_output ""
	assert [ -n "$stderr" ]
	# at once: a process start and exit, not a wait for the holder
	assert [ $((t1 - t0)) -lt 1000 ]
	assert_equal "$(hits /json/second)" 0
	wait_exit 10
	assert_equal "$RC" 0
}

@test "--lock-wait 5s waits for the holder and then runs" {
	local lock="$BATS_TEST_TMPDIR/run.lock" t0 t1
	bg --lock "$lock" "$BASE/json/holder?delay=1500"
	wait_hits /json/holder
	t0=$(now_ms)
	run --separate-stderr "$GATHER" --lock "$lock" --lock-wait 5s "$BASE/json/second"
	t1=$(now_ms)
	assert_success
	assert_equal "$(jq -r '.results[0].body.path' <<<"$output")" /json/second
	# it waited for the holder (about 1.5 s left) but not for the whole 5 s
	assert [ $((t1 - t0)) -ge 700 ]
	assert [ $((t1 - t0)) -lt 4000 ]
	# by the time the second run fetched, the holder was done
	wait_exit 5
	assert_equal "$RC" 0
	assert_equal "$(hits /json/second)" 1
}

@test "--lock-wait 300ms gives up with 75 after about 300 ms" {
	local lock="$BATS_TEST_TMPDIR/run.lock" t0 t1
	bg --lock "$lock" "$BASE/json/holder?delay=2500"
	wait_hits /json/holder
	t0=$(now_ms)
	run --separate-stderr "$GATHER" --lock "$lock" --lock-wait 300ms "$BASE/json/second"
	t1=$(now_ms)
	assert_failure 75
	assert_output ""
	assert [ -n "$stderr" ]
	assert [ $((t1 - t0)) -ge 250 ]
	assert [ $((t1 - t0)) -lt 1500 ]
	assert_equal "$(hits /json/second)" 0
	wait_exit 10
}

@test "a signal while waiting for the lock ends the run at once, nothing fetched" {
	local lock="$BATS_TEST_TMPDIR/run.lock" holder
	"$GATHER" --lock "$lock" "$BASE/json/holder?delay=3000" >/dev/null 2>&1 3>&- &
	holder=$!
	wait_hits /json/holder
	bg --lock "$lock" --lock-wait 10s "$BASE/json/second"
	wait_open "$PID" "$lock"
	kill -INT "$PID"
	wait_exit 5
	assert_equal "$RC" 130
	assert [ "$ELAPSED" -lt 1000 ]
	assert_equal "$(hits /json/second)" 0
	wait "$holder"
}

@test "--lock creates a missing lock file; it still exists after both runs" {
	local lock="$BATS_TEST_TMPDIR/new.lock"
	assert [ ! -e "$lock" ]
	bg --lock "$lock" "$BASE/json/holder?delay=800"
	wait_hits /json/holder
	assert [ -e "$lock" ]
	run --separate-stderr "$GATHER" --lock "$lock" --lock-wait 5s "$BASE/json/second"
	assert_success
	wait_exit 5
	assert_equal "$RC" 0
	assert [ -f "$lock" ]
}

@test "--lock is released at exit: runs one after another all succeed" {
	local lock="$BATS_TEST_TMPDIR/run.lock"
	run --separate-stderr "$GATHER" --lock "$lock" "$BASE/json/1"
	assert_success
	run --separate-stderr "$GATHER" --lock "$lock" "$BASE/json/2"
	assert_success
	# a failed run keeps its own exit status, not 75
	run --separate-stderr "$GATHER" --lock "$lock" "$BASE/status/404"
	assert_failure 1
}

@test "--lock is released when the holder is interrupted" {
	local lock="$BATS_TEST_TMPDIR/run.lock"
	bg --lock "$lock" "$BASE/json/holder?delay=5000"
	wait_hits /json/holder
	kill -TERM "$PID"
	wait_exit 5
	assert_equal "$RC" 143
	run --separate-stderr "$GATHER" --lock "$lock" "$BASE/json/after"
	assert_success
}

@test "--lock-wait without --lock is a usage error" {
	run --separate-stderr "$GATHER" --lock-wait 1s "$BASE/json/a"
	assert_failure 2
	assert_output ""
	assert [ -n "$stderr" ]
	run --separate-stderr "$GATHER" --lock "$BATS_TEST_TMPDIR/l" --lock-wait soon "$BASE/json/a"
	assert_failure 2
	assert_equal "$(total_hits)" 0
}

@test "--lock in a missing folder is a usage error and fetches nothing" {
	run --separate-stderr "$GATHER" --lock "$BATS_TEST_TMPDIR/no/such/dir/l" "$BASE/json/a"
	assert_failure 2
	assert_output ""
	assert [ -n "$stderr" ]
	assert [ ! -e "$BATS_TEST_TMPDIR/no" ]
	assert_equal "$(total_hits)" 0
}

# ---------------------------------------------------------------- redaction

@test "a URL password is *** in output and in -v logs, 'secret' nowhere" {
	run --separate-stderr "$GATHER" -v --retry 1 --retry-delay 10ms \
	    "http://user:secret@127.0.0.1:$PORT/json/x" \
	    "http://user:secret@127.0.0.1:$PORT/status/500"
	assert_failure 1
	assert_equal "$(jq -r '.results[0].url' <<<"$output")" \
	    "http://user:***@127.0.0.1:$PORT/json/x"
	assert_equal "$(jq -r '.results[1].url' <<<"$output")" \
	    "http://user:***@127.0.0.1:$PORT/status/500"
	refute_output --partial secret
	[[ "$stderr" != *secret* ]]
	[[ "$stderr" == *'user:***@127.0.0.1'* ]]
	# one log line per attempt, 1 + 2, and one for the failed result
	assert_equal "$(grep -c '\*\*\*' <<<"$stderr")" 4
	assert_equal "${stderr_lines[3]}" \
	    "gather: #1 http://user:***@127.0.0.1:$PORT/status/500: HTTP 500 after 2 attempts"
	# the request itself was made with the credentials
	run curl -sf "$BASE/_/log?path=/json/x"
	assert_equal "$(jq -r '.[0].headers.authorization' <<<"$output")" \
	    "Basic $(printf 'user:secret' | base64)"
}

@test "a URL password is hidden in --ndjson, --keyed, -o and error messages" {
	local dead url
	dead=$(dead_port)
	url="http://user:secret@127.0.0.1:$PORT/json/x"
	run --separate-stderr "$GATHER" -v --ndjson "$url"
	assert_success
	refute_output --partial secret
	[[ "$stderr" != *secret* ]]
	run --separate-stderr "$GATHER" -v --keyed "$url"
	assert_success
	refute_output --partial secret
	[[ "$stderr" != *secret* ]]
	run --separate-stderr "$GATHER" -v -o "$BATS_TEST_TMPDIR/o.json" "$url"
	assert_success
	refute grep -q secret "$BATS_TEST_TMPDIR/o.json"
	[[ "$stderr" != *secret* ]]
	run --separate-stderr "$GATHER" -v --retry 0 "http://user:secret@127.0.0.1:$dead/x"
	assert_failure 1
	assert_equal "$(jq -r '.results[0].error.kind' <<<"$output")" connect
	refute_output --partial secret
	[[ "$stderr" != *secret* ]]
}

@test "a URL password is hidden in input errors and from -i files" {
	printf '%s\n' "http://user:secret@127.0.0.1:$PORT/json/f" \
	    "ftp://user:secret@127.0.0.1/x" \
	    "{\"url\": \"http://user:secret@127.0.0.1:$PORT/json/s\", \"bogus\": 1}" \
	    "{\"url\": \"http://user:secret@127.0.0.1:$PORT/json/t\"}" \
	    >"$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr "$GATHER" -v -i "$BATS_TEST_TMPDIR/in.txt"
	assert_failure 1
	assert_equal "$(jq -c '[.results[] | .ok]' <<<"$output")" '[true,false,false,true]'
	assert_equal "$(jq -r '.results[3].url' <<<"$output")" \
	    "http://user:***@127.0.0.1:$PORT/json/t"
	refute_output --partial secret
	[[ "$stderr" != *secret* ]]
}

@test "-v never logs Authorization, Proxy-Authorization or Cookie values" {
	run --separate-stderr "$GATHER" -v --retry 1 --retry-delay 10ms \
	    -H 'Authorization: Bearer tok123' -H 'Cookie: c=sess42' \
	    -H 'Proxy-Authorization: Basic prox99' \
	    "$BASE/json/h" "$BASE/status/503"
	assert_failure 1
	[ -n "$stderr" ]
	[[ "$stderr" != *tok123* ]]
	[[ "$stderr" != *sess42* ]]
	[[ "$stderr" != *prox99* ]]
	refute_output --partial tok123
	refute_output --partial sess42
	# the server did receive them
	run curl -sf "$BASE/_/log?path=/json/h"
	assert_equal "$(jq -r '.[0].headers.authorization' <<<"$output")" "Bearer tok123"
	assert_equal "$(jq -r '.[0].headers.cookie' <<<"$output")" "c=sess42"
}

@test "-v never logs secret headers given in a JSON input spec" {
	printf '%s\n' "{\"url\": \"$BASE/json/spec\", \"headers\": {\"Authorization\": \"Bearer tok777\", \"Cookie\": \"k=sess777\"}}" \
	    >"$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr "$GATHER" -v -i "$BATS_TEST_TMPDIR/in.txt"
	assert_success
	[[ "$stderr" != *tok777* ]]
	[[ "$stderr" != *sess777* ]]
	run curl -sf "$BASE/_/log?path=/json/spec"
	assert_equal "$(jq -r '.[0].headers.authorization' <<<"$output")" "Bearer tok777"
}

@test "a password with '#' in a URL that does not parse is still hidden" {
	run --separate-stderr "$GATHER" --compact "http://user:p#ss word@127.0.0.1:$PORT/json/a"
	assert_failure 1
	refute_output --partial 'p#ss'
	refute_output --partial 'ss word'
	assert_equal "$(j '.results[0].error.kind')" input
}
