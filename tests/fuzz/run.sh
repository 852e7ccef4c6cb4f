#!/bin/sh
# Runs each libFuzzer target for SECONDS from a scratch copy of its seed
# corpus (tests/fuzz/corpus/NAME), so the committed corpora stay as they
# are; prints one line per target with its executions and coverage, and a
# closing "fuzz: N passed, N failed".  Exits non-zero when any target
# crashed, leaked, hung or failed one of its own checks.
#
# usage: run.sh DIR SECONDS NAME...   (DIR holds the fuzz_NAME binaries)

LC_ALL=C
export LC_ALL
dir=$1
secs=$2
shift 2
here=$(dirname "$0")
passed=0
failed=0

for name in "$@"; do
	scratch=$dir/corpus/$name
	log=$dir/logs/$name.log
	rm -rf "$scratch"
	mkdir -p "$scratch" "$dir/logs" "$dir/crashes"
	cp "$here/corpus/$name"/* "$scratch"/
	set -- -max_total_time="$secs" -print_final_stats=1 -timeout=10 \
	    -rss_limit_mb=2048 -artifact_prefix="$dir/crashes/$name-"
	[ -f "$here/$name.dict" ] && set -- "$@" -dict="$here/$name.dict"
	"$dir/fuzz_$name" "$@" "$scratch" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	last=$(grep -a -E '^#[0-9]+.*cov: ' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	files=$(ls "$scratch" | wc -l)
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		verdict=ok
	else
		failed=$((failed + 1))
		verdict="FAILED (exit $rc)"
	fi
	printf 'fuzz: %-9s %10s execs  cov %5s  ft %6s  corpus %5s  %s\n' \
	    "$name" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$files" "$verdict"
	if [ "$rc" -ne 0 ]; then
		grep -a -E -A 30 '^==[0-9]+==ERROR|runtime error|^SUMMARY' \
		    "$log" | head -n 60
		echo "fuzz: $name: log $log; input:" \
		    "$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)"
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
