#!/usr/bin/env bats
# --redis: the shared cache tier, the once-lock per key, the fleet lock and
# the shared rate, and the faults of Redis that must never cost a result
# (issue 14).  Each file run starts its own redis-server on a free loopback
# port and fails, never skips, when it cannot.

bats_require_minimum_version 1.5.0

load helpers

# Starts a redis-server on a free loopback port (DEBUG allowed, for SLEEP):
# sets RPORT, writes its pid to FILE ($1).  Tries a few ports: another process may take
# the one found free before Redis binds it.
redis_spawn() {
	local pidfile=$1 try port pid
	for try in 1 2 3 4 5; do
		port=$(dead_port)
		redis-server --port "$port" --bind 127.0.0.1 --save '' \
		    --appendonly no --daemonize no --enable-debug-command local \
		    >>"$BATS_FILE_TMPDIR/redis.log" 2>&1 3>&- &
		pid=$!
		if wait_for 10 redis-cli -p "$port" ping >/dev/null 2>&1; then
			echo "$pid" >"$pidfile"
			RPORT=$port
			return 0
		fi
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null || true
	done
	echo "redis-server would not start; see $BATS_FILE_TMPDIR/redis.log" >&2
	return 1
}

setup_file() {
	server_start
	redis_spawn "$BATS_FILE_TMPDIR/redis.pid"
	export RPORT
	export REDIS="redis://127.0.0.1:$RPORT"
}

teardown_file() {
	server_stop
	pidfile_stop "$BATS_FILE_TMPDIR/redis.pid"
}

setup() {
	server_reset
	redis-cli -p "$RPORT" flushall >/dev/null
	PID=
}

teardown() {
	local p
	for p in ${PID:-}; do
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	# A second Redis a test started, even when the test failed early.
	pidfile_stop "$BATS_TEST_TMPDIR/r2.pid"
}

# gather with a cache folder of its own (named $1) and the rest as given.
g() {
	local dir=$1
	shift
	"$GATHER" --cache-dir "$BATS_TEST_TMPDIR/$dir" --compact "$@"
}

# How many lines of $1 say "warning".
warnings() {
	grep -c 'warning' <<<"$1" || true
}

# ------------------------------------------------------------- shared tier

@test "two hosts share responses: the second is answered by Redis, one fetch each" {
	run -0 g a --ttl 1h --redis "$REDIS" "$BASE/json/s1" "$BASE/json/s2"
	[ "$(j '[.results[].cache] | join(",")')" = "miss,miss" ]
	run -0 g b --ttl 1h --redis "$REDIS" "$BASE/json/s1" "$BASE/json/s2"
	[ "$(j '[.results[] | .cache + "/" + .cache_tier] | join(",")')" = \
	    "hit/shared,hit/shared" ]
	[ "$(j -c .summary.cache_tiers)" = '{"local":0,"shared":2}' ]
	[ "$(j .summary.cached)" = 2 ]
	[ "$(hits /json/s1)" = 1 ]
	[ "$(hits /json/s2)" = 1 ]
	# The body is the one the first host fetched.
	run -0 g c --ttl 1h --redis "$REDIS" "$BASE/json/s1"
	[ "$(j -c '.results[0].body')" != null ]
}

@test "a shared hit fills the local store; the next run there is a local hit" {
	run -0 g a --ttl 1h --redis "$REDIS" "$BASE/json/fill"
	run -0 g b --ttl 1h --redis "$REDIS" "$BASE/json/fill"
	[ "$(j -r '.results[0].cache_tier')" = shared ]
	run -0 g b --ttl 1h --redis "$REDIS" "$BASE/json/fill"
	[ "$(j -r '.results[0].cache_tier')" = local ]
	[ "$(j -c .summary.cache_tiers)" = '{"local":1,"shared":0}' ]
	# Without Redis at all, the copy is there too.
	redis-cli -p "$RPORT" flushall >/dev/null
	run -0 g b --ttl 1h "$BASE/json/fill"
	[ "$(j -r '.results[0].cache')" = hit ]
	[ "$(hits /json/fill)" = 1 ]
}

@test "the Redis key: under --redis-prefix, expiring at TTL plus --stale-if-error" {
	run -0 g a --ttl 1h --stale-if-error 1h --redis "$REDIS" \
	    --redis-prefix 'fleet1:' "$BASE/json/px"
	run redis-cli -p "$RPORT" --scan --pattern 'fleet1:*'
	[ "${#lines[@]}" -eq 1 ]
	[[ ${lines[0]} =~ ^fleet1:[0-9a-f]{64}$ ]]
	local px
	px=$(redis-cli -p "$RPORT" pttl "${lines[0]}")
	[ "$px" -gt $((7200 * 1000 - 60 * 1000)) ]
	[ "$px" -le $((7200 * 1000)) ]
	# Another prefix is another fleet: nothing shared.
	run -0 g b --ttl 1h --redis "$REDIS" --redis-prefix 'fleet2:' \
	    "$BASE/json/px"
	[ "$(j -r '.results[0].cache')" = miss ]
	[ "$(hits /json/px)" = 2 ]
}

@test "an entry Redis holds but the reader finds too old is fetched again" {
	run -0 g a --ttl 1h --redis "$REDIS" "$BASE/json/old"
	sleep 1.1
	run -0 g b --ttl 1s --redis "$REDIS" "$BASE/json/old"
	[ "$(j -r '.results[0].cache')" = miss ]
	[ "$(hits /json/old)" = 2 ]
}

@test "\$GATHER_REDIS is --redis's default; a bad URL is a usage error" {
	run -0 g a --ttl 1h --redis "$REDIS" "$BASE/json/env"
	GATHER_REDIS=$REDIS run -0 g b --ttl 1h "$BASE/json/env"
	[ "$(j -r '.results[0].cache_tier')" = shared ]
	run -2 --separate-stderr g c --redis 'http://x/' "$BASE/json/env"
	[[ $stderr == *"--redis:"* ]]
	run -2 --separate-stderr g c --redis 'redis://h:99999' "$BASE/json/env"
	[[ $stderr == *"--redis:"* ]]
	[ "$(hits /json/env)" = 1 ]
}

@test "a /DB selects that database; unix:///PATH reaches a socket" {
	run -0 g a --ttl 1h --redis "$REDIS/3" "$BASE/json/db"
	[ "$(redis-cli -p "$RPORT" -n 3 dbsize)" = 1 ]
	[ "$(redis-cli -p "$RPORT" -n 0 dbsize)" = 0 ]
	local sock="$BATS_TEST_TMPDIR/r.sock"
	redis-server --port 0 --unixsocket "$sock" --save '' --appendonly no \
	    --daemonize no >/dev/null 2>&1 3>&- &
	PID=$!
	wait_for 10 redis-cli -s "$sock" ping
	run -0 g b --ttl 1h --redis "unix://$sock" "$BASE/json/sock"
	run -0 --separate-stderr g c --ttl 1h --redis "unix://$sock" \
	    "$BASE/json/sock"
	[ "$(j -r '.results[0].cache_tier')" = shared ]
	[ -z "$stderr" ]
	[ "$(hits /json/sock)" = 1 ]
}

# ------------------------------------------------------- one fetch per fleet

@test "two hosts start together on a slow URL: one fetches, the other waits for its value" {
	local u="$BASE/json/inflight?delay=1500"
	g a --ttl 1h --redis "$REDIS" "$u" >"$BATS_TEST_TMPDIR/out.a" 3>&- &
	PID=$!
	g b --ttl 1h --redis "$REDIS" "$u" >"$BATS_TEST_TMPDIR/out.b" 3>&- &
	PID="$PID $!"
	local p
	for p in $PID; do wait "$p"; done
	PID=
	[ "$(hits /json/inflight)" = 1 ]
	output=$(cat "$BATS_TEST_TMPDIR/out.a" "$BATS_TEST_TMPDIR/out.b")
	[ "$(j -s -c '[.[].results[0].ok]')" = '[true,true]' ]
	[ "$(j -s -r '[.[].results[0] | .cache + "/" + (.cache_tier // "")] |
	    sort | join(",")')" = "hit/shared,miss/" ]
	# The holder let its once-lock go.
	[ -z "$(redis-cli -p "$RPORT" --scan --pattern '*:lock')" ]
}

@test "a waiter whose own --timeout passes fetches by itself" {
	local u="$BASE/json/waiter?delay=3000"
	g a --ttl 1h --redis "$REDIS" "$u" >/dev/null 3>&- &
	PID=$!
	wait_hits /json/waiter
	local t0
	t0=$(now_ms)
	run -0 g b --ttl 1h --redis "$REDIS" -m 1s --retry 0 \
	    "$BASE/json/waiter?delay=10"
	# Not the same key (another query), so it ran at once; now the same.
	run g b --ttl 1h --redis "$REDIS" -m 1s --retry 0 "$u"
	# It waited its own second, then fetched (and timed out: 3 s > 1 s).
	[ "$(hits /json/waiter)" -ge 3 ]
	[ $(($(now_ms) - t0)) -lt 6000 ]
	[ "$(j -r '.results[0].error.kind')" = timeout ]
}

@test "a holder that fails lets the waiters fetch" {
	local u="$BASE/status/503?delay=1000"
	g a --ttl 1h --retry 0 --redis "$REDIS" "$u" >/dev/null 3>&- &
	PID=$!
	wait_hits /status/503
	run g b --ttl 1h --retry 0 --redis "$REDIS" "$u"
	[ "$(hits /status/503)" = 2 ]
	[ "$(j -r '.results[0].status')" = 503 ]
}

# ------------------------------------------------------------------ faults

@test "Redis unreachable at the start: one warning, results all ok, no wait" {
	local port t0
	port=$(dead_port)
	t0=$(now_ms)
	run -0 --separate-stderr g a --ttl 1h --redis "redis://127.0.0.1:$port" \
	    "$BASE/json/f1" "$BASE/json/f2"
	[ "$(j -c '[.results[].ok]')" = '[true,true]' ]
	[ "$(warnings "$stderr")" = 1 ]
	[[ $stderr == *"127.0.0.1:$port"*"without it"* ]]
	[ $(($(now_ms) - t0)) -lt 5000 ]
}

@test "a wrong password: one warning, never the password, results ok" {
	run -0 --separate-stderr g a --ttl 1h \
	    --redis "redis://alice:s3cr3tpw@127.0.0.1:$RPORT" \
	    "$BASE/json/f1" "$BASE/json/f2"
	[ "$(j -c '[.results[].ok]')" = '[true,true]' ]
	[ "$(warnings "$stderr")" = 1 ]
	[[ $stderr != *s3cr3tpw* ]]
	[[ $output != *s3cr3tpw* ]]
}

@test "a server that is not Redis (the fixture's HTTP port): one warning, no hang" {
	local t0
	t0=$(now_ms)
	run -0 --separate-stderr g a --ttl 1h --redis "redis://127.0.0.1:$PORT" \
	    "$BASE/json/f1" "$BASE/json/f2"
	[ "$(j -c '[.results[].ok]')" = '[true,true]' ]
	[ "$(warnings "$stderr")" = 1 ]
	[ $(($(now_ms) - t0)) -lt 5000 ]
}

# 0 when the Redis at port $1 holds at least one key.
stored_in() {
	[ "$(redis-cli -p "$1" dbsize)" -ge 1 ]
}

# 0 when the Redis at port $1 does not answer a PING within 0.2 s.
gone() {
	! timeout 0.2 redis-cli -p "$1" ping >/dev/null 2>&1
}

# Feeds gather URL 1, waits for its answer, does $1 to Redis, then URL 2.
mid_run() {
	local action=$1
	{
		echo "$BASE/json/m1"
		wait_answered /json/m1 >&2
		# The first result is stored in Redis before the fault.
		wait_for 10 stored_in "$RPORT2" >&2
		eval "$action" >&2
		echo "$BASE/json/m2"
		echo "$BASE/json/m3"
	} | g a --ttl 1h --redis "redis://127.0.0.1:$RPORT2" \
	    --redis-timeout 300ms -i -
}

@test "Redis killed mid-run: one warning, the rest are fetched, all ok" {
	local save=$RPORT
	redis_spawn "$BATS_TEST_TMPDIR/r2.pid"
	RPORT2=$RPORT
	RPORT=$save
	local t0
	t0=$(now_ms)
	run -0 --separate-stderr mid_run \
	    'kill -KILL $(cat "$BATS_TEST_TMPDIR/r2.pid"); wait_for 10 gone "$RPORT2"'
	[ "$(j -c '[.results[].ok]')" = '[true,true,true]' ]
	[ "$(warnings "$stderr")" = 1 ]
	[ $(($(now_ms) - t0)) -lt 15000 ]
}

@test "Redis paused mid-run (DEBUG SLEEP): lookups become misses within --redis-timeout" {
	local save=$RPORT
	redis_spawn "$BATS_TEST_TMPDIR/r2.pid"
	RPORT2=$RPORT
	RPORT=$save
	local t0
	run -0 --separate-stderr mid_run \
	    '(redis-cli -p "$RPORT2" debug sleep 5 >/dev/null &); wait_for 5 gone "$RPORT2"; now_ms >"$BATS_TEST_TMPDIR/t0"'
	[ "$(j -c '[.results[].ok]')" = '[true,true,true]' ]
	[ "$(j -r '[.results[].cache] | join(",")')" = "miss,miss,miss" ]
	[ "$(warnings "$stderr")" = 1 ]
	[[ $stderr == *"no reply within 300 ms"* ]]
	# Well before the 5 s pause ends.
	[ $(($(now_ms) - $(cat "$BATS_TEST_TMPDIR/t0"))) -lt 4000 ]
	pidfile_stop "$BATS_TEST_TMPDIR/r2.pid"
}

# --------------------------------------------------------------- fleet lock

# Starts gather in the background (stdout and stderr to $BATS_TEST_TMPDIR/
# NAME.out and NAME.err); adds its pid to PID and sets LAST.
bg() {
	local name=$1
	shift
	"$GATHER" --compact "$@" >"$BATS_TEST_TMPDIR/$name.out" \
	    2>"$BATS_TEST_TMPDIR/$name.err" 3>&- &
	LAST=$!
	PID="${PID:-} $LAST"
}

@test "--lock redis:NAME: a second process exits 75 at once, fetches nothing" {
	bg a --redis "$REDIS" --lock redis:job "$BASE/json/holder?delay=2000"
	wait_hits /json/holder
	local t0
	t0=$(now_ms)
	run -75 --separate-stderr "$GATHER" --redis "$REDIS" --lock redis:job \
	    "$BASE/json/second"
	[[ $stderr == *"redis:job is held by another run"* ]]
	[ $(($(now_ms) - t0)) -lt 2000 ]
	[ "$(hits /json/second)" = 0 ]
	# The key is the prefix's, holding a token.
	[ -n "$(redis-cli -p "$RPORT" get gather:lock:job)" ]
	wait "$LAST"
	PID=
	# Released at the end: nothing left behind.
	[ "$(redis-cli -p "$RPORT" exists gather:lock:job)" = 0 ]
	run -0 "$GATHER" --redis "$REDIS" --lock redis:job "$BASE/json/second"
}

@test "--lock redis:NAME --lock-wait waits for the holder, then runs" {
	bg a --redis "$REDIS" --lock redis:job "$BASE/json/holder?delay=1000"
	wait_hits /json/holder
	run -0 "$GATHER" --redis "$REDIS" --lock redis:job --lock-wait 20s \
	    "$BASE/json/after"
	[ "$(curl -sf "$BASE/_/hits?path=/json/holder" | jq -r .done)" = 1 ]
	[ "$(hits /json/after)" = 1 ]
}

@test "--lock redis:NAME is renewed while the run lives, past --lock-ttl" {
	bg a --redis "$REDIS" --lock redis:job --lock-ttl 500ms \
	    "$BASE/json/holder?delay=2500"
	wait_hits /json/holder
	sleep 1.5
	run -75 "$GATHER" --redis "$REDIS" --lock redis:job "$BASE/json/second"
	[ "$(redis-cli -p "$RPORT" pttl gather:lock:job)" -le 500 ]
}

@test "a holder killed with SIGKILL frees the lock within --lock-ttl" {
	bg a --redis "$REDIS" --lock redis:job --lock-ttl 1s \
	    "$BASE/json/holder?delay=20000"
	wait_hits /json/holder
	kill -KILL "$LAST"
	local t0
	t0=$(now_ms)
	run -0 "$GATHER" --redis "$REDIS" --lock redis:job --lock-wait 20s \
	    "$BASE/json/next"
	[ $(($(now_ms) - t0)) -lt 5000 ]
	[ "$(hits /json/next)" = 1 ]
}

@test "--lock redis:NAME with Redis unreachable: one warning, the run goes on" {
	run -0 --separate-stderr "$GATHER" --lock redis:job \
	    --redis "redis://127.0.0.1:$(dead_port)" "$BASE/json/nolock"
	[ "$(warnings "$stderr")" = 1 ]
	[[ $stderr == *"without the fleet lock redis:job"* ]]
	[ "$(hits /json/nolock)" = 1 ]
}

@test "--lock redis:NAME needs --redis and a NAME" {
	run -2 "$GATHER" --lock redis:job "$BASE/json/x"
	run -2 "$GATHER" --redis "$REDIS" --lock redis: "$BASE/json/x"
	[ "$(hits /json/x)" = 0 ]
}

@test "Redis killed under a lock holder: one warning that the lock lapses, results ok" {
	local save=$RPORT
	redis_spawn "$BATS_TEST_TMPDIR/r2.pid"
	RPORT2=$RPORT
	RPORT=$save
	bg a --redis "redis://127.0.0.1:$RPORT2" --lock redis:job \
	    --lock-ttl 300ms "$BASE/json/holder?delay=1500"
	wait_hits /json/holder
	kill -KILL "$(cat "$BATS_TEST_TMPDIR/r2.pid")"
	wait "$LAST"
	PID=
	output=$(cat "$BATS_TEST_TMPDIR/a.out")
	[ "$(j -r '.results[0].ok')" = true ]
	run cat "$BATS_TEST_TMPDIR/a.err"
	[ "$(warnings "$output")" = 1 ]
	[[ $output == *"lapses within --lock-ttl"* ]]
}

# ------------------------------------------------------------- shared rate

# The gaps (ms) between consecutive arrivals at the server, smallest first.
arrival_gaps() {
	curl -sf "$BASE/_/log" | jq -r '[.[] | select(.path | startswith("/json/r")) | .t] | sort |
	    [range(1; length) as $i | ((.[$i] - .[$i - 1]) * 1000 | floor)] |
	    sort | .[]'
}

@test "--shared-rate: three processes share one --rate budget, evenly spaced" {
	local n
	for n in 1 2 3; do
		bg "p$n" --redis "$REDIS" --rate 5/s --shared-rate api \
		    "$BASE/json/r$n-a" "$BASE/json/r$n-b" "$BASE/json/r$n-c" \
		    "$BASE/json/r$n-d"
	done
	for n in $PID; do wait "$n"; done
	PID=
	run arrival_gaps
	[ "${#lines[@]}" -eq 11 ]
	# 5 a second together: 200 ms apart (some slack for the scheduling
	# of three processes on a busy machine), not 67 ms.
	[ "${lines[0]}" -ge 150 ]
	for n in 1 2 3; do
		output=$(cat "$BATS_TEST_TMPDIR/p$n.out")
		[ "$(j -r '[.results[].ok] | all')" = true ]
	done
}

@test "without --shared-rate each process has its own --rate: the test above can tell" {
	local n
	for n in 1 2 3; do
		bg "p$n" --redis "$REDIS" --rate 5/s \
		    "$BASE/json/r$n-a" "$BASE/json/r$n-b" "$BASE/json/r$n-c" \
		    "$BASE/json/r$n-d"
	done
	for n in $PID; do wait "$n"; done
	PID=
	run arrival_gaps
	[ "${lines[0]}" -lt 150 ]
}

@test "--shared-rate with Redis gone falls back to the local --rate" {
	local t0
	t0=$(now_ms)
	run -0 --separate-stderr "$GATHER" --redis "redis://127.0.0.1:$(dead_port)" \
	    --rate 10/s --shared-rate api "$BASE/json/r1-a" "$BASE/json/r1-b" \
	    "$BASE/json/r1-c"
	[ "$(warnings "$stderr")" = 1 ]
	[ "$(j -r '[.results[].ok] | all')" = true ]
	run arrival_gaps
	[ "${lines[0]}" -ge 80 ]
}

@test "--shared-rate with Redis killed mid-run: one warning, the local --rate goes on" {
	local save=$RPORT
	redis_spawn "$BATS_TEST_TMPDIR/r2.pid"
	RPORT2=$RPORT
	RPORT=$save
	# -j 2: at most two slots are asked for ahead, so most are asked
	# after the kill.
	bg a -j 2 --redis "redis://127.0.0.1:$RPORT2" --rate 4/s --shared-rate api \
	    "$BASE/json/r1-a" "$BASE/json/r1-b" "$BASE/json/r1-c" \
	    "$BASE/json/r1-d" "$BASE/json/r1-e" "$BASE/json/r1-f"
	wait_hits /json/r1-b
	kill -KILL "$(cat "$BATS_TEST_TMPDIR/r2.pid")"
	wait "$LAST"
	PID=
	output=$(cat "$BATS_TEST_TMPDIR/a.out")
	[ "$(j -r '[.results[].ok] | all')" = true ]
	[ "$(warnings "$(cat "$BATS_TEST_TMPDIR/a.err")")" = 1 ]
	run arrival_gaps
	[ "${#lines[@]}" -eq 5 ]
	[ "${lines[0]}" -ge 180 ]
}

@test "--shared-rate needs --redis and --rate" {
	run -2 "$GATHER" --rate 5/s --shared-rate api "$BASE/json/x"
	run -2 "$GATHER" --redis "$REDIS" --shared-rate api "$BASE/json/x"
	run -2 "$GATHER" --redis "$REDIS" --rate 5/s --shared-rate '' \
	    "$BASE/json/x"
	[ "$(hits /json/x)" = 0 ]
}

# ------------------------------------------------------------------ recipe

@test "man SCALING: the cron fleet line, run on two hosts sharing one Redis" {
	local line cmd host
	line=$(grep -E '^[-0-9*/,]+( [-0-9*/,]+){4} .* --redis ' \
	    "$BATS_TEST_DIRNAME/../man/gather.1")
	[ "$(grep -c '' <<<"$line")" = 1 ]
	cmd=$(sed -E 's/^([^ ]+ ){5}//' <<<"$line")
	# Our Redis and binary; each host its own files and home.
	cmd=$(sed -E "s#redis://[^ ]+#$REDIS#; s#^/usr/local/bin/gather#$GATHER#" <<<"$cmd")
	printf '%s\n' "$BASE/json/fleet-a" "$BASE/json/fleet-b" \
	    >"$BATS_TEST_TMPDIR/urls"
	for host in h1 h2; do
		mkdir -p "$BATS_TEST_TMPDIR/$host"
		run -0 --separate-stderr env -i HOME="$BATS_TEST_TMPDIR/$host" \
		    PATH=/usr/bin:/bin /bin/sh -c "$(sed -E \
		    "s# -i /[^ ]+# -i $BATS_TEST_TMPDIR/urls#; s# -o /[^ ]+# -o $BATS_TEST_TMPDIR/$host/out.json#" \
		    <<<"$cmd")"
		[ -z "$output$stderr" ]
	done
	output=$(cat "$BATS_TEST_TMPDIR/h2/out.json")
	[ "$(j -r '[.results[].cache_tier] | join(",")')" = "shared,shared" ]
	[ "$(hits /json/fleet-a)" = 1 ]
	[ "$(hits /json/fleet-b)" = 1 ]
	[ "$(redis-cli -p "$RPORT" exists gather:lock:status)" = 0 ]
}
