#!/usr/bin/env bats
# Pagination (issue 15): --paginate (Link headers), --next (a URL in the
# body), --cursor/--cursor-param, --items, --max-pages and the same as spec
# keys.  The items expected are built by jq from the fixture's rule (page p
# of per items holds ids (p-1)*per .. p*per-1); what was fetched is checked
# through the server's /_/hits, /_/log and /_/peak.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() {
	server_reset
	export GATHER_CACHE_DIR="$BATS_TEST_TMPDIR/cache"
}

# The items of pages FIRST..LAST of PER items each, compact.
want_items() {
	jq -nc --argjson a "$1" --argjson b "$2" --argjson per "$3" \
	    '[range($a; $b + 1) as $p | range(0; $per) |
	      {id: (($p - 1) * $per + .), page: $p}]'
}

# The queries of the requests for PATH the server saw, in order, one a line.
queries() {
	curl -sf "$BASE/_/log?path=$1" | jq -r '.[].query'
}

# The README's paginated-API recipe: the lines of the ```sh block after
# its "<!-- recipe: paginate -->" marker.
readme_recipe() {
	awk '/^<!-- recipe: paginate -->$/ { m = 1; next }
	    m && /^```sh$/ { f = 1; next } f && /^```/ { exit } f' \
	    "$BATS_TEST_DIRNAME/../README.md"
}

# The same recipe as the man page shows it: its gather lines, rendered.
man_recipe() {
	mandoc -T ascii "$BATS_TEST_DIRNAME/../man/gather.1" | col -bx |
	    sed -n 's/^ *\(gather --merge --[a-z]*.*"\$API.*\)$/\1/p'
}

# The sum of the body sizes of the URLs given, as curl gets them.
body_bytes() {
	local u n=0
	for u; do
		n=$((n + $(curl -sf "$u" | wc -c)))
	done
	echo "$n"
}

@test "paginate: Link headers collect every page's items, in order" {
	run "$GATHER" --compact --paginate "$BASE/pages/link/a?n=4&per=3"
	assert_success
	assert_equal "$(j -c '.results[0].body')" "$(want_items 1 4 3)"
	assert_equal "$(j '.results[0].pages')" 4
	assert_equal "$(j '.results[0].status')" 200
	assert_equal "$(j '.results[0].attempts')" 4
	assert_equal "$(j '.results | length')" 1
	# One request a page, each page once, in order.
	assert_equal "$(hits /pages/link/a)" 4
	assert_equal "$(queries /pages/link/a | tr '\n' ' ')" \
	    "n=4&per=3 n=4&per=3&page=2 n=4&per=3&page=3 n=4&per=3&page=4 "
	# bytes is the sum of the pages' bodies as the server sends them.
	u="$BASE/pages/link/a?n=4&per=3"
	server_reset
	assert_equal "$(j '.results[0].bytes')" \
	    "$(body_bytes "$u" "$u&page=2" "$u&page=3" "$u&page=4")"
	assert_equal "$(j '.summary.bytes')" "$(j '.results[0].bytes')"
}

@test "paginate: relative Link targets resolve against the page's URL" {
	for style in path query; do
		server_reset
		run "$GATHER" --compact --paginate \
		    "$BASE/pages/link/r?n=3&per=2&style=$style"
		assert_success
		assert_equal "$(j -c '.results[0].body')" "$(want_items 1 3 2)"
		assert_equal "$(hits /pages/link/r)" 3
	done
}

@test "paginate: --next follows the URL in the body, absolute or relative" {
	for style in abs path query; do
		server_reset
		run "$GATHER" --compact --next /next --items /data \
		    "$BASE/pages/next/n?n=3&per=2&style=$style"
		assert_success
		assert_equal "$(j -c '.results[0].body')" "$(want_items 1 3 2)"
		assert_equal "$(j '.results[0].pages')" 3
		assert_equal "$(hits /pages/next/n)" 3
	done
	# The last page's next is null, "" or absent: each ends it.
	for end in null empty missing; do
		server_reset
		run "$GATHER" --compact --next /next --items /data \
		    "$BASE/pages/next/e?n=2&per=1&end=$end"
		assert_success
		assert_equal "$(j '.results[0].pages')" 2
		assert_equal "$(hits /pages/next/e)" 2
	done
}

@test "paginate: --cursor puts the cursor into the input's query" {
	run "$GATHER" --compact --cursor /next_cursor --cursor-param cursor \
	    --items /items "$BASE/pages/cursor/c?n=3&per=2"
	assert_success
	assert_equal "$(j -c '.results[0].body')" "$(want_items 1 3 2)"
	assert_equal "$(queries /pages/cursor/c | tr '\n' ' ')" \
	    "n=3&per=2 n=3&per=2&cursor=tok-2 n=3&per=2&cursor=tok-3 "
	# A number is a cursor too, and an old value of the parameter is
	# replaced where it stands.
	server_reset
	run "$GATHER" --compact --cursor /next_cursor --cursor-param cursor \
	    --items /items "$BASE/pages/cursor/d?cursor=&n=3&per=1&numeric=1"
	assert_success
	assert_equal "$(j -c '.results[0].body')" "$(want_items 1 3 1)"
	assert_equal "$(queries /pages/cursor/d | tr '\n' ' ')" \
	    "cursor=&n=3&per=1&numeric=1 cursor=2&n=3&per=1&numeric=1 cursor=3&n=3&per=1&numeric=1 "
}

@test "paginate: --items on an object body; without it each object is an item" {
	run "$GATHER" --compact --next /next --items /data \
	    "$BASE/pages/next/o?n=2&per=2"
	assert_success
	assert_equal "$(j -c '.results[0].body')" "$(want_items 1 2 2)"
	server_reset
	run "$GATHER" --compact --next /next "$BASE/pages/next/w?n=2&per=1"
	assert_success
	assert_equal "$(j -c '.results[0].body | map(.data[0].id)')" '[0,1]'
	assert_equal "$(j -c '.results[0].body | length')" 2
	# An --items pointer that names nothing is an error, not silence.
	server_reset
	run "$GATHER" --compact --next /next --items /nothing \
	    "$BASE/pages/next/x?n=2&per=1"
	assert_failure 1
	assert_equal "$(j '.results[0].error.kind')" protocol
	assert_equal "$(j '.results[0].error.page')" 1
}

@test "paginate: --max-pages stops early; the result is ok, truncated, and said" {
	run --separate-stderr "$GATHER" --compact --paginate --max-pages 2 \
	    "$BASE/pages/link/m?n=5&per=1"
	assert_success
	assert_equal "$(j -c '.results[0].body')" "$(want_items 1 2 1)"
	assert_equal "$(j '.results[0].pages')" 2
	assert_equal "$(j '.results[0].truncated')" true
	assert_equal "$(hits /pages/link/m)" 2
	[[ $stderr == *"stopped after 2 pages (--max-pages)"* ]] ||
	    fail "no warning: $stderr"
	# Reaching the last page at the limit is no truncation.
	server_reset
	run --separate-stderr "$GATHER" --compact --paginate --max-pages 2 \
	    "$BASE/pages/link/k?n=2&per=1"
	assert_success
	assert_equal "$(j '.results[0].truncated')" null
	assert_equal "$stderr" ''
	# The default is 100.
	server_reset
	run --separate-stderr "$GATHER" --compact --paginate \
	    "$BASE/pages/link/h?n=150&per=1"
	assert_success
	assert_equal "$(j '.results[0].pages')" 100
	assert_equal "$(hits /pages/link/h)" 100
}

@test "paginate: a next link back to an earlier page ends it as a loop" {
	run "$GATHER" --compact --paginate "$BASE/pages/link/l?n=3&per=2&loop=1"
	assert_failure 1
	assert_equal "$(j '.results[0].error.kind')" protocol
	[[ $(j '.results[0].error.message') == *"pagination loop"* ]] ||
	    fail "message: $(j '.results[0].error.message')"
	assert_equal "$(j '.results[0].error.page')" 3
	assert_equal "$(j -c '.results[0].body')" "$(want_items 1 3 2)"
	# Page 1 was not fetched again.
	assert_equal "$(hits /pages/link/l)" 3
}

@test "paginate: a failing 3rd page fails the result and keeps pages 1-2" {
	run "$GATHER" --compact --paginate --retry 2 --retry-delay 1ms \
	    "$BASE/pages/link/f?n=5&per=2&fail=3"
	assert_failure 1
	r='.results[0]'
	assert_equal "$(j "$r.ok")" false
	assert_equal "$(j "$r.error.kind")" http
	assert_equal "$(j "$r.error.page")" 3
	assert_equal "$(j "$r.status")" 500
	assert_equal "$(j "$r.pages")" 2
	assert_equal "$(j -c "$r.body")" "$(want_items 1 2 2)"
	[[ $(j "$r.error.message") == "page 3: HTTP 500 after 3 attempts" ]] ||
	    fail "message: $(j "$r.error.message")"
	# Pages 1 and 2 once, page 3 three times (retries), nothing after.
	assert_equal "$(hits /pages/link/f)" 5
	assert_equal "$(queries /pages/link/f | grep -c 'page=3$')" 3
	assert_equal "$(queries /pages/link/f | grep -c 'page=4')" 0
	assert_equal "$(j .summary.retries)" 2
}

@test "paginate: a page that is not JSON fails the result at that page" {
	run "$GATHER" --compact --paginate "$BASE/pages/link/t?n=4&per=1&text=2"
	assert_failure 1
	assert_equal "$(j '.results[0].error.kind')" protocol
	assert_equal "$(j '.results[0].error.page')" 2
	assert_equal "$(j -c '.results[0].body')" "$(want_items 1 1 1)"
	assert_equal "$(hits /pages/link/t)" 2
}

@test "paginate: --max-body bounds the pages together" {
	u="$BASE/pages/link/b?n=5&per=1"
	one=$(curl -sf "$u" | wc -c)
	# Room for two pages and a half.
	run "$GATHER" --compact --paginate --max-body $((one * 5 / 2)) "$u"
	assert_failure 1
	assert_equal "$(j '.results[0].error.kind')" too_large
	assert_equal "$(j '.results[0].error.page')" 3
	assert_equal "$(j '.results[0].pages')" 2
	assert_equal "$(j -c '.results[0].body')" "$(want_items 1 2 1)"
}

@test "paginate: with --ttl every page is cached; a second run fetches nothing" {
	u="$BASE/pages/link/c?n=3&per=2&style=path"
	run "$GATHER" --compact --ttl 1h --paginate "$u"
	assert_success
	assert_equal "$(j '.results[0].cache')" miss
	assert_equal "$(hits /pages/link/c)" 3
	run "$GATHER" --compact --ttl 1h --paginate "$u"
	assert_success
	assert_equal "$(j '.results[0].cache')" hit
	assert_equal "$(j '.results[0].pages')" 3
	assert_equal "$(j -c '.results[0].body')" "$(want_items 1 3 2)"
	assert_equal "$(hits /pages/link/c)" 3
	# --next pages are cached as well.
	u="$BASE/pages/next/c?n=3&per=1"
	"$GATHER" --ttl 1h --next /next --items /data "$u" >/dev/null
	run "$GATHER" --compact --ttl 1h --next /next --items /data "$u"
	assert_equal "$(j -c '.results[0].body')" "$(want_items 1 3 1)"
	assert_equal "$(hits /pages/next/c)" 3
}

@test "paginate: two inputs run at once, each one page at a time" {
	run "$GATHER" --compact --paginate \
	    "$BASE/pages/link/p?n=3&per=1&delay=300" \
	    "$BASE/pages/link/q?n=3&per=1&delay=300"
	assert_success
	assert_equal "$(j -c '.results[0].body')" "$(want_items 1 3 1)"
	assert_equal "$(j -c '.results[1].body')" "$(want_items 1 3 1)"
	assert_equal "$(curl -sf "$BASE/_/peak" | jq .peak)" 2
	assert_equal "$(hits /pages/link/p)" 3
	assert_equal "$(hits /pages/link/q)" 3
}

@test "paginate: --bodies, --merge and --select work on the collected items" {
	a="$BASE/pages/link/s?n=2&per=1"
	b="$BASE/pages/next/s?n=2&per=2"
	run "$GATHER" --compact --merge --paginate "$a"
	assert_success
	assert_equal "$output" "$(want_items 1 2 1)"
	run "$GATHER" --compact --bodies --select /1/id --paginate "$a"
	assert_equal "$output" '[1]'
	printf '%s\n' "{\"url\": \"$a\", \"paginate\": true}" \
	    "{\"url\": \"$b\", \"next\": \"/next\", \"items\": \"/data\"}" |
	    "$GATHER" --compact --merge >"$BATS_TEST_TMPDIR/out"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/out")" \
	    "$(jq -nc --argjson x "$(want_items 1 2 1)" \
	    --argjson y "$(want_items 1 2 2)" '$x + $y')"
}

@test "paginate: the spec keys paginate, next, cursor, items, max_pages" {
	c="$BASE/pages/cursor/k?n=3&per=1"
	run --separate-stderr "$GATHER" --compact -i - <<-EOF
	{"url": "$BASE/pages/link/k?n=3&per=1", "paginate": true, "max_pages": 2}
	{"url": "$BASE/pages/next/k?n=2&per=1", "next": "/next", "items": "/data"}
	{"url": "$c", "cursor": "/next_cursor", "cursor_param": "cursor", "items": "/items"}
	{"url": "$BASE/pages/link/u?n=3&per=1"}
	EOF
	assert_success
	assert_equal "$(j -c '.results[0].body')" "$(want_items 1 2 1)"
	assert_equal "$(j '.results[0].truncated')" true
	assert_equal "$(j -c '.results[1].body')" "$(want_items 1 2 1)"
	assert_equal "$(j -c '.results[2].body')" "$(want_items 1 3 1)"
	# A line without the keys is fetched once, as it is.
	assert_equal "$(j '.results[3].pages')" null
	assert_equal "$(hits /pages/link/u)" 1
	# "paginate": false turns the run's --paginate off for its line.
	server_reset
	run "$GATHER" --compact --paginate -i - <<-EOF
	{"url": "$BASE/pages/link/v?n=3&per=1", "paginate": false}
	$BASE/pages/link/w?n=3&per=1
	EOF
	assert_success
	assert_equal "$(hits /pages/link/v)" 1
	assert_equal "$(hits /pages/link/w)" 3
}

@test "paginate: bad pagination keys and options are refused, naming them" {
	run "$GATHER" --compact -i - <<-EOF
	{"url": "$BASE/json/1", "cursor": "/c"}
	{"url": "$BASE/json/2", "next": "x"}
	{"url": "$BASE/json/3", "items": "/data"}
	{"url": "$BASE/json/4", "max_pages": 0}
	{"url": "$BASE/json/5", "paginate": "yes"}
	{"url": "$BASE/json/6", "paginate": true, "next": "/n"}
	{"url": "$BASE/json/7", "paginate": true}
	EOF
	assert_failure 1
	assert_equal "$(j -c '[.results[].error.kind]')" \
	    '["input","input","input","input","input","input",null]'
	[[ $(j '.results[0].error.message') == *'"cursor_param"'* ]] ||
	    fail "$(j '.results[0].error.message')"
	[[ $(j '.results[1].error.message') == *'"next": not a JSON pointer'* ]] ||
	    fail "$(j '.results[1].error.message')"
	assert_equal "$(total_hits)" 1
	for args in "--cursor /c" "--cursor-param c" "--items /x" \
	    "--max-pages 3" "--max-pages 0" "--paginate --next /n" \
	    "--next x" "--cursor /c --cursor-param ''"; do
		eval "run $GATHER $args $BASE/json/1"
		assert_failure 2
		[[ $output == "gather: --"* ]] || fail "$args: $output"
	done
	assert_equal "$(total_hits)" 1
}

@test "recipes: a paginated API into one document, as README and man page say" {
	lines=$(readme_recipe)
	[ "$(grep -c '^gather ' <<<"$lines")" -eq 3 ] ||
	    fail "not 3 gather lines in the README's recipe: '$lines'"
	assert_equal "$(man_recipe)" "$lines"
	mkdir -p "$BATS_TEST_TMPDIR/run" "$BATS_TEST_TMPDIR/bin"
	ln -s "$GATHER" "$BATS_TEST_TMPDIR/bin/gather"
	while read -r line; do
		# Each line against the fixture route of its style.
		case $line in
		*--paginate*) api=$BASE/pages/link/recipe ;;
		*--next*) api=$BASE/pages/next/recipe ;;
		*--cursor*) api=$BASE/pages/cursor/recipe ;;
		*) fail "a line of no known style: $line" ;;
		esac
		out=$(grep -oE '>[a-z]+\.json$' <<<"$line" | tr -d '>')
		for round in 1 2; do
			(cd "$BATS_TEST_TMPDIR/run" && API=$api \
			    PATH="$BATS_TEST_TMPDIR/bin:/usr/bin:/bin" \
			    sh -c "$line") || fail "exit $? from: $line"
			# Five pages of three items, the fixture's default.
			assert_equal "$(jq -c . "$BATS_TEST_TMPDIR/run/$out")" \
			    "$(want_items 1 5 3)"
		done
	done <<<"$lines"
	# Five pages each, once: the second round came from the cache.
	assert_equal "$(hits /pages/link/recipe/issues)" 5
	assert_equal "$(hits /pages/next/recipe/search)" 5
	assert_equal "$(hits /pages/cursor/recipe/events)" 5
}
