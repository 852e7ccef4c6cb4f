# Shared set-up for the bats tests: bats-support and bats-assert, the
# binary under test, and the fixture server on a free loopback port.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

GATHER="${GATHER:-$BATS_TEST_DIRNAME/../build/gather}"

# Milliseconds since the epoch, for elapsed-time hang guards.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# wait_for SECONDS CMD [ARGS...]: runs CMD every 20 ms until it succeeds.
# A hang guard: fails when CMD has not succeeded within SECONDS.
wait_for() {
	local limit=$(($(now_ms) + $1 * 1000))
	shift
	until "$@"; do
		[ "$(now_ms)" -le "$limit" ] || return 1
		sleep 0.02
	done
}

# Kills and reaps the process whose pid is in FILE, if any.
pidfile_stop() {
	local pid
	pid=$(cat "$1" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || true
}

# Starts a fixture server writing its port to PORTFILE; sets SPAWNED to
# its pid and waits (bounded) until it listens.
server_spawn() {
	python3 "$BATS_TEST_DIRNAME/server/server.py" --port-file "$1" \
	    >/dev/null 2>>"$BATS_FILE_TMPDIR/server.err" 3>&- &
	SPAWNED=$!
	wait_for 10 test -s "$1"
}

# Starts the fixture server; sets and exports PORT and BASE.
server_start() {
	local pf="$BATS_FILE_TMPDIR/port.$RANDOM"
	server_spawn "$pf"
	echo "$SPAWNED" >"$BATS_FILE_TMPDIR/server.pid"
	PORT=$(cat "$pf")
	BASE="http://127.0.0.1:$PORT"
	export PORT BASE
}

# A second fixture server, for the test to stop: sets PORT2 and PID2.
second_server() {
	server_spawn "$BATS_TEST_TMPDIR/port2"
	PID2=$SPAWNED
	PORT2=$(cat "$BATS_TEST_TMPDIR/port2")
}

server_stop() {
	pidfile_stop "$BATS_FILE_TMPDIR/server.pid"
}

# Clears the server's hit counters, log and peak.
server_reset() {
	curl -sf "$BASE/_/reset" >/dev/null
}

# Requests that reached the server, over every path.
total_hits() {
	curl -sf "$BASE/_/hits" | jq '[.[]] | add // 0'
}

# jq FILTER [ARGS...] applied to $output, raw.
j() {
	jq -r "$@" <<<"$output"
}

# How many requests for PATH (no query string) reached the server.
hits() {
	curl -sf "$BASE/_/hits?path=$1" | jq -r .hits
}

# 0 when at least N requests for PATH reached the server.
hits_at_least() {
	[ "$(hits "$1")" -ge "$2" ] 2>/dev/null
}

# 0 when the server has answered a request for PATH.
answered() {
	[ "$(curl -sf "$BASE/_/hits?path=$1" | jq -r .done)" -ge 1 ] 2>/dev/null
}

# wait_hits PATH [N]: waits until at least N (default 1) requests for PATH
# reached the server. A hang guard bounds the wait (10 s): past it, it
# fails. Use it instead of a bare sleep before acting on a running gather.
wait_hits() {
	wait_for 10 hits_at_least "$1" "${2:-1}" && return 0
	echo "wait_hits: fewer than ${2:-1} requests for $1 after 10 s" >&2
	return 1
}

# wait_answered PATH...: waits (bounded, 10 s each) until the server has
# sent its answer to a request for each PATH, then 0.3 s more, so that
# gather has read what is already in its socket before the test acts on it.
wait_answered() {
	local path
	for path; do
		if ! wait_for 10 answered "$path"; then
			echo "wait_answered: no answer for $path after 10 s" >&2
			return 1
		fi
	done
	sleep 0.3
}

# A port on which nothing listens.
dead_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
