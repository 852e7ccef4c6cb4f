#!/usr/bin/env bats
# Input: positional URLs and NAME=URL, -i FILE, piped stdin, skipped lines,
# line numbers, and every kind of bad input (CONTRACT.md section 2).

bats_require_minimum_version 1.5.0

load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() { server_reset; }

@test "positional URLs and NAME=URL run in argument order" {
	run --separate-stderr "$GATHER" "$BASE/json/a" "users=$BASE/json/b" \
	    "_x.y-1=$BASE/json/c"
	assert_success
	assert_equal "$(j '.results | length')" 3
	assert_equal "$(j '[.results[].url] | join(" ")')" \
	    "$BASE/json/a $BASE/json/b $BASE/json/c"
	assert_equal "$(j '.results[0] | has("name")')" false
	assert_equal "$(j '.results[1].name')" users
	assert_equal "$(j '.results[2].name')" _x.y-1
	assert_equal "$(j '[.results[].ok] | all')" true
	assert_equal "$(j '.results[1].body.path')" /json/b
	assert_equal "$(hits /json/a)" 1
	assert_equal "$(hits /json/b)" 1
	assert_equal "$(hits /json/c)" 1
}

@test "an '=' after :// belongs to the URL, not to a NAME" {
	run --separate-stderr "$GATHER" "$BASE/json/q?a=b&c=d"
	assert_success
	assert_equal "$(j '.results[0].url')" "$BASE/json/q?a=b&c=d"
	assert_equal "$(j '.results[0] | has("name")')" false
	assert_equal "$(j '.results[0].ok')" true
	assert_equal "$(hits /json/q)" 1
}

@test "-i FILE reads one input per line" {
	printf '%s\n' "$BASE/json/1" "two=$BASE/json/2" "$BASE/json/3" \
	    >"$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/in.txt"
	assert_success
	assert_equal "$(j '[.results[].index] | join(",")')" 0,1,2
	assert_equal "$(j '[.results[].url] | join(" ")')" \
	    "$BASE/json/1 $BASE/json/2 $BASE/json/3"
	assert_equal "$(j '.results[1].name')" two
	assert_equal "$(j '.summary.total')" 3
	assert_equal "$(total_hits)" 3

	# The last line needs no newline.
	printf '%s\n%s' "$BASE/json/first" "$BASE/json/last" >"$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/in.txt"
	assert_success
	assert_equal "$(j '.results[1].url')" "$BASE/json/last"
	assert_equal "$(hits /json/last)" 1
}

@test "several -i files are read in the order given" {
	printf '%s\n' "$BASE/json/a1" "$BASE/json/a2" >"$BATS_TEST_TMPDIR/a.txt"
	printf '%s\n' "$BASE/json/b1" >"$BATS_TEST_TMPDIR/b.txt"
	printf '%s\n' "$BASE/json/c1" "$BASE/json/c2" >"$BATS_TEST_TMPDIR/c.txt"
	run --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/c.txt" \
	    -i "$BATS_TEST_TMPDIR/a.txt" --input "$BATS_TEST_TMPDIR/b.txt"
	assert_success
	assert_equal "$(j '[.results[].url | sub(".*/json/"; "")] | join(",")')" \
	    c1,c2,a1,a2,b1
	assert_equal "$(j '[.results[].index] | join(",")')" 0,1,2,3,4
	assert_equal "$(total_hits)" 5
}

@test "a bad line in a second -i file is numbered within that file" {
	printf '%s\n' "$BASE/json/a1" "$BASE/json/a2" "$BASE/json/a3" \
	    >"$BATS_TEST_TMPDIR/a.txt"
	printf '%s\n' "$BASE/json/b1" "ftp://127.0.0.1/x" >"$BATS_TEST_TMPDIR/b.txt"
	run --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/a.txt" \
	    -i "$BATS_TEST_TMPDIR/b.txt"
	assert_failure 1
	assert_equal "$(j '.results[4].error.kind')" input
	assert_regex "$(j '.results[4].error.message')" '^line 2[^0-9]'
	assert_equal "$(total_hits)" 4
}

@test "piped stdin is read when there are no URL arguments" {
	run --separate-stderr bash -c "printf '%s\n' '$BASE/json/s1' 'n=$BASE/json/s2' | '$GATHER'"
	assert_success
	assert_equal "$(j '.results | length')" 2
	assert_equal "$(j '.results[0].url')" "$BASE/json/s1"
	assert_equal "$(j '.results[1].name')" n
	assert_equal "$(hits /json/s1)" 1
	assert_equal "$(hits /json/s2)" 1
}

@test "-i - reads stdin" {
	run --separate-stderr bash -c "printf '%s\n' '$BASE/json/d1' '$BASE/json/d2' | '$GATHER' -i -"
	assert_success
	assert_equal "$(j '[.results[].url] | join(" ")')" \
	    "$BASE/json/d1 $BASE/json/d2"
	assert_equal "$(total_hits)" 2
}

@test "stdin is not read when URL arguments are given" {
	run --separate-stderr bash -c "printf '%s\n' '$BASE/json/stdin' | '$GATHER' '$BASE/json/arg'"
	assert_success
	assert_equal "$(j '.summary.total')" 1
	assert_equal "$(j '.results[0].url')" "$BASE/json/arg"
	assert_equal "$(hits /json/stdin)" 0
}

@test "with no URLs and stdin a terminal, it exits 2 rather than wait" {
	run timeout 20 script -qec "'$GATHER'" /dev/null
	assert_failure 2
	assert_equal "$(total_hits)" 0
}

@test "blank, whitespace-only and # comment lines are skipped and not counted" {
	printf '\n# a comment\n%s\n   \n\t \t\n#%s\n\n%s\n# last\n' \
	    "$BASE/json/1" "$BASE/json/commented" "$BASE/json/2" \
	    >"$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/in.txt"
	assert_success
	assert_equal "$(j '.summary.total')" 2
	assert_equal "$(j '.results | length')" 2
	assert_equal "$(j '[.results[].index] | join(",")')" 0,1
	assert_equal "$(j '[.results[].url] | join(" ")')" \
	    "$BASE/json/1 $BASE/json/2"
	assert_equal "$(hits /json/commented)" 0
	assert_equal "$(total_hits)" 2
}

@test "CRLF line endings are accepted" {
	printf '# comment\r\n%s\r\n\r\nname=%s\r\n' "$BASE/json/c1" \
	    "$BASE/json/c2" >"$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/in.txt"
	assert_success
	assert_equal "$(j '.summary.total')" 2
	assert_equal "$(j '.results[0].url')" "$BASE/json/c1"
	assert_equal "$(j '.results[1].url')" "$BASE/json/c2"
	assert_equal "$(j '.results[1].name')" name
	assert_equal "$(hits /json/c1)" 1
	assert_equal "$(hits /json/c2)" 1
}

@test "line numbers in messages count every line read" {
	printf '# header\n%s\n\nnot a url\n%s\n' "$BASE/json/1" "$BASE/json/2" \
	    >"$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/in.txt"
	assert_failure 1
	assert_equal "$(j '.results | length')" 3
	assert_equal "$(j '.results[1].ok')" false
	assert_equal "$(j '.results[1].error.kind')" input
	assert_regex "$(j '.results[1].error.message')" '^line 4: '
	assert_equal "$(j '.results[0].ok')" true
	assert_equal "$(j '.results[2].ok')" true
	assert_equal "$(total_hits)" 2
}

@test "a bad positional argument is reported as 'argument N'" {
	run --separate-stderr "$GATHER" --compact -j 2 "$BASE/json/1" \
	    "ftp://127.0.0.1/x" "$BASE/json/2" "no-scheme.example/x"
	assert_failure 1
	assert_regex "$(j '.results[1].error.message')" '^argument 2: '
	assert_regex "$(j '.results[3].error.message')" '^argument 4: '
	assert_equal "$(j '[.results[].ok] | map(tostring) | join(",")')" \
	    true,false,true,false
}

@test "ftp://, a URL without a scheme, http:// and an empty URL are kind input" {
	run --separate-stderr "$GATHER" "ftp://127.0.0.1:$PORT/json/x" \
	    "127.0.0.1:$PORT/json/y" "http://" "" "$BASE/json/ok"
	assert_failure 1
	assert_equal "$(j '[.results[0:4][] | .error.kind] | join(",")')" \
	    input,input,input,input
	assert_equal "$(j '[.results[0:4][] | .ok] | any')" false
	assert_equal "$(j '.results[4].ok')" true
	assert_equal "$(j '.summary.errors.input')" 4
	assert_equal "$(j '.summary.failed')" 4
	assert_equal "$(total_hits)" 1
	assert_equal "$(hits /json/ok)" 1
	# An argument is never skipped as a blank or comment line would be.
	run --separate-stderr "$GATHER" " " "#c" "$BASE/json/ok"
	assert_failure 1
	assert_equal "$(j '[.results[] | .error.kind // "ok"] | join(",")')" \
	    input,input,ok
	assert_equal "$(j '.results[1].error.message')" "argument 2: not a URL"
}

@test "a bad NAME is kind input" {
	run --separate-stderr "$GATHER" "9x=$BASE/json/n1" "a b=$BASE/json/n2" \
	    "=$BASE/json/n3" "good=$BASE/json/n4"
	assert_failure 1
	assert_equal "$(j '[.results[0:3][] | .error.kind] | join(",")')" \
	    input,input,input
	assert_equal "$(j '.results[3].ok')" true
	assert_equal "$(hits /json/n1)" 0
	assert_equal "$(hits /json/n2)" 0
	assert_equal "$(hits /json/n3)" 0
	assert_equal "$(hits /json/n4)" 1
}

@test "a duplicate NAME: the first one runs, the later one is kind input" {
	printf '%s\n' "a=$BASE/json/first" "b=$BASE/json/other" \
	    "a=$BASE/json/second" >"$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/in.txt"
	assert_failure 1
	assert_equal "$(j '.results[0].ok')" true
	assert_equal "$(j '.results[0].name')" a
	assert_equal "$(j '.results[1].ok')" true
	assert_equal "$(j '.results[2].ok')" false
	assert_equal "$(j '.results[2].error.kind')" input
	assert_regex "$(j '.results[2].error.message')" '^line 3: '
	assert_equal "$(hits /json/first)" 1
	assert_equal "$(hits /json/second)" 0
}

@test "a line over 64 KiB is kind input with its line number; later lines run" {
	# Line 2 fits the read buffer; line 4 is far larger than it.
	python3 - "$BASE" >"$BATS_TEST_TMPDIR/in.txt" <<-'EOF'
	import sys
	base = sys.argv[1]
	print(base + "/json/l1")
	print(base + "/json/" + "a" * 70000)
	print(base + "/json/l3")
	print(base + "/json/" + "b" * 300000)
	print(base + "/json/l5")
	EOF
	run --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/in.txt"
	assert_failure 1
	assert_equal "$(j '.results | length')" 5
	assert_equal "$(j '.results[1].error.kind')" input
	assert_regex "$(j '.results[1].error.message')" '^line 2: '
	assert_equal "$(j '.results[3].error.kind')" input
	assert_regex "$(j '.results[3].error.message')" '^line 4: '
	assert_equal "$(j '[.results[0,2,4].ok] | all')" true
	assert_equal "$(j '.results[4].url')" "$BASE/json/l5"
	assert_equal "$(total_hits)" 3
}

@test "a line over 64 KiB read from a pipe is kind input; later lines run" {
	python3 - "$BASE" >"$BATS_TEST_TMPDIR/in.txt" <<-'EOF'
	import sys
	base = sys.argv[1]
	print(base + "/json/p1")
	print(base + "/json/" + "a" * 200000)
	print(base + "/json/p3")
	EOF
	run --separate-stderr bash -c "cat '$BATS_TEST_TMPDIR/in.txt' | '$GATHER'"
	assert_failure 1
	assert_equal "$(j '.results | length')" 3
	assert_equal "$(j '.results[1].error.kind')" input
	assert_regex "$(j '.results[1].error.message')" '^line 2: '
	assert_equal "$(hits /json/p1)" 1
	assert_equal "$(hits /json/p3)" 1
	assert_equal "$(total_hits)" 2
}

@test "an over-64 KiB comment or blank line is a bad input at any length" {
	# A line that long is refused whatever it holds, and the same whether
	# or not it fits gather's read buffer (about 128 KiB); the next line
	# still runs.
	for kind in comment blank; do
		for n in 100000 300000; do
			python3 - "$BASE" "$kind" "$n" \
			    >"$BATS_TEST_TMPDIR/in.txt" <<-'EOF'
			import sys
			base, kind, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
			print("#" + "c" * n if kind == "comment" else " " * n)
			print(base + "/json/after")
			EOF
			server_reset
			run --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/in.txt"
			assert_failure 1
			assert_equal "$kind $n: $(j -c '[.results[] |
			    [.index, .ok, .error.message]]')" \
			    "$kind $n: [[0,false,\"line 1: line longer than 64 KiB\"],[1,true,null]]"
			assert_equal "$(hits /json/after)" 1
		done
	done
}

@test "a line of exactly 64 KiB is not an input error" {
	python3 - "$BASE" >"$BATS_TEST_TMPDIR/in.txt" <<-'EOF'
	import sys
	url = sys.argv[1] + "/json/x?p="
	print(url + "a" * (65536 - len(url)))
	EOF
	[ "$(head -1 "$BATS_TEST_TMPDIR/in.txt" | tr -d '\n' | wc -c)" -eq 65536 ]
	run --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/in.txt"
	assert_equal "$(j '.results | length')" 1
	assert_not_equal "$(j '.results[0].error.kind // "none"')" input
	assert_equal "$(hits /json/x)" 1
}

@test "a NUL byte in a line is kind input; other lines run" {
	printf '%s\n%s\0tail\n%s\n' "$BASE/json/n1" "$BASE/json/nul" \
	    "$BASE/json/n3" >"$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/in.txt"
	assert_failure 1
	assert_equal "$(j '.results | length')" 3
	assert_equal "$(j '.results[1].error.kind')" input
	assert_regex "$(j '.results[1].error.message')" '^line 2: '
	assert_equal "$(hits /json/nul)" 0
	assert_equal "$(hits /json/n1)" 1
	assert_equal "$(hits /json/n3)" 1
}

@test "invalid UTF-8 is kind input, in a line and in an argument" {
	printf '%s\n%s\xff\n%s\xc0\xaf\n' "$BASE/json/u1" "$BASE/json/bad" \
	    "$BASE/json/overlong" >"$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/in.txt"
	assert_failure 1
	assert_equal "$(j '.results | length')" 3
	assert_equal "$(j '.results[0].ok')" true
	assert_equal "$(j '.results[1].error.kind')" input
	assert_regex "$(j '.results[1].error.message')" '^line 2: '
	assert_equal "$(j '.results[2].error.kind')" input
	assert_regex "$(j '.results[2].error.message')" '^line 3: '

	run --separate-stderr "$GATHER" "$(printf '%s\xed\xa0\x80' "$BASE/json/surrogate")"
	assert_failure 1
	assert_equal "$(j '.results[0].error.kind')" input
	assert_regex "$(j '.results[0].error.message')" '^argument 1: '
	assert_equal "$(total_hits)" 1
}

@test "every valid input still runs beside bad ones, and the exit status is 1" {
	printf '%s\n' "$BASE/json/v1" "ftp://127.0.0.1/x" "$BASE/json/v2" \
	    "9=$BASE/json/v9" "$BASE/json/v3" "{\"url\": \"$BASE/json/v4\", \"x\": 1}" \
	    "$BASE/json/v5" >"$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/in.txt"
	assert_failure 1
	assert_equal "$(j '.summary.total')" 7
	assert_equal "$(j '[.results[].index] == [range(7)]')" true
	assert_equal "$(j '[.results[].ok | tostring] | join(",")')" \
	    true,false,true,false,true,false,true
	assert_equal "$(j '.results[6].url')" "$BASE/json/v5"
	assert_equal "$(j '.summary.ok')" 4
	assert_equal "$(j '.summary.failed')" 3
	assert_equal "$(j '.summary.errors.input')" 3
	for p in v1 v2 v3 v5; do
		assert_equal "$(hits /json/$p)" 1
	done
	assert_equal "$(total_hits)" 4
}

@test "-i with a missing file or a folder exits 2 before any request" {
	run --separate-stderr "$GATHER" "$BASE/json/before" \
	    -i "$BATS_TEST_TMPDIR/missing.txt"
	assert_failure 2
	assert_output ""
	assert_regex "$stderr" 'missing\.txt'
	assert_equal "$(total_hits)" 0

	# So does a folder.
	run --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR" "$BASE/json/before"
	assert_failure 2
	assert_output ""
	assert_equal "$(total_hits)" 0
}

@test "identical requests go to the network once, each with its own result" {
	run --separate-stderr "$GATHER" "$BASE/json/same" "a=$BASE/json/same" \
	    "$BASE/json/other" "$BASE/json/same"
	assert_success
	assert_equal "$(j '.results | length')" 4
	assert_equal "$(j '[.results[].index] | join(",")')" 0,1,2,3
	assert_equal "$(j '.results[1].name')" a
	assert_equal "$(j '[.results[0,1,3].body.path] | unique | join(",")')" /json/same
	assert_equal "$(j '.summary.total')" 4
	assert_equal "$(hits /json/same)" 1
	assert_equal "$(hits /json/other)" 1
}

@test "a JSON request spec line runs like a plain line" {
	printf '%s\n' "{\"url\": \"$BASE/json/spec\"}" "$BASE/json/plain" \
	    >"$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/in.txt"
	assert_success
	assert_equal "$(j '.results[0].ok')" true
	assert_equal "$(j '.results[0].body.path')" /json/spec
	assert_equal "$(j '.results[1].ok')" true
	assert_equal "$(hits /json/spec)" 1
	assert_equal "$(hits /json/plain)" 1
}

@test "a UTF-8 byte-order mark at the start of a file or of stdin is skipped" {
	local bom=$'\xef\xbb\xbf'
	printf '%s%s\n%s%s\n' "$bom" "$BASE/json/f1" "$bom" "$BASE/json/f2" \
	    >"$BATS_TEST_TMPDIR/a.txt"
	printf '%s# a comment first\n%s\n' "$bom" "$BASE/json/g2" \
	    >"$BATS_TEST_TMPDIR/b.txt"
	run --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/a.txt" \
	    -i "$BATS_TEST_TMPDIR/b.txt"
	assert_failure 1
	assert_equal "$(j -c '[.results[] | [.index, .ok, .error.kind]]')" \
	    '[[0,true,null],[1,false,"input"],[2,true,null]]'
	# Only at the start: a mark inside a file is a bad input.
	assert_regex "$(j '.results[1].error.message')" "^line 2 of $BATS_TEST_TMPDIR/a.txt: "
	assert_equal "$(hits /json/f1)" 1
	assert_equal "$(hits /json/f2)" 0
	assert_equal "$(hits /json/g2)" 1

	run --separate-stderr bash -c "printf '%s%s\n' '$bom' '$BASE/json/s1' | '$GATHER'"
	assert_success
	assert_equal "$(j '.results[0].url')" "$BASE/json/s1"
	assert_equal "$(hits /json/s1)" 1
}

@test "input hints: NAME URL and a URL with no scheme say what was meant" {
	local h="127.0.0.1:$PORT"
	printf '%s\n' "users $BASE/json/u" "$h/json/s" "n=$h/json/n" \
	    "u:secret@$h/json/p" "{\"url\": \"$h/json/q\"}" "$BASE/json/ok" \
	    "a b c" >"$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/in.txt" \
	    "example.test/x"
	assert_failure 1
	assert_equal "$(j '.results | map(.error.kind // "none") | join(",")')" \
	    input,input,input,input,input,input,none,input
	assert_equal "$(j '.results[0].error.message')" \
	    'argument 1: missing scheme: did you mean http://example.test/x?'
	assert_equal "$(j '.results[1].error.message')" \
	    "line 1: space instead of '=': did you mean users=$BASE/json/u?"
	assert_equal "$(j '.results[2].error.message')" \
	    "line 2: missing scheme: did you mean http://$h/json/s?"
	assert_equal "$(j '.results[3].error.message')" \
	    "line 3: missing scheme: did you mean n=http://$h/json/n?"
	assert_equal "$(j '.results[4].error.message')" \
	    "line 4: missing scheme: did you mean http://u:***@$h/json/p?"
	assert_equal "$(j '.results[5].error.message')" \
	    "line 5: \"url\": missing scheme: did you mean http://$h/json/q?"
	# No hint where none fits: three words are no NAME URL.
	refute_regex "$(j '.results[7].error.message')" 'did you mean'
	assert_equal "$(total_hits)" 1
}
