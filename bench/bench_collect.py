"""Benchmark the collection endpoint (`POST /api/event`) of a real `footfall serve`.

Usage::

    python bench/bench_collect.py [--seconds 20] [--rate 5000] [--connections 32] [--out bench/out]

Target: >= 5,000 accepted events/s sustained on 2 cores with p99 <= 50 ms, and 0 events lost
or duplicated after a kill -9 under that load.  Every request goes to 127.0.0.1 only, and
every load is bounded in count and in time.  See bench/README.md for what each figure means.
Needs wrk (Debian package `wrk`) for the max-throughput rows; without it they run on the
built-in Python generator instead.  Besides footfall: psutil, rich and duckdb (to read the
stored event ids back once the server has stopped).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import http.client
import json
import math
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
console = Console()
if not console.is_terminal:  # piped / CI logs: do not squeeze the tables into 80 columns
    console = Console(width=150)

HOST = "127.0.0.1"  # the only address this benchmark ever sends to
TARGET_RATE = 5_000.0  # accepted events/s, sustained
TARGET_P99_MS = 50.0
SITE, SITE_HOST = "bench", "shop.example"  # sustained load
CRASH_SITE, CRASH_HOST = "crash", "crash.example"  # kill -9 test, counted on its own
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)
# Visitors come and go as on a real site: ACTIVE at a time, each sending PER_VISITOR events
# spread over its cohort's time, then the next cohort (X-Forwarded-For from the IPv6
# documentation prefix 2001:db8::/32, a header value only).
ACTIVE, PER_VISITOR = 2_000, 10
REQUEST_TIMEOUT = 10.0  # seconds a request may take before the generator gives up on it
READY_TIMEOUT = 120.0  # seconds for the server to answer /healthz (a restart imports first)
RESEND_ROUNDS = 5


# ------------------------------------------------------------------------- payloads


def event_body(event_id: str, n: int, host: str) -> bytes:
    """One tracker event, as the tracker sends it (custom event "Order", a unique id)."""
    return (
        f'{{"n":"Order","u":"https://{host}/checkout/{n % 97}?step={n % 3}",'
        f'"d":"{host}","r":"https://www.example.org/","i":"{event_id}"}}'
    ).encode()


def visitor(n: int) -> str:
    v = n % ACTIVE + ACTIVE * (n // (ACTIVE * PER_VISITOR))
    return f"2001:db8::{v >> 16:x}:{v & 0xFFFF:x}"


def http_request(method: str, path: str, port: int, body: bytes = b"", n: int = 0) -> bytes:
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nUser-Agent: {USER_AGENT}\r\n"
        f"X-Forwarded-For: {visitor(n)}\r\n"
    )
    if method == "POST":
        head += f"Content-Type: text/plain\r\nContent-Length: {len(body)}\r\n"
    return (head + "\r\n").encode() + body


# Run by wrk in each of its threads.  One connection per thread, so requests and responses
# alternate and a thread that stops (wrk.thread:stop() in response()) has nothing in flight:
# every request sent is answered, or counted as unanswered.  Times come from CLOCK_MONOTONIC,
# the clock of Python's time.monotonic().
WRK_LUA = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } footfall_timespec;
int clock_gettime(int clk_id, footfall_timespec *tp);
]]
local ts = ffi.new("footfall_timespec")
local function now()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9
end

local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  -- wrk calls request() once in its first thread to check the script; that one is not sent
  thread:set("checking", #threads == 0)
  table.insert(threads, thread)
end

function init(args)
  mode, deadline, cap, prefix, host, ua = args[1], tonumber(args[2]), tonumber(args[3]),
    args[4], args[5], args[6]
  active, per_visitor = tonumber(args[7]), tonumber(args[8])
  expect = (mode == "health") and 200 or 202
  sent, ok, other, first, last = 0, 0, 0, 0, 0
  statuses = {}
end

function request()
  if checking then
    checking = false
    return wrk.format("GET", "/healthz")
  end
  sent = sent + 1
  if first == 0 then first = now() end
  local n = tid * 1000003 + sent
  local v = n % active + active * math.floor(n / (active * per_visitor))
  local xff = string.format("2001:db8::%x:%x", math.floor(v / 65536), v % 65536)
  local headers = {["User-Agent"] = ua, ["X-Forwarded-For"] = xff}
  if mode == "health" then
    return wrk.format("GET", "/healthz", headers)
  end
  headers["Content-Type"] = "text/plain"
  local body = string.format(
    '{"n":"Order","u":"https://%s/checkout/%d?step=%d","d":"%s","r":"https://www.example.org/","i":"%s%03d%010d"}',
    host, sent % 97, sent % 3, host, prefix, tid, sent)
  return wrk.format("POST", "/api/event", headers, body)
end

function response(status, headers, body)
  last = now()
  if status == expect then
    ok = ok + 1
  else
    other = other + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
  if last >= deadline or sent >= cap then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local rows = {}
  for _, t in ipairs(threads) do
    local codes = {}
    for code, count in pairs(t:get("statuses") or {}) do
      table.insert(codes, string.format('"%d":%d', code, count))
    end
    table.insert(rows, string.format(
      '{"sent":%d,"ok":%d,"other":%d,"first":%.6f,"last":%.6f,"statuses":{%s}}',
      t:get("sent"), t:get("ok"), t:get("other"), t:get("first"), t:get("last"),
      table.concat(codes, ",")))
  end
  local e = summary.errors
  io.write(string.format(
    'FOOTFALL-WRK {"threads":[%s],"requests":%d,"errors":{"connect":%d,"read":%d,"write":%d,' ..
    '"status":%d,"timeout":%d},"latency_us":{"p50":%d,"p95":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    table.concat(rows, ","), summary.requests, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    latency.mean))
end
"""


# ---------------------------------------------------------------------------- results


def percentile(values: Sequence[float], p: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def _round(value: Any, digits: int = 1) -> Any:
    return round(value, digits) if isinstance(value, float) else value


@dataclass
class Load:
    """One load run: what was sent, what came back, how fast, what it cost."""

    name: str
    generator: str
    path: str
    status: str = "ok"  # ok | not installed | failed
    note: str = ""
    offered_rate: float | None = None  # open loop: requests/s scheduled; None: as fast as it can
    window_s: float | None = None  # first request sent -> last answer
    sent: int = 0
    ok: int = 0  # the expected status: 202 for events, 200 for /healthz
    statuses: Counter[str] = field(default_factory=Counter)  # other HTTP statuses
    transport_errors: int = 0  # refused, reset, timed out (no HTTP answer)
    unanswered: int = 0  # sent, no answer when the generator stopped
    not_sent: int = 0  # open loop: scheduled but never sent (the server fell behind)
    latency_ms: dict[str, float | None] = field(default_factory=dict)
    service_ms: dict[str, float | None] = field(default_factory=dict)  # open loop: from send
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds: server, generator, other

    @property
    def rate(self) -> float | None:
        if self.status != "ok" or not self.window_s:
            return None
        return self.ok / self.window_s

    def as_json(self) -> dict[str, Any]:
        out = {k: _round(v, 3) for k, v in self.__dict__.items()}
        out["statuses"] = dict(self.statuses)
        out["ok_per_s"] = _round(self.rate)
        out["latency_ms"] = {k: _round(v, 2) for k, v in self.latency_ms.items()}
        out["service_ms"] = {k: _round(v, 2) for k, v in self.service_ms.items()}
        out["cpu"] = {k: _round(v, 2) for k, v in self.cpu.items()}
        if self.rate and self.cpu.get("server"):
            out["server_cpu_ms_per_request"] = round(1000 * self.cpu["server"] / self.ok, 3)
        return out


def summarize(values_s: list[float]) -> dict[str, float | None]:
    ms = [v * 1000 for v in values_s]
    return {
        "p50": percentile(ms, 50),
        "p95": percentile(ms, 95),
        "p99": percentile(ms, 99),
        "max": max(ms) if ms else None,
    }


class CpuMeter:
    """CPU seconds used by the server, the load generator and everything else, over a phase."""

    def __init__(self, server_pid: int) -> None:
        self.server = psutil.Process(server_pid)
        self.s0 = self._server()
        self.g0 = time.process_time()
        self.m0 = psutil.cpu_times()
        self.w0 = time.monotonic()

    def _server(self) -> float:
        try:
            t = self.server.cpu_times()
        except psutil.Error:
            return 0.0
        return t.user + t.system

    def stop(self, child_cpu: float | None = None) -> dict[str, float]:
        m1 = psutil.cpu_times()
        # user includes guest time; idle, iowait and steal are not this machine working
        fields = [f for f in ("user", "nice", "system", "irq", "softirq") if hasattr(m1, f)]
        busy = sum(getattr(m1, f) - getattr(self.m0, f) for f in fields)
        server = self._server() - self.s0
        generator = time.process_time() - self.g0 if child_cpu is None else child_cpu
        return {"server": server, "generator": generator,
                "other": max(0.0, busy - server - generator),
                "wall": time.monotonic() - self.w0}  # fmt: skip


# ------------------------------------------------------------------------------ server


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def cpu_sets(cores: int) -> tuple[set[int] | None, set[int] | None, str]:
    """(server CPUs, load generator CPUs, description): split only if there are enough."""
    if not cores or not hasattr(os, "sched_getaffinity"):
        return None, None, "not pinned"
    available = sorted(os.sched_getaffinity(0))
    if len(available) <= cores:
        return None, None, f"{len(available)} CPUs, shared by the server and the load generator"
    server, rest = set(available[:cores]), set(available[cores:])
    return server, rest, f"server on CPUs {sorted(server)}, load generator on {sorted(rest)}"


def _pinned(cpus: set[int] | None) -> Callable[[], None] | None:
    if cpus is None:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


# The floor under /healthz: a bare ASGI app (no framework, no middleware) answering 200 "ok",
# under the same uvicorn and the same uvicorn settings as `footfall serve`.
BARE_ASGI = """
import sys
import uvicorn

async def app(scope, receive, send):
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            kind = message["type"].rsplit(".", 1)[-1]
            await send({"type": f"lifespan.{kind}.complete"})
            if kind == "shutdown":
                return
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"15")]})
    await send({"type": "http.response.body", "body": b'{"status":"ok"}'})

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
            proxy_headers=True, server_header=False)
"""


class Server:
    """A server as a child process: `footfall serve --db DB --port PORT`, rate limit off."""

    def __init__(self, cmd: list[str], port: int, log: Path, cpus: set[int] | None):
        self.cmd = cmd
        self.port = port
        self.log = log
        self.cpus = cpus
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> float:
        """Start and wait until /healthz answers; returns the seconds that took."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTFALL_")}
        env["FOOTFALL_COLLECT_RATE"] = "0"  # one client address sends everything
        started = time.monotonic()
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(self.cmd, env=env, stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=log, preexec_fn=_pinned(self.cpus))  # fmt: skip
        while time.monotonic() - started < READY_TIMEOUT:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"footfall serve exited with {self.proc.returncode}; see {self.log}"
                )
            with contextlib.suppress(OSError, http.client.HTTPException):
                if api(self.port, "GET", "/healthz", timeout=1)[0] == 200:
                    return time.monotonic() - started
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(
            f"footfall serve did not answer in {READY_TIMEOUT:.0f} s; see {self.log}"
        )

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def stop(self, timeout: float = 120) -> int | None:
        """SIGINT, as Ctrl+C: the server stores what it accepted, closes the database and exits.

        Not SIGTERM: uvicorn re-raises it once it has stopped serving, and with Python's default
        handler for SIGTERM the process ends there, before `footfall serve` cleans up.
        SIGKILL after `timeout`.
        """
        if self.proc is None or self.proc.poll() is not None:
            return None if self.proc is None else self.proc.returncode
        self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None


def api(
    port: int, method: str, path: str, body: Any = None, timeout: float = 30
) -> tuple[int, Any]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        payload = None if body is None else json.dumps(body).encode()
        headers = {"content-type": "application/json"} if payload is not None else {}
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        raw = response.read()
        try:
            return response.status, json.loads(raw) if raw else None
        except ValueError:
            return response.status, raw.decode(errors="replace")
    finally:
        conn.close()


def stored_events(port: int, site: str) -> int:
    """Events stored for `site`, through the query API (bots included: every row counts)."""
    query = {"site": site, "metrics": ["events"], "date_range": "7d", "include_bots": True}
    status, body = api(port, "POST", "/api/v1/query", query)
    if status != 200:
        raise RuntimeError(f"/api/v1/query answered {status}: {body}")
    return int(body["rows"][0]["events"]) if body["rows"] else 0


def segments_left(events_dir: Path) -> int:
    """Event-log segments not yet imported: open ones and closed ones."""
    if not events_dir.exists():
        return 0
    return sum(1 for p in events_dir.glob("*/*") if p.suffix in (".open", ".jsonl"))


def wait_for_mover(port: int, events_dir: Path, timeout: float) -> tuple[bool, float]:
    """Until /api/v1/collect/stats shows nothing waiting and no segment is left on disk.

    The mover rotates the open segment every second and deletes a segment once its import
    committed, so "nothing waiting, no file left" means every accepted event is stored.
    Returns (drained, seconds).
    """
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        status, body = api(port, "GET", "/api/v1/collect/stats")
        waiting = sum(body["waiting"].values()) if status == 200 else -1
        if waiting == 0 and segments_left(events_dir) == 0:
            return True, time.monotonic() - started
        time.sleep(0.2)
    return False, time.monotonic() - started


# ------------------------------------------------------------------------- generators


class _Conn(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection: write a request, read one whole response."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[int] | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self.buffer[:end]).split(b"\r\n")
        length = 0
        for line in head[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if len(self.buffer) < end + 4 + length:
            return
        del self.buffer[: end + 4 + length]
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(int(head[0].split()[1]))

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ConnectionError("connection lost"))

    async def send(self, payload: bytes) -> int:
        assert self.transport is not None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(payload)
        return await self.waiter

    def close(self) -> None:
        if self.transport is not None:
            self.transport.abort()
        self.closed = True


@dataclass
class Outcome:
    """Per request index: 0 not sent, -1 transport error or timeout, else the HTTP status."""

    statuses: list[int]
    latency_s: list[float]  # of the expected answers, from the scheduled time
    service_s: list[float]  # of the expected answers, from the moment it was sent
    first: float
    last: float


async def _load(
    port: int,
    build: Callable[[int], bytes],
    count: int,
    expect: int,
    rate: float | None,
    seconds: float,
    connections: int,
    at: Sequence[tuple[float, Callable[[], None]]] = (),
) -> Outcome:
    """Send requests 0..count-1 over `connections` keep-alive connections.

    Open loop when `rate` is set: request i is due at start + i / rate, whatever the answers
    before it; a request waits for a free connection if none is, and its latency counts from
    when it was due (no coordinated omission).  Closed loop otherwise.  Nothing is sent after
    `seconds`; requests in flight then get REQUEST_TIMEOUT to be answered.
    """
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05
    end = start + seconds
    statuses = [0] * count
    latency: list[float] = []
    service: list[float] = []
    last = [start]
    cursor = [0]
    for offset, action in at:
        loop.call_at(start + offset, action)

    async def worker() -> None:
        conn: _Conn | None = None
        while cursor[0] < count:
            now = loop.time()
            if now >= end:
                break
            i = cursor[0]
            cursor[0] += 1
            due = start + i / rate if rate else max(now, start)
            if due > now:
                await asyncio.sleep(due - now)
            try:
                if conn is None or conn.closed:
                    _, conn = await asyncio.wait_for(
                        loop.create_connection(_Conn, HOST, port), REQUEST_TIMEOUT
                    )
                sent = loop.time()
                status = await asyncio.wait_for(conn.send(build(i)), REQUEST_TIMEOUT)
            except (OSError, TimeoutError):
                statuses[i] = -1
                if conn is not None:
                    conn.close()
                    conn = None
                continue
            done = loop.time()
            statuses[i] = status
            last[0] = max(last[0], done)
            if status == expect:
                latency.append(done - due)
                service.append(done - sent)
        if conn is not None:
            conn.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    return Outcome(statuses, latency, service, start, last[0])


def python_load(
    name: str,
    server: Server,
    path: str,
    build: Callable[[int], bytes],
    count: int,
    rate: float | None,
    seconds: float,
    connections: int,
    at: Sequence[tuple[float, Callable[[], None]]] = (),
) -> tuple[Load, Outcome]:
    expect = 200 if path == "/healthz" else 202
    kind = f"python, open loop at {rate:,.0f}/s" if rate else "python, closed loop"
    load = Load(name, kind, path, offered_rate=rate)
    meter = CpuMeter(server.pid)
    outcome = asyncio.run(_load(server.port, build, count, expect, rate, seconds, connections, at))
    load.cpu = meter.stop()
    codes = Counter(outcome.statuses)
    load.not_sent = codes.pop(0, 0)
    load.transport_errors = codes.pop(-1, 0)
    load.ok = codes.pop(expect, 0)
    load.statuses = Counter({str(k): v for k, v in codes.items()})
    load.sent = count - load.not_sent
    # open loop: per second of the schedule (what was answered late still counts: it is in
    # the latency); closed loop: first request to last answer
    load.window_s = seconds if rate else outcome.last - outcome.first
    load.latency_ms = summarize(outcome.latency_s)
    load.service_ms = summarize(outcome.service_s)
    if rate:
        p99 = load.service_ms["p99"]
        load.note = (
            "latency from the scheduled time; from the send: p99 " + _fmt(p99, ",.1f") + " ms"
        )
    return load, outcome


def wrk_load(
    name: str,
    wrk: str | None,
    server: Server,
    mode: str,
    seconds: float,
    cap_total: int,
    connections: int,
    prefix: str,
    cpus: set[int] | None,
) -> Load:
    """wrk at full speed, one connection per thread, stopped at the deadline or the cap."""
    path = "/healthz" if mode == "health" else "/api/event"
    load = Load(name, "wrk, closed loop", path)
    if wrk is None:
        load.status, load.note = "not installed", "wrk not found on PATH (apt-get install wrk)"
        return load
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_LUA)
    per_thread = max(1, cap_total // connections)
    deadline = time.monotonic() + seconds
    cmd = [wrk, "-t", str(connections), "-c", str(connections), "-d", f"{math.ceil(seconds) + 2}s",
           "--timeout", f"{REQUEST_TIMEOUT:.0f}s", "-s", script.name,
           f"http://{HOST}:{server.port}{path}", "--",
           mode, f"{deadline:.6f}", str(per_thread), prefix, SITE_HOST, USER_AGENT,
           str(ACTIVE), str(PER_VISITOR)]  # fmt: skip
    meter = CpuMeter(server.pid)
    try:
        with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
            proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL,
                                    preexec_fn=_pinned(cpus))  # fmt: skip
            _, status, rusage = os.wait4(proc.pid, 0)  # wall time ends at exit; its CPU time
            proc.returncode = os.waitstatus_to_exitcode(status)
            stdout.seek(0)
            stderr.seek(0)
            out, err = stdout.read().decode(), stderr.read().decode()
    finally:
        os.unlink(script.name)
    load.cpu = meter.stop(child_cpu=rusage.ru_utime + rusage.ru_stime)
    line = next((x for x in out.splitlines() if x.startswith("FOOTFALL-WRK ")), None)
    if proc.returncode != 0 or line is None:
        load.status = "failed"
        load.note = f"wrk exit {proc.returncode}: {(err or out).strip()[-300:]}"
        return load
    data = json.loads(line.split(" ", 1)[1])
    rows = [t for t in data["threads"] if t["sent"]]
    load.sent = sum(t["sent"] for t in rows)
    load.ok = sum(t["ok"] for t in rows)
    for t in rows:
        load.statuses.update({k: int(v) for k, v in t["statuses"].items()})
    answered = load.ok + sum(t["other"] for t in rows)
    errors = data["errors"]
    load.transport_errors = errors["connect"] + errors["read"] + errors["write"]
    load.unanswered = load.sent - answered
    if load.unanswered < 0:  # a wrk that does not call request() to check the script
        load.note = f"{-load.unanswered} answers more than requests counted; "
        load.unanswered = 0
    if rows:
        load.window_s = max(t["last"] for t in rows) - min(t["first"] for t in rows)
    load.latency_ms = {k: v / 1000 for k, v in data["latency_us"].items() if k != "mean"}
    load.note += f"{connections} threads × 1 connection; ≤ {per_thread:,} requests each"
    return load


# ------------------------------------------------------------------------------ phases


def stored_ids(db: Path) -> dict[str, Counter[str]]:
    """site -> event id -> stored rows, read from the DuckDB file once the server is gone."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT site, event_id, count(*) FROM hits WHERE event_id IS NOT NULL GROUP BY ALL"
        ).fetchall()
    finally:
        con.close()
    out: dict[str, Counter[str]] = {}
    for site, event_id, n in rows:
        out.setdefault(site, Counter())[event_id] = n
    return out


def kill_test(
    server: Server, rate: float, seconds: float, connections: int, events_dir: Path
) -> dict[str, Any]:
    """Load, SIGKILL mid-way, restart, resend what got no 202 (same ids), count."""
    count = max(1, int(rate * seconds))
    ids = [f"k{i:012d}" for i in range(count)]

    def build(i: int) -> bytes:
        body = event_body(ids[i], i, CRASH_HOST)
        return http_request("POST", "/api/event", server.port, body, i)

    killed_at: list[float] = []

    def kill() -> None:
        killed_at.append(time.monotonic())
        os.kill(server.pid, signal.SIGKILL)

    load, outcome = python_load("kill -9 under load", server, "/api/event", build, count, rate,
                                seconds, connections, at=[(seconds / 2, kill)])  # fmt: skip
    assert server.proc is not None
    server.proc.wait()
    load.note = (f"SIGKILL at {seconds / 2:g} s: errors after it are expected (refused, reset); "
                 + load.note)  # fmt: skip
    acked = {i for i, s in enumerate(outcome.statuses) if s == 202}
    attempted = {i for i, s in enumerate(outcome.statuses) if s != 0}
    acked_before_kill = len(acked)
    restart_s = server.start()
    # the tracker retries what got no answer, with the same id
    pending = sorted(attempted - acked)
    resent, rounds = 0, 0
    while pending and rounds < RESEND_ROUNDS:
        rounds += 1
        todo = pending
        out = asyncio.run(_load(server.port, lambda j, todo=todo: build(todo[j]), len(todo),
                                202, None, 120.0, connections))  # fmt: skip
        resent += sum(1 for s in out.statuses if s != 0)
        pending = [todo[j] for j, s in enumerate(out.statuses) if s != 202]
        acked.update(todo[j] for j, s in enumerate(out.statuses) if s == 202)
    # and a retry of events acknowledged before the kill (as if the answer got lost): the
    # server accepts it again and the import must drop it
    first_acked = sorted(i for i, s in enumerate(outcome.statuses) if s == 202)
    retried = first_acked[:: max(1, len(first_acked) // 100)][:100]
    out = asyncio.run(_load(server.port, lambda j: build(retried[j]), len(retried), 202, None,
                            60.0, connections))  # fmt: skip
    drained, drain_s = wait_for_mover(server.port, events_dir, 120 + count / 500)
    stored = stored_events(server.port, CRASH_SITE)
    return {
        "load": load,
        "ids": ids,
        "attempted": attempted,
        "acked": acked,
        "acked_before_kill": acked_before_kill,
        "kill_after_s": seconds / 2,
        "restart_s": restart_s,
        "resent": resent,
        "resend_rounds": rounds,
        "never_acked": pending,
        "acked_retries_sent": sum(1 for s in out.statuses if s == 202),
        "drained": drained,
        "drain_s": drain_s,
        "stored": stored,
    }


# ------------------------------------------------------------------------------ report


def _fmt(value: float | int | None, spec: str = ",.0f") -> str:
    return "—" if value is None else format(value, spec)


def verdict(met: bool | None) -> str:
    if met is None:
        return "[yellow]n/a[/yellow]"
    return "[green]met[/green]" if met else "[red]not met[/red]"


def print_report(loads: list[Load], checks: list[dict[str, Any]]) -> None:
    table = Table(title="Collection benchmark", title_justify="left")
    cols = ("run", "generator", "sent", "ok", "errors", "ok/s", "p50 ms", "p95 ms", "p99 ms",
            "max ms", "CPU s server / gen / other", "note")  # fmt: skip
    for col in cols:
        left = col in ("run", "generator", "note")
        table.add_column(col, justify="left" if left else "right", overflow="fold")
    for r in loads:
        bad = r.transport_errors + sum(r.statuses.values()) + r.unanswered
        cpu = " / ".join(_fmt(r.cpu.get(k), ".1f") for k in ("server", "generator", "other"))
        note = r.note
        if r.not_sent:
            note = f"{r.not_sent:,} never sent (behind schedule); " + note
        if r.statuses:
            note = f"statuses {dict(r.statuses)}; " + note
        if r.unanswered:
            note = f"{r.unanswered:,} unanswered; " + note
        status = "" if r.status == "ok" else f"[yellow]{r.status}[/yellow] "
        lat = r.latency_ms
        table.add_row(r.name, r.generator, _fmt(r.sent, ",d"), _fmt(r.ok, ",d"), _fmt(bad, ",d"),
                      _fmt(r.rate), _fmt(lat.get("p50"), ".1f"), _fmt(lat.get("p95"), ".1f"),
                      _fmt(lat.get("p99"), ".1f"), _fmt(lat.get("max"), ".0f"), cpu,
                      status + note)  # fmt: skip
    console.print(table)
    targets = Table(title="Checks and targets", title_justify="left")
    for col in ("check", "value", "target", "result"):
        targets.add_column(col, justify="right" if col in ("value", "target") else "left")
    for c in checks:
        result = verdict(c["met"]) if c["target"] else ""
        if c.get("why"):
            result = f"{result} ({c['why']})" if result else str(c["why"])
        targets.add_row(str(c["name"]), str(c["value"]), str(c["target"] or ""), result)
    console.print(targets)


def check(
    name: str, value: Any, target: str | None, met: bool | None, why: str = ""
) -> dict[str, Any]:
    return {"name": name, "value": value, "target": target, "met": met, "why": why}


# -------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each load run")
    parser.add_argument("--rate", type=float, default=TARGET_RATE, help="offered events/s")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections")
    parser.add_argument("--kill-seconds", type=float, default=4.0,
                        help="length of the kill -9 load run (the kill is half-way)")  # fmt: skip
    parser.add_argument("--cores", type=int, default=2,
                        help="CPUs for the server when the machine has more (the rest: load)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=HERE / "out", help="work/output directory")
    parser.add_argument("--wrk", default=shutil.which("wrk"), help="wrk binary")
    parser.add_argument("--footfall", type=Path, default=Path(sys.executable).with_name("footfall"),
                        help="footfall CLI")  # fmt: skip
    parser.add_argument("--keep-db", action="store_true", help="keep the DuckDB file")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.rate <= 0 or args.connections <= 0 or args.kill_seconds <= 0:
        parser.error("--seconds, --rate, --connections and --kill-seconds must be > 0")
    if not args.footfall.exists():
        parser.error(f"footfall CLI not found at {args.footfall} (see --footfall)")

    out_dir: Path = args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    db = out_dir / "collect.duckdb"
    events_dir = Path(str(db) + ".events")
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    shutil.rmtree(events_dir, ignore_errors=True)
    for site, host in ((SITE, SITE_HOST), (CRASH_SITE, CRASH_HOST)):
        subprocess.run([str(args.footfall), "site", site, "--db", str(db), "--host", host],
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    server_cpus, load_cpus, pinning = cpu_sets(args.cores)
    if load_cpus is not None:
        os.sched_setaffinity(0, load_cpus)  # the Python generator runs in this process
    log = out_dir / "collect-server.log"
    log.unlink(missing_ok=True)
    port = free_port()
    serve = [str(args.footfall), "serve", "--db", str(db), "--port", str(port)]
    server = Server(serve, port, log, server_cpus)
    cap = int(args.rate * args.seconds * 1.5)  # the most requests one run may send
    load_before = os.getloadavg()
    console.print(f"[dim]{pinning}[/dim]")

    def health_run(name: str, srv: Server) -> Load:
        load = wrk_load(name, args.wrk, srv, "health", args.seconds, cap, args.connections, "h",
                        load_cpus)  # fmt: skip
        if load.status == "ok":
            return load
        load, _ = python_load(name, srv, "/healthz",  # no wrk: the Python generator instead
                              lambda i: http_request("GET", "/healthz", srv.port, n=i),
                              cap, None, args.seconds, args.connections)  # fmt: skip
        return load

    # 0. the floor: the same uvicorn with a bare ASGI app
    floor_port = free_port()
    floor_cmd = [sys.executable, "-c", BARE_ASGI, str(floor_port)]
    bare = Server(floor_cmd, floor_port, out_dir / "collect-floor.log", server_cpus)
    bare.start()
    console.print(f"[dim]bare uvicorn: {args.seconds:g} s…[/dim]")
    try:
        floor = health_run("bare uvicorn app (floor)", bare)
    finally:
        bare.stop()
    startup_s = server.start()
    console.print(f"[dim]footfall serve on {HOST}:{server.port} (pid {server.pid}), "
                  f"ready in {startup_s:.1f} s; log {log}[/dim]")  # fmt: skip
    loads: list[Load] = []
    checks: list[dict[str, Any]] = []
    result: dict[str, Any] = {}
    try:
        # 1. the HTTP stack alone, then events at full speed: same generator, same server
        console.print(f"[dim]GET /healthz for {args.seconds:g} s…[/dim]")
        health = health_run("GET /healthz (reference)", server)
        console.print(f"[dim]POST /api/event at full speed for {args.seconds:g} s…[/dim]")
        full = wrk_load("POST /api/event, full speed", args.wrk, server, "event", args.seconds,
                        cap, args.connections, "w", load_cpus)  # fmt: skip
        if full.status != "ok":  # no wrk: the Python generator instead
            full, _ = python_load("POST /api/event, full speed", server, "/api/event",
                                  lambda i: http_request("POST", "/api/event", server.port,
                                                         event_body(f"f{i:012d}", i, SITE_HOST), i),
                                  cap, None, args.seconds, args.connections)  # fmt: skip
        loads += [floor, health, full]
        # 2. events at the target rate, open loop
        count = int(args.rate * args.seconds)
        console.print(f"[dim]open loop: {count:,} events at {args.rate:,.0f}/s…[/dim]")
        steady, _ = python_load(
            f"POST /api/event at {args.rate:,.0f}/s", server, "/api/event",
            lambda i: http_request("POST", "/api/event", server.port,
                                   event_body(f"r{i:012d}", i, SITE_HOST), i),
            count, args.rate, args.seconds, args.connections,
        )  # fmt: skip
        loads.append(steady)
        # 3. everything answered 202 is stored, once
        accepted = full.ok + steady.ok
        unsure = full.unanswered + steady.unanswered + steady.transport_errors
        drained, drain_s = wait_for_mover(server.port, events_dir, 300 + accepted / 200)
        stored = stored_events(server.port, SITE)
        _, stats = api(server.port, "GET", "/api/v1/collect/stats")
        # 4. kill -9 under load
        console.print(f"[dim]kill -9 test: {args.kill_seconds:g} s at {args.rate:,.0f}/s…[/dim]")
        kill = kill_test(server, args.rate, args.kill_seconds, args.connections, events_dir)
        loads.append(kill["load"])
        _, stats_after = api(server.port, "GET", "/api/v1/collect/stats")
    finally:
        code = server.stop()
    ids = stored_ids(db)
    load_after = os.getloadavg()

    # ---- the figures
    rows = ids.get(SITE, Counter())
    dup_steady = sum(n - 1 for n in rows.values())
    if unsure:
        met_steady = accepted <= stored <= accepted + unsure and dup_steady == 0
        why_steady = f"{unsure} requests without a clear answer: stored may exceed the 202s by that"
    else:
        met_steady = stored == accepted and dup_steady == 0
        why_steady = ""
    crash = ids.get(CRASH_SITE, Counter())
    known = {kill["ids"][i] for i in kill["attempted"]}
    acked_ids = {kill["ids"][i] for i in kill["acked"]}
    lost_acked = sorted(acked_ids - set(crash))
    lost = sorted(known - set(crash))
    duplicated = sum(n - 1 for n in crash.values())
    unknown = sorted(set(crash) - known)
    ratio = full.rate / health.rate if full.rate and health.rate else None
    ratio_floor = full.rate / floor.rate if full.rate and floor.rate else None
    ratio_health = health.rate / floor.rate if health.rate and floor.rate else None
    sustained = steady.rate
    p99 = steady.latency_ms.get("p99")
    rate_ok = steady.ok >= 0.995 * TARGET_RATE * args.seconds and args.rate >= TARGET_RATE
    checks += [
        check("accepted events/s at the offered rate (open loop)", _fmt(sustained),
              f">= {TARGET_RATE:,.0f}", bool(sustained and rate_ok),
              "" if args.rate >= TARGET_RATE else f"--rate {args.rate:g} is below the target"),
        check("p99 latency at the offered rate, from the scheduled time (ms)", _fmt(p99, ",.1f"),
              f"<= {TARGET_P99_MS:g}", None if p99 is None else bool(rate_ok and p99 <= TARGET_P99_MS),
              "" if rate_ok else "judged at the target rate only"),
        check("full-speed events/s ÷ /healthz req/s (same generator)",
              _fmt(ratio, ".2f"), None, None, "share of what the HTTP stack does"),
        check("full-speed events/s ÷ bare uvicorn req/s",
              _fmt(ratio_floor, ".3f"), None, None, "share of the server floor"),
        check("/healthz req/s ÷ bare uvicorn req/s",
              _fmt(ratio_health, ".3f"), None, None, "cost of the app stack on a no-op"),
        check(f"stored ({SITE}) vs 202 answers after the load", f"{stored:,} / {accepted:,}",
              "equal", met_steady and drained, why_steady or ("" if drained else "mover did not drain")),
        check(f"duplicated event ids stored ({SITE})", f"{dup_steady:,}", "0", dup_steady == 0),
        check("kill -9: acknowledged ids lost", f"{len(lost_acked):,}", "0", not lost_acked),
        check("kill -9: sent ids lost after resending", f"{len(lost):,}", "0", not lost),
        check("kill -9: duplicated ids stored", f"{duplicated:,}", "0", duplicated == 0),
        check("kill -9: stored (query API) vs distinct ids sent", f"{kill['stored']:,} / {len(known):,}",
              "equal", kill["stored"] == len(known) and not unknown),
    ]  # fmt: skip
    print_report(loads, checks)
    console.print(
        f"[dim]server CPU per request: bare uvicorn {_per(floor)} ms, /healthz {_per(health)} ms, "
        f"events {_per(full)} ms "
        f"(full speed), {_per(steady)} ms (open loop). Mover drained {drain_s:.1f} s after the "
        f"load; restart after kill -9 took {kill['restart_s']:.1f} s. Load average "
        f"{load_before[0]:.2f} before, {load_after[0]:.2f} after.[/dim]"
    )
    result = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpu_count": os.cpu_count(),
            "memory_mib": round(psutil.virtual_memory().total / 2**20),
            "load_average_before": load_before,
            "load_average_after": load_after,
            "pinning": pinning,
            "wrk": args.wrk,
        },
        "settings": {
            "seconds": args.seconds,
            "rate": args.rate,
            "connections": args.connections,
            "kill_seconds": args.kill_seconds,
            "max_requests_per_run": cap,
            "server": server.cmd,
            "server_exit": code,
            "env": {"FOOTFALL_COLLECT_RATE": "0"},
        },
        "startup_s": round(startup_s, 2),
        "loads": [x.as_json() for x in loads],
        "sustained": {
            "accepted_202": accepted,
            "unsure": unsure,
            "stored": stored,
            "duplicated": dup_steady,
            "drained": drained,
            "drain_s": round(drain_s, 2),
            "server_stats": stats,
        },
        "kill": {
            "sent_ids": len(known),
            "acked_before_kill": kill["acked_before_kill"],
            "kill_after_s": kill["kill_after_s"],
            "restart_s": round(kill["restart_s"], 2),
            "resent": kill["resent"],
            "resend_rounds": kill["resend_rounds"],
            "never_acked": len(kill["never_acked"]),
            "acked_retries_sent": kill["acked_retries_sent"],
            "drained": kill["drained"],
            "drain_s": round(kill["drain_s"], 2),
            "stored_query_api": kill["stored"],
            "stored_rows": sum(crash.values()),
            "stored_distinct_ids": len(crash),
            "lost_acked": len(lost_acked),
            "lost": len(lost),
            "duplicated": duplicated,
            "unknown_ids": len(unknown),
            "examples": {"lost": lost[:10], "unknown": unknown[:10]},
            "server_stats_after": stats_after,
        },
        "checks": checks,
    }
    report = out_dir / "collect.json"
    report.write_text(json.dumps(result, indent=2, default=str) + "\n")
    console.print(f"[dim]wrote {report}[/dim]")
    if not args.keep_db:
        for p in (db, Path(str(db) + ".wal"), Path(str(db) + ".server.json")):
            p.unlink(missing_ok=True)
        shutil.rmtree(events_dir, ignore_errors=True)
    return 0


def _per(load: Load) -> str:
    if not load.ok or not load.cpu.get("server"):
        return "—"
    return f"{1000 * load.cpu['server'] / load.ok:.2f}"


if __name__ == "__main__":
    sys.exit(main())
