#!/usr/bin/env bats
# make install puts each file where a fresh login shell of Debian finds it:
# the test installs into a DESTDIR, starts bash, zsh and fish with a clean
# environment, asks each where it looks for completions, and checks that
# the installed file lies in one of those folders once DESTDIR is stripped.
# The installed man page is dated by the last commit.  Nothing is installed
# outside the test's own folders, and the binary already built is used.

load helpers

ROOT="$BATS_TEST_DIRNAME/.."

# make, free of the flags and variables of a make that runs the tests.
clean_make() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s "$@"
}

# make install from the tree in $1 (default: this one) with the binary
# under test, never rebuilding it; the other arguments go to make.
make_install() {
	local tree=${1:-$ROOT} build
	shift
	build=$(cd "$(dirname "$GATHER")" && pwd)
	clean_make -C "$tree" -o "$build/gather" BUILD="$build" install "$@"
}

setup_file() {
	local p
	for p in /usr/local /usr; do
		make_install "$ROOT" DESTDIR="$BATS_FILE_TMPDIR/dest$p" \
		    PREFIX="$p" >"$BATS_FILE_TMPDIR/make.log" 2>&1 || {
			cat "$BATS_FILE_TMPDIR/make.log" >&2
			return 1
		}
	done
}

# Runs a login shell of $1 with a clean environment, as a new login would,
# with a fresh HOME (and an empty ~/.zshrc, so that zsh asks nothing);
# the other arguments follow the shell's name.
clean_shell() {
	local home="$BATS_TEST_TMPDIR/home"
	mkdir -p "$home"
	touch "$home/.zshrc"
	env -i HOME="$home" TERM=dumb PATH=/usr/bin:/bin "$@" </dev/null
}

# The folders bash-completion searches for gather's completion, one a
# line: those its loader probes, as strace sees it, in a login shell.
bash_dirs() {
	local log="$BATS_TEST_TMPDIR/strace"
	clean_shell strace -f -qq -e trace=%file -o "$log" \
	    bash -lic '__load_completion gather' >/dev/null 2>&1
	grep -oE '"/[^"]*/bash-completion/completions(/[^"/]*)?"' "$log" |
	    tr -d '"' | sed -E 's#(/completions)/[^/]*$#\1#' | sort -u
}

zsh_dirs() {
	clean_shell zsh -lic 'print -rl -- $fpath' 2>/dev/null | grep '^/'
}

fish_dirs() {
	clean_shell fish -l -c 'printf "%s\n" $fish_complete_path' 2>/dev/null
}

# check_found SHELL PREFIX FILE: fails unless make install PREFIX=PREFIX
# (into its DESTDIR) put FILE, and SHELL searches the folder of FILE.
check_found() {
	local dirs dest="$BATS_FILE_TMPDIR/dest$2"
	dirs=$("${1}_dirs")
	[ "$(wc -l <<<"$dirs")" -ge 2 ] ||
	    fail "$1 names no folders it searches: '$dirs'"
	[ -f "$dest$3" ] || fail "PREFIX=$2: $3 was not installed"
	grep -qxF -- "$(dirname "$3")" <<<"$dirs" ||
	    fail "PREFIX=$2: $1 does not search $(dirname "$3"); it searches:
$dirs"
}

@test "install: bash-completion finds gather, PREFIX /usr/local or /usr" {
	D=$BATS_FILE_TMPDIR/dest/usr/local
	check_found bash /usr/local \
	    /usr/local/share/bash-completion/completions/gather
	check_found bash /usr /usr/share/bash-completion/completions/gather
	# Where it looks, with DESTDIR in front, it loads gather's.
	run clean_shell bash -lic "XDG_DATA_DIRS=$D/usr/local/share
	    __load_completion gather; complete -p gather"
	assert_success
	assert_output --partial ' gather'
	assert_output --regexp 'complete .*-F '
}

@test "install: zsh finds _gather, PREFIX /usr/local or /usr" {
	D=$BATS_FILE_TMPDIR/dest/usr/local
	check_found zsh /usr/local /usr/local/share/zsh/site-functions/_gather
	check_found zsh /usr /usr/share/zsh/vendor-completions/_gather
	# compinit, given that folder, binds gather to _gather.
	run clean_shell zsh -fc "fpath=($D/usr/local/share/zsh/site-functions \$fpath)
	    autoload -Uz compinit; compinit -u -D; print -r -- \$_comps[gather]"
	assert_success
	assert_output _gather
}

@test "install: fish finds gather.fish, PREFIX /usr/local or /usr" {
	D=$BATS_FILE_TMPDIR/dest/usr/local
	check_found fish /usr/local /etc/fish/completions/gather.fish
	check_found fish /usr /usr/share/fish/vendor_completions.d/gather.fish
	# Its default folders, with DESTDIR in front, complete gather's options
	# (fish loads a completion only for a command it finds in PATH).
	run clean_shell fish -c "
	    set PATH $D/usr/local/bin \$PATH
	    set fish_complete_path (string replace -r '^/' '$D/' -- \
	        \$fish_complete_path)
	    complete -C 'gather --concu'"
	assert_success
	assert_output --regexp '^--concurrency'
}

@test "install: BASHDIR, ZSHDIR and FISHDIR put the completions elsewhere" {
	D=$BATS_TEST_TMPDIR/dest
	make_install "$ROOT" DESTDIR="$D" PREFIX=/opt/g BASHDIR=/b \
	    ZSHDIR=/z FISHDIR=/f
	assert [ -f "$D/b/gather" ]
	assert [ -f "$D/z/_gather" ]
	assert [ -f "$D/f/gather.fish" ]
	assert [ -x "$D/opt/g/bin/gather" ]
	assert [ -f "$D/opt/g/share/man/man1/gather.1" ]
}

@test "install: the man page goes to man1 and reads as gather(1)" {
	man1=$BATS_FILE_TMPDIR/dest/usr/local/usr/local/share/man/man1
	assert [ -f "$man1/gather.1" ]
	assert_equal "$(stat -c %a "$man1/gather.1")" 644
	run env MANWIDTH=80 man -l "$man1/gather.1"
	assert_success
	assert_line --regexp '^GATHER\(1\) '
}

# A copy of what make install reads, in a git repository of its own whose
# last commit is dated $1 (an ISO date); prints the copy's folder.
dated_tree() {
	local tree="$BATS_TEST_TMPDIR/tree"
	mkdir -p "$tree"
	cp -R "$ROOT/Makefile" "$ROOT/man" "$ROOT/completions" "$tree"
	git -C "$tree" init -q
	git -C "$tree" add .
	GIT_COMMITTER_DATE="$1T12:00:00Z" GIT_AUTHOR_DATE="$1T12:00:00Z" \
	    git -C "$tree" -c user.name=t -c user.email=t@localhost \
	    commit -q -m dated
	echo "$tree"
}

@test "install: the man page is dated by the last commit" {
	tree=$(dated_tree 2031-03-05)
	make_install "$tree" DESTDIR="$BATS_TEST_TMPDIR/dest"
	run grep '^\.Dd' "$BATS_TEST_TMPDIR/dest/usr/local/share/man/man1/gather.1"
	assert_output '.Dd March 5, 2031'
	# And in this checkout, by this checkout's last commit.
	want=$(cd "$ROOT" && LC_ALL=C git log -1 --format=%cd \
	    --date=format:'%B %-d, %Y' -- .)
	[ -n "$want" ] || fail "no commit date for $ROOT"
	man1=$BATS_FILE_TMPDIR/dest/usr/local/usr/local/share/man/man1
	run grep '^\.Dd' "$man1/gather.1"
	assert_output ".Dd $want"
}

@test "install: outside a git checkout the man page keeps its own date" {
	tree=$(dated_tree 2031-03-05)
	rm -rf "$tree/.git"
	make_install "$tree" DESTDIR="$BATS_TEST_TMPDIR/dest"
	man1=$BATS_TEST_TMPDIR/dest/usr/local/share/man/man1
	assert_equal "$(grep '^\.Dd' "$man1/gather.1")" \
	    "$(grep '^\.Dd' "$ROOT/man/gather.1")"
}

@test "uninstall removes every file install put there" {
	D=$BATS_TEST_TMPDIR/dest
	make_install "$ROOT" DESTDIR="$D"
	[ "$(find "$D" -type f | wc -l)" -eq 5 ] ||
	    fail "install put $(find "$D" -type f | wc -l) files, not 5"
	clean_make -C "$ROOT" uninstall DESTDIR="$D"
	run find "$D" -type f
	assert_output ''
}
