#!/bin/sh
# Starts nginx from Debian on a free loopback port, serving a generated
# docroot.  Usage: nginx.sh DIR SMALL LARGE
# Creates DIR/root/s/<i>.json (SMALL ~200-byte documents) and
# DIR/root/l/<i>.json (LARGE ~64 KiB ones), writes DIR/nginx.conf, starts
# nginx on 127.0.0.1 and prints the port.  Existing documents are kept, so
# a second call on the same DIR is quick.  NGINX_ACCESS_LOG=FILE turns the
# access log on, into FILE.
# Stop it with: kill $(cat DIR/nginx.pid)
set -eu
dir=$(cd "$1" && pwd) small=${2:-20000} large=${3:-0}
mkdir -p "$dir/root/s" "$dir/root/l" "$dir/tmp"
python3 - "$dir/root" "$small" "$large" <<'PY'
import json, os, sys
root, small, large = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(small):
    p = f"{root}/s/{i}.json"
    if not os.path.exists(p):
        doc = {"id": i, "name": f"item-{i}", "tags": ["a", "b", "c"],
               "price": i * 1.25, "active": i % 2 == 0,
               "description": "x" * 96}
        with open(p, "w") as f:
            json.dump(doc, f)
blob = json.dumps([{"k": j, "v": "y" * 50} for j in range(1000)])
for i in range(large):
    p = f"{root}/l/{i}.json"
    if not os.path.exists(p):
        with open(p, "w") as f:
            f.write('{"id": %d, "items": %s}' % (i, blob))
PY
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# Run as root, nginx would start its workers as "nobody", who cannot read
# a docroot under a mode-0700 mktemp folder: keep them as the caller.
user=
[ "$(id -u)" = 0 ] && user="user root root;"
cat >"$dir/nginx.conf" <<CONF
$user
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log;
daemon on;
events { worker_connections 4096; }
http {
    access_log ${NGINX_ACCESS_LOG:-off};
    default_type application/json;
    types { application/json json; }
    sendfile on;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    client_body_temp_path $dir/tmp;
    proxy_temp_path $dir/tmp;
    fastcgi_temp_path $dir/tmp;
    uwsgi_temp_path $dir/tmp;
    scgi_temp_path $dir/tmp;
    server {
        listen 127.0.0.1:$port;
        root $dir/root;
        location = /status { stub_status; }
    }
}
CONF
nginx -c "$dir/nginx.conf" -e "$dir/error.log" 2>/dev/null ||
    nginx -c "$dir/nginx.conf" -e "$dir/error.log" >&2
# Wait for the pid file and for /status to answer.
for i in $(seq 50); do
	[ -s "$dir/nginx.pid" ] && python3 - "$port" 2>/dev/null <<'PY' && break
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/status", timeout=1)
PY
	sleep 0.1
done
if [ ! -s "$dir/nginx.pid" ]; then
	echo "nginx.sh: nginx did not start; see $dir/error.log" >&2
	exit 1
fi
echo "$port"
