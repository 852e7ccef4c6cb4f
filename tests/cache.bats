#!/usr/bin/env bats
# The disk cache (CONTRACT.md section 5 and the cache options of section 3):
# hits, misses, revalidation, --refresh, --offline, --stale-if-error, the
# cache key, the database DIR/cache.db and its permissions, damaged rows,
# unusable cache folders, concurrent writers and the `gather cache` verbs.
# Bad databases, many processes, SIGKILL and a full disk: tests/store.bats.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() {
	server_reset
	export GATHER_CACHE_DIR="$BATS_TEST_TMPDIR/cache"
}

# jq over $output: the value of FILTER, compact.
q() {
	jq -c "$1" <<<"$output"
}

# SQL on the cache's database, through the sqlite3 client: evidence from
# outside gather.
db() {
	sqlite3 -batch "$GATHER_CACHE_DIR/cache.db" "$@"
}

# The number of entries in the database (0 when there is none).
entries() {
	if [ -f "$GATHER_CACHE_DIR/cache.db" ]; then
		db 'SELECT count(*) FROM entries'
	else
		echo 0
	fi
}

# Runs gather with the cache on for URL alone and prints its row's id.
store_one() {
	"$GATHER" --compact --ttl 1h "$@" >/dev/null
	db 'SELECT id FROM entries ORDER BY id DESC LIMIT 1'
}

# --- on, off, hit, miss ---------------------------------------------------

@test "without a cache option the cache is off and nothing is written" {
	run "$GATHER" --compact "$BASE/json/off"
	assert_success
	assert_equal "$(q '.results[0].cache')" '"off"'
	assert_equal "$(q '.summary.cached')" 0
	[ ! -e "$GATHER_CACHE_DIR" ]
}

@test "--ttl: first run is a miss, second a hit with attempts 0 and no request" {
	run "$GATHER" --compact --ttl 1m "$BASE/json/a"
	assert_success
	assert_equal "$(q '.results[0] | [.cache, .ok, .status, .attempts]')" '["miss",true,200,1]'
	assert_equal "$(q '.summary.cached')" 0
	run "$GATHER" --compact --ttl 1m "$BASE/json/a"
	assert_success
	assert_equal "$(q '.results[0] | [.cache, .ok, .status, .attempts]')" '["hit",true,200,0]'
	assert_equal "$(q '.results[0].body')" '{"path":"/json/a","method":"GET"}'
	assert_equal "$(q '.summary.cached')" 1
	assert_equal "$(hits /json/a)" 1
}

@test "--no-cache wins over --ttl: neither read nor written" {
	"$GATHER" --compact --ttl 1h "$BASE/json/nc" >/dev/null
	run "$GATHER" --compact --ttl 1h --no-cache "$BASE/json/nc"
	assert_success
	assert_equal "$(q '.results[0] | [.cache, .attempts]')" '["off",1]'
	assert_equal "$(hits /json/nc)" 2
	run "$GATHER" --compact --ttl 1h --no-cache "$BASE/json/nc2"
	run "$GATHER" --compact --ttl 1h "$BASE/json/nc2"
	assert_equal "$(q '.results[0].cache')" '"miss"'
}

@test "freshness is decided when read: --ttl 0 expires at once, a later longer --ttl makes it fresh" {
	"$GATHER" --compact --ttl 1h "$BASE/json/t" >/dev/null
	run "$GATHER" --compact --ttl 0 "$BASE/json/t"
	assert_equal "$(q '.results[0] | [.cache, .attempts]')" '["miss",1]'
	run "$GATHER" --compact --ttl 1h "$BASE/json/t"
	assert_equal "$(q '.results[0] | [.cache, .attempts]')" '["hit",0]'
	assert_equal "$(hits /json/t)" 2
}

@test "only 2xx responses are stored: 404 and 500 are fetched every time, 204 is a hit" {
	run "$GATHER" --compact --ttl 1h --retry 0 "$BASE/status/404" "$BASE/status/500" "$BASE/status/204"
	assert_failure 1
	run "$GATHER" --compact --ttl 1h --retry 0 "$BASE/status/404" "$BASE/status/500" "$BASE/status/204"
	assert_failure 1
	assert_equal "$(q '[.results[].cache]')" '["miss","miss","hit"]'
	assert_equal "$(q '[.results[].status]')" '[404,500,204]'
	assert_equal "$(hits /status/404)" 2
	assert_equal "$(hits /status/500)" 2
	assert_equal "$(hits /status/204)" 1
}

@test "Cache-Control: no-store is never stored (also in a list, any case)" {
	local v u
	for v in no-store 'private,%20no-store' NO-STORE; do
		u="$BASE/cache-control?value=$v"
		"$GATHER" --compact --ttl 1h "$u" >/dev/null
		run "$GATHER" --compact --ttl 1h "$u"
		assert_success
		assert_equal "$(q '.results[0].cache')" '"miss"'
	done
	assert_equal "$(hits /cache-control)" 6
	assert_equal "$(entries)" 0
	# a response without no-store is stored
	u="$BASE/cache-control?value=max-age=60"
	"$GATHER" --compact --ttl 1h "$u" >/dev/null
	run "$GATHER" --compact --ttl 1h "$u"
	assert_equal "$(q '.results[0].cache')" '"hit"'
}

# --- revalidation ------------------------------------------------------------

@test "an expired entry with an ETag is revalidated with If-None-Match; 304 serves the stored body" {
	run "$GATHER" --compact --ttl 0 "$BASE/etag/e1"
	local body etag
	body=$(q '.results[0].body')
	etag=$(q '.results[0].body.etag')
	run "$GATHER" --compact --ttl 0 "$BASE/etag/e1"
	assert_success
	assert_equal "$(q '.results[0] | [.cache, .ok, .status]')" '["revalidated",true,200]'
	assert_equal "$(q '.results[0].body')" "$body"
	assert_equal "$(q '.summary.cached')" 1
	assert_equal "$(hits /etag/e1)" 2
	run curl -sf "$BASE/_/log?path=/etag/e1"
	assert_equal "$(q '.[0].headers["if-none-match"]')" null
	assert_equal "$(q '.[1].headers["if-none-match"]')" "$(jq -c '"\"" + . + "\""' <<<"$etag")"
}

@test "an expired entry with Last-Modified is revalidated with If-Modified-Since" {
	run "$GATHER" --compact --ttl 0 "$BASE/lastmod/l1"
	run "$GATHER" --compact --ttl 0 "$BASE/lastmod/l1"
	assert_success
	assert_equal "$(q '.results[0] | [.cache, .status]')" '["revalidated",200]'
	run curl -sf "$BASE/_/log?path=/lastmod/l1"
	assert_equal "$(q '.[0].headers["if-modified-since"]')" null
	assert_equal "$(q '.[1].headers["if-modified-since"]')" '"Wed, 21 Oct 2015 07:28:00 GMT"'
}

@test "a 304 refreshes the entry: it is fresh again afterwards" {
	"$GATHER" --compact --ttl 1h "$BASE/etag/r1" >/dev/null
	sleep 2.1
	# over 2 s old: expired for --ttl 2s, so revalidated
	run "$GATHER" --compact --ttl 2s "$BASE/etag/r1"
	assert_equal "$(q '.results[0].cache')" '"revalidated"'
	# fresh again: the next run has 2 s to read it (a loaded machine may
	# take a good part of a second to start one)
	run "$GATHER" --compact --ttl 2s "$BASE/etag/r1"
	assert_equal "$(q '.results[0] | [.cache, .attempts]')" '["hit",0]'
	assert_equal "$(hits /etag/r1)" 2
}

# --- --refresh, --offline, --stale-if-error ----------------------------------

@test "--refresh fetches unconditionally and rewrites the entry" {
	run "$GATHER" --compact --ttl 1h "$BASE/flaky/r?fail=0"
	assert_equal "$(q '.results[0].body.attempt')" 1
	run "$GATHER" --compact --ttl 1h --refresh "$BASE/flaky/r?fail=0"
	assert_success
	assert_equal "$(q '.results[0].attempts')" 1
	assert_equal "$(q '.results[0].body.attempt')" 2
	run "$GATHER" --compact --ttl 1h "$BASE/flaky/r?fail=0"
	assert_equal "$(q '.results[0] | [.cache, .body.attempt]')" '["hit",2]'
	# unconditional even when the entry has an ETag
	"$GATHER" --compact --ttl 1h "$BASE/etag/rf" >/dev/null
	run "$GATHER" --compact --refresh "$BASE/etag/rf"
	assert_equal "$(q '.results[0].status')" 200
	assert_equal "$(curl -sf "$BASE/_/log?path=/etag/rf" | jq -c '[.[].headers["if-none-match"]]')" '[null,null]'
}

@test "--offline serves a stored entry, fresh or not, without touching the network" {
	"$GATHER" --compact --ttl 0 "$BASE/json/off1" >/dev/null
	server_reset
	run "$GATHER" --compact --offline "$BASE/json/off1"
	assert_success
	assert_equal "$(q '.results[0] | [.cache, .ok, .status, .attempts]')" '["hit",true,200,0]'
	assert_equal "$(q '.results[0].body.path')" '"/json/off1"'
	run "$GATHER" --compact --offline --ttl 0 "$BASE/json/off1"
	assert_equal "$(q '.results[0].cache')" '"hit"'
	assert_equal "$(hits /json/off1)" 0
}

@test "--offline: a miss fails with kind offline_miss, the rest still runs, exit 1" {
	"$GATHER" --compact --ttl 1h "$BASE/json/have" >/dev/null
	server_reset
	run "$GATHER" --compact --offline "$BASE/json/have" "$BASE/json/missing"
	assert_failure 1
	assert_equal "$(q '[.results[].ok]')" '[true,false]'
	assert_equal "$(q '.results[1].error.kind')" '"offline_miss"'
	assert_equal "$(q '.summary | [.ok, .failed, .cached]')" '[1,1,1]'
	assert_equal "$(curl -sf "$BASE/_/hits" | jq -c .)" '{}'
}

@test "--stale-if-error serves a recently expired entry when the fetch fails (HTTP 503)" {
	local u="$BASE/flaky/s1?fail=1"
	# 503 then 200: stored
	run "$GATHER" --compact --ttl 0 --retry 1 --retry-delay 1ms "$u"
	assert_success
	server_reset # the next request gets 503 again
	run "$GATHER" --compact --ttl 0 --retry 0 --stale-if-error 1m "$u"
	assert_success
	assert_equal "$(q '.results[0] | [.cache, .ok, .status]')" '["stale",true,200]'
	assert_equal "$(q '.results[0].body')" '{"id":"s1","attempt":2}'
	assert_equal "$(q '.summary | [.cached, .ok, .failed]')" '[1,1,0]'
	assert_equal "$(hits /flaky/s1)" 1
}

@test "--stale-if-error counts from expiry: expired by more than DUR is not served" {
	local u="$BASE/flaky/s2?fail=1"
	"$GATHER" --compact --ttl 0 --retry 1 --retry-delay 1ms "$u" >/dev/null
	sleep 2
	# The entry is now A >= 2 s old. Each run below gets a 503 (a reset
	# flaky route fails its first request again).
	server_reset
	# --ttl 1800ms: expired A - 1.8 s ago, within 1800ms as long as the run
	# comes within 3.6 s of the store (1.6 s of slack): served stale. Were
	# it counted from the store, A > 1.8 s would be too old.
	run "$GATHER" --compact --ttl 1800ms --retry 0 --stale-if-error 1800ms "$u"
	assert_success
	assert_equal "$(q '.results[0] | [.cache, .ok, .status]')" '["stale",true,200]'
	server_reset
	# --ttl 0: expired A > 1.8 s ago, more than 1800ms: the 503 stands
	run "$GATHER" --compact --ttl 0 --retry 0 --stale-if-error 1800ms "$u"
	assert_failure 1
	assert_equal "$(q '.results[0] | [.ok, .status, .error.kind]')" '[false,503,"http"]'
	assert_not_equal "$(q '.results[0].cache')" '"stale"'
}

@test "--stale-if-error covers a server that is gone (connect error)" {
	second_server
	local u="http://127.0.0.1:$PORT2/json/gone"
	"$GATHER" --compact --ttl 1s "$u" >/dev/null
	kill "$PID2"
	wait "$PID2" 2>/dev/null || true
	run "$GATHER" --compact --ttl 0 --retry 0 --stale-if-error 1h "$u"
	assert_success
	assert_equal "$(q '.results[0] | [.cache, .ok, .status]')" '["stale",true,200]'
	assert_equal "$(q '.results[0].body.path')" '"/json/gone"'
	# without it the failure stands
	run "$GATHER" --compact --ttl 0 --retry 0 "$u"
	assert_failure 1
	assert_equal "$(q '.results[0].error.kind')" '"connect"'
}

# --- identical requests --------------------------------------------------------

@test "identical requests in one run go out once, each with its own result (cache off and on)" {
	run "$GATHER" --compact "$BASE/json/d?delay=100" "a=$BASE/json/d?delay=100" "$BASE/json/d?delay=100"
	assert_success
	assert_equal "$(q '[.results[] | [.index, .name, .ok, .status, .body.path]]')" \
	    '[[0,null,true,200,"/json/d"],[1,"a",true,200,"/json/d"],[2,null,true,200,"/json/d"]]'
	assert_equal "$(q '.summary | [.total, .ok]')" '[3,3]'
	assert_equal "$(hits /json/d)" 1
	run "$GATHER" --compact --ttl 1h "x=$BASE/json/d2" "y=$BASE/json/d2"
	assert_success
	assert_equal "$(q '[.results[] | [.index, .name, .ok]]')" '[[0,"x",true],[1,"y",true]]'
	assert_equal "$(hits /json/d2)" 1
}

# --- the cache key ---------------------------------------------------------------

@test "key: different Authorization values never share an entry" {
	run "$GATHER" --compact --ttl 1h -H 'Authorization: Bearer one' "$BASE/json/auth"
	assert_equal "$(q '.results[0].cache')" '"miss"'
	run "$GATHER" --compact --ttl 1h -H 'Authorization: Bearer two' "$BASE/json/auth"
	assert_equal "$(q '.results[0].cache')" '"miss"'
	assert_equal "$(hits /json/auth)" 2
	run "$GATHER" --compact --ttl 1h "$BASE/json/auth"
	assert_equal "$(q '.results[0].cache')" '"miss"'
	run "$GATHER" --compact --ttl 1h -H 'Authorization: Bearer one' "$BASE/json/auth"
	assert_equal "$(q '.results[0].cache')" '"hit"'
	assert_equal "$(hits /json/auth)" 3
}

@test "key: method and body are part of it" {
	"$GATHER" --compact --ttl 1h -d a "$BASE/json/mb" >/dev/null
	run "$GATHER" --compact --ttl 1h -d b "$BASE/json/mb"
	assert_equal "$(q '.results[0].cache')" '"miss"'
	run "$GATHER" --compact --ttl 1h -X PUT -d a "$BASE/json/mb"
	assert_equal "$(q '.results[0].cache')" '"miss"'
	run "$GATHER" --compact --ttl 1h "$BASE/json/mb"
	assert_equal "$(q '.results[0].cache')" '"miss"'
	run "$GATHER" --compact --ttl 1h -d a "$BASE/json/mb"
	assert_equal "$(q '.results[0].cache')" '"hit"'
	assert_equal "$(hits /json/mb)" 4
}

@test "key: scheme case and fragment do not matter" {
	"$GATHER" --compact --ttl 1h "$BASE/json/n" >/dev/null
	run "$GATHER" --compact --ttl 1h "HTTP://127.0.0.1:$PORT/json/n#frag"
	assert_success
	assert_equal "$(q '.results[0] | [.cache, .attempts]')" '["hit",0]'
	assert_equal "$(hits /json/n)" 1
	assert_equal "$(entries)" 1
}

# --- the database -----------------------------------------------------------------

@test "the cache is DIR/cache.db (WAL, schema 1, indexed by URL and by age); folders 0700 and files 0600 whatever the umask" {
	export GATHER_CACHE_DIR="$BATS_TEST_TMPDIR/deep/er/cache"
	# The slow request holds the run open while its files are looked at.
	(umask 000 && exec "$GATHER" --compact --ttl 1h "$BASE/json/perm" \
	    "$BASE/json/hold?delay=1500" >/dev/null) &
	local pid=$! f
	wait_hits /json/hold
	for f in cache.db cache.db-wal cache.db-shm; do
		assert_equal "$f $(stat -c %a "$GATHER_CACHE_DIR/$f")" "$f 600"
	done
	wait "$pid"
	assert_equal "$(ls -A "$GATHER_CACHE_DIR")" cache.db
	assert_equal "$(stat -c %a "$GATHER_CACHE_DIR")" 700
	assert_equal "$(stat -c %a "$BATS_TEST_TMPDIR/deep/er")" 700
	assert_equal "$(db 'PRAGMA user_version; PRAGMA journal_mode; PRAGMA integrity_check' | tr '\n' ' ')" "1 wal ok "
	assert_equal "$(db 'SELECT url FROM entries ORDER BY url' | tr '\n' ' ')" \
	    "$BASE/json/hold?delay=1500 $BASE/json/perm "
	# The verbs' questions go through indexes, not the whole table.
	run db "EXPLAIN QUERY PLAN SELECT id FROM entries WHERE url_hash = 1"
	assert_output --partial 'USING COVERING INDEX entries_url'
	run db "EXPLAIN QUERY PLAN SELECT id FROM entries ORDER BY stored_at"
	assert_output --partial 'USING COVERING INDEX entries_age'
}

# Damages the row of /json/dmg as $1 says.
damage() {
	case $1 in
	flip) # one byte of the body, in the file, behind SQLite's back
		local off
		off=$(grep -obUa '"path":"/json/dmg"' "$GATHER_CACHE_DIR/cache.db" | head -1 | cut -d: -f1)
		[ -n "$off" ]
		printf 'X' | dd of="$GATHER_CACHE_DIR/cache.db" bs=1 seek=$((off + 9)) conv=notrunc status=none ;;
	truncate) db "UPDATE entries SET body = substr(body, 1, 10)" ;;
	empty) db "UPDATE entries SET body = x''" ;;
	garbage) db "UPDATE entries SET body = randomblob(400)" ;;
	etag) db "UPDATE entries SET etag = 'forged' || char(13, 10) || 'X-Evil: 1'" ;;
	status) db "UPDATE entries SET status = 'two hundred'" ;;
	key) db "UPDATE entries SET key = randomblob(31)" ;;
	esac
}

@test "a damaged row (a flipped byte, a truncated, empty or foreign body, a bad field) is a miss and is replaced" {
	local mode
	store_one "$BASE/json/dmg" >/dev/null
	for mode in flip truncate empty garbage etag status; do
		server_reset
		damage "$mode"
		run "$GATHER" --compact --ttl 1h "$BASE/json/dmg"
		assert_success
		assert_equal "$mode $(q '.results[0] | [.cache, .ok, .status]')" "$mode [\"miss\",true,200]"
		assert_equal "$(q '.results[0].body.path')" '"/json/dmg"'
		assert_equal "$mode $(hits /json/dmg)" "$mode 1"
		run "$GATHER" --compact --ttl 1h "$BASE/json/dmg"
		assert_equal "$mode $(q '.results[0].cache')" "$mode \"hit\""
		assert_equal "$mode $(entries)" "$mode 1"
	done
	assert_equal "$(db 'PRAGMA integrity_check')" ok
}

@test "another URL's row copied over an entry is a miss, not served for the wrong URL" {
	store_one "$BASE/json/fa" >/dev/null
	store_one "$BASE/json/fb" >/dev/null
	db "UPDATE entries SET (method, url, url_hash, status, stored_at, expires_at, content_type, etag, last_modified, cache_control, vary, body, size, sum) =
	    (SELECT method, url, url_hash, status, stored_at, expires_at, content_type, etag, last_modified, cache_control, vary, body, size, sum FROM entries WHERE url LIKE '%/json/fa')
	    WHERE url LIKE '%/json/fb'"
	run "$GATHER" --compact --ttl 1h "$BASE/json/fb"
	assert_success
	assert_equal "$(q '.results[0] | [.cache, .body.path]')" '["miss","/json/fb"]'
	run "$GATHER" --compact --offline "$BASE/json/fb"
	assert_equal "$(q '.results[0] | [.cache, .body.path]')" '["hit","/json/fb"]'
}

@test "a damaged row: cache list exits cleanly, lists the rest, warns; stats counts it; prune removes it" {
	store_one "$BASE/json/meta-a" >/dev/null
	store_one "$BASE/json/meta-b" >/dev/null
	db "UPDATE entries SET method = 'G E T' WHERE url LIKE '%/json/meta-b'"
	run --separate-stderr "$GATHER" cache list
	assert_success
	assert_equal "$(jq -r .url <<<"$output")" "$BASE/json/meta-a"
	assert_equal "$stderr" "gather: warning: $GATHER_CACHE_DIR holds 1 damaged entries, not listed; 'gather cache prune' removes them"
	run "$GATHER" cache stats
	assert_equal "$(q .entries)" 2
	run "$GATHER" cache prune
	assert_equal "$(q .removed)" 1
	assert_equal "$(db 'SELECT url FROM entries')" "$BASE/json/meta-a"
}

# --- unusable cache folders -------------------------------------------------------

# Runs two URLs against an unusable cache folder DIR: one warning, every
# result, exit 0, and nothing written.
check_unusable() {
	export GATHER_CACHE_DIR="$1"
	run --separate-stderr "$GATHER" --compact --ttl 1h "$BASE/json/u1" "$BASE/json/u2"
	assert_success
	assert_equal "$(q '[.results[] | [.ok, .status]]')" '[[true,200],[true,200]]'
	assert_equal "$(grep -c '^gather: warning: ' <<<"$stderr")" 1
	assert_equal "$(grep -vc '^gather: warning: ' <<<"$stderr")" 0
	run "$GATHER" --compact --ttl 1h "$BASE/json/u1"
	assert_success
	assert_not_equal "$(q '.results[0].cache')" '"hit"'
	assert_equal "$(hits /json/u1)" 2
	assert_equal "$(find "$GATHER_CACHE_DIR" -mindepth 1 | wc -l)" 0
}

@test "a cache folder owned by another user: one warning, results all there, exit 0" {
	mkdir -m 0700 "$BATS_TEST_TMPDIR/c"
	chown nobody "$BATS_TEST_TMPDIR/c"
	check_unusable "$BATS_TEST_TMPDIR/c"
}

@test "a cache folder writable by others (0777, 0770): one warning, results all there, exit 0" {
	mkdir -m 0777 "$BATS_TEST_TMPDIR/c1"
	chmod 0777 "$BATS_TEST_TMPDIR/c1"
	check_unusable "$BATS_TEST_TMPDIR/c1"
	server_reset
	mkdir -m 0770 "$BATS_TEST_TMPDIR/c2"
	chmod 0770 "$BATS_TEST_TMPDIR/c2"
	check_unusable "$BATS_TEST_TMPDIR/c2"
}

@test "a cache folder without the owner-write bit (0500): one warning, results all there, exit 0" {
	mkdir -m 0500 "$BATS_TEST_TMPDIR/c"
	check_unusable "$BATS_TEST_TMPDIR/c"
}

# --- concurrent writers --------------------------------------------------------------

@test "two runs at once on one cache: all ok, 200 whole entries, the database intact" {
	local i
	for i in $(seq 200); do
		echo "$BASE/json/$i?delay=20"
	done >"$BATS_TEST_TMPDIR/urls"
	"$GATHER" --compact --ttl 1h -i "$BATS_TEST_TMPDIR/urls" >"$BATS_TEST_TMPDIR/o1" &
	local p1=$!
	"$GATHER" --compact --ttl 1h -i "$BATS_TEST_TMPDIR/urls" >"$BATS_TEST_TMPDIR/o2" &
	local p2=$!
	wait "$p1"
	wait "$p2"
	for i in o1 o2; do
		run jq -c '[.summary.ok, ([.results[] | select(.ok and .status == 200)] | length)]' "$BATS_TEST_TMPDIR/$i"
		assert_output '[200,200]'
	done
	run "$GATHER" cache stats
	assert_success
	assert_equal "$(q .entries)" 200
	assert_equal "$(db 'PRAGMA integrity_check')" ok
	server_reset
	run "$GATHER" --compact --offline -i "$BATS_TEST_TMPDIR/urls"
	assert_success
	assert_equal "$(q '[.summary.cached, ([.results[] | select(.cache == "hit" and .status == 200)] | length)]')" '[200,200]'
	assert_equal "$(curl -sf "$BASE/_/hits" | jq -c .)" '{}'
}

# --- gather cache ... -------------------------------------------------------------------

@test "cache stats and list describe the entries; a URL password is shown as ***" {
	local b1 b2
	run "$GATHER" --compact --ttl 1h "$BASE/json/s1"
	b1=$(q '.results[0].bytes')
	run "$GATHER" --compact --ttl 0 "http://user:s3cret@127.0.0.1:$PORT/json/s2"
	b2=$(q '.results[0].bytes')
	run "$GATHER" cache stats
	assert_success
	assert_equal "$(q 'keys')" '["bytes","dir","entries","expired","file_bytes"]'
	assert_equal "$(q '[.dir, .entries, .expired]')" "[\"$GATHER_CACHE_DIR\",2,1]"
	assert_equal "$(q .bytes)" "$(db 'SELECT sum(size) FROM entries')"
	# bytes: the bodies, URLs and headers, and 64 for the row's numbers
	assert_equal "$(db 'SELECT sum(length(body) + length(url) + length(method) + ifnull(length(content_type), 0) + ifnull(length(etag), 0) + ifnull(length(last_modified), 0) + ifnull(length(cache_control), 0) + ifnull(length(vary), 0) + 64) FROM entries')" "$(q .bytes)"
	# file_bytes: the database's files as they are on disk
	[ "$(q .file_bytes)" -ge "$(stat -c %s "$GATHER_CACHE_DIR/cache.db")" ]
	run "$GATHER" cache list
	assert_success
	refute_output --partial s3cret
	assert_equal "${#lines[@]}" 2
	run jq -sc 'sort_by(.url) | map([.url, .method, .status, .bytes])' <<<"$output"
	assert_output "[[\"http://127.0.0.1:$PORT/json/s1\",\"GET\",200,$b1],[\"http://user:***@127.0.0.1:$PORT/json/s2\",\"GET\",200,$b2]]"
	run "$GATHER" cache list
	run jq -sc 'map(keys) | unique' <<<"$output"
	assert_output '[["bytes","expires_at","method","status","stored_at","url"]]'
}

@test "cache prune --expired removes only expired entries" {
	"$GATHER" --compact --ttl 0 "$BASE/json/x1" >/dev/null
	"$GATHER" --compact --ttl 1h "$BASE/json/x2" >/dev/null
	run "$GATHER" cache prune --expired
	assert_success
	run "$GATHER" cache list
	assert_equal "$(jq -r .url <<<"$output")" "$BASE/json/x2"
	run "$GATHER" cache stats
	assert_equal "$(q '[.entries, .expired]')" '[1,0]'
}

@test "cache prune --max-size removes the oldest entries first" {
	store_one "$BASE/json/p1" >/dev/null
	sleep 1.1
	store_one "$BASE/json/p2" >/dev/null
	sleep 1.1
	store_one "$BASE/json/p3" >/dev/null
	local one
	one=$(db "SELECT max(size) FROM entries")
	run "$GATHER" cache prune --max-size $((one * 2 + one / 2))
	assert_success
	run "$GATHER" cache list
	assert_equal "$(jq -r .url <<<"$output" | sort | tr '\n' ' ')" "$BASE/json/p2 $BASE/json/p3 "
	run "$GATHER" cache prune --max-size $((one + one / 2))
	assert_success
	run "$GATHER" cache list
	assert_equal "$(jq -r .url <<<"$output")" "$BASE/json/p3"
}

@test "cache purge removes every entry" {
	"$GATHER" --compact --ttl 1h "$BASE/json/g1" "$BASE/json/g2" >/dev/null
	run "$GATHER" cache purge
	assert_success
	run "$GATHER" cache stats
	assert_equal "$(q '[.entries, .bytes]')" '[0,0]'
	assert_equal "$(entries)" 0
	run "$GATHER" --compact --ttl 1h "$BASE/json/g1"
	assert_equal "$(q '.results[0].cache')" '"miss"'
}

@test "cache rm URL removes that entry (exit 0) and exits 1 when nothing matched" {
	"$GATHER" --compact --ttl 1h "$BASE/json/r1" "$BASE/json/r2" >/dev/null
	run "$GATHER" cache rm "$BASE/json/r1"
	assert_success
	run "$GATHER" cache list
	assert_equal "$(jq -r .url <<<"$output")" "$BASE/json/r2"
	run "$GATHER" cache rm "$BASE/json/r1"
	assert_failure 1
	run "$GATHER" cache rm "$BASE/json/never"
	assert_failure 1
	run "$GATHER" --compact --ttl 1h "$BASE/json/r1" "$BASE/json/r2"
	assert_equal "$(q '[.results[].cache]')" '["miss","hit"]'
}

@test "--cache-max-size prunes the cache after the run, oldest first" {
	local i
	store_one "$BASE/json/m1" >/dev/null
	for i in 2 3 4; do
		sleep 0.02
		"$GATHER" --compact --ttl 1h "$BASE/json/m$i" >/dev/null
	done
	sleep 0.02
	run "$GATHER" --compact --ttl 1h --cache-max-size $(($(db 'SELECT max(size) FROM entries') * 2 + 10)) "$BASE/json/m5"
	assert_success
	assert_equal "$(q '.results[0].ok')" true
	run "$GATHER" cache list
	assert_equal "$(jq -r .url <<<"$output" | sort | tr '\n' ' ')" "$BASE/json/m4 $BASE/json/m5 "
}

@test "--cache-dir overrides GATHER_CACHE_DIR, for runs and for the cache verbs" {
	local d="$BATS_TEST_TMPDIR/other"
	"$GATHER" --compact --ttl 1h --cache-dir "$d" "$BASE/json/cd" >/dev/null
	[ ! -e "$GATHER_CACHE_DIR" ]
	run "$GATHER" cache stats --cache-dir "$d"
	assert_equal "$(q '[.dir, .entries]')" "[\"$d\",1]"
	# named first, as for a run, in both spellings
	run "$GATHER" --cache-dir "$d" cache stats
	assert_success
	assert_equal "$(q '[.dir, .entries]')" "[\"$d\",1]"
	run "$GATHER" --cache-dir="$d" cache list
	assert_success
	assert_equal "$(q '.url')" "\"$BASE/json/cd\""
	run "$GATHER" --compact --ttl 1h --cache-dir "$d" "$BASE/json/cd"
	assert_equal "$(q '.results[0].cache')" '"hit"'
}

@test "a cache folder that cannot be used reports cache off" {
	mkdir -p "$GATHER_CACHE_DIR"
	chmod 0777 "$GATHER_CACHE_DIR"
	run --separate-stderr "$GATHER" --compact --ttl 1h "$BASE/json/off"
	assert_success
	assert_equal "$(q '.results[0].cache')" '"off"'
}

@test "--offline --no-cache never touches the network: every result offline_miss" {
	store_one "$BASE/json/on" >/dev/null
	run "$GATHER" --compact --offline --no-cache "$BASE/json/on"
	assert_failure 1
	assert_equal "$(q '.results[0].error.kind')" '"offline_miss"'
	assert_equal "$(hits /json/on)" 1
}

@test "header names are case-insensitive in the cache key" {
	"$GATHER" --compact --ttl 1h -H 'X-A: 2' "$BASE/json/hk" >/dev/null
	run "$GATHER" --compact --ttl 1h -H 'x-a: 2' "$BASE/json/hk"
	assert_equal "$(q '.results[0].cache')" '"hit"'
	assert_equal "$(hits /json/hk)" 1
}

@test "prune --max-size 0 removes every entry" {
	store_one "$BASE/json/p1" >/dev/null
	store_one "$BASE/json/p2" >/dev/null
	run "$GATHER" cache prune --max-size 0
	assert_success
	assert_equal "$(q .removed)" 2
	assert_equal "$(entries)" 0
}

@test "the database keeps no password" {
	store_one "http://user:secret@127.0.0.1:$PORT/json/pw" >/dev/null
	run grep -c secret "$GATHER_CACHE_DIR/cache.db"
	assert_output 0
	assert_equal "$(db 'SELECT url FROM entries')" "http://user:***@127.0.0.1:$PORT/json/pw"
	run "$GATHER" --compact --ttl 1h "http://user:secret@127.0.0.1:$PORT/json/pw"
	assert_equal "$(q '.results[0].cache')" '"hit"'
	run "$GATHER" cache rm "http://user:secret@127.0.0.1:$PORT/json/pw"
	assert_success
	assert_equal "$(entries)" 0
}

@test "a -A user agent is part of the cache key" {
	"$GATHER" --compact --ttl 1h -A one "$BASE/json/ua" >/dev/null
	run "$GATHER" --compact --ttl 1h -A two "$BASE/json/ua"
	assert_equal "$(q '.results[0].cache')" '"miss"'
	run "$GATHER" --compact --ttl 1h -A one "$BASE/json/ua"
	assert_equal "$(q '.results[0].cache')" '"hit"'
	assert_equal "$(hits /json/ua)" 2
}

@test "identical requests sharing a retried fetch count its retries once" {
	run "$GATHER" --compact --retry-delay 1ms "$BASE/flaky/sh?fail=1" \
	    "$BASE/flaky/sh?fail=1"
	assert_success
	assert_equal "$(q '[.results[].attempts]')" '[2,2]'
	assert_equal "$(q '.summary.retries')" 1
	assert_equal "$(hits /flaky/sh)" 2
}

@test "an entry with a meta over 64 KiB is listed and kept by prune" {
	big=$(head -c 34000 /dev/zero | tr '\0' x)
	"$GATHER" --compact --ttl 1h "$BASE/headers?Cache-Control=max-age%3D60,$big" >/dev/null
	[ "$(db 'SELECT length(cache_control) FROM entries')" -gt 34000 ]
	run "$GATHER" cache stats
	assert_equal "$(q .entries)" 1
	run "$GATHER" cache prune --expired
	assert_equal "$(q .removed)" 0
	run "$GATHER" cache list
	assert_equal "$(wc -l <<<"$output")" 1
}
