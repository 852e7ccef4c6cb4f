#!/usr/bin/env python3
"""A misbehaving HTTP/1.1 peer for gather's fault tests (standard library).

Usage: faulty.py [--host 127.0.0.1|::1] [--port 0] [--port-file FILE]

Like server.py: binds to a loopback address only, prints the bound port as
the first line on stdout, optionally writes it (atomically) to FILE, and
runs until SIGTERM/SIGINT, then exits 0.  It speaks HTTP by hand on the raw
socket so that it can break the protocol in the ways a real server does.
Routes match on the first path segment; "<x>" is free text; every request
body is read and discarded; ?delay=MS (plus a uniform 0..jitter=MS) sleeps
before answering.

  /ok/<any>[?pad=0]             200 {"path", "query", "pad"}, pad being a
                                string of `pad` x's; keep-alive
  /cut/<any>[?size=1000&send=100]
                                200 with Content-Length size, sends `send`
                                bytes of it, then closes (FIN)
  /rst/<any>[?size=1000&send=100]
                                the same, then resets the connection (RST)
  /slow/<any>[?bytes=10&interval=1000]
                                200 with Content-Length bytes, one byte
                                every interval ms
  /hang/<any>                   reads the request and never answers; holds
                                the connection until the client closes it
  /huge/<any>[?send=65536&then=hang]
                                200 with Content-Length 10 GiB, sends `send`
                                bytes, then hangs (then=hang) or closes
  /bomb/<any>                   200, Content-Encoding: gzip, a body of about
                                1 MiB that inflates to 1 GiB of zeros
  /badstatus/<any>              a status line that is not HTTP ("HTTP/1.1
                                2x0 OK"), then a body, then close
  /badchunk/<any>               Transfer-Encoding: chunked, one good chunk,
                                then a chunk size that is not hexadecimal
  /manyheaders/<any>[?n=100000] 200 with n response headers
  /folded/<any>                 200 whose first header line is folded (a
                                continuation line right after the status
                                line, obsolete since RFC 7230), then close
  /flaky/<key>[?fail=2&how=cut] the first `fail` requests for key fail the
                                way `how` says (cut, rst, close: FIN with no
                                response, hang, 503, badchunk, badstatus,
                                manyheaders), then 200 {"key", "attempt"}
  /rand/<any>[?p=0.3&max=-1&how=503,cut,rst,close]
                                with probability p (and at most max times
                                for the path when max >= 0) one failure
                                picked at random from the list `how` (the
                                ways /flaky knows); else like /ok
  anything else                 404 {"error": "not found"}

Control routes (never counted or delayed):
  /_/hits[?path=/x]   {path: count}, or {"path", "hits", "done", "sent"}:
                      requests that arrived, that were finished with (the
                      server is done answering or failing them), and the
                      body bytes sent for the path
  /_/reset            forget the counters (flaky attempts included)
  /_/health           {"ok": true}
"""

import argparse
import functools
import ipaddress
import json
import os
import random
import select
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
import zlib
from urllib.parse import parse_qsl

GiB = 1 << 30
HUGE = 10 * GiB
HOLD_MAX = 600          # seconds a hanging route holds a connection at most
MAX_HEAD = 64 * 1024    # request line and headers


def dumps(obj):
    return json.dumps(obj, separators=(",", ":")).encode()


class State:
    """Counters per path, and flaky attempts per key, under one lock."""

    def __init__(self):
        self.lock = threading.Lock()
        self.clear()

    def clear(self):
        self.hits, self.done, self.sent, self.attempts = {}, {}, {}, {}

    def add(self, table, key, n=1):
        with self.lock:
            table[key] = table.get(key, 0) + n
            return table[key]

    def take(self, key, limit):
        """Counts one more failure for key unless limit (>= 0) is reached."""
        with self.lock:
            n = self.attempts.get(key, 0)
            if 0 <= limit <= n:
                return False
            self.attempts[key] = n + 1
            return True


STATE = State()


@functools.lru_cache(maxsize=1)
def gzip_bomb():
    """A gzip member whose body is 1 GiB of zeros, made cheaply.

    After a full flush deflate starts afresh, so every further MiB of zeros
    compresses to the same bytes: compress two, repeat the second.
    """
    mib = bytes(1 << 20)
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = z.compress(mib) + z.flush(zlib.Z_FULL_FLUSH)
    again = z.compress(mib) + z.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(mib, crc)
    # The last block: empty and final; then CRC-32 and size mod 2^32.
    last = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    return first + again * 1023 + last + struct.pack("<II", crc, GiB & 0xffffffff)


class Closed(Exception):
    """The peer went away, or the route ended the connection."""


class Request:
    def __init__(self, method, target, headers):
        self.method, self.target, self.headers = method, target, headers
        self.path, _, self.query = target.partition("?")
        self.params = dict(parse_qsl(self.query, keep_blank_values=True))
        _, _, tail = self.path.partition("/")
        self.segment, _, self.rest = tail.partition("/")

    def num(self, name, default, kind=int):
        raw = self.params.get(name, "")
        try:
            return default if raw == "" else kind(raw)
        except ValueError:
            return default


class Handler(socketserver.BaseRequestHandler):
    """One connection: requests in a row while the routes keep it open."""

    def setup(self):
        self.sock = self.request
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.rfile = self.sock.makefile("rb")

    def finish(self):
        self.rfile.close()

    def handle(self):
        try:
            while True:
                req = self.read_request()
                if req is None or not self.serve(req):
                    return
        except (Closed, OSError):
            return

    def read_request(self):
        line = self.rfile.readline(MAX_HEAD)
        if not line:
            return None
        parts = line.decode("latin-1").split()
        if len(parts) != 3:
            return None
        headers = {}
        while True:
            h = self.rfile.readline(MAX_HEAD)
            if h in (b"\r\n", b"\n", b""):
                break
            name, _, value = h.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        req = Request(parts[0], parts[1], headers)
        n = int(headers.get("content-length", "0") or 0)
        if n:
            self.rfile.read(n)
        return req

    def serve(self, req):
        """Answers req; True to read another request on the connection."""
        if req.segment == "_":
            return self.control(req)
        STATE.add(STATE.hits, req.path)
        try:
            ms = req.num("delay", 0.0, float)
            ms += random.uniform(0, req.num("jitter", 0.0, float))
            if ms > 0:
                time.sleep(ms / 1000)
            return ROUTES.get(req.segment, route_not_found)(self, req)
        finally:
            STATE.add(STATE.done, req.path)

    def control(self, req):
        if req.rest == "hits":
            path = req.params.get("path")
            with STATE.lock:
                data = dict(STATE.hits) if path is None else {
                    "path": path, "hits": STATE.hits.get(path, 0),
                    "done": STATE.done.get(path, 0),
                    "sent": STATE.sent.get(path, 0)}
        elif req.rest == "reset":
            with STATE.lock:
                STATE.clear()
            data = {"reset": True}
        elif req.rest == "health":
            data = {"ok": True}
        else:
            return self.send(req, 404, dumps({"error": "not found"}))
        return self.send(req, 200, dumps(data))

    # ------------------------------------------------------ writing

    def write(self, req, data, body=0):
        """Sends data; body bytes (the last `body` of it) are counted."""
        self.sock.sendall(data)
        if body:
            STATE.add(STATE.sent, req.path, body)

    def head(self, status, fields, reason="OK"):
        lines = [f"HTTP/1.1 {status} {reason}"]
        lines += [f"{k}: {v}" for k, v in fields]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def send(self, req, status, body, ctype="application/json", extra=()):
        fields = [("Content-Type", ctype), ("Content-Length", len(body))]
        fields += list(extra)
        data = self.head(status, fields)
        if req.method != "HEAD":
            data += body
        self.write(req, data, len(body))
        return True

    def partial(self, req, size, send, ctype="application/json"):
        """Headers announcing size body bytes, then the first send of them."""
        self.write(req, self.head(200, [("Content-Type", ctype),
                                        ("Content-Length", size)]))
        left = min(send, size)
        while left > 0:
            n = min(left, 65536)
            self.write(req, b"x" * n, n)
            left -= n

    def reset(self):
        """Ends the connection with an RST instead of a FIN."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             struct.pack("ii", 1, 0))
        self.rfile.close()
        self.sock.close()
        return False

    def hold(self):
        """Waits until the client closes the connection (or HOLD_MAX)."""
        end = time.monotonic() + HOLD_MAX
        while time.monotonic() < end:
            r, _, _ = select.select([self.sock], [], [], 1.0)
            if r and not self.sock.recv(65536):
                break
        return False


# ---------------------------------------------------------------- routes

def route_ok(h, req):
    body = {"path": req.path, "query": req.query, "pad": "x" * req.num("pad", 0)}
    return h.send(req, 200, dumps(body))


def route_cut(h, req):
    h.partial(req, req.num("size", 1000), req.num("send", 100))
    return False


def route_rst(h, req):
    h.partial(req, req.num("size", 1000), req.num("send", 100))
    return h.reset()


def route_slow(h, req):
    n, interval = req.num("bytes", 10), req.num("interval", 1000.0, float)
    h.write(req, h.head(200, [("Content-Type", "text/plain"),
                              ("Content-Length", n)]))
    for i in range(n):
        if i:
            time.sleep(interval / 1000)
        h.write(req, b"*", 1)
    return False


def route_hang(h, req):
    return h.hold()


def route_huge(h, req):
    h.partial(req, HUGE, req.num("send", 65536), "application/octet-stream")
    return h.hold() if req.params.get("then", "hang") == "hang" else False


def route_bomb(h, req):
    body = gzip_bomb()
    h.write(req, h.head(200, [("Content-Type", "application/octet-stream"),
                              ("Content-Encoding", "gzip"),
                              ("Content-Length", len(body))]))
    for i in range(0, len(body), 65536):
        piece = body[i:i + 65536]
        h.write(req, piece, len(piece))
    return False


def route_badstatus(h, req):
    h.write(req, b"HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\n{}", 2)
    return False


def route_badchunk(h, req):
    h.write(req, h.head(200, [("Content-Type", "text/plain"),
                              ("Transfer-Encoding", "chunked")]))
    h.write(req, b"5\r\nhello\r\nzz-not-hex\r\nworld\r\n0\r\n\r\n", 5)
    return False


def route_manyheaders(h, req):
    n = req.num("n", 100000)
    fields = [(f"X-Fault-{i}", "v") for i in range(n)]
    fields += [("Content-Type", "application/json"), ("Content-Length", 2)]
    h.write(req, h.head(200, fields) + b"{}", 2)
    return False


def route_folded(h, req):
    body = dumps({"path": req.path})
    h.write(req, b"HTTP/1.1 200 OK\r\n X-Folded: y\r\nContent-Type: "
            b"application/json\r\nContent-Length: " +
            str(len(body)).encode() + b"\r\n\r\n" + body, len(body))
    return False


def route_close(h, req):
    return False


FAILURES = {
    "cut": route_cut, "rst": route_rst, "close": route_close,
    "hang": route_hang, "badchunk": route_badchunk,
    "badstatus": route_badstatus, "manyheaders": route_manyheaders,
    "503": lambda h, req: h.send(req, 503, dumps({"error": "flaky"})),
}


def route_flaky(h, req):
    k = STATE.add(STATE.attempts, ("flaky", req.rest))
    if k <= req.num("fail", 2):
        return FAILURES.get(req.params.get("how", "cut"), route_cut)(h, req)
    return h.send(req, 200, dumps({"key": req.rest, "attempt": k}))


def route_rand(h, req):
    p, limit = req.num("p", 0.3, float), req.num("max", -1)
    how = req.params.get("how", "503,cut,rst,close").split(",")
    key = ("rand", req.path)
    if random.random() < p and STATE.take(key, limit):
        return FAILURES.get(random.choice(how), route_cut)(h, req)
    return route_ok(h, req)


def route_not_found(h, req):
    return h.send(req, 404, dumps({"error": "not found"}))


ROUTES = {
    "ok": route_ok, "cut": route_cut, "rst": route_rst, "slow": route_slow,
    "hang": route_hang, "huge": route_huge, "bomb": route_bomb,
    "badstatus": route_badstatus, "badchunk": route_badchunk,
    "manyheaders": route_manyheaders, "flaky": route_flaky,
    "rand": route_rand, "folded": route_folded,
}


# ---------------------------------------------------------------- server

class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class Server6(Server):
    address_family = socket.AF_INET6


class Stop(Exception):
    pass


def main(argv=None):
    ap = argparse.ArgumentParser(description="misbehaving HTTP peer")
    ap.add_argument("--host", default="127.0.0.1",
                    help="loopback address to bind (127.0.0.1 or ::1)")
    ap.add_argument("--port", type=int, default=0, help="0 = any free port")
    ap.add_argument("--port-file", help="also write the port to this file")
    args = ap.parse_args(argv)
    try:
        loopback = ipaddress.ip_address(args.host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        ap.error("--host must be a loopback address such as 127.0.0.1 or ::1")

    def stop(signum, frame):
        raise Stop

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server = (Server6 if ":" in args.host else Server)(
            (args.host, args.port), Handler)
        port = server.server_address[1]
        print(port, flush=True)
        if args.port_file:
            tmp = f"{args.port_file}.{os.getpid()}.tmp"
            with open(tmp, "w") as f:
                f.write(f"{port}\n")
            os.replace(tmp, args.port_file)
        server.serve_forever()
    except Stop:
        pass
    sys.stdout.flush()
    os._exit(0)  # don't wait for connections still held


if __name__ == "__main__":
    main()
