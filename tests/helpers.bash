# Shared set-up for the bats tests: bats-support and bats-assert, the
# binary under test, and the fixture server on a free loopback port.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

GATHER="${GATHER:-$BATS_TEST_DIRNAME/../build/gather}"

# Milliseconds since the epoch, for elapsed-time hang guards.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# Starts a fixture server writing its port to PORTFILE; sets SPAWNED to
# its pid and waits (bounded) until it listens.
server_spawn() {
	local i
	python3 "$BATS_TEST_DIRNAME/server/server.py" --port-file "$1" \
	    >/dev/null 2>>"$BATS_FILE_TMPDIR/server.err" 3>&- &
	SPAWNED=$!
	for i in $(seq 100); do
		[ -s "$1" ] && break
		sleep 0.05
	done
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
	local pid
	pid=$(cat "$BATS_FILE_TMPDIR/server.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || true
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

# A port on which nothing listens.
dead_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
