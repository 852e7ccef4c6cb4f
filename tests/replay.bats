#!/usr/bin/env bats
# Record and replay, stable output and idempotency keys (issue 15, items 2
# to 5): fixtures are written once per distinct request, hold no
# credential and no date, and a second recording changes no byte; a replay
# never reaches the network, gives back status, headers and bodies
# exactly, and names the file it missed; --stable output is the same bytes
# run after run; a retried POST repeats its Idempotency-Key.  The
# recipes of README.md and man/gather.1 run as written.

bats_require_minimum_version 1.5.0
load helpers

ROOT="$BATS_TEST_DIRNAME/.."
README="$ROOT/README.md"
MAN="$ROOT/man/gather.1"

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() {
	server_reset
	cd "$BATS_TEST_TMPDIR"
	export GATHER_CACHE_DIR="$BATS_TEST_TMPDIR/cache"
}

# The routes of a mixed run: JSON, text, binary, a pretty JSON body, an
# empty body and a failure, each answered the same way every time.
mixed_urls() {
	printf '%s\n' "$1/json/a" "$1/text" "$1/binary?size=300" \
	    "$1/bytes?hex=7b0a2020226122203a20310a7d0a&type=application/json" \
	    "$1/bytes?size=0" "$1/status/404" "$1/headers?X-Tag=v1&Server=fixed"
}

# Waits (bounded) until the wall clock is in a new second, so that a
# response's Date header cannot be the same as in the run before.
next_second() {
	wait_for 5 second_is_not "$(date +%s)"
}

second_is_not() {
	[ "$(date +%s)" != "$1" ]
}

@test "replay: the fixture server stopped, every body as the live run gave it" {
	second_server
	base="http://127.0.0.1:$PORT2"
	mixed_urls "$base" >urls
	run --separate-stderr "$GATHER" --compact --record fx -i urls
	[ "$status" -eq 1 ]
	live=$output
	assert_equal "$(jq '.summary.total' <<<"$live")" 7
	assert_equal "$(ls fx | wc -l)" 7
	kill "$PID2"
	wait "$PID2" 2>/dev/null || true
	run curl -s -m 2 "$base/json/a"
	assert_failure	# nothing listens there now
	run --separate-stderr "$GATHER" --compact --replay fx -i urls
	[ "$status" -eq 1 ]
	[ -z "$stderr" ] || [[ $stderr == *"/status/404: HTTP 404"* ]]
	# Everything but the times is the same: status, bytes, bodies.
	drop='del(.results[].time_ms, .summary.time_ms, .summary.latency_ms)'
	assert_equal "$(jq -c "$drop" <<<"$output")" "$(jq -c "$drop" <<<"$live")"
	assert_equal "$(jq -c '[.results[] | .ok]' <<<"$output")" \
	    '[true,true,true,true,true,false,true]'
	assert_equal "$(jq -c '[.results[] | .error.kind // empty]' \
	    <<<"$output")" '["http"]'
}

@test "replay: no connection at all, even with the server up" {
	mixed_urls "$BASE" >urls
	"$GATHER" --compact --record fx -i urls >/dev/null || true
	server_reset
	run --separate-stderr "$GATHER" --compact --replay fx -i urls
	[ "$status" -eq 1 ]
	assert_equal "$(total_hits)" 0
	assert_equal "$(jq -c '[.results[].status]' <<<"$output")" \
	    '[200,200,200,200,200,404,200]'
}

@test "replay: a request without a fixture fails with replay_miss naming the file" {
	"$GATHER" --compact --record fx "$BASE/json/a" >/dev/null
	server_reset
	run --separate-stderr "$GATHER" --compact --replay fx \
	    "$BASE/json/a" "$BASE/json/b" "$BASE/json/a?page=2"
	[ "$status" -eq 1 ]
	assert_equal "$(total_hits)" 0
	assert_equal "$(jq -c '[.results[].ok]' <<<"$output")" '[true,false,false]'
	assert_equal "$(jq -r '.results[1].error.kind' <<<"$output")" replay_miss
	assert_equal "$(jq -r '.results[1].attempts' <<<"$output")" 0
	msg=$(jq -r '.results[1].error.message' <<<"$output")
	[[ $msg =~ ^--replay:\ no\ fixture\ (fx/127\.0\.0\.1-json-b-[0-9a-f]{12}\.json)$ ]] ||
	    fail "the message names no file: $msg"
	[ ! -e "${BASH_REMATCH[1]}" ]
	# Recording it makes exactly that file.
	"$GATHER" --compact --record fx "$BASE/json/b" >/dev/null
	[ -f "${BASH_REMATCH[1]}" ]
	# The query is part of the key: its own file, with the same slug.
	msg=$(jq -r '.results[2].error.message' <<<"$output")
	[[ $msg == *"fx/127.0.0.1-json-a-"*".json" ]]
	assert_equal "$(jq -r '.summary.errors.replay_miss' <<<"$output")" 2
	[[ $stderr == *"/json/b: --replay: no fixture fx/127.0.0.1-json-b-"* ]]
}

@test "replay: a damaged fixture, or another request's, is a replay_miss that says so" {
	"$GATHER" --compact --record fx "$BASE/json/a" "$BASE/json/b" >/dev/null
	a=$(ls fx/127.0.0.1-json-a-*.json)
	b=$(ls fx/127.0.0.1-json-b-*.json)
	head -c 100 "$b" >cut && mv cut "$b"
	run --separate-stderr "$GATHER" --compact --replay fx "$BASE/json/a" \
	    "$BASE/json/b"
	[ "$status" -eq 1 ]
	assert_equal "$(jq -r '.results[1].error.kind' <<<"$output")" replay_miss
	assert_equal "$(jq -r '.results[1].error.message' <<<"$output")" \
	    "--replay: $b: not a fixture for this request: not a JSON object"
	cp "$a" "$b"
	run --separate-stderr "$GATHER" --compact --replay fx "$BASE/json/b"
	assert_equal "$(jq -r '.results[0].error.message' <<<"$output")" \
	    "--replay: $b: not a fixture for this request: its key is another request's"
	assert_equal "$(total_hits)" 2
}

@test "record: a second recording of the same responses changes no byte" {
	mixed_urls "$BASE" >urls
	echo "$BASE/fresh/r1?cc=max-age%3D60&expires=60&age=5" >>urls
	"$GATHER" --compact --record one -i urls >/dev/null || true
	next_second
	"$GATHER" --compact --record two -i urls >/dev/null || true
	assert_equal "$(ls one)" "$(ls two)"
	assert_equal "$(ls one | wc -l)" 8
	for f in one/*; do
		cmp "$f" "two/${f#one/}"
	done
	# What moves with the clock is not kept; what does not is.
	f=$(ls one/127.0.0.1-fresh-r1-*.json)
	assert_equal "$(jq -c '.response.headers | keys' "$f")" \
	    '["cache-control","content-length","content-type","server"]'
	# Into the same folder again: the same files, none added.
	next_second
	"$GATHER" --compact --record one -i urls >/dev/null || true
	assert_equal "$(ls -A one | wc -l)" 8
	for f in one/*; do
		cmp "$f" "two/${f#one/}"
	done
}

@test "record: identical requests share one fixture; the document is sorted and indented" {
	run "$GATHER" --compact --record fx "$BASE/json/x" "$BASE/json/x" \
	    "$BASE/json/x?b=1"
	assert_success
	assert_equal "$(ls fx | wc -l)" 2
	assert_equal "$(hits /json/x)" 2
	f=$(ls fx/127.0.0.1-json-x-*.json | head -n 1)
	# Two-space indent, as jq writes it; the fixture's own keys sorted
	# (a body keeps the order the server gave).
	jq --indent 2 . "$f" | cmp - "$f"
	assert_equal "$(jq -S -c 'del(.response.body)' "$f")" \
	    "$(jq -c 'del(.response.body)' "$f")"
	assert_equal "$(jq -r .version "$f")" 1
	assert_equal "$(jq -r .request.method "$f")" GET
	[ "$(stat -c %a "$f")" = 644 ]
	# No temp file left behind.
	assert_equal "$(ls -A fx | grep -c '^\.')" 0
}

@test "record: a fixture never holds a credential" {
	"$GATHER" --compact --record fx \
	    -H 'Authorization: Bearer tok-S3CRET-1' -H 'Cookie: sid=S3CRET-2' \
	    -H 'Proxy-Authorization: Basic S3CRET-3' \
	    "http://user:pw-S3CRET-4@127.0.0.1:$PORT/json/a" \
	    "$BASE/headers?Set-Cookie=sess%3DS3CRET-5" >/dev/null
	assert_equal "$(ls fx | wc -l)" 2
	# (The cookie the server sets is in its URL and body: the test's own.)
	run grep -r -e 'S3CRET-[1-4]' -e '"set-cookie": "sess' fx
	assert_failure
	f=$(ls fx/127.0.0.1-json-a-*.json)
	assert_equal "$(jq -c .request.headers "$f")" \
	    '{"authorization":"***","cookie":"***","proxy-authorization":"***"}'
	assert_equal "$(jq -r .request.url "$f")" \
	    "http://user:***@127.0.0.1:$PORT/json/a"
	f=$(ls fx/127.0.0.1-headers-*.json)
	assert_equal "$(jq -r '.response.headers["set-cookie"]' "$f")" '***'
	# The secrets still choose the fixture: the same request replays ...
	run "$GATHER" --compact --replay fx \
	    -H 'Authorization: Bearer tok-S3CRET-1' -H 'Cookie: sid=S3CRET-2' \
	    -H 'Proxy-Authorization: Basic S3CRET-3' \
	    "http://user:pw-S3CRET-4@127.0.0.1:$PORT/json/a"
	assert_success
	# ... and another token misses.
	run "$GATHER" --compact --replay fx \
	    -H 'Authorization: Bearer other' -H 'Cookie: sid=S3CRET-2' \
	    -H 'Proxy-Authorization: Basic S3CRET-3' \
	    "http://user:pw-S3CRET-4@127.0.0.1:$PORT/json/a"
	assert_failure
	assert_equal "$(j '.results[0].error.kind')" replay_miss
}

@test "replay: text, binary and pretty JSON bodies come back byte for byte" {
	hex=$(head -c 2048 /dev/urandom | od -An -v -tx1 | tr -d ' \n')
	urls=("$BASE/bytes?hex=$hex&type=application/octet-stream"
	    "$BASE/text?body=caf%C3%A9%0A%09tab%00x"
	    "$BASE/bytes?hex=5b312c20322e3530302c2031653130305d0a&type=application/json"
	    "$BASE/bytes?hex=7b226e223a3132333435363738393031323334353637383930317d&type=application/json")
	run "$GATHER" --compact --record fx "${urls[@]}"
	assert_success
	live=$output
	run "$GATHER" --compact --replay fx "${urls[@]}"
	assert_success
	drop='del(.results[].time_ms, .summary.time_ms, .summary.latency_ms)'
	assert_equal "$(jq -c "$drop" <<<"$output")" "$(jq -c "$drop" <<<"$live")"
	# The random bytes themselves, decoded from the output.
	jq -r '.results[0].body_base64' <<<"$output" | base64 -d | od -An -v -tx1 |
	    tr -d ' \n' >got
	assert_equal "$(cat got)" "$hex"
	assert_equal "$(jq -r '.results[0].bytes' <<<"$output")" 2048
	# A pretty JSON body is kept as text, so its bytes stay as sent.
	f=$(ls fx/127.0.0.1-bytes-*.json | xargs grep -l '1e100' )
	assert_equal "$(jq -r '.response.body_text' "$f")" '[1, 2.500, 1e100]'
	assert_equal "$(jq -r '.results[2].bytes' <<<"$output")" 18
	# Compact JSON is embedded, every digit kept.
	[[ $output == *'"body":{"n":123456789012345678901}'* ]]
	run grep -c '"n": 123456789012345678901' fx/*
	[[ $output == *":1"* ]]
}

@test "replay: --retry, --select, --headers and the shapes work on fixtures" {
	"$GATHER" --compact --record fx --retry 0 --headers \
	    "$BASE/status/503" "$BASE/json/s" >/dev/null || true
	server_reset
	run --separate-stderr "$GATHER" --compact --replay fx --retry 2 \
	    --retry-delay 10ms "$BASE/status/503" "$BASE/json/s"
	assert_failure
	assert_equal "$(total_hits)" 0
	assert_equal "$(j '.results[0].attempts')" 3
	assert_equal "$(j '.results[0].error.message')" 'HTTP 503 after 3 attempts'
	assert_equal "$(j '.summary.retries')" 2
	run --separate-stderr "$GATHER" --compact --replay fx --bodies \
	    --select /path \
	    "$BASE/json/s" "$BASE/status/503"
	assert_equal "$output" '["/json/s",null]'
	run "$GATHER" --compact --replay fx --keyed s="$BASE/json/s"
	assert_equal "$output" '{"s":{"path":"/json/s","method":"GET"}}'
	run "$GATHER" --compact --replay fx --headers "$BASE/json/s"
	assert_equal "$(j -c '.results[0].headers')" \
	    '{"content-length":"33","content-type":"application/json","server":"gather-test/1.0 Python/3.11.7"}'
	run "$GATHER" --compact --replay fx --max-body 10 "$BASE/json/s"
	assert_equal "$(j '.results[0].error.kind')" too_large
}

@test "stable: two live runs give the same bytes, and so does their replay" {
	mixed_urls "$BASE" >urls
	echo "$BASE/fresh/s1?expires=60" >>urls
	opts=(--compact --stable --headers -i urls)
	"$GATHER" "${opts[@]}" --record fx >one || true
	next_second
	"$GATHER" "${opts[@]}" >two || true
	cmp one two
	"$GATHER" "${opts[@]}" --replay fx >three || true
	cmp one three
	"$GATHER" "${opts[@]}" --replay fx --summary sum >four || true
	cmp one four
	# Nothing of time is left, anywhere in the document.
	run jq -c '[paths | last | strings |
	    select(test("^(time_ms|latency_ms|date|expires|age)$"))]' one
	assert_output '[]'
	assert_equal "$(jq -c 'keys' sum)" \
	    '["bytes","cached","errors","failed","ok","retries","status","total"]'
	# Without --stable the times are there.
	"$GATHER" --compact --headers -i urls >five || true
	assert_equal "$(jq '[.results[] | has("time_ms")] | all' five)" true
	assert_equal "$(jq '.summary | has("latency_ms")' five)" true
	assert_equal "$(jq '.results[0].headers | has("date")' five)" true
}

@test "stable: cache list leaves out the dates of entries" {
	"$GATHER" --compact --ttl 1h "$BASE/json/c1" "$BASE/json/c2" >/dev/null
	run "$GATHER" cache list --stable
	assert_success
	assert_equal "$(jq -s -c 'map(keys)| unique' <<<"$output")" \
	    '[["bytes","method","status","url"]]'
	run "$GATHER" cache list
	assert_equal "$(jq -s -c 'map(has("stored_at")) | unique' <<<"$output")" \
	    '[true]'
	run "$GATHER" cache stats --stable
	assert_failure 2
}

# The Idempotency-Key headers the server saw for PATH, one a line.
keys_seen() {
	curl -sf "$BASE/_/log?path=$1" |
	    jq -r '.[] | .headers["idempotency-key"] // "none"'
}

@test "idempotency: every retry of a POST repeats its key; requests differ" {
	run "$GATHER" --compact --idempotency-key --retry-unsafe \
	    --retry-delay 10ms -d '{"n":1}' "$BASE/flaky/k1" "$BASE/flaky/k2"
	assert_success
	assert_equal "$(j -c '[.results[].attempts]')" '[3,3]'
	one=$(keys_seen /flaky/k1)
	two=$(keys_seen /flaky/k2)
	assert_equal "$(wc -l <<<"$one")" 3
	assert_equal "$(sort -u <<<"$one" | wc -l)" 1
	assert_equal "$(sort -u <<<"$two" | wc -l)" 1
	[ "$one" != "$two" ]
	[[ $(head -n 1 <<<"$one") =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]]
	# A second run gets new keys.
	server_reset
	"$GATHER" --compact --idempotency-key -d x "$BASE/echo" >/dev/null
	again=$(keys_seen /echo)
	[ "$again" != "$(head -n 1 <<<"$one")" ] && [ "$again" != none ]
}

@test "idempotency: PATCH gets a key; GET, PUT and runs without the option do not" {
	printf '%s\n' '{"url": "'"$BASE"'/json/p", "method": "PATCH"}' \
	    '{"url": "'"$BASE"'/json/g"}' \
	    '{"url": "'"$BASE"'/json/u", "method": "PUT", "body": "x"}' >specs
	"$GATHER" --compact --idempotency-key -i specs >/dev/null
	[[ $(keys_seen /json/p) =~ ^[0-9a-f-]{36}$ ]]
	assert_equal "$(keys_seen /json/g)" none
	assert_equal "$(keys_seen /json/u)" none
	server_reset
	"$GATHER" --compact -d x "$BASE/json/p" >/dev/null
	assert_equal "$(keys_seen /json/p)" none
}

@test "idempotency: a key given with -H or in a spec is kept" {
	"$GATHER" --compact --idempotency-key --retry-unsafe --retry-delay 10ms \
	    -H 'Idempotency-Key: mine-1' -d x "$BASE/flaky/h1" >/dev/null
	assert_equal "$(keys_seen /flaky/h1 | sort -u)" mine-1
	printf '%s\n' '{"url": "'"$BASE"'/json/s1", "body": "x", "headers": {"idempotency-key": "spec-2"}}' \
	    '{"url": "'"$BASE"'/json/s2", "body": "y"}' >specs
	"$GATHER" --compact --idempotency-key -i specs >/dev/null
	assert_equal "$(keys_seen /json/s1)" spec-2
	[[ $(keys_seen /json/s2) =~ ^[0-9a-f-]{36}$ ]]
}

@test "idempotency: the generated key is not part of the fixture or its name" {
	"$GATHER" --compact --idempotency-key --record fx -d x \
	    "$BASE/json/post" >/dev/null
	"$GATHER" --compact --idempotency-key --record fx2 -d x \
	    "$BASE/json/post" >/dev/null
	assert_equal "$(ls fx)" "$(ls fx2)"
	cmp fx/* fx2/*
	run grep -ri idempotency fx
	assert_failure
	run "$GATHER" --compact --idempotency-key --replay fx -d x \
	    "$BASE/json/post"
	assert_success
}

@test "options: --record with --replay, or a --replay folder that is not there, is a usage error" {
	run --separate-stderr "$GATHER" --record a --replay b "$BASE/json/a"
	assert_equal "$status" 2
	[[ $stderr == *"--record: cannot be used with --replay"* ]]
	run --separate-stderr "$GATHER" --replay nowhere "$BASE/json/a"
	assert_equal "$status" 2
	[[ $stderr == *"--replay: nowhere: No such file or directory"* ]]
	touch afile
	run --separate-stderr "$GATHER" --record afile "$BASE/json/a"
	assert_equal "$status" 2
	[[ $stderr == *"--record: afile: not a folder"* ]]
	assert_equal "$(total_hits)" 0
}

@test "record: the cache is neither read nor written" {
	"$GATHER" --compact --ttl 1h "$BASE/json/c" >/dev/null
	run "$GATHER" --compact --ttl 1h --record fx "$BASE/json/c"
	assert_success
	assert_equal "$(j '.results[0].cache')" off
	assert_equal "$(hits /json/c)" 2
	[ -f fx/127.0.0.1-json-c-*.json ]
}

# The fenced block after the line "<!-- recipe: NAME -->" in README.md.
readme_recipe() {
	awk -v m="<!-- recipe: $1 -->" '$0 == m { f = 1; next }
	    f == 1 && /^```/ { f = 2; next } f == 2 && /^```/ { exit }
	    f == 2' "$README"
}

# Fails unless each line of the README's recipe NAME, comments and
# indentation aside, is a line of the rendered man page.
man_shows() {
	local text line missing=
	text=$(mandoc -T ascii "$MAN" | col -bx | sed -E 's/^[[:space:]]+//')
	while IFS= read -r line; do
		line=$(sed -E 's/^[[:space:]]+//' <<<"$line")
		[ -n "$line" ] && [[ $line != "# "* ]] || continue
		grep -qxF -- "$line" <<<"$text" || missing="$missing
$line"
	done < <(readme_recipe "$1")
	[ -z "$missing" ] || fail "not in the man page:$missing"
}

@test "recipes: record once, then replay hermetically against a golden file" {
	readme_recipe replay >report.bats
	[ "$(grep -c '^@test' report.bats)" -ge 1 ] || fail "no replay recipe"
	man_shows replay
	path="$(dirname "$GATHER"):/usr/bin:/bin"
	run env -i HOME="$BATS_TEST_TMPDIR" PATH="$path" API="$BASE" RECORD=1 \
	    bats --tap report.bats
	assert_success
	[ -s report.golden.json ] && [ -d fixtures ]
	assert_equal "$(jq -r '.results[2].status' report.golden.json)" 404
	recorded=$(total_hits)
	[ "$recorded" -ge 3 ]
	run env -i HOME="$BATS_TEST_TMPDIR" PATH="$path" API="$BASE" \
	    bats --tap report.bats
	assert_success
	assert_equal "$(total_hits)" "$recorded"
	# The test can fail: a changed fixture is a changed document.
	sed -i 's/users/userz/' fixtures/127.0.0.1-json-users-*.json
	run env -i HOME="$BATS_TEST_TMPDIR" PATH="$path" API="$BASE" \
	    bats --tap report.bats
	assert_failure
}

@test "recipes: a POST fan-out repeats each order's key on its retries" {
	readme_recipe idempotency >fanout.sh
	grep -q -- '--idempotency-key' fanout.sh || fail "no fan-out recipe"
	man_shows idempotency
	echo '{"order": 7}' >order.json
	printf '%s\n' "$BASE/flaky/eu" "$BASE/flaky/us" >regions.txt
	run env PATH="$(dirname "$GATHER"):/usr/bin:/bin" sh fanout.sh
	assert_success
	assert_equal "$(jq -c '[.results[].attempts]' <<<"$output")" '[3,3]'
	eu=$(keys_seen /flaky/eu | sort -u)
	us=$(keys_seen /flaky/us | sort -u)
	assert_equal "$(wc -l <<<"$eu")" 1
	assert_equal "$(wc -l <<<"$us")" 1
	[ "$eu" != "$us" ] && [ "$eu" != none ]
	assert_equal "$(curl -sf "$BASE/_/log?path=/flaky/eu" |
	    jq -r '.[0].method')" POST
}
