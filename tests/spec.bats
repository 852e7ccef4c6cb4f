#!/usr/bin/env bats
# JSON request specs on input lines, the request options (-X, -d, -H, -A,
# -k, --cacert), the http/https-only rule on redirects, input limits and
# duplicate names, streaming of stdin, and a file mixing good and bad lines
# (CONTRACT.md sections 2 and 3). What reached the server is checked through
# /echo's reply (method, headers, body) or the server's /_/log.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() {
	server_reset
	export GATHER_CACHE_DIR="$BATS_TEST_TMPDIR/cache"
	PID2=
	GO=
}
teardown() {
	if [ -n "${PID2:-}" ]; then
		kill "$PID2" 2>/dev/null || true
		wait "$PID2" 2>/dev/null || true
	fi
	# let a stdin writer left waiting finish
	[ -z "${GO:-}" ] || touch "$GO"
	if [ -n "${GPID:-}" ]; then
		kill "$GPID" 2>/dev/null || true
		wait "$GPID" 2>/dev/null || true
	fi
}

# jq FILTER over $output, compact.
q() {
	jq -c "$1" <<<"$output"
}

# Runs gather with the lines given as arguments on its stdin.
gather_lines() {
	local opts=() l
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	shift
	printf '%s\n' "$@" >"$BATS_TEST_TMPDIR/lines"
	run --separate-stderr timeout 30 "$GATHER" --compact --retry 0 \
	    "${opts[@]}" <"$BATS_TEST_TMPDIR/lines"
}

# --- spec bodies --------------------------------------------------------------

@test "spec: a string body is sent as is, as a form POST" {
	gather_lines -- "{\"url\": \"$BASE/echo\", \"body\": \"a=1&b=x y\\n\\u00e9\\\"\"}"
	assert_success
	assert_equal "$(q '.results[0].body | [.method, .headers["content-type"]]')" \
	    '["POST","application/x-www-form-urlencoded"]'
	assert_equal "$(q '.results[0].body.body')" '"a=1&b=x y\né\""'
	assert_equal "$(q '.results[0].body.body_length')" 13
}

@test "spec: an object body is sent compact as application/json" {
	gather_lines -- "{\"url\": \"$BASE/echo\", \"body\": {\"s\" : \"wörld\",  \"n\": [1, 2.5, true, null], \"o\": {}}}"
	assert_success
	assert_equal "$(q '.results[0].body | [.method, .headers["content-type"]]')" \
	    '["POST","application/json"]'
	assert_equal "$(j '.results[0].body.body')" \
	    '{"s":"wörld","n":[1,2.5,true,null],"o":{}}'
	# The sent text is valid JSON equal to the spec's body.
	assert_equal "$(j '.results[0].body.body | fromjson | .s')" 'wörld'
}

@test "spec: array, number, boolean and null bodies are JSON too" {
	gather_lines -- \
	    "{\"url\": \"$BASE/echo\", \"body\": [1, \"two\", [3]]}" \
	    "{\"url\": \"$BASE/echo\", \"body\": 42}" \
	    "{\"url\": \"$BASE/echo\", \"body\": true}" \
	    "{\"url\": \"$BASE/echo\", \"body\": null}"
	assert_success
	assert_equal "$(q '[.results[].body.body]')" \
	    '["[1,\"two\",[3]]","42","true","null"]'
	assert_equal "$(q '[.results[].body.headers["content-type"]] | unique')" \
	    '["application/json"]'
	assert_equal "$(q '[.results[].body.method] | unique')" '["POST"]'
}

@test "spec: a Content-Type in the spec's headers wins over the default" {
	gather_lines -- \
	    "{\"url\": \"$BASE/echo\", \"body\": {\"a\": 1}, \"headers\": {\"content-type\": \"application/vnd.x+json\"}}" \
	    "{\"url\": \"$BASE/echo\", \"body\": \"<a/>\", \"headers\": {\"Content-Type\": \"text/xml\"}}"
	assert_success
	assert_equal "$(q '[.results[].body.headers["content-type"]]')" \
	    '["application/vnd.x+json","text/xml"]'
	assert_equal "$(q '[.results[].body.body]')" '["{\"a\":1}","<a/>"]'
}

@test "spec: a body without a method uses -X when given, POST otherwise" {
	gather_lines -X PUT -- "{\"url\": \"$BASE/echo\", \"body\": \"x\"}"
	assert_success
	assert_equal "$(q '.results[0].body | [.method, .body]')" '["PUT","x"]'
	gather_lines -- "{\"url\": \"$BASE/echo\", \"body\": \"x\", \"method\": \"PATCH\"}"
	assert_success
	assert_equal "$(q '.results[0].body | [.method, .body]')" '["PATCH","x"]'
}

@test "spec: method and body override -X and -d; -d fills a spec without body" {
	gather_lines -X PUT -d cli -- \
	    "{\"url\": \"$BASE/echo\", \"method\": \"DELETE\"}" \
	    "{\"url\": \"$BASE/echo\", \"body\": \"spec\"}" \
	    "{\"url\": \"$BASE/echo\"}" \
	    "{\"url\": \"$BASE/json/h\", \"method\": \"HEAD\"}"
	assert_success
	assert_equal "$(q '[.results[0:3][].body | [.method, .body]]')" \
	    '[["DELETE","cli"],["PUT","spec"],["PUT","cli"]]'
	assert_equal "$(q '.results[3] | [.ok, .status, .bytes, has("body")]')" \
	    '[true,200,0,false]'
	assert_equal "$(curl -sf "$BASE/_/log?path=/json/h" | jq -c '[.[].method]')" \
	    '["HEAD"]'
}

@test "spec: an explicit GET method with a body is sent as GET" {
	gather_lines -- "{\"url\": \"$BASE/echo\", \"method\": \"GET\", \"body\": \"q\"}"
	assert_success
	assert_equal "$(q '.results[0].body | [.method, .body]')" '["GET","q"]'
	gather_lines -d q -- "{\"url\": \"$BASE/echo\", \"method\": \"GET\"}"
	assert_success
	assert_equal "$(q '.results[0].body | [.method, .body]')" '["GET","q"]'
}

# --- spec headers -------------------------------------------------------------

@test "spec: headers add to -H, and replace a -H of the same name in any case" {
	gather_lines -H 'X-A: cli' -H 'X-B: b' -H 'x-c: c1' -- \
	    "{\"url\": \"$BASE/echo\", \"headers\": {\"x-a\": \"spec\", \"X-C\": \"c2\", \"X-D\": \"d: e\"}}" \
	    "$BASE/echo?plain"
	assert_success
	assert_equal "$(q '.results[0].body.headers | [."x-a", ."x-b", ."x-c", ."x-d"]')" \
	    '["spec","b","c2","d: e"]'
	# A plain line in the same run keeps the -H headers.
	assert_equal "$(q '.results[1].body.headers | [."x-a", ."x-b", ."x-c", has("x-d")]')" \
	    '["cli","b","c1",false]'
	# Exactly one X-A reached the server for the spec.
	assert_equal "$(curl -sf "$BASE/_/log?path=/echo" | jq -c '[.[] | select(.query == "") | .headers | keys[] | select(. == "x-a")] | length')" 1
}

@test "spec: an empty header value removes a -H header and a default one" {
	gather_lines -H 'X-A: cli' -A cli-agent -- \
	    "{\"url\": \"$BASE/echo\", \"headers\": {\"X-A\": \"\", \"Accept\": \"\", \"User-Agent\": \"spec-agent\"}}"
	assert_success
	assert_equal "$(q '.results[0].body.headers | [has("x-a"), has("accept"), ."user-agent"]')" \
	    '[false,false,"spec-agent"]'
}

@test "spec: a header name that is not a token is not sent as a broken header" {
	gather_lines -- "{\"url\": \"$BASE/echo\", \"headers\": {\"bad name\": \"x\", \"X-Ok\": \"1\"}}"
	if [ "$(j '.results[0].ok')" = true ]; then
		# Sent: then the request was well-formed and X-Ok arrived.
		assert_equal "$(q '.results[0].body.headers."x-ok"')" '"1"'
	else
		assert_equal "$(j '.results[0].error.kind')" input
		assert_regex "$(j '.results[0].error.message')" '^line 1: "headers"'
		assert_equal "$(total_hits)" 0
	fi
}

@test "spec: name is used in the result" {
	gather_lines -- "{\"url\": \"$BASE/json/n\", \"name\": \"users\"}"
	assert_success
	assert_equal "$(q '.results[0] | [.name, .url, .ok]')" "[\"users\",\"$BASE/json/n\",true]"
}

# --- spec errors --------------------------------------------------------------

@test "spec errors: unknown key, wrong types; the good lines still run" {
	gather_lines -- \
	    "{\"url\": \"$BASE/json/e1\", \"foo\": 1}" \
	    "{\"url\": \"$BASE/json/e2\", \"headers\": [\"X-A: 1\"]}" \
	    "{\"url\": \"$BASE/json/e3\", \"headers\": {\"X-A\": 1}}" \
	    "{\"url\": \"$BASE/json/e4\", \"name\": 3}" \
	    "{\"url\": \"$BASE/json/e5\", \"ttl\": 600}" \
	    "{\"url\": 5}" \
	    "{\"url\": \"$BASE/json/e7\", \"method\": 5}" \
	    "{\"url\": \"$BASE/json/good\"}"
	assert_failure 1
	assert_equal "$(q '[.results[] | .error.kind]')" \
	    '["input","input","input","input","input","input","input",null]'
	assert_equal "$(j '.results[0].error.message')" 'line 1: unknown key "foo"'
	assert_equal "$(j '.results[1].error.message')" 'line 2: "headers" must be an object of strings'
	assert_regex "$(j '.results[2].error.message')" '^line 3: "headers"'
	assert_equal "$(j '.results[3].error.message')" 'line 4: "name" must be a string'
	assert_equal "$(j '.results[4].error.message')" 'line 5: "ttl" must be a string'
	assert_regex "$(j '.results[5].error.message')" '^line 6: "url"'
	assert_regex "$(j '.results[6].error.message')" '^line 7: "method"'
	assert_equal "$(q '.results[7] | [.ok, .status]')" '[true,200]'
	assert_equal "$(total_hits)" 1
	assert_equal "$(hits /json/good)" 1
}

@test "spec errors: missing url, bad url, bad method, bad ttl" {
	gather_lines -- \
	    "{\"name\": \"x\"}" \
	    "{}" \
	    "{\"url\": \"ftp://127.0.0.1/x\"}" \
	    "{\"url\": \"not a url\"}" \
	    "{\"url\": \"$BASE/json/m\", \"method\": \"GE T\"}" \
	    "{\"url\": \"$BASE/json/m\", \"method\": \"\"}" \
	    "{\"url\": \"$BASE/json/t\", \"ttl\": \"soon\"}"
	assert_failure 1
	assert_equal "$(q '[.results[].error.kind] | unique')" '["input"]'
	assert_equal "$(j '.results[0].error.message')" 'line 1: "url" is missing'
	assert_equal "$(j '.results[1].error.message')" 'line 2: "url" is missing'
	assert_regex "$(j '.results[2].error.message')" '^line 3: "url": '
	assert_regex "$(j '.results[3].error.message')" '^line 4: "url": '
	assert_regex "$(j '.results[4].error.message')" '^line 5: "method": not a method'
	assert_regex "$(j '.results[5].error.message')" '^line 6: "method": not a method'
	assert_regex "$(j '.results[6].error.message')" '^line 7: "ttl": invalid duration'
	assert_equal "$(total_hits)" 0
}

@test "spec errors: a line that is not one JSON object names the column" {
	local b="{\"url\": \"$BASE/json/b\"}" c="{\"url\": \"$BASE/json/c\"}"
	gather_lines -- \
	    "{\"url\": " \
	    "{url: \"$BASE/json/a\"}" \
	    "$b trailing" \
	    "$c{\"url\": \"$BASE/json/d\"}" \
	    "  {\"é\" 1}" \
	    "$BASE/json/ok"
	assert_failure 1
	assert_equal "$(q '[.results[].error.kind]')" '["input","input","input","input","input",null]'
	# The column is where the parser stopped, in characters from 1 (é is
	# one), white space before the object included.
	local m=': one JSON object per line'
	assert_equal "$(j '.results[0].error.message')" "line 1: invalid JSON at line 1, column 8$m"
	assert_equal "$(j '.results[1].error.message')" "line 2: invalid JSON at line 1, column 3$m"
	assert_equal "$(j '.results[2].error.message')" "line 3: invalid JSON at line 1, column $((${#b} + 2))$m"
	assert_equal "$(j '.results[3].error.message')" "line 4: invalid JSON at line 1, column $((${#c} + 1))$m"
	assert_equal "$(j '.results[4].error.message')" "line 5: invalid JSON at line 1, column 8$m"
	assert_equal "$(total_hits)" 1
}

# --- spec ttl -----------------------------------------------------------------

@test "spec ttl: turns the cache on for that request only" {
	local spec="{\"url\": \"$BASE/json/c\", \"ttl\": \"10m\"}"
	gather_lines -- "$spec" "$BASE/json/p"
	assert_success
	assert_equal "$(q '[.results[].cache]')" '["miss","off"]'
	gather_lines -- "$spec" "$BASE/json/p"
	assert_success
	assert_equal "$(q '[.results[].cache]')" '["hit","off"]'
	assert_equal "$(q '.results[0] | [.ok, .status, .body.path]')" '[true,200,"/json/c"]'
	assert_equal "$(hits /json/c)" 1
	assert_equal "$(hits /json/p)" 2
}

@test "spec ttl: overrides --ttl" {
	gather_lines --ttl 1h -- "$BASE/json/o"
	assert_equal "$(q '.results[0].cache')" '"miss"'
	sleep 0.1
	gather_lines --ttl 1h -- "{\"url\": \"$BASE/json/o\", \"ttl\": \"1ms\"}"
	assert_success
	assert_equal "$(q '.results[0].cache')" '"miss"'
	assert_equal "$(hits /json/o)" 2
	gather_lines --ttl 1ms -- "{\"url\": \"$BASE/json/o\", \"ttl\": \"1h\"}"
	assert_success
	assert_equal "$(q '.results[0].cache')" '"hit"'
	assert_equal "$(hits /json/o)" 2
}

# --- request options ----------------------------------------------------------

@test "-X: DELETE is sent; HEAD fetches no body" {
	run --separate-stderr "$GATHER" --compact -X DELETE "$BASE/echo"
	assert_success
	assert_equal "$(q '.results[0].body | [.method, .body_length]')" '["DELETE",0]'
	run --separate-stderr "$GATHER" --compact --request HEAD "$BASE/json/h"
	assert_success
	assert_equal "$(q '.results[0] | [.ok, .status, .bytes, has("body")]')" '[true,200,0,false]'
	assert_equal "$(curl -sf "$BASE/_/log?path=/json/h" | jq -c '[.[].method]')" '["HEAD"]'
}

@test "-d: implies POST, keeps -X, and -X GET sends GET with the body" {
	run --separate-stderr "$GATHER" --compact -d 'k=v' "$BASE/echo"
	assert_success
	assert_equal "$(q '.results[0].body | [.method, .body, .headers["content-type"]]')" \
	    '["POST","k=v","application/x-www-form-urlencoded"]'
	run --separate-stderr "$GATHER" --compact --data 'k=v' -X PUT "$BASE/echo"
	assert_success
	assert_equal "$(q '.results[0].body | [.method, .body]')" '["PUT","k=v"]'
	run --separate-stderr "$GATHER" --compact -d 'k=v' -X GET "$BASE/echo"
	assert_success
	assert_equal "$(q '.results[0].body | [.method, .body]')" '["GET","k=v"]'
}

@test "-d @FILE sends the file's bytes, binary-safe" {
	local f="$BATS_TEST_TMPDIR/body.bin"
	{ printf 'a\0b\r\n\xff\xfe'; head -c 3000 /dev/urandom; printf '\0end'; } >"$f"
	run --separate-stderr "$GATHER" --compact -d "@$f" "$BASE/echo"
	assert_success
	assert_equal "$(q '.results[0].body | [.method, .body_length]')" \
	    "[\"POST\",$(stat -c %s "$f")]"
	# The server's text of the body (bytes decoded with replacement) matches.
	python3 -c '
import json, sys
out = json.load(open(sys.argv[1]))
want = open(sys.argv[2], "rb").read().decode("utf-8", "replace")
sys.exit(0 if out["results"][0]["body"]["body"] == want else 1)
' <(printf '%s' "$output") "$f"
}

@test "-d @- reads stdin when the URLs are arguments or come from -i FILE" {
	run --separate-stderr "$GATHER" --compact -d @- "$BASE/echo" <<<'from stdin'
	assert_success
	assert_equal "$(q '.results[0].body | [.method, .body]')" '["POST","from stdin\n"]'
	echo "$BASE/echo" >"$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr "$GATHER" --compact -d @- -i "$BATS_TEST_TMPDIR/in.txt" <<<'hi'
	assert_success
	assert_equal "$(q '.results[0].body | [.method, .body]')" '["POST","hi\n"]'
}

@test "-d @- is a usage error when the inputs come from stdin" {
	run --separate-stderr timeout 10 "$GATHER" --compact -d @- <<<"$BASE/echo"
	assert_failure 2
	assert_output ''
	[ -n "$stderr" ]
	run --separate-stderr timeout 10 "$GATHER" --compact -d @- -i - <<<"$BASE/echo"
	assert_failure 2
	assert_output ''
	[ -n "$stderr" ]
	assert_equal "$(total_hits)" 0
}

@test "-H: repeated headers all arrive, 'K:' removes, 'K;' sends empty" {
	run --separate-stderr "$GATHER" --compact -H 'X-One: 1' --header 'X-Two: two words' \
	    -H 'Accept:' -H 'X-Empty;' "$BASE/echo"
	assert_success
	assert_equal "$(q '.results[0].body.headers | [."x-one", ."x-two", has("accept"), ."x-empty"]')" \
	    '["1","two words",false,""]'
}

@test "-A sets the User-Agent, and the default names gather" {
	run --separate-stderr "$GATHER" --compact -A 'probe/1.0 (test)' "$BASE/echo"
	assert_success
	assert_equal "$(j '.results[0].body.headers["user-agent"]')" 'probe/1.0 (test)'
	run --separate-stderr "$GATHER" --compact --user-agent x "$BASE/echo"
	assert_equal "$(j '.results[0].body.headers["user-agent"]')" x
	run --separate-stderr "$GATHER" --compact "$BASE/echo"
	assert_regex "$(j '.results[0].body.headers["user-agent"]')" '^gather/'
}

@test "-k is accepted" {
	run --separate-stderr "$GATHER" --compact -k --insecure "$BASE/json/k"
	assert_success
	assert_equal "$(q '.results[0] | [.ok, .status]')" '[true,200]'
}

@test "--cacert of a missing file or a folder is a usage error (exit 2) before anything is fetched" {
	run --separate-stderr timeout 30 "$GATHER" --compact \
	    --cacert "$BATS_TEST_TMPDIR/none.pem" "$BASE/json/ca" \
	    "https://127.0.0.1:$PORT/json/tls"
	assert_failure 2
	assert_output ""
	assert_equal "${stderr_lines[0]}" "gather: --cacert: $BATS_TEST_TMPDIR/none.pem: No such file or directory"
	run --separate-stderr timeout 30 "$GATHER" --compact \
	    --cacert "$BATS_TEST_TMPDIR" "$BASE/json/ca"
	assert_failure 2
	assert_equal "${stderr_lines[0]}" "gather: --cacert: $BATS_TEST_TMPDIR: not a file"
	assert_equal "$(total_hits)" 0
}

# --- redirects ---------------------------------------------------------------

@test "redirect to file:// or ftp:// fails with kind protocol" {
	run --separate-stderr timeout 30 "$GATHER" --compact --retry 0 \
	    "$BASE/redirect?to=file:///etc/passwd" \
	    "$BASE/redirect?to=ftp://127.0.0.1/x&code=301" \
	    "$BASE/redirect?to=gopher://127.0.0.1:$PORT/x&code=307"
	assert_failure 1
	assert_equal "$(q '[.results[] | [.ok, .error.kind]]')" \
	    '[[false,"protocol"],[false,"protocol"],[false,"protocol"]]'
	refute_output --partial 'root:'
}

@test "redirect to another port of 127.0.0.1 is followed; a dead one is kind connect" {
	second_server
	local dead
	dead=$(dead_port)
	run --separate-stderr timeout 30 "$GATHER" --compact --retry 0 \
	    "$BASE/redirect?to=http://127.0.0.1:$PORT2/json/other" \
	    "$BASE/redirect?to=http://localhost:$PORT2/json/local&code=307" \
	    "$BASE/redirect?to=http://127.0.0.1:$dead/json/x"
	assert_failure 1
	assert_equal "$(q '.results[0] | [.ok, .status, .body.path]')" '[true,200,"/json/other"]'
	assert_equal "$(q '.results[1] | [.ok, .status, .body.path]')" '[true,200,"/json/local"]'
	assert_equal "$(q '.results[2] | [.ok, .error.kind]')" '[false,"connect"]'
	assert_equal "$(curl -sf "http://127.0.0.1:$PORT2/_/hits?path=/json/other" | jq .hits)" 1
	assert_equal "$(hits /redirect)" 3
}

# --- input limits and names ---------------------------------------------------

@test "input: a line of 64 KiB runs, a longer one is kind input" {
	local f="$BATS_TEST_TMPDIR/long.txt"
	python3 - "$BASE" >"$f" <<'EOF'
import sys
base = sys.argv[1]
for n, p in ((65536, "L1"), (65537, "L2")):
    s = '{"url": "%s/json/%s"' % (base, p)
    print(s + " " * (n - len(s) - 1) + "}")
print(base + "/json/" + "a" * 70000)
print(base + "/json/after")
EOF
	run --separate-stderr timeout 30 "$GATHER" --compact -i "$f"
	assert_failure 1
	assert_equal "$(q '[.results[] | [.ok, .error.kind]]')" \
	    '[[true,null],[false,"input"],[false,"input"],[true,null]]'
	assert_regex "$(j '.results[1].error.message')" '^line 2: '
	assert_regex "$(j '.results[2].error.message')" '^line 3: '
	assert_equal "$(hits /json/L1)" 1
	assert_equal "$(hits /json/L2)" 0
	assert_equal "$(hits /json/after)" 1
}

@test "input: a NUL byte and invalid UTF-8 in a URL are kind input" {
	printf '%s\n' "$BASE/json/one" >"$BATS_TEST_TMPDIR/in.txt"
	printf '%s/json/n\0ul\n' "$BASE" >>"$BATS_TEST_TMPDIR/in.txt"
	printf '%s/json/\xff\xfe\n' "$BASE" >>"$BATS_TEST_TMPDIR/in.txt"
	printf '{"url": "%s/json/\xc3"}\n' "$BASE" >>"$BATS_TEST_TMPDIR/in.txt"
	printf '%s\n' "$BASE/json/two" >>"$BATS_TEST_TMPDIR/in.txt"
	run --separate-stderr timeout 30 "$GATHER" --compact -i "$BATS_TEST_TMPDIR/in.txt"
	assert_failure 1
	assert_equal "$(q '[.results[] | [.ok, .error.kind]]')" \
	    '[[true,null],[false,"input"],[false,"input"],[false,"input"],[true,null]]'
	assert_regex "$(j '.results[1].error.message')" '^line 2: '
	assert_regex "$(j '.results[2].error.message')" '^line 3: '
	assert_regex "$(j '.results[3].error.message')" '^line 4: '
	assert_equal "$(total_hits)" 2
}

@test "duplicate NAME: the later one is kind input, also across spec and NAME=URL" {
	gather_lines -- \
	    "a=$BASE/json/a1" \
	    "{\"url\": \"$BASE/json/a2\", \"name\": \"a\"}" \
	    "{\"url\": \"$BASE/json/b1\", \"name\": \"b\"}" \
	    "b=$BASE/json/b2" \
	    "{\"url\": \"$BASE/json/b3\", \"name\": \"b\"}" \
	    "c=$BASE/json/c1"
	assert_failure 1
	assert_equal "$(q '[.results[] | [.name, .ok, .error.kind]]')" \
	    '[["a",true,null],["a",false,"input"],["b",true,null],["b",false,"input"],["b",false,"input"],["c",true,null]]'
	assert_regex "$(j '.results[1].error.message')" '^line 2: .*(duplicate|NAME)'
	assert_regex "$(j '.results[3].error.message')" '^line 4: '
	assert_regex "$(j '.results[4].error.message')" '^line 5: '
	assert_equal "$(hits /json/a1)$(hits /json/a2)$(hits /json/b1)$(hits /json/b2)$(hits /json/b3)$(hits /json/c1)" 101001
}

# --- streaming ------------------------------------------------------------------

# Both keep stdin open, the second line unwritten, until the test has seen
# what it waits for (bounded), rather than for a fixed sleep that a slow
# start of gather could use up.

@test "streaming: the first result is written before stdin ends" {
	local out="$BATS_TEST_TMPDIR/out.fifo" line rest
	GO="$BATS_TEST_TMPDIR/go"
	mkfifo "$out"
	{
		echo "$BASE/json/first"
		wait_for 30 test -e "$GO" || true	# then write it anyway
		echo "$BASE/json/second"
	} 3>&- | timeout 60 "$GATHER" --ndjson -q >"$out" 2>/dev/null 3>&- &
	GPID=$!
	exec 5<"$out"
	if ! IFS= read -r -t 20 -u 5 line; then
		exec 5<&-
		fail "no result line while stdin was still open (20 s)"
	fi
	# The input has not ended yet: the second line was not even fetched.
	assert_equal "$(hits /json/second)" 0
	assert_equal "$(jq -c '[.url, .ok]' <<<"$line")" "[\"$BASE/json/first\",true]"
	touch "$GO"
	rest=$(timeout 20 cat <&5)
	exec 5<&-
	wait "$GPID"
	GPID=
	assert_equal "$(jq -c '[.url, .ok]' <<<"$rest")" "[\"$BASE/json/second\",true]"
}

@test "streaming: fetching starts before stdin ends (seen by the server)" {
	local seen="$BATS_TEST_TMPDIR/seen"
	# The second line is written once /json/first reached the server, or
	# after 20 s; only the first leaves the mark.
	run --separate-stderr timeout 60 bash -c '
	    {
		echo "$1/json/first"
		for i in $(seq 400); do
			if [ "$(curl -sf "$1/_/hits?path=/json/first" |
			    jq .hits)" = 1 ]; then
				touch "$2"
				break
			fi
			sleep 0.05
		done
		echo "$1/json/second"
	    } | "$3" --compact' _ "$BASE" "$seen" "$GATHER"
	assert_success
	assert_equal "$(q '[.results[].ok]')" '[true,true]'
	[ -e "$seen" ] || fail "/json/first was not fetched while stdin was open"
	assert_equal "$(hits /json/second)" 1
}

# --- a mixed file ---------------------------------------------------------------

@test "mixed file: every valid line runs, every broken one is input with its line" {
	local f="$BATS_TEST_TMPDIR/mixed.txt"
	{
		echo '# a comment'                                             # 1
		echo ''                                                        # 2
		echo "$BASE/json/m1"                                           # 3
		echo "{\"url\": \"$BASE/json/m2\", \"name\": \"two\"}"         # 4
		echo "{\"url\": \"$BASE/json/m3\", \"bogus\": true}"           # 5
		echo '   '                                                     # 6
		echo "three=$BASE/json/m4"                                     # 7
		echo 'not a url'                                               # 8
		echo 'ftp://127.0.0.1/x'                                       # 9
		echo "{\"url\": \"$BASE/echo\", \"method\": \"PUT\", \"body\": {\"k\": 1}}" # 10
		echo '{"url": '                                                # 11
		echo "two=$BASE/json/m6"                                       # 12
		printf '%s\r\n' "$BASE/json/m7"                                # 13
		echo '{"name": "n"}'                                           # 14
		echo '  # indented comment?'                                   # 15
		echo "{\"url\": \"$BASE/json/m8\", \"headers\": {\"X-M\": \"8\"}}" # 16
	} >"$f"
	run --separate-stderr timeout 30 "$GATHER" --compact --retry 0 -i "$f"
	assert_failure 1
	# Results in input order (line 15 may be a URL error or skipped).
	assert_equal "$(q '[.results[] | select(.ok) | .url]')" \
	    "[\"$BASE/json/m1\",\"$BASE/json/m2\",\"$BASE/json/m4\",\"$BASE/echo\",\"$BASE/json/m7\",\"$BASE/json/m8\"]"
	assert_equal "$(q '[.results[].index]')" "$(q '[range(.results | length)]')"
	assert_equal "$(q '[.results[] | select(.ok | not) | .error.kind] | unique')" '["input"]'
	assert_equal "$(q '[.results[] | select(.ok | not) | .error.message | capture("^line (?<n>[0-9]+): ").n | tonumber] | map(select(. != 15))')" \
	    '[5,8,9,11,12,14]'
	assert_equal "$(q '[.results[] | if .ok then "ok" else (.error.message | capture("^line (?<n>[0-9]+): ").n) end] | map(select(. != "15"))')" \
	    '["ok","ok","5","ok","8","9","ok","11","12","ok","14","ok"]'
	assert_equal "$(q '[.results[] | select(.ok) | .name // empty]')" '["two","three"]'
	assert_equal "$(q '.results[] | select(.url == "'"$BASE"'/echo") | .body | [.method, .body]')" \
	    '["PUT","{\"k\":1}"]'
	assert_equal "$(q '.results[] | select(.url == "'"$BASE"'/json/m8") | .status')" 200
	for p in m1 m2 m4 m7 m8; do
		assert_equal "$p:$(hits /json/$p)" "$p:1"
	done
	assert_equal "$(hits /json/m3)$(hits /json/m6)$(hits /echo)" 001
	assert_equal "$(total_hits)" 6
	assert_equal "$(j '.summary | [.total, .ok] | @csv')" "$(j '[(.results | length), ([.results[] | select(.ok)] | length)] | @csv')"
	assert_equal "$(j '.summary.errors.input')" "$(j '[.results[] | select(.ok | not)] | length')"
}

@test "spec bodies of different lengths, one after another on one handle, arrive whole" {
	run --separate-stderr bash -c "(echo '{\"url\": \"$BASE/echo\", \"body\": {\"kk\": [1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21]}}'; sleep 0.3; echo '{\"url\": \"$BASE/echo\", \"body\": {\"k\": 1}}'; sleep 0.3; echo '{\"url\": \"$BASE/echo\", \"body\": {\"kkkk\": [1,2,3,4,5,6,7,8,9,10]}}') | '$GATHER' -j 1 --compact"
	assert_success
	assert_equal "$(j '[.results[].body.body] | join("|")')" \
	    '{"kk":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21]}|{"k":1}|{"kkkk":[1,2,3,4,5,6,7,8,9,10]}'
}

@test "a broken spec line is never echoed: its header values stay out of the output" {
	run --separate-stderr bash -c "echo '{\"url\": \"$BASE/json/a\", \"headers\": {\"Authorization\": \"Bearer S3CRET\"}, \"tll\": \"1m\"}' | '$GATHER' --compact"
	assert_failure 1
	assert_equal "$(j '.results[0].error.kind')" input
	refute_output --partial S3CRET
}

@test "a spec with only a url is the same request as the plain line: one fetch" {
	run --separate-stderr bash -c "printf '%s\n' '$BASE/json/d?delay=300' '{\"url\": \"$BASE/json/d?delay=300\"}' | '$GATHER' --compact"
	assert_success
	assert_equal "$(hits /json/d)" 1
	assert_equal "$(j '.results | length')" 2
}
