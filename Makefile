# gather — build, test, install.  `make demo` and `make check` set up a
# fresh Debian machine by themselves through `make deps`.

PREFIX	?= /usr/local
DESTDIR	?=
BINDIR	 = $(PREFIX)/bin
MANDIR	 = $(PREFIX)/share/man/man1
BASHDIR	 = $(PREFIX)/share/bash-completion/completions
ZSHDIR	 = $(PREFIX)/share/zsh/vendor-completions
FISHDIR	 = $(PREFIX)/share/fish/vendor_completions.d

CC	?= cc
BUILD	?= build
CFLAGS	?= -O2 -g
PKGS	 = libcurl libcjson libbsd-overlay libmd zlib
WARN	 = -std=c11 -Wall -Wextra -Wformat=2 -Wshadow -Wwrite-strings \
	   -Wmissing-prototypes -Werror
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = $(WARN) -D_GNU_SOURCE $(PKG_CFLAGS) -Isrc -Icmd $(CFLAGS)
LIBS	 = $(PKG_LIBS) -lm

SRC	 = $(wildcard src/*.c)
OBJ	 = $(SRC:%.c=$(BUILD)/%.o)
CMD_OBJ	 = $(BUILD)/cmd/main.o $(BUILD)/cmd/options.o $(BUILD)/cmd/cachecmd.o \
	   $(BUILD)/cmd/ui.o
UNIT	 = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(wildcard tests/unit/test_*.c))

ASAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	     -fno-sanitize-recover=undefined

# Debian packages the build, the tests and the demo need.
DEPS	 = gcc make pkg-config libcurl4-openssl-dev libcjson-dev libbsd-dev \
	   bats bats-assert bats-support python3 jq curl util-linux zsh fish \
	   libmd-dev zlib1g-dev strace \
	   mandoc
BENCH_DEPS = nginx-light wrk valgrind python3-aiohttp time
SUDO	 = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps bench-deps check check-only asan demo bench install \
	uninstall format clean

all: $(BUILD)/gather

$(BUILD)/gather: $(CMD_OBJ) $(OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/%.o: %.c $(wildcard src/*.h cmd/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/test_options: $(BUILD)/tests/unit/test_options.o \
	    $(BUILD)/cmd/options.o $(OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/unit/%.o: tests/unit/%.c tests/unit/unit.h $(wildcard src/*.h cmd/*.h)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(ALL_CFLAGS) -Itests/unit -c -o $@ $<

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
	install -m 644 man/gather.1 $(DESTDIR)$(MANDIR)/gather.1
	install -m 644 completions/gather.bash $(DESTDIR)$(BASHDIR)/gather
	install -m 644 completions/_gather $(DESTDIR)$(ZSHDIR)/_gather
	install -m 644 completions/gather.fish $(DESTDIR)$(FISHDIR)/gather.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/gather $(DESTDIR)$(MANDIR)/gather.1 \
	    $(DESTDIR)$(BASHDIR)/gather $(DESTDIR)$(ZSHDIR)/_gather \
	    $(DESTDIR)$(FISHDIR)/gather.fish

format:
	clang-format -i src/*.c src/*.h cmd/*.c cmd/*.h tests/unit/*.c \
	    tests/unit/*.h

clean:
	rm -rf build
