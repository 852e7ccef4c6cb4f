#!/usr/bin/env bats
# --color, NO_COLOR, TERM and GATHER_COLORS: colour like jq on a terminal,
# never in a pipe or a file unless --color=always.  jq 1.6 is the oracle:
# gather's coloured bytes are compared with `jq -C` of the same JSON.

bats_require_minimum_version 1.5.0

load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() { server_reset; }

# gather's default colours for jq 1.6, which has no eighth field (its object
# keys are always 34;1, gather's default).
JQC='0;90:0;39:0;39:0;39:0;32:1;39:1;39'
ESC=$'\033'

# A body with every kind of value, served as JSON; numbers as jq writes them.
body_url() {
	local json='{"a":[1,"x",null,true,false,{},[],{"b":{"c":1.5}}],"d":"q\"\\","e":-2}'
	echo "$BASE/bytes?hex=$(printf %s "$json" | xxd -p | tr -d '\n')&type=application/json"
}

# on_tty CMD: runs the shell command CMD with stdout on a pseudo-terminal
# (stderr to a file), output without the terminal's carriage returns.
on_tty() {
	timeout 30 script -qec "$1 2>'$BATS_TEST_TMPDIR/err'" /dev/null |
	    tr -d '\r'
}

# Colour escapes stripped.
plain() {
	sed "s/$ESC\[[0-9;]*m//g"
}

@test "auto on a terminal colours the pretty document byte for byte as jq -C" {
	local u
	u=$(body_url)
	"$GATHER" -q --bodies --compact "$u" >"$BATS_TEST_TMPDIR/c.json"
	output=$(on_tty "env -u NO_COLOR -u GATHER_COLORS TERM=xterm '$GATHER' -q --bodies '$u'")
	assert_equal "$output" "$(JQ_COLORS=$JQC jq -C . "$BATS_TEST_TMPDIR/c.json")"
	assert_output --partial "$ESC[34;1m\"a\"$ESC[0m$ESC[1;39m: $ESC[0m"
}

# tty_escapes 'ENV' ['OPTIONS']: how many lines with an escape gather
# writes to a terminal, run as `env -u NO_COLOR ENV gather OPTIONS`.
tty_escapes() {
	local out
	out=$(on_tty "env -u NO_COLOR $1 '$GATHER' -q $2 '$BASE/json/1'")
	# Still the pretty document, whatever the colour.
	[ "$(plain <<<"$out" | jq -r '.results[0].body.path')" = /json/1 ] || return 2
	grep -c "$ESC" <<<"$out" || true
}

@test "NO_COLOR set and not empty turns auto off; empty, it does not" {
	run tty_escapes 'TERM=xterm NO_COLOR=1'
	assert_success
	assert_output 0
	run tty_escapes 'TERM=xterm NO_COLOR='
	assert_success
	[ "$output" -gt 5 ]
}

@test "TERM=dumb or no TERM turns auto off" {
	run tty_escapes TERM=dumb
	assert_success
	assert_output 0
	run tty_escapes '-u TERM'
	assert_success
	assert_output 0
	run tty_escapes TERM=xterm
	assert_success
	[ "$output" -gt 5 ]
}

@test "--color=never on a terminal: no colour, still pretty" {
	run tty_escapes TERM=xterm --color=never
	assert_success
	assert_output 0
	run tty_escapes TERM=xterm --color=auto
	assert_success
	[ "$output" -gt 5 ]
}

@test "no colour into a pipe or a file by default, even with --pretty" {
	run --separate-stderr env -u NO_COLOR TERM=xterm "$GATHER" --pretty "$(body_url)"
	assert_success
	refute_output --partial "$ESC"
	[ "${#lines[@]}" -gt 5 ]
	# -o FILE with stdout on a terminal: the file gets none either.
	on_tty "env -u NO_COLOR TERM=xterm '$GATHER' -q --pretty -o '$BATS_TEST_TMPDIR/o.json' '$(body_url)'"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/o.json")" -gt 5 ]
	run grep -c "$ESC" "$BATS_TEST_TMPDIR/o.json"
	assert_output 0
}

@test "--color=always into a pipe: jq -C of --pretty, jq -cC of --compact" {
	local u
	u=$(body_url)
	"$GATHER" -q --bodies --compact "$u" >"$BATS_TEST_TMPDIR/c.json"
	# NO_COLOR and TERM=dumb do not win over an explicit --color=always.
	run --separate-stderr env NO_COLOR=1 TERM=dumb "$GATHER" --color=always --pretty --bodies "$u"
	assert_success
	assert_equal "$output" "$(JQ_COLORS=$JQC jq -C . "$BATS_TEST_TMPDIR/c.json")"
	run --separate-stderr "$GATHER" --color always --bodies "$u"
	assert_success
	assert_equal "$output" "$(JQ_COLORS=$JQC jq -cC . "$BATS_TEST_TMPDIR/c.json")"
	# -o FILE too.
	run --separate-stderr "$GATHER" --color=always --pretty --bodies -o "$BATS_TEST_TMPDIR/o" "$u"
	assert_success
	assert_equal "$(cat "$BATS_TEST_TMPDIR/o")" \
	    "$(JQ_COLORS=$JQC jq -C . "$BATS_TEST_TMPDIR/c.json")"
}

@test "--color=always colours every shape as jq -C colours the same JSON" {
	local shape out
	for shape in "" --keyed --merge --ndjson --compact; do
		out=$("$GATHER" -q --color=always --pretty $shape "k=$(body_url)" \
		    "$BASE/json/2" "$BASE/status/404") || true
		grep -q "$ESC\[" <<<"$out"
		# jq writes the milliseconds 8.0 as 8.
		out=$(sed "s/\([0-9]\)\.0$ESC/\1$ESC/g" <<<"$out")
		# Strip the colour, colour it again with jq: the same bytes.
		if [ "$shape" = --ndjson ] || [ "$shape" = --compact ]; then
			assert_equal "$out" "$(plain <<<"$out" | JQ_COLORS=$JQC jq -cC .)"
		else
			assert_equal "$out" "$(plain <<<"$out" | JQ_COLORS=$JQC jq -C .)"
		fi
	done
}

@test "GATHER_COLORS sets the colours as JQ_COLORS does, keys in the eighth field" {
	local u c='1;31:0;35:0;35:0;36:0;33:1;34:1;37'
	u=$(body_url)
	"$GATHER" -q --bodies --compact "$u" >"$BATS_TEST_TMPDIR/c.json"
	run --separate-stderr env GATHER_COLORS="$c" "$GATHER" --color=always --pretty --bodies "$u"
	assert_success
	assert_equal "$output" "$(JQ_COLORS=$c jq -C . "$BATS_TEST_TMPDIR/c.json")"
	# Fewer fields: the rest keep their default.
	run --separate-stderr env GATHER_COLORS='1;31' "$GATHER" --color=always --bodies "$u"
	assert_success
	assert_output --partial "$ESC[1;31mnull$ESC[0m"
	assert_output --partial "$ESC[0;32m\"x\"$ESC[0m"
	# The eighth colours the keys; an empty field is a bare ESC[m, as in jq.
	run --separate-stderr env GATHER_COLORS="$JQC:4;33" "$GATHER" --color=always --bodies "$u"
	assert_success
	assert_output --partial "$ESC[0m$ESC[4;33m\"a\"$ESC[0m$ESC[1;39m:$ESC[0m"
	run --separate-stderr env GATHER_COLORS=':::::::' "$GATHER" --color=always --bodies "$u"
	assert_success
	assert_output --partial "$ESC[m{$ESC[0m$ESC[34;1m\"a\"$ESC[0m$ESC[m:$ESC[0m"
	assert_equal "$output" "$(JQ_COLORS=':::::::' jq -cC . "$BATS_TEST_TMPDIR/c.json")"
}

@test "a bad GATHER_COLORS: a warning and the default colours, as jq does" {
	local u
	u=$(body_url)
	"$GATHER" -q --bodies --color=always "$u" >"$BATS_TEST_TMPDIR/want"
	for bad in red '1;31:x' '1;2;3;4;5;6;7;8' "$ESC[31m"; do
		run --separate-stderr env GATHER_COLORS="$bad" "$GATHER" --color=always --bodies "$u"
		assert_success
		assert_equal "$output" "$(cat "$BATS_TEST_TMPDIR/want")"
		assert_equal "${stderr_lines[0]}" \
		    "gather: warning: GATHER_COLORS: not a list of colours like JQ_COLORS; using the defaults"
	done
	# -q silences it, as every warning.
	run --separate-stderr env GATHER_COLORS=red "$GATHER" -q --color=always --bodies "$u"
	assert_success
	assert_equal "$stderr" ""
	# No colour, no warning: a cron job with a stray GATHER_COLORS stays quiet.
	run --separate-stderr env GATHER_COLORS=red "$GATHER" --bodies "$u"
	assert_success
	refute_output --partial "$ESC"
	refute [ -n "$(grep GATHER_COLORS <<<"$stderr")" ]
}

@test "a bad --color value is a usage error, before anything is fetched" {
	for bad in sometimes yes ''; do
		run --separate-stderr "$GATHER" --color="$bad" "$BASE/json/1"
		assert_failure 2
		assert_output ""
		assert_equal "${stderr_lines[0]}" \
		    "gather: --color: want auto, always or never, got '$bad'"
	done
	assert_equal "$(total_hits)" 0
}

@test "a large body, re-indented a piece at a time, is jq's text byte for byte" {
	local u="$BASE/large?size=$((24 << 20))"
	"$GATHER" -q --max-body 64M --bodies --compact "$u" >"$BATS_TEST_TMPDIR/c.json"
	[ "$(wc -c <"$BATS_TEST_TMPDIR/c.json")" -gt $((24 << 20)) ]
	"$GATHER" -q --max-body 64M --bodies --pretty "$u" >"$BATS_TEST_TMPDIR/p.json"
	jq . "$BATS_TEST_TMPDIR/c.json" | cmp - "$BATS_TEST_TMPDIR/p.json"
	"$GATHER" -q --max-body 64M --bodies --pretty --color=always "$u" \
	    >"$BATS_TEST_TMPDIR/pc.json"
	JQ_COLORS=$JQC jq -C . "$BATS_TEST_TMPDIR/c.json" | cmp - "$BATS_TEST_TMPDIR/pc.json"
}
