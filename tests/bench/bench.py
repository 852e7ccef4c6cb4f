#!/usr/bin/env python3
"""Benchmark driver of gather: compares it with curl, xargs curl, aiohttp
and wrk against one local nginx, and prints Markdown tables.

run.sh starts nginx (nginx.sh) on 127.0.0.1:PORT over a docroot of SMALL
~200-byte documents (/s/<i>.json) and LARGE ~64 KiB ones (/l/<i>.json),
calls this script, and stops nginx afterwards.  Usage:

    bench.py --gather BIN --port PORT --work DIR
             [--small N] [--large M] [--runs R] [--quick]

The defaults come from the environment: BENCH_SMALL (20000), BENCH_LARGE
(5000), BENCH_RUNS (5), BENCH_QUICK (1 skips the 1,000,000-URL run).

Workloads, each in one interleaved session (for run in 1..R: A, B, C, ...):
  (a) the SMALL documents, 64 connections: gather, curl --parallel,
      xargs curl, Python aiohttp (aio.py) and wrk (rotate.lua) as the
      ceiling;
  (b) the LARGE documents: gather vs curl --parallel;
  (c) the SMALL documents served from gather's disk cache vs gather's own
      network run;
  (d) memory curve: gather --ndjson over 100,000 and 1,000,000 distinct
      URLs (/s/<i mod SMALL>.json?i=<i>) piped to its stdin;
  (e) instructions per request: callgrind over 2,000 small URLs;
  (f) the cache's store (cache.db): the fill of the SMALL documents into
      an empty cache and the all-hit run against --no-cache, the fill of
      the LARGE ones, the disk it takes, and 1,000,000 entries (20,000
      real ones and the rest made by SQL): cache stats, prune --max-size
      to half, and a hit run against the same hits from a small cache.

BENCH_ONLY=f (letters, e.g. "cf") runs only those workloads.

Measurements: every command runs under /usr/bin/time -f '%e %U %S %M',
which gives the CPU seconds (user + sys, children included) and the peak
RSS; the wall time is taken by this script around it, since %e has only a
10 ms resolution (too coarse for the cached runs).  Tables show medians.

Verification: nginx's stub_status "requests" counter is read before and
after every run but wrk's.  A read counts itself, so the counter must grow
by exactly the run's requests + 1 (the "after" read); a cached run must
make none.  A contender exiting non-zero is a crash.

Exit status: 0 the report was printed (missed targets included), 1 a
verification failed (FAIL is printed), 2 a contender crashed or the setup
is broken.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field

HERE = os.path.dirname(os.path.abspath(__file__))
TIME = "/usr/bin/time"
SYSTEM_PYTHON = "/usr/bin/python3"   # Debian's, where python3-aiohttp lives
CONNECTIONS = 64
CALLGRIND_URLS = 2000
MEMORY_CURVE = (100_000, 1_000_000)
PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy",
              "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


class Failure(Exception):
    """A verification failed: a contender did not fetch every URL."""


class Crash(Exception):
    """A contender exited non-zero, or a tool misbehaved."""


@dataclass
class Sample:
    """One timed run."""
    wall: float            # seconds, measured by this script
    cpu: float             # user + sys seconds, from /usr/bin/time
    rss_kb: int            # peak RSS in KiB, from /usr/bin/time
    rps: float = 0.0       # requests per second
    stdout: str = ""


@dataclass
class Contender:
    """A command to time, and what nginx must see it do."""
    name: str
    argv: list
    requests: int | None          # nginx requests it must make; None: unchecked
    stdin: str | None = None      # file fed to its stdin
    feeder: list | None = None    # or a command whose stdout is piped to it
    capture: bool = False         # keep its stdout (wrk)
    samples: list = field(default_factory=list)


# --------------------------------------------------------------------------
# Running and measuring


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def nginx_requests(port):
    """The "requests" counter of nginx's stub_status (this read included)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"http://127.0.0.1:{port}/status", timeout=10) as r:
        text = r.read().decode()
    m = re.search(r"^\s*(\d+)\s+(\d+)\s+(\d+)\s*$", text, re.M)
    if not m:
        raise Crash(f"unexpected stub_status page: {text!r}")
    return int(m.group(3))


def parse_time_file(path):
    """(cpu seconds, peak RSS KiB) from the last line of time's -o file
    (GNU time writes "Command exited with non-zero status" lines before)."""
    with open(path) as f:
        lines = [ln for ln in f.read().splitlines() if ln.strip()]
    fields = lines[-1].split() if lines else []
    if len(fields) != 4:
        raise Crash(f"unexpected /usr/bin/time output: {lines!r}")
    _, user, sys_, rss = fields
    return float(user) + float(sys_), int(rss)


def run_timed(c, scratch):
    """Runs contender c once under /usr/bin/time; returns a Sample."""
    tfile = os.path.join(scratch, "time.out")
    efile = os.path.join(scratch, "stderr.out")
    argv = [TIME, "-f", "%e %U %S %M", "-o", tfile] + c.argv
    feeder = None
    with open(efile, "w") as err:
        stdin = open(c.stdin) if c.stdin else subprocess.DEVNULL
        try:
            if c.feeder:
                feeder = subprocess.Popen(c.feeder, stdout=subprocess.PIPE)
                stdin = feeder.stdout
            out = subprocess.PIPE if c.capture else subprocess.DEVNULL
            t0 = time.perf_counter()
            proc = subprocess.Popen(argv, stdin=stdin, stdout=out, stderr=err,
                                    text=True)
            if feeder:
                feeder.stdout.close()   # so the feeder sees SIGPIPE if we die
            stdout, _ = proc.communicate()
            wall = time.perf_counter() - t0
        finally:
            if c.stdin:
                stdin.close()
            if feeder:
                feeder.wait()
    if proc.returncode != 0 or (feeder and feeder.returncode != 0):
        with open(efile) as f:
            tail = f.read()[-2000:]
        raise Crash(f"{c.name} exited with status {proc.returncode}"
                    f"{' (feeder ' + str(feeder.returncode) + ')' if feeder else ''}"
                    f": {' '.join(c.argv)}\n{tail}")
    cpu, rss = parse_time_file(tfile)
    return Sample(wall=wall, cpu=cpu, rss_kb=rss, stdout=stdout or "")


def run_verified(c, port, scratch):
    """Runs c once; checks nginx served exactly c.requests requests."""
    before = nginx_requests(port)
    s = run_timed(c, scratch)
    after = nginx_requests(port)
    if c.requests is not None:
        served = after - before - 1     # the "after" read counts itself
        if served != c.requests:
            raise Failure(f"{c.name}: nginx served {served} requests, "
                          f"expected exactly {c.requests}")
    return s


def session(contenders, runs, port, scratch, n, title):
    """Interleaved session: for each run, every contender in turn."""
    log(f"== {title}")
    for r in range(1, runs + 1):
        for c in contenders:
            s = run_verified(c, port, scratch)
            if c.name.startswith("wrk"):
                s.rps, total = parse_wrk(s.stdout)
                s.cpu = s.cpu * n / total     # CPU scaled to n requests
            else:
                s.rps = n / s.wall
            c.samples.append(s)
            log(f"   run {r}/{runs}  {c.name:<30} {s.rps:>9,.0f} req/s  "
                f"cpu {s.cpu:6.2f} s  rss {s.rss_kb / 1024:6.1f} MiB")


def parse_wrk(out):
    """(Requests/sec, total requests) from wrk's report; Crash on errors."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    if not rps or not total:
        raise Crash(f"unexpected wrk output:\n{out}")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if bad:
        raise Failure(f"wrk got {bad.group(1)} non-2xx responses")
    return float(rps.group(1)), int(total.group(1))


# --------------------------------------------------------------------------
# Summaries and tables


@dataclass
class Summary:
    name: str
    rps: float
    cpu: float
    rss_mib: float
    wall: float


def summarize(c):
    med = statistics.median
    return Summary(c.name, med(s.rps for s in c.samples),
                   med(s.cpu for s in c.samples),
                   med(s.rss_kb for s in c.samples) / 1024,
                   med(s.wall for s in c.samples))


def ratio(a, b):
    return a / b if b else float("inf")


def print_table(title, summaries, base_label):
    """Markdown table; the last column is the first row's req/s ÷ each."""
    base = summaries[0]
    print(f"\n### {title}\n")
    print(f"| contender | requests/s | CPU s | peak RSS MiB | {base_label} ÷ it |")
    print("|---|---:|---:|---:|---:|")
    for s in summaries:
        print(f"| {s.name} | {s.rps:,.0f} | {s.cpu:.2f} | {s.rss_mib:.1f} "
              f"| {ratio(base.rps, s.rps):.2f}× |")


# --------------------------------------------------------------------------
# Workloads


class Bench:
    def __init__(self, args):
        self.gather = os.path.abspath(args.gather)
        self.port = args.port
        self.base = f"http://127.0.0.1:{args.port}"
        self.work = args.work
        self.small, self.large = args.small, args.large
        self.runs, self.quick = args.runs, args.quick
        self.scratch = tempfile.mkdtemp(prefix="bench.", dir=args.work)
        self.results = {}       # what the targets are judged on
        self.notes = []

    # -- inputs

    def write_urls(self, name, paths):
        path = os.path.join(self.scratch, name)
        with open(path, "w") as f:
            f.writelines(f"{self.base}{p}\n" for p in paths)
        return path

    def write_curl_config(self, name, paths):
        path = os.path.join(self.scratch, name)
        with open(path, "w") as f:
            f.writelines(f'url = "{self.base}{p}"\n' for p in paths)
        return path

    def small_paths(self, n=None):
        return [f"/s/{i}.json" for i in range(n or self.small)]

    def large_paths(self):
        return [f"/l/{i}.json" for i in range(self.large)]

    # -- contenders

    def gather_cmd(self, urls, *extra):
        return Contender("gather", [self.gather, "-q", "-j", str(CONNECTIONS),
                                    "--compact", *extra, "-i", urls], None)

    def curl_parallel(self, cfg, n):
        return Contender("curl --parallel",
                         ["curl", "-s", "--parallel", "--parallel-max",
                          str(CONNECTIONS), "-K", cfg], n)

    def warm_up(self, c, n):
        """One untimed, verified run (warms the page cache and nginx)."""
        c.requests = n
        run_verified(c, self.port, self.scratch)

    def aiohttp_available(self):
        if not os.access(SYSTEM_PYTHON, os.X_OK):
            return False
        return subprocess.run([SYSTEM_PYTHON, "-c", "import aiohttp"],
                              stderr=subprocess.DEVNULL).returncode == 0

    def workload_small(self):
        n = self.small
        urls = self.write_urls("small.txt", self.small_paths())
        cfg = self.write_curl_config("small.cfg", self.small_paths())
        gather = self.gather_cmd(urls)
        gather.requests = n
        cs = [gather, self.curl_parallel(cfg, n),
              Contender("xargs -P 8 -n 100 curl",
                        ["xargs", "-P", "8", "-n", "100", "curl", "-s"], n,
                        stdin=urls)]
        if self.aiohttp_available():
            cs.append(Contender("Python aiohttp",
                                [SYSTEM_PYTHON, os.path.join(HERE, "aio.py"),
                                 urls, str(CONNECTIONS)], n))
        else:
            self.notes.append(f"aiohttp skipped: `{SYSTEM_PYTHON} -c 'import "
                              "aiohttp'` failed (apt-get install python3-aiohttp)")
        if shutil.which("wrk"):
            cs.append(Contender("wrk (ceiling, no bodies kept)",
                                ["wrk", "-t2", f"-c{CONNECTIONS}", "-d3s", "-s",
                                 os.path.join(HERE, "rotate.lua"),
                                 self.base + "/", "--", str(n)],
                                None, capture=True))
        else:
            self.notes.append("wrk skipped: not installed")
        self.warm_up(self.gather_cmd(urls), n)
        session(cs, self.runs, self.port, self.scratch, n,
                f"(a) {n:,} small documents")
        sums = [summarize(c) for c in cs]
        print_table(f"(a) {n:,} small documents (~200 B), {CONNECTIONS} "
                    f"connections, median of {self.runs} runs", sums, "gather")
        by = {s.name: s for s in sums}
        wrk = next((s for s in sums if s.name.startswith("wrk")), None)
        if wrk:
            print(f"\ngather / wrk ceiling: {ratio(by['gather'].rps, wrk.rps):.2f}×"
                  " (wrk's CPU is scaled to the same number of requests)")
        self.results["small"] = by
        self.results["wrk"] = wrk

    def workload_large(self):
        n = self.large
        if n <= 0:
            self.notes.append("(b) skipped: BENCH_LARGE=0")
            return
        urls = self.write_urls("large.txt", self.large_paths())
        cfg = self.write_curl_config("large.cfg", self.large_paths())
        gather = self.gather_cmd(urls)
        gather.requests = n
        cs = [gather, self.curl_parallel(cfg, n)]
        self.warm_up(self.gather_cmd(urls), n)
        session(cs, self.runs, self.port, self.scratch, n,
                f"(b) {n:,} large documents")
        sums = [summarize(c) for c in cs]
        print_table(f"(b) {n:,} large documents (~64 KiB), {CONNECTIONS} "
                    f"connections, median of {self.runs} runs", sums, "gather")
        self.results["large"] = {s.name: s for s in sums}

    def workload_cache(self):
        n = self.small
        urls = self.write_urls("small.txt", self.small_paths())
        cache_dir = tempfile.mkdtemp(prefix="cache.", dir=self.scratch)
        cached = self.gather_cmd(urls, "--ttl", "1h", "--cache-dir", cache_dir)
        self.warm_up(cached, n)           # fills the cache, untimed
        cached.name, cached.requests = "gather, from its cache", 0
        network = self.gather_cmd(urls)
        network.name, network.requests = "gather, network", n
        session([cached, network], self.runs, self.port, self.scratch, n,
                f"(c) {n:,} small documents, cached vs network")
        sums = [summarize(cached), summarize(network)]
        print_table(f"(c) {n:,} small documents from gather's cache (--ttl 1h)"
                    f" vs the network, median of {self.runs} runs",
                    sums, "cached")
        self.results["cache"] = ratio(sums[0].rps, sums[1].rps)

    def workload_memory(self):
        counts = [k for k in MEMORY_CURVE
                  if not (self.quick and k > MEMORY_CURVE[0])]
        rows = []
        for k in counts:
            feeder = ["awk", "-v", f"n={k}", "-v", f"mod={self.small}",
                      "-v", f"base={self.base}",
                      'BEGIN { for (i = 0; i < n; i++) '
                      'printf "%s/s/%d.json?i=%d\\n", base, i % mod, i }']
            c = Contender(f"gather --ndjson, {k:,} URLs",
                          [self.gather, "--ndjson", "-q", "-j",
                           str(CONNECTIONS), "-i", "-"], k, feeder=feeder)
            log(f"== (d) memory curve: {k:,} URLs through a pipe")
            s = run_verified(c, self.port, self.scratch)
            s.rps = k / s.wall
            log(f"   {k:,} URLs  {s.rps:,.0f} req/s  rss "
                f"{s.rss_kb / 1024:.1f} MiB")
            rows.append((k, s))
        print(f"\n### (d) memory curve: gather --ndjson -q -j {CONNECTIONS}, "
              "distinct URLs piped to stdin, one run each\n")
        print("| URLs | wall s | requests/s | CPU s | peak RSS MiB |")
        print("|---:|---:|---:|---:|---:|")
        for k, s in rows:
            print(f"| {k:,} | {s.wall:.1f} | {s.rps:,.0f} | {s.cpu:.2f} "
                  f"| {s.rss_kb / 1024:.1f} |")
        if len(rows) == 2:
            r = rows[1][1].rss_kb / rows[0][1].rss_kb
            print(f"\npeak RSS {rows[1][0]:,} / {rows[0][0]:,}: {r:.2f}×")
            self.results["memory"] = r
        else:
            print(f"\n{MEMORY_CURVE[1]:,}-URL run skipped (BENCH_QUICK=1)")

    def callgrind(self, n, urls, out):
        """Total instructions (Ir) of gather over n URLs, and the annotation."""
        c = Contender(f"callgrind, {n} URLs",
                      ["valgrind", "-q", "--tool=callgrind",
                       f"--callgrind-out-file={out}", self.gather, "-q",
                       "-j", str(CONNECTIONS), "--compact", "-i", urls], n)
        run_verified(c, self.port, self.scratch)
        text = subprocess.run(["callgrind_annotate", out], check=True,
                              capture_output=True, text=True).stdout
        rows = parse_annotate(text)
        totals = [ir for ir, _, name in rows if name == "PROGRAM TOTALS"]
        if not totals:
            raise Crash(f"no PROGRAM TOTALS in callgrind_annotate output:\n"
                        f"{text[:2000]}")
        return totals[0], [r for r in rows if r[2] != "PROGRAM TOTALS"]

    def workload_instructions(self):
        if not shutil.which("valgrind") or not shutil.which("callgrind_annotate"):
            self.notes.append("(e) skipped: valgrind is not installed")
            return
        n = min(CALLGRIND_URLS, self.small)
        log(f"== (e) callgrind over {n:,} small URLs, and over 1 for startup")
        urls = self.write_urls("callgrind.txt", self.small_paths(n))
        one = self.write_urls("callgrind1.txt", self.small_paths(1))
        total, funcs = self.callgrind(n, urls, os.path.join(self.scratch, "cg.out"))
        startup, _ = self.callgrind(1, one, os.path.join(self.scratch, "cg1.out"))
        print(f"\n### (e) instructions per request: callgrind, {n:,} small "
              f"URLs, -j {CONNECTIONS}\n")
        print(f"- total: {total:,} Ir; per request: {total / n:,.0f} Ir")
        print(f"- startup and exit (a 1-URL run): {startup:,} Ir; marginal per "
              f"request: {(total - startup) / max(n - 1, 1):,.0f} Ir\n")
        print("| Ir | share | function | file | object |")
        print("|---:|---:|---|---|---|")
        for ir, pct, name in funcs[:5]:
            func, src, obj = split_symbol(name)
            print(f"| {ir:,} | {pct:.1f}% | `{func}` | {src} | {obj} |")

    # -- the store (issue 12)

    def timed(self, name, argv, requests):
        """One verified, timed run of argv."""
        c = Contender(name, argv, requests)
        s = run_verified(c, self.port, self.scratch)
        log(f"   {name:<40} {s.wall:7.3f} s  cpu {s.cpu:6.2f} s")
        return s

    def store_fills(self, urls, n, cdir, label):
        """Interleaved: --no-cache, a fill of an empty cache, all hits."""
        walls = {"no-cache": [], "fill": [], "hits": []}
        base = [self.gather, "-q", "-j", str(CONNECTIONS), "--compact"]
        for r in range(self.runs):
            shutil.rmtree(cdir, ignore_errors=True)
            walls["no-cache"].append(self.timed(
                f"{label} --no-cache", base + ["--no-cache", "-i", urls],
                n).wall)
            walls["fill"].append(self.timed(
                f"{label} fill", base + ["--ttl", "1h", "--cache-dir", cdir,
                                         "-i", urls], n).wall)
            walls["hits"].append(self.timed(
                f"{label} hits", base + ["--ttl", "1h", "--cache-dir", cdir,
                                         "-i", urls], 0).wall)
        return {k: statistics.median(v) for k, v in walls.items()}

    def cache_stats(self, cdir):
        out = subprocess.run([self.gather, "cache", "stats", "--cache-dir",
                              cdir], check=True, capture_output=True,
                             text=True).stdout
        return json.loads(out)

    def header_bytes(self, path):
        """Bytes of the response head nginx sends for path."""
        out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-D", "-",
                              self.base + path], check=True,
                             capture_output=True).stdout
        return len(out)

    def store_disk(self, cdir, n):
        """file_bytes against the bodies, URLs and headers stored."""
        st = self.cache_stats(cdir)
        root = os.path.join(self.work, "root", "s")
        bodies = sum(os.path.getsize(os.path.join(root, f"{i}.json"))
                     for i in range(n))
        urls = sum(len(f"{self.base}{p}") for p in self.small_paths(n))
        heads = sum(self.header_bytes(f"/s/{i}.json") for i in range(0, n,
                                                                      n // 20 or 1))
        heads = heads * n // len(range(0, n, n // 20 or 1))
        con = sqlite3.connect(os.path.join(cdir, "cache.db"))
        kept = con.execute(
            "SELECT total(ifnull(length(content_type), 0) + "
            "ifnull(length(etag), 0) + ifnull(length(last_modified), 0) + "
            "ifnull(length(cache_control), 0) + ifnull(length(vary), 0)) "
            "FROM entries").fetchone()[0]
        con.close()
        return st["file_bytes"], bodies, urls, heads, int(kept)

    def store_million(self, small_dir, n):
        """1,000,000 entries: n real ones from small_dir, the rest by SQL."""
        total = 1_000_000
        big = os.path.join(self.scratch, "store-1m")
        shutil.rmtree(big, ignore_errors=True)
        os.makedirs(big, mode=0o700)
        shutil.copy(os.path.join(small_dir, "cache.db"),
                    os.path.join(big, "cache.db"))
        os.chmod(os.path.join(big, "cache.db"), 0o600)
        log(f"== (f) generating {total - n:,} more entries by SQL")
        t0 = time.perf_counter()
        con = sqlite3.connect(os.path.join(big, "cache.db"))
        old = int(time.time() * 1000) - 10 * 86400 * 1000
        con.execute(
            "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c "
            "WHERE i < ?) INSERT INTO entries(key, method, url, url_hash, "
            "status, stored_at, expires_at, content_type, etag, "
            "last_modified, cache_control, vary, body, size, sum) SELECT "
            "randomblob(32), 'GET', 'http://127.0.0.1:1/g/' || i, random(), "
            "200, ? + i, ? + i + 3600000, 'application/json', NULL, NULL, "
            "NULL, NULL, randomblob(200), 64 + 200 + 30 + 3 + 16, 0 FROM c",
            (total - n, old, old))
        con.commit()
        con.close()
        gen = time.perf_counter() - t0
        log(f"   generated in {gen:.1f} s")
        stats = [self.timed("cache stats, 1M", [self.gather, "cache", "stats",
                                                "--cache-dir", big], 0).wall
                 for _ in range(self.runs)]
        urls = self.write_urls("small.txt", self.small_paths(n))
        base = [self.gather, "-q", "-j", str(CONNECTIONS), "--compact",
                "--ttl", "1h", "-i", urls, "--cache-dir"]
        hits_big, hits_small = [], []
        for _ in range(self.runs):
            hits_big.append(self.timed("hits from 1M", base + [big], 0).wall)
            hits_small.append(self.timed(f"hits from {n:,}", base + [small_dir],
                                         0).wall)
        st = self.cache_stats(big)
        size_before = st["file_bytes"]
        prune = self.timed("prune --max-size half, 1M",
                           [self.gather, "cache", "prune", "--max-size",
                            str(st["bytes"] // 2), "--cache-dir", big], 0).wall
        after = self.cache_stats(big)
        shutil.rmtree(big, ignore_errors=True)
        med = statistics.median
        return {"entries": st["entries"], "stats": med(stats),
                "prune": prune, "hits_big": med(hits_big),
                "hits_small": med(hits_small), "file_before": size_before,
                "file_after": after["file_bytes"],
                "entries_after": after["entries"], "generate": gen}

    def workload_store(self):
        n, m = self.small, self.large
        urls = self.write_urls("small.txt", self.small_paths())
        cdir = os.path.join(self.scratch, "store-small")
        self.warm_up(self.gather_cmd(urls), n)
        log(f"== (f) the store: {n:,} small documents")
        small = self.store_fills(urls, n, cdir, "small")
        res = {"small": small}
        if m > 0:
            large_urls = self.write_urls("large.txt", self.large_paths())
            ldir = os.path.join(self.scratch, "store-large")
            self.warm_up(self.gather_cmd(large_urls), m)
            log(f"== (f) the store: {m:,} large documents")
            res["large"] = self.store_fills(large_urls, m, ldir, "large")
            shutil.rmtree(ldir, ignore_errors=True)
        res["disk"] = self.store_disk(cdir, n)
        if not self.quick:
            res["million"] = self.store_million(cdir, n)
        self.results["store"] = res
        print(f"\n### (f) the cache's store: medians of {self.runs} "
              "interleaved runs, whole-process wall time\n")
        print("| run | wall s | ÷ the --no-cache run |")
        print("|---|---:|---:|")
        for label, r in (("small", small), ("large", res.get("large"))):
            if r is None:
                continue
            for k in ("no-cache", "fill", "hits"):
                print(f"| {label}: {k} | {r[k]:.3f} | "
                      f"{ratio(r[k], r['no-cache']):.2f} |")
        fb, bodies, urlb, heads, kept = res["disk"]
        print(f"\ndisk, {n:,} small entries: cache.db {fb:,} B; bodies "
              f"{bodies:,} B, URLs {urlb:,} B, response heads {heads:,} B "
              f"(the header values kept: {kept:,} B)")
        mil = res.get("million")
        if mil:
            print(f"\n1,000,000 entries ({mil['generate']:.0f} s to make by "
                  f"SQL): cache.db {mil['file_before']:,} B; cache stats "
                  f"{mil['stats']:.3f} s; prune --max-size to half "
                  f"{mil['prune']:.1f} s, leaving {mil['entries_after']:,} "
                  f"entries in {mil['file_after']:,} B; {n:,} hits from it "
                  f"{mil['hits_big']:.3f} s, from a {n:,}-entry cache "
                  f"{mil['hits_small']:.3f} s")

    def store_targets(self, rows):
        res = self.results.get("store")
        if not res:
            return
        sm = res["small"]
        r = ratio(sm["fill"], sm["no-cache"])
        rows.append(("store: the fill ≤ 1.2× --no-cache", f"{r:.2f}×", r <= 1.2))
        r = ratio(sm["no-cache"], sm["hits"])
        rows.append(("store: all hits ≥ 5× faster than --no-cache",
                     f"{r:.2f}×", r >= 5))
        if "large" in res:
            lg = res["large"]
            r = ratio(lg["fill"], lg["no-cache"])
            rows.append(("store: 64 KiB fill ≤ 1.5× --no-cache", f"{r:.2f}×",
                         r <= 1.5))
        fb, bodies, urlb, heads, kept = res["disk"]
        r = ratio(fb, bodies + urlb + heads)
        r2 = ratio(fb, bodies + urlb + kept)
        rows.append(("store: disk ≤ 1.5× bodies + URLs + headers",
                     f"{r:.2f}× ({r2:.2f}× of the kept header values)",
                     r <= 1.5))
        mil = res.get("million")
        if mil:
            rows.append(("store: 1M cache stats < 1 s", f"{mil['stats']:.3f} s",
                         mil["stats"] < 1))
            rows.append(("store: 1M prune --max-size to half < 30 s",
                         f"{mil['prune']:.1f} s", mil["prune"] < 30))
            r = ratio(mil["hits_big"], mil["hits_small"])
            rows.append(("store: 1M hit run as fast as from a small cache "
                         "(≤ 1.1×)", f"{r:.2f}×", r <= 1.1))
        else:
            rows.append(("store: 1,000,000 entries", "skipped (BENCH_QUICK=1)",
                         None))

    # -- targets

    def print_targets(self):
        rows = []
        small = self.results.get("small", {})
        g = small.get("gather")
        if g and "curl --parallel" in small:
            r = ratio(g.rps, small["curl --parallel"].rps)
            rows.append(("small: gather ≥ 2.0× curl --parallel", f"{r:.2f}×", r >= 2.0))
        if g and self.results.get("wrk"):
            r = ratio(g.rps, self.results["wrk"].rps)
            rows.append(("small: gather ≥ 0.5× wrk", f"{r:.2f}×", r >= 0.5))
        large = self.results.get("large")
        if large:
            r = ratio(large["gather"].rps, large["curl --parallel"].rps)
            rows.append(("large: gather ≥ curl --parallel", f"{r:.2f}×", r >= 1.0))
        if "cache" in self.results:
            r = self.results["cache"]
            rows.append(("cached ≥ 10× gather's network run", f"{r:.1f}×", r >= 10))
        if g:
            rows.append((f"peak RSS ≤ 16 MiB for {self.small:,} URLs",
                         f"{g.rss_mib:.1f} MiB", g.rss_mib <= 16))
        if "memory" in self.results:
            r = self.results["memory"]
            rows.append(("1M ndjson peak RSS within 20% of 100k",
                         f"{r:.2f}×", r <= 1.2))
        else:
            rows.append(("1M ndjson peak RSS within 20% of 100k",
                         "skipped (BENCH_QUICK=1)" if self.quick else
                         "not run (BENCH_ONLY)", None))
        self.store_targets(rows)
        print("\n### Targets\n")
        print("| target | measured | met |")
        print("|---|---:|---|")
        for what, measured, ok in rows:
            verdict = "—" if ok is None else ("yes" if ok else "**no**")
            print(f"| {what} | {measured} | {verdict} |")
        for note in self.notes:
            print(f"\nNote: {note}")

    def run(self):
        print(f"## gather benchmark\n\n{machine_line(self)}")
        only = os.environ.get("BENCH_ONLY", "abcdef")
        for letter, workload in (("a", self.workload_small),
                                 ("b", self.workload_large),
                                 ("c", self.workload_cache),
                                 ("d", self.workload_memory),
                                 ("e", self.workload_instructions),
                                 ("f", self.workload_store)):
            if letter in only:
                workload()
        self.print_targets()


# --------------------------------------------------------------------------
# Helpers


def parse_annotate(text):
    """[(Ir, percent, name)] from callgrind_annotate's output."""
    rows = []
    for line in text.splitlines():
        m = re.match(r"^\s*([\d,]+)\s+\(\s*([\d.]+)%\)\s+(\S.*)$", line)
        if m:
            rows.append((int(m.group(1).replace(",", "")),
                         float(m.group(2)), m.group(3).strip()))
    return rows


def split_symbol(name):
    """'/a/b/file.c:func [/lib/x.so]' -> ('func', 'file.c', 'x.so')."""
    obj = ""
    m = re.match(r"^(.*?)\s+\[(.*)\]$", name)
    if m:
        name, obj = m.group(1), os.path.basename(m.group(2))
    src, _, func = name.rpartition(":") if ":" in name else ("", "", name)
    # a C++ or versioned name may hold ':'; the file part never holds a space
    if " " in src:
        src, func = "", name
    return func, os.path.basename(src), obj


def first_line(argv):
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        return ((p.stdout or p.stderr).strip().splitlines() or ["?"])[0]
    except OSError:
        return "?"


def machine_line(b):
    load = os.getloadavg()[0]
    with open(b.gather, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:12]
    return (f"- {first_line([b.gather, '--version']).split(' (')[0]} (binary sha256 {digest}); "
            f"{first_line(['curl', '--version']).split(' (')[0]}; "
            f"{first_line(['nginx', '-v'])}; {os.cpu_count()} CPUs; "
            f"load average {load:.2f} at start\n"
            f"- {b.small:,} small and {b.large:,} large documents on "
            f"127.0.0.1:{b.port}, {b.runs} interleaved runs per workload; "
            "wall time by the driver, CPU and peak RSS by /usr/bin/time")


def print_error_log(work, lines=10):
    """The end of nginx's error log, which run.sh deletes on exit."""
    try:
        with open(os.path.join(work, "error.log")) as f:
            tail = f.read().splitlines()[-lines:]
    except OSError:
        return
    if tail:
        print("\nnginx error.log (last lines):\n" + "\n".join(tail))


def env_int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--gather", required=True)
    p.add_argument("--port", required=True, type=int)
    p.add_argument("--work", required=True)
    p.add_argument("--small", type=int, default=env_int("BENCH_SMALL", 20000))
    p.add_argument("--large", type=int, default=env_int("BENCH_LARGE", 5000))
    p.add_argument("--runs", type=int, default=env_int("BENCH_RUNS", 5))
    p.add_argument("--quick", action="store_true",
                   default=os.environ.get("BENCH_QUICK") == "1")
    args = p.parse_args()
    if args.small < 1 or args.runs < 1:
        p.error("--small and --runs must be at least 1")
    return args


def main():
    args = parse_args()
    for var in PROXY_VARS:            # every client talks to 127.0.0.1 directly
        os.environ.pop(var, None)
    bench = Bench(args)
    try:
        bench.run()
    except Failure as e:
        print(f"\nFAIL: {e}", flush=True)
        print_error_log(args.work)
        return 1
    except (Crash, OSError, subprocess.CalledProcessError) as e:
        print(f"\nCRASH: {e}", flush=True)
        print_error_log(args.work)
        return 2
    finally:
        shutil.rmtree(bench.scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
