"""Everything one human pageview puts in the log, and how the server answers it.

The page itself (or the 301 for a slash-less directory URL), the static assets
the browser loads with it (200, 304 or nothing at all, depending on its cache),
XHR calls and form posts, and the 5xx answers of the day's incident, if any.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from footfall.demo.day_log import DAY, HUMAN_OTHER, DayLog, Event
from footfall.demo.site import (
    ASSET_SIZES,
    DEAD_LINKS,
    ERROR_PAGE_BYTES,
    PAGE_IMAGES,
    PAGE_SIZES,
    SHARED_ASSETS,
    SLOW_DOC,
)


class Visitor:
    """A human's browser: address, user agent, protocol, and whether its cache is warm."""

    __slots__ = ("cached", "ipp", "proto", "ua")

    def __init__(self, ip: str, ua: str, proto: str) -> None:
        self.ua = ua
        self.proto = proto
        self.cached = False
        self.move_to(ip)

    def move_to(self, ip: str) -> None:
        self.ipp = ip + " - - ["  # what every line of this visitor starts with


class PageRequests:
    """Writes the requests of human pageviews into the current :class:`DayLog`."""

    def __init__(self, rng: random.Random) -> None:
        self.rnd = rng.random
        self.events: list[Event] = []
        self.stamp: Callable[[int], str] = str  # the current day's, see start_day
        self.request_times: tuple[str, ...] | None = None
        self.failing_from = self.failing_until = -1  # the day's 5xx incident (seconds of day)
        self.failure_status = 502

    def start_day(self, log: DayLog) -> None:
        """Write into `log` from now on, and decide whether today has an incident.

        An incident is a short window in which /signup and /api/* fail with 502 or 503.
        """
        self.events = log.events
        self.stamp = log.stamp
        self.request_times = log.request_times
        rnd = self.rnd
        self.failing_from = self.failing_until = -1
        if rnd() < 0.3:
            self.failing_from = int(rnd() * (DAY - 3_600))
            self.failing_until = self.failing_from + 600 + int(rnd() * 1_800)
            self.failure_status = 502 if rnd() < 0.6 else 503

    def _failing(self, t: int) -> bool:
        return self.failing_from <= t <= self.failing_until

    def redirect(self, v: Visitor, t: int, target: str, ref: str) -> None:
        """nginx's 301 for a directory URL typed without its trailing slash."""
        ms = self.request_times
        line = f'{v.ipp}{self.stamp(t)} "GET {target} {v.proto}" 301 169 "{ref}" "{v.ua}"'
        self.events.append((t, HUMAN_OTHER, line + (ms[int(self.rnd() * 2)] if ms else "")))

    def page(self, v: Visitor, t: int, target: str, path: str, ref: str, kind: int) -> int:
        """The HTML page request; returns its status."""
        status, nbytes, rt = self._page_response(path, t)
        line = f'{v.ipp}{self.stamp(t)} "GET {target} {v.proto}" {status} {nbytes} "{ref}" "{v.ua}"'
        ms = self.request_times
        self.events.append((t, kind, line + ms[rt] if ms else line))
        return status

    def _page_response(self, path: str, t: int) -> tuple[int, int, int]:
        """(status, bytes, request time in ms) for a page."""
        rnd = self.rnd
        if path in DEAD_LINKS:
            return 404, DEAD_LINKS[path], 2 + int(rnd() * 6)
        if path == "/signup" and self._failing(t) and rnd() < 0.7:
            s = self.failure_status
            return s, ERROR_PAGE_BYTES[s], (int(rnd() * 3) if s == 503 else 60 + int(rnd() * 900))
        if path == "/search" or path == SLOW_DOC:
            base = 21_000 if path == "/search" else PAGE_SIZES[path]
            return 200, base + int(rnd() * 900), 1_500 + int(4_500 * rnd() ** 1.5)
        if rnd() < 0.0008:
            return 500, ERROR_PAGE_BYTES[500], 30 + int(rnd() * 400)
        return 200, PAGE_SIZES[path] + int(rnd() * 160), 5 + int(295 * rnd() ** 3)

    def assets(
        self, v: Visitor, t: int, path: str, page_url: str, seen: set[str], first: bool
    ) -> None:
        """Static assets loaded by a rendered page (nothing when in the browser cache).

        `seen` holds what this session already loaded; `first` is true for the
        session's first rendered page, the one that loads the shared bundle.
        """
        rnd = self.rnd
        images = PAGE_IMAGES.get(path, ())
        revalidate = False
        if not first:
            revalidate = rnd() < 0.06  # occasional revalidation of the bundle on later pages
            if not revalidate and not images:
                return  # the common case: everything already in the memory cache
        out = self.events
        ms = self.request_times
        cached = v.cached
        tail = f' "{page_url}" "{v.ua}"'
        head = f'{v.ipp}{self.stamp(t)} "GET '
        proto = f' {v.proto}" '
        if first:
            if not cached:
                for a in SHARED_ASSETS:
                    line = f"{head}{a}{proto}200 {ASSET_SIZES[a]}{tail}"
                    out.append((t, HUMAN_OTHER, line + ms[int(rnd() * 25)] if ms else line))
                    seen.add(a)
                line = f'{v.ipp}{self.stamp(t + 1)} "GET /favicon.ico{proto}200 1150{tail}'
                out.append((t + 1, HUMAN_OTHER, line + ms[0] if ms else line))
            elif rnd() < 0.55:  # revalidation of the cached bundle
                for a in SHARED_ASSETS:
                    line = f"{head}{a}{proto}304 0{tail}"
                    out.append((t, HUMAN_OTHER, line + ms[int(rnd() * 3)] if ms else line))
                    seen.add(a)
        elif revalidate:
            a = SHARED_ASSETS[int(rnd() * 3)]
            line = f"{head}{a}{proto}304 0{tail}"
            out.append((t, HUMAN_OTHER, line + ms[int(rnd() * 3)] if ms else line))
        head1 = None
        for a in images:
            if a in seen:
                continue
            seen.add(a)
            if cached and rnd() < 0.5:
                continue
            if head1 is None:
                head1 = f'{v.ipp}{self.stamp(t + 1)} "GET '
            if cached:
                line = f"{head1}{a}{proto}304 0{tail}"
            else:
                line = f"{head1}{a}{proto}200 {ASSET_SIZES[a]}{tail}"
            out.append((t + 1, HUMAN_OTHER, line + ms[int(rnd() * 40)] if ms else line))

    def actions(self, v: Visitor, t: int, path: str, page_url: str) -> int:
        """XHR/API calls and form posts triggered from a page; returns the new time."""
        rnd = self.rnd
        if path == "/pricing":
            self._api(v, t + 1, "GET", "/api/plans", page_url, 200, 912 + int(rnd() * 40))
        elif path == "/contact" and rnd() < 0.22:
            t += 40 + int(rnd() * 200)
            self._api(v, t, "POST", "/api/contact", page_url, 201, 27)
        elif path == "/" and rnd() < 0.3:
            self._api(v, t + 2, "GET", "/api/status", page_url, 200, 64)
        return t

    def _api(
        self, v: Visitor, t: int, method: str, target: str, page_url: str, ok: int, ok_bytes: int
    ) -> None:
        rnd = self.rnd
        status, nbytes, rt = ok, ok_bytes, 8 + int(rnd() * 120)
        if self._failing(t) and rnd() < 0.7:
            status, nbytes = self.failure_status, ERROR_PAGE_BYTES[self.failure_status]
        elif rnd() < 0.002:
            status, nbytes = 500, 41
        self._append(v, t, method, target, status, nbytes, page_url, rt)

    def signup(self, v: Visitor, t: int, page_url: str) -> int:
        """POST /signup; returns the time of the follow-up page or -1 if the session ends."""
        rnd = self.rnd
        if self._failing(t) and rnd() < 0.7:
            status, nbytes, rt = self.failure_status, ERROR_PAGE_BYTES[self.failure_status], 2
        elif rnd() < 0.01:
            status, nbytes, rt = 500, ERROR_PAGE_BYTES[500], 200 + int(rnd() * 400)
        else:
            status, nbytes, rt = 302, 0, 90 + int(rnd() * 350)
        self._append(v, t, "POST", "/signup", status, nbytes, page_url, rt)
        return t + 1 if status == 302 else -1

    def _append(
        self,
        v: Visitor,
        t: int,
        method: str,
        target: str,
        status: int,
        nbytes: int,
        ref: str,
        rt: int,
    ) -> None:
        line = f'{v.ipp}{self.stamp(t)} "{method} {target} {v.proto}" {status} {nbytes} "{ref}" "{v.ua}"'
        ms = self.request_times
        self.events.append((t, HUMAN_OTHER, line + ms[rt] if ms else line))
