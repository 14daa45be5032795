"""Human visitors: how many come each day, their sessions, and where they click next.

New and returning visitors (a bounded pool, some with a changed address or a
cold cache), extra campaign visitors while a campaign runs, daily and weekly
seasonality with a slow upward trend.  A session starts on a landing page that
depends on its entry source and follows links with think time in between; the
requests each pageview causes are written by :class:`PageRequests`.
"""

from __future__ import annotations

import datetime as dt
import random

from footfall.demo.audience import (
    BOUNCE,
    CAMPAIGN_BOUNCE,
    CAMPAIGN_LANDINGS,
    CAMPAIGN_REFERRERS,
    CAMPAIGNS,
    ENTRY_SOURCE,
    LANDING_BY_SOURCE,
    OLD_POST_REFERRER,
    REFERRAL_REFERRER,
    SEARCH_REFERRER,
    SOCIAL_REFERRER,
    WEBMAIL_REFERRERS,
    WEEKDAY_HOUR,
    WEEKEND_HOUR,
)
from footfall.demo.clients import HUMAN_UA_WEIGHTS, ClientAddresses
from footfall.demo.day_log import CAMPAIGN0, DAY, LAST_SECOND, PAGEVIEW, SESSION_START, DayLog
from footfall.demo.page_requests import PageRequests, Visitor
from footfall.demo.sampling import WeightedChoice
from footfall.demo.site import DOC_POPULARITY, PAGE_POPULARITY, POST_POPULARITY, SEARCH_TERMS
from footfall.demo.spec import DemoSpec

_BROWSER = WeightedChoice(HUMAN_UA_WEIGHTS)
_POOL_SIZE = 4_000  # returning visitors remembered
_SIGNUP_POST = "POST /signup"  # _next_page's answer for "submits the signup form"
_B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


class HumanTraffic:
    """Generates the human requests of each day into a :class:`DayLog`."""

    def __init__(self, spec: DemoSpec, rng: random.Random, addresses: ClientAddresses) -> None:
        self.rng = rng
        self.rnd = rng.random
        self.addresses = addresses
        self.requests = PageRequests(rng)
        self.site = f"https://{spec.site_host}"
        self.daily_visitors = spec.daily_visitors
        self.total_days = spec.days
        self.pool: list[Visitor] = []  # returning visitors, bounded
        self.pick_hour = WEEKDAY_HOUR

    def simulate_day(self, index: int, day: dt.date, log: DayLog) -> None:
        """All visitors of `day`, the `index`-th day of the period."""
        rnd = self.rnd
        self.requests.start_day(log)
        weekend = day.weekday() >= 5
        self.pick_hour = WEEKEND_HOUR if weekend else WEEKDAY_HOUR
        frac = index / max(1, self.total_days - 1)
        season = (1.12 if not weekend else 0.67) * (0.85 + 0.30 * frac)
        base = self.daily_visitors * season * (0.92 + 0.16 * rnd())
        for _ in range(int(base + rnd())):
            self._visitor_day(None)
        for ci, camp in enumerate(CAMPAIGNS):
            intensity = camp.intensity(index, self.total_days)
            if intensity > 0:
                n = self.daily_visitors * camp.share * intensity * (0.85 + 0.3 * rnd())
                for _ in range(int(n + rnd())):
                    self._visitor_day(ci)

    # -- visitors ---------------------------------------------------------------------
    def _visitor_day(self, campaign: int | None) -> None:
        """One visitor's day: a session, sometimes one or two more later on."""
        rnd = self.rnd
        if campaign is None and self.pool and rnd() < 0.24:
            visitor = self._returning_visitor()
        else:
            visitor = self._new_visitor()
        t = self.pick_hour(rnd) * 3600 + int(rnd() * 3600)
        self._session(visitor, t, campaign, returning=visitor.cached)
        # More sessions later the same day (after the 30 min inactivity cut-off).
        extra = 1 if rnd() < 0.16 else 0
        if extra and rnd() < 0.25:
            extra = 2
        for _ in range(extra):
            t += 1_900 + int(rnd() * 30_000)
            if t >= DAY:
                break
            visitor.cached = True
            self._session(visitor, t, None, returning=True)

    def _returning_visitor(self) -> Visitor:
        rnd = self.rnd
        visitor = self.pool[int(rnd() * len(self.pool))]
        visitor.cached = rnd() < 0.75
        if rnd() < 0.25:  # dynamic address changed since last time
            visitor.move_to(self.addresses.human())
        return visitor

    def _new_visitor(self) -> Visitor:
        rnd = self.rnd
        ua = _BROWSER(rnd)
        proto = "HTTP/2.0" if rnd() < 0.86 else "HTTP/1.1"
        visitor = Visitor(self.addresses.human(), ua, proto)
        if len(self.pool) < _POOL_SIZE:
            self.pool.append(visitor)
        else:
            self.pool[int(rnd() * _POOL_SIZE)] = visitor
        return visitor

    # -- sessions ---------------------------------------------------------------------
    def _session(self, v: Visitor, t: int, campaign: int | None, returning: bool) -> None:
        rnd = self.rnd
        if campaign is not None:
            target, ref = self._campaign_landing(campaign)
            bounce = CAMPAIGN_BOUNCE
            kind = CAMPAIGN0 + campaign
        else:
            source = "direct" if returning and rnd() < 0.45 else ENTRY_SOURCE(rnd)
            target, ref = self._landing(source)
            bounce = BOUNCE[source]
            kind = SESSION_START
        if rnd() < bounce:
            n_pages = 1
        else:
            n_pages = 2
            while n_pages < 18 and rnd() < 0.55:
                n_pages += 1
        self._browse(v, t, target, ref, kind, n_pages)

    def _browse(self, v: Visitor, t: int, target: str, ref: str, kind: int, n_pages: int) -> None:
        """Up to `n_pages` pageviews from the landing `target`; `kind` is the first one's."""
        rnd = self.rnd
        requests = self.requests
        site = self.site
        seen: set[str] = set()  # assets this session already loaded
        first = True
        page_no = 0
        while True:
            if t > LAST_SECOND - 60:
                return
            path = target.split("?", 1)[0]
            if path in ("/docs", "/blog"):
                requests.redirect(v, t, target, ref)
                target = path = path + "/"
                t += 1
            status = requests.page(v, t, target, path, ref, kind)
            kind = PAGEVIEW
            page_no += 1
            page_url = site + target
            if status < 400:
                requests.assets(v, t, path, page_url, seen, first)
                first = False
            t = requests.actions(v, t, path, page_url)
            if status >= 500 and rnd() < 0.7:
                return
            if page_no >= n_pages:
                return
            nxt = self._next_page(path, status)
            if nxt is None:
                return
            if nxt == _SIGNUP_POST:
                t = requests.signup(v, t + 20 + int(rnd() * 90), page_url)
                if t < 0:
                    return
                target = "/signup/thanks"
                ref = site + "/signup"
                continue
            # think time: mostly short, sometimes long reads
            t += 10 + int(350 * rnd() ** 2.2)
            target = nxt
            ref = page_url

    # -- where visitors land and go next ----------------------------------------------
    def _landing(self, source: str) -> tuple[str, str]:
        """(landing request target, referrer) for a non-campaign session."""
        rnd = self.rnd
        where = LANDING_BY_SOURCE[source](rnd)
        if where == "post":
            where = POST_POPULARITY(rnd)
        elif where == "doc":
            where = DOC_POPULARITY(rnd)
        if source == "direct":
            ref = "-"
            if where in ("/docs/", "/blog/") and rnd() < 0.2:
                where = where[:-1]  # typed without the slash: nginx answers 301
        elif source == "search":
            ref = SEARCH_REFERRER(rnd)
        elif source == "social":
            ref = SOCIAL_REFERRER(rnd)
            if ref == "https://t.co/":
                ref += self._token(10)
        elif source == "referral":
            ref = REFERRAL_REFERRER(rnd)
            if where == "/blog/old-post":
                ref = OLD_POST_REFERRER
        else:  # email (transactional / onboarding mails, no campaign)
            ref = "-" if rnd() < 0.8 else WEBMAIL_REFERRERS[int(rnd() * 2)]
            kind = "onboarding" if where != "/changelog" else "product_update"
            where += f"?utm_source={kind}&utm_medium=email"
        return where, ref

    def _campaign_landing(self, ci: int) -> tuple[str, str]:
        """(landing request target with UTM parameters, referrer) for campaign `ci`."""
        rnd = self.rnd
        camp = CAMPAIGNS[ci]
        where = CAMPAIGN_LANDINGS[ci](rnd)
        query = f"utm_source={camp.source}&utm_medium={camp.medium}&utm_campaign={camp.name}"
        if camp.name == "november_digest":
            query += "&utm_content=" + ("hero" if rnd() < 0.7 else "footer")
        if camp.click_id:
            query += f"&{camp.click_id}={camp.click_prefix}{self._token(36)}"
        return f"{where}?{query}", CAMPAIGN_REFERRERS[ci](rnd)

    def _token(self, n: int) -> str:
        return "".join(self.rng.choices(_B64URL, k=n))

    def _next_page(self, path: str, status: int) -> str | None:
        """Where the visitor goes after `path`: a page, the signup form POST, or away."""
        rnd = self.rnd
        r = rnd()
        if status >= 400:
            if path == "/blog/old-post":
                return "/blog/" if r < 0.5 else None
            return "/" if r < 0.4 else None
        if path == "/signup":
            return _SIGNUP_POST if r < 0.45 else ("/pricing" if r < 0.6 else None)
        if path == "/signup/thanks":
            return "/docs/getting-started" if r < 0.5 else None
        if path in ("/", "/features", "/product/dashboards", "/product/campaigns") and r < 0.09:
            return "/signup"
        if path == "/pricing" and r < 0.2:
            return "/signup"
        if path.startswith("/docs/"):
            if r < 0.06:
                return f"/search?q={SEARCH_TERMS[int(rnd() * len(SEARCH_TERMS))]}"
            if path == "/docs/install" and r < 0.1:
                return "/docs/legacy-setup"  # a stale internal link
            if r < 0.55:
                return DOC_POPULARITY(rnd)
        if path == "/search":
            return DOC_POPULARITY(rnd) if r < 0.6 else None
        if path.startswith("/blog/"):
            if r < 0.35:
                return POST_POPULARITY(rnd)
            if r < 0.45:
                return "/blog/"
        nxt = PAGE_POPULARITY(rnd)
        if nxt == path or nxt == "/signup/thanks":
            nxt = "/" if path != "/" else "/features"
        return nxt
