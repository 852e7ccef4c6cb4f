#!/usr/bin/env bats
# Credentials and variables (issue 13, items 1 and 2): -u, --oauth2-bearer,
# netrc files and the spec keys "user" and "bearer" reach the server (its
# /_/log) and never stdout, stderr under -v, the cache folder or
# "gather cache list"; credentials are in the cache key; --variable keeps
# a token out of argv (/proc/PID/cmdline of a running gather); the expand
# options, curl's four functions, -H @FILE and --secret-header.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() {
	server_reset
	export GATHER_CACHE_DIR="$BATS_TEST_TMPDIR/cache"
	GPID=
}
teardown() {
	if [ -n "${GPID:-}" ]; then
		kill "$GPID" 2>/dev/null || true
		wait "$GPID" 2>/dev/null || true
	fi
}

# The headers of the last request for PATH the server logged, as JSON.
logged_headers() {
	curl -sf "$BASE/_/log?path=$1" | jq -c '.[-1].headers'
}

# The Authorization header of the last request for PATH, or "null".
logged_auth() {
	curl -sf "$BASE/_/log?path=$1" | jq -r '.[-1].headers.authorization'
}

# Fails when any of the strings given shows in stdout or stderr of the
# last run, in any file of the cache folder (the database too) or in
# "gather cache list".
assert_hidden() {
	local s list
	list=$("$GATHER" cache list 2>&1)
	for s; do
		[[ $output != *"$s"* ]] || fail "'$s' in stdout: $output"
		[[ $stderr != *"$s"* ]] || fail "'$s' in stderr: $stderr"
		[[ $list != *"$s"* ]] || fail "'$s' in cache list: $list"
		if [ -d "$GATHER_CACHE_DIR" ] &&
		    grep -rqaF -- "$s" "$GATHER_CACHE_DIR"; then
			fail "'$s' in the cache folder"
		fi
	done
}

@test "-u: basic auth reaches the server, never stdout, -v, the cache or cache list" {
	run --separate-stderr "$GATHER" --compact -v --ttl 1h \
	    -u alice:pw-9f3k2 "$BASE/json/u"
	[ "$status" -eq 0 ]
	assert_equal "$(logged_auth /json/u)" \
	    "Basic $(printf alice:pw-9f3k2 | base64)"
	[[ $stderr == *"GET $BASE/json/u attempt 1: 200"* ]]
	assert_equal "$("$GATHER" cache list | jq -r .url)" "$BASE/json/u"
	assert_hidden pw-9f3k2 "$(printf alice:pw-9f3k2 | base64)"
}

@test "--oauth2-bearer: the token reaches the server, never stdout, -v, the cache or cache list" {
	run --separate-stderr "$GATHER" --compact -v --ttl 1h \
	    --oauth2-bearer tok-77ab1 "$BASE/json/b"
	[ "$status" -eq 0 ]
	assert_equal "$(logged_auth /json/b)" "Bearer tok-77ab1"
	[ "$("$GATHER" cache list | jq -s length)" -eq 1 ]
	assert_hidden tok-77ab1
}

@test "-u and --oauth2-bearer: the last one given is sent" {
	run "$GATHER" --compact --oauth2-bearer t1 -u bob:pw "$BASE/json/l1"
	[ "$status" -eq 0 ]
	assert_equal "$(logged_auth /json/l1)" "Basic $(printf bob:pw | base64)"
	run "$GATHER" --compact -u bob:pw --oauth2-bearer t1 "$BASE/json/l2"
	[ "$status" -eq 0 ]
	assert_equal "$(logged_auth /json/l2)" "Bearer t1"
}

@test "-u without a colon is a usage error that does not repeat it" {
	run --separate-stderr "$GATHER" -u onlyname-8c1 "$BASE/json/x"
	[ "$status" -eq 2 ]
	[[ $stderr == *"--user: want USER:PASSWORD"* ]]
	[[ $stderr != *onlyname-8c1* ]]
	[ "$(total_hits)" -eq 0 ]
}

@test "--netrc-file: the file's login reaches the server, never stdout, -v or the cache" {
	printf 'machine 127.0.0.1\nlogin carol\npassword np-51xq\n' \
	    >"$BATS_TEST_TMPDIR/netrc"
	run --separate-stderr "$GATHER" --compact -v --ttl 1h \
	    --netrc-file "$BATS_TEST_TMPDIR/netrc" "$BASE/json/n"
	[ "$status" -eq 0 ]
	assert_equal "$(logged_auth /json/n)" \
	    "Basic $(printf carol:np-51xq | base64)"
	assert_hidden np-51xq "$(printf carol:np-51xq | base64)"
}

@test "--netrc reads \$HOME/.netrc and needs it; --netrc-optional does not" {
	export HOME="$BATS_TEST_TMPDIR/home"
	mkdir -p "$HOME"
	run --separate-stderr "$GATHER" --compact --netrc "$BASE/json/h0"
	[ "$status" -eq 2 ]
	[[ $stderr == *"--netrc: $HOME/.netrc: No such file or directory"* ]]
	run "$GATHER" --compact --netrc-optional "$BASE/json/h1"
	[ "$status" -eq 0 ]
	assert_equal "$(logged_auth /json/h1)" null
	printf 'machine 127.0.0.1 login dave password hp-0q7\n' >"$HOME/.netrc"
	run "$GATHER" --compact --netrc "$BASE/json/h2"
	[ "$status" -eq 0 ]
	assert_equal "$(logged_auth /json/h2)" \
	    "Basic $(printf dave:hp-0q7 | base64)"
	run "$GATHER" --compact --netrc-file "$BATS_TEST_TMPDIR/none" \
	    "$BASE/json/h3"
	[ "$status" -eq 2 ]
	[ "$(hits /json/h3)" -eq 0 ]
}

@test "two users never share a cache entry; the same user does" {
	local url="$BASE/json/shared"
	run "$GATHER" --compact --ttl 1h -u ann:1 "$url"
	assert_equal "$(j '.results[0].cache')" miss
	run "$GATHER" --compact --ttl 1h -u ben:2 "$url"
	assert_equal "$(j '.results[0].cache')" miss
	run "$GATHER" --compact --ttl 1h --oauth2-bearer ann:1 "$url"
	assert_equal "$(j '.results[0].cache')" miss
	run "$GATHER" --compact --ttl 1h "$url"
	assert_equal "$(j '.results[0].cache')" miss
	[ "$(hits /json/shared)" -eq 4 ]
	run "$GATHER" --compact --ttl 1h -u ann:1 "$url"
	assert_equal "$(j '.results[0].cache')" hit
	run "$GATHER" --compact --ttl 1h -u ben:2 "$url"
	assert_equal "$(j '.results[0].cache')" hit
	[ "$(hits /json/shared)" -eq 4 ]
}

@test "spec users never share an entry, nor a fetch within one run" {
	local url="$BASE/json/specs"
	run "$GATHER" --compact --ttl 1h <<EOF
{"url": "$url", "user": "ann:1"}
{"url": "$url", "user": "ben:2"}
{"url": "$url", "bearer": "tok"}
{"url": "$url", "user": "ann:1"}
EOF
	[ "$status" -eq 0 ]
	# The fourth is the first's twin: one fetch, or a hit after it.
	[ "$(hits /json/specs)" -eq 3 ]
	curl -sf "$BASE/_/log?path=/json/specs" |
	    jq -r '.[].headers.authorization' | sort >"$BATS_TEST_TMPDIR/got"
	printf '%s\n' "Basic $(printf ann:1 | base64)" \
	    "Basic $(printf ben:2 | base64)" "Bearer tok" | sort |
	    diff - "$BATS_TEST_TMPDIR/got"
}

@test "netrc files with different logins never share an entry" {
	printf 'machine 127.0.0.1 login a password 1\n' >"$BATS_TEST_TMPDIR/n1"
	printf 'machine 127.0.0.1 login b password 2\n' >"$BATS_TEST_TMPDIR/n2"
	run "$GATHER" --compact --ttl 1h --netrc-file "$BATS_TEST_TMPDIR/n1" \
	    "$BASE/json/nk"
	run "$GATHER" --compact --ttl 1h --netrc-file "$BATS_TEST_TMPDIR/n2" \
	    "$BASE/json/nk"
	assert_equal "$(j '.results[0].cache')" miss
	run "$GATHER" --compact --ttl 1h --netrc-file "$BATS_TEST_TMPDIR/n1" \
	    "$BASE/json/nk"
	assert_equal "$(j '.results[0].cache')" hit
	[ "$(hits /json/nk)" -eq 2 ]
}

@test "spec: \"user\" and \"bearer\" together, or a user without a colon, are bad inputs" {
	run --separate-stderr "$GATHER" --compact <<EOF
{"url": "$BASE/json/s1", "user": "a:1", "bearer": "t"}
{"url": "$BASE/json/s2", "user": "secretnocolon"}
$BASE/json/s3
EOF
	[ "$status" -eq 1 ]
	assert_equal "$(j '.results[0].error.message')" \
	    'line 1: "user" and "bearer" cannot be used together'
	assert_equal "$(j '.results[1].error.message')" \
	    'line 2: "user": want "USER:PASSWORD"'
	assert_equal "$(j '.results[2].ok')" true
	[[ $output$stderr != *secretnocolon* ]]
	[ "$(total_hits)" -eq 1 ]
}

@test "--variable %TOKEN: the token only in the environment, never in argv" {
	TOKEN=env-tok-4d2 "$GATHER" --compact --variable %TOKEN \
	    --expand-header 'Authorization: Bearer {{TOKEN}}' \
	    "$BASE/json/slow?delay=3000" >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	GPID=$!
	wait_hits /json/slow
	# The running gather's argv, as ps shows it.
	tr '\0' ' ' <"/proc/$GPID/cmdline" >"$BATS_TEST_TMPDIR/argv"
	grep -q -- '--variable %TOKEN' "$BATS_TEST_TMPDIR/argv"
	! grep -q env-tok-4d2 "$BATS_TEST_TMPDIR/argv"
	! ps -ww -o args= -p "$GPID" | grep -q env-tok-4d2
	wait "$GPID"
	GPID=
	assert_equal "$(logged_auth /json/slow)" "Bearer env-tok-4d2"
	! grep -q env-tok-4d2 "$BATS_TEST_TMPDIR/out"
}

@test "-u and --oauth2-bearer are blanked out of argv once read" {
	"$GATHER" --compact -u eve:argv-pw-3k --oauth2-bearer argv-tok-8z \
	    "$BASE/json/slow2?delay=3000" >/dev/null 2>&1 3>&- &
	GPID=$!
	wait_hits /json/slow2
	tr '\0' ' ' <"/proc/$GPID/cmdline" >"$BATS_TEST_TMPDIR/argv"
	! grep -q argv-pw-3k "$BATS_TEST_TMPDIR/argv"
	! grep -q argv-tok-8z "$BATS_TEST_TMPDIR/argv"
	grep -q -- "-u \*\*\*" "$BATS_TEST_TMPDIR/argv"
	wait "$GPID"
	GPID=
	assert_equal "$(logged_auth /json/slow2)" "Bearer argv-tok-8z"
}

@test "--variable %NAME: unset is a usage error, exit 2; %NAME=DEFAULT when unset" {
	run --separate-stderr env -u GATHER_NOPE "$GATHER" \
	    --variable %GATHER_NOPE "$BASE/json/v"
	[ "$status" -eq 2 ]
	assert_equal "${stderr%%$'\n'*}" \
	    "gather: --variable: GATHER_NOPE is not set in the environment"
	[ "$(total_hits)" -eq 0 ]
	run env -u GATHER_NOPE "$GATHER" --compact \
	    --variable %GATHER_NOPE=dflt \
	    --expand-header 'X-V: {{GATHER_NOPE}}' "$BASE/json/v"
	[ "$status" -eq 0 ]
	assert_equal "$(logged_headers /json/v | jq -r '.["x-v"]')" dflt
	run env GATHER_NOPE=set "$GATHER" --compact \
	    --variable %GATHER_NOPE=dflt \
	    --expand-header 'X-V: {{GATHER_NOPE}}' "$BASE/json/v"
	assert_equal "$(logged_headers /json/v | jq -r '.["x-v"]')" set
}

@test "--variable NAME@FILE: the file's content, :trim drops its newline" {
	printf 'file-tok-6t\n' >"$BATS_TEST_TMPDIR/tok"
	run "$GATHER" --compact --variable "T@$BATS_TEST_TMPDIR/tok" \
	    --expand-header 'Authorization: Bearer {{T:trim}}' "$BASE/json/f"
	[ "$status" -eq 0 ]
	assert_equal "$(logged_auth /json/f)" "Bearer file-tok-6t"
	run --separate-stderr "$GATHER" --variable "T@$BATS_TEST_TMPDIR/none" \
	    "$BASE/json/f"
	[ "$status" -eq 2 ]
	[[ $stderr == *"--variable: $BATS_TEST_TMPDIR/none: No such file"* ]]
}

@test "every function, by exact output" {
	local v=$'  a b&c/\xc3\xa9"q\\\x01\n '
	run "$GATHER" --compact --variable "V=$v" --expand-data \
	    '[{{V}}]|{{V:trim}}|{{V:json}}|{{V:url}}|{{V:b64}}|{{V:trim:url}}|{{V:trim:b64}}|{{V:trim:json}}|\{{V}}' \
	    "$BASE/echo"
	[ "$status" -eq 0 ]
	local want
	want="[$v]|a b&c/"$'\xc3\xa9"q\\\x01'"|"
	want+='  a b&c/\u00e9\"q\\\u0001\n |'
	want=${want/\\u00e9/$'\xc3\xa9'}
	want+='%20%20a%20b%26c%2F%C3%A9%22q%5C%01%0A%20|'
	want+="$(printf '%s' "$v" | base64 -w0)|"
	want+='a%20b%26c%2F%C3%A9%22q%5C%01|'
	want+="$(printf '%s' "${v:2:11}" | base64 -w0)|"
	want+=$'a b&c/\xc3\xa9\\"q\\\\\\u0001|{{V}}'
	assert_equal "$(j '.results[0].body.body')" "$want"
}

@test "--expand-url and --expand-header: variables replaced; an unset one is a usage error" {
	run "$GATHER" --compact --variable P=exp --variable Q='a b' \
	    --expand-url "$BASE/json/{{P}}?q={{Q:url}}" \
	    --expand-header 'X-Q: [{{Q}}]'
	[ "$status" -eq 0 ]
	assert_equal "$(j '.results[0].url')" "$BASE/json/exp?q=a%20b"
	assert_equal "$(logged_headers /json/exp | jq -r '.["x-q"]')" '[a b]'
	run --separate-stderr "$GATHER" --expand-url "$BASE/json/{{NOPE}}"
	[ "$status" -eq 2 ]
	[[ $stderr == *"--expand-url: {{NOPE}}: no such variable"* ]]
	run --separate-stderr "$GATHER" --variable K=1 \
	    --expand-header 'X: {{K:upper}}' "$BASE/json/x"
	[ "$status" -eq 2 ]
	[[ $stderr == *"unknown function 'upper'"* ]]
	# A variable is known only after its --variable, as in curl.
	run "$GATHER" --expand-header 'X: {{K}}' --variable K=1 "$BASE/json/x"
	[ "$status" -eq 2 ]
	[ "$(total_hits)" -eq 1 ]
}

@test "--expand-header: a bad header is quoted as typed, not expanded" {
	run --separate-stderr env SEC=hdr-sec-2m "$GATHER" --variable %SEC \
	    --expand-header 'Authorization {{SEC}}' "$BASE/json/x"
	[ "$status" -eq 2 ]
	[[ $stderr == *"got 'Authorization {{SEC}}' (before expansion)"* ]]
	[[ $stderr != *hdr-sec-2m* ]]
}

@test "spec: variables in the url, headers, user, bearer, string and JSON bodies" {
	run env TOKEN=spec-tok-1a K=' kv ' "$GATHER" --compact \
	    --variable %TOKEN --variable %K <<EOF
{"url": "$BASE/echo", "bearer": "{{TOKEN}}", "headers": {"X-K": "{{K:trim}}"}, "body": {"a": "{{K}}", "n": 12345678901234567890, "{{K}}": ["x{{K:b64}}", "\\\\{{K}}"]}}
{"url": "$BASE/json/{{K:trim}}", "user": "u:{{TOKEN}}", "body": "t={{K:url}}"}
EOF
	[ "$status" -eq 0 ]
	assert_equal "$(j '.results[0].body.headers.authorization')" \
	    "Bearer spec-tok-1a"
	assert_equal "$(j '.results[0].body.headers["x-k"]')" kv
	assert_equal "$(j '.results[0].body.body')" \
	    '{"a":" kv ","n":12345678901234567890,"{{K}}":["xIGt2IA==","{{K}}"]}'
	assert_equal "$(j '.results[1].url')" "$BASE/json/kv"
	assert_equal "$(logged_auth /json/kv)" \
	    "Basic $(printf u:spec-tok-1a | base64)"
}

@test "spec: an unset {{X}} is an input error for that line alone" {
	run --separate-stderr "$GATHER" --compact --variable A=1 <<EOF
{"url": "$BASE/json/a{{A}}"}
{"url": "$BASE/json/b", "headers": {"Authorization": "Bearer {{MISSING}}"}}
{"url": "$BASE/json/c", "body": {"k": ["{{ALSO_MISSING:trim}}"]}}
EOF
	[ "$status" -eq 1 ]
	assert_equal "$(j '.results[0].ok')" true
	assert_equal "$(j '.results[0].url')" "$BASE/json/a1"
	assert_equal "$(j '.results[1].error.kind')" input
	assert_equal "$(j '.results[1].error.message')" \
	    'line 2: "headers": {{MISSING}}: no such variable (set it with --variable)'
	assert_equal "$(j '.results[2].error.message')" \
	    'line 3: "body": {{ALSO_MISSING}}: no such variable (set it with --variable)'
	[ "$(total_hits)" -eq 1 ]
}

@test "-H @FILE: one header a line, empty lines and CRLF as curl reads them" {
	printf 'X-One: 1\r\n\nAuthorization: Bearer file-hdr-9p\nX-Two: two\n' \
	    >"$BATS_TEST_TMPDIR/h"
	run --separate-stderr "$GATHER" --compact -v -H "@$BATS_TEST_TMPDIR/h" \
	    "$BASE/json/hf"
	[ "$status" -eq 0 ]
	assert_equal "$(logged_headers /json/hf |
	    jq -c '[.["x-one"], .authorization, .["x-two"]]')" \
	    '["1","Bearer file-hdr-9p","two"]'
	assert_hidden file-hdr-9p
	# A bad line is named by its number, never by what it holds.
	printf 'X-Ok: 1\nsecret-line-4u\n' >"$BATS_TEST_TMPDIR/bad"
	run --separate-stderr "$GATHER" -H "@$BATS_TEST_TMPDIR/bad" \
	    "$BASE/json/hf"
	[ "$status" -eq 2 ]
	[[ $stderr == *"--header: $BATS_TEST_TMPDIR/bad, line 2: want 'Name: value'"* ]]
	[[ $stderr != *secret-line-4u* ]]
	run "$GATHER" -H "@$BATS_TEST_TMPDIR/none" "$BASE/json/hf"
	[ "$status" -eq 2 ]
	[ "$(hits /json/hf)" -eq 1 ]
}

@test "-H @- reads stdin, which then cannot be the input" {
	run "$GATHER" --compact -H @- "$BASE/json/hs" <<<'X-In: stdin'
	[ "$status" -eq 0 ]
	assert_equal "$(logged_headers /json/hs | jq -r '.["x-in"]')" stdin
	run --separate-stderr "$GATHER" -H @- <<<'X-In: stdin'
	[ "$status" -eq 2 ]
	[[ $stderr == *"--header: '@-' cannot be used when the inputs come from stdin"* ]]
}

@test "--headers: secret headers show as ***, --secret-header adds to them" {
	run "$GATHER" --compact --headers --secret-header x-api-key \
	    "$BASE/headers?X-Api-Key=k-51&Authorization=a-51&Cookie=c-51&X-Other=o-51"
	[ "$status" -eq 0 ]
	assert_equal "$(j -c '.results[0].headers |
	    [.["x-api-key"], .authorization, .cookie, .["x-other"]]')" \
	    '["***","***","***","o-51"]'
	# The route echoes its query in the body too: only headers count.
	local h
	h=$(j -c '.results[0].headers')
	[[ $h != *k-51* && $h != *a-51* && $h != *c-51* && $h == *o-51* ]] ||
	    fail "a secret in the headers: $h"
	# Without --secret-header, X-Api-Key is shown as any header is.
	run "$GATHER" --compact --headers "$BASE/headers?X-Api-Key=k-51"
	assert_equal "$(j -r '.results[0].headers["x-api-key"]')" k-51
	run --separate-stderr "$GATHER" --secret-header 'Bad Name' "$BASE/x"
	[ "$status" -eq 2 ]
}

@test "--secret-header with --expand-header: the value reaches the server, not the output" {
	run --separate-stderr env K=xk-sec-7 "$GATHER" --compact -v --ttl 1h \
	    --headers --secret-header X-Key --variable %K \
	    --expand-header 'X-Key: {{K}}' "$BASE/json/sh"
	[ "$status" -eq 0 ]
	assert_equal "$(logged_headers /json/sh | jq -r '.["x-key"]')" xk-sec-7
	assert_hidden xk-sec-7
}
