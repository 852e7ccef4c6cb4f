#!/bin/sh
# Allocation-failure test (make allocfail): runs a small sample run of
# GATHER, a build made with -DGATHER_FAILALLOC and ASan/UBSan, once for
# every n from 1, the n-th allocation failing (GATHER_FAILALLOC=n), until
# a run ends without reaching its n.  Every run must end cleanly:
#   - exit 3 with "gather: out of memory" on stderr (the x-alloc wrappers'
#     orderly exit), or
#   - exit 1 (the sample has a 404) with complete, valid JSON holding
#     every result, the failed allocation reported in a result or
#     absorbed (a cache write given up, say);
# never a signal, a sanitizer report, a hang (a 60 s guard) or anything
# else.  Concurrency is 1, so that n names the same allocation each time.
#
# usage: allocfail.sh GATHER
set -u

gather=$1
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
srv=
trap 'kill $srv 2>/dev/null; wait $srv 2>/dev/null; rm -rf "$tmp"' EXIT
# Exit statuses of their own, so that a report is never taken for exit 1.
ASAN_OPTIONS=exitcode=86:detect_leaks=1
UBSAN_OPTIONS=exitcode=87:print_stacktrace=1
export ASAN_OPTIONS UBSAN_OPTIONS

python3 "$here/server/server.py" --port-file "$tmp/port" >/dev/null 2>&1 &
srv=$!
i=0
while [ ! -s "$tmp/port" ]; do
	i=$((i + 1))
	[ "$i" -le 500 ] || { echo "allocfail: no fixture server"; exit 1; }
	sleep 0.02
done
base=http://127.0.0.1:$(cat "$tmp/port")
nurls=5

# One run; $1 is n (0: no failure).  Leaves out, err and rc in $tmp.
sample() {
	rm -rf "$tmp/cache"
	cp -R "$tmp/template" "$tmp/cache"
	curl -sf -o /dev/null "$base/_/reset" || return 1
	GATHER_FAILALLOC=$1 timeout -k 5 60 "$gather" -j 1 --ttl 1h \
	    --cache-dir "$tmp/cache" --retry 1 --retry-delay 10ms \
	    "$base/json/cached" "$base/json/new" "$base/status/404" \
	    "$base/flaky/x?fail=1" "named=$base/json/named" \
	    >"$tmp/out" 2>"$tmp/err"
	echo $? >"$tmp/rc"
}

# A cache holding one of the sample's URLs, so that runs read one too.
GATHER_FAILALLOC=0 "$gather" --ttl 1h --cache-dir "$tmp/template" \
    "$base/json/cached" >/dev/null 2>&1
[ -d "$tmp/template" ] || { echo "allocfail: no cache made"; exit 1; }

# Prints why the last run was not clean, or nothing.
verdict() {
	rc=$(cat "$tmp/rc")
	if grep -q -E 'Sanitizer|runtime error' "$tmp/err"; then
		echo "a sanitizer report"
	elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "a hang (killed after 60 s)"
	elif [ "$rc" -ge 128 ]; then
		echo "death by signal $((rc - 128))"
	elif [ "$rc" -eq 3 ]; then
		grep -q '^gather: out of memory$' "$tmp/err" ||
		    echo "exit 3 without 'gather: out of memory'"
	elif [ "$rc" -eq 1 ]; then
		[ "$(jq '.results | length' "$tmp/out" 2>/dev/null)" = \
		    "$nurls" ] || echo "exit 1 without every result in valid JSON"
	else
		echo "exit $rc"
	fi
}

n=0
runs=0
failed=0
oom=0
reported=0
absorbed=0
while :; do
	n=$((n + 1))
	sample "$n" || { echo "allocfail: the fixture server is gone"; exit 1; }
	runs=$((runs + 1))
	why=$(verdict)
	if ! grep -q '^gather: failalloc: ' "$tmp/err"; then
		# The run made fewer than n allocations: the last one, whole.
		if [ "$(cat "$tmp/rc")" -ne 1 ] || [ -n "$why" ]; then
			echo "not ok - run without a failure: ${why:-exit $(cat "$tmp/rc")}"
			failed=$((failed + 1))
		fi
		break
	fi
	if [ -n "$why" ]; then
		failed=$((failed + 1))
		echo "not ok - allocation $n fails: $why"
		sed 's/^/#   /' "$tmp/err" | head -n 30
	elif [ "$(cat "$tmp/rc")" -eq 3 ]; then
		oom=$((oom + 1))
	elif grep -q -i -E 'out of memory|memory function failed' \
	    "$tmp/out"; then
		reported=$((reported + 1))
	else
		absorbed=$((absorbed + 1))
	fi
	[ "$n" -lt 100000 ] || { echo "allocfail: no end in sight"; exit 1; }
done
echo "allocfail: $((n - 1)) allocations failed one at a time:" \
    "$oom out of memory (exit 3), $reported reported in a result," \
    "$absorbed absorbed"
echo "allocfail: $((runs - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
