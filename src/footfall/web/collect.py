"""``POST /api/event``: the tracker's (and Plausible's) collection endpoint.

The request is validated (``collect/events.py``), matched to a site by its
domain, checked against the site's hosts when a browser sends an Origin,
rate-limited per client, written to the write-ahead event log and answered
202 once it is on disk.  The mover (``web/mover.py``) imports the log into the
store through the same importer as access logs.

This one endpoint is plain ASGI in front of the framework: it is public by
design (``Public`` in access terms: anyone may send an event, the checks above
decide what is kept), takes the most traffic, and the framework's routing,
dependency injection and middleware cost ~4x the handler itself (measured in
``bench/bench_collect.py``).  Everything else goes on to FastAPI.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request

from footfall.auth.access import visible_sites
from footfall.collect.event_log import EventLog
from footfall.collect.events import MAX_BODY, EventRejected, parse_event
from footfall.errors import StorageError
from footfall.store.database import Database
from footfall.store.sites import site_hosts
from footfall.web.guard import CanView, context

router = APIRouter()
PATH = "/api/event"
Scope = dict[str, Any]


@dataclass
class Collector:
    """Per-server collection state: the event log, site lookup, limits, counters.

    Used from the event loop only (the mover refreshes ``sites`` by swapping the dict).
    """

    log: EventLog
    rate: float  # events per second per client; 0: no limit
    burst: float
    counts: Counter[str] = field(default_factory=Counter)
    sites: dict[str, tuple[str, frozenset[str]]] = field(default_factory=dict)
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def allow(self, client: str) -> bool:
        """Token bucket per client address."""
        if self.rate <= 0:
            return True
        now = time.monotonic()
        tokens, at = self._buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - at) * self.rate)
        if tokens < 1:
            self._buckets[client] = (tokens, now)
            return False
        self._buckets[client] = (tokens - 1, now)
        if len(self._buckets) > 100_000:
            self._buckets.clear()
        return True

    def refresh_sites(self, db: Database) -> None:
        """domain -> (site name, the site's hosts): a site's name and each of its hosts."""
        table: dict[str, tuple[str, frozenset[str]]] = {}
        for name, hosts in site_hosts(db):
            own = frozenset(h.lower().removeprefix("www.") for h in hosts) | {name.lower()}
            for key in own:
                table.setdefault(key, (name, own))
        self.sites = table

    async def accept(self, raw: bytes, client: str, origin: str | None, agent: str) -> bool:
        """Validate one event and return once it is durable; ``EventRejected`` otherwise.

        False: valid and not to be stored (Plausible's ``engagement`` events)."""
        event = parse_event(raw)
        found = self.sites.get(event.domain)
        if found is None:
            raise EventRejected(404, f"no site for domain {event.domain!r}")
        site, hosts = found
        if not _origin_allowed(origin, hosts):
            raise EventRejected(403, "the page's origin is not one of the site's hosts")
        if not self.allow(client):
            raise EventRejected(429, "too many events from this client; slow down")
        if not event.store:
            return False
        line = {**event.line, "remote_addr": client, "msec": round(time.time(), 3),
                "http_user_agent": agent}  # fmt: skip
        try:
            await self.log.append_async(site, line)
        except StorageError as err:  # the disk refuses writes: 503 with Retry-After
            raise EventRejected(503, str(err)) from err
        return True


def _origin_allowed(origin: str | None, hosts: frozenset[str]) -> bool:
    if not origin:
        return True  # not a browser (server-side use of the events API)
    host = (urlsplit(origin).hostname or "").lower().removeprefix("www.")
    return any(host == h or host.endswith("." + h) for h in hosts)


class EventIntake:
    """ASGI middleware that answers ``/api/event`` itself and passes the rest on."""

    def __init__(self, app: Any, collector: Collector) -> None:
        self.app = app
        self.collector = collector

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != PATH:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        origin = headers[b"origin"].decode("latin-1") if b"origin" in headers else None
        method = scope["method"]
        if method == "OPTIONS":
            await _answer(send, 204, origin, b"", _PREFLIGHT)
            return
        counts = self.collector.counts
        try:
            if method != "POST":
                raise EventRejected(405, "send events with POST")
            raw = await _body(receive, headers.get(b"content-length"))
            client = scope["client"][0] if scope.get("client") else ""
            agent = headers.get(b"user-agent", b"").decode("latin-1")
            stored = await self.collector.accept(raw, client, origin, agent)
        except EventRejected as err:
            counts[f"rejected {err.status}"] += 1
            body = b'{"error":%s}' % json.dumps(err.reason).encode()
            await _answer(send, err.status, origin, body, _RETRY if err.status == 503 else _JSON)
            return
        counts["accepted" if stored else "ignored engagement"] += 1
        await _answer(send, 202, origin, b"", ())


async def _body(receive: Any, length: bytes | None) -> bytes:
    if length is not None and length.isdigit() and int(length) > MAX_BODY:
        raise EventRejected(413, f"the event is larger than {MAX_BODY} bytes")
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise EventRejected(400, "the client went away before sending the whole event")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise EventRejected(413, f"the event is larger than {MAX_BODY} bytes")
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


_JSON = ((b"content-type", b"application/json"),)
#: A full disk: the event log probes every second, so a client may try again soon.
RETRY_AFTER_SECONDS = 5
_RETRY = (*_JSON, (b"retry-after", str(RETRY_AFTER_SECONDS).encode()))
_PREFLIGHT = (
    (b"access-control-allow-methods", b"POST"),
    (b"access-control-allow-headers", b"content-type"),
    (b"access-control-max-age", b"86400"),
)
_ALWAYS = ((b"x-content-type-options", b"nosniff"), (b"cache-control", b"no-store"))


async def _answer(send: Any, status: int, origin: str | None, body: bytes, extra: Any) -> None:
    headers = [*_ALWAYS, *extra, (b"content-length", str(len(body)).encode())]
    if origin:
        headers += [(b"access-control-allow-origin", origin.encode("latin-1")),
                    (b"vary", b"Origin")]  # fmt: skip
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@router.get("/api/v1/collect/stats")
def stats(request: Request, access: CanView) -> dict[str, Any]:
    """Events accepted and refused (by status) since the server started, and segments
    waiting to be stored for the sites the caller may see."""
    collector: Collector = context(request).collector
    waiting = collector.log.closed_segments()
    shown = visible_sites(access.actor, sorted(waiting))
    return {"counts": dict(collector.counts),
            "waiting": {site: len(waiting[site]) for site in shown}}  # fmt: skip
