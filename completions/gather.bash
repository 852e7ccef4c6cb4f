# bash completion for gather(1).                          -*- shell-script -*-
# Install as gather in bash-completion's completions folder, or source it.

# Folder names for an option's value.
_gather_dirs()
{
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -d -- "$1"))
}

# gather cache VERB [OPTIONS]: $1 is the index of the word "cache".
_gather_cache()
{
	local i=$1 verb opts='--cache-dir'

	if ((COMP_CWORD == i + 1)); then
		COMPREPLY=($(compgen -W 'stats list prune purge rm' -- "$cur"))
		return 0
	fi
	verb=${COMP_WORDS[i + 1]}
	case $prev in
	--cache-dir)
		_gather_dirs "$cur"
		return 0
		;;
	--max-size)
		# A size: nothing to offer.
		return 0
		;;
	esac
	case $verb in
	stats | purge) ;;
	list) opts='--cache-dir --stable' ;;
	prune) opts='--cache-dir --expired --max-size' ;;
	rm)
		# The URL: nothing to offer.
		[[ $cur == -* ]] || return 0
		;;
	*) return 0 ;;
	esac
	COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	return 0
}

# gather join [OPTIONS] FILE...: the shards' outputs are files.
_gather_join()
{
	case $prev in
	-o | --output | --summary) ;;
	*)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '--ndjson --compact --pretty
			    --output --summary' -- "$cur"))
			return 0
		fi
		;;
	esac
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen -f -- "$cur"))
	return 0
}

_gather()
{
	local cur prev opt
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	local long='--bodies --cacert --cache-dir --cache-max-size --cert
	    --color --compact --compressed --concurrency --config
	    --connect-timeout --connect-to --cookie --cookie-jar --cursor
	    --cursor-param --data --deadline --expand-data --expand-header
	    --expand-url --fail-fast --globoff --header --headers --help
	    --http1.1 --http2 --idempotency-key --input --insecure --ipv4 --ipv6
	    --items --json --key --keyed --location --lock --lock-ttl
	    --lock-wait --max-body --max-pages --max-redirs --merge --ndjson
	    --netrc --netrc-file --netrc-optional --next --no-cache
	    --no-compressed --no-config --no-progress --noproxy --oauth2-bearer
	    --offline --ok --ordered --output --paginate --per-host
	    --pinnedpubkey --pretty --progress --proxy --proxy-user --quiet
	    --rate --record --redis --redis-prefix --redis-timeout --redis-ttl
	    --refresh --replay --request --resolve --retry --retry-delay
	    --retry-max-delay --retry-on --retry-unsafe --secret-header --select
	    --shard --shared-rate --show-error --silent --stable
	    --stale-if-error --summary --timeout --timings --ttl --unix-socket
	    --user --user-agent --variable --verbose --version'
	local short='-4 -6 -A -E -H -K -L -S -U -V -X -b -c -d -g -h -i -j -k -m
	    -o -q -s -u -v -x'

	# --option=value: complete the value after the '='.  Bash usually
	# splits it into three words (COMP_WORDBREAKS has '='), but not always.
	if [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		cur=${cur#*=}
	elif [[ $prev == --*=* ]]; then
		prev=	# it already carries its value
	fi

	# gather cache VERB: "cache" must be the first argument.
	if ((COMP_CWORD >= 2)) && [[ ${COMP_WORDS[1]} == cache ]]; then
		_gather_cache 1
		return 0
	fi
	if ((COMP_CWORD >= 2)) && [[ ${COMP_WORDS[1]} == join ]]; then
		_gather_join
		return 0
	fi

	case $prev in
	--cache-dir | --record | --replay)
		_gather_dirs "$cur"
		return 0
		;;
	-i | --input | -o | --output | --lock | --cacert | --summary | \
	    -E | --cert | --key | -c | --cookie-jar | --unix-socket | \
	    -b | --cookie | -K | --config | --netrc-file)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
		;;
	-d | --data | --json | -H | --header)
		# Literal data: nothing to offer; after '@', a file name.
		if [[ $cur == @* ]]; then
			local f
			compopt -o filenames 2>/dev/null
			while IFS= read -r f; do
				if [[ -d $f ]]; then
					f=$f/
					compopt -o nospace 2>/dev/null
				fi
				COMPREPLY+=("@$f")
			done < <(compgen -f -- "${cur#@}")
		fi
		return 0
		;;
	--color)
		COMPREPLY=($(compgen -W 'auto always never' -- "$cur"))
		return 0
		;;
	-X | --request)
		COMPREPLY=($(compgen -W 'GET HEAD POST PUT DELETE PATCH OPTIONS' \
		    -- "$cur"))
		return 0
		;;
	--retry-on)
		# A comma-separated list: complete its last token.
		local head= tail=$cur
		if [[ $cur == *,* ]]; then
			head=${cur%,*},
			tail=${cur##*,}
		fi
		COMPREPLY=($(compgen -P "$head" -W 'connect timeout dns tls 5xx
		    4xx 408 429 500 502 503 504' -- "$tail"))
		compopt -o nospace 2>/dev/null
		return 0
		;;
	--ok)
		# A comma-separated list: complete its last token.
		local head= tail=$cur
		if [[ $cur == *,* ]]; then
			head=${cur%,*},
			tail=${cur##*,}
		fi
		COMPREPLY=($(compgen -P "$head" -W '1xx 2xx 3xx 4xx 5xx 404
		    410' -- "$tail"))
		compopt -o nospace 2>/dev/null
		return 0
		;;
	--ttl)
		# A duration, or auto[:DUR]: only the word can be offered.
		COMPREPLY=($(compgen -W 'auto' -- "$cur"))
		return 0
		;;
	-j | --concurrency | --max-redirs | -m | --timeout | \
	    --connect-timeout | --max-body | --expand-data | \
	    --expand-header | --expand-url | --oauth2-bearer | \
	    --secret-header | -u | --user | --variable | \
	    -A | --user-agent | --deadline | --per-host | --rate | \
	    --retry | --retry-delay | --retry-max-delay | --cache-max-size | \
	    --stale-if-error | --lock-wait | --select | --shard | --lock-ttl | \
	    --redis | --redis-prefix | --redis-timeout | --redis-ttl | \
	    --shared-rate | -x | --proxy | -U | --proxy-user | --noproxy | \
	    --resolve | --connect-to | --pinnedpubkey | --cursor | \
	    --cursor-param | --items | --max-pages | --next)
		# A number, duration, size, header, pointer or string: nothing
		# to offer.
		return 0
		;;
	esac

	# Everything after a lone -- is a URL.
	for ((opt = 1; opt < COMP_CWORD; opt++)); do
		[[ ${COMP_WORDS[opt]} == -- ]] && return 0
	done

	case $cur in
	--*)
		COMPREPLY=($(compgen -W "$long" -- "$cur"))
		;;
	-*)
		COMPREPLY=($(compgen -W "$short $long" -- "$cur"))
		;;
	?*)
		# The verbs, in place of a URL; not for an empty word,
		# where a URL is as likely.
		((COMP_CWORD == 1)) &&
		    COMPREPLY=($(compgen -W 'cache join' -- "$cur"))
		;;
	esac
	return 0
}
complete -F _gather gather
