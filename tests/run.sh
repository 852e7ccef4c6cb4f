#!/bin/sh
# Runs every C unit test binary and every bats file, as TAP, and ends with
# one line "check: N passed, N failed".  Exits non-zero on any failure.
# BUILD names the build folder whose binaries are tested.

BUILD=${BUILD:-build}
GATHER=$(cd "$BUILD" && pwd)/gather
export GATHER
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	echo "# $t"
	if ! "$t" >"$log.one" 2>&1; then
		cat "$log.one"
		grep -q '^not ok' "$log.one" ||
		    echo "not ok - $t exited abnormally"
	else
		cat "$log.one"
	fi
	rm -f "$log.one"
done | tee "$log"

bats --tap tests/*.bats 2>&1 | tee -a "$log"

passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^not ok ' "$log")
echo "check: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
