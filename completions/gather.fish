# fish completion for gather(1).
# Install as gather.fish in a folder of $fish_complete_path.

# Arguments are URLs or NAME=URL, not files.
complete -c gather -f

# 'gather cache VERB ...' and 'gather join FILE...': "cache" and "join" are
# verbs only as the first argument.
function __gather_main
    set -l tok (commandline -opc)
    not contains -- "$tok[2]" cache join; or test (count $tok) -lt 2
end

function __gather_join
    set -l tok (commandline -opc)
    test (count $tok) -ge 2; and test "$tok[2]" = join
end

function __gather_cache_needs_verb
    set -l tok (commandline -opc)
    test (count $tok) -eq 2; and test "$tok[2]" = cache
end

# True when the command line is 'gather cache VERB ...' with VERB one of $argv.
function __gather_cache_verb
    set -l tok (commandline -opc)
    test (count $tok) -ge 3; and test "$tok[2]" = cache; and contains -- $tok[3] $argv
end

# True until one of the output shapes, which exclude one another, is given.
function __gather_no_shape
    not __fish_seen_argument -l bodies -l keyed -l merge -l ndjson
end

# True while the first argument is being typed.
function __gather_first_arg
    test (count (commandline -opc)) -eq 1
end

# --cache-dir DIR and --cache-dir=DIR: folder names.
function __gather_complete_dir
    set -l tok (string replace -r -- '^--cache-dir=' '' (commandline -ct))
    __fish_complete_directories "$tok" 'Cache folder'
end

# -d @FILE: file names after the '@'; literal data has nothing to offer.
function __gather_complete_data
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(-d|--data=)' '' $tok)
    string match -q -- '@*' $tok; or return
    for p in (__fish_complete_path (string sub -s 2 -- $tok))
        echo @$p
    end
end

# --json @FILE: file names after the '@', as for -d.
function __gather_complete_json
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^--json=' '' $tok)
    string match -q -- '@*' $tok; or return
    for p in (__fish_complete_path (string sub -s 2 -- $tok))
        echo @$p
    end
end

# --retry-on LIST: the tokens, after what the list already holds.
function __gather_complete_retry_on
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^--retry-on=' '' $tok)
    # An empty list, not an empty string, would empty every $head'...'.
    set -l head (string match -r -- '^.*,' $tok); or set head ''
    printf '%s\n' \
        $head'connect	connection refused, reset or closed' \
        $head'timeout	--timeout or --connect-timeout ran out' \
        $head'dns	name not resolved' \
        $head'tls	TLS handshake or certificate failed' \
        $head'5xx	any status from 500 to 599' \
        $head'4xx	any status from 400 to 499' \
        $head'408	Request Timeout' \
        $head'429	Too Many Requests' \
        $head'500	Internal Server Error' \
        $head'502	Bad Gateway' \
        $head'503	Service Unavailable' \
        $head'504	Gateway Timeout'
end

complete -c gather -n __gather_main -s h -l help -d 'Show help and exit'
complete -c gather -n __gather_main -s V -l version -d 'Show the version and exit'
complete -c gather -n '__gather_main; and __gather_no_shape' -l bodies -d 'Output a JSON array of the bodies; a failure is null'
complete -c gather -n __gather_main -l cache-dir -x -a '(__gather_complete_dir)' -d 'Cache folder [$GATHER_CACHE_DIR, $XDG_CACHE_HOME/gather]'
complete -c gather -n __gather_main -l cache-max-size -x -d 'After the run, prune the cache to SIZE, oldest first'
complete -c gather -n __gather_main -l cacert -r -F -d 'Verify TLS peers with the CA certificates in FILE'
complete -c gather -n __gather_main -s E -l cert -r -F -d "TLS client certificate, FILE[:PASSWORD] ('\\:' is a ':' of FILE)"
complete -c gather -n __gather_main -l color -x -a 'auto\tOnly\ a\ pretty\ document\ on\ a\ terminal always never' -d 'Colour the output like jq [auto]'
complete -c gather -n __gather_main -l compact -d 'Write the document on one line'
complete -c gather -n __gather_main -l pretty -d 'Indent the document'
complete -c gather -n __gather_main -l compressed -d 'Ask for every encoding libcurl decodes [default]'
complete -c gather -n __gather_main -l no-compressed -d 'Send no Accept-Encoding; bodies come as sent'
complete -c gather -n __gather_main -s j -l concurrency -x -d 'At most N transfers in flight [32]'
complete -c gather -n __gather_main -s K -l config -r -F -d 'Read options from FILE, one a line, as curl -K does'
complete -c gather -n __gather_main -l connect-timeout -x -d 'Limit of one connection attempt (DUR) [10s]'
complete -c gather -n __gather_main -l connect-to -x -d 'Connect to H2:P2 for requests to H1:P1 (H1:P1:H2:P2)'
complete -c gather -n __gather_main -s b -l cookie -r -F -d "Send cookies 'N=V; N2=V2', or load a cookie FILE"
complete -c gather -n __gather_main -s c -l cookie-jar -r -F -d 'Write every cookie to FILE at the end, atomically'
complete -c gather -n __gather_main -l cursor -x -d 'Put the value at POINTER of a page into --cursor-param'
complete -c gather -n __gather_main -l cursor-param -x -d 'With --cursor: the query parameter the cursor goes in'
complete -c gather -n __gather_main -s d -l data -x -a '(__gather_complete_data)' -d "Request body, '@FILE' reads FILE (implies POST)"
complete -c gather -n __gather_main -l deadline -x -d 'Limit of the whole run (DUR); the unfinished fail [none]'
complete -c gather -n __gather_main -l expand-data -x -d 'Request body with {{NAME}} replaced by a --variable'
complete -c gather -n __gather_main -l expand-header -x -d 'Request header with {{NAME}} replaced by a --variable'
complete -c gather -n __gather_main -l expand-url -x -d 'A URL with {{NAME}} replaced by a --variable'
complete -c gather -n __gather_main -l fail-fast -d 'The first failed result ends the run; the unfinished fail'
complete -c gather -n __gather_main -s g -l globoff -d 'Take URLs as they are, not as globs'
complete -c gather -n __gather_main -s H -l header -x -a '(__gather_complete_data)' -d "Add a request header ('K: V'; 'K:' removes K), or those in @FILE"
complete -c gather -n __gather_main -l headers -d 'Include the response headers in each result'
complete -c gather -n __gather_main -l http1.1 -d 'Use HTTP/1.1 only'
complete -c gather -n __gather_main -l http2 -d 'HTTP/2 over TLS, HTTP/1.1 over http:// [default]'
complete -c gather -n __gather_main -l idempotency-key -d 'Send POST and PATCH with an Idempotency-Key UUID, the same on retries'
complete -c gather -n __gather_main -s 4 -l ipv4 -d 'Connect to IPv4 addresses only'
complete -c gather -n __gather_main -s 6 -l ipv6 -d 'Connect to IPv6 addresses only'
complete -c gather -n __gather_main -l json -x -a '(__gather_complete_json)' -d "JSON request body, '@FILE' reads FILE (POST, JSON Content-Type and Accept)"
complete -c gather -n __gather_main -l key -r -F -d 'Private key of --cert [in the --cert FILE]'
complete -c gather -n __gather_main -l noproxy -x -d "Hosts reached without the proxy ('*': all)"
complete -c gather -n __gather_main -l pinnedpubkey -r -F -d "TLS peer's public key: 'sha256//BASE64;...' or a FILE"
complete -c gather -n __gather_main -s x -l proxy -x -d "Use this proxy ('': none) [\$http_proxy, \$https_proxy]"
complete -c gather -n __gather_main -s U -l proxy-user -x -d 'Credentials for the proxy, USER:PASSWORD (never shown)'
complete -c gather -n __gather_main -l resolve -x -d 'Use ADDR for HOST:PORT, not the resolver (HOST:PORT:ADDR[,ADDR]...)'
complete -c gather -n __gather_main -l unix-socket -r -F -d 'Connect to the Unix socket PATH instead of the host'
complete -c gather -n __gather_main -s i -l input -r -F -d "Read inputs from FILE ('-' for stdin)"
complete -c gather -n __gather_main -l items -x -d 'With pagination: collect the array at POINTER of each page'
complete -c gather -n __gather_main -s k -l insecure -d 'Do not verify TLS certificates or host names'
complete -c gather -n '__gather_main; and __gather_no_shape' -l keyed -d 'Output an object NAME (or URL) -> body; a failure is null'
complete -c gather -n __gather_main -s L -l location -d 'Accepted for curl: redirects are followed anyway'
complete -c gather -n __gather_main -l lock -r -F -d 'Hold an exclusive lock on FILE for the run, else exit 75'
complete -c gather -n __gather_main -l lock-ttl -x -d 'A Redis lock of a killed run lapses after DUR [30s]'
complete -c gather -n __gather_main -l lock-wait -x -d 'With --lock, wait up to DUR for the lock [0]'
complete -c gather -n __gather_main -l max-body -x -d 'Fail a larger response body as too_large (SIZE) [16M]'
complete -c gather -n __gather_main -l max-pages -x -d 'Follow at most N pages of one input [100]'
complete -c gather -n __gather_main -l max-redirs -x -d 'Redirects followed, 0 = do not follow [10]'
complete -c gather -n '__gather_main; and __gather_no_shape' -l merge -d 'Concatenate array bodies; deep-merge object bodies'
complete -c gather -n '__gather_main; and __gather_no_shape' -l ndjson -d 'One result per line as each completes'
complete -c gather -n __gather_main -l netrc -d "Log in as ~/.netrc says for the host (file required)"
complete -c gather -n __gather_main -l netrc-file -r -F -d 'Like --netrc, with FILE instead of ~/.netrc'
complete -c gather -n __gather_main -l netrc-optional -d 'Like --netrc, but a missing file is no error'
complete -c gather -n __gather_main -l next -x -d "The next page's URL is the string at POINTER of a page"
complete -c gather -n __gather_main -l no-cache -d 'Neither read nor write the cache (wins over the rest)'
complete -c gather -n __gather_main -l no-config -d 'As the first argument: skip the default config file'
complete -c gather -n __gather_main -l no-progress -d 'Never show the progress line'
complete -c gather -n __gather_main -l oauth2-bearer -x -d "Send 'Authorization: Bearer TOKEN' (shown by ps)"
complete -c gather -n __gather_main -l offline -d 'Never touch the network: serve cached entries, fresh or not'
complete -c gather -n __gather_main -l ok -x -d 'Statuses that make a result ok (404, 2xx, 200-299) [below 400]'
complete -c gather -n __gather_main -l ordered -d 'With --ndjson: write the lines in input order'
complete -c gather -n __gather_main -s o -l output -r -F -d 'Write the output to FILE atomically'
complete -c gather -n __gather_main -l paginate -d "Follow each page's Link: rel=\"next\" to the next page"
complete -c gather -n __gather_main -l per-host -x -d 'At most N requests in flight to one host [0 = no limit]'
complete -c gather -n __gather_main -l progress -d 'Show a progress line on stderr [when only stderr is a terminal]'
complete -c gather -n __gather_main -s q -l quiet -d 'Print nothing but fatal errors on stderr'
complete -c gather -n __gather_main -l rate -x -d 'Start at most N attempts per DUR, evenly spaced (N[/DUR]) [no limit]'
complete -c gather -n __gather_main -l record -x -a '(__fish_complete_directories)' -d 'Write each response to a fixture file in DIR'
complete -c gather -n __gather_main -l redis -x -d 'Share the cache through Redis at URL [$GATHER_REDIS]'
complete -c gather -n __gather_main -l redis-prefix -x -d 'Prefix of every Redis key [gather:]'
complete -c gather -n __gather_main -l redis-timeout -x -d 'A Redis reply later than DUR is a miss [250ms]'
complete -c gather -n __gather_main -l redis-ttl -x -d 'Redis expiry of an entry without a TTL [1d]'
complete -c gather -n __gather_main -l refresh -d 'Ignore fresh entries, fetch, and store the new responses'
complete -c gather -n __gather_main -l replay -x -a '(__fish_complete_directories)' -d 'Answer from the fixtures in DIR, never the network'
complete -c gather -n __gather_main -s X -l request -x -a 'GET HEAD POST PUT DELETE PATCH OPTIONS' -d 'Request method [GET]'
complete -c gather -n __gather_main -l retry -x -d 'Retries after the first attempt [2]'
complete -c gather -n __gather_main -l retry-delay -x -d 'Base delay of the backoff (DUR) [250ms]'
complete -c gather -n __gather_main -l retry-max-delay -x -d 'Cap of one backoff delay (DUR) [30s]'
complete -c gather -n __gather_main -l retry-on -x -a '(__gather_complete_retry_on)' -d 'What is retried [connect,timeout,429,500,502,503,504]'
complete -c gather -n __gather_main -l retry-unsafe -d 'Also retry non-idempotent methods (POST, PATCH)'
complete -c gather -n __gather_main -l secret-header -x -d "Never show the value of header NAME (repeatable)"
complete -c gather -n __gather_main -l select -x -d 'Apply an RFC 6901 JSON pointer to each JSON body'
complete -c gather -n __gather_main -l shard -x -d 'Run only the inputs whose key falls in shard K of N (K/N)'
complete -c gather -n __gather_main -l shared-rate -x -d 'With --redis, share the --rate budget of KEY'
complete -c gather -n __gather_main -s S -l show-error -d 'With -q or -s, still report the failed results'
complete -c gather -n __gather_main -s s -l silent -d 'The same as --quiet'
complete -c gather -n __gather_main -l stable -d 'Leave out times and dates: the same responses, the same bytes'
complete -c gather -n __gather_main -l stale-if-error -x -d 'When a fetch fails, serve an entry expired by at most DUR'
complete -c gather -n __gather_main -s v -l verbose -d 'Log one line per attempt on stderr'
complete -c gather -n __gather_main -s m -l timeout -x -d 'Limit of one attempt (DUR) [30s]'
complete -c gather -n __gather_main -l summary -r -F -d "Write the summary JSON to FILE ('-' for stderr)"
complete -c gather -n __gather_main -l timings -d 'Add where the time went to each result, and hosts to the summary'
complete -c gather -n __gather_main -l ttl -x -a 'auto' -d 'Use the cache: fresh for DUR, or as the server says (DUR|auto[:DUR])'
complete -c gather -n __gather_main -s u -l user -x -d 'Log in with HTTP basic authentication (USER:PASSWORD)'
complete -c gather -n __gather_main -s A -l user-agent -x -d 'User-Agent header [gather/VERSION]'
complete -c gather -n __gather_main -l variable -x -d 'Set NAME for {{NAME}}: NAME=VALUE, NAME@FILE, %ENV[=DEFAULT]'

# The cache verbs.
complete -c gather -n __gather_first_arg -a cache -d 'Show or clean the cache (gather cache VERB)'
complete -c gather -n __gather_cache_needs_verb -a stats -d 'Print the number and size of entries, how many expired'
complete -c gather -n __gather_cache_needs_verb -a list -d 'Print one JSON line per entry'
complete -c gather -n __gather_cache_needs_verb -a prune -d 'Remove temp and stray files; expired or oldest entries'
complete -c gather -n __gather_cache_needs_verb -a purge -d 'Remove every entry'
complete -c gather -n __gather_cache_needs_verb -a rm -d 'Remove every entry stored for a URL'
complete -c gather -n '__gather_cache_verb stats list prune purge rm' -l cache-dir -x -a '(__gather_complete_dir)' -d 'Cache folder'
complete -c gather -n '__gather_cache_verb list' -l stable -d 'Leave out stored_at and expires_at'
complete -c gather -n '__gather_cache_verb prune' -l expired -d 'Also remove the expired entries'
complete -c gather -n '__gather_cache_verb prune' -l max-size -x -d 'Remove the oldest entries until the rest fit in SIZE'

# gather join FILE...: the shards' outputs, and a few output options.
complete -c gather -n __gather_first_arg -a join -d 'Merge the outputs of shards into one document (gather join FILE...)'
complete -c gather -n __gather_join -F
complete -c gather -n __gather_join -l ndjson -d 'One result per line'
complete -c gather -n __gather_join -l compact -d 'Write the document on one line'
complete -c gather -n __gather_join -l pretty -d 'Indent the document'
complete -c gather -n __gather_join -s o -l output -r -F -d 'Write the output to FILE atomically'
complete -c gather -n __gather_join -l summary -r -F -d "Write the summary JSON to FILE ('-' for stderr)"
