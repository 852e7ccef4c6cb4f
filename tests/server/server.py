#!/usr/bin/env python3
"""Test fixture HTTP server for gather (Python 3.11 standard library only).

Usage: server.py [--host 127.0.0.1|::1] [--port 0] [--port-file FILE]

Binds to a loopback address only, prints the bound port as the first line on
stdout, optionally writes it (atomically) to FILE, and serves HTTP/1.1 with
keep-alive until SIGTERM/SIGINT, then exits 0.  No access log.

Every route answers GET, HEAD, POST, PUT, DELETE, PATCH and OPTIONS, discards
the request body (Content-Length or chunked) and accepts ?delay=MS (sleep
before answering) and ?jitter=MS (sleep a further uniform 0..MS).
Routes match on the first path segment; "<x>" is free text.

  /json/<any>                  200 {"path": <path without query>, "method": ...}
  /status/<code>               <code> {"status": <code>} (no body for 204/304)
  /text[?body=S]               200 text/plain "hello, wörld\\n" (or S)
  /html                        200 text/html small page
  /binary[?size=256]           200 application/octet-stream, invalid UTF-8
  /large[?size=1048576]        200 JSON array of at least size bytes
  /bytes[?size=1024&type=T]    200 exactly size bytes of "a", type text/plain
  /bytes?hex=H[&type=T]        200 the bytes H spells in hex, type text/plain
  /drip[?bytes=10&interval=100&chunked=0]
                               200, one byte every interval ms, flushed;
                               Content-Length (or chunked framing if chunked=1)
  /redirect?to=URL[&code=302]  redirect with Location: URL
  /redirect-chain/<n>          302 to /redirect-chain/<n-1> (query kept);
                               0 gives 200 {"chain": "done"}
  /reset                       read the request, then close with a TCP RST
  /close                       close the connection without a response (FIN)
  /garbage                     send "this is not http\\r\\n\\r\\n" and close
  /flaky/<id>[?fail=2&status=503]
                               first `fail` requests for id get `status`,
                               then 200 {"id": id, "attempt": k}
  /random-fail/<any>[?p=0.3&status=500&max=K]
                               `status` with probability p, else like /json
  /retry-after/<id>[?fail=1&after=1&status=429&date=0]
                               first `fail` requests get `status` with
                               Retry-After: after (an HTTP-date if date=1)
  /etag/<id>[?etag=T]          200 with ETag; 304 if If-None-Match matches
  /lastmod/<id>                200 with a fixed Last-Modified; 304 if
                               If-Modified-Since is not earlier
  /cache-control[?value=V]     200 with Cache-Control: V (default max-age=60)
  /headers?Name=Value&...      200, every query pair sent as a response header
  /echo                        200 {"method", "path", "query", "headers",
                                    "body", "body_length"} of the request
  /gzip                        200 {"compressed": bool}, gzip-encoded if the
                               request's Accept-Encoding mentions gzip
  /die-mid-body/<id>[?fail=1]  first `fail` requests for id: 200 with
                               Content-Length 1000, a few bytes, then FIN;
                               later ones like /json (so for all below)
  /reset-mid-body/<id>[?fail=1] the same, ended by a TCP RST
  /bad-chunk/<id>[?fail=1]     chunked body with a chunk size "zz"
  /many-headers/<id>[?fail=1&n=100000]
                               a 200 with n response headers
  /bad-status/<id>[?fail=1]    status line "HTTP/1.1 2x0 OK"
  /retry-after-value/<id>[?fail=1&status=503&value=V]
                               first `fail` requests get `status` with
                               Retry-After: V exactly as given
  /pages/link/<id>[?n=5&per=3&page=1&style=abs&fail=P&text=P&loop=0]
                               page `page` of n: a JSON array of per items
                               {"id", "page"} with Link rel first, next (not
                               on the last page) and last, each URL written
                               abs, path (/p?q) or query (?q); page P
                               answers 500 (fail) or text (text); loop=1:
                               the last page's next is the first page's URL
                               (the query without page)
  /pages/next/<id>[?n&per&page&style&fail&text&end=null]
                               {"data": [items], "next": URL}; on the last
                               page next is null, "" (end=empty) or absent
                               (end=missing)
  /pages/cursor/<id>[?n&per&cursor=tok-P&numeric=0&fail&text]
                               {"items": [items], "next_cursor": "tok-P" (a
                               number P with numeric=1), null at the end}
  /fresh/<id>[?cc=V&expires=N&date=N&age=V&vary=V&etag=1]
                               200 {"id": id} with a Date N seconds from now
                               (default 0), Cache-Control: V, Expires: that
                               Date + N seconds (or N as given when it is no
                               integer), Age: V, Vary: V; with etag=1 an ETag
                               and 304 (same headers) if If-None-Match matches
  anything else                404 {"error": "not found"}

Control routes (never counted or delayed, not part of the peak):
  /_/hits[?path=/x]   {path: count} or {"path": "/x", "hits": N, "done": M}:
                      N requests arrived, M of them answered (or ended)
  /_/log[?path=/x]    [{"t", "method", "path", "query", "headers"}, ...]
  /_/peak             {"peak": N, "inflight": M, "peak_by_host": {host: N}}
  /_/reset            clear hits, log, peak and flaky/retry-after counters;
                      requests still in flight are no longer counted
  /_/health           {"ok": true}

Malformed parameters (e.g. size=abc) give 400 {"error": ...}.
"""

import argparse
import email.utils
import functools
import gzip
import hashlib
import ipaddress
import json
import os
import random
import signal
import socket
import socketserver
import struct
import sys
import threading
import time
import traceback
from datetime import timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

START = time.monotonic()
LASTMOD = "Wed, 21 Oct 2015 07:28:00 GMT"
LASTMOD_DT = email.utils.parsedate_to_datetime(LASTMOD)
NO_BODY = (204, 304)
BINARY_PATTERN = bytes(range(255, -1, -1))  # starts with 0xff: never UTF-8
HTML = (b"<!DOCTYPE html>\n<html><head><title>gather test</title></head>\n"
        b"<body><h1>gather test page</h1><p>Hello.</p></body></html>\n")


def dumps(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


class BadRequest(Exception):
    """A malformed request parameter; answered with 400."""


class State:
    """All shared mutable state, guarded by one lock.

    A reset starts a new epoch: requests that began before it (say, a slow
    request a test left behind when it interrupted gather) are no longer
    counted in inflight or peak, so each test sees only its own requests.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.epoch = 0
        self.clear()

    def clear(self):
        """Forget history, including requests still in flight."""
        self.epoch += 1
        self.hits = {}
        self.done = {}
        self.log = []
        self.attempts = {}
        self.inflight = 0
        self.inflight_by_host = {}
        self.peak = 0
        self.peak_by_host = {}

    def begin(self, entry, host):
        """Count a request that arrived; returns the token end() takes."""
        with self.lock:
            self.hits[entry["path"]] = self.hits.get(entry["path"], 0) + 1
            self.log.append(entry)
            self.inflight += 1
            self.peak = max(self.peak, self.inflight)
            n = self.inflight_by_host.get(host, 0) + 1
            self.inflight_by_host[host] = n
            self.peak_by_host[host] = max(self.peak_by_host.get(host, 0), n)
            return self.epoch

    def end(self, path, host, epoch):
        """The request is answered (or abandoned): no longer in flight."""
        with self.lock:
            if epoch != self.epoch:
                return
            self.done[path] = self.done.get(path, 0) + 1
            self.inflight -= 1
            n = self.inflight_by_host.pop(host) - 1
            if n:
                self.inflight_by_host[host] = n

    def count(self, key):
        """How many times key was counted so far."""
        with self.lock:
            return self.attempts.get(key, 0)

    def attempt(self, key):
        """Count one more request for key; return the 1-based count."""
        with self.lock:
            self.attempts[key] = self.attempts.get(key, 0) + 1
            return self.attempts[key]


STATE = State()


# ---------------------------------------------------------------- routes

def route_json(req, rest):
    req.send_json(200, {"path": req.route_path, "method": req.command})


def route_status(req, rest):
    code = req.parse("status code", rest, int)
    if not 200 <= code <= 599:
        raise BadRequest(f"status code out of range: {code}")
    req.send_json(code, {"status": code})


def route_text(req, rest):
    text = req.params.get("body", "hello, wörld\n")
    req.send(200, text.encode(), "text/plain; charset=utf-8")


def route_html(req, rest):
    req.send(200, HTML, "text/html; charset=utf-8")


def route_binary(req, rest):
    n = req.num("size", 256)
    body = (BINARY_PATTERN * (n // 256 + 1))[:n]
    req.send(200, body, "application/octet-stream")


@functools.lru_cache(maxsize=4)
def large_body(n):
    items, length, i = [], 2, 0
    while length < n:
        item = dumps({"id": i, "name": f"item-{i}", "tags": ["a", "b", "c"],
                      "text": "lorem ipsum dolor sit amet " * 2}).decode()
        length += len(item) + (1 if items else 0)
        items.append(item)
        i += 1
    return ("[" + ",".join(items) + "]").encode()


def route_large(req, rest):
    req.send(200, large_body(req.num("size", 1 << 20)))


def route_bytes(req, rest):
    if "hex" in req.params:
        try:
            body = bytes.fromhex(req.params["hex"])
        except ValueError:
            raise BadRequest("hex: not hexadecimal")
    else:
        body = b"a" * req.num("size", 1024)
    req.send(200, body, req.params.get("type") or "text/plain")


def route_drip(req, rest):
    n = req.num("bytes", 10)
    interval = req.num("interval", 100.0, float) / 1000
    chunked = req.params.get("chunked") == "1"
    req.send_response(200)
    req.send_header("Content-Type", "text/plain")
    if chunked:
        req.send_header("Transfer-Encoding", "chunked")
    else:
        req.send_header("Content-Length", str(n))
    req.end_headers()
    if req.command == "HEAD":
        return
    for i in range(n):
        if i:
            time.sleep(interval)
        req.wfile.write(b"1\r\n*\r\n" if chunked else b"*")
        req.wfile.flush()
    if chunked:
        req.wfile.write(b"0\r\n\r\n")


def route_redirect(req, rest):
    to = req.params.get("to")
    if not to:
        raise BadRequest("missing 'to' parameter")
    code = req.num("code", 302)
    if not 300 <= code <= 399:
        raise BadRequest(f"not a redirect code: {code}")
    req.send_json(code, {"location": to}, [("Location", to)])


def route_redirect_chain(req, rest):
    n = req.parse("chain length", rest, int)
    if n <= 0:
        req.send_json(200, {"chain": "done"})
        return
    location = f"/redirect-chain/{n - 1}" + (f"?{req.query}" if req.query else "")
    req.send_json(302, {"location": location}, [("Location", location)])


def route_reset(req, rest):
    req.close_connection = True
    req.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                              struct.pack("ii", 1, 0))
    # Close it here, without the server's shutdown(SHUT_WR), which would send
    # a FIN first.  rfile holds a reference to the socket, so close it too.
    req.rfile.close()
    req.connection.close()


def route_close(req, rest):
    req.close_connection = True  # the server then closes normally (FIN)


def route_garbage(req, rest):
    req.wfile.write(b"this is not http\r\n\r\n")
    req.close_connection = True


def route_flaky(req, rest):
    fail, status = req.num("fail", 2), req.status_param(503)
    k = STATE.attempt(("flaky", rest))
    if k <= fail:
        req.send_json(status, {"error": "flaky", "id": rest, "attempt": k})
    else:
        req.send_json(200, {"id": rest, "attempt": k})


def route_random_fail(req, rest):
    """Fails with probability p; with max=K, never more than K times a path,
    so that a client retrying K times is sure to get through."""
    p, status = req.num("p", 0.3, float), req.status_param(500)
    limit, key = req.num("max", -1), ("random-fail", rest)
    if random.random() < p and (limit < 0 or STATE.count(key) < limit):
        STATE.attempt(key)
        req.send_json(status, {"error": "random failure", "path": req.route_path})
    else:
        route_json(req, rest)


def route_retry_after(req, rest):
    fail, after, status = req.num("fail", 1), req.num("after", 1), req.status_param(429)
    k = STATE.attempt(("retry-after", rest))
    if k > fail:
        req.send_json(200, {"id": rest, "attempt": k})
        return
    if req.params.get("date") == "1":
        value = email.utils.formatdate(time.time() + after, usegmt=True)
    else:
        value = str(after)
    req.send_json(status, {"error": "retry later", "id": rest, "attempt": k},
                  [("Retry-After", value)])


def etag_matches(header, tag):
    for candidate in header.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/").strip('"') == tag:
            return True
    return False


def route_etag(req, rest):
    tag = req.params.get("etag", "").strip('"')
    tag = tag or "e-" + hashlib.sha1(rest.encode()).hexdigest()[:16]
    headers = [("ETag", f'"{tag}"')]
    if etag_matches(req.headers.get("If-None-Match", ""), tag):
        req.send(304, headers=headers)
    else:
        req.send_json(200, {"id": rest, "etag": tag}, headers)


def not_modified_since(value):
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when >= LASTMOD_DT


def route_lastmod(req, rest):
    headers = [("Last-Modified", LASTMOD)]
    ims = req.headers.get("If-Modified-Since")
    if ims and not_modified_since(ims):
        req.send(304, headers=headers)
    else:
        req.send_json(200, {"id": rest, "last_modified": LASTMOD}, headers)


def route_cache_control(req, rest):
    value = req.params.get("value", "max-age=60")
    req.send_json(200, {"cache_control": value}, [("Cache-Control", value)])


def route_headers(req, rest):
    # Framing headers are computed by the server, never taken from the query.
    pairs = [(k, v) for k, v in req.qpairs
             if k.lower() not in ("content-length", "transfer-encoding")]
    req.send_json(200, dict(pairs), pairs)


def route_echo(req, rest):
    req.send_json(200, {
        "method": req.command, "path": req.route_path, "query": req.query,
        "headers": req.header_dict(),
        "body": req.body.decode("utf-8", errors="replace"),
        "body_length": len(req.body)})


def route_gzip(req, rest):
    vary = [("Vary", "Accept-Encoding")]
    if "gzip" in req.headers.get("Accept-Encoding", "").lower():
        body = gzip.compress(dumps({"compressed": True}), mtime=0)
        req.send(200, body, headers=vary + [("Content-Encoding", "gzip")])
    else:
        req.send_json(200, {"compressed": False}, vary)


def route_not_found(req, rest=""):
    req.send_json(404, {"error": "not found"})


# ------------------------------------------- broken responses (issue 10)

def broken_turn(req, rest, name):
    """True while the request for rest is among the first `fail` (default
    1) of its kind: those get the broken answer, later ones /json's."""
    if STATE.attempt((name, rest)) <= req.num("fail", 1):
        return True
    route_json(req, rest)
    return False


def cut_mid_body(req, rst):
    req.close_connection = True
    req.send_response(200)
    req.send_header("Content-Type", "application/json")
    req.send_header("Content-Length", "1000")
    req.end_headers()
    req.wfile.write(b'{"partial": "')
    req.wfile.flush()
    if rst:
        req.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                  struct.pack("ii", 1, 0))
        req.rfile.close()
        req.connection.close()


def route_die_mid_body(req, rest):
    if broken_turn(req, rest, "die-mid-body"):
        cut_mid_body(req, False)


def route_reset_mid_body(req, rest):
    if broken_turn(req, rest, "reset-mid-body"):
        cut_mid_body(req, True)


def route_bad_chunk(req, rest):
    if not broken_turn(req, rest, "bad-chunk"):
        return
    req.close_connection = True
    req.send_response(200)
    req.send_header("Content-Type", "text/plain")
    req.send_header("Transfer-Encoding", "chunked")
    req.end_headers()
    req.wfile.write(b"5\r\nhello\r\nzz\r\nworld\r\n0\r\n\r\n")


def route_many_headers(req, rest):
    if not broken_turn(req, rest, "many-headers"):
        return
    n = req.num("n", 100000)
    req.close_connection = True
    req.wfile.write(b"HTTP/1.1 200 OK\r\n" +
                    b"X-Many: 1\r\n" * n +
                    b"Content-Length: 2\r\nConnection: close\r\n\r\n{}")


def route_bad_status(req, rest):
    if not broken_turn(req, rest, "bad-status"):
        return
    req.close_connection = True
    req.wfile.write(b"HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n"
                    b"Connection: close\r\n\r\n{}")


def route_retry_after_value(req, rest):
    fail, status = req.num("fail", 1), req.status_param(503)
    k = STATE.attempt(("retry-after-value", rest))
    if k > fail:
        req.send_json(200, {"id": rest, "attempt": k})
        return
    req.send_json(status, {"error": "retry later", "id": rest, "attempt": k},
                  [("Retry-After", req.params.get("value", ""))])


# ------------------------------------------- freshness headers (issue 12)

def route_fresh(req, rest):
    p = req.params
    try:
        when = int(time.time()) + int(p.get("date") or 0)
    except ValueError:
        raise BadRequest(f"bad date: {p['date']!r}") from None
    headers = [(name, p[key]) for name, key in
               (("Cache-Control", "cc"), ("Age", "age"), ("Vary", "vary"))
               if key in p]
    if "expires" in p:
        try:
            exp = email.utils.formatdate(when + int(p["expires"]),
                                         usegmt=True)
        except ValueError:
            exp = p["expires"]
        headers.append(("Expires", exp))
    tag = "f-" + rest
    if p.get("etag") == "1":
        headers.append(("ETag", f'"{tag}"'))
    # The Date send_response writes, for this response only.
    req.date_time_string = lambda timestamp=None: email.utils.formatdate(
        when, usegmt=True)
    try:
        if p.get("etag") == "1" and etag_matches(
                req.headers.get("If-None-Match", ""), tag):
            req.send(304, headers=headers)
        else:
            req.send_json(200, {"id": rest}, headers)
    finally:
        del req.date_time_string


ROUTES = {
    "json": route_json, "status": route_status, "text": route_text,
    "html": route_html, "binary": route_binary, "large": route_large,
    "bytes": route_bytes, "drip": route_drip, "redirect": route_redirect,
    "redirect-chain": route_redirect_chain, "reset": route_reset,
    "close": route_close, "garbage": route_garbage, "flaky": route_flaky,
    "random-fail": route_random_fail, "retry-after": route_retry_after,
    "etag": route_etag, "lastmod": route_lastmod,
    "cache-control": route_cache_control, "headers": route_headers,
    "echo": route_echo, "gzip": route_gzip,
    # Broken responses (issue 10).
    "die-mid-body": route_die_mid_body, "reset-mid-body": route_reset_mid_body,
    "bad-chunk": route_bad_chunk, "many-headers": route_many_headers,
    "bad-status": route_bad_status, "retry-after-value": route_retry_after_value,
    # Freshness headers (issue 12).
    "fresh": route_fresh,
}


# ------------------------------------------------- pagination (issue 15)

def page_items(p, per):
    return [{"id": (p - 1) * per + i, "page": p} for i in range(per)]


def page_url(req, style, **changes):
    """The URL of this route with the query changed, written in style:
    abs (absolute), path (/path?query) or query (?query)."""
    params = dict(req.qpairs)
    params.update({k: str(v) for k, v in changes.items()})
    query = "&".join(f"{k}={v}" for k, v in params.items())
    if style == "query":
        return f"?{query}"
    if style == "path":
        return f"{req.route_path}?{query}"
    return f"http://{req.headers.get('Host', '')}{req.route_path}?{query}"


def page_fault(req, p):
    """Page p answers 500 (fail=p) or text (text=p): True when it did."""
    if req.num("fail", 0) == p:
        req.send_json(500, {"error": "page fails", "page": p})
    elif req.num("text", 0) == p:
        req.send(200, b"not json\n", "text/plain")
    else:
        return False
    return True


def route_pages_link(req, rest):
    n, per, p = req.num("n", 5), req.num("per", 3), req.num("page", 1)
    style = req.params.get("style", "abs")
    if page_fault(req, p):
        return
    links = [f'<{page_url(req, style, page=1)}>; rel="first"']
    if p < n:
        links.append(f'<{page_url(req, style, page=p + 1)}>; rel="next"')
    elif req.params.get("loop") == "1":
        first = "&".join(f"{k}={v}" for k, v in req.qpairs if k != "page")
        links.append(f'<{req.route_path}?{first}>; rel="next"')
    links.append(f'<{page_url(req, style, page=n)}>; rel="last"')
    req.send_json(200, page_items(p, per), [("Link", ", ".join(links))])


def route_pages_next(req, rest):
    n, per, p = req.num("n", 5), req.num("per", 3), req.num("page", 1)
    if page_fault(req, p):
        return
    body = {"data": page_items(p, per)}
    end = req.params.get("end", "null")
    if p < n:
        body["next"] = page_url(req, req.params.get("style", "abs"),
                                page=p + 1)
    elif end != "missing":
        body["next"] = None if end == "null" else ""
    req.send_json(200, body)


def route_pages_cursor(req, rest):
    n, per = req.num("n", 5), req.num("per", 3)
    cursor = req.params.get("cursor", "")
    numeric = req.params.get("numeric") == "1"
    try:
        p = int(cursor.removeprefix("tok-")) if cursor else 1
    except ValueError:
        raise BadRequest(f"bad cursor: {cursor}") from None
    if page_fault(req, p):
        return
    nxt = None
    if p < n:
        nxt = p + 1 if numeric else f"tok-{p + 1}"
    req.send_json(200, {"items": page_items(p, per), "next_cursor": nxt})


ROUTES.update({
    "pages": lambda req, rest: {
        "link": route_pages_link, "next": route_pages_next,
        "cursor": route_pages_cursor,
    }.get(rest.partition("/")[0], route_not_found)(req, rest),
})


# -------------------------------------------------------- control routes

def ctl_hits(req):
    path = req.params.get("path")
    with STATE.lock:
        if path is None:
            data = dict(STATE.hits)
        else:
            data = {"path": path, "hits": STATE.hits.get(path, 0),
                    "done": STATE.done.get(path, 0)}
    req.send_json(200, data)


def ctl_log(req):
    path = req.params.get("path")
    with STATE.lock:
        entries = [e for e in STATE.log if path is None or e["path"] == path]
    req.send_json(200, entries)


def ctl_peak(req):
    with STATE.lock:
        data = {"peak": STATE.peak, "inflight": STATE.inflight,
                "peak_by_host": dict(STATE.peak_by_host)}
    req.send_json(200, data)


def ctl_reset(req):
    with STATE.lock:
        STATE.clear()
    req.send_json(200, {"reset": True})


def ctl_health(req):
    req.send_json(200, {"ok": True})


CONTROL = {"hits": ctl_hits, "log": ctl_log, "peak": ctl_peak,
           "reset": ctl_reset, "health": ctl_health}


# --------------------------------------------------------------- handler

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "gather-test/1.0"
    disable_nagle_algorithm = True  # header and body are separate writes
    timeout = 300                   # reclaim threads of idle connections

    def log_message(self, format, *args):
        pass

    def handle(self):
        try:
            super().handle()
        except (ConnectionError, TimeoutError):
            pass

    def dispatch(self):
        path, _, self.query = self.path.partition("?")
        self.route_path = path
        self.qpairs = parse_qsl(self.query, keep_blank_values=True)
        self.params = dict(self.qpairs)
        _, _, tail = path.partition("/")
        segment, _, rest = tail.partition("/")
        counted = segment != "_"
        host = self.headers.get("Host", "")
        if counted:
            epoch = STATE.begin({"t": time.monotonic() - START,
                                 "method": self.command, "path": path,
                                 "query": self.query,
                                 "headers": self.header_dict()}, host)
        try:
            self.body = self.read_body()
            if counted:
                self.pause()
                ROUTES.get(segment, route_not_found)(self, rest)
            else:
                CONTROL.get(rest, route_not_found)(self)
        except BadRequest as e:
            self.send_json(400, {"error": str(e)})
        except ConnectionError:
            self.close_connection = True
        except Exception:
            traceback.print_exc()
            self.close_connection = True
        finally:
            if counted:
                STATE.end(path, host, epoch)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = dispatch

    def header_dict(self):
        out = {}
        for name, value in self.headers.items():
            name = name.lower()
            out[name] = f"{out[name]}, {value}" if name in out else value
        return out

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self.read_chunked()
        try:
            n = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True
            raise BadRequest("bad Content-Length") from None
        body = self.rfile.read(n) if n > 0 else b""
        if len(body) < n:
            self.close_connection = True
        return body

    def read_chunked(self):
        chunks = []
        while True:
            line = self.rfile.readline(65537)
            if not line:
                self.close_connection = True
                break
            try:
                size = int(line.split(b";")[0].strip(), 16)
            except ValueError:
                self.close_connection = True
                raise BadRequest("bad chunk size") from None
            if size == 0:
                break
            chunks.append(self.rfile.read(size))
            self.rfile.readline()
        while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
            pass  # trailers
        return b"".join(chunks)

    def parse(self, name, raw, kind):
        try:
            value = kind(raw)
        except ValueError:
            raise BadRequest(f"bad {name}: {raw!r}") from None
        if value < 0:
            raise BadRequest(f"negative {name}: {raw!r}")
        return value

    def num(self, name, default, kind=int):
        raw = self.params.get(name, "")
        return default if raw == "" else self.parse(name, raw, kind)

    def status_param(self, default):
        code = self.num("status", default)
        if not 200 <= code <= 599:
            raise BadRequest(f"status out of range: {code}")
        return code

    def pause(self):
        ms = self.num("delay", 0.0, float)
        jitter = self.num("jitter", 0.0, float)
        if jitter:
            ms += random.uniform(0, jitter)
        if ms > 0:
            time.sleep(ms / 1000)

    def send(self, status, body=b"", ctype="application/json", headers=()):
        self.send_response(status)
        names = set()
        for name, value in headers:
            value = str(value).replace("\r", " ").replace("\n", " ")
            self.send_header(name, value)
            names.add(name.lower())
        if status not in NO_BODY:
            if ctype and "content-type" not in names:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if body and self.command != "HEAD" and status not in NO_BODY:
            self.wfile.write(body)

    def send_json(self, status, obj, headers=()):
        self.send(status, dumps(obj), headers=headers)


# ---------------------------------------------------------------- server

class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024

    def server_bind(self):
        # Skip HTTPServer.server_bind's reverse DNS lookup (socket.getfqdn).
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class Server6(Server):
    address_family = socket.AF_INET6


class Stop(Exception):
    pass


def write_atomic(path, text):
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(description="gather test fixture HTTP server")
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
        server = (Server6 if ":" in args.host else Server)((args.host, args.port), Handler)
        port = server.server_address[1]
        print(port, flush=True)
        if args.port_file:
            write_atomic(args.port_file, f"{port}\n")
        server.serve_forever()
    except Stop:
        pass
    sys.stdout.flush()
    os._exit(0)  # don't wait for daemon worker threads


if __name__ == "__main__":
    main()
