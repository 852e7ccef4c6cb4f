#!/usr/bin/env bats
# Input that makes no request, or only bad ones, must not starve the loop:
# an endless line, random bytes and millions of comments still let the
# deadline and signals end the run on time, with complete JSON (issue 10,
# defect 2).

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

# Starts gather in the background, stdin from IN: stdout to $OUT, stderr
# to $ERR; sets PID.
bg() {
	local in=$1
	shift
	OUT="$BATS_TEST_TMPDIR/out"
	ERR="$BATS_TEST_TMPDIR/err"
	"$GATHER" "$@" <"$in" >"$OUT" 2>"$ERR" 3>&- &
	PID=$!
}

# Waits for PID to exit within LIMIT seconds (hang guard: past it, the
# process is killed and the test fails). Sets RC.
wait_exit() {
	if ! wait_for "$1" eval '! kill -0 "$PID" 2>/dev/null'; then
		echo "gather still running after $1 s" >&2
		return 1
	fi
	RC=0
	wait "$PID" || RC=$?
	PID=
}

# 0 when process PID has read at least N bytes (of any file).
has_read() {
	[ "$(awk '/^rchar:/ { print $2 }' "/proc/$PID/io" 2>/dev/null)" \
	    -ge "$1" ] 2>/dev/null
}

@test "--deadline ends a run reading /dev/urandom: complete JSON, exit 1" {
	bg /dev/null --deadline 500ms -i /dev/urandom
	wait_exit 30
	assert_equal "$RC" 1
	# Random bytes make bad lines only, each a result of kind input.
	run jq -c '.summary | [.time_ms < 2500, .total == .errors.input,
	    .total > 0]' "$OUT"
	assert_success
	assert_output '[true,true,true]'
	run cat "$ERR"
	assert_line --index 0 --regexp '^gather: input left unread from line [0-9]+ on: deadline reached$'
}

@test "--deadline ends a run whose stdin is one endless line (/dev/zero)" {
	bg /dev/zero --deadline 500ms
	wait_exit 30
	assert_equal "$RC" 1
	run jq -c '.summary | [.time_ms < 2500, .total]' "$OUT"
	assert_success
	assert_output '[true,0]'
	run cat "$ERR"
	assert_output 'gather: input left unread from line 1 on: deadline reached'
}

@test "SIGTERM while stdin is /dev/zero: exit 143, complete JSON" {
	bg /dev/zero -i - "$BASE/json/z?delay=30000"
	wait_hits /json/z
	# gather is busy reading the endless line when the signal comes, and
	# does not keep it: its peak memory is far below what it has read.
	wait_for 20 has_read $((512 * 1024 * 1024))
	hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$PID/status")
	kill -TERM "$PID"
	[ "$hwm" -lt $((128 * 1024)) ]
	wait_exit 10
	assert_equal "$RC" 143
	run jq -c '[.results[] | [.index, .error.kind]]' "$OUT"
	assert_success
	assert_output '[[0,"interrupted"]]'
	run cat "$ERR"
	assert_line --index 0 'gather: input left unread from line 1 on: interrupted by a signal'
	assert_line --index 1 --regexp '^gather: #0 .*/json/z\?delay=30000: interrupted by a signal$'
	assert_equal "${#lines[@]}" 2
}

@test "millions of comment lines after a URL do not hold --deadline" {
	{
		echo "$BASE/json/slow?delay=30000"
		yes '#' | head -n 10000000
	} >"$BATS_TEST_TMPDIR/in.txt"
	bg /dev/null --deadline 1s -i "$BATS_TEST_TMPDIR/in.txt"
	wait_exit 60
	assert_equal "$RC" 1
	# The URL was started while the comments were being read.
	assert_equal "$(hits /json/slow)" 1
	run jq -c '[.summary.time_ms < 2500, [.results[].error.kind]]' "$OUT"
	assert_success
	assert_output '[true,["deadline"]]'
	run cat "$ERR"
	assert_line --index 0 --regexp '^gather: input left unread from line [0-9]+ on: deadline reached$'
}
