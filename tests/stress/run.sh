#!/bin/bash
# Stress test (issue 10; `make stress`, not part of `make check`).
#
# STRESS_REQUESTS inputs (default 100,000) are fed, in rounds, to three
# gather processes at a time that share one cache.  Each input is a URL of
# tests/server/faulty.py's /rand route: it fails at random (503, a body cut
# short, a reset, a connection closed with no answer) at most 3 times per
# URL, and answers after a random delay with a body that names its own path
# and query.  Each process gets a random draw (with repeats) from a pool of
# URLs, a random --ttl (1h or 2s, sometimes --refresh), one of three output
# shapes (JSON on stdout, -o FILE, --ndjson), and, one time in three, a
# SIGTERM at a random moment.  Checked for every output:
#   - it is complete, valid JSON (jq);
#   - exactly one result per input: the index set is 0..N-1, each result's
#     url is that input's URL;
#   - every result is ok (retries absorb the failures), or, in a run that
#     was sent SIGTERM, kind interrupted; the exit status is 0, or 143;
#   - every ok body, from the network or the cache, names its own URL's
#     path and query: nothing is served that was not stored for it.
# At the end the cache lists every entry it holds, each for a URL of the
# pool, and an --offline run serves each one for its own URL.
#
# Knobs (environment): STRESS_REQUESTS, STRESS_BATCH (inputs per process
# and round, 5000), STRESS_POOL (distinct URLs, 40000), STRESS_JOBS (-j of
# each process, 16), STRESS_JITTER (ms of random delay per answer, 100),
# STRESS_SEED (for bash's RANDOM), GATHER, STRESS_KEEP=1 (keep the folder).

set -u
cd "$(dirname "$0")/../.." || exit 2

GATHER=${GATHER:-$PWD/build/gather}
REQUESTS=${STRESS_REQUESTS:-100000}
BATCH=${STRESS_BATCH:-5000}
POOL=${STRESS_POOL:-40000}
JOBS=${STRESS_JOBS:-16}
JITTER=${STRESS_JITTER:-100}
SEED=${STRESS_SEED:-$$}
RANDOM=$SEED
SERVERS=2
PROCS=3

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gather-stress.XXXXXX")
pids=()
failures=0

cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	if [ "${STRESS_KEEP:-0}" = 1 ]; then
		echo "stress: kept $tmp"
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT

fail() {
	echo "stress: FAIL: $*"
	failures=$((failures + 1))
}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# Starts faulty.py server number N; its port goes to $tmp/port.N.
start_server() {
	local n=$1 i
	python3 tests/server/faulty.py --port-file "$tmp/port.$n" \
	    >/dev/null 2>>"$tmp/server.err" &
	pids+=($!)
	for ((i = 0; i < 500; i++)); do
		[ -s "$tmp/port.$n" ] && return 0
		sleep 0.02
	done
	echo "stress: faulty.py did not start" >&2
	exit 1
}

# Requests that reached every server.
server_hits() {
	local n total=0 h
	for ((n = 0; n < SERVERS; n++)); do
		h=$(curl -sf "http://127.0.0.1:$(cat "$tmp/port.$n")/_/hits" |
		    jq '[.[]] | add // 0') || h=0
		total=$((total + h))
	done
	echo "$total"
}

# 0 once process PID catches SIGTERM (its handler is installed), or is gone.
term_ready() {
	local mask
	mask=$(awk '/^SigCgt:/ { print $2 }' "/proc/$1/status" 2>/dev/null) ||
	    return 0
	[ -z "$mask" ] && return 0
	(((0x$mask >> 14) & 1))
}

# Sends SIGTERM to PID after DELAY ms, once it can catch it, unless it
# has ended by then; leaves the file MARK when the signal was sent.
term_later() {
	local pid=$1 delay=$2 mark=$3 i end
	for ((i = 0; i < 1000; i++)); do
		term_ready "$pid" && break
		sleep 0.01
	done
	end=$(($(now_ms) + delay))
	while [ "$(now_ms)" -lt "$end" ]; do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.05
	done
	kill -TERM "$pid" 2>/dev/null && : >"$mark"
}

# The pool: URL i goes to server i mod SERVERS; a third answer at once,
# the rest after up to JITTER ms.
make_pool() {
	awk -v pool="$POOL" -v jitter="$JITTER" -v ports="$(cat "$tmp"/port.*)" \
	    'BEGIN {
		n = split(ports, port, "\n")
		for (i = 0; i < pool; i++) {
			j = i % 3 ? "&jitter=" jitter : ""
			printf "http://127.0.0.1:%s/rand/%d?p=0.2&max=3%s\n",
			    port[i % n + 1], i, j
		}
	}' >"$tmp/pool"
}

# Writes BATCH lines drawn at random (with repeats) from the pool to FILE.
draw() {
	awk -v n="$BATCH" -v seed="$RANDOM$RANDOM" '
	    { url[NR] = $0 }
	    END { srand(seed); for (i = 0; i < n; i++)
		print url[int(rand() * NR) + 1] }' "$tmp/pool" >"$1"
}

# The jq program that lists what is wrong with one run's results
# ({"results": [...]}) against its input lines; empty when all is well.
CHECK='
($in | split("\n") | map(select(length > 0))) as $urls
| .results as $r
| [ (if ($r | length) != ($urls | length) then
	"\($r | length) results for \($urls | length) inputs" else empty end),
    (if ([$r[].index] | sort) != [range($urls | length)] then
	"the index set is not 0..\($urls | length - 1), each once" else empty end),
    ($r[] | select(.url != $urls[.index]) |
	"result \(.index): url \(.url) is not its input \($urls[.index])"),
    ($r[] | select(.ok | not) |
	select($killed == 0 or .error.kind != "interrupted") |
	"result \(.index) failed: \(.error.kind): \(.error.message)"),
    ($r[] | select(.ok) |
	select("http://\(.url | split("/")[2])\(.body.path)?\(.body.query)"
	    != .url) |
	"result \(.index) (cache \(.cache)) has the body of \(.body.path)?\(.body.query), not of \(.url)")
  ] | .[:5][]'

# Checks the output of process K of the round: status RC, killed or not.
check_run() {
	local k=$1 rc=$2 killed=$3 shape=$4 out="$tmp/out.$1" doc problems
	if [ "$killed" = 1 ]; then
		[ "$rc" = 0 ] || [ "$rc" = 143 ] ||
		    fail "process $k ($shape, SIGTERM): exit $rc, not 0 or 143"
	else
		[ "$rc" = 0 ] || fail "process $k ($shape): exit $rc, not 0"
	fi
	if [ "$shape" = ndjson ]; then
		doc="$tmp/doc.$k"
		if ! jq -c -s '{results: .}' "$out" >"$doc" 2>"$tmp/jq.err"; then
			fail "process $k ($shape): not valid NDJSON: $(head -c 200 "$tmp/jq.err")"
			return
		fi
		[ "$(wc -l <"$out")" = "$BATCH" ] ||
		    fail "process $k ($shape): $(wc -l <"$out") lines for $BATCH inputs"
	else
		doc=$out
	fi
	if ! problems=$(jq -r --rawfile in "$tmp/in.$k" --argjson killed "$killed" \
	    "$CHECK" "$doc" 2>&1); then
		fail "process $k ($shape): not valid JSON: $(head -c 200 <<<"$problems")"
		return
	fi
	if [ -n "$problems" ]; then
		fail "process $k ($shape):"
		sed 's/^/    /' <<<"$problems"
	fi
	if [ "$shape" != ndjson ] &&
	    ! jq -e --argjson n "$BATCH" '.summary.total == $n' "$doc" >/dev/null; then
		fail "process $k ($shape): the summary does not count $BATCH results"
	fi
	jq -r '.results[] | "\(.cache) \(.ok)"' "$doc" >>"$tmp/tally"
}

# One round: PROCS processes at once on the shared cache.
round() {
	local r=$1 k ttl shape args rc
	local gpids=() shapes=() killed=() kpids=() rcs=()
	for ((k = 0; k < PROCS; k++)); do
		draw "$tmp/in.$k"
		rm -f "$tmp/out.$k" "$tmp/term.$k"
		ttl=1h
		((RANDOM % 3 == 0)) && ttl=2s
		args=(--compact --ttl "$ttl" --cache-dir "$tmp/cache" -j "$JOBS"
		    --retry 4 --retry-delay 5ms --retry-max-delay 50ms -m 10s)
		((RANDOM % 5 == 0)) && args+=(--refresh)
		shape=$(((r + k) % 3))
		case $shape in
		0)	shapes+=(stdout)
			"$GATHER" "${args[@]}" -i "$tmp/in.$k" \
			    >"$tmp/out.$k" 2>"$tmp/err.$k" & ;;
		1)	shapes+=(-o)
			"$GATHER" "${args[@]}" -i "$tmp/in.$k" -o "$tmp/out.$k" \
			    2>"$tmp/err.$k" & ;;
		2)	shapes+=(ndjson)
			"$GATHER" "${args[@]}" --ndjson -q -i "$tmp/in.$k" \
			    >"$tmp/out.$k" 2>"$tmp/err.$k" & ;;
		esac
		gpids+=($!)
		if ((RANDOM % 3 == 0)); then
			term_later "$!" $((RANDOM % 8000)) "$tmp/term.$k" &
			kpids+=($!)
		fi
	done
	for ((k = 0; k < PROCS; k++)); do
		rc=0
		wait "${gpids[$k]}" || rc=$?
		killed[k]=0
		[ -e "$tmp/term.$k" ] && killed[k]=1
		rcs[k]=$rc
	done
	for k in "${kpids[@]}"; do
		wait "$k" 2>/dev/null
	done
	for ((k = 0; k < PROCS; k++)); do
		[ -e "$tmp/term.$k" ] && killed[k]=1
		check_run "$k" "${rcs[$k]}" "${killed[$k]}" "${shapes[$k]}"
	done
	echo "stress: round $r: exits ${rcs[*]}, SIGTERM ${killed[*]}," \
	    "shapes ${shapes[*]}, $(($(now_ms) - t0)) ms so far"
}

# The cache at the end: every entry listed, for a URL of the pool, and
# served by --offline for its own URL.
check_cache() {
	local files listed
	files=$(sqlite3 -batch "$tmp/cache/cache.db" 'SELECT count(*) FROM entries')
	if ! "$GATHER" cache list --cache-dir "$tmp/cache" >"$tmp/list" \
	    2>"$tmp/list.err"; then
		fail "gather cache list failed: $(head -c 200 "$tmp/list.err")"
		return
	fi
	[ -s "$tmp/list.err" ] &&
	    fail "gather cache list warned: $(head -c 200 "$tmp/list.err")"
	listed=$(jq -r .url "$tmp/list" | sort -u | tee "$tmp/listed" | wc -l)
	[ "$listed" = "$(wc -l <"$tmp/list")" ] ||
	    fail "gather cache list: $(wc -l <"$tmp/list") entries for $listed URLs"
	[ "$listed" = "$files" ] ||
	    fail "gather cache list: $listed entries for $files rows"
	[ -z "$(sort -u "$tmp/pool" | comm -13 - "$tmp/listed")" ] ||
	    fail "gather cache list: a URL that is not in the pool"
	cp "$tmp/listed" "$tmp/in.offline"
	"$GATHER" --compact --offline --cache-dir "$tmp/cache" \
	    -i "$tmp/in.offline" >"$tmp/out.offline" 2>/dev/null ||
	    fail "--offline over the $listed cached URLs: exit $?"
	problems=$(jq -r --rawfile in "$tmp/in.offline" --argjson killed 0 \
	    "$CHECK" "$tmp/out.offline" 2>&1)
	[ -z "$problems" ] || fail "--offline: $problems"
	echo "stress: cache: $files entries, all listed and served for their own URL"
}

t0=$(now_ms)
for ((n = 0; n < SERVERS; n++)); do
	start_server "$n"
done
make_pool
: >"$tmp/tally"
rounds=$(((REQUESTS + PROCS * BATCH - 1) / (PROCS * BATCH)))
echo "stress: $((rounds * PROCS * BATCH)) inputs: $rounds rounds of $PROCS" \
    "processes x $BATCH, pool $POOL, -j $JOBS, jitter $JITTER ms, seed $SEED"
for ((r = 1; r <= rounds; r++)); do
	round "$r"
done
check_cache
echo "stress: results by cache state and ok:" \
    "$(sort "$tmp/tally" | uniq -c | awk '{ printf "%s %s=%s, ", $2, $3, $1 }')" \
    "requests at the servers: $(server_hits)"
if [ -s "$tmp/server.err" ]; then
	fail "the server wrote to stderr: $(head -c 300 "$tmp/server.err")"
fi
echo "stress: $(($(now_ms) - t0)) ms, $failures failures"
[ "$failures" = 0 ]
