"""Bot traffic of every kind, day by day.

Search engines, AI crawlers and SEO tools crawl the site (robots.txt first,
some dead links, 304s for pages they already have); an uptime monitor sends
``HEAD /`` every five minutes; vulnerability scanners probe for secrets and
admin pages; cron jobs and a price-watching script poll a few URLs; and one
"stealth" scraper uses a browser user agent but never loads an asset.
Volumes grow gently (square root) with the size of the human audience.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

from footfall.demo.clients import (
    AHREFSBOT,
    BINGBOT,
    CLAUDEBOT,
    CURL_UAS,
    GOOGLEBOT,
    GOOGLEBOT_SMARTPHONE,
    GPTBOT,
    MONITOR_IPS,
    PERPLEXITYBOT,
    PYTHON_REQUESTS_UAS,
    SCANNER_UAS,
    SEMRUSHBOT,
    STEALTH_BOT_IP,
    STEALTH_UA,
    UPTIMEROBOT,
    ClientAddresses,
)
from footfall.demo.day_log import BOT_KIND, DAY, LAST_SECOND, DayLog, Event
from footfall.demo.site import (
    DEAD_LINKS,
    ERROR_PAGE_BYTES,
    PAGE_POPULARITY,
    PAGE_RANK,
    PAGE_SIZES,
    SCANNER_PROBE_TABLE,
    SLOW_DOC,
)
from footfall.demo.spec import DemoSpec


class BotTraffic:
    """Generates the bot requests of each day into a :class:`DayLog`."""

    def __init__(self, spec: DemoSpec, rng: random.Random, addresses: ClientAddresses) -> None:
        self.rng = rng
        self.rnd = rng.random
        self.addresses = addresses
        self.scale = max(0.25, math.sqrt(max(spec.daily_visitors, 1) / 600))
        self.automation_ips = (addresses.ipv4(), addresses.ipv4(), addresses.ipv4())
        self.events: list[Event] = []
        self.stamp: Callable[[int], str] = str  # the current day's, see simulate_day
        self.request_times: tuple[str, ...] | None = None

    def simulate_day(self, log: DayLog) -> None:
        """All bot requests of the day `log` is for."""
        self.events = log.events
        self.stamp = log.stamp
        self.request_times = log.request_times
        self._search_engines()
        self._ai_crawlers()
        self._seo_tools()
        self._monitor()
        self._scanners()
        self._automation()
        self._stealth()

    def _line(
        self,
        t: int,
        kind: int,
        ip: str,
        method: str,
        target: str,
        status: int,
        nbytes: int,
        ua: str,
        rt: int,
        proto: str = "HTTP/1.1",
    ) -> None:
        if t > LAST_SECOND:
            return
        line = f'{ip} - - [{self.stamp(t)} "{method} {target} {proto}" {status} {nbytes} "-" "{ua}"'
        ms = self.request_times
        self.events.append((t, kind, line + ms[rt] if ms else line))

    # -- crawlers ---------------------------------------------------------------------
    def _crawl(
        self,
        kind: int,
        ips: Sequence[str],
        uas: Sequence[str],
        n: int,
        lo: int,
        hi: int,
        *,
        dead_rate: float,
        not_modified: float = 0.0,
        robots_every: int = 0,
    ) -> None:
        """`n` page fetches between seconds lo..hi, robots.txt first and every so often."""
        rnd = self.rnd
        if n <= 0:
            return
        times = sorted(lo + int(rnd() * (hi - lo)) for _ in range(n))
        ip = ips[int(rnd() * len(ips))]
        self._line(max(0, times[0] - 2), kind, ip, "GET", "/robots.txt", 200, 67, uas[0], 1)
        for i, t in enumerate(times):
            if robots_every and i and i % robots_every == 0:
                ip = ips[int(rnd() * len(ips))]
                self._line(t, kind, ip, "GET", "/robots.txt", 200, 67, uas[0], 1)
                t += 1
            target, status, nbytes = self._crawl_target(dead_rate)
            rt = 2 + int(rnd() * 6) if status != 200 else 5 + int(250 * rnd() ** 3)
            if target == SLOW_DOC:
                rt = 1_500 + int(rnd() * 4_500)
            if status == 200 and target != "/sitemap.xml" and rnd() < not_modified:
                status, nbytes = 304, 0
            ua = uas[int(rnd() * len(uas))]
            self._line(t, kind, ip, "GET", target, status, nbytes, ua, rt)

    def _crawl_target(self, dead_rate: float) -> tuple[str, int, int]:
        """(request target, status, bytes) of one crawler fetch."""
        rnd = self.rnd
        r = rnd()
        if r < dead_rate:
            path = ("/blog/old-post", "/pricing-old", "/docs/legacy-setup")[int(rnd() * 3)]
            return path, 404, DEAD_LINKS[path]
        if r < dead_rate + 0.01:
            return "/blog", 301, 169
        if r < dead_rate + 0.03:
            return "/sitemap.xml", 200, 5_412
        # crawlers spread more evenly than humans over the site
        path = PAGE_POPULARITY(rnd) if rnd() < 0.5 else PAGE_RANK[int(rnd() * len(PAGE_RANK))]
        if path == SLOW_DOC:
            return path, 200, PAGE_SIZES[path]
        return path, 200, PAGE_SIZES[path] + int(rnd() * 160)

    def _search_engines(self) -> None:
        rnd, s = self.rnd, self.scale
        kind = BOT_KIND["search_engine"]
        ips = [f"66.249.{64 + int(rnd() * 16)}.{1 + int(rnd() * 254)}" for _ in range(4)]
        uas = (GOOGLEBOT, GOOGLEBOT_SMARTPHONE, GOOGLEBOT_SMARTPHONE)
        n = int((140 + rnd() * 110) * s)
        self._crawl(kind, ips, uas, n, 0, DAY, dead_rate=0.02, not_modified=0.25, robots_every=60)
        ips = [
            f"{('40.77.167', '157.55.39', '207.46.13')[int(rnd() * 3)]}.{1 + int(rnd() * 254)}"
            for _ in range(3)
        ]
        n = int((50 + rnd() * 70) * s)
        uas = (BINGBOT,)
        self._crawl(kind, ips, uas, n, 0, DAY, dead_rate=0.03, not_modified=0.1, robots_every=40)

    def _ai_crawlers(self) -> None:
        rnd, s = self.rnd, self.scale
        kind = BOT_KIND["ai_crawler"]
        if rnd() < 0.45:  # GPTBot comes in bursts
            lo = int(rnd() * (DAY - 7_200))
            ips = [f"20.171.207.{1 + int(rnd() * 254)}"]
            n = int((60 + rnd() * 160) * s)
            hi = lo + 1_800 + int(rnd() * 3_600)
            self._crawl(kind, ips, (GPTBOT,), n, lo, hi, dead_rate=0.04)
        if rnd() < 0.35:
            lo = int(rnd() * (DAY - 7_200))
            ips = [f"216.73.216.{1 + int(rnd() * 254)}" for _ in range(3)]
            n = int((50 + rnd() * 130) * s)
            hi = lo + 1_200 + int(rnd() * 5_400)
            self._crawl(kind, ips, (CLAUDEBOT,), n, lo, hi, dead_rate=0.04)
        # PerplexityBot: a handful of on-demand fetches
        ips = [f"44.221.181.{1 + int(rnd() * 254)}"]
        n = int((3 + rnd() * 15) * s)
        self._crawl(kind, ips, (PERPLEXITYBOT,), n, 0, DAY, dead_rate=0.02)

    def _seo_tools(self) -> None:
        rnd, s = self.rnd, self.scale
        kind = BOT_KIND["seo_tool"]
        ips = [f"54.36.148.{1 + int(rnd() * 254)}", f"51.222.253.{1 + int(rnd() * 254)}"]
        n = int((40 + rnd() * 80) * s)
        self._crawl(kind, ips, (AHREFSBOT,), n, 0, DAY, dead_rate=0.06, robots_every=50)
        ips = [f"185.191.171.{1 + int(rnd() * 254)}", f"85.208.96.{1 + int(rnd() * 254)}"]
        n = int((25 + rnd() * 55) * s)
        self._crawl(kind, ips, (SEMRUSHBOT,), n, 0, DAY, dead_rate=0.06, robots_every=50)

    # -- everything else --------------------------------------------------------------
    def _monitor(self) -> None:
        """UptimeRobot: HEAD / every five minutes from a rotating set of probes."""
        rnd = self.rnd
        kind = BOT_KIND["monitor"]
        for i, t in enumerate(range(17, DAY, 300)):
            t += int(rnd() * 3)
            rt = 8 + int(rnd() * 40)
            self._line(t, kind, MONITOR_IPS[i % 3], "HEAD", "/", 200, 0, UPTIMEROBOT, rt)

    def _scanners(self) -> None:
        """A few scanners a day, each firing a burst of probes (some look at / first)."""
        rnd = self.rnd
        kind = BOT_KIND["scanner"]
        for _ in range(4 + int(rnd() * 10)):
            t = int(rnd() * (DAY - 600))
            if rnd() < 0.95:
                ip = self.addresses.ipv4()
            else:
                ip = f"2a03:b0c0:3:d0::{self.rng.getrandbits(12):x}"
            ua = SCANNER_UAS[int(rnd() * len(SCANNER_UAS))]
            proto = "HTTP/1.1" if rnd() < 0.8 else "HTTP/1.0"
            if ua.startswith(("Mozilla/5.0 zgrab", "Mozilla/5.0 (compatible; Censys")):
                nbytes = PAGE_SIZES["/"] + int(rnd() * 160)
                rt = 6 + int(rnd() * 30)
                self._line(t, kind, ip, "GET", "/", 200, nbytes, ua, rt, proto)
                if rnd() < 0.5:
                    continue
            for _ in range(2 + int(rnd() * 28)):
                t += int(rnd() * 3)
                method, target, status = SCANNER_PROBE_TABLE[int(rnd() * len(SCANNER_PROBE_TABLE))]
                nbytes = ERROR_PAGE_BYTES[status]
                self._line(t, kind, ip, method, target, status, nbytes, ua, int(rnd() * 3), proto)

    def _automation(self) -> None:
        rnd = self.rnd
        kind = BOT_KIND["automation"]
        ips = self.automation_ips
        # someone's cron job checking the site and the API
        for _ in range(4 + int(rnd() * 8)):
            t = int(rnd() * DAY)
            ua = CURL_UAS[int(rnd() * 2)]
            if rnd() < 0.5:
                self._line(t, kind, ips[0], "GET", "/api/health", 200, 15, ua, 2)
            else:
                self._line(t, kind, ips[0], "HEAD", "/", 200, 0, ua, 9)
        # a price-watching script
        for _ in range(6 + int(rnd() * 18)):
            t = int(rnd() * DAY)
            ua = PYTHON_REQUESTS_UAS[0] if rnd() < 0.8 else PYTHON_REQUESTS_UAS[1]
            ip = ips[1 + int(rnd() * 2)]
            if rnd() < 0.6:
                target, nbytes = "/pricing", PAGE_SIZES["/pricing"] + int(rnd() * 160)
                rt = 12 + int(rnd() * 90)
            else:
                target, nbytes = "/api/plans", 912 + int(rnd() * 40)
                rt = 8 + int(rnd() * 40)
            self._line(t, kind, ip, "GET", target, 200, nbytes, ua, rt)

    def _stealth(self) -> None:
        """A scraper with a browser UA: 30-70 pages in office hours, never any asset."""
        rnd = self.rnd
        kind = BOT_KIND["stealth"]
        t = 8 * 3600 + int(rnd() * 3_600)
        for _ in range(30 + int(rnd() * 40)):
            t += 60 + int(rnd() * 600)
            if t >= 20 * 3600:
                break
            path = PAGE_RANK[int(rnd() * len(PAGE_RANK))]
            nbytes = PAGE_SIZES[path] + int(rnd() * 160)
            rt = 5 + int(250 * rnd() ** 3)
            self._line(t, kind, STEALTH_BOT_IP, "GET", path, 200, nbytes, STEALTH_UA, rt)
