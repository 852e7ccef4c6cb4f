#!/usr/bin/env python3
"""Test fixtures for gather's network options (Python 3.11 standard library).

Usage: proxy.py [--port 0] [--port-file FILE] [--auth USER:PASSWORD]
       proxy.py --unix PATH

The first form is a forwarding HTTP proxy on 127.0.0.1.  It forwards
absolute-form requests ("GET http://127.0.0.1:8080/x HTTP/1.1") and
tunnels CONNECT, both only to loopback targets (127.0.0.1, ::1,
localhost): anything else gets 403.  With --auth, a request without the
matching "Proxy-Authorization: Basic ..." gets 407.  It prints its port
first on stdout and writes it (atomically) to FILE.

Its own routes (origin-form, as to a server):
  /_/log     [{"method", "target", "proxy_authorization"}, ...] of every
             request it was asked to forward or tunnel, 407s included
  /_/hits    {"forwarded": N, "tunnelled": M}
  /_/reset   forget both

The second form serves server.py's routes, /_/ ones included, over the
Unix socket PATH (removed first if it exists), for --unix-socket.

Both run until SIGTERM or SIGINT, then exit 0.
"""

import argparse
import base64
import http.client
import json
import os
import select
import signal
import socket
import socketserver
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import server  # noqa: E402  (server.py's routes, for --unix)

LOOPBACK = ("127.0.0.1", "::1", "localhost")
HOP = ("connection", "keep-alive", "proxy-authorization",
       "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade")


class Log:
    def __init__(self):
        self.lock = threading.Lock()
        self.clear()

    def clear(self):
        self.entries = []
        self.forwarded = 0
        self.tunnelled = 0

    def add(self, method, target, auth):
        with self.lock:
            self.entries.append({"method": method, "target": target,
                                 "proxy_authorization": auth})


LOG = Log()
AUTH = None  # the Proxy-Authorization value required, or None


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "gather-test-proxy/1.0"
    timeout = 60

    def log_message(self, format, *args):
        pass

    def reply(self, status, obj, headers=()):
        body = json.dumps(obj).encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def control(self):
        if self.path == "/_/log":
            with LOG.lock:
                self.reply(200, LOG.entries)
        elif self.path == "/_/hits":
            with LOG.lock:
                self.reply(200, {"forwarded": LOG.forwarded,
                                 "tunnelled": LOG.tunnelled})
        elif self.path == "/_/reset":
            with LOG.lock:
                LOG.clear()
            self.reply(200, {"reset": True})
        else:
            self.reply(404, {"error": "not found"})

    def admitted(self, target):
        """Logs the request; answers it and returns False when it may not
        go on (407 without the credentials, 403 off loopback)."""
        auth = self.headers.get("Proxy-Authorization")
        LOG.add(self.command, target, auth)
        if AUTH is not None and auth != AUTH:
            self.reply(407, {"error": "proxy authentication required"},
                       [("Proxy-Authenticate", 'Basic realm="proxy"')])
            return False
        return True

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else None

    def forward(self):
        if self.path.startswith("/"):
            return self.control()
        u = urlsplit(self.path)
        if not self.admitted(self.path):
            return
        if u.scheme != "http" or u.hostname not in LOOPBACK:
            return self.reply(403, {"error": "loopback http only"})
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in HOP}
        path = (u.path or "/") + (f"?{u.query}" if u.query else "")
        conn = http.client.HTTPConnection(u.hostname, u.port or 80,
                                          timeout=60)
        try:
            conn.request(self.command, path, self.body(), headers)
            resp = conn.getresponse()
            data = resp.read()
        except OSError as e:
            return self.reply(502, {"error": str(e)})
        finally:
            conn.close()
        with LOG.lock:
            LOG.forwarded += 1
        self.send_response(resp.status, resp.reason)
        for k, v in resp.getheaders():
            if k.lower() not in HOP and k.lower() != "content-length":
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = forward

    def do_CONNECT(self):
        host, _, port = self.path.rpartition(":")
        host = host.strip("[]")
        if not self.admitted(self.path):
            return
        if host not in LOOPBACK or not port.isdigit():
            return self.reply(403, {"error": "loopback targets only"})
        try:
            upstream = socket.create_connection((host, int(port)), 30)
        except OSError as e:
            return self.reply(502, {"error": str(e)})
        with LOG.lock:
            LOG.tunnelled += 1
        self.send_response(200, "Connection established")
        self.end_headers()
        self.relay(upstream)
        self.close_connection = True

    def relay(self, upstream):
        conns = [self.connection, upstream]
        try:
            while True:
                ready, _, _ = select.select(conns, [], [], 60)
                if not ready:
                    return
                for s in ready:
                    data = s.recv(65536)
                    if not data:
                        return
                    (upstream if s is self.connection
                     else self.connection).sendall(data)
        except OSError:
            pass
        finally:
            upstream.close()


class ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def server_bind(self):
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


class UnixHandler(server.Handler):
    disable_nagle_algorithm = False  # no TCP_NODELAY on a Unix socket

    def address_string(self):
        return "unix"


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class Stop(Exception):
    pass


def main(argv=None):
    global AUTH
    ap = argparse.ArgumentParser(description="gather test proxy")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--auth", help="USER:PASSWORD the proxy requires")
    ap.add_argument("--unix", help="serve server.py's routes on this socket")
    args = ap.parse_args(argv)

    def stop(signum, frame):
        raise Stop

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        if args.unix:
            if os.path.exists(args.unix):
                os.unlink(args.unix)
            srv = UnixServer(args.unix, UnixHandler)
        else:
            if args.auth:
                AUTH = "Basic " + base64.b64encode(args.auth.encode()).decode()
            srv = ProxyServer(("127.0.0.1", args.port), Proxy)
            port = srv.server_address[1]
            print(port, flush=True)
            if args.port_file:
                server.write_atomic(args.port_file, f"{port}\n")
        srv.serve_forever()
    except Stop:
        pass
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
