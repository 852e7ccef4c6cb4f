#!/usr/bin/env bats
# How a run is told what counts as ok and when to stop (--ok, --fail-fast),
# curl's habits (-L, -s, -S, -K and the config file), and per-request
# "timeout" and "retry" in specs: checked against what the fixture server
# received.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() { server_reset; }

@test "--ok 2xx,404: a 404 is ok, a 500 is not; the exit status follows" {
	run --separate-stderr "$GATHER" --retry 0 --ok 2xx,404 \
	    "$BASE/status/404" "$BASE/json/a"
	assert_success
	assert_equal "$(j '[.results[].ok] | join(",")')" true,true
	assert_equal "$(j '.results[0].status')" 404
	run --separate-stderr "$GATHER" --retry 0 --ok 2xx,404 \
	    "$BASE/status/404" "$BASE/status/500"
	assert_failure 1
	assert_equal "$(j '.results[1].ok')" false
	assert_equal "$(j '.results[1].error.kind')" http
	assert_equal "$(j '.results[1].error.message')" "HTTP 500"
	# Without --ok, the same 404 fails.
	run --separate-stderr "$GATHER" --retry 0 "$BASE/status/404"
	assert_failure 1
	assert_equal "$(j '.results[0].error.kind')" http
}

@test "--ok replaces the default: an unfollowed redirect fails under 2xx" {
	run --separate-stderr "$GATHER" --max-redirs 0 "$BASE/redirect?to=/json/x"
	assert_success
	run --separate-stderr "$GATHER" --max-redirs 0 --ok 2xx \
	    "$BASE/redirect?to=/json/x"
	assert_failure 1
	assert_equal "$(j '.results[0].status')" 302
	assert_equal "$(j '.results[0].error.kind')" http
}

@test "--ok with a range: a 503 in it is ok and not retried" {
	run --separate-stderr "$GATHER" --retry-delay 1ms --ok 200-299,500-503 \
	    "$BASE/status/503"
	assert_success
	assert_equal "$(j '.results[0].ok')" true
	assert_equal "$(hits /status/503)" 1
}

@test "--ok with a bad value is a usage error and fetches nothing" {
	run "$GATHER" --ok 2xx,abc,404 "$BASE/json/a"
	assert_failure 2
	assert_line -n 0 "gather: --ok: not a status (100-999), class (2xx) or range (200-299): 'abc'"
	assert_line -n 1 "Try 'gather --help' for more."
	run "$GATHER" --ok 299-200 "$BASE/json/a"
	assert_failure 2
	assert_line -n 0 "gather: --ok: not a status (100-999), class (2xx) or range (200-299): '299-200'"
	assert_equal "$(total_hits)" 0
}

@test "--fail-fast: the first failure stops the run; the rest are interrupted" {
	local args=("$BASE/json/s0?delay=5000" "$BASE/status/500") i
	for i in $(seq 2 20); do
		args+=("$BASE/json/s$i?delay=5000")
	done
	run -1 --separate-stderr "$GATHER" --fail-fast -j 2 --retry 0 \
	    "${args[@]}"
	# The output is whole: every input has its result, in order.
	assert_equal "$(j '.results | length')" 21
	assert_equal "$(j '.summary.failed')" 21
	assert_equal "$(j '.results[1].error.message')" "HTTP 500"
	assert_equal "$(j '[.results[] | select(.index != 1) |
	    .error.kind + ": " + .error.message] | unique | join(",")')" \
	    "interrupted: stopped by --fail-fast"
	# Only the two first requests ever reached the server.
	assert_equal "$(hits /json/s0)" 1
	assert_equal "$(hits /status/500)" 1
	assert_equal "$(total_hits)" 2
}

@test "without --fail-fast a failure does not stop the run" {
	run -1 --separate-stderr "$GATHER" -j 2 --retry 0 \
	    "$BASE/status/500" "$BASE/json/a" "$BASE/json/b" "$BASE/json/c"
	assert_equal "$(j '.summary.ok')" 3
	assert_equal "$(total_hits)" 4
}

@test "--fail-fast waits for retries: a request that recovers is no failure" {
	run --separate-stderr "$GATHER" --fail-fast --retry-delay 1ms \
	    "$BASE/flaky/f?fail=1" "$BASE/json/a"
	assert_success
	assert_equal "$(hits /flaky/f)" 2
	assert_equal "$(hits /json/a)" 1
}

@test "--fail-fast: a bad input line is a failure; nothing after it runs" {
	printf '%s\n' 'not a url' "$BASE/json/a" "$BASE/json/b" \
	    >"$BATS_TEST_TMPDIR/in"
	run -1 --separate-stderr "$GATHER" --fail-fast -i "$BATS_TEST_TMPDIR/in"
	assert_equal "$(j '[.results[] | .error.kind] | join(",")')" \
	    input,interrupted,interrupted
	assert_equal "$(total_hits)" 0
}

@test "-L and --location are accepted; redirects are followed either way" {
	run --separate-stderr "$GATHER" -L "$BASE/redirect?to=/json/x"
	assert_success
	assert_equal "$(j '.results[0].status')" 200
	run --separate-stderr "$GATHER" --location "$BASE/redirect?to=/json/y"
	assert_success
	assert_equal "$(hits /json/y)" 1
}

@test "-s is -q: no failure lines; -S brings them back, nothing else" {
	run --separate-stderr "$GATHER" --retry 0 "$BASE/status/404"
	assert_failure 1
	assert_equal "$stderr" "gather: #0 $BASE/status/404: HTTP 404"
	run --separate-stderr "$GATHER" -s --retry 0 "$BASE/status/404"
	assert_failure 1
	assert_equal "$stderr" ""
	run --separate-stderr "$GATHER" --silent --retry 0 "$BASE/status/404"
	assert_equal "$stderr" ""
	# A warning stays quiet under -sS; the failure line does not.
	run --separate-stderr "$GATHER" --retry 0 --cache-max-size 1K \
	    --cache-dir /dev/null/x "$BASE/status/404"
	assert_equal "${stderr_lines[0]}" "gather: warning: --cache-max-size: cache folder /dev/null/x: Not a directory"
	run --separate-stderr "$GATHER" -sS --retry 0 --cache-max-size 1K \
	    --cache-dir /dev/null/x "$BASE/status/404"
	assert_failure 1
	assert_equal "$stderr" "gather: #0 $BASE/status/404: HTTP 404"
	run --separate-stderr "$GATHER" -q --show-error --retry 0 \
	    "$BASE/status/410"
	assert_equal "$stderr" "gather: #0 $BASE/status/410: HTTP 410"
}

# Writes stdin to FILE, readable by its owner only.
config_write() {
	mkdir -p "$(dirname "$1")"
	cat >"$1"
	chmod 600 "$1"
}

@test "-K FILE: every way curl writes an option" {
	config_write "$BATS_TEST_TMPDIR/k" <<-'EOF'
		# A comment, then a blank line.

		   # An indented comment.
		retry = 3
		retry-delay: 1ms
		--header "X-A: dashes and a quoted value"
		header = "X-B: tab\there, \"quotes\", a backslash \\ \q"
		header: X-C:no-spaces
		-H "X-D: short option"
		user-agent=ua/1   # a comment after a value
		--max-redirs 0
		-j 2
		ok "2xx,302"
	EOF
	run --separate-stderr "$GATHER" -K "$BATS_TEST_TMPDIR/k" \
	    "$BASE/echo" "$BASE/flaky/k?fail=3" "$BASE/redirect?to=/json/r"
	assert_success
	assert_equal "$(j '.results[0].body.headers["x-a"]')" \
	    "dashes and a quoted value"
	assert_equal "$(j '.results[0].body.headers["x-b"]')" \
	    "$(printf 'tab\there, "quotes", a backslash \\ q')"
	assert_equal "$(j '.results[0].body.headers["x-c"]')" no-spaces
	assert_equal "$(j '.results[0].body.headers["x-d"]')" "short option"
	assert_equal "$(j '.results[0].body.headers["user-agent"]')" ua/1
	assert_equal "$(hits /flaky/k)" 4
	assert_equal "$(j '.results[2].status')" 302
	assert_equal "$(hits /json/r)" 0
}

@test "-K FILE: where it stands decides; a bad line names file and line" {
	config_write "$BATS_TEST_TMPDIR/k" <<<'user-agent from-file'
	run --separate-stderr "$GATHER" -A before -K "$BATS_TEST_TMPDIR/k" \
	    "$BASE/echo"
	assert_equal "$(j '.results[0].body.headers["user-agent"]')" from-file
	run --separate-stderr "$GATHER" -K "$BATS_TEST_TMPDIR/k" -A after \
	    "$BASE/echo"
	assert_equal "$(j '.results[0].body.headers["user-agent"]')" after
	server_reset
	printf 'retry 1\n\nretyr 2\n' | config_write "$BATS_TEST_TMPDIR/bad"
	run "$GATHER" -K "$BATS_TEST_TMPDIR/bad" "$BASE/json/a"
	assert_failure 2
	assert_line -n 0 "gather: $BATS_TEST_TMPDIR/bad:3: unknown option '--retyr'; did you mean '--retry'?"
	printf 'header = X-A: 1\n' | config_write "$BATS_TEST_TMPDIR/bad"
	run "$GATHER" -K "$BATS_TEST_TMPDIR/bad" "$BASE/json/a"
	assert_failure 2
	assert_line -n 0 "gather: $BATS_TEST_TMPDIR/bad:1: a value with spaces must be quoted"
	run "$GATHER" -K "$BATS_TEST_TMPDIR/none" "$BASE/json/a"
	assert_failure 2
	assert_line -n 0 "gather: --config: $BATS_TEST_TMPDIR/none: No such file or directory"
	assert_equal "$(total_hits)" 0
}

@test "the default config file is read first; --no-config skips it" {
	local xdg="$BATS_TEST_TMPDIR/xdg"
	printf 'header "X-Default: 1"\nuser-agent from-config\n' |
	    config_write "$xdg/gather/config"
	XDG_CONFIG_HOME=$xdg run --separate-stderr "$GATHER" "$BASE/echo"
	assert_success
	assert_equal "$(j '.results[0].body.headers["x-default"]')" 1
	assert_equal "$(j '.results[0].body.headers["user-agent"]')" \
	    from-config
	# The command line wins over it.
	XDG_CONFIG_HOME=$xdg run --separate-stderr "$GATHER" -A cli \
	    "$BASE/echo"
	assert_equal "$(j '.results[0].body.headers["user-agent"]')" cli
	XDG_CONFIG_HOME=$xdg run --separate-stderr "$GATHER" --no-config \
	    "$BASE/echo"
	assert_equal "$(j '.results[0].body.headers["x-default"]')" null
	XDG_CONFIG_HOME=$xdg run "$GATHER" "$BASE/echo" --no-config
	assert_failure 2
	assert_line -n 0 "gather: --no-config: only as the first argument"
	# Without XDG_CONFIG_HOME: ~/.config/gather/config.
	printf 'header "X-Home: 2"\n' |
	    config_write "$BATS_TEST_TMPDIR/home/.config/gather/config"
	HOME=$BATS_TEST_TMPDIR/home XDG_CONFIG_HOME= run --separate-stderr \
	    "$GATHER" "$BASE/echo"
	assert_equal "$(j '.results[0].body.headers["x-home"]')" 2
	# One that is there but cannot be read is an error.
	mkdir -p "$BATS_TEST_TMPDIR/dir/gather/config"
	XDG_CONFIG_HOME=$BATS_TEST_TMPDIR/dir run "$GATHER" "$BASE/echo"
	assert_failure 2
	assert_line -n 0 "gather: $BATS_TEST_TMPDIR/dir/gather/config: Is a directory"
}

@test "a credential in a config file others can read: one warning" {
	local f="$BATS_TEST_TMPDIR/creds"
	printf '%s\n' 'header "Authorization: Bearer s3cret-token"' \
	    'header "Cookie: id=s3cret-cookie"' | config_write "$f"
	chmod 644 "$f"
	run --separate-stderr "$GATHER" -K "$f" -K "$f" "$BASE/echo"
	assert_success
	assert_equal "$stderr" "gather: warning: $f: holds a credential (line 1) and others can read it; chmod go-rw $f"
	chmod 600 "$f"
	server_reset
	run --separate-stderr "$GATHER" -K "$f" "$BASE/echo"
	assert_equal "$stderr" ""
	assert_equal "$(j '.results[0].body.headers.authorization')" \
	    "Bearer s3cret-token"
	# A header that is no credential is no reason to warn.
	printf 'header "X-Token-Name: public"\n' >"$f"
	chmod 644 "$f"
	run --separate-stderr "$GATHER" -K "$f" "$BASE/echo"
	assert_equal "$stderr" ""
	# -q silences it, as every warning.
	printf 'header "Proxy-Authorization: Basic eA=="\n' >"$f"
	run --separate-stderr "$GATHER" -q -K "$f" "$BASE/echo"
	assert_equal "$stderr" ""
}

@test "a config file others can read warns of -u, --oauth2-bearer, --variable, -U, -b and --expand-header" {
	local f="$BATS_TEST_TMPDIR/creds" line
	for line in 'user = "ann:s3cret"' 'oauth2-bearer = "s3cret-token"' \
	    'variable = "tok=s3cret"' \
	    'expand-header = "Authorization: Bearer s3cret"' \
	    'proxy-user = "ann:s3cret"' 'cookie = "sid=s3cret"'; do
		printf '%s\n' "$line" | config_write "$f"
		chmod 644 "$f"
		server_reset
		run --separate-stderr "$GATHER" -K "$f" "$BASE/echo"
		assert_success
		assert_equal "$stderr" "gather: warning: $f: holds a credential (line 1) and others can read it; chmod go-rw $f"
	done
	# The credential itself is used, as from the command line.
	printf '%s\n' 'user = "ann:s3cret"' | config_write "$f"
	run --separate-stderr "$GATHER" -K "$f" "$BASE/echo"
	assert_equal "$stderr" ""
	assert_equal "$(j '.results[0].body.headers.authorization')" \
	    "Basic $(printf 'ann:s3cret' | base64)"
}

@test "a spec's \"retry\" overrides --retry for its request only" {
	printf '%s\n' "{\"url\": \"$BASE/status/503\", \"retry\": 4}" \
	    "{\"url\": \"$BASE/status/502\"}" \
	    "{\"url\": \"$BASE/status/504\", \"retry\": 0}" \
	    >"$BATS_TEST_TMPDIR/in"
	run -1 --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/in" \
	    --retry 1 --retry-delay 1ms
	assert_equal "$(hits /status/503)" 5
	assert_equal "$(hits /status/502)" 2
	assert_equal "$(hits /status/504)" 1
	assert_equal "$(j '[.results[].attempts] | join(",")')" 5,2,1
}

@test "a spec's \"timeout\" overrides -m for its request only" {
	# One transfer at a time: the second reuses the first one's handle.
	printf '%s\n' \
	    "{\"url\": \"$BASE/json/short?delay=3000\", \"timeout\": \"200ms\"}" \
	    "{\"url\": \"$BASE/json/plain?delay=600\"}" \
	    "{\"url\": \"$BASE/json/long?delay=600\", \"timeout\": \"20s\"}" \
	    >"$BATS_TEST_TMPDIR/in"
	run -1 --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/in" \
	    -j 1 -m 10s --retry 0
	assert_equal "$(j '.results[0].error.kind')" timeout
	assert_equal "$(j '.results[1].ok')" true
	assert_equal "$(j '.results[2].ok')" true
	printf '%s\n' \
	    "{\"url\": \"$BASE/json/long2?delay=600\", \"timeout\": \"20s\"}" \
	    "{\"url\": \"$BASE/json/plain2?delay=3000\"}" \
	    >"$BATS_TEST_TMPDIR/in"
	run -1 --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/in" \
	    -j 1 -m 200ms --retry 0
	assert_equal "$(j '.results[0].ok')" true
	assert_equal "$(j '.results[1].error.kind')" timeout
}

@test "bad \"timeout\" and \"retry\" are input errors; unknown keys too" {
	printf '%s\n' "{\"url\": \"$BASE/json/a\", \"retry\": -1}" \
	    "{\"url\": \"$BASE/json/b\", \"retry\": \"2\"}" \
	    "{\"url\": \"$BASE/json/c\", \"timeout\": \"soon\"}" \
	    "{\"url\": \"$BASE/json/d\", \"retries\": 2}" \
	    >"$BATS_TEST_TMPDIR/in"
	run -1 --separate-stderr "$GATHER" -i "$BATS_TEST_TMPDIR/in"
	assert_equal "$(j '[.results[].error.kind] | unique | join(",")')" input
	assert_equal "$(j '.results[0].error.message')" \
	    'line 1: "retry" must be a whole number from 0 to 100'
	assert_equal "$(j '.results[1].error.message')" \
	    'line 2: "retry" must be a whole number from 0 to 100'
	assert_equal "$(j '.results[2].error.message')" \
	    'line 3: "timeout": invalid duration: "soon"'
	assert_equal "$(j '.results[3].error.message')" \
	    'line 4: unknown key "retries"'
	assert_equal "$(total_hits)" 0
}

@test "--expand-url URLs come before the URL arguments, wherever they stand" {
	run --separate-stderr "$GATHER" --compact --variable P=a "$BASE/json/b" \
	    --expand-url "$BASE/json/{{P}}"
	assert_success
	assert_equal "$(j -c '[.results[].url]')" "[\"$BASE/json/a\",\"$BASE/json/b\"]"
}
