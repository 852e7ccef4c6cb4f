#!/usr/bin/env bats
# --ttl auto[:DEFAULT]: each entry lives as long as its response says
# (RFC 9111 for a private cache): Cache-Control max-age, else Expires minus
# Date, less the Age; no-cache revalidates every time; DEFAULT when the
# response says nothing; Vary: * is never stored.  The fixture server's
# /fresh route sends the headers, and its hits and log are the evidence.

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

# cache_of TTL URL: one run; prints the result's cache state.
cache_of() {
	"$GATHER" --compact --ttl "$1" "$2" | jq -r '.results[0].cache'
}

# refetched TTL URL PATH N: one run, then 0 once PATH has N hits.
refetched() {
	"$GATHER" --compact --ttl "$1" "$2" >/dev/null || return 1
	[ "$(hits "$3")" -ge "$4" ]
}

@test "max-age: served from the cache within it, fetched again after it" {
	local u="$BASE/fresh/ma?cc=max-age=3"
	assert_equal "$(cache_of auto "$u")" miss
	assert_equal "$(cache_of auto "$u")" hit
	assert_equal "$(hits /fresh/ma)" 1
	# A hang guard only: the entry must go stale within seconds.
	wait_for 30 refetched auto "$u" /fresh/ma 2
	assert_equal "$(hits /fresh/ma)" 2
	assert_equal "$(cache_of auto "$u")" hit
}

@test "s-maxage is for shared caches: a private one ignores it" {
	local u="$BASE/fresh/sm?cc=s-maxage=3600"
	cache_of auto "$u" >/dev/null
	assert_equal "$(cache_of auto "$u")" miss
	assert_equal "$(hits /fresh/sm)" 2
}

@test "Expires minus Date: a Date an hour ahead and Expires 3 s after it give 3 s, not an hour" {
	local u="$BASE/fresh/ex?expires=3&date=3600"
	assert_equal "$(cache_of auto "$u")" miss
	assert_equal "$(cache_of auto "$u")" hit
	assert_equal "$(hits /fresh/ex)" 1
	wait_for 30 refetched auto "$u" /fresh/ex 2
	assert_equal "$(hits /fresh/ex)" 2
}

@test "an Expires in the past, or no date at all, is stale at once, whatever the default" {
	local p
	for p in 'expires=-10' 'expires=0' 'expires=never'; do
		cache_of auto:1h "$BASE/fresh/ep?$p" >/dev/null
		assert_equal "$(cache_of auto:1h "$BASE/fresh/ep?$p")" miss
	done
	assert_equal "$(hits /fresh/ep)" 6
}

@test "Age reduces the lifetime: max-age=60 with Age: 60 is stale, with Age: 57 expires within seconds" {
	local u
	u="$BASE/fresh/a0?cc=max-age=60&age=0"
	cache_of auto "$u" >/dev/null
	assert_equal "$(cache_of auto "$u")" hit
	u="$BASE/fresh/a60?cc=max-age=60&age=60"
	cache_of auto "$u" >/dev/null
	assert_equal "$(cache_of auto "$u")" miss
	assert_equal "$(hits /fresh/a60)" 2
	u="$BASE/fresh/a57?cc=max-age=60&age=57"
	cache_of auto "$u" >/dev/null
	wait_for 30 refetched auto "$u" /fresh/a57 2
}

@test "no-cache: stored, and revalidated every time (the server sees If-None-Match and answers 304)" {
	local u="$BASE/fresh/nc?cc=max-age=600,%20no-cache&etag=1"
	run "$GATHER" --compact --ttl auto "$u"
	assert_success
	assert_equal "$(q '.results[0] | [.cache, .status]')" '["miss",200]'
	run "$GATHER" --compact --ttl auto "$u"
	assert_success
	assert_equal "$(q '.results[0] | [.cache, .status, .body.id]')" '["revalidated",200,"nc"]'
	run "$GATHER" --compact --ttl auto "$u"
	assert_equal "$(q '.results[0].cache')" '"revalidated"'
	assert_equal "$(hits /fresh/nc)" 3
	assert_equal "$(curl -sf "$BASE/_/log?path=/fresh/nc" |
	    jq -c '[.[].headers["if-none-match"]]')" '[null,"\"f-nc\"","\"f-nc\""]'
}

@test "Vary: * is never stored, under --ttl auto and under a plain --ttl" {
	local ttl
	for ttl in auto 1h; do
		cache_of "$ttl" "$BASE/fresh/v?cc=max-age=600&vary=*" >/dev/null
		assert_equal "$(cache_of "$ttl" "$BASE/fresh/v?cc=max-age=600&vary=*")" miss
		cache_of "$ttl" "$BASE/fresh/v2?vary=Accept,%20*" >/dev/null
		assert_equal "$(cache_of "$ttl" "$BASE/fresh/v2?vary=Accept,%20*")" miss
	done
	assert_equal "$(hits /fresh/v)" 4
	assert_equal "$(hits /fresh/v2)" 4
	run "$GATHER" cache stats
	assert_equal "$(q .entries)" 0
	# Any other Vary is stored as before.
	cache_of auto "$BASE/fresh/v3?cc=max-age=600&vary=Accept" >/dev/null
	assert_equal "$(cache_of auto "$BASE/fresh/v3?cc=max-age=600&vary=Accept")" hit
}

@test "auto:DEFAULT applies when the response says nothing; plain auto then stores it stale" {
	cache_of auto:1h "$BASE/json/d" >/dev/null
	assert_equal "$(cache_of auto:1h "$BASE/json/d")" hit
	assert_equal "$(hits /json/d)" 1
	cache_of auto "$BASE/json/n" >/dev/null
	assert_equal "$(cache_of auto "$BASE/json/n")" miss
	assert_equal "$(hits /json/n)" 2
	# What the response says wins over the default.
	cache_of auto:1h "$BASE/fresh/z?cc=max-age=0" >/dev/null
	assert_equal "$(cache_of auto:1h "$BASE/fresh/z?cc=max-age=0")" miss
	assert_equal "$(hits /fresh/z)" 2
}

@test "a plain --ttl keeps its meaning: no-cache and max-age=0 responses are hits for DUR" {
	local u="$BASE/fresh/p?cc=no-cache,%20max-age=0"
	cache_of 1h "$u" >/dev/null
	assert_equal "$(cache_of 1h "$u")" hit
	# An entry stored under auto is judged by its age under --ttl DUR.
	cache_of auto "$BASE/fresh/p2?cc=max-age=0" >/dev/null
	assert_equal "$(cache_of auto "$BASE/fresh/p2?cc=max-age=0")" miss
	assert_equal "$(cache_of 1h "$BASE/fresh/p2?cc=max-age=0")" hit
	assert_equal "$(hits /fresh/p2)" 2
}

@test "the expiry the response gave is the entry's: cache list shows it, prune --expired honours it" {
	cache_of auto "$BASE/fresh/l600?cc=max-age=600" >/dev/null
	cache_of auto "$BASE/fresh/l0?cc=max-age=0" >/dev/null
	run "$GATHER" cache list
	assert_success
	local life
	life=$(jq -r 'select(.url | contains("/fresh/l600")) |
	    (.expires_at | fromdate) - (.stored_at | fromdate)' <<<"$output")
	[ "$life" -ge 598 ] && [ "$life" -le 600 ] ||
	    fail "max-age=600 stored with a lifetime of $life s"
	run "$GATHER" cache prune --expired
	assert_success
	run "$GATHER" cache list
	assert_equal "$(jq -s -c '[.[].url | sub(".*/fresh/"; "")]' <<<"$output")" '["l600?cc=max-age=600"]'
}

@test "a spec's ttl takes auto and auto:DUR too" {
	local d="{\"url\": \"$BASE/json/s\", \"ttl\": \"auto:1h\"}"
	local z="{\"url\": \"$BASE/fresh/sz?cc=max-age=0\", \"ttl\": \"auto:1h\"}"
	printf '%s\n%s\n' "$d" "$z" | "$GATHER" --compact >/dev/null
	run "$GATHER" --compact <<<"$d"$'\n'"$z"
	assert_success
	assert_equal "$(q '[.results[].cache]')" '["hit","miss"]'
	assert_equal "$(hits /json/s)" 1
	assert_equal "$(hits /fresh/sz)" 2
	run "$GATHER" --compact <<<"{\"url\": \"$BASE/json/s\", \"ttl\": \"auto:soon\"}"
	assert_failure 1
	assert_equal "$(q '.results[0].error.message')" '"line 1: \"ttl\": invalid duration: \"auto:soon\""'
}

@test "--ttl auto with a bad DEFAULT is a usage error naming the option; nothing is fetched" {
	local v
	for v in auto auto:10m auto:0; do
		run "$GATHER" --compact --ttl "$v" "$BASE/json/ok"
		assert_success
	done
	# auto stored it stale, auto:10m fetched it and stored it for 10m.
	assert_equal "$(hits /json/ok)" 2
	for v in auto:soon auto: automatic auto:1h:2h; do
		run -2 "$GATHER" --compact --ttl "$v" "$BASE/json/u"
		assert_output --partial "--ttl: invalid duration: '$v'"
	done
	assert_equal "$(hits /json/u)" 0
}
