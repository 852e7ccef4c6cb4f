#!/usr/bin/env bats
# --shard K/N and gather join: shards split the input by cache key, each
# request fetched by one shard (the fixture server's counts say so), and
# join puts the shards back into the document one run would have written,
# refusing what does not fit.  The SCALING recipes of the man page run
# here in a simplified form, their lines taken from the page.

load helpers

bats_require_minimum_version 1.5.0

MAN="$BATS_TEST_DIRNAME/../man/gather.1"

setup_file() {
	server_start
}

teardown_file() {
	server_stop
}

setup() {
	server_reset
	cd "$BATS_TEST_TMPDIR"
}

# urls N: N fixture URLs, one a line, and a bad line in the middle.
urls() {
	local i
	for ((i = 0; i < $1; i++)); do
		echo "$BASE/json/u$i"
		((i == $1 / 2)) && echo "not a url"
	done
	return 0
}

# The indexes of the results of document FILE, one a line.
indexes() {
	jq -r '.results[].index' "$1"
}

# The document FILE without what timing changes.
untimed() {
	jq -S 'del(.summary.time_ms, .summary.latency_ms, .results[].time_ms)' \
	    "$1"
}

# ranges: sorted indexes on stdin as join names them: "index 7 is",
# "indexes 0-3, 7 are", the first 8 ranges and then how many in all.
ranges() {
	awk 'function put() {
		if (++nr <= 8)
			out = out sep (from == to ? from : from "-" to)
		else if (nr == 9)
			more = 1
		sep = ", "
	}
	NR == 1 { from = to = $1; next }
	$1 == to + 1 { to = $1; next }
	{ put(); from = to = $1 }
	END {
		put()
		if (more)
			out = out ", ... (" NR " in all)"
		print (NR == 1 ? "index " out " is" : "indexes " out " are")
	}'
}

# shards_run N ARGS...: runs shards 1..N of ARGS one after the other,
# shard K's document in sK.json; fails on an exit status above 1.
shards_run() {
	local n=$1 k rc
	shift
	for ((k = 1; k <= n; k++)); do
		rc=0
		"$GATHER" --compact --shard "$k/$n" "$@" >"s$k.json" || rc=$?
		[ "$rc" -le 1 ] || fail "shard $k/$n exited $rc"
	done
}

@test "shards: 4 shards fetch every URL once between them; indexes are global" {
	urls 40 >in.txt
	shards_run 4 -i in.txt
	cat s1.json s2.json s3.json s4.json | jq -r '.results[].index' |
	    sort -n >all
	# Disjoint, and together every input: the bad line too, once.
	assert_equal "$(cat all)" "$(seq 0 40)"
	assert_equal "$(total_hits)" 40
	for i in 0 7 39; do
		assert_equal "$(hits /json/u$i)" 1
	done
	# An index is the input's line: the URL on line index+1.
	for k in 1 2 3 4; do
		jq -r '.results[] | select(.ok) | "\(.index) \(.url)"' s$k.json |
		    while read -r i url; do
			assert_equal "$url" "$(sed -n "$((i + 1))p" in.txt)"
		done
	done
	# Each shard made requests, and only its own.
	for k in 1 2 3 4; do
		n=$(jq '.summary.total' s$k.json)
		[ "$n" -gt 0 ] || fail "shard $k/4 is empty"
		assert_equal "$n" "$(jq '.results | length' s$k.json)"
		assert_equal "$(jq -r .summary.shard s$k.json)" "$k/4"
	done
}

@test "shards: a request falls in the same shard in every run, whatever the input order" {
	urls 30 >in.txt
	"$GATHER" --compact --shard 2/3 -i in.txt >a.json || true
	"$GATHER" --compact --shard 2/3 -i in.txt >b.json || true
	assert_equal "$(indexes a.json)" "$(indexes b.json)"
	# By the request, not its place: reversed input, the same URLs.
	tac in.txt >rev.txt
	"$GATHER" --compact --shard 2/3 -i rev.txt >c.json || true
	assert_equal "$(jq -r '.results[].url' c.json | sort)" \
	    "$(jq -r '.results[].url' a.json | sort)"
	# A URL spelled another way is the same request.
	up=$(jq -r '.results[] | select(.ok) | .url' a.json | head -1)
	other=$(sed -E 's#^http://127.0.0.1#HTTP://127.0.0.1#; s#$#\#frag#' \
	    <<<"$up")
	run "$GATHER" --compact --shard 2/3 "$other"
	assert_success
	assert_equal "$(j '.results | length')" 1
}

@test "shards: each bad input is reported by exactly one shard" {
	printf '%s\n' "$BASE/json/a" "bad one" "ftp://x/" "bad one" \
	    '{"nope": 1}' "$BASE/json/b" >in.txt
	shards_run 3 -i in.txt
	cat s1.json s2.json s3.json |
	    jq -r '.results[] | select(.error.kind == "input") | .index' |
	    sort -n >bad
	assert_equal "$(cat bad)" "$(printf '%s\n' 1 2 3 4)"
	assert_equal "$(cat s*.json | jq -s 'map(.summary.errors.input // 0) | add')" 4
}

@test "shards: --shard needs K/N with 1 <= K <= N; nothing is fetched" {
	for bad in "0/4:K must be from 1 to N" "5/4:K must be from 1 to N" \
	    "1/0:N must be from 1 to 1000000" "x:want K/N"; do
		run "$GATHER" --shard "${bad%%:*}" "$BASE/json/a"
		assert_equal "$status" 2
		assert_equal "$output" "gather: --shard: ${bad#*:}, got '${bad%%:*}'
Try 'gather --help' for more."
	done
	assert_equal "$(total_hits)" 0
}

@test "join: the shards' documents make the document of one run" {
	urls 24 >in.txt
	shards_run 4 -i in.txt
	run "$GATHER" join --compact s3.json s1.json s4.json s2.json
	assert_equal "$status" 1	# the bad line failed
	echo "$output" >joined.json
	assert_equal "$(indexes joined.json)" "$(seq 0 24)"
	assert_equal "$(jq .summary.shard joined.json)" null
	server_reset
	"$GATHER" --compact -i in.txt >whole.json || true
	assert_equal "$(untimed joined.json)" "$(untimed whole.json)"
	# The join fetched nothing: only the unsharded run did.
	assert_equal "$(total_hits)" 24
}

@test "join: NDJSON shards, with their --summary files, and without" {
	urls 16 >in.txt
	for k in 1 2 3; do
		"$GATHER" --ndjson --shard $k/3 --summary n$k.sum -i in.txt \
		    >n$k.ndjson || true
	done
	"$GATHER" --compact -i in.txt >whole.json || true
	run "$GATHER" join --compact n1.ndjson n1.sum n2.ndjson n2.sum \
	    n3.ndjson n3.sum
	assert_equal "$status" 1
	echo "$output" >a.json
	assert_equal "$(untimed a.json)" "$(untimed whole.json)"
	run "$GATHER" join --compact n2.ndjson n3.ndjson n1.ndjson
	assert_equal "$status" 1
	echo "$output" >b.json
	assert_equal "$(untimed b.json)" "$(untimed whole.json)"
	# --ndjson out: one result a line, in input order.
	run "$GATHER" join --ndjson n1.ndjson n2.ndjson n3.ndjson
	assert_equal "$(j -s 'map(.index) | join(" ")')" "$(seq -s ' ' 0 16)"
}

@test "join: a mix of a document, NDJSON with a summary and NDJSON without" {
	urls 16 >in.txt
	"$GATHER" --compact --shard 1/3 -i in.txt >d1.json || true
	"$GATHER" --ndjson --ordered --shard 2/3 --summary n2.sum -i in.txt \
	    >n2.ndjson || true
	"$GATHER" --ndjson --shard 3/3 -i in.txt >n3.ndjson || true
	"$GATHER" --compact -i in.txt >whole.json || true
	run "$GATHER" join --compact n3.ndjson d1.json n2.sum n2.ndjson
	assert_equal "$status" 1
	echo "$output" >m.json
	assert_equal "$(untimed m.json)" "$(untimed whole.json)"
	# From stdin too.
	run "$GATHER" join --compact - n2.ndjson n3.ndjson <d1.json
	assert_equal "$status" 1
	echo "$output" >m2.json
	assert_equal "$(untimed m2.json)" "$(untimed whole.json)"
}

@test "join: the same shard twice is an overlap: exit 1, named, nothing written" {
	urls 20 >in.txt
	shards_run 2 -i in.txt
	run --separate-stderr "$GATHER" join s1.json s2.json s1.json
	assert_equal "$status" 1
	assert_equal "$output" ''
	assert_equal "$stderr" "gather: join: $(indexes s1.json | ranges) in both s1.json and s1.json
gather: join: shard 1/2 is in both s1.json and s1.json"
}

@test "join: a missing shard is a gap: exit 1, named, nothing written" {
	urls 40 >in.txt
	shards_run 4 -i in.txt
	run --separate-stderr "$GATHER" join s1.json s2.json s4.json
	assert_equal "$status" 1
	assert_equal "$output" ''
	last=$(cat s1.json s2.json s4.json | jq -s '[.[].results[].index] | max')
	gap=$(jq --argjson m "$last" '.results[].index | select(. < $m)' \
	    s3.json | ranges)
	[ -n "$gap" ] || fail "shard 3/4 holds no index below $last"
	assert_equal "$stderr" "gather: join: $gap in no file
gather: join: shard 3/4 is missing"
	# NDJSON with the summary files: the same.
	for k in 1 2 4; do
		jq -c '.results[]' s$k.json >n$k.ndjson
		jq -c '.summary' s$k.json >n$k.sum
	done
	run --separate-stderr "$GATHER" join n1.ndjson n2.ndjson n4.ndjson \
	    n1.sum n2.sum n4.sum
	assert_equal "$status" 1
	assert_equal "$stderr" "gather: join: $gap in no file
gather: join: shard 3/4 is missing"
	# NDJSON without summaries: only the indexes can tell.
	run --separate-stderr "$GATHER" join n1.ndjson n2.ndjson n4.ndjson
	assert_equal "$status" 1
	assert_equal "$stderr" "gather: join: $gap in no file"
}

@test "join: a failed result stays failed and the join exits 1; all ok exits 0" {
	printf '%s\n' "$BASE/json/a" "$BASE/status/404" "$BASE/json/b" \
	    "$BASE/json/c" >in.txt
	shards_run 2 -i in.txt
	run "$GATHER" join --compact s1.json s2.json
	assert_equal "$status" 1
	assert_equal "$(j '.results[1].ok, .results[1].status, .results[1].error.kind')" \
	    "$(printf '%s\n' false 404 http)"
	assert_equal "$(j '.summary.failed, .summary.ok')" "$(printf '1\n3')"
	grep -v 404 in.txt >ok.txt
	shards_run 2 -i ok.txt
	run "$GATHER" join --compact s1.json s2.json
	assert_success
	assert_equal "$(j .summary.ok)" 3
}

@test "join: usage errors and files that are not gather's output exit 2" {
	run "$GATHER" join
	assert_equal "$status" 2
	assert_line --index 0 'gather: join: which files?'
	echo '[1, 2]' >array.json
	run "$GATHER" join array.json
	assert_equal "$status" 2
	assert_output 'gather: join: array.json: line 1: not a gather document, result or summary'
	run "$GATHER" join missing.json
	assert_equal "$status" 2
	assert_output 'gather: join: missing.json: No such file or directory'
}

@test "shards: four side by side, joined: each URL once, the document of one run" {
	urls 60 >in.txt
	pids=()
	for k in 1 2 3 4; do
		"$GATHER" --compact -j 4 --shard $k/4 -i in.txt >s$k.json &
		pids+=($!)
	done
	for p in "${pids[@]}"; do
		wait "$p" || [ $? -eq 1 ] || fail "a shard failed"
	done
	assert_equal "$(total_hits)" 60
	run "$GATHER" join --compact s*.json
	assert_equal "$status" 1
	echo "$output" >joined.json
	server_reset
	"$GATHER" --compact -i in.txt >whole.json || true
	assert_equal "$(untimed joined.json)" "$(untimed whole.json)"
}

# The rendered man page's text of the SCALING section.
scaling() {
	mandoc -T ascii "$MAN" | col -bx |
	    awk '/^SCALING$/ { f = 1; next } /^[A-Z]/ { f = 0 } f'
}

@test "recipes: the Kubernetes Indexed Job of the man page, pods as processes" {
	cmd=$(scaling | sed -n 's/^ *- \(gather --shard .*\)$/\1/p')
	joinline=$(scaling | sed -n 's/^ *\(gather join \/data\/.*\)$/\1/p')
	[[ $cmd == *'$((JOB_COMPLETION_INDEX+1))/$N'* ]] ||
	    fail "no Indexed Job line in the man page: '$cmd'"
	[ -n "$joinline" ] || fail "no join line after the Job"
	n=$(scaling | sed -n 's/^ *completions: \([0-9]*\)$/\1/p')
	assert_equal "$n" 4
	# /data is the shared volume: a folder here.
	mkdir -p data/out
	urls 20 >data/urls.txt
	echo "$BASE/status/404" >>data/urls.txt
	for ((i = 0; i < n; i++)); do
		run env PATH="$(dirname "$GATHER"):$PATH" N="$n" \
		    JOB_COMPLETION_INDEX=$i sh -c "${cmd//\/data/$PWD/data}"
		assert_success	# a failed result does not fail the pod
	done
	assert_equal "$(total_hits)" 21
	run env PATH="$(dirname "$GATHER"):$PATH" \
	    sh -c "${joinline//\/data/$PWD/data}"
	assert_equal "$status" 1	# the bad line and the 404
	assert_equal "$(jq '.results | length' data/all.json)" 22
	assert_equal "$(jq '[.results[].index] == [range(22)]' data/all.json)" true
	assert_equal "$(jq '.summary.failed' data/all.json)" 2
}

@test "recipes: GNU parallel fans the man page's shards out" {
	lines=$(scaling | sed -n 's/^ *\(parallel gather .*\)$/\1/p')
	joinline=$(scaling | sed -n 's/^ *\(gather join out\..*\)$/\1/p')
	[[ $lines == *'--shard {}/4'*'::: 1 2 3 4' ]] ||
	    fail "no parallel line in the man page: '$lines'"
	[ -n "$joinline" ] || fail "no join line after parallel"
	urls 30 >urls.txt
	run env PATH="$(dirname "$GATHER"):$PATH" sh -c "$lines"
	# parallel exits with the number of jobs that failed: each shard
	# but the bad line's exits 0.
	[ "$status" -le 1 ] || fail "parallel exited $status: $output"
	assert_equal "$(total_hits)" 30
	assert_equal "$(ls out.*.json | wc -l)" 4
	run env PATH="$(dirname "$GATHER"):$PATH" sh -c "$joinline"
	assert_equal "$status" 1
	assert_equal "$(jq '[.results[].index] == [range(31)]' all.json)" true
	assert_equal "$(jq '.summary.ok' all.json)" 30
}
