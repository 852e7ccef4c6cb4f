#!/bin/sh
# Starts nginx from Debian on a free loopback port, serving a generated
# docroot.  Usage: nginx.sh DIR SMALL LARGE
# Creates DIR/root/s/<i>.json (SMALL ~200-byte documents) and
# DIR/root/l/<i>.json (LARGE ~64 KiB ones), writes DIR/nginx.conf, starts
# nginx and prints the port.  Stop it with: kill $(cat DIR/nginx.pid)
set -eu
dir=$1 small=${2:-20000} large=${3:-0}
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
blob = [{"k": j, "v": "y" * 50} for j in range(1000)]
for i in range(large):
    p = f"{root}/l/{i}.json"
    if not os.path.exists(p):
        with open(p, "w") as f:
            json.dump({"id": i, "items": blob}, f)
PY
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$dir/nginx.conf" <<CONF
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log;
daemon on;
events { worker_connections 4096; }
http {
    access_log off;
    default_type application/json;
    types { application/json json; }
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
nginx -c "$dir/nginx.conf" -e "$dir/error.log" 2>/dev/null || nginx -c "$dir/nginx.conf"
for i in $(seq 50); do
	[ -s "$dir/nginx.pid" ] && break
	sleep 0.1
done
echo "$port"
