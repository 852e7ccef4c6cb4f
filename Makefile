# gather — build, test, install.  `make demo` and `make check` set up a
# fresh Debian machine by themselves through `make deps`.

# The completion folders are those that a login shell of Debian 12 searches
# with no setup (tests/install.bats asks each shell).  bash-completion looks
# in PREFIX/share/bash-completion/completions for /usr/local and /usr alike.
# zsh looks in /usr/local/share/zsh/site-functions, and in
# /usr/share/zsh/vendor-completions for packages.  fish reads PREFIX/share
# only when XDG_DATA_DIRS names it, so for /usr/local the file goes to
# /etc/fish/completions, the folder fish keeps for the administrator; for
# /usr, or ~/.local, PREFIX/share/fish is searched.  BASHDIR=, ZSHDIR= and
# FISHDIR= on the command line override these.
PREFIX	?= /usr/local
DESTDIR	?=
BINDIR	 = $(PREFIX)/bin
MANDIR	 = $(PREFIX)/share/man/man1
BASHDIR	 = $(PREFIX)/share/bash-completion/completions
ZSHDIR	 = $(PREFIX)/share/zsh/site-functions
FISHDIR	 = $(PREFIX)/share/fish/vendor_completions.d
ifeq ($(PREFIX),/usr)
ZSHDIR	 = /usr/share/zsh/vendor-completions
endif
ifeq ($(PREFIX),/usr/local)
FISHDIR	 = /etc/fish/completions
endif
# The installed man page is dated by the last commit of this tree; outside
# a git checkout it keeps the date man/gather.1 has.
MANDATE	 = $(shell (LC_ALL=C git log -1 --format=%cd \
	       --date=format:'%B %-d, %Y' -- .) 2>/dev/null)

CC	?= cc
BUILD	?= build
CFLAGS	?= -O2 -g
PKGS	 = libcurl libcjson libbsd-overlay libmd zlib sqlite3 hiredis
WARN	 = -std=c11 -Wall -Wextra -Wformat=2 -Wshadow -Wwrite-strings \
	   -Wmissing-prototypes -Werror
# pkg-config runs only when a recipe compiles or links; a library it cannot
# find stops the build there (after pkg-config's own message) instead of
# compiling without its flags.
PKG_CHECK  = $(if $(shell pkg-config --exists $(PKGS) && echo ok),,\
	     $(shell pkg-config --print-errors --exists $(PKGS))\
	     $(error pkg-config cannot find all of: $(PKGS); try make deps))
PKG_CFLAGS = $(PKG_CHECK)$(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(PKG_CHECK)$(shell pkg-config --libs $(PKGS))
ALL_CFLAGS = $(WARN) -D_GNU_SOURCE $(PKG_CFLAGS) -Isrc -Icmd $(CPPFLAGS) \
	     $(CFLAGS) -MMD -MP
LIBS	 = $(PKG_LIBS) -lm

SRC	 = $(wildcard src/*.c)
OBJ	 = $(SRC:%.c=$(BUILD)/%.o)
CMD_OBJ	 = $(BUILD)/cmd/main.o $(BUILD)/cmd/options.o $(BUILD)/cmd/cachecmd.o \
	   $(BUILD)/cmd/joincmd.o $(BUILD)/cmd/settle.o $(BUILD)/cmd/ui.o
UNIT	 = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	     -fno-sanitize-recover=undefined

# Debian packages the build, the tests and the demo need.
DEPS	 = gcc make pkg-config libcurl4-openssl-dev libcjson-dev libbsd-dev \
	   bats bats-assert bats-support bash-completion python3 jq curl \
	   util-linux zsh fish parallel \
	   libmd-dev zlib1g-dev strace valgrind libsqlite3-dev sqlite3 \
	   mandoc redis-server libhiredis-dev nginx-light openssl
BENCH_DEPS = wrk python3-aiohttp time
SUDO	 = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps bench-deps check check-only asan demo bench install \
	uninstall format clean

all: $(BUILD)/gather

$(BUILD)/gather: $(CMD_OBJ) $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/test_options: $(BUILD)/tests/unit/test_options.o \
	    $(BUILD)/cmd/options.o $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/test_settle: $(BUILD)/tests/unit/test_settle.o \
	    $(BUILD)/cmd/settle.o $(BUILD)/cmd/options.o $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -Itests/unit -c -o $@ $<

# Header dependencies, as the compiler found them (-MMD -MP).
-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

deps:
	@missing=$$(for p in $(DEPS) $(EXTRA_DEPS); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | \
	    grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    echo "deps: installing" $$missing; \
	    $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive \
	        apt-get install -y -qq --no-install-recommends $$missing; \
	fi

bench-deps:
	@$(MAKE) --no-print-directory deps EXTRA_DEPS="$(BENCH_DEPS)"

check: deps
	@$(MAKE) --no-print-directory check-only

check-only: $(BUILD)/gather $(UNIT)
	@BUILD=$(BUILD) sh tests/run.sh

asan: deps
	@$(MAKE) --no-print-directory check-only BUILD=build/asan \
	    CFLAGS="$(ASAN_FLAGS)"

demo: deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) sh tests/demo.sh

bench: bench-deps
	@$(MAKE) --no-print-directory all
	@BUILD=$(BUILD) sh tests/bench/run.sh

install: $(BUILD)/gather
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) \
	    $(DESTDIR)$(BASHDIR) $(DESTDIR)$(ZSHDIR) $(DESTDIR)$(FISHDIR)
	install -m 755 $(BUILD)/gather $(DESTDIR)$(BINDIR)/gather
	sed '$(if $(MANDATE),s/^\.Dd .*/.Dd $(MANDATE)/)' man/gather.1 \
	    >$(DESTDIR)$(MANDIR)/gather.1
	chmod 644 $(DESTDIR)$(MANDIR)/gather.1
	install -m 644 completions/gather.bash $(DESTDIR)$(BASHDIR)/gather
	install -m 644 completions/_gather $(DESTDIR)$(ZSHDIR)/_gather
	install -m 644 completions/gather.fish $(DESTDIR)$(FISHDIR)/gather.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/gather $(DESTDIR)$(MANDIR)/gather.1 \
	    $(DESTDIR)$(BASHDIR)/gather $(DESTDIR)$(ZSHDIR)/_gather \
	    $(DESTDIR)$(FISHDIR)/gather.fish

# Formats the C files changed since the last commit (the tree is formatted
# by hand in places clang-format 14 cannot express; see .clang-format).
format:
	@files=$$(git diff --name-only HEAD -- '*.c' '*.h'; \
	    git ls-files --others --exclude-standard -- '*.c' '*.h'); \
	for f in $$files; do [ -f "$$f" ] && echo "  FORMAT  $$f" && \
	    clang-format -i "$$f"; done; true

clean:
	rm -rf $(BUILD) build

# Stress test (tests/stress/run.sh, issue 10): 100,000 requests with random
# failures and delays, three gather processes sharing a cache, random
# SIGTERMs.  Not part of check: it takes about two minutes.
.PHONY: stress
stress: deps
	@$(MAKE) --no-print-directory $(BUILD)/gather
	@GATHER=$$(cd $(BUILD) && pwd)/gather bash tests/stress/run.sh

# --- make fuzz: libFuzzer over every parser of outside data (issue 10).
# Each tests/fuzz/fuzz_NAME.c links against src/ (and cmd/options.c) built
# again with clang and the fuzz flags under $(FUZZ_BUILD); tests/fuzz/run.sh
# runs each target for FUZZ_SECONDS from a scratch copy of its seed corpus.
FUZZ_DEPS    = clang libclang-rt-14-dev
FUZZ_CC	     = clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD   = $(BUILD)/fuzz
FUZZ_FLAGS   = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	       -fno-sanitize-recover=undefined
FUZZ_NAMES   = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_OBJ     = $(SRC:%.c=$(FUZZ_BUILD)/%.o) $(FUZZ_BUILD)/cmd/options.o

.PHONY: fuzz fuzz-build

fuzz:
	@$(MAKE) --no-print-directory deps EXTRA_DEPS="$(FUZZ_DEPS)"
	@$(MAKE) --no-print-directory fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_NAMES)

fuzz-build: $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)

$(FUZZ_BUILD)/fuzz_%: $(FUZZ_BUILD)/tests/fuzz/fuzz_%.o $(FUZZ_OBJ)
	@echo "  FUZZLD  $@"
	@$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer $(LDFLAGS) -o $@ $^ $(LIBS)

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(WARN) -D_GNU_SOURCE $(PKG_CFLAGS) -Isrc -Icmd \
	    $(CPPFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -MMD -MP \
	    -c -o $@ $<

# Kept between runs: they are not intermediate files to delete.
.SECONDARY: $(FUZZ_OBJ) \
	    $(FUZZ_NAMES:%=$(FUZZ_BUILD)/tests/fuzz/fuzz_%.o)

# --- make valgrind: a bats subset with GATHER under valgrind's memcheck
# (tests/valgrind.sh; suppressions in tests/valgrind.supp).  Zero errors
# and zero definite or indirect leaks: any report fails the target.  The
# tests named in VALGRIND_SKIP ('|' between names) time gather closely
# enough that valgrind's slowdown (~20x) alone fails them; they run in
# make check and make asan.
VALGRIND_BATS = tests/fetch.bats tests/shapes.bats tests/cache.bats
VALGRIND_SKIP = --stale-if-error counts from expiry: expired by more than DUR is not served
VALGRIND_LOGS = $(BUILD)/valgrind

.PHONY: valgrind

valgrind: deps
	@$(MAKE) --no-print-directory all
	@rm -rf $(VALGRIND_LOGS) && mkdir -p $(VALGRIND_LOGS)
	@names=$$(sed -n 's/^@test "\(.*\)" {$$/\1/p' $(VALGRIND_BATS) | \
	    grep -v -x -F -e "$$(echo '$(VALGRIND_SKIP)' | tr '|' '\n')" | \
	    sed 's/[][\\.*^$$(){}+?|/]/\\&/g' | paste -s -d '|'); \
	GATHER=$(CURDIR)/tests/valgrind.sh \
	VALGRIND_GATHER=$(CURDIR)/$(BUILD)/gather \
	VALGRIND_LOGS=$(CURDIR)/$(VALGRIND_LOGS) \
	    bats --tap -f "^($$names)\$$" $(VALGRIND_BATS) | \
	    tee $(VALGRIND_LOGS)/tap; \
	passed=$$(grep -c '^ok ' $(VALGRIND_LOGS)/tap); \
	failed=$$(grep -c '^not ok ' $(VALGRIND_LOGS)/tap); \
	for f in $$(find $(VALGRIND_LOGS) -name 'valgrind.*.log' -size +0); do \
	    echo "# $$f:"; sed 's/^/#   /' $$f; failed=$$((failed + 1)); done; \
	echo "valgrind: $$passed passed, $$failed failed"; \
	[ "$$failed" -eq 0 ] && [ "$$passed" -gt 0 ]

# --- make allocfail: the n-th allocation fails (GATHER_FAILALLOC=n, read
# only by this build) for every n of a sample run; tests/allocfail.sh
# checks that each run ends cleanly.  ASan/UBSan catch what error paths
# touch after freeing it.
ALLOCFAIL_BUILD = $(BUILD)/allocfail

.PHONY: allocfail

allocfail: deps
	@$(MAKE) --no-print-directory all BUILD=$(ALLOCFAIL_BUILD) \
	    CFLAGS="$(ASAN_FLAGS)" CPPFLAGS="-DGATHER_FAILALLOC $(CPPFLAGS)"
	@sh tests/allocfail.sh $(ALLOCFAIL_BUILD)/gather
