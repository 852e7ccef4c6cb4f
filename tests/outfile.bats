#!/usr/bin/env bats
# Where the output goes: -o FILE onto devices, FIFOs and symbolic links,
# no temp file left even after SIGKILL, SIGHUP, and a reader that goes
# away (EPIPE).  As root, no test writes to the machine's own /dev files:
# each uses a device node it makes in its own folder.

bats_require_minimum_version 1.5.0

load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() {
	server_reset
	PID=
	D="$BATS_TEST_TMPDIR/d"
	mkdir "$D"
}
# A test that failed before wait_exit leaves no process behind.
teardown() {
	if [ -n "${PID:-}" ]; then
		kill -KILL "$PID" 2>/dev/null || true
		wait "$PID" 2>/dev/null || true
	fi
}

# device NAME MAJOR MINOR: prints the path of a character device like
# /dev/NAME: that one when not root, else a node made in the test's folder.
device() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "/dev/$1"
		return
	fi
	mknod "$BATS_TEST_TMPDIR/$1" c "$2" "$3"
	echo "$BATS_TEST_TMPDIR/$1"
}

# Waits for PID to exit within LIMIT seconds (hang guard: past it, the
# process is killed and the test fails).  Sets RC.
wait_exit() {
	local limit=$(($(now_ms) + $1 * 1000))
	while kill -0 "$PID" 2>/dev/null; do
		if [ "$(now_ms)" -gt "$limit" ]; then
			kill -KILL "$PID" 2>/dev/null
			wait "$PID" 2>/dev/null || true
			PID=
			echo "still running after $1 s" >&2
			return 1
		fi
		sleep 0.01
	done
	RC=0
	wait "$PID" || RC=$?
	PID=
}

# 0 when process PID has a file in folder DIR open for writing, named or
# not (an O_TMPFILE shows as "DIR/#123 (deleted)").
writes_in() {
	local f
	for f in "/proc/$1/fd/"*; do
		case "$(readlink "$f")" in "$2"/*) return 0 ;; esac
	done
	return 1
}

# ------------------------------------------------------- -o onto non-files

@test "-o into a FIFO writes through it to its reader; the FIFO stays" {
	mkfifo "$D/fifo"
	cat "$D/fifo" >"$BATS_TEST_TMPDIR/got" &
	PID=$!
	run --separate-stderr timeout 30 "$GATHER" -o "$D/fifo" "$BASE/json/1"
	[ -p "$D/fifo" ] || { ls -l "$D" >&2; false; }
	assert_success
	wait_exit 10
	assert_equal "$RC" 0
	assert_equal "$(jq -c '[.results[].body.path]' "$BATS_TEST_TMPDIR/got")" \
	    '["/json/1"]'
	assert_equal "$(ls -A "$D")" fifo
}

# 0 when process PID sleeps in open(2) waiting for a FIFO's reader.
waits_for_reader() {
	[ "$(cat "/proc/$1/wchan" 2>/dev/null)" = wait_for_partner ]
}

@test "-o into a FIFO with no reader: SIGTERM ends the wait, exit 143" {
	mkfifo "$D/fifo"
	"$GATHER" -o "$D/fifo" "$BASE/json/1" >/dev/null 2>"$D/err" 3>&- &
	PID=$!
	wait_for 10 waits_for_reader "$PID"
	kill -TERM "$PID"
	wait_exit 5
	assert_equal "$RC" 143
	assert [ -p "$D/fifo" ]
	assert_equal "$(cat "$D/err")" ""
	assert_equal "$(total_hits)" 0
}

@test "-o /dev/null leaves it a character device, 1:3" {
	local null
	null=$(device null 1 3)
	run --separate-stderr "$GATHER" -o "$null" "$BASE/json/1"
	assert_success
	assert_output ""
	assert_equal "$stderr" ""
	assert [ -c "$null" ]
	assert_equal "$(stat -c '%F %t:%T' "$null")" "character special file 1:3"
	assert_equal "$(hits /json/1)" 1
}

@test "-o /dev/full exits 3 with the device's error; it stays a device" {
	local full
	full=$(device full 1 7)
	run --separate-stderr "$GATHER" -o "$full" "$BASE/json/1"
	assert_failure 3
	assert_output ""
	assert_equal "$stderr" "gather: $full: No space left on device"
	assert_equal "$(stat -c '%F %t:%T' "$full")" "character special file 1:7"
}

@test "-o /dev/stdout writes into a pipe; the link stays" {
	# A link of its own, like /dev/stdout, so that a failing gather
	# cannot replace the machine's.
	ln -s /proc/self/fd/1 "$D/stdout"
	run --separate-stderr bash -c "'$GATHER' -o '$D/stdout' '$BASE/json/1' | cat"
	assert_success
	assert_equal "$(j -c '[.results[].body.path]')" '["/json/1"]'
	assert_equal "$stderr" ""
	assert [ -L "$D/stdout" ]
	assert_equal "$(readlink "$D/stdout")" /proc/self/fd/1
}

@test "-o /dev/stdout onto a file opened with >> appends to it" {
	ln -s /proc/self/fd/1 "$D/stdout"
	echo first >"$D/log"
	run --separate-stderr bash -c "'$GATHER' -o '$D/stdout' '$BASE/json/1' >>'$D/log'"
	assert_success
	assert_equal "$(head -1 "$D/log")" first
	assert_equal "$(tail -n +2 "$D/log" | jq -c '[.results[].body.path]')" \
	    '["/json/1"]'
	assert_equal "$(ls -A "$D")" "$(printf 'log\nstdout')"
}

@test "-o /dev/stdout when stdout is a socket writes into it" {
	ln -s /proc/self/fd/1 "$D/stdout"
	run --separate-stderr python3 -c '
import socket, subprocess, sys
a, b = socket.socketpair()
p = subprocess.Popen(sys.argv[1:], stdout=b)
b.close()
data = b""
while chunk := a.recv(65536):
    data += chunk
sys.stdout.write(data.decode())
sys.exit(p.wait())' "$GATHER" -o "$D/stdout" "$BASE/json/1"
	assert_success
	assert_equal "$(j -c '[.results[].body.path]')" '["/json/1"]'
	assert_equal "$stderr" ""
}

@test "-o onto a socket that is not stdout exits 3, nothing fetched" {
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' \
	    "$D/sock"
	run --separate-stderr "$GATHER" -o "$D/sock" "$BASE/json/1"
	assert_failure 3
	assert_equal "$stderr" "gather: $D/sock: No such device or address"
	assert [ -S "$D/sock" ]
	assert_equal "$(total_hits)" 0
}

# ------------------------------------------------------- symbolic links

@test "-o through a symbolic link replaces the target and keeps the link" {
	mkdir "$D/real"
	echo old >"$D/real/res.json"
	ln -s real/res.json "$D/link"
	ln -s "$D/link" "$D/link2"
	run --separate-stderr "$GATHER" -o "$D/link2" "$BASE/json/1"
	assert_success
	assert [ -L "$D/link" ]
	assert [ -L "$D/link2" ]
	assert_equal "$(readlink "$D/link")" real/res.json
	assert_equal "$(jq -c '[.results[].body.path]' "$D/real/res.json")" \
	    '["/json/1"]'
	assert_equal "$(ls -A "$D")" "$(printf 'link\nlink2\nreal')"
	assert_equal "$(ls -A "$D/real")" res.json
}

@test "-o through a dangling symbolic link creates its target, mode 0666 less umask" {
	mkdir "$D/real"
	ln -s real/new.json "$D/link"
	run --separate-stderr bash -c "umask 027; '$GATHER' -o '$D/link' '$BASE/json/1'"
	assert_success
	assert [ -L "$D/link" ]
	assert_equal "$(stat -c %a "$D/real/new.json")" 640
	assert_equal "$(jq -c '[.results[].body.path]' "$D/real/new.json")" \
	    '["/json/1"]'
	assert_equal "$(ls -A "$D/real")" new.json
}

@test "-o FILE replacing a file gives it the mode of a new one" {
	echo old >"$D/res.json"
	chmod 600 "$D/res.json"
	run --separate-stderr bash -c "umask 022; '$GATHER' -o '$D/res.json' '$BASE/json/1'"
	assert_success
	assert_equal "$(stat -c %a "$D/res.json")" 644
	assert_equal "$(ls -A "$D")" res.json
}

@test "-o through a loop of symbolic links exits 3, nothing fetched" {
	ln -s b "$D/a"
	ln -s a "$D/b"
	run --separate-stderr "$GATHER" -o "$D/a" "$BASE/json/1"
	assert_failure 3
	assert_equal "$stderr" "gather: $D/a: Too many levels of symbolic links"
	assert_equal "$(total_hits)" 0
}

# ------------------------------------------------------- signals

@test "SIGKILL mid-run leaves no temp file and the old file whole" {
	echo 'old content' >"$D/res.json"
	"$GATHER" -o "$D/res.json" "$BASE/json/fast" "$BASE/json/slow?delay=10000" \
	    >/dev/null 2>&1 3>&- &
	PID=$!
	wait_hits /json/slow
	wait_answered /json/fast
	# Evidence that it is writing in the folder when it dies.
	wait_for 10 writes_in "$PID" "$D"
	kill -KILL "$PID"
	wait_exit 5
	assert_equal "$RC" 137
	assert_equal "$(ls -A "$D")" res.json
	assert_equal "$(cat "$D/res.json")" 'old content'
}

@test "SIGHUP: exit 129, complete JSON in -o FILE, no temp file left" {
	echo 'old content' >"$D/res.json"
	"$GATHER" -o "$D/res.json" "$BASE/json/slow?delay=10000" "$BASE/json/fast" \
	    >/dev/null 2>&1 3>&- &
	PID=$!
	wait_hits /json/slow
	wait_answered /json/fast
	kill -HUP "$PID"
	wait_exit 5
	assert_equal "$RC" 129
	run jq -c '[.results[] | [.index, .ok, .error.kind]]' "$D/res.json"
	assert_success
	assert_output '[[0,false,"interrupted"],[1,true,null]]'
	assert_equal "$(ls -A "$D")" res.json
}

@test "SIGHUP with stdout: exit 129 and a complete document" {
	"$GATHER" "$BASE/json/slow?delay=10000" "$BASE/json/fast" \
	    >"$D/out" 2>/dev/null 3>&- &
	PID=$!
	wait_hits /json/slow
	wait_answered /json/fast
	kill -HUP "$PID"
	wait_exit 5
	assert_equal "$RC" 129
	run jq -c '.summary | {total, ok, errors}' "$D/out"
	assert_success
	assert_output '{"total":2,"ok":1,"errors":{"interrupted":1}}'
}

# ------------------------------------------------------- a reader that goes away

# urls N: N slow URLs on the fixture server, one a line.
urls() {
	local i
	for ((i = 0; i < $1; i++)); do
		echo "$BASE/json/$i?delay=200"
	done
}

@test "--ndjson | head -1: exit 141 at once, nothing on stderr" {
	local start
	urls 400 >"$D/in"
	start=$(now_ms)
	run bash -c "'$GATHER' --ndjson -j 4 -i '$D/in' 2>'$D/err' | head -1; \
	    echo \"status \${PIPESTATUS[*]}\""
	# 400 requests of 200 ms, 4 at a time, take 20 s: it stopped early.
	assert [ $(($(now_ms) - start)) -lt 15000 ]
	assert_equal "${#lines[@]}" 2
	assert_equal "$(jq -r '.body.path' <<<"${lines[0]}" | cut -d/ -f2)" json
	assert_equal "${lines[1]}" "status 141 0"
	assert_equal "$(cat "$D/err")" ""
	assert [ "$(total_hits)" -lt 400 ]
}

@test "the document | head -c 10: exit 141, nothing on stderr" {
	urls 400 >"$D/in"
	run bash -c "'$GATHER' -j 4 -i '$D/in' 2>'$D/err' | head -c 10; \
	    s=\"\${PIPESTATUS[*]}\"; echo; echo \"status \$s\""
	assert_equal "${lines[0]}" '{"results"'
	assert_equal "${lines[1]}" "status 141 0"
	assert_equal "$(cat "$D/err")" ""
	assert [ "$(total_hits)" -lt 400 ]
}
