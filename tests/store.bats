#!/usr/bin/env bats
# The cache's database, DIR/cache.db (issue 12): bad databases never cost a
# result, many processes share one cache, SIGKILL at any moment leaves only
# whole entries, a full file system, the verbs on the database, and the
# import of the old one-file-per-entry layout.  Evidence comes from the
# sqlite3 client, the fixture server's counters and the file system.

bats_require_minimum_version 1.5.0
load helpers

setup_file() { server_start; }
teardown_file() { server_stop; }
setup() {
	server_reset
	export GATHER_CACHE_DIR="$BATS_TEST_TMPDIR/cache"
}

q() {
	jq -c "$1" <<<"$output"
}

db() {
	sqlite3 -batch "$GATHER_CACHE_DIR/cache.db" "$@"
}

# urls N [QUERY]: N distinct /json URLs into $BATS_TEST_TMPDIR/urls.
urls() {
	local i
	for ((i = 0; i < $1; i++)); do
		echo "$BASE/json/$i${2:+?$2}"
	done >"$BATS_TEST_TMPDIR/urls"
}

# Every result of the document in $output is ok, and its body is that of
# its own URL (the fixture echoes the path).
all_whole() {
	assert_equal "$(q '[.results[] | select(.ok and .status == 200 and
	    .body.path == (.url | sub("^http://[^/]*"; "") | sub("\\?.*"; "")))] | length')" \
	    "$(q '.results | length')"
}

# --- bad databases ---------------------------------------------------------------

# Runs two URLs against the cache as it is: exit 0, both results right,
# exactly one line on stderr, a warning matching $1; nothing hangs.
check_bad() {
	run --separate-stderr timeout 30 "$GATHER" --compact --ttl 1h \
	    "$BASE/json/b1" "$BASE/json/b2"
	assert_success
	assert_equal "$(q '[.results[] | [.ok, .status, .body.path]]')" \
	    '[[true,200,"/json/b1"],[true,200,"/json/b2"]]'
	assert_equal "$(wc -l <<<"$stderr")" 1
	assert_regex "$stderr" "^gather: warning: $1"
}

# Left alone: gather neither used nor changed what is at cache.db.
check_left_alone() {
	assert_equal "$(hits /json/b1)" 1
	check_bad "$1"
	assert_equal "$(q '[.results[].cache]')" '["off","off"]'
	assert_equal "$(hits /json/b1)" 2
}

@test "cache.db is garbage: one warning, moved aside as cache.db.corrupt-TIME, a new one made and used" {
	mkdir -m 0700 "$GATHER_CACHE_DIR"
	head -c 10000 /dev/urandom >"$GATHER_CACHE_DIR/cache.db"
	local sum
	sum=$(sha256sum <"$GATHER_CACHE_DIR/cache.db")
	check_bad "cache database .*/cache.db was damaged \(not an SQLite database\): moved aside to cache.db.corrupt-[0-9]+ and made anew$"
	assert_equal "$(q '[.results[].cache]')" '["miss","miss"]'
	assert_equal "$(sha256sum <"$GATHER_CACHE_DIR"/cache.db.corrupt-*)" "$sum"
	assert_equal "$(db 'PRAGMA integrity_check; SELECT count(*) FROM entries' | tr '\n' ' ')" "ok 2 "
	run "$GATHER" --compact --ttl 1h "$BASE/json/b1"
	assert_equal "$(q '.results[0].cache')" '"hit"'
}

@test "cache.db truncated: one warning, moved aside, a new one made; every result fetched" {
	urls 300
	"$GATHER" --compact --ttl 1h -i "$BATS_TEST_TMPDIR/urls" >/dev/null
	local size
	size=$(stat -c %s "$GATHER_CACHE_DIR/cache.db")
	[ "$size" -gt 40000 ]
	truncate -s $((size / 2)) "$GATHER_CACHE_DIR/cache.db"
	server_reset
	run --separate-stderr timeout 60 "$GATHER" --compact --ttl 1h -i "$BATS_TEST_TMPDIR/urls"
	assert_success
	all_whole
	assert_equal "$(q '[.results[] | select(.cache == "miss")] | length')" 300
	assert_regex "$stderr" "^gather: warning: cache database .*/cache.db was damaged \(truncated: [0-9]+ of [0-9]+ bytes\): moved aside to cache.db.corrupt-[0-9]+ and made anew$"
	assert_equal "$(wc -l <<<"$stderr")" 1
	assert_equal "$(total_hits)" 300
	assert_equal "$(db 'PRAGMA integrity_check; SELECT count(*) FROM entries' | tr '\n' ' ')" "ok 300 "
}

@test "cache.db from a newer gather (schema 2): one warning, left alone, every result fetched" {
	"$GATHER" --compact --ttl 1h "$BASE/json/b1" >/dev/null
	db 'PRAGMA user_version = 2'
	local sum
	sum=$(sha256sum <"$GATHER_CACHE_DIR/cache.db")
	check_left_alone "cache database .*/cache.db was made by a newer gather \(schema 2, this one knows 1\); running without the cache$"
	assert_equal "$(sha256sum <"$GATHER_CACHE_DIR/cache.db")" "$sum"
}

@test "cache.db made before the link column: it is added, entries kept, Link stored" {
	"$GATHER" --compact --ttl 1h "$BASE/json/b1" >/dev/null
	db 'ALTER TABLE entries DROP COLUMN link'
	run --separate-stderr "$GATHER" --compact --ttl 1h "$BASE/json/b1"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(q '.results[0].cache')" '"hit"'
	assert_equal "$(hits /json/b1)" 1
	assert_equal "$(db "SELECT count(*) FROM pragma_table_info('entries') WHERE name = 'link'")" 1
	# A paginated run keeps each page's Link, and a second one follows
	# them from the cache alone.
	"$GATHER" --compact --ttl 1h --paginate "$BASE/pages/link/m?n=2&per=1" >/dev/null
	run --separate-stderr "$GATHER" --compact --ttl 1h --paginate "$BASE/pages/link/m?n=2&per=1"
	assert_success
	assert_equal "$(q '[.results[0].pages, .results[0].cache]')" '[2,"hit"]'
	assert_equal "$(total_hits)" 3
	assert_equal "$(db "SELECT count(*) FROM entries WHERE link LIKE '%rel=\"next\"%'")" 1
}

@test "cache.db of another program (an SQLite database not gather's): one warning, left alone" {
	mkdir -m 0700 "$GATHER_CACHE_DIR"
	sqlite3 "$GATHER_CACHE_DIR/cache.db" 'CREATE TABLE t(x); INSERT INTO t VALUES (42)'
	"$GATHER" --compact --ttl 1h "$BASE/json/b1" >/dev/null 2>&1
	check_left_alone "cache database .*/cache.db is not gather's; running without the cache$"
	assert_equal "$(db 'SELECT x FROM t')" 42
}

@test "cache.db is a folder: one warning, left alone, every result fetched" {
	mkdir -p -m 0700 "$GATHER_CACHE_DIR/cache.db"
	"$GATHER" --compact --ttl 1h "$BASE/json/b1" >/dev/null 2>&1
	check_left_alone "cache database .*/cache.db is a folder; running without the cache$"
	[ -d "$GATHER_CACHE_DIR/cache.db" ]
}

@test "a symlink at cache.db, cache.db-wal or cache.db-shm is never followed: one warning, the target unchanged" {
	local f sum
	# The target is a working gather database, which a follower would use.
	GATHER_CACHE_DIR="$BATS_TEST_TMPDIR/elsewhere" "$GATHER" --compact --ttl 1h "$BASE/json/b1" >/dev/null
	sum=$(sha256sum <"$BATS_TEST_TMPDIR/elsewhere/cache.db")
	for f in cache.db cache.db-wal cache.db-shm; do
		rm -rf "$GATHER_CACHE_DIR"
		mkdir -m 0700 "$GATHER_CACHE_DIR"
		[ $f = cache.db ] || "$GATHER" --compact --ttl 1h "$BASE/json/x" >/dev/null
		ln -s "$BATS_TEST_TMPDIR/elsewhere/cache.db" "$GATHER_CACHE_DIR/$f"
		server_reset
		"$GATHER" --compact --ttl 1h "$BASE/json/b1" >/dev/null 2>&1
		check_left_alone "cache database .*/cache.db(-wal|-shm)? is a symbolic link; running without the cache$"
		[ -L "$GATHER_CACHE_DIR/$f" ]
		assert_equal "$f $(sha256sum <"$BATS_TEST_TMPDIR/elsewhere/cache.db")" "$f $sum"
	done
}

@test "the cache folder itself a symlink: one warning, not followed" {
	mkdir -m 0700 "$BATS_TEST_TMPDIR/real"
	ln -s "$BATS_TEST_TMPDIR/real" "$GATHER_CACHE_DIR"
	check_bad "cache folder .*/cache is a symbolic link; running without the cache$"
	assert_equal "$(ls -A "$BATS_TEST_TMPDIR/real")" ""
}

@test "a FIFO at cache.db or cache.db-wal is never waited on: one warning, every result fetched" {
	local f
	for f in cache.db cache.db-wal; do
		rm -rf "$GATHER_CACHE_DIR"
		mkdir -m 0700 "$GATHER_CACHE_DIR"
		[ $f = cache.db ] || "$GATHER" --compact --ttl 1h "$BASE/json/x" >/dev/null
		mkfifo -m 0600 "$GATHER_CACHE_DIR/$f"
		server_reset
		# timeout is the hang guard: SQLite would block reading a FIFO.
		"$GATHER" --compact --ttl 1h "$BASE/json/b1" >/dev/null 2>&1
		check_left_alone "cache database .*/cache.db(-wal)? is a FIFO; running without the cache$"
		[ -p "$GATHER_CACHE_DIR/$f" ]
		# the verbs too
		run timeout 30 "$GATHER" cache stats
		assert_failure 1
	done
}

@test "cache.db owned by another user: one warning, left alone, every result fetched" {
	"$GATHER" --compact --ttl 1h "$BASE/json/b1" >/dev/null
	chown nobody "$GATHER_CACHE_DIR/cache.db"
	local sum
	sum=$(sha256sum <"$GATHER_CACHE_DIR/cache.db")
	check_left_alone "cache database .*/cache.db belongs to another user; running without the cache$"
	assert_equal "$(stat -c %U "$GATHER_CACHE_DIR/cache.db")" nobody
	assert_equal "$(sha256sum <"$GATHER_CACHE_DIR/cache.db")" "$sum"
}

@test "cache.db with a mode others may read is made 0600 again" {
	"$GATHER" --compact --ttl 1h "$BASE/json/b1" >/dev/null
	chmod 0644 "$GATHER_CACHE_DIR/cache.db"
	run "$GATHER" --compact --ttl 1h "$BASE/json/b1"
	assert_equal "$(q '.results[0].cache')" '"hit"'
	assert_equal "$(stat -c %a "$GATHER_CACHE_DIR/cache.db")" 600
}

# --- many processes ------------------------------------------------------------------

@test "three runs at once over 5,000 overlapping URLs: every output complete, every entry whole, integrity_check ok" {
	local i
	# Three lists of 3,000 URLs over 5,000: each URL is in one, two or
	# three lists, at different places.
	for i in $(seq 0 2999); do echo "$BASE/json/$i"; done >"$BATS_TEST_TMPDIR/u0"
	for i in $(seq 4999 -1 2000); do echo "$BASE/json/$i"; done >"$BATS_TEST_TMPDIR/u1"
	for i in $(seq 0 4999); do ((i % 5 < 3)) && echo "$BASE/json/$i"; done >"$BATS_TEST_TMPDIR/u2"
	for i in 0 1 2; do
		timeout 180 "$GATHER" --compact -j 32 --ttl 1h -i "$BATS_TEST_TMPDIR/u$i" \
		    >"$BATS_TEST_TMPDIR/o$i" 2>"$BATS_TEST_TMPDIR/e$i" &
		eval "p$i=$!"
	done
	wait "$p0"
	wait "$p1"
	wait "$p2"
	for i in 0 1 2; do
		assert_equal "$(cat "$BATS_TEST_TMPDIR/e$i")" ""
		output=$(cat "$BATS_TEST_TMPDIR/o$i")
		assert_equal "$(q '.summary | [.total, .ok]')" '[3000,3000]'
		all_whole
	done
	assert_equal "$(db 'PRAGMA integrity_check')" ok
	assert_equal "$(db 'SELECT count(*), count(DISTINCT url) FROM entries' | tr '\n' ' ')" "5000|5000 "
	# Every entry whole: served offline, each one the body of its own URL.
	for i in $(seq 0 4999); do echo "$BASE/json/$i"; done >"$BATS_TEST_TMPDIR/all"
	server_reset
	run "$GATHER" --compact --offline -i "$BATS_TEST_TMPDIR/all"
	assert_success
	all_whole
	assert_equal "$(q '[.results[] | select(.cache == "hit")] | length')" 5000
	assert_equal "$(total_hits)" 0
}

@test "20 runs killed with SIGKILL at random moments: the database passes integrity_check and serves only whole entries" {
	local i pid
	urls 400 delay=5
	for i in $(seq 20); do
		"$GATHER" --compact -j 64 --ttl 1h -i "$BATS_TEST_TMPDIR/urls" >/dev/null 2>&1 &
		pid=$!
		sleep "0.$((RANDOM % 10))$((RANDOM % 10))"
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	# The next opener recovers the WAL; then nothing but whole entries.
	assert_equal "$(db 'PRAGMA integrity_check')" ok
	server_reset
	run --separate-stderr "$GATHER" --compact --offline -i "$BATS_TEST_TMPDIR/urls"
	assert_equal "$stderr" ""
	assert_equal "$(total_hits)" 0
	local hit
	hit=$(q '[.results[] | select(.cache == "hit")] | length')
	[ "$hit" -gt 0 ]
	# every hit is the body of its own URL; every other one a clean miss
	assert_equal "$(q '[.results[] | select(.cache == "hit" and .body.path == (.url | sub("^http://[^/]*"; "") | sub("\\?.*"; "")))] | length')" "$hit"
	assert_equal "$(q '[.results[] | select(.cache != "hit" and .error.kind == "offline_miss")] | length')" $((400 - hit))
	assert_equal "$(db 'SELECT count(*) FROM entries')" "$hit"
}

# --- a full file system -------------------------------------------------------------

@test "a full file system (a 1 MiB tmpfs): one warning, every result ok, the database intact" {
	mkdir "$BATS_TEST_TMPDIR/small"
	mount -t tmpfs -o size=1m,mode=0700 tmpfs "$BATS_TEST_TMPDIR/small"
	export GATHER_CACHE_DIR="$BATS_TEST_TMPDIR/small/cache"
	local i
	for i in $(seq 0 199); do echo "$BASE/bytes?size=16384&i=$i"; done >"$BATS_TEST_TMPDIR/urls"
	run --separate-stderr timeout 120 "$GATHER" --compact --ttl 1h -i "$BATS_TEST_TMPDIR/urls"
	local full
	full=$(df --output=avail -B1 "$BATS_TEST_TMPDIR/small" | tail -1)
	local n
	n=$(db 'PRAGMA integrity_check; SELECT count(*) FROM entries' 2>&1 | tr '\n' ' ')
	local err=$stderr
	umount "$BATS_TEST_TMPDIR/small" || umount -l "$BATS_TEST_TMPDIR/small"
	assert_success
	assert_equal "$(q '[.results[] | select(.ok and .status == 200 and .bytes == 16384)] | length')" 200
	assert_regex "$err" '^gather: warning: cache write in .*/cache.db: (No space left on device|database or disk is full); the cache is not written for the rest of the run$'
	assert_equal "$(wc -l <<<"$err")" 1
	[ "$full" -lt 65536 ]
	[[ $n =~ ^ok\ [0-9]+\ $ ]]
}

# --- the verbs on the database -------------------------------------------------------

@test "cache list: NDJSON, oldest first" {
	local i
	for i in 3 1 2; do
		"$GATHER" --compact --ttl 1h "$BASE/json/o$i" >/dev/null
		sleep 0.01
	done
	run "$GATHER" cache list
	assert_success
	assert_equal "$(jq -r .url <<<"$output" | tr '\n' ' ')" "$BASE/json/o3 $BASE/json/o1 $BASE/json/o2 "
}

@test "cache rm URL removes every entry of that URL (any method, body or header), normalised as keys are" {
	"$GATHER" --compact --ttl 1h "$BASE/json/rm" >/dev/null
	"$GATHER" --compact --ttl 1h -d a "$BASE/json/rm" >/dev/null
	"$GATHER" --compact --ttl 1h -H 'X-A: 1' "$BASE/json/rm" >/dev/null
	"$GATHER" --compact --ttl 1h "$BASE/json/keep" >/dev/null
	assert_equal "$(db 'SELECT count(*) FROM entries')" 4
	run "$GATHER" cache rm "HTTP://127.0.0.1:$PORT/json/rm#frag"
	assert_success
	assert_equal "$(q .removed)" 3
	assert_equal "$(db 'SELECT url FROM entries')" "$BASE/json/keep"
}

@test "cache prune --max-size removes the oldest entries and gives the space back to the file system" {
	local i
	for i in $(seq 0 39); do echo "$BASE/bytes?size=65536&i=$i"; done >"$BATS_TEST_TMPDIR/urls"
	"$GATHER" --compact -j 1 --ttl 1h -i "$BATS_TEST_TMPDIR/urls" >/dev/null
	local before
	before=$(stat -c %s "$GATHER_CACHE_DIR/cache.db")
	[ "$before" -gt $((40 * 65536)) ]
	run "$GATHER" cache prune --max-size 1M
	assert_success
	assert_equal "$(q .removed)" 25
	run "$GATHER" cache stats
	[ "$(q .bytes)" -le $((1024 * 1024)) ]
	# the newest 15 are kept
	assert_equal "$(db 'SELECT group_concat(substr(url, instr(url, "i=") + 2), " ") FROM (SELECT url FROM entries ORDER BY stored_at, id)')" \
	    "$(seq -s ' ' 25 39)"
	# the file shrank with them
	[ "$(stat -c %s "$GATHER_CACHE_DIR/cache.db")" -lt $((before / 2)) ]
	assert_equal "$(db 'PRAGMA integrity_check; PRAGMA freelist_count' | tr '\n' ' ')" "ok 0 "
}

@test "cache purge empties the database and gives the space back" {
	local i
	for i in $(seq 0 19); do echo "$BASE/bytes?size=65536&i=$i"; done >"$BATS_TEST_TMPDIR/urls"
	"$GATHER" --compact --ttl 1h -i "$BATS_TEST_TMPDIR/urls" >/dev/null
	run "$GATHER" cache purge
	assert_success
	assert_equal "$(q .removed)" 20
	[ "$(stat -c %s "$GATHER_CACHE_DIR/cache.db")" -lt 100000 ]
	assert_equal "$(db 'SELECT count(*) FROM entries; PRAGMA integrity_check' | tr '\n' ' ')" "0 ok "
}

@test "--cache-max-size after a run prunes through the same store" {
	local i
	for i in $(seq 0 9); do echo "$BASE/bytes?size=65536&i=$i"; done >"$BATS_TEST_TMPDIR/urls"
	run --separate-stderr "$GATHER" --compact -j 1 --ttl 1h --cache-max-size 200K -i "$BATS_TEST_TMPDIR/urls"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(db 'SELECT count(*) FROM entries')" 3
	[ "$(db 'SELECT sum(size) FROM entries')" -le $((200 * 1024)) ]
}

# --- the old layout ----------------------------------------------------------------

# old_entry URL BODY: writes the entry of GET URL in the old per-file
# layout (DIR/ab/<sha256>, the codec of gather 0.x) with python.
old_entry() {
	python3 - "$GATHER_CACHE_DIR" "$1" "$2" <<'EOF'
import hashlib, os, struct, sys, time, zlib
d, url, body = sys.argv[1], sys.argv[2], sys.argv[3].encode()
part = lambda b: struct.pack("<Q", len(b)) + b
key = hashlib.sha256(part(b"GET") + part(url.encode()) + part(b"")).digest()
now = int(time.time() * 1000)
f = lambda tag, v: struct.pack("<BI", tag, len(v)) + v
meta = (f(1, key) + f(2, b"GET") + f(3, url.encode()) +
        f(4, struct.pack("<q", now)) + f(5, struct.pack("<q", now + 3600000)) +
        f(6, struct.pack("<q", 200)) + f(7, b"application/json"))
blob = b"GTHRCACH" + struct.pack("<IIQ", 3, len(meta), len(body)) + meta + body
blob += struct.pack("<I", zlib.crc32(blob))
h = key.hex()
os.makedirs(os.path.join(d, h[:2]), mode=0o700, exist_ok=True)
with open(os.path.join(d, h[:2], h), "wb") as out:
    out.write(blob)
EOF
}

@test "a cache folder of the old layout is imported on first open, with one note, and the old files removed" {
	mkdir -m 0700 "$GATHER_CACHE_DIR"
	old_entry "$BASE/json/old1" '{"path":"/json/old1","from":"old"}'
	old_entry "$BASE/json/old2" '{"path":"/json/old2","from":"old"}'
	mkdir -m 0700 "$GATHER_CACHE_DIR/ff"
	echo damaged >"$GATHER_CACHE_DIR/ff/$(printf 'f%.0s' $(seq 64))"
	run --separate-stderr "$GATHER" --compact --ttl 1h "$BASE/json/old1" "$BASE/json/old2" "$BASE/json/new"
	assert_success
	assert_equal "$(q '[.results[] | [.cache, .body.from]]')" '[["hit","old"],["hit","old"],["miss",null]]'
	assert_equal "$stderr" "gather: warning: the cache moved into cache.db: 2 entries of the old one-file-per-entry layout were imported, 1 damaged ones dropped, and the old files removed"
	assert_equal "$(hits /json/old1)" 0
	assert_equal "$(ls -A "$GATHER_CACHE_DIR")" cache.db
	run --separate-stderr "$GATHER" --compact --ttl 1h "$BASE/json/old1"
	assert_equal "$stderr" ""
	assert_equal "$(q '.results[0].cache')" '"hit"'
}
