#!/usr/bin/env bats
# Output: input order, bodies, errors, the summary, redaction, formatting
# and where the document goes (CONTRACT.md sections 4 and 7).

bats_require_minimum_version 1.5.0

load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() { server_reset; }

# What changes from one run to the next: timings.
STRIP='del(.results[].time_ms, .summary.time_ms, .summary.latency_ms)'

@test "results come in input order whatever order the responses finish in" {
	for i in $(seq 0 199); do
		echo "$BASE/json/$i?jitter=50"
	done >"$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr timeout 60 "$GATHER" -j 16 -i "$BATS_TEST_TMPDIR/in.txt"
	assert_success
	assert_equal "$(j '.results | length')" 200
	assert_equal "$(j '[.results[].index] == [range(200)]')" true
	assert_equal "$(j '[.results[].url]')" \
	    "$(jq -R . "$BATS_TEST_TMPDIR/in.txt" | jq -s .)"
	assert_equal "$(j '[.results[].body.path] == [range(200) | "/json/\(.)"]')" true
	assert_equal "$(j '[.results[].ok] | all')" true
	assert_equal "$(total_hits)" 200
}

@test "a JSON body is embedded as a JSON value" {
	run --separate-stderr "$GATHER" "$BASE/json/embed" \
	    "$BASE/headers?k=%22%7B%5B%5C%2C%3A%7D%20%C3%A9"
	assert_success
	assert_equal "$(j '.results[0].body | type')" object
	assert_equal "$(j '.results[0].body | tojson')" \
	    '{"path":"/json/embed","method":"GET"}'
	assert_equal "$(j '.results[0].content_type')" application/json
	assert_equal "$(j '.results[0].bytes')" "$(curl -s "$BASE/json/embed" | wc -c)"
	assert_equal "$(j '.results[1].body.k')" '"{[\,:} é'
}

@test "a +json body is embedded as JSON; an unparsable JSON body is a string" {
	run --separate-stderr "$GATHER" \
	    "$BASE/headers?Content-Type=application/problem%2Bjson&title=oops" \
	    "$BASE/bytes?size=5&type=application/json"
	assert_success
	assert_equal "$(j '.results[0].body | type')" object
	assert_equal "$(j '.results[0].body.title')" oops
	assert_equal "$(j '.results[1].body')" aaaaa
}

@test "a text/plain or text/html body is a string" {
	run --separate-stderr "$GATHER" "$BASE/text" "$BASE/html"
	assert_success
	assert_equal "$(j '.results[0].body | type')" string
	assert_equal "$(j '.results[0].body == "hello, w\u00f6rld\n"')" true
	assert_equal "$(j '.results[0].bytes')" 14
	assert_equal "$(j '.results[1].body | type')" string
	assert_equal "$(j '.results[1].body | startswith("<!DOCTYPE html>")')" true
	assert_equal "$(j '[.results[] | has("body_base64")] | any')" false
}

@test "a binary body is body_base64 and decodes to the bytes sent" {
	curl -sf "$BASE/binary?size=1000" -o "$BATS_TEST_TMPDIR/want.bin"
	run --separate-stderr "$GATHER" "$BASE/binary?size=1000" "$BASE/binary?size=1"
	assert_success
	assert_equal "$(j '.results[0] | has("body")')" false
	assert_equal "$(j '.results[0].bytes')" 1000
	assert_equal "$(j '.results[0].content_type')" application/octet-stream
	j '.results[0].body_base64' | base64 -d >"$BATS_TEST_TMPDIR/got.bin"
	cmp "$BATS_TEST_TMPDIR/want.bin" "$BATS_TEST_TMPDIR/got.bin"
	assert_equal "$(j '.results[1].body_base64' | base64 -d | od -An -tx1 | tr -d ' ')" ff
	assert_equal "$(j '.results[1].bytes')" 1
}

@test "a JSON body is checked as UTF-8 too: whole sequences embed, a stray byte is base64" {
	local t=application/json
	# {"s":"é€😀"} as UTF-8, then the same with a lone 0xff inside the string
	run --separate-stderr "$GATHER" \
	    "$BASE/bytes?type=$t&hex=7b2273223a22c3a9e282acf09f988022207d" \
	    "$BASE/bytes?type=$t&hex=7b2273223a2261ff62227d" \
	    "$BASE/bytes?type=$t&hex=7b2273223a22eda080227d"
	assert_success
	assert_equal "$(j -c '.results[0].body')" '{"s":"é€😀"}'
	assert_equal "$(j '.results[1] | has("body")')" false
	assert_equal "$(j '.results[1].body_base64' | base64 -d | od -An -tx1 | tr -d ' \n')" 7b2273223a2261ff62227d
	# a UTF-16 surrogate written as UTF-8 is not UTF-8 either
	assert_equal "$(j '.results[2].body_base64' | base64 -d | od -An -tx1 | tr -d ' \n')" 7b2273223a22eda080227d
}

@test "a status >= 400 keeps its body and fails with kind http" {
	run --separate-stderr "$GATHER" "$BASE/status/404" "$BASE/status/503" "$BASE/json/fine"
	assert_failure 1
	assert_equal "$(j '.results[0].ok')" false
	assert_equal "$(j '.results[0].status')" 404
	assert_equal "$(j '.results[0].body | tojson')" '{"status":404}'
	assert_equal "$(j '.results[0].bytes')" 14
	assert_equal "$(j '.results[0].error.kind')" http
	assert_equal "$(j '.results[1].status')" 503
	assert_equal "$(j '.results[1].body.status')" 503
	assert_equal "$(j '.results[1].error.kind')" http
	assert_equal "$(j '.results[2].ok')" true
	assert_equal "$(j '.results[2] | has("error")')" false
}

@test "summary counts results, statuses, error kinds and bytes" {
	run --separate-stderr "$GATHER" "$BASE/json/1" "$BASE/json/2" \
	    "$BASE/bytes?size=100" "$BASE/status/404" "$BASE/status/404" \
	    "$BASE/status/500" "ftp://127.0.0.1/x" "http://127.0.0.1:$(dead_port)/"
	assert_failure 1
	assert_equal "$(j '.summary.total')" 8
	assert_equal "$(j '.summary.ok')" 3
	assert_equal "$(j '.summary.failed')" 5
	assert_equal "$(j '.summary.status | to_entries | sort_by(.key) | from_entries | tojson')" \
	    '{"200":3,"404":2,"500":1}'
	assert_equal "$(j '.summary.errors | to_entries | sort_by(.key) | from_entries | tojson')" \
	    '{"connect":1,"http":3,"input":1}'
	assert_equal "$(j '.summary.bytes')" "$(j '[.results[].bytes // 0] | add')"
	# 2 x 33 bytes of /json/<n>, 100 of /bytes, 3 x 14 of /status/<n>.
	assert_equal "$(j '.summary.bytes')" 208
	assert_equal "$(j '.summary.total')" "$(j '.results | length')"
}

@test "summary latency has every field, in order" {
	run --separate-stderr "$GATHER" "$BASE/json/a" "$BASE/json/b?delay=50" \
	    "$BASE/json/c?delay=100" "$BASE/status/500"
	assert_failure 1
	assert_equal "$(j '.summary.latency_ms | keys | sort | join(",")')" \
	    max,mean,min,p50,p90,p99
	assert_equal "$(j '[.summary.latency_ms[] | type] | unique | join(",")')" number
	assert_equal "$(j '.summary.latency_ms | .min <= .p50 and .p50 <= .p90 and .p90 <= .p99 and .p99 <= .max')" true
	assert_equal "$(j '.summary.latency_ms | .min <= .mean and .mean <= .max')" true
	assert_equal "$(j '.summary.latency_ms.max >= 100')" true
	assert_equal "$(j '.summary.latency_ms.max == ([.results[].time_ms] | max)')" true
	assert_equal "$(j '.summary.latency_ms.min == ([.results[].time_ms] | min)')" true
	assert_equal "$(j '.summary.time_ms >= 100')" true
}

@test "a password in the URL is written as *** and appears nowhere" {
	run --separate-stderr "$GATHER" -v "http://user:secret@127.0.0.1:$PORT/json/x" \
	    "http://user:secret@127.0.0.1:$(dead_port)/y" "ftp://user:secret@127.0.0.1/z"
	assert_failure 1
	assert_equal "$(j '.results[0].url')" "http://user:***@127.0.0.1:$PORT/json/x"
	assert_equal "$(j '.results[0].ok')" true
	assert_equal "$(hits /json/x)" 1
	refute_output --partial secret
	[[ "$stderr" != *secret* ]]
	[[ "$stderr" == *'user:***@'* ]]
}

@test "--pretty is multi-line and the same document as --compact" {
	args=("$BASE/json/p" "$BASE/text" "$BASE/status/404" "$BASE/binary?size=10"
	    "$BASE/headers?k=%22%7B%5B%5C%2C%3A%7D" "n=$BASE/json/empty" "ftp://x/"
	    "$BASE/large?size=200000" "$BASE/text?body=%5C%22%7B%5D%5C")
	"$GATHER" --pretty "${args[@]}" >"$BATS_TEST_TMPDIR/pretty.json" || true
	"$GATHER" --compact "${args[@]}" >"$BATS_TEST_TMPDIR/compact.json" || true
	[ "$(wc -l <"$BATS_TEST_TMPDIR/pretty.json")" -gt 20 ]
	assert_equal "$(jq -S "$STRIP" "$BATS_TEST_TMPDIR/pretty.json")" \
	    "$(jq -S "$STRIP" "$BATS_TEST_TMPDIR/compact.json")"
	assert_equal "$(jq '.results | length' "$BATS_TEST_TMPDIR/pretty.json")" 9
	assert_equal "$(jq -r '.results[8].body' "$BATS_TEST_TMPDIR/pretty.json")" '\"{]\'
}

@test "--compact writes the document on one line" {
	run --separate-stderr "$GATHER" --compact "$BASE/json/1" "$BASE/text" "$BASE/status/404"
	assert_failure 1
	assert_equal "${#lines[@]}" 1
	assert_equal "$(j '.summary.total')" 3
}

@test "the last option of --pretty and --compact wins" {
	run --separate-stderr "$GATHER" --pretty --compact "$BASE/json/1"
	assert_success
	assert_equal "${#lines[@]}" 1
	run --separate-stderr "$GATHER" --compact --pretty "$BASE/json/1"
	assert_success
	[ "${#lines[@]}" -gt 1 ]
}

@test "the default is compact when stdout is not a terminal" {
	run --separate-stderr "$GATHER" "$BASE/json/1" "$BASE/json/2"
	assert_success
	assert_equal "${#lines[@]}" 1
	assert_equal "$(j '.results | length')" 2
}

@test "the default is pretty when stdout is a terminal" {
	# stderr stays off the terminal: the progress line would mix in.
	# NO_COLOR: the colours of a terminal are tests/color.bats's.
	run timeout 30 script -qec "NO_COLOR=1 '$GATHER' '$BASE/json/1' 2>/dev/null" /dev/null
	assert_success
	[ "${#lines[@]}" -gt 5 ]
	assert_equal "$(tr -d '\r' <<<"$output" | jq -r '.results[0].body.path')" /json/1
}

@test "-o FILE writes the document there, nothing on stdout, no temp file left" {
	mkdir "$BATS_TEST_TMPDIR/out"
	echo old >"$BATS_TEST_TMPDIR/out/res.json"
	run --separate-stderr "$GATHER" -o "$BATS_TEST_TMPDIR/out/res.json" \
	    "$BASE/json/1" "$BASE/json/2"
	assert_success
	assert_output ""
	assert_equal "$(jq -c '[.results[].body.path]' "$BATS_TEST_TMPDIR/out/res.json")" \
	    '["/json/1","/json/2"]'
	assert_equal "$(ls -A "$BATS_TEST_TMPDIR/out")" res.json
}

@test "-o FILE is still written when a result fails, and no temp file is left" {
	mkdir "$BATS_TEST_TMPDIR/out"
	run --separate-stderr "$GATHER" --output "$BATS_TEST_TMPDIR/out/res.json" \
	    "$BASE/json/1" "$BASE/status/500"
	assert_failure 1
	assert_output ""
	assert_equal "$(jq '.summary.failed' "$BATS_TEST_TMPDIR/out/res.json")" 1
	assert_equal "$(ls -A "$BATS_TEST_TMPDIR/out")" res.json
}

@test "-o into a missing folder exits 3" {
	run --separate-stderr "$GATHER" -o /nonexistent-dir/x "$BASE/json/1"
	assert_failure 3
	assert_output ""
	assert_regex "$stderr" '/nonexistent-dir/x'
	[ ! -e /nonexistent-dir ]
}

@test "-o onto a folder exits 3 and leaves no temp file" {
	mkdir -p "$BATS_TEST_TMPDIR/out/res.json"
	run --separate-stderr "$GATHER" -o "$BATS_TEST_TMPDIR/out/res.json" "$BASE/json/1"
	assert_failure 3
	assert_equal "$(ls -A "$BATS_TEST_TMPDIR/out")" res.json
	assert_equal "$(ls -A "$BATS_TEST_TMPDIR/out/res.json")" ""
}

@test "writing to a full device exits 3" {
	run --separate-stderr bash -c "'$GATHER' '$BASE/json/1' >/dev/full"
	assert_failure 3
	assert_output ""
	assert_regex "$stderr" 'gather: '
}

@test "writing to a closed pipe exits 141 silently, as SIGPIPE would" {
	# The reader is gone long before the response arrives (a second is
	# plenty for it to exit, even on a loaded machine).
	run bash -c "{ '$GATHER' '$BASE/json/1?delay=1000'; echo \$? >'$BATS_TEST_TMPDIR/rc'; } 2>'$BATS_TEST_TMPDIR/err' | true"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/rc")" 141
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" ""
}

@test "a gzip body is decoded and bytes is its decoded length" {
	run --separate-stderr "$GATHER" "$BASE/gzip"
	assert_success
	assert_equal "$(j '.results[0].body.compressed')" true
	assert_equal "$(j '.results[0].bytes')" 19
	assert_equal "$(j '.summary.bytes')" 19
	assert_equal "$(curl -sf "$BASE/_/log?path=/gzip" | jq -r '.[0].headers["accept-encoding"] | test("gzip")')" true
}

@test "an empty body has bytes 0 and no body" {
	run --separate-stderr "$GATHER" "$BASE/status/204" "$BASE/bytes?size=0"
	assert_success
	assert_equal "$(j '.results[0].status')" 204
	assert_equal "$(j '.results[0].bytes')" 0
	assert_equal "$(j '.results[1].bytes')" 0
	assert_equal "$(j '.summary.bytes')" 0
}
