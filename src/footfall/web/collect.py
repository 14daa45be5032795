"""``POST /api/event``: the tracker's (and Plausible's) collection endpoint.

The request is validated (``collect/events.py``), matched to a site by its
domain, checked against the site's hosts when a browser sends an Origin,
rate-limited per client, written to the write-ahead event log and answered
202 once it is on disk.  A mover thread imports closed log segments every
second through the same importer as access logs (``format="events"``), so
tracker events get the same bot rules, visitor hash and sessions.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from footfall.collect.event_log import EventLog
from footfall.collect.events import EventRejected, parse_event
from footfall.errors import FootfallError
from footfall.pipeline.importer import ImportRequest, run_import
from footfall.web.guard import CanView, Public, context
from footfall.web.imports import one_import_at_a_time

router = APIRouter()
SITES_TTL = 5.0


@dataclass
class Collector:
    """Per-server collection state: the event log, site lookup, limits, counters."""

    log: EventLog
    rate: float  # events per second per client; 0: no limit
    burst: float
    counts: Counter[str] = field(default_factory=Counter)
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _sites: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    _sites_at: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, client: str) -> bool:
        """Token bucket per client address."""
        if self.rate <= 0:
            return True
        now = time.monotonic()
        with self._lock:
            tokens, at = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            if tokens < 1:
                self._buckets[client] = (tokens, now)
                return False
            self._buckets[client] = (tokens - 1, now)
            if len(self._buckets) > 100_000:
                self._buckets.clear()
            return True

    def site_for(self, ctx: Any, domain: str) -> tuple[str, frozenset[str]] | None:
        """domain -> (site name, the site's hosts): a site named so, or one with that host."""
        now = time.monotonic()
        if now - self._sites_at > SITES_TTL:
            db = ctx.reader()
            try:
                rows = db.fetchall("SELECT name, hosts FROM sites")
            finally:
                db.close()
            table: dict[str, tuple[str, frozenset[str]]] = {}
            for name, hosts in rows:
                own = frozenset(h.lower().removeprefix("www.") for h in hosts) | {name.lower()}
                for key in own:
                    table.setdefault(key, (name, own))
            self._sites, self._sites_at = table, now
        return self._sites.get(domain)


def _origin_allowed(origin: str | None, hosts: frozenset[str]) -> bool:
    if not origin:
        return True  # not a browser (server-side use of the events API)
    host = (urlsplit(origin).hostname or "").lower().removeprefix("www.")
    return any(host == h or host.endswith("." + h) for h in hosts)


def _cors(response: Response, origin: str | None) -> Response:
    if origin:
        response.headers["access-control-allow-origin"] = origin
        response.headers["vary"] = "Origin"
    return response


@router.options("/api/event")
def preflight(request: Request, _: Public) -> Response:
    response = Response(status_code=204)
    response.headers["access-control-allow-methods"] = "POST"
    response.headers["access-control-allow-headers"] = "content-type"
    response.headers["access-control-max-age"] = "86400"
    return _cors(response, request.headers.get("origin"))


@router.post("/api/event")
async def collect(request: Request, _: Public) -> Response:
    collector: Collector = context(request).collector
    origin = request.headers.get("origin")
    try:
        raw = await request.body()
        event = parse_event(raw)
        found = collector.site_for(context(request), event.domain)
        if found is None:
            raise EventRejected(404, f"no site for domain {event.domain!r}")
        site, hosts = found
        if not _origin_allowed(origin, hosts):
            raise EventRejected(403, "the page's origin is not one of the site's hosts")
        client = request.client.host if request.client else ""
        if not collector.allow(client):
            raise EventRejected(429, "too many events from this client; slow down")
        line = {**event.line, "remote_addr": client, "msec": round(time.time(), 3),
                "http_user_agent": request.headers.get("user-agent", "")}  # fmt: skip
        await _append(collector, site, line)
    except EventRejected as err:
        collector.counts[f"rejected {err.status}"] += 1
        return _cors(JSONResponse({"error": err.reason}, status_code=err.status), origin)
    collector.counts["accepted"] += 1
    return _cors(Response(status_code=202), origin)


async def _append(collector: Collector, site: str, line: dict[str, Any]) -> None:
    """The fsync wait blocks: run it in a worker thread, not on the event loop."""
    await anyio.to_thread.run_sync(collector.log.append, site, line)


@router.get("/api/v1/collect/stats")
def stats(request: Request, _: CanView) -> dict[str, Any]:
    """Events accepted and refused (by status) since the server started."""
    collector: Collector = context(request).collector
    return {"counts": dict(collector.counts), "waiting": {
        site: len(paths) for site, paths in collector.log.closed_segments().items()}}  # fmt: skip


class Mover(threading.Thread):
    """Imports closed event-log segments every ``interval`` seconds."""

    def __init__(self, ctx: Any, interval: float = 1.0) -> None:
        super().__init__(name="event-mover", daemon=True)
        self.ctx = ctx
        self.interval = interval
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.wait(self.interval):
            self.move()

    def move(self) -> None:
        log: EventLog = self.ctx.collector.log
        log.rotate()
        for site, paths in log.closed_segments().items():
            request = ImportRequest([str(p) for p in paths], site, format="events")
            with one_import_at_a_time:
                db = self.ctx.reader()
                try:
                    report = run_import(self.ctx.settings, request, db=db)
                except FootfallError:
                    continue  # left in place; retried next round
                finally:
                    db.close()
            for path, source in zip(paths, report.sources, strict=True):
                if source.status in ("imported", "unchanged"):
                    path.unlink(missing_ok=True)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)
        self.move()  # what was accepted before shutdown is stored now
