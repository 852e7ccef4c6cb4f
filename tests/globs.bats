#!/usr/bin/env bats
# URL globs as curl's (issue 13, item 9): what a glob expands to, in what
# order and under what names, checked on the fixture server's log and
# against curl(1) itself; -g; bad globs by curl's own words; and a glob of
# a billion URLs that starts at once and stays small.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() {
	server_reset
	export GATHER_CACHE_DIR="$BATS_TEST_TMPDIR/cache"
}

# The paths the server saw, in order of arrival, that start with $1.
logged() {
	curl -sf "$BASE/_/log" | jq -c --arg p "$1" \
	    '[.[].path | select(startswith($p))]'
}

@test "globs expand in curl's order, one result each, named NAME.values" {
	run --separate-stderr "$GATHER" -j 1 --compact \
	    "p=$BASE/json/g/[1-2]/{a,b}" "$BASE/json/after"
	assert_success
	assert_equal "$(j -c '[.results[] | [.index, .name, .body.path]]')" \
	    '[[0,"p.1.a","/json/g/1/a"],[1,"p.1.b","/json/g/1/b"],[2,"p.2.a","/json/g/2/a"],[3,"p.2.b","/json/g/2/b"],[4,null,"/json/after"]]'
	assert_equal "$(logged /json/g/)" \
	    '["/json/g/1/a","/json/g/1/b","/json/g/2/a","/json/g/2/b"]'
	# curl itself asks for them in the same order.
	curl -s "$BASE/json/c/[1-2]/{a,b}" >/dev/null
	assert_equal "$(logged /json/c/ | sed 's|/c/|/g/|g')" "$(logged /json/g/)"
}

@test "zero padding, steps, letters, sets, several in one URL" {
	run --separate-stderr "$GATHER" -j 1 --compact \
	    "$BASE/json/z/[08-10]" "$BASE/json/s/[0-100:50]" \
	    "$BASE/json/l/[a-e:2]" "$BASE/json/m/{a,b}[1-2]{y,z}" \
	    "$BASE/json/e/\{x\}"
	assert_success
	assert_equal "$(j '.summary.total')" 18
	assert_equal "$(logged /json/z/)" '["/json/z/08","/json/z/09","/json/z/10"]'
	assert_equal "$(logged /json/s/)" '["/json/s/0","/json/s/50","/json/s/100"]'
	assert_equal "$(logged /json/l/)" '["/json/l/a","/json/l/c","/json/l/e"]'
	assert_equal "$(logged /json/m/)" \
	    '["/json/m/a1y","/json/m/a1z","/json/m/a2y","/json/m/a2z","/json/m/b1y","/json/m/b1z","/json/m/b2y","/json/m/b2z"]'
	# An escaped brace is a plain one, sent as curl sends it.
	curl -s "$BASE/json/f/\{x\}" >/dev/null
	assert_equal "$(logged /json/e/ | sed 's|/e/|/f/|')" "$(logged /json/f/)"
	assert_equal "$(j -c '[.results[].index]')" \
	    "$(seq 0 17 | jq -sc .)"
}

@test "input lines are globs too; a JSON spec's url is not" {
	cat >"$BATS_TEST_TMPDIR/in" <<-EOF
	# [1-9] in a comment is nothing
	n=$BASE/json/i/[1-2]
	{"url": "$BASE/json/spec/[1-2]"}
	$BASE/json/j/{x,y}
	EOF
	run --separate-stderr "$GATHER" -j 1 --compact -i "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_equal "$(j -c '[.results[] | [.index, .name, .body.path]]')" \
	    '[[0,"n.1","/json/i/1"],[1,"n.2","/json/i/2"],[2,null,"/json/spec/[1-2]"],[3,null,"/json/j/x"],[4,null,"/json/j/y"]]'
	assert_equal "$(total_hits)" 5
}

@test "-g and --globoff: brackets and braces are sent as they are, as curl -g" {
	for opt in -g --globoff; do
		server_reset
		run --separate-stderr "$GATHER" "$opt" --compact \
		    "$BASE/json/x/[1-2]{a}"
		assert_success
		assert_equal "$(j '.summary.total')" 1
		curl -sg "$BASE/json/y/[1-2]{a}" >/dev/null
		assert_equal "$(logged /json/ | jq -c .)" \
		    '["/json/x/[1-2]{a}","/json/y/[1-2]{a}"]'
	done
}

@test "a bad glob is an input error with curl's message; the rest runs" {
	local bad=("$BASE/json/b/[1-" "$BASE/json/b/[a-Z]" "$BASE/json/b/{a,b"
	    "$BASE/json/b/x]" "$BASE/json/b/{a,{b}}" "$BASE/json/b/[0-9:20]"
	    "$BASE/json/b/{}" "$BASE/json/b/[--]" "$BASE/json/b/{a]b}")
	run --separate-stderr "$GATHER" --compact "${bad[@]}" "$BASE/json/ok"
	assert_failure 1
	assert_equal "$(j '.results[-1].ok')" true
	assert_equal "$(j '.summary.errors.input')" "${#bad[@]}"
	local i want
	for i in "${!bad[@]}"; do
		# curl: (3) bad range in URL position 13:
		want=$(curl -sS "${bad[$i]}" 2>&1 | head -1 |
		    sed -E 's/^curl: \([0-9]+\) //; s/:$//')
		[[ $want == *"in URL position"* ]]
		assert_equal "$(j ".results[$i].error.message")" \
		    "argument $((i + 1)): $want"
		assert_equal "$(j ".results[$i].url")" "${bad[$i]}"
	done
	assert_equal "$(logged /json/b)" '[]'
}

@test "a glob's NAME takes its dotted names; a repeated one is a bad input" {
	run --separate-stderr "$GATHER" --compact "p=$BASE/json/d/[1-2]" \
	    "p.1=$BASE/json/d/x" "p=$BASE/json/d/{y,z}" "q.1=$BASE/json/d/q" \
	    "q=$BASE/json/d/[1-2]"
	assert_failure 1
	assert_equal "$(j -c '[.results[] | [.name, .error.message]]')" \
	    '[["p.1",null],["p.2",null],["p.1","argument 2: duplicate NAME"],["p","argument 3: duplicate NAME"],["q.1",null],["q","argument 5: duplicate NAME"]]'
	assert_equal "$(total_hits)" 3
}

@test "a glob of a billion URLs starts at once and stays small" {
	# ru_maxrss of the child: its peak resident memory, in KiB.
	run --separate-stderr python3 - "$GATHER" \
	    "$BASE/json/big/[1-1000000000]" \
	    "$BATS_TEST_TMPDIR/out" <<-'EOF'
	import resource, subprocess, sys
	import os
	# ASan keeps freed memory in quarantine, 256 MiB of it by default.
	os.environ["ASAN_OPTIONS"] = "quarantine_size_mb=8"
	with open(sys.argv[3], "w") as out:
	    rc = subprocess.run([sys.argv[1], "--deadline", "3s", "-q",
	                         "--compact", sys.argv[2]], stdout=out,
	                        timeout=120).returncode
	print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
	EOF
	assert_success
	local rc kib
	read -r rc kib <<<"$output"
	echo "exit $rc, peak RSS $kib KiB" >&3
	assert_equal "$rc" 1
	# Far less than a billion of anything: ASan's shadow memory included.
	[ "$kib" -lt 131072 ]
	# It fetched from the first URL on, in order.
	assert_equal "$(hits /json/big/1)" 1
	[ "$(total_hits)" -gt 10 ]
	run jq -c '[.results[0].url, .results[0].ok, .results[-1].error.kind]' \
	    "$BATS_TEST_TMPDIR/out"
	assert_output "[\"$BASE/json/big/1\",true,\"deadline\"]"
}

@test "the progress total counts a glob's URLs" {
	run --separate-stderr "$GATHER" --progress --compact \
	    "$BASE/json/p/[1-3]" "$BASE/json/p/{a,b}"
	assert_success
	assert_equal "$(j '.summary.total')" 5
	# The first line, before anything is done, knows the total.
	[[ $stderr == *"0/5 done"* ]]
}
