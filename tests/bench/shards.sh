#!/bin/sh
# The shards target of issue 14: four gather --shard K/4 run side by side
# over the same URLs of a local nginx, then gather join.  Every URL must be
# fetched exactly once (nginx's access log counts the requests), and the
# joined document must be the document of one unsharded run but for its
# timings (time_ms, latency_ms).  Prints a report; `make bench` runs it
# after run.sh's tables.
#
# Environment: BUILD (build), GATHER (BUILD/gather), BENCH_SHARDS (the
# number of URLs; BENCH_SMALL, else 20000).
# Exit status: 0 the target is met, 1 it is not, 2 a broken setup.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-build}
gather=${GATHER:-$(cd "$BUILD" 2>/dev/null && pwd)/gather} || gather=
n=${BENCH_SHARDS:-${BENCH_SMALL:-20000}}
if [ ! -x "$gather" ]; then
	echo "shards: no gather binary at '$gather' (run make all)" >&2
	exit 2
fi
for tool in nginx jq awk; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "shards: $tool is missing (run make bench-deps)" >&2
		exit 2
	fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/gather-shards.XXXXXX")
cleanup() {
	if [ -s "$work/nginx.pid" ]; then
		kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ms() {
	echo $(($(date +%s%N) / 1000000))
}

# The requests for /s/ in the access log: "REQUESTS DISTINCT MOST", the
# most being how often the URL fetched most often was.
requests() {
	awk '$7 ~ /^\/s\// { n++; seen[$7]++ }
	    END { for (p in seen) { d++; if (seen[p] > m) m = seen[p] }
	          printf "%d %d %d\n", n, d, m }' "$work/access.log"
}

untimed() {
	jq -S 'del(.summary.time_ms, .summary.latency_ms, .results[].time_ms)' \
	    "$1"
}

echo "shards: generating $n documents" >&2
port=$(NGINX_ACCESS_LOG=$work/access.log sh "$here/nginx.sh" "$work" "$n" 0) ||
    exit 2
i=0
while [ "$i" -lt "$n" ]; do
	echo "http://127.0.0.1:$port/s/$i.json"
	i=$((i + 1))
done >"$work/urls.txt"

t0=$(ms)
pids=
for k in 1 2 3 4; do
	"$gather" --compact --shard "$k/4" -i "$work/urls.txt" \
	    -o "$work/shard.$k.json" &
	pids="$pids $!"
done
bad=0
for p in $pids; do
	wait "$p" || bad=1
done
t1=$(ms)
if [ "$bad" -ne 0 ]; then
	echo "shards: a shard failed" >&2
	exit 1
fi
set -- $(requests)
sharded_requests=$1 distinct=$2 most=$3
"$gather" join --compact "$work"/shard.*.json >"$work/joined.json" || {
	echo "shards: gather join failed" >&2
	exit 1
}
t2=$(ms)
: >"$work/access.log"
"$gather" --compact -i "$work/urls.txt" -o "$work/whole.json" || {
	echo "shards: the unsharded run failed" >&2
	exit 1
}
t3=$(ms)
whole_requests=$(requests | cut -d' ' -f1)
same=no
untimed "$work/joined.json" >"$work/joined.untimed"
untimed "$work/whole.json" >"$work/whole.untimed"
cmp -s "$work/joined.untimed" "$work/whole.untimed" && same=yes

once=no
[ "$sharded_requests" -eq "$n" ] && [ "$distinct" -eq "$n" ] &&
    [ "$most" -eq 1 ] && once=yes
echo
echo "## Shards (issue 14): $n URLs, 4 shards side by side, then gather join"
echo
echo "| | |"
echo "|---|---|"
for k in 1 2 3 4; do
	echo "| shard $k/4 results | $(jq .summary.total "$work/shard.$k.json") |"
done
echo "| 4 shards, wall | $((t1 - t0)) ms |"
echo "| gather join, wall | $((t2 - t1)) ms |"
echo "| one unsharded run, wall | $((t3 - t2)) ms |"
echo "| nginx requests, 4 shards | $sharded_requests for $distinct URLs (most for one: $most) |"
echo "| nginx requests, unsharded | $whole_requests |"
echo
status=0
if [ "$once" = yes ]; then
	echo "- target: every URL fetched exactly once by the 4 shards: met"
else
	echo "- target: every URL fetched exactly once by the 4 shards: MISSED"
	status=1
fi
if [ "$same" = yes ]; then
	echo "- target: the joined document is the unsharded one but for timings: met"
else
	echo "- target: the joined document is the unsharded one but for timings: MISSED"
	diff "$work/joined.untimed" "$work/whole.untimed" | head -20
	status=1
fi
exit $status
