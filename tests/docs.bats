#!/usr/bin/env bats
# The documentation keeps up with the binary: every option --help lists is
# in the man page and in the bash, zsh and fish completions, and --help,
# --version and the bash completion behave.

load helpers

ROOT="$BATS_TEST_DIRNAME/.."
MAN="$ROOT/man/gather.1"
BASH_COMP="$ROOT/completions/gather.bash"
ZSH_COMP="$ROOT/completions/_gather"
FISH_COMP="$ROOT/completions/gather.fish"

# The long options --help lists, one a line, without their dashes.
long_options() {
	"$GATHER" --help | grep -oE -- '--[a-z][a-z0-9-]*(\.[0-9]+)?' |
	    sed 's/^--//' |
	    sort -u
}

# The short options --help lists ("  -j, --concurrency N"), letter only.
short_options() {
	"$GATHER" --help | sed -nE 's/^ +-([A-Za-z0-9]),.*/\1/p' | sort -u
}

# Fails unless --help gave at least a sane number of options, so that a
# broken extraction cannot make every other test pass vacuously.
check_extracted() {
	local n
	n=$(long_options | wc -l)
	[ "$n" -ge 10 ] || fail "only $n long options found in --help"
	n=$(short_options | wc -l)
	[ "$n" -ge 5 ] || fail "only $n short options found in --help"
}

# The man page as text, with Unicode hyphens and minus signs made ASCII.
rendered_man() {
	MANWIDTH=200 MAN_KEEP_FORMATTING= man -l "$MAN" 2>/dev/null |
	    col -b | sed 's/\xe2\x88\x92/-/g; s/\xe2\x80\x90/-/g'
}

# Fails listing the long options for which "$1 NAME" (a grep -E pattern
# builder) finds nothing in file $2.
check_long() {
	local file=$1 pattern=$2 o missing=
	[ -f "$file" ] || fail "$file does not exist"
	for o in $(long_options); do
		grep -qE -- "${pattern//NAME/$o}" "$file" ||
		    missing="$missing --$o"
	done
	[ -z "$missing" ] || fail "missing from ${file#"$ROOT"/}:$missing"
}

# Runs the bash completion for the words given; prints COMPREPLY a line.
bash_complete() {
	bash -c '
		source "$1" || exit 1
		shift
		fn=$(complete -p gather 2>/dev/null |
		    sed -nE "s/.*-F ([^ ]+) .*/\1/p")
		[ -n "$fn" ] || { echo "no complete -F for gather" >&2; exit 1; }
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		"$fn" gather "${COMP_WORDS[COMP_CWORD]}" \
		    "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"
	' bash "$BASH_COMP" "$@"
}

@test "help: every long option is in the man page" {
	check_extracted
	local o text missing= unmarked=
	[ -f "$MAN" ] || fail "man/gather.1 does not exist"
	command -v man >/dev/null && text=$(rendered_man)
	for o in $(long_options); do
		grep -qF -- "Fl \\-$o" "$MAN" || unmarked="$unmarked --$o"
		if [ -n "$text" ]; then
			grep -qE -- "(^|[^a-z-])--$o([^a-z-]|\$)" <<<"$text" ||
			    missing="$missing --$o"
		fi
	done
	[ -z "$unmarked$missing" ] ||
	    fail "man/gather.1: without 'Fl \\-NAME' markup:${unmarked:- none};" \
	    "missing from the rendered page:${missing:- none}"
}

@test "help: every long option is in completions/gather.bash" {
	check_extracted
	check_long "$BASH_COMP" '(^|[^a-z-])--NAME([^a-z-]|$)'
	# And the completion really offers each one.
	local o offered missing=
	offered=$(bash_complete gather --) || fail "bash completion failed"
	for o in $(long_options); do
		grep -qxF -- "--$o" <<<"$offered" || missing="$missing --$o"
	done
	[ -z "$missing" ] ||
	    fail "not offered by completions/gather.bash for '--':$missing"
}

@test "help: every long option is in completions/_gather" {
	check_extracted
	check_long "$ZSH_COMP" '(^|[^a-z-])--NAME([^a-z-]|$)'
}

@test "help: every long option is in completions/gather.fish" {
	check_extracted
	check_long "$FISH_COMP" \
	    '(^|[[:space:]])(-l|--long-option)[[:space:]=]+NAME([[:space:]]|$)'
}

@test "help: every short option is in all three completions" {
	check_extracted
	local o offered missing=
	offered=$(bash_complete gather -) || fail "bash completion failed"
	for o in $(short_options); do
		grep -qxF -- "-$o" <<<"$offered" ||
		    missing="$missing gather.bash:-$o"
		grep -qE -- "(^|[^A-Za-z0-9-])-$o([^A-Za-z0-9-]|\$)" \
		    "$ZSH_COMP" || missing="$missing _gather:-$o"
		grep -qE -- "(^|[[:space:]])(-s|--short-option)[[:space:]=]+$o([[:space:]]|\$)" \
		    "$FISH_COMP" || missing="$missing gather.fish:-$o"
	done
	[ -z "$missing" ] || fail "short options missing:$missing"
}

@test "--version prints 'gather VERSION' and exits 0" {
	run "$GATHER" --version
	assert_success
	assert_line --index 0 --regexp '^gather [0-9]+\.[0-9]+(\.[0-9]+)?([^0-9.]|$)'
}

@test "--help exits 0 and mentions every exit status" {
	local codes c status_text
	run "$GATHER" --help
	assert_success
	assert_output --partial 'usage: gather'
	# The codes the man page documents, which must be at least 0-3.
	codes=$(sed -n '/^\.Sh EXIT STATUS/,/^\.Sh /s/^\.It \([0-9][0-9]*\)$/\1/p' \
	    "$MAN" | tr '\n' ' ')
	[ "$codes" = "0 1 2 3 75 129 130 141 143 " ] ||
	    fail "man/gather.1 EXIT STATUS documents '$codes', want '0 1 2 3 75 129 130 141 143 '"
	status_text=$(grep -i -A3 'exit status' <<<"$output") ||
	    fail "--help has no 'Exit status' section"
	for c in $codes; do
		grep -qE "(^|[^0-9])$c [a-z]" <<<"$status_text" ||
		    fail "--help does not explain exit status $c: $status_text"
	done
}

@test "bash completion completes long options" {
	run bash_complete gather --con
	assert_success
	assert_line --concurrency
	assert_line --connect-timeout
	refute_line --compact
}

@test "bash completion completes files after -i and --output" {
	mkdir -p "$BATS_TEST_TMPDIR/d"
	touch "$BATS_TEST_TMPDIR/d/urls.txt"
	run bash_complete gather -i "$BATS_TEST_TMPDIR/d/ur"
	assert_success
	assert_output "$BATS_TEST_TMPDIR/d/urls.txt"
	run bash_complete gather --output "$BATS_TEST_TMPDIR/d/ur"
	assert_success
	assert_output "$BATS_TEST_TMPDIR/d/urls.txt"
	run bash_complete gather -j ""
	assert_success
	assert_output ""
}

@test "zsh completion is valid zsh (when zsh is installed)" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	run zsh -n "$ZSH_COMP"
	assert_success
	run head -n 1 "$ZSH_COMP"
	assert_output '#compdef gather'
}

@test "fish completion completes long options (when fish is installed)" {
	command -v fish >/dev/null || skip "fish is not installed"
	run fish -c "source '$FISH_COMP'; complete -C'gather --con'"
	assert_success
	assert_line --regexp '^--concurrency'
	assert_line --regexp '^--connect-timeout'
}
