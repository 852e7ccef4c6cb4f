#!/usr/bin/env bats
# What a person sees on stderr (issue 11, items 1 and 2): the progress line
# only on a terminal the output does not go to, cut to its width, with the
# elapsed time; nothing on stderr when every result is ok; one line per
# failure, at most 10; a line of totals on a terminal; --summary FILE.
# A pseudo-terminal comes from script(1): script -qfec CMD /dev/null puts
# CMD's stdin, stdout and stderr on a new pty and copies what the pty shows
# to script's stdout.

bats_require_minimum_version 1.5.0

load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() { server_reset; }

# on_pty CMD: runs the shell command CMD on a pseudo-terminal (TERM=xterm
# unless TERM_FOR_PTY says otherwise), keeps what the terminal showed in
# $TTY and CMD's exit status in $PTY_RC; a hang guard of 60 s (status 124).
on_pty() {
	TTY="$BATS_TEST_TMPDIR/tty"
	PTY_RC=0
	TERM=${TERM_FOR_PTY-xterm} timeout 60 script -qfec "$1" /dev/null \
	    </dev/null >"$TTY" || PTY_RC=$?
	[ "$PTY_RC" -ne 124 ]
}

# The pieces of what the terminal showed that hold a progress line: the
# text between carriage returns and newlines, clear sequences removed.
progress_pieces() {
	tr '\r' '\n' <"$TTY" | sed 's/\x1b\[K//g' | grep ' done' || true
}

# The longest progress piece, in bytes (the line is ASCII).
widest() {
	progress_pieces | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }'
}

# Blanks the numbers that differ from run to run in the default document.
untimed() {
	sed -E 's/"time_ms": ?[0-9.]+/"time_ms":T/g; s/"(min|mean|p50|p90|p99|max)": ?[0-9.]+/"\1":T/g' "$1"
}

# ---------------------------------------------------------------- terminal

@test "stdout is byte for byte the same with or without a terminal on stderr" {
	local shape a b urls
	urls="'$BASE/json/a' '$BASE/status/404' 'n=$BASE/json/b?delay=700' '$BASE/text'"
	for shape in --bodies --keyed --merge --compact; do
		a="$BATS_TEST_TMPDIR/plain$shape" b="$BATS_TEST_TMPDIR/pty$shape"
		eval "'$GATHER' $shape $urls" >"$a" 2>/dev/null || true
		on_pty "'$GATHER' $shape $urls >'$b'"
		# the terminal did get a progress line and the failure's line
		assert grep -q 'gather: [0-9]/4 done' "$TTY"
		assert grep -q "gather: #1 $BASE/status/404: HTTP 404" "$TTY"
		if [ "$shape" = --compact ]; then
			assert_equal "$(untimed "$b")" "$(untimed "$a")"
			run jq -c '.summary | [.total, .failed]' "$b"
			assert_output '[4,1]'
		else
			cmp "$a" "$b"
		fi
		# no escape sequence, no carriage return in the output
		refute grep -q $'[\033\r]' "$b"
	done
}

@test "stdout and stderr on one terminal: no progress, the document whole, then the failure" {
	# (--color=never: the colour of a document on a terminal is not progress)
	on_pty "'$GATHER' --color=never --keyed a='$BASE/json/a' b='$BASE/status/404?delay=1200'"
	refute grep -q $'\033' "$TTY"
	refute grep -q 'done' "$TTY"
	# the terminal's lines: the document, then the failure, then the totals
	tr -d '\r' <"$TTY" >"$BATS_TEST_TMPDIR/lines"
	run sed -n '/^gather: /p' "$BATS_TEST_TMPDIR/lines"
	assert_line --index 0 "gather: #1 $BASE/status/404?delay=1200: HTTP 404"
	assert_line --index 1 --regexp '^gather: 2 results in [0-9.]+ s: 1 ok, 1 failed \(http 1\)$'
	assert_equal "${#lines[@]}" 2
	run jq -c . < <(sed '/^gather: /d' "$BATS_TEST_TMPDIR/lines")
	assert_success
	assert_output '{"a":{"path":"/json/a","method":"GET"},"b":null}'
	# the same with the default document, pretty on the terminal
	on_pty "'$GATHER' --color=never a='$BASE/json/a' b='$BASE/status/404?delay=600'"
	refute grep -q $'\033' "$TTY"
	run jq -c '.summary | [.total, .ok]' < <(tr -d '\r' <"$TTY" | sed '/^gather: /d')
	assert_success
	assert_output '[2,1]'
}

@test "the progress line never exceeds the terminal's width" {
	local so="$BATS_TEST_TMPDIR/so" i urls=
	for i in 1 2 3 4 5 6; do
		urls="$urls '$BASE/status/500?delay=$((i * 150))'"
	done
	on_pty "stty cols 40; '$GATHER' --retry 0 $urls '$BASE/json/a?delay=1200' >'$so'"
	assert [ "$(progress_pieces | wc -l)" -ge 2 ]
	assert [ "$(widest)" -le 40 ]
	# the same run without a width says more than 40 columns
	on_pty "stty cols 200; '$GATHER' --retry 0 $urls '$BASE/json/a?delay=1200' >'$so'"
	assert [ "$(widest)" -gt 40 ]
}

@test "--progress to a file is cut to COLUMNS" {
	local err="$BATS_TEST_TMPDIR/err"
	COLUMNS=30 "$GATHER" --progress "$BASE/json/a" "$BASE/status/503" \
	    "$BASE/json/b?delay=800" >/dev/null 2>"$err" || true
	TTY=$err
	assert [ "$(progress_pieces | wc -l)" -ge 1 ]
	assert [ "$(widest)" -le 30 ]
}

@test "the progress line follows the terminal's width (SIGWINCH)" {
	local so="$BATS_TEST_TMPDIR/so" tty="$BATS_TEST_TMPDIR/tty"
	# Wide at first; narrow once the line has been drawn wide.
	on_pty "stty cols 120; '$GATHER' '$BASE/json/a' '$BASE/json/b?delay=4000' >'$so' &
	    n=0; until grep -q 'elapsed, ETA' '$tty' || [ \$n -ge 200 ]; do
	        sleep 0.05; n=\$((n + 1)); done
	    stty cols 30; wait"
	assert [ "$(widest)" -gt 30 ]
	# the last line drawn fits the new width
	assert [ "$(progress_pieces | tail -1 | wc -L)" -le 30 ]
}

@test "a 5-second run shows its elapsed time" {
	on_pty "'$GATHER' '$BASE/json/slow?delay=5000' >'$BATS_TEST_TMPDIR/so'"
	assert grep -q 'gather: 0/1 done, .*0:00 elapsed' "$TTY"
	assert grep -q 'gather: 0/1 done, .*0:04 elapsed' "$TTY"
}

@test "-i FILE: the total is known from the start, and the ETA with it" {
	local in="$BATS_TEST_TMPDIR/in" i
	{
		echo '# more than the order window holds, so not read to its end'
		for i in $(seq 1 1500); do
			echo "$BASE/json/$i?delay=400"
			echo
		done
	} >"$in"
	on_pty "'$GATHER' -j 2 --deadline 2s -i '$in' >/dev/null"
	# from the first line drawn
	assert_equal "$(progress_pieces | head -1 | cut -d, -f1)" 'gather: 0/1500 done'
	assert grep -q 'ETA [0-9:]*' "$TTY"
	refute grep -q '/? done' "$TTY"
	# stdin from a file is counted too; from a pipe it cannot be
	on_pty "'$GATHER' -j 2 --deadline 1s <'$in' >/dev/null"
	assert_equal "$(progress_pieces | head -1 | cut -d, -f1)" 'gather: 0/1500 done'
	on_pty "cat '$in' | '$GATHER' -j 2 --deadline 1s >/dev/null"
	assert_equal "$(progress_pieces | head -1 | cut -d, -f1)" 'gather: 0/? done'
}

@test "TERM=dumb or unset: no escape sequences, and no progress line unless asked" {
	local so="$BATS_TEST_TMPDIR/so"
	TERM_FOR_PTY=dumb on_pty "'$GATHER' '$BASE/json/a?delay=600' >'$so'"
	refute grep -q $'\033' "$TTY"
	refute grep -q 'done' "$TTY"
	on_pty "env -u TERM '$GATHER' '$BASE/json/a?delay=600' >'$so'"
	refute grep -q $'\033' "$TTY"
	refute grep -q 'done' "$TTY"
	# --progress draws it with carriage returns and spaces alone
	TERM_FOR_PTY=dumb on_pty "'$GATHER' --progress '$BASE/json/a?delay=600' >'$so'"
	assert grep -q 'gather: 0/1 done' "$TTY"
	refute grep -q $'\033' "$TTY"
	run jq -r '.summary.ok' "$so"
	assert_output 1
}

@test "a warning clears the progress line first" {
	local so="$BATS_TEST_TMPDIR/so"
	on_pty "'$GATHER' --select /nope '$BASE/json/a' '$BASE/json/b?delay=900' >'$so'"
	# the warning starts at the left edge of a cleared line
	assert grep -q $'\r\033\\[Kgather: warning: --select /nope: nothing there' "$TTY"
}

# ---------------------------------------------------------------- cron

@test "cron: an all-ok run with stdout to a file prints nothing on stderr" {
	local shape err="$BATS_TEST_TMPDIR/err"
	for shape in --compact --ndjson --bodies --keyed --merge; do
		"$GATHER" $shape "$BASE/json/a" "$BASE/json/b" \
		    >"$BATS_TEST_TMPDIR/out" 2>"$err"
		assert_equal "$(wc -c <"$err")" 0
	done
}

@test "cron: a failing URL prints its one line" {
	run --separate-stderr "$GATHER" --retry 2 --retry-delay 10ms \
	    "$BASE/json/a" "$BASE/status/503"
	assert_failure 1
	assert_equal "$stderr" "gather: #1 $BASE/status/503: HTTP 503 after 3 attempts"
}

@test "cron: a bad input prints its line, with where it is" {
	printf '%s\n' "$BASE/json/a" 'not a url' "http://u:pw@/x" >"$BATS_TEST_TMPDIR/in"
	run --separate-stderr "$GATHER" --ndjson -i "$BATS_TEST_TMPDIR/in" \
	    "http://127.0.0.1:$(dead_port)/x" --retry 0
	assert_failure 1
	# the argument comes first, then the lines of the file
	assert_regex "${stderr_lines[0]}" '^gather: #0 http://127\.0\.0\.1:[0-9]+/x: .'
	assert_equal "${stderr_lines[1]}" "gather: #2 not a url: line 2: missing scheme (http:// or https://)"
	assert_equal "${stderr_lines[2]}" 'gather: #3 http://u:***@/x: line 3: no host'
	assert_equal "${#stderr_lines[@]}" 3
}

@test "cron: 15 failures print 10 lines in input order, then how many more" {
	local i urls=()
	# They tend to finish in the reverse of input order (unit tests check
	# that the order they finish in does not matter).
	for i in $(seq 0 14); do
		urls+=("$BASE/status/500?delay=$(((15 - i) * 40))")
	done
	run --separate-stderr "$GATHER" --ndjson --retry 0 "${urls[@]}"
	assert_failure 1
	assert_equal "${#stderr_lines[@]}" 11
	for i in $(seq 0 9); do
		assert_equal "${stderr_lines[i]}" \
		    "gather: #$i $BASE/status/500?delay=$(((15 - i) * 40)): HTTP 500"
	done
	assert_equal "${stderr_lines[10]}" "gather: ... and 5 more failed"
	assert_equal "${#lines[@]}" 15
}

@test "-q: nothing on stderr, even for failures, even on a terminal" {
	run --separate-stderr "$GATHER" -q --retry 0 "$BASE/status/503" "not a url"
	assert_failure 1
	assert_equal "$stderr" ""
	on_pty "'$GATHER' -q --keyed --retry 0 '$BASE/status/503?delay=400' >/dev/null"
	assert_equal "$(wc -c <"$TTY")" 0
}

@test "on a terminal, a line of totals ends the run" {
	local so="$BATS_TEST_TMPDIR/so"
	"$GATHER" --ttl 1h --cache-dir "$BATS_TEST_TMPDIR/c" "$BASE/json/a" \
	    >/dev/null 2>&1
	on_pty "'$GATHER' --ttl 1h --cache-dir '$BATS_TEST_TMPDIR/c' --retry 0 \
	    '$BASE/json/a' '$BASE/json/b' '$BASE/status/502' 'x' >'$so'"
	run bash -c "tr -d '\r' <'$TTY' | sed 's/.*\x1b\[K//' | grep -v '^$'"
	assert_line --index 0 "gather: #2 $BASE/status/502: HTTP 502"
	assert_line --index 1 "gather: #3 x: argument 4: missing scheme: did you mean http://x?"
	assert_line --index 2 --regexp '^gather: 4 results in [0-9]+\.[0-9] s: 2 ok, 2 failed \(input 1, http 1\), 1 cached$'
	assert_equal "${#lines[@]}" 3
}

# ---------------------------------------------------------------- --summary

@test "--summary FILE keeps the summary of --ndjson; stderr stays empty" {
	local sum="$BATS_TEST_TMPDIR/summary.json"
	run --separate-stderr "$GATHER" --ndjson --summary "$sum" \
	    "$BASE/json/a" "$BASE/json/b"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "${#lines[@]}" 2
	assert_equal "$(wc -l <"$sum")" 1
	assert_equal "$(jq -c '{total, ok, failed, status}' "$sum")" \
	    '{"total":2,"ok":2,"failed":0,"status":{"200":2}}'
}

@test "--summary - writes the summary on stderr, for --ndjson and the document" {
	run --separate-stderr "$GATHER" --ndjson --summary - "$BASE/json/a"
	assert_success
	assert_equal "$(jq -c '{total, ok}' <<<"$stderr")" '{"total":1,"ok":1}'
	assert_equal "${#stderr_lines[@]}" 1
	# the document keeps its own summary too
	run --separate-stderr "$GATHER" --compact --summary - "$BASE/json/a"
	assert_success
	assert_equal "$(jq -c .summary <<<"$output")" "$(jq -c . <<<"$stderr")"
	# -q silences the rest, not what was asked for
	run --separate-stderr "$GATHER" -q --ndjson --summary - --retry 0 \
	    "$BASE/status/500"
	assert_failure 1
	assert_equal "$(jq -c '{total, failed}' <<<"$stderr")" '{"total":1,"failed":1}'
	assert_equal "${#stderr_lines[@]}" 1
}

@test "--summary to a file that cannot be written: exit 3, nothing fetched" {
	run --separate-stderr "$GATHER" --summary "$BATS_TEST_TMPDIR/no/such/dir/s.json" \
	    "$BASE/json/a"
	assert_failure 3
	assert_equal "$stderr" "gather: --summary: $BATS_TEST_TMPDIR/no/such/dir/s.json: No such file or directory"
	assert_equal "$(total_hits)" 0
}
