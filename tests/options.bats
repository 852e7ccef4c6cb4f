#!/usr/bin/env bats
# Options as getopt users expect: each refusal by its exact message, exit
# status 2 and nothing fetched; a short usage when there is no input on a
# terminal; and --help grouped, sorted and narrow, made from the table.

bats_require_minimum_version 1.5.0

load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() { server_reset; }

OPTIONS_C="$BATS_TEST_DIRNAME/../cmd/options.c"
TRY="Try 'gather --help' for more."

# refused MESSAGE ARGS...: gather, given a URL of the fixture server and
# ARGS, exits 2 with nothing on stdout, exactly "gather: MESSAGE" and the
# Try line on stderr, and fetches nothing.
refused() {
	local want=$1
	shift
	run --separate-stderr "$GATHER" "$BASE/json/never" "$@"
	assert_failure 2
	assert_output ""
	assert_equal "$stderr" "gather: $want"$'\n'"$TRY"
	assert_equal "$(total_hits)" 0
}

# The long options of the table in cmd/options.c, in its order.
table_options() {
	sed -n '/^static const struct option_def option_defs/,/^};/s/^\t{ "\([a-z][a-z0-9.-]*\)",.*/\1/p' \
	    "$OPTIONS_C"
}

# "SECTION<tab>NAME" for each option line of --help, in its order.
help_sections() {
	"$GATHER" --help | awk '
		/^[A-Z][A-Za-z ]*:$/ { section = substr($0, 1, length($0) - 1) }
		/^  (-[A-Za-z0-9], |    )--[a-z]/ {
			sub(/^  (-[A-Za-z0-9], |    )--/, "")
			sub(/[ =].*/, "")
			print section "\t" $0
		}'
}

@test "a flag given a value: option doesn't allow an argument" {
	refused "option '--pretty' doesn't allow an argument" --pretty=1
	refused "option '--pretty' doesn't allow an argument" --pre=1
	refused "option '--no-cache' doesn't allow an argument" --no-cache=
}

@test "an ambiguous prefix lists every possibility in table order" {
	refused "option '--ret' is ambiguous; possibilities: '--retry' '--retry-delay' '--retry-max-delay' '--retry-on' '--retry-unsafe'" \
	    --ret 3
	refused "option '--cache' is ambiguous; possibilities: '--cache-dir' '--cache-max-size'" \
	    --cache=x
}

@test "an unknown option gets a suggestion only when one is close" {
	refused "unknown option '--retyr'; did you mean '--retry'?" --retyr 3
	refused "unknown option '--retyr'; did you mean '--retry'?" --retyr=3
	refused "unknown option '--concurency'; did you mean '--concurrency'?" \
	    --concurency 4
	refused "unknown option '--no-such-option'" --no-such-option
	refused "unknown option '--xy'" --xy
	refused "unknown option '-Z'" -Z
}

@test "an unknown option's control bytes are shown escaped" {
	refused "unknown option '-\\033'" $'-\e'
	[[ "$stderr" != *$'\e'* ]] || fail "a raw ESC reached stderr"
}

@test "a missing value: option requires an argument" {
	refused "option '--timeout' requires an argument" --timeout
	refused "option '--timeout' requires an argument" --time
	refused "option '-j' requires an argument" -j
}

@test "a short option's value glued with '=' is refused with a hint" {
	mkdir "$BATS_TEST_TMPDIR/cwd"
	cd "$BATS_TEST_TMPDIR/cwd"
	refused "-o: value '=out.json' starts with '='; did you mean '-o out.json' or '--output=out.json'?" \
	    -o=out.json
	refused "-j: value '=4' starts with '='; did you mean '-j 4' or '--concurrency=4'?" \
	    -j=4
	refused "-o: value '=' starts with '='; did you mean '-o FILE' or '--output=FILE'?" \
	    -qo=
	run ls -A "$BATS_TEST_TMPDIR/cwd"
	assert_output ""
}

@test "a value starting with '=' in its own argument is taken as given" {
	cd "$BATS_TEST_TMPDIR"
	run --separate-stderr "$GATHER" -o =out.json "$BASE/json/a"
	assert_success
	assert_equal "$(jq -r '.results[0].ok' =out.json)" true
	assert_equal "$(hits /json/a)" 1
}

@test "an unambiguous prefix and an exact name are accepted" {
	run --separate-stderr "$GATHER" --conc 2 --retry 0 --compa "$BASE/json/a"
	assert_success
	assert_equal "$(j '.results[0].ok')" true
	assert_equal "${#lines[@]}" 1
}

@test "no input on a terminal: a short usage, the Try line, exit 2" {
	run timeout 20 script -qec "'$GATHER'" /dev/null
	assert_failure 2
	assert_equal "$(tr -d '\r' <<<"$output")" "gather: no URLs given
usage: gather [OPTIONS] [URL | NAME=URL]...
       gather [OPTIONS] -i FILE
       cmd | gather [OPTIONS]
$TRY"
}

@test "--help: every line is at most 79 columns" {
	run "$GATHER" --help
	assert_success
	run awk 'length($0) > 79 { print length($0) ": " $0 }' <<<"$output"
	assert_output ""
}

@test "--help: the sections, in order, and the last line" {
	local want
	want=$'Input\nRequests\nPagination\nConcurrency and retries\nCache\nOutput\nRun control'
	run bash -c "'$GATHER' --help | sed -n 's/^\([A-Z][A-Za-z ]*\):\$/\1/p'"
	assert_success
	assert_output "$want"
	run bash -c "'$GATHER' --help | tail -n 1"
	assert_output "See gather(1) for the whole manual and examples."
}

@test "--help: options sorted within each section, each in one section" {
	local s names
	run help_sections
	assert_success
	[ "${#lines[@]}" -ge 40 ] || fail "only ${#lines[@]} options in --help"
	for s in Input Requests 'Concurrency and retries' Cache Output \
	    'Run control'; do
		names=$(awk -F '\t' -v s="$s" '$1 == s { print $2 }' <<<"$output")
		[ -n "$names" ] || fail "section '$s' is empty"
		assert_equal "$names" "$(LC_ALL=C sort <<<"$names")"
	done
	assert_equal "$(cut -f 2 <<<"$output" | LC_ALL=C sort)" \
	    "$(cut -f 2 <<<"$output" | LC_ALL=C sort -u)"
}

@test "--help: every option of the table is listed, defaults in brackets" {
	local o missing=
	run table_options
	[ "${#lines[@]}" -ge 40 ] || fail "only ${#lines[@]} rows found in the table"
	for o in "${lines[@]}"; do
		help_sections | cut -f 2 | grep -qxF -- "$o" ||
		    missing="$missing --$o"
	done
	[ -z "$missing" ] || fail "not in --help:$missing"
	run "$GATHER" --help
	assert_line --regexp '^  -j, --concurrency N +.* \[32\]$'
	assert_line --regexp '^  -m, --timeout DUR +.* \[30s\]$'
	assert_line --regexp '^      --retry N +.* \[2\]$'
}

@test "the option table is sorted and the parse switch follows it" {
	local ids cases
	run table_options
	assert_equal "$output" "$(LC_ALL=C sort <<<"$output")"
	ids=$(sed -n '/^static const struct option_def option_defs/,/^};/s/^\t{ "[^"]*", [^,]*, \(OPT_[A-Z_]*\),.*/\1/p' \
	    "$OPTIONS_C")
	cases=$(sed -n '/^option_apply(/,/^}/s/^\tcase \(OPT_[A-Z_]*\):.*/\1/p' \
	    "$OPTIONS_C" | grep -vx OPT_LONG)
	[ -n "$ids" ] || fail "no ids found in the table"
	assert_equal "$cases" "$ids"
}
