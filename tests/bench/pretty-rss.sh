#!/bin/sh
# Peak memory of --pretty and --color against --compact for one large body
# (issue 10, defect 12: the re-indenter once held the whole indented body).
# Not part of `make check`: it moves hundreds of MiB.  Run from the top:
#   BUILD=build sh tests/bench/pretty-rss.sh [SIZE_MIB]
# Prints the maximum resident set size of each run (from /usr/bin/time -v)
# and exits 1 when --pretty or --color needs more than 1/8 above --compact.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-build}
gather=$(cd "$BUILD" 2>/dev/null && pwd)/gather || gather=
size=$((${1:-200} << 20))
if [ ! -x "$gather" ] || [ ! -x /usr/bin/time ]; then
	echo "pretty-rss: needs $BUILD/gather and /usr/bin/time" >&2
	exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gather-rss.XXXXXX")
python3 "$here/../server/server.py" --port-file "$work/port" >/dev/null &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
i=0
while [ ! -s "$work/port" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || { echo "pretty-rss: no server" >&2; exit 2; }
	sleep 0.05
done
url="http://127.0.0.1:$(cat "$work/port")/large?size=$size"
# The server builds the body once; the first fetch is not measured.
curl -sf -o /dev/null "$url"

# rss ARGS...: the peak kilobytes of one run of gather ARGS; "failed" when
# it fails (an older gather without --color).
rss() {
	if /usr/bin/time -v "$gather" -q --max-body $((size * 2)) "$@" "$url" \
	    2>"$work/time" >/dev/null; then
		awk -F': ' '/Maximum resident/ { print $2 }' "$work/time"
	else
		echo failed
	fi
}

compact=$(rss --compact)
pretty=$(rss --pretty)
color=$(rss --pretty --color=always)
ccolor=$(rss --compact --color=always)
printf '%-28s %10s KiB\n' "--compact" "$compact" "--pretty" "$pretty" \
    "--pretty --color=always" "$color" "--compact --color=always" "$ccolor"
status=0
for v in "$pretty" "$color" "$ccolor"; do
	[ "$v" != failed ] && [ "$v" -le $((compact + compact / 8)) ] ||
	    status=1
done
exit $status
