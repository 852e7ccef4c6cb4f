#!/bin/sh
# make demo: starts the fixture server on a free loopback port, runs gather
# over a few sample URLs (one named, one failing), prints the aggregated
# JSON and stops the server.
set -u
BUILD=${BUILD:-build}
dir=$(mktemp -d)
trap 'kill $(cat "$dir/pid" 2>/dev/null) 2>/dev/null; rm -rf "$dir"' EXIT INT TERM

python3 tests/server/server.py --port-file "$dir/port" >/dev/null 2>&1 &
echo $! >"$dir/pid"
i=0
while [ ! -s "$dir/port" ] && [ $i -lt 100 ]; do
	sleep 0.05
	i=$((i + 1))
done
base="http://127.0.0.1:$(cat "$dir/port")"

echo "\$ gather --pretty users=$base/json/users $base/json/posts $base/text $base/status/503" >&2
"$BUILD/gather" --pretty \
    "users=$base/json/users" \
    "$base/json/posts?delay=50" \
    "$base/text" \
    "$base/status/503"
status=$?
echo "(gather exited $status: 1 means at least one result failed)" >&2
