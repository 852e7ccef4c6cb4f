# fish completion for gather(1).
# Install as gather.fish in a folder of $fish_complete_path.

# Arguments are URLs or NAME=URL, not files.
complete -c gather -f

# -d @FILE: file names after the '@'; literal data has nothing to offer.
function __gather_complete_data
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(-d|--data=)' '' $tok)
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

complete -c gather -s h -l help -d 'Show help and exit'
complete -c gather -s V -l version -d 'Show the version and exit'
complete -c gather -l compact -d 'Write the document on one line'
complete -c gather -l pretty -d 'Indent the document'
complete -c gather -s j -l concurrency -x -d 'At most N transfers in flight [32]'
complete -c gather -l connect-timeout -x -d 'Limit of one connection attempt (DUR) [10s]'
complete -c gather -s d -l data -x -a '(__gather_complete_data)' -d "Request body, '@FILE' reads FILE (implies POST)"
complete -c gather -l deadline -x -d 'Limit of the whole run (DUR); the unfinished fail [none]'
complete -c gather -s H -l header -x -d "Add a request header ('K: V'; 'K:' removes K)"
complete -c gather -s i -l input -r -F -d "Read inputs from FILE ('-' for stdin)"
complete -c gather -l max-body -x -d 'Fail a larger response body as too_large (SIZE) [16M]'
complete -c gather -l max-redirs -x -d 'Redirects followed, 0 = do not follow [10]'
complete -c gather -s o -l output -r -F -d 'Write the output to FILE atomically'
complete -c gather -l per-host -x -d 'At most N requests in flight to one host [0 = no limit]'
complete -c gather -s q -l quiet -d 'Print nothing but fatal errors on stderr'
complete -c gather -l rate -x -d 'Start at most N attempts per DUR, evenly spaced (N[/DUR]) [no limit]'
complete -c gather -s X -l request -x -a 'GET HEAD POST PUT DELETE PATCH OPTIONS' -d 'Request method [GET]'
complete -c gather -l retry -x -d 'Retries after the first attempt [2]'
complete -c gather -l retry-delay -x -d 'Base delay of the backoff (DUR) [250ms]'
complete -c gather -l retry-max-delay -x -d 'Cap of one backoff delay (DUR) [30s]'
complete -c gather -l retry-on -x -a '(__gather_complete_retry_on)' -d 'What is retried [connect,timeout,429,500,502,503,504]'
complete -c gather -l retry-unsafe -d 'Also retry non-idempotent methods (POST, PATCH)'
complete -c gather -s v -l verbose -d 'Log one line per attempt on stderr'
complete -c gather -s m -l timeout -x -d 'Limit of one attempt (DUR) [30s]'
complete -c gather -s A -l user-agent -x -d 'User-Agent header [gather/VERSION]'
