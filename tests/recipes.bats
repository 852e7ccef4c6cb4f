#!/usr/bin/env bats
# The recipes of README.md and man/gather.1 work as written: the cron lines
# run as cron runs them (sh -c, PATH=/usr/bin:/bin, the binary that make
# install put at the path they name), and the bats recipe passes against
# the fixture server.  Every line is extracted from the documents, so a
# recipe that is edited is the recipe that is tested.

load helpers

ROOT="$BATS_TEST_DIRNAME/.."
README="$ROOT/README.md"
MAN="$ROOT/man/gather.1"

# make, free of the flags and variables of a make that runs the tests.
clean_make() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s "$@"
}

setup_file() {
	local build
	build=$(cd "$(dirname "$GATHER")" && pwd)
	clean_make -C "$ROOT" -o "$build/gather" BUILD="$build" install \
	    DESTDIR="$BATS_FILE_TMPDIR/dest" PREFIX=/usr/local \
	    >"$BATS_FILE_TMPDIR/make.log" 2>&1 || {
		cat "$BATS_FILE_TMPDIR/make.log" >&2
		return 1
	}
	server_start
}

teardown_file() {
	server_stop
}

setup() {
	server_reset
}

# The lines of the README's ```crontab blocks, comments left out.
readme_cron() {
	awk '/^```crontab$/ { f = 1; next } /^```/ { f = 0 }
	    f && !/^#/ && NF' "$README"
}

# The crontab lines of the man page: five time fields, then a command.
# The fleet's line (--redis) needs a Redis: tests/redis.bats runs it.
man_cron() {
	grep -E '^[-0-9*/,]+( [-0-9*/,]+){4} ' "$MAN" | grep -v -- ' --redis '
}

# The README's ```bats block.
readme_bats() {
	awk '/^```bats$/ { f = 1; next } /^```/ { f = 0 } f' "$README"
}

# The man page's bats recipe as rendered: the literal display that starts
# with the #! line, up to the first line indented less than it.
man_bats() {
	mandoc -T ascii "$MAN" | col -bx | awk '
	    /^ *#!\/usr\/bin\/env bats$/ { f = 1; ind = match($0, /[^ ]/) }
	    f && NF && match($0, /[^ ]/) < ind { exit }
	    f'
}

# run_cron LINE URL...: runs the command of crontab LINE as cron would,
# with every absolute path in it moved under a root of its own that holds
# what make install put there, and URL... one a line in its -i file.
# Sets CRON_STATUS, CRON_OUT (stdout), CRON_ERR (stderr) and CRON_ROOT.
run_cron() {
	local line=$1 cmd p
	shift
	CRON_ROOT=$(mktemp -d "$BATS_TEST_TMPDIR/root.XXXXXX")
	cp -R "$BATS_FILE_TMPDIR/dest/." "$CRON_ROOT"
	cmd=$(sed -E 's/^([^ ]+ ){5}//' <<<"$line")
	for p in $(grep -oE '(^| )/[^ ]+' <<<"$cmd"); do
		[ -e "$CRON_ROOT$p" ] || mkdir -p "$CRON_ROOT$(dirname "$p")"
	done
	p=$(grep -oE -- ' -i /[^ ]+' <<<"$cmd" | cut -d' ' -f3)
	[ -n "$p" ] || fail "no -i FILE in: $line"
	printf '%s\n' "$@" >"$CRON_ROOT$p"
	cmd=$(sed -E "s#(^| )/#\\1$CRON_ROOT/#g" <<<"$cmd")
	mkdir -p "$CRON_ROOT/home"
	CRON_STATUS=0
	env -i HOME="$CRON_ROOT/home" LOGNAME=cron SHELL=/bin/sh \
	    PATH=/usr/bin:/bin /bin/sh -c "$cmd" \
	    >"$CRON_ROOT/stdout" 2>"$CRON_ROOT/stderr" || CRON_STATUS=$?
	CRON_OUT=$(cat "$CRON_ROOT/stdout")
	CRON_ERR=$(cat "$CRON_ROOT/stderr")
}

# The -o file of crontab LINE, under CRON_ROOT.
cron_output() {
	echo "$CRON_ROOT$(grep -oE -- ' -o /[^ ]+' <<<"$1" | cut -d' ' -f3)"
}

# All cron recipes, README's first; fails when either document has none.
cron_recipes() {
	local r m
	r=$(readme_cron)
	m=$(man_cron)
	[ -n "$r" ] || { echo "no crontab block in README.md" >&2; return 1; }
	[ "$(wc -l <<<"$m")" -ge 3 ] ||
	    { echo "fewer than 3 crontab lines in gather.1" >&2; return 1; }
	printf '%s\n%s\n' "$r" "$m"
}

@test "recipes: each cron line names the installed binary by its full path" {
	lines=$(cron_recipes)
	while read -r line; do
		bin=$(sed -E 's/^([^ ]+ ){5}//; s/ .*//' <<<"$line")
		assert_equal "$bin" /usr/local/bin/gather
		assert [ -x "$BATS_FILE_TMPDIR/dest$bin" ]
	done <<<"$lines"
}

@test "recipes: a cron line says nothing when every result is ok" {
	lines=$(cron_recipes)
	while read -r line; do
		server_reset
		run_cron "$line" "$BASE/json/a" "$BASE/json/b"
		[ "$CRON_STATUS" -eq 0 ] ||
		    fail "exit $CRON_STATUS from: $line; stderr: $CRON_ERR"
		[ -z "$CRON_OUT$CRON_ERR" ] ||
		    fail "cron would mail '$CRON_OUT$CRON_ERR' for: $line"
		out=$(cron_output "$line")
		assert_equal "$(jq .summary.ok "$out")" 2
		assert_equal "$(hits /json/a)" 1
	done <<<"$lines"
}

@test "recipes: a cron line mails one stderr line naming a failed URL" {
	lines=$(cron_recipes)
	while read -r line; do
		run_cron "$line" "$BASE/json/a" "$BASE/status/404"
		[ "$CRON_STATUS" -eq 1 ] ||
		    fail "exit $CRON_STATUS, not 1, from: $line; stderr: $CRON_ERR"
		assert_equal "$CRON_OUT" ''
		[ "$(grep -c '' <<<"$CRON_ERR")" -eq 1 ] && [ -n "$CRON_ERR" ] ||
		    fail "not one stderr line for: $line; stderr: '$CRON_ERR'"
		[[ $CRON_ERR == "gather: "*"$BASE/status/404"* ]] ||
		    fail "the stderr line does not name the URL: '$CRON_ERR'"
		out=$(cron_output "$line")
		assert_equal "$(jq '.results | length' "$out")" 2
	done <<<"$lines"
}

@test "recipes: the README's bats file passes against the fixture server" {
	readme_bats >"$BATS_TEST_TMPDIR/api.bats"
	[ "$(grep -c '^@test' "$BATS_TEST_TMPDIR/api.bats")" -ge 2 ] ||
	    fail "no bats recipe in README.md"
	mkdir -p "$BATS_TEST_TMPDIR/home"
	run env -i HOME="$BATS_TEST_TMPDIR/home" TERM=dumb API="$BASE" \
	    PATH="$BATS_FILE_TMPDIR/dest/usr/local/bin:/usr/bin:/bin" \
	    bats --tap "$BATS_TEST_TMPDIR/api.bats"
	assert_success
	refute_output --partial 'BW0'
	assert_equal "$(grep -c '^ok ' <<<"$output")" \
	    "$(grep -c '^@test' "$BATS_TEST_TMPDIR/api.bats")"
	# It did ask the server.
	assert_equal "$(hits /status/404)" 1
}

@test "recipes: the man page shows the README's bats file" {
	# Comments aside, and indentation (tabs in one, spaces in the other).
	want=$(readme_bats | grep -v '^# ' | sed -E 's/^[[:space:]]+//')
	got=$(man_bats | sed -E 's/^[[:space:]]+//')
	[ "$(grep -c '^@test' <<<"$got")" -ge 2 ] ||
	    fail "no bats recipe in the man page: '$got'"
	assert_equal "$got" "$want"
}

@test "man: -A is part of the cache key, as the man page says" {
	para=$(mandoc -T ascii "$MAN" | col -bx | awk '
	    /^ +-A agent, --user-agent agent$/ { f = 1; next }
	    f && /^ +-[A-Za-z-]/ { exit }
	    f' | tr -s ' \n' '  ')
	[ -n "$para" ] || fail "no -A in the man page"
	[[ $para == *"-A is part of the cache key"* ]] ||
	    fail "the -A paragraph does not say it is part of the key: $para"
	[[ $para != *"not part of the cache key"* ]] ||
	    fail "the -A paragraph says it is not part of the key: $para"
	# And it is: another agent is another entry, the same one a hit.
	export XDG_CACHE_HOME=$BATS_TEST_TMPDIR/cache
	"$GATHER" --ttl 1h -A one "$BASE/json/ua" >/dev/null
	"$GATHER" --ttl 1h -A two "$BASE/json/ua" >/dev/null
	assert_equal "$(hits /json/ua)" 2
	"$GATHER" --ttl 1h -A one "$BASE/json/ua" >/dev/null
	assert_equal "$(hits /json/ua)" 2
}
