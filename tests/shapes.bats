#!/usr/bin/env bats
# Output shapes: the default document, --ndjson (--ordered), --bodies,
# --keyed, --merge, and what --select, --headers and --pretty do to them
# (CONTRACT.md sections 3, 4 and 7).

bats_require_minimum_version 1.5.0

load helpers

# A second, static server for bodies the fixture server cannot produce
# (arrays, nested objects, a bare string): python's http.server over a
# folder of .json files, sent as application/json.
static_start() {
	local dir="$BATS_FILE_TMPDIR/static" port
	mkdir -p "$dir"
	jq -n -c '[1, 2]' >"$dir/arr1.json"
	jq -n -c '[3, {"x": 1}]' >"$dir/arr2.json"
	jq -n -c '["last"]' >"$dir/arr3.json"
	jq -n -c '{"a": {"x": 1, "l": [1]}, "b": 1, "c": "keep"}' >"$dir/obj1.json"
	jq -n -c '{"a": {"y": 2, "l": [2, 3]}, "b": 2}' >"$dir/obj2.json"
	jq -n -c '{"a": {"x": "third"}, "d": [true]}' >"$dir/obj3.json"
	jq -n -c '"just a string"' >"$dir/str.json"
	printf '{"id": 12345678901234567891, "v": {"n": 9007199254740993}}' \
	    >"$dir/bignum.json"
	jq -n -c '{"a/b": 1, "m~n": 2, "~1": "tilde-one", "arr": [10, 20, 30],
	    "": {"e": 5}, "n": {"d": {"e": "deep"}}, "list": [[1, 2], [3, 4]]}' \
	    >"$dir/ptr.json"
	# Port 0: the server picks a free port and says which (unbuffered), so
	# that no other process can take it between a pick and the bind.
	python3 -u -m http.server --bind 127.0.0.1 0 --directory "$dir" \
	    >"$BATS_FILE_TMPDIR/static.out" 2>/dev/null 3>&- &
	echo $! >"$BATS_FILE_TMPDIR/static.pid"
	wait_for 10 grep -q '^Serving HTTP on .* port [0-9]' \
	    "$BATS_FILE_TMPDIR/static.out" || return 1
	port=$(sed -nE 's/^Serving HTTP on .* port ([0-9]+) .*/\1/p' \
	    "$BATS_FILE_TMPDIR/static.out")
	SBASE="http://127.0.0.1:$port"
	export SBASE
	wait_for 10 curl -sf -o /dev/null "$SBASE/arr1.json"
}

static_stop() {
	pidfile_stop "$BATS_FILE_TMPDIR/static.pid"
}

setup_file() {
	server_start
	static_start
}

teardown_file() {
	static_stop
	server_stop
}

setup() { server_reset; }

# Canonical form of a JSON text: sorted keys, one line.
canon() {
	jq -S -c . <<<"$1"
}

# Asserts that $output is the JSON value given as a jq -n expression.
assert_json() {
	local want
	want=$(jq -n -S -c "$1")
	assert_equal "$(canon "$output")" "$want"
}

# Every line of FILE on its own is one JSON value: prints "ok" or the bad lines.
lines_valid() {
	jq -R -r 'try (fromjson | "ok") catch "BAD: \(.)"' "$1" | sort -u
}

STRIP='del(.results[].time_ms, .summary.time_ms, .summary.latency_ms)'

# ---------------------------------------------------------------- default

@test "the default document is {results, summary} with the results in input order" {
	run --separate-stderr "$GATHER" --compact "$BASE/json/one?delay=200" \
	    "$BASE/json/two" "$BASE/status/404"
	assert_failure 1
	# stderr: one line for the failed result, nothing else
	assert_equal "$stderr" "gather: #2 $BASE/status/404: HTTP 404"
	assert_equal "$(j 'keys_unsorted | join(",")')" results,summary
	assert_equal "$(jq -S -c "$STRIP" <<<"$output")" "$(jq -n -S -c --arg b "$BASE" '
	    {results: [
	      {index: 0, url: "\($b)/json/one?delay=200", ok: true, status: 200,
	       attempts: 1, cache: "off", bytes: 35, content_type: "application/json",
	       body: {path: "/json/one", method: "GET"}},
	      {index: 1, url: "\($b)/json/two", ok: true, status: 200,
	       attempts: 1, cache: "off", bytes: 35, content_type: "application/json",
	       body: {path: "/json/two", method: "GET"}},
	      {index: 2, url: "\($b)/status/404", ok: false, status: 404,
	       attempts: 1, cache: "off", bytes: 14, content_type: "application/json",
	       body: {status: 404}, error: {kind: "http", message: "HTTP 404"}}],
	     summary: {total: 3, ok: 2, failed: 1, cached: 0, retries: 0, bytes: 84,
	       status: {"200": 2, "404": 1}, errors: {http: 1}}}')"
}

# ---------------------------------------------------------------- ndjson

@test "--ndjson: one result per line, each line parses alone, --summary FILE" {
	local sum="$BATS_TEST_TMPDIR/summary.json"
	run --separate-stderr "$GATHER" --ndjson "$BASE/json/a" "$BASE/status/500" \
	    "$BASE/text" --retry 0 --summary "$sum"
	assert_failure 1
	assert_equal "${#lines[@]}" 3
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out"
	assert_equal "$(lines_valid "$BATS_TEST_TMPDIR/out")" ok
	assert_equal "$(jq -s -c '[.[].index] | sort' <<<"$output")" '[0,1,2]'
	assert_equal "$(jq -s -c 'map(select(.index == 1))[0].error.kind' <<<"$output")" '"http"'
	assert_equal "$(jq -s -c 'map(select(.index == 2))[0].body' <<<"$output")" \
	    "$(jq -n -c '"hello, wörld\n"')"
	# no document wrapper on stdout
	assert_equal "$(jq -s -c 'map(has("results") or has("summary")) | any' <<<"$output")" false
	# the summary: exactly one JSON line in the file; stderr names the failure
	assert_equal "$(wc -l <"$sum")" 1
	assert_equal "$(jq -c '{total, ok, failed, status, errors}' "$sum")" \
	    '{"total":3,"ok":2,"failed":1,"status":{"200":2,"500":1},"errors":{"http":1}}'
	assert_equal "$stderr" "gather: #1 $BASE/status/500: HTTP 500"
}

@test "--ndjson -q writes nothing on stderr" {
	run --separate-stderr "$GATHER" --ndjson -q "$BASE/json/a" "$BASE/json/b"
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_equal "$stderr" ""
}

@test "--ndjson writes lines in completion order" {
	run --separate-stderr "$GATHER" --ndjson -q "$BASE/json/slow?delay=700" \
	    "$BASE/json/mid?delay=300" "$BASE/json/fast"
	assert_success
	assert_equal "$(jq -s -c '[.[].index]' <<<"$output")" '[2,1,0]'
	assert_equal "$(jq -s -c '[.[].body.path]' <<<"$output")" \
	    '["/json/fast","/json/mid","/json/slow"]'
}

@test "--ndjson writes a line as soon as its result is ready, not at the end" {
	local out="$BATS_TEST_TMPDIR/out" pid i
	"$GATHER" --ndjson -q "$BASE/json/slow?delay=2500" "$BASE/json/fast" \
	    >"$out" 2>/dev/null 3>&- &
	pid=$!
	for i in $(seq 40); do
		[ -s "$out" ] && break
		sleep 0.05
	done
	# the fast line is there while the slow request is still running
	run kill -0 "$pid"
	assert_success
	assert_equal "$(wc -l <"$out")" 1
	assert_equal "$(jq -c .index "$out")" 1
	wait "$pid"
	assert_equal "$(wc -l <"$out")" 2
}

@test "--ndjson --ordered writes the lines in input order" {
	run --separate-stderr "$GATHER" --ndjson --ordered -q \
	    "$BASE/json/slow?delay=600" "$BASE/json/mid?delay=300" "$BASE/json/fast" \
	    "$BASE/status/404"
	assert_failure 1
	assert_equal "${#lines[@]}" 4
	assert_equal "$(jq -s -c '[.[].index]' <<<"$output")" '[0,1,2,3]'
	assert_equal "$(jq -s -c '[.[].ok]' <<<"$output")" '[true,true,true,false]'
}

@test "--ordered without --ndjson is a usage error and fetches nothing" {
	run --separate-stderr "$GATHER" --ordered "$BASE/json/a"
	assert_failure 2
	assert_output ""
	assert [ -n "$stderr" ]
	assert_equal "$(total_hits)" 0
	run --separate-stderr "$GATHER" --ordered --bodies "$BASE/json/a"
	assert_failure 2
	assert_equal "$(total_hits)" 0
}

@test "two shapes at once are a usage error and fetch nothing" {
	local a b
	for a in --ndjson --bodies --keyed --merge; do
		for b in --ndjson --bodies --keyed --merge; do
			[ "$a" = "$b" ] && continue
			run --separate-stderr "$GATHER" "$a" "$b" "$BASE/json/a"
			assert_failure 2
			assert_output ""
			assert [ -n "$stderr" ]
		done
	done
	assert_equal "$(total_hits)" 0
}

@test "NDJSON lines stay whole under 64 concurrent transfers" {
	local in="$BATS_TEST_TMPDIR/in" out="$BATS_TEST_TMPDIR/out" i
	for i in $(seq 0 499); do
		echo "$BASE/json/$i?jitter=20"
	done >"$in"
	run --separate-stderr timeout 60 "$GATHER" -j 64 --ndjson -i "$in" \
	    --summary "$BATS_TEST_TMPDIR/summary.json"
	assert_success
	assert_equal "$stderr" ""
	printf '%s\n' "$output" >"$out"
	assert_equal "$(wc -l <"$out")" 500
	assert_equal "$(lines_valid "$out")" ok
	assert_equal "$(jq -s '[.[].index] | sort == [range(500)]' "$out")" true
	assert_equal "$(jq -s 'map(.body.path == "/json/\(.index)") | all' "$out")" true
	assert_equal "$(jq -r .total "$BATS_TEST_TMPDIR/summary.json")" 500
	assert_equal "$(total_hits)" 500
}

@test "NDJSON --ordered under 64 concurrent transfers is in input order" {
	local in="$BATS_TEST_TMPDIR/in" out="$BATS_TEST_TMPDIR/out" i
	for i in $(seq 0 299); do
		echo "$BASE/json/$i?jitter=20"
	done >"$in"
	run --separate-stderr timeout 60 "$GATHER" -j 64 --ndjson --ordered -q -i "$in"
	assert_success
	printf '%s\n' "$output" >"$out"
	assert_equal "$(wc -l <"$out")" 300
	assert_equal "$(lines_valid "$out")" ok
	assert_equal "$(jq -s '[.[].index] == [range(300)]' "$out")" true
}

# ---------------------------------------------------------------- bodies

@test "--bodies: the bodies in input order; a failure is null; text is a string" {
	local dead
	dead=$(dead_port)
	run --separate-stderr "$GATHER" --bodies --retry 0 \
	    --summary "$BATS_TEST_TMPDIR/summary.json" "$BASE/json/a?delay=300" "$BASE/status/404" "$BASE/text" \
	    "http://127.0.0.1:$dead/json/x" "$SBASE/arr1.json" "$BASE/headers?k=v"
	assert_failure 1
	assert_json '[{path: "/json/a", method: "GET"}, null, "hello, wörld\n",
	    null, [1, 2], {k: "v"}]'
	# the summary is in the --summary file; stderr names the two failures
	assert_equal "$(jq -c '{total, ok, failed}' "$BATS_TEST_TMPDIR/summary.json")" \
	    '{"total":6,"ok":4,"failed":2}'
	assert_equal "$(grep -c '^gather: #[13] http://127.0.0.1:[0-9]*/[a-z/0-9]*: ' <<<"$stderr")" 2
	assert_equal "${#stderr_lines[@]}" 2
}

@test "--bodies all ok exits 0; -q keeps stderr empty" {
	run --separate-stderr "$GATHER" --bodies -q "$BASE/json/a" "$BASE/json/b"
	assert_success
	assert_equal "$stderr" ""
	assert_json '[{path: "/json/a", method: "GET"}, {path: "/json/b", method: "GET"}]'
}

# ---------------------------------------------------------------- keyed

@test "--keyed: NAME or URL -> body; a failure is null; a password is ***" {
	run --separate-stderr "$GATHER" --keyed --retry 0 --summary - \
	    "first=$BASE/json/a" "$BASE/json/b" "bad=$BASE/status/503" \
	    "$BASE/status/404" "http://user:secret@127.0.0.1:$PORT/json/p"
	assert_failure 1
	assert_equal "$(canon "$output")" "$(jq -n -S -c --arg b "$BASE" --arg p "$PORT" '
	    {first: {path: "/json/a", method: "GET"},
	     "\($b)/json/b": {path: "/json/b", method: "GET"},
	     bad: null,
	     "\($b)/status/404": null,
	     "http://user:***@127.0.0.1:\($p)/json/p": {path: "/json/p", method: "GET"}}')"
	refute_output --partial secret
	refute [ "$(grep -c secret <<<"$stderr")" -gt 0 ]
	# --summary -: the failures' lines, then the summary as JSON
	assert_equal "${stderr_lines[0]}" "gather: #2 $BASE/status/503: HTTP 503"
	assert_equal "${stderr_lines[1]}" "gather: #3 $BASE/status/404: HTTP 404"
	assert_equal "$(jq -c '{total, ok, failed}' <<<"${stderr_lines[2]}")" \
	    '{"total":5,"ok":3,"failed":2}'
	assert_equal "${#stderr_lines[@]}" 3
}

@test "--keyed all ok exits 0; -q keeps stderr empty" {
	run --separate-stderr "$GATHER" --keyed -q "x=$SBASE/arr1.json" "y=$BASE/text"
	assert_success
	assert_equal "$stderr" ""
	assert_json '{x: [1, 2], y: "hello, wörld\n"}'
}

# ---------------------------------------------------------------- merge

@test "--merge concatenates array bodies in input order" {
	run --separate-stderr "$GATHER" --merge -q "$SBASE/arr1.json" \
	    "$SBASE/arr2.json" "$SBASE/arr3.json"
	assert_success
	assert_equal "$stderr" ""
	assert_json '[1, 2, 3, {x: 1}, "last"]'
	# input order, not argument-completion luck: reversed inputs, reversed parts
	run --separate-stderr "$GATHER" --merge -q "$SBASE/arr3.json" \
	    "$SBASE/arr2.json" "$SBASE/arr1.json"
	assert_success
	assert_json '["last", 3, {x: 1}, 1, 2]'
}

@test "--merge deep-merges object bodies: later wins, nested merged, arrays concatenated" {
	run --separate-stderr "$GATHER" --merge -q "$SBASE/obj1.json" \
	    "$SBASE/obj2.json" "$SBASE/obj3.json"
	assert_success
	assert_json '{a: {x: "third", y: 2, l: [1, 2, 3]}, b: 2, c: "keep", d: [true]}'
}

@test "--merge of /headers objects: later inputs win on conflicts" {
	run --separate-stderr "$GATHER" --merge -q "$BASE/headers?a=1&b=1" \
	    "$BASE/headers?a=2&c=2"
	assert_success
	assert_equal "$(j .a)" 2
	assert_equal "$(j .c)" 2
}

@test "--merge: a body of the other kind is left out with a warning, exit 1" {
	run --separate-stderr "$GATHER" --merge "$SBASE/arr1.json" "$SBASE/obj1.json" \
	    "$SBASE/arr2.json"
	assert_failure 1
	assert_json '[1, 2, 3, {x: 1}]'
	assert_equal "$(grep -c '^gather: warning: --merge: ' <<<"$stderr")" 1
	run --separate-stderr "$GATHER" --merge "$SBASE/obj1.json" "$SBASE/arr1.json" \
	    "$SBASE/obj2.json"
	assert_failure 1
	assert_json '{a: {x: 1, y: 2, l: [1, 2, 3]}, b: 2, c: "keep"}'
	assert_equal "$(grep -c '^gather: warning: --merge: ' <<<"$stderr")" 1
}

@test "--merge: a string body is left out with a warning, exit 1, valid JSON" {
	run --separate-stderr "$GATHER" --merge "$SBASE/arr1.json" "$SBASE/str.json" \
	    "$BASE/text" "$SBASE/arr3.json"
	assert_failure 1
	assert_json '[1, 2, "last"]'
	assert_equal "$(grep -c '^gather: warning: --merge: ' <<<"$stderr")" 2
}

@test "--merge: an object with an unpaired surrogate escape is not lost silently" {
	# {"b":"\udc00"}: JSON grammar, but no Unicode text; cJSON, which
	# merges, refuses it (found by tests/fuzz/fuzz_json).
	local hex
	hex=$(printf '{"b":"\\udc00"}' | od -An -tx1 | tr -d ' \n')
	run --separate-stderr "$GATHER" --merge "$SBASE/obj1.json" \
	    "$BASE/bytes?hex=$hex&type=application/json"
	assert_failure 1
	assert_json '{a: {x: 1, l: [1]}, b: 1, c: "keep"}'
	assert_equal "$(grep -c '^gather: warning: --merge: ' <<<"$stderr")" 1
	# In the document it is kept whole, as text.
	run "$GATHER" "$BASE/bytes?hex=$hex&type=application/json"
	assert_success
	assert_equal "$(jq -r '.results[0].body' <<<"$output")" \
	    '{"b":"\udc00"}'
}

@test "--merge skips failures; exit 1 because a result failed" {
	run --separate-stderr "$GATHER" --merge --retry 0 "$BASE/status/404" \
	    "$SBASE/obj1.json" "$BASE/status/500" "$SBASE/obj2.json"
	assert_failure 1
	# the failures' bodies ({"status": ...}) are not merged in
	assert_json '{a: {x: 1, y: 2, l: [1, 2, 3]}, b: 2, c: "keep"}'
	refute [ "$(grep -c '^gather: warning: --merge' <<<"$stderr")" -gt 0 ]
}

@test "--merge -q: warnings are not printed, the exit status is still 1" {
	run --separate-stderr "$GATHER" --merge -q "$SBASE/arr1.json" "$SBASE/obj1.json"
	assert_failure 1
	assert_equal "$stderr" ""
	assert_json '[1, 2]'
}

# ---------------------------------------------------------------- select

@test "--select is applied to the body in the default document" {
	run --separate-stderr "$GATHER" --select /path "$BASE/json/a" "$BASE/json/b"
	assert_success
	assert_equal "$(j -c '[.results[].body]')" '["/json/a","/json/b"]'
	assert_equal "$stderr" ""
}

@test "--select: ~1 is / and ~0 is ~ in a reference token" {
	local p
	run --separate-stderr "$GATHER" --bodies -q --select '/a~1b' "$SBASE/ptr.json"
	assert_success
	assert_json '[1]'
	run --separate-stderr "$GATHER" --bodies -q --select '/m~0n' "$SBASE/ptr.json"
	assert_success
	assert_json '[2]'
	# "~01" is the key "~1", not "/"
	run --separate-stderr "$GATHER" --bodies -q --select '/~01' "$SBASE/ptr.json"
	assert_success
	assert_json '["tilde-one"]'
}

@test "--select: array indices, nested members, the empty key, the whole body" {
	run --separate-stderr "$GATHER" --bodies -q --select /arr/1 "$SBASE/ptr.json"
	assert_json '[20]'
	run --separate-stderr "$GATHER" --bodies -q --select /list/1/0 "$SBASE/ptr.json"
	assert_json '[3]'
	run --separate-stderr "$GATHER" --bodies -q --select /n/d/e "$SBASE/ptr.json"
	assert_json '["deep"]'
	run --separate-stderr "$GATHER" --bodies -q --select / "$SBASE/ptr.json"
	assert_json '[{e: 5}]'
	run --separate-stderr "$GATHER" --bodies -q --select '' "$SBASE/ptr.json"
	assert_success
	assert_equal "$(canon "$output")" "$(jq -S -c '[.]' "$BATS_FILE_TMPDIR/static/ptr.json")"
}

@test "--select naming nothing gives null and one warning per result" {
	run --separate-stderr "$GATHER" --bodies --select /nope "$BASE/json/a" \
	    "$BASE/json/b" "$BASE/json/c"
	assert_success
	assert_json '[null, null, null]'
	assert_equal "$(grep -c '^gather: warning: --select' <<<"$stderr")" 3
	local p
	for p in /arr/3 /arr/- /arr/01 /arr/x /n/d/e/x; do
		run --separate-stderr "$GATHER" --bodies --select "$p" "$SBASE/ptr.json"
		assert_success
		assert_json '[null]'
		assert_equal "$(grep -c '^gather: warning: --select' <<<"$stderr")" 1
	done
}

@test "--select with an invalid pointer is a usage error and fetches nothing" {
	local p
	for p in path a/b '#/a'; do
		run --separate-stderr "$GATHER" --select "$p" "$BASE/json/a"
		assert_failure 2
		assert_output ""
		assert [ -n "$stderr" ]
	done
	assert_equal "$(total_hits)" 0
}

@test "--select is applied before shaping: --keyed, --merge and --ndjson" {
	run --separate-stderr "$GATHER" --keyed -q --select /path "x=$BASE/json/a" \
	    "y=$BASE/json/b"
	assert_success
	assert_json '{x: "/json/a", y: "/json/b"}'
	run --separate-stderr "$GATHER" --merge -q --select /arr "$SBASE/ptr.json" \
	    "$SBASE/ptr.json"
	assert_success
	assert_json '[10, 20, 30, 10, 20, 30]'
	run --separate-stderr "$GATHER" --ndjson -q --select /method "$BASE/json/a"
	assert_success
	assert_equal "$(j .body)" GET
}

# ---------------------------------------------------------------- headers

@test "--headers adds the response headers, names lower-cased" {
	run --separate-stderr "$GATHER" --headers "$BASE/headers?X-Custom=hello" \
	    "$BASE/status/404"
	assert_failure 1
	assert_equal "$(j '.results[0].headers["x-custom"]')" hello
	assert_equal "$(j '.results[0].headers["content-type"]')" application/json
	assert_equal "$(j '.results[0].headers | keys | map(. == ascii_downcase) | all')" true
	assert_equal "$(j '.results[1].headers["content-type"]')" application/json
	# without --headers there is no "headers" member
	run --separate-stderr "$GATHER" "$BASE/headers?X-Custom=hello"
	assert_success
	assert_equal "$(j '.results[0] | has("headers")')" false
}

@test "--headers also in --ndjson lines" {
	run --separate-stderr "$GATHER" --headers --ndjson -q "$BASE/headers?X-Custom=hello"
	assert_success
	assert_equal "$(j '.headers["x-custom"]')" hello
}

# ---------------------------------------------------------------- pretty

@test "--pretty indents every shape but --ndjson, same JSON as --compact" {
	local shape pretty compact
	for shape in "" --bodies --keyed --merge; do
		run --separate-stderr "$GATHER" $shape --pretty -q "$SBASE/obj1.json" \
		    "$SBASE/obj2.json"
		assert_success
		pretty=$output
		assert [ "${#lines[@]}" -gt 3 ]
		assert [ "$(grep -c '^  ' <<<"$pretty")" -gt 0 ]
		run --separate-stderr "$GATHER" $shape --compact -q "$SBASE/obj1.json" \
		    "$SBASE/obj2.json"
		assert_success
		compact=$output
		assert_equal "${#lines[@]}" 1
		if [ -z "$shape" ]; then
			assert_equal "$(jq -S -c "$STRIP" <<<"$pretty")" \
			    "$(jq -S -c "$STRIP" <<<"$compact")"
		else
			assert_equal "$(canon "$pretty")" "$(canon "$compact")"
		fi
	done
	# NDJSON stays one line per result
	run --separate-stderr "$GATHER" --ndjson --pretty -q "$SBASE/obj1.json" \
	    "$SBASE/obj2.json"
	assert_success
	assert_equal "${#lines[@]}" 2
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out"
	assert_equal "$(lines_valid "$BATS_TEST_TMPDIR/out")" ok
}

@test "--keyed: the same unnamed URL twice gives one key, not a duplicate" {
	run --separate-stderr "$GATHER" --keyed --compact "$BASE/json/k" "$BASE/json/k"
	assert_success
	assert_equal "$(grep -o "/json/k\":" <<<"$output" | wc -l)" 1
	assert_equal "$(j 'keys | length')" 1
	# Also when the two are not one shared fetch (a POST spec of the same
	# URL): the first in input order keeps the key, the other is said.
	run --separate-stderr "$GATHER" --keyed --compact -i - <<EOF
$BASE/json/k2
{"url": "$BASE/json/k2", "method": "POST"}
EOF
	assert_success
	assert_equal "$(grep -o "/json/k2\":" <<<"$output" | wc -l)" 1
	assert_equal "$(j '.[] | .method')" GET
	assert_equal "$(grep -c 'key of result 1 is an earlier' <<<"$stderr")" 1
	assert_equal "$(hits /json/k2)" 2
}

@test "--select keeps every digit of a big integer" {
	run --separate-stderr "$GATHER" --bodies --select /v/n \
	    "$SBASE/bignum.json"
	assert_success
	assert_output '[9007199254740993]'
	run --separate-stderr "$GATHER" --bodies --select '' "$SBASE/bignum.json"
	assert_output '[{"id":12345678901234567891,"v":{"n":9007199254740993}}]'
}
