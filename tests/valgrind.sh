#!/bin/sh
# Runs gather under valgrind's memcheck, for make valgrind: the bats files
# run with GATHER pointing here.  The program is VALGRIND_GATHER (default:
# build/gather beside this script).  Reports go to one file per process in
# VALGRIND_LOGS (default: the current directory), not to stderr, so that
# tests reading gather's stderr see only gather's; an error or a definite
# or indirect leak also makes the exit status 99.  exec keeps the pid, so a
# test's signals reach valgrind, which passes them on to gather.
here=$(cd "$(dirname "$0")" && pwd)
exec valgrind -q --error-exitcode=99 --leak-check=full \
    --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect \
    --suppressions="$here/valgrind.supp" \
    --log-file="${VALGRIND_LOGS:-.}/valgrind.%p.log" \
    "${VALGRIND_GATHER:-$here/../build/gather}" "$@"
