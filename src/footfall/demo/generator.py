"""Synthetic but realistic web-server access logs for demos, tests and benchmarks.

The generator writes an nginx/Apache *combined* log (optionally with nginx's
``$request_time`` appended) for a small product website over a period of days:

* humans: returning and new visitors with real-looking browser user agents,
  sessions of several pageviews separated by think time, static assets fetched
  with the page as referrer (200 or 304, nothing at all when cached), entry
  sources (direct, search, social, referral, email, three UTM campaigns), a
  signup funnel, a contact form, dead links, a slow search page;
* bots of every kind: search engines, AI crawlers, SEO tools, an uptime monitor,
  vulnerability scanners, command-line automation and one "stealth" scraper
  that uses a browser user agent but never loads assets;
* daily and weekly seasonality, a slow upward trend, short 5xx incidents.

Everything is driven by one seeded :class:`random.Random`, so a given
:class:`DemoSpec` always produces byte-identical output.  Generation is
streaming: one day of events is held in memory at a time (sorted cheaply by
second), so memory stays flat whatever the number of days.  Pure standard
library, no I/O besides the output file.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from bisect import bisect
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from types import MappingProxyType
from typing import Any, TextIO

__all__ = [
    "BOT_CATEGORIES",
    "BOT_USER_AGENTS",
    "CAMPAIGN_NAMES",
    "DEFAULT_SPEC",
    "HUMAN_USER_AGENTS",
    "SCANNER_PROBES",
    "STEALTH_BOT_IP",
    "DemoSpec",
    "DemoSummary",
    "iter_demo_lines",
    "write_bench_log",
    "write_demo_log",
]

# --------------------------------------------------------------------------- spec


@dataclass(frozen=True)
class DemoSpec:
    """What to generate.  All defaults give a six-week log of a small site."""

    days: int = 42
    end: dt.date = dt.date(2026, 11, 22)  # last day included (local time)
    daily_visitors: int = 600  # average human visitors per day, before seasonality
    seed: int = 7
    site_host: str = "www.example.com"
    with_request_time: bool = True  # append nginx $request_time as the last field
    utc_offset_minutes: int = 60  # timestamps are written in this fixed local offset

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError("days must be >= 1")
        if self.daily_visitors < 0:
            raise ValueError("daily_visitors must be >= 0")
        if not -14 * 60 <= self.utc_offset_minutes <= 14 * 60:
            raise ValueError("utc_offset_minutes must be within +/- 14 hours")
        if not self.site_host or any(c in self.site_host for c in ' "/'):
            raise ValueError("site_host must be a bare host name")

    @property
    def start(self) -> dt.date:
        """First day included."""
        return self.end - dt.timedelta(days=self.days - 1)

    @property
    def tzinfo(self) -> dt.timezone:
        return dt.timezone(dt.timedelta(minutes=self.utc_offset_minutes))


DEFAULT_SPEC = DemoSpec()

BOT_CATEGORIES: tuple[str, ...] = (
    "search_engine",
    "ai_crawler",
    "seo_tool",
    "monitor",
    "scanner",
    "automation",
    "stealth",
)


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`write_demo_log` wrote (counts are of written lines only).

    ``human_pageviews`` counts human ``GET`` requests for HTML pages that the
    browser rendered (any status except redirects); assets, API calls, form
    POSTs and redirects are not pageviews.  ``human_sessions`` is the number of
    those pageviews that start a session (ground truth, not recomputable from
    the log alone); ``campaign_sessions`` counts sessions whose landing URL
    carries each campaign's ``utm_campaign``.
    """

    lines: int
    first_timestamp: dt.datetime | None
    last_timestamp: dt.datetime | None
    human_requests: int
    human_pageviews: int
    human_sessions: int
    campaign_sessions: Mapping[str, int]
    bot_requests: Mapping[str, int] = field(default_factory=dict)

    @property
    def bot_total(self) -> int:
        return sum(self.bot_requests.values())


# --------------------------------------------------------------------- catalogue
# Kinds attached to every generated event; used for the summary only.
_K_PAGE = 0  # human pageview, not a session start
_K_HUMAN_OTHER = 1  # human asset / API / POST / redirect
_K_BOT0 = 2  # + index in BOT_CATEGORIES
_K_ENTRY = _K_BOT0 + len(BOT_CATEGORIES)  # human session start, no campaign
_K_CAMPAIGN0 = _K_ENTRY + 1  # + campaign index
_BOT_KIND = {name: _K_BOT0 + i for i, name in enumerate(BOT_CATEGORIES)}

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# (user agent, weight, HTTP/2 capable browser)
_HUMAN_UA_WEIGHTS: tuple[tuple[str, float], ...] = (
    # Chrome / Edge / Firefox on Windows
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/142.0.0.0 Safari/537.36",
        15,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/141.0.0.0 Safari/537.36",
        6,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0",
        6,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0",
        2,
    ),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0", 4),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0", 1.5),
    # macOS
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/142.0.0.0 Safari/537.36",
        8,
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/26.1 Safari/605.1.15",
        6,
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.6 Safari/605.1.15",
        2,
    ),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:145.0) Gecko/20100101 Firefox/145.0", 2),
    # iPhone / iPad
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1",
        11,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1",
        4,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) CriOS/142.0.7444.77 Mobile/15E148 Safari/604.1",
        2,
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/26.1 Mobile/15E148 Safari/604.1",
        2,
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.7 Mobile/15E148 Safari/604.1",
        0.8,
    ),
    # Android phones and tablets
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/142.0.0.0 Mobile Safari/537.36",
        12,
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/141.0.0.0 Mobile Safari/537.36",
        4,
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/142.0.0.0 Safari/537.36",
        1.2,
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; Lenovo TB-X606F) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/140.0.0.0 Safari/537.36",
        0.6,
    ),
    (
        "Mozilla/5.0 (Linux; Android 15; SAMSUNG SM-S931B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile Safari/537.36",
        3,
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/27.0 Chrome/125.0.0.0 Mobile Safari/537.36",
        1.5,
    ),
    ("Mozilla/5.0 (Android 15; Mobile; rv:145.0) Gecko/145.0 Firefox/145.0", 1),
    # Linux desktop
    ("Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0", 2),
    ("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:144.0) Gecko/20100101 Firefox/144.0", 1),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/142.0.0.0 Safari/537.36",
        1.5,
    ),
)
HUMAN_USER_AGENTS: tuple[str, ...] = tuple(ua for ua, _ in _HUMAN_UA_WEIGHTS)

_GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
_GOOGLEBOT_SMARTPHONE = (
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/142.0.7444.59 Mobile Safari/537.36 "
    "(compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
)
_BINGBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
    "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36"
)
_GPTBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
    "+https://openai.com/gptbot)"
)
_CLAUDEBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; "
    "+claudebot@anthropic.com)"
)
_PERPLEXITYBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; "
    "+https://perplexity.ai/perplexitybot)"
)
_AHREFS = "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"
_SEMRUSH = "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)"
_UPTIMEROBOT = "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"
_SCANNER_UAS: tuple[str, ...] = (
    "Mozilla/5.0 zgrab/0.x",
    "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/78.0.3904.108 Safari/537.36",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/41.0.2228.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:83.0) Gecko/20100101 Firefox/83.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_6) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/60.0.3112.113 Safari/537.36",
)
_CURL_UAS = ("curl/8.5.0", "curl/8.11.1")
_PYREQ_UAS = ("python-requests/2.32.3", "python-requests/2.31.0")
# The stealth scraper pretends to be the most common desktop browser.
_STEALTH_UA = HUMAN_USER_AGENTS[0]
STEALTH_BOT_IP = "45.134.140.23"

BOT_USER_AGENTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "search_engine": (_GOOGLEBOT, _GOOGLEBOT_SMARTPHONE, _BINGBOT),
        "ai_crawler": (_GPTBOT, _CLAUDEBOT, _PERPLEXITYBOT),
        "seo_tool": (_AHREFS, _SEMRUSH),
        "monitor": (_UPTIMEROBOT,),
        "scanner": _SCANNER_UAS,
        "automation": _CURL_UAS + _PYREQ_UAS,
        # Same string as a human browser: only behaviour (and its IP) gives it away.
        "stealth": (_STEALTH_UA,),
    }
)

# (method, request target, status) probed by vulnerability scanners; no human asks for these.
_SCANNER_PROBE_TABLE: tuple[tuple[str, str, int], ...] = (
    ("GET", "/.env", 403),
    ("GET", "/.env.production", 403),
    ("GET", "/api/.env", 403),
    ("GET", "/.git/config", 403),
    ("GET", "/.git/HEAD", 403),
    ("GET", "/.aws/credentials", 403),
    ("GET", "/.vscode/sftp.json", 403),
    ("GET", "/.DS_Store", 403),
    ("GET", "/wp-login.php", 404),
    ("GET", "/wp-admin/setup-config.php", 404),
    ("GET", "/wordpress/wp-admin/setup-config.php", 404),
    ("POST", "/xmlrpc.php", 404),
    ("GET", "/wp-content/plugins/wp-file-manager/readme.txt", 404),
    ("GET", "/phpmyadmin/", 404),
    ("GET", "/pma/index.php", 404),
    ("GET", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", 404),
    ("POST", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", 404),
    ("GET", "/info.php", 404),
    ("GET", "/phpinfo.php", 404),
    ("GET", "/config.json", 404),
    ("GET", "/backup.zip", 404),
    ("GET", "/server-status", 404),
    ("GET", "/actuator/env", 404),
    ("GET", "/_ignition/execute-solution", 404),
    ("GET", "/owa/auth/logon.aspx", 404),
    ("GET", "/cgi-bin/luci/;stok=/locale", 404),
    ("POST", "/boaform/admin/formLogin", 404),
    ("GET", "/HNAP1/", 404),
    ("GET", "/solr/admin/info/system?wt=json", 404),
    ("GET", "/index.php?s=/Index/\\think\\app/invokefunction&function=phpinfo", 404),
    ("GET", "/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh", 400),
)
SCANNER_PROBES: tuple[str, ...] = tuple(p for _, p, _ in _SCANNER_PROBE_TABLE)

_BLOG_SLUGS: tuple[str, ...] = (
    "cookieless-analytics-explained",
    "reading-your-access-logs",
    "utm-parameters-guide",
    "bot-traffic-in-2026",
    "migrating-from-google-analytics",
    "self-hosting-on-a-raspberry-pi",
    "gdpr-and-web-analytics",
    "bounce-rate-is-misleading",
    "nginx-log-formats",
    "measuring-campaigns-without-cookies",
    "what-counts-as-a-visit",
    "ai-crawlers-and-your-site",
    "duckdb-for-log-analytics",
    "referrer-policy-explained",
    "spotting-fake-traffic",
    "server-side-vs-client-side-analytics",
    "small-site-seo-checklist",
    "release-1-0",
    "release-0-9",
    "year-in-review-2025",
)
_DOCS = (
    "/docs/",
    "/docs/getting-started",
    "/docs/install",
    "/docs/configuration",
    "/docs/importing-logs",
    "/docs/tracker",
    "/docs/api-reference",  # one huge page, slow to render
)
_SLOW_DOC = "/docs/api-reference"
_PRODUCTS = ("/product/dashboards", "/product/campaigns", "/product/bot-filter", "/product/tracker")

# Site pages in popularity order (rank 1 first) with gzip'd HTML size in bytes.
_PAGE_SIZES: dict[str, int] = {
    "/": 14_820,
    "/pricing": 11_305,
    "/features": 12_960,
    "/blog/": 9_870,
    "/docs/": 7_412,
    "/login": 4_203,
    "/signup": 5_118,
    "/docs/getting-started": 10_544,
    "/about": 6_931,
    "/docs/install": 9_208,
    "/contact": 5_702,
    "/product/dashboards": 10_077,
    "/docs/configuration": 13_960,
    "/product/campaigns": 9_640,
    "/docs/importing-logs": 11_733,
    "/changelog": 18_402,
    "/product/bot-filter": 9_023,
    "/docs/tracker": 8_876,
    "/product/tracker": 8_410,
    "/docs/api-reference": 96_114,
    "/privacy": 7_650,
    "/terms": 8_120,
    "/signup/thanks": 3_911,
}
for _i, _slug in enumerate(_BLOG_SLUGS):
    _PAGE_SIZES[f"/blog/{_slug}"] = 8_500 + (_i * 2_731) % 9_000


def _rank_pages() -> tuple[str, ...]:
    """Popularity order: the main pages with blog posts interleaved from rank 5 on."""
    main = [p for p in _PAGE_SIZES if not p.startswith("/blog/") or p == "/blog/"]
    posts = [f"/blog/{s}" for s in _BLOG_SLUGS]
    ranked = main[:4]
    rest = main[4:]
    while rest or posts:
        if posts:
            ranked.append(posts.pop(0))
        if rest:
            ranked.append(rest.pop(0))
    return tuple(ranked)


_PAGE_RANK = _rank_pages()

_DEAD_LINKS = {"/blog/old-post": 3_322, "/pricing-old": 3_322, "/docs/legacy-setup": 3_322}
_ERROR_PAGE_BYTES = {404: 3_322, 403: 153, 400: 157, 500: 2_104, 502: 157, 503: 197}

# Static assets: path -> gzip'd size.
_ASSET_SIZES: dict[str, int] = {
    "/static/app.css": 7_412,
    "/static/app.js": 41_208,
    "/img/logo.png": 4_861,
    "/favicon.ico": 1_150,
    "/img/hero-home.png": 84_310,
    "/img/screenshot-dashboard.png": 132_904,
    "/img/pricing-plans.png": 22_517,
    "/img/team.png": 61_780,
    "/img/diagram-pipeline.png": 38_215,
    "/img/campaign-report.png": 57_402,
}
for _slug in _BLOG_SLUGS:
    _ASSET_SIZES[f"/img/blog/{_slug}.png"] = 25_000 + (len(_slug) * 3_917) % 60_000
_PAGE_IMAGES: dict[str, tuple[str, ...]] = {
    "/": ("/img/hero-home.png", "/img/screenshot-dashboard.png"),
    "/features": ("/img/screenshot-dashboard.png", "/img/diagram-pipeline.png"),
    "/pricing": ("/img/pricing-plans.png",),
    "/about": ("/img/team.png",),
    "/product/dashboards": ("/img/screenshot-dashboard.png",),
    "/product/campaigns": ("/img/campaign-report.png",),
    "/docs/importing-logs": ("/img/diagram-pipeline.png",),
}
for _slug in _BLOG_SLUGS:
    _PAGE_IMAGES[f"/blog/{_slug}"] = (f"/img/blog/{_slug}.png",)
_SHARED_ASSETS = ("/static/app.css", "/static/app.js", "/img/logo.png")

_SEARCH_TERMS = (
    "import+nginx+logs",
    "utm",
    "bots",
    "docker",
    "retention",
    "api+token",
    "tracker+snippet",
    "geoip",
    "export+csv",
    "campaign",
)

_SEARCH_REFERRERS = (
    ("https://www.google.com/", 48),
    ("https://www.google.de/", 6),
    ("https://www.google.co.uk/", 5),
    ("https://www.google.fr/", 4),
    ("https://www.google.nl/", 2),
    ("https://www.google.es/", 2),
    ("https://www.bing.com/", 9),
    ("https://duckduckgo.com/", 7),
    ("https://search.brave.com/", 1.5),
    ("https://www.ecosia.org/", 1),
    ("https://yandex.ru/", 0.5),
)
_SOCIAL_REFERRERS = (
    ("https://t.co/", 14),
    ("https://www.facebook.com/", 5),
    ("https://l.facebook.com/", 6),
    ("https://m.facebook.com/", 3),
    ("https://www.linkedin.com/", 9),
    ("https://www.reddit.com/r/selfhosted/", 8),
    ("https://www.reddit.com/r/webdev/", 4),
    ("https://old.reddit.com/r/analytics/", 1.5),
    ("https://news.ycombinator.com/", 6),
    ("https://mastodon.social/", 3),
    ("https://bsky.app/", 2),
)
_REFERRAL_REFERRERS = (
    ("https://lobste.rs/s/7ghm2x/reading_your_access_logs", 3),
    ("https://dev.to/ops-notes/self-hosted-analytics-compared-4kd1", 4),
    ("https://www.smallweb-digest.net/issues/112", 2),
    ("https://blog.nicolas-ferrand.fr/2026/10/analytics-sans-cookies/", 2),
    ("https://alternativeto.net/software/google-analytics/", 4),
    ("https://github.com/topics/web-analytics", 3),
    ("https://www.privacyguides.org/en/", 1.5),
    ("https://techweekly-news.com/articles/cookieless-tracking", 2),
)
_WEBMAIL_REFERRERS = ("https://mail.google.com/", "https://outlook.live.com/")
_B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@dataclass(frozen=True)
class _Campaign:
    name: str
    source: str
    medium: str
    share: float  # extra visitors while active, as a fraction of daily visitors
    landings: tuple[tuple[str, float], ...]
    referrers: tuple[tuple[str, float], ...]
    click_id: str = ""  # gclid / fbclid
    click_prefix: str = ""
    windows: tuple[tuple[float, float], ...] = ()  # fractions of the period
    sends: tuple[float, ...] = ()  # newsletter send days, fractions of the period


_CAMPAIGNS: tuple[_Campaign, ...] = (
    _Campaign(
        name="winter_sale",
        source="google",
        medium="cpc",
        share=0.10,
        landings=(("/pricing", 6), ("/product/dashboards", 2), ("/", 1)),
        referrers=(("https://www.google.com/", 9), ("https://www.google.de/", 1)),
        click_id="gclid",
        click_prefix="Cj0KCQiA",
        windows=((0.58, 1.0),),
    ),
    _Campaign(
        name="launch_video",
        source="facebook",
        medium="paid_social",
        share=0.08,
        landings=(("/features", 5), ("/", 3), ("/product/campaigns", 1)),
        referrers=(
            ("https://l.facebook.com/", 5),
            ("https://m.facebook.com/", 3),
            ("https://www.facebook.com/", 1),
            ("https://lm.facebook.com/", 1),
        ),
        click_id="fbclid",
        click_prefix="IwAR",
        windows=((0.12, 0.45),),
    ),
    _Campaign(
        name="november_digest",
        source="newsletter",
        medium="email",
        share=0.16,
        landings=(
            (f"/blog/{_BLOG_SLUGS[2]}", 4),
            (f"/blog/{_BLOG_SLUGS[9]}", 3),
            ("/changelog", 2),
            ("/pricing", 1),
        ),
        referrers=(("-", 8), ("https://mail.google.com/", 1.5), ("https://outlook.live.com/", 0.5)),
        sends=(0.30, 0.78),
    ),
)
CAMPAIGN_NAMES: tuple[str, ...] = tuple(c.name for c in _CAMPAIGNS)

# Hour-of-day weights (local time) for human traffic.
_HOURS_WEEKDAY = (
    0.30, 0.17, 0.11, 0.08, 0.08, 0.12, 0.28, 0.55, 0.85, 1.05, 1.20, 1.25,
    1.05, 1.00, 1.00, 0.98, 0.95, 0.90, 0.95, 1.08, 1.18, 1.05, 0.78, 0.50,
)  # fmt: skip
_HOURS_WEEKEND = (
    0.42, 0.28, 0.18, 0.12, 0.09, 0.09, 0.14, 0.25, 0.45, 0.75, 1.00, 1.12,
    1.10, 1.00, 0.95, 0.95, 0.95, 0.95, 1.00, 1.12, 1.20, 1.10, 0.85, 0.60,
)  # fmt: skip

# First octets of public IPv4 space commonly seen for eyeball networks (EU/US heavy).
_IPV4_FIRST = (
    (2, 3), (5, 4), (31, 3), (37, 3), (46, 3), (62, 2), (77, 3), (78, 3), (79, 2), (80, 3),
    (81, 3), (82, 3), (83, 2), (84, 3), (85, 2), (86, 3), (87, 2), (88, 3), (89, 2), (90, 3),
    (91, 3), (92, 3), (93, 3), (94, 2), (95, 3), (109, 2), (151, 2), (176, 3), (178, 2),
    (188, 2), (212, 2), (213, 2), (217, 2), (24, 3), (47, 2), (50, 2), (67, 2), (68, 2),
    (71, 2), (73, 3), (75, 2), (76, 2), (98, 2), (99, 2), (108, 2), (174, 2), (184, 2),
    (1, 1), (14, 1), (27, 1), (49, 1), (101, 1), (110, 1), (115, 1), (121, 1), (177, 2),
    (179, 1), (186, 1), (189, 1), (191, 1), (201, 1), (41, 1), (102, 1), (105, 1), (197, 1),
)  # fmt: skip
_IPV6_PREFIXES = (
    ("2a02:", 4), ("2a01:", 3), ("2003:", 2), ("2a00:", 2), ("2600:", 3), ("2601:", 3),
    ("2a0a:", 1), ("2409:", 1), ("2405:", 1), ("2804:", 1),
)  # fmt: skip

# ------------------------------------------------------------------ small helpers


class _Pick:
    """Weighted choice with one ``random()`` call and a bisect."""

    __slots__ = ("cum", "items", "last", "total")

    def __init__(self, pairs: Sequence[tuple[object, float]]) -> None:
        items: list[object] = []
        cum: list[float] = []
        acc = 0.0
        for item, weight in pairs:
            if weight > 0:
                acc += weight
                items.append(item)
                cum.append(acc)
        if not items:
            raise ValueError("no positive weight")
        self.items = items
        self.cum = cum
        self.total = acc
        self.last = len(items) - 1

    def __call__(self, rnd: Callable[[], float]) -> Any:
        return self.items[bisect(self.cum, rnd() * self.total, 0, self.last)]


def _zipf(items: Sequence[str], s: float = 1.0, head: float = 1.0) -> _Pick:
    return _Pick([(it, head / (i + 1) ** s) for i, it in enumerate(items)])


@lru_cache(maxsize=1)
def _tod_table() -> tuple[str, ...]:
    return tuple(
        f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)
    )


@lru_cache(maxsize=1)
def _ms_table() -> tuple[str, ...]:
    """`` 0.123`` strings for 0..9999 ms (nginx $request_time, seconds with 3 decimals)."""
    return tuple(f" {ms // 1000}.{ms % 1000:03d}" for ms in range(10_000))


def _offset_text(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


def _date_prefix(day: dt.date) -> str:
    return f"{day.day:02d}/{_MONTHS[day.month - 1]}/{day.year}:"


_DAY = 86_400
_BOUNCE = {"direct": 0.30, "search": 0.42, "social": 0.55}  # single-page session odds
_LAST_SECOND = 2 * _DAY - 1  # events may spill into the next day, never further

# ------------------------------------------------------------------- generation


class _Visitor:
    __slots__ = ("cached", "ip", "ipp", "proto", "ua")

    def __init__(self, ip: str, ua: str, proto: str) -> None:
        self.ip = ip
        self.ipp = ip + " - - ["
        self.ua = ua
        self.proto = proto
        self.cached = False


class _Generator:
    """Produces, day by day, the events of the period (sorted within a day)."""

    def __init__(self, spec: DemoSpec) -> None:
        self.spec = spec
        self.rng = random.Random(spec.seed)
        self.rnd = self.rng.random
        self.site = f"https://{spec.site_host}"
        self.tz = " " + _offset_text(spec.utc_offset_minutes) + "]"
        self.tod = _tod_table()
        self.ms = _ms_table() if spec.with_request_time else None
        # Bots scale gently with the size of the audience.
        self.bot_scale = max(0.25, math.sqrt(max(spec.daily_visitors, 1) / 600))
        self.pool: list[_Visitor] = []  # returning visitors, bounded

        self.pick_ua = _Pick(_HUMAN_UA_WEIGHTS)
        self.pick_first_octet = _Pick(_IPV4_FIRST)
        self.pick_v6 = _Pick(_IPV6_PREFIXES)
        self.pick_hour_wd = _Pick(list(enumerate(_HOURS_WEEKDAY)))
        self.pick_hour_we = _Pick(list(enumerate(_HOURS_WEEKEND)))
        self.pick_search_ref = _Pick(_SEARCH_REFERRERS)
        self.pick_social_ref = _Pick(_SOCIAL_REFERRERS)
        self.pick_referral_ref = _Pick(_REFERRAL_REFERRERS)
        self.pick_source = _Pick(
            [("direct", 30), ("search", 37), ("social", 10), ("referral", 7), ("email", 4)]
        )
        posts = [f"/blog/{s}" for s in _BLOG_SLUGS]
        self.pick_post = _zipf(posts, 0.9)
        self.pick_any_page = _zipf(_PAGE_RANK, 1.05)
        self.pick_doc = _zipf(_DOCS, 0.8)
        self.pick_landing = {
            "direct": _Pick(
                [
                    ("/", 55),
                    ("/login", 12),
                    ("/pricing", 8),
                    ("/docs/", 6),
                    ("/blog/", 5),
                    ("/docs/getting-started", 4),
                    ("/features", 4),
                    ("/changelog", 2),
                    (posts[0], 2),
                    ("/contact", 1),
                    ("/about", 1),
                ]
            ),
            "search": _Pick(
                [
                    ("post", 48),
                    ("/", 18),
                    ("doc", 20),
                    ("/features", 4),
                    ("/pricing", 4),
                    ("/pricing-old", 1.5),
                    ("/product/dashboards", 2),
                    ("/about", 1),
                    ("/product/bot-filter", 1.5),
                ]
            ),
            "social": _Pick([("post", 70), ("/", 18), ("/features", 6), ("/changelog", 6)]),
            "referral": _Pick([("post", 45), ("/", 35), ("/blog/old-post", 10), ("doc", 10)]),
            "email": _Pick([("/login", 50), ("doc", 30), ("/changelog", 20)]),
        }
        self.campaign_landing = [_Pick(c.landings) for c in _CAMPAIGNS]
        self.campaign_ref = [_Pick(c.referrers) for c in _CAMPAIGNS]
        self.automation_ips = (self._ipv4(), self._ipv4(), self._ipv4())
        self.uptime_ips = ("216.144.248.18", "69.162.124.235", "63.143.42.244")
        self.total_days = spec.days
        # Per-day state, set by day_events().
        self.out: list[tuple[int, int, str]] = []
        self.stamp: Callable[[int], str] = str
        self.pick_hour = self.pick_hour_wd
        self.err_lo = self.err_hi = -1  # 5xx incident window (seconds of day)
        self.err_status = 502

    # -- primitives ------------------------------------------------------------------
    def _ipv4(self) -> str:
        gb = self.rng.getrandbits
        first = self.pick_first_octet(self.rnd)
        return f"{first}.{gb(8)}.{gb(8)}.{1 + gb(8) % 254}"

    def _human_ip(self) -> str:
        if self.rnd() < 0.09:
            gb = self.rng.getrandbits
            return (
                f"{self.pick_v6(self.rnd)}{gb(16):x}:{gb(16):x}:{gb(16):x}:"
                f"{gb(16):x}:{gb(16):x}:{gb(16):x}:{gb(16):x}"
            )
        return self._ipv4()

    def _token(self, n: int) -> str:
        rng = self.rng
        return "".join(rng.choices(_B64URL, k=n))

    def _new_visitor(self) -> _Visitor:
        ua = self.pick_ua(self.rnd)
        proto = "HTTP/2.0" if self.rnd() < 0.86 else "HTTP/1.1"
        return _Visitor(self._human_ip(), ua, proto)

    # -- a day -----------------------------------------------------------------------
    def day_events(self, index: int, day: dt.date) -> list[tuple[int, int, str]]:
        """Events (second of day, kind, line) starting on `day`; seconds may exceed 86399."""
        rnd = self.rnd
        out: list[tuple[int, int, str]] = []
        p0 = _date_prefix(day)
        p1 = _date_prefix(day + dt.timedelta(days=1))
        tod = self.tod
        tz = self.tz

        def stamp(t: int) -> str:
            if t < _DAY:
                return p0 + tod[t] + tz
            return p1 + tod[t - _DAY] + tz

        self.stamp = stamp
        self.out = out
        frac = index / max(1, self.total_days - 1)
        weekend = day.weekday() >= 5
        self.pick_hour = self.pick_hour_we if weekend else self.pick_hour_wd

        # Incidents: a short window where /signup and /api/* fail with 5xx.
        self.err_lo = self.err_hi = -1
        if rnd() < 0.3:
            self.err_lo = int(rnd() * (_DAY - 3_600))
            self.err_hi = self.err_lo + 600 + int(rnd() * 1_800)
            self.err_status = 502 if rnd() < 0.6 else 503

        # Humans.
        season = (1.12 if not weekend else 0.67) * (0.85 + 0.30 * frac)
        base = self.spec.daily_visitors * season * (0.92 + 0.16 * rnd())
        for _ in range(int(base + rnd())):
            self._visitor_day(None)
        for ci, camp in enumerate(_CAMPAIGNS):
            intensity = self._campaign_intensity(camp, index)
            if intensity > 0:
                n = self.spec.daily_visitors * camp.share * intensity * (0.85 + 0.3 * rnd())
                for _ in range(int(n + rnd())):
                    self._visitor_day(ci)

        # Bots.
        self._search_engines()
        self._ai_crawlers()
        self._seo_tools()
        self._monitor()
        self._scanners()
        self._automation()
        self._stealth()
        return out

    def _campaign_intensity(self, camp: _Campaign, index: int) -> float:
        days = self.total_days
        intensity = 0.0
        for lo, hi in camp.windows:
            first = int(lo * (days - 1) + 0.5)
            last = int(hi * (days - 1) + 0.5)
            if first <= index <= last:
                intensity = max(intensity, 1.0)
        for when in camp.sends:
            send = int(when * (days - 1) + 0.5)
            age = index - send
            if 0 <= age < 5:
                intensity = max(intensity, (1.0, 0.35, 0.12, 0.05, 0.02)[age])
        return intensity

    def _start_second(self) -> int:
        return self.pick_hour(self.rnd) * 3600 + int(self.rnd() * 3600)

    def _visitor_day(self, campaign: int | None) -> None:
        rnd = self.rnd
        pool = self.pool
        if campaign is None and pool and rnd() < 0.24:
            visitor = pool[int(rnd() * len(pool))]
            visitor.cached = rnd() < 0.75
            if rnd() < 0.25:  # dynamic address changed since last time
                visitor.ip = self._human_ip()
                visitor.ipp = visitor.ip + " - - ["
        else:
            visitor = self._new_visitor()
            if len(pool) < 4_000:
                pool.append(visitor)
            else:
                pool[int(rnd() * 4_000)] = visitor
        t = self._start_second()
        self._session(visitor, t, campaign, returning=visitor.cached)
        # More sessions later the same day (after the 30 min inactivity cut-off).
        extra = 1 if rnd() < 0.16 else 0
        if extra and rnd() < 0.25:
            extra = 2
        for _ in range(extra):
            t += 1_900 + int(rnd() * 30_000)
            if t >= _DAY:
                break
            visitor.cached = True
            self._session(visitor, t, None, returning=True)

    def _landing(self, source: str) -> tuple[str, str]:
        """(landing request target, referrer) for a non-campaign session."""
        rnd = self.rnd
        where = self.pick_landing[source](rnd)
        if where == "post":
            where = self.pick_post(rnd)
        elif where == "doc":
            where = self.pick_doc(rnd)
        if source == "direct":
            ref = "-"
            if where in ("/docs/", "/blog/") and rnd() < 0.2:
                where = where[:-1]  # typed without the slash: nginx answers 301
        elif source == "search":
            ref = self.pick_search_ref(rnd)
        elif source == "social":
            ref = self.pick_social_ref(rnd)
            if ref == "https://t.co/":
                ref += self._token(10)
        elif source == "referral":
            ref = self.pick_referral_ref(rnd)
            if where == "/blog/old-post":
                ref = "https://forum.selfhosters.org/t/which-analytics-do-you-use/8812"
        else:  # email (transactional / onboarding mails, no campaign)
            ref = "-" if rnd() < 0.8 else _WEBMAIL_REFERRERS[int(rnd() * 2)]
            kind = "onboarding" if where != "/changelog" else "product_update"
            where += f"?utm_source={kind}&utm_medium=email"
        return where, ref

    def _campaign_landing(self, ci: int) -> tuple[str, str]:
        rnd = self.rnd
        camp = _CAMPAIGNS[ci]
        where = self.campaign_landing[ci](rnd)
        query = f"utm_source={camp.source}&utm_medium={camp.medium}&utm_campaign={camp.name}"
        if camp.name == "november_digest":
            query += "&utm_content=" + ("hero" if rnd() < 0.7 else "footer")
        if camp.click_id:
            query += f"&{camp.click_id}={camp.click_prefix}{self._token(36)}"
        return f"{where}?{query}", self.campaign_ref[ci](rnd)

    def _session(self, v: _Visitor, t: int, campaign: int | None, returning: bool) -> None:
        rnd = self.rnd
        if campaign is not None:
            target, ref = self._campaign_landing(campaign)
            bounce = 0.50
            entry_kind = _K_CAMPAIGN0 + campaign
        else:
            source = "direct" if returning and rnd() < 0.45 else self.pick_source(rnd)
            target, ref = self._landing(source)
            bounce = _BOUNCE.get(source, 0.36)
            entry_kind = _K_ENTRY
        # Pageviews in this session.
        if rnd() < bounce:
            n_pages = 1
        else:
            n_pages = 2
            while n_pages < 18 and rnd() < 0.55:
                n_pages += 1

        out = self.out
        stamp = self.stamp
        ipp = v.ipp
        ua = v.ua
        proto = v.proto
        ms = self.ms
        site = self.site
        seen: set[str] = set()
        first = True
        kind = entry_kind
        page_no = 0
        while True:
            if t > _LAST_SECOND - 60:
                return
            path = target.split("?", 1)[0]
            # nginx redirect for the slash-less directory URLs
            if path in ("/docs", "/blog"):
                out.append(
                    (
                        t,
                        _K_HUMAN_OTHER,
                        f'{ipp}{stamp(t)} "GET {target} {proto}" 301 169 "{ref}" "{ua}"'
                        + (ms[int(rnd() * 2)] if ms else ""),
                    )
                )
                target = path = path + "/"
                t += 1
            status, nbytes, rt_ms = self._page_response(path, t)
            line = f'{ipp}{stamp(t)} "GET {target} {proto}" {status} {nbytes} "{ref}" "{ua}"'
            out.append((t, kind, line + ms[rt_ms] if ms else line))
            kind = _K_PAGE
            page_no += 1
            page_url = site + target
            if status < 400:
                self._assets(v, t, path, page_url, seen, first)
                first = False
            t = self._page_actions(v, t, path, page_url)
            if status >= 500 and rnd() < 0.7:
                return
            if page_no >= n_pages:
                return
            nxt = self._next_page(path, status)
            if nxt is None:
                return
            if nxt == "POST /signup":
                t = self._signup_post(v, t + 20 + int(rnd() * 90), page_url)
                if t < 0:
                    return
                target = "/signup/thanks"
                ref = site + "/signup"
                continue
            # think time: mostly short, sometimes long reads
            t += 10 + int(350 * rnd() ** 2.2)
            target = nxt
            ref = page_url

    def _page_response(self, path: str, t: int) -> tuple[int, int, int]:
        rnd = self.rnd
        if path in _DEAD_LINKS:
            return 404, _DEAD_LINKS[path], 2 + int(rnd() * 6)
        if path == "/signup" and self.err_lo <= t <= self.err_hi and rnd() < 0.7:
            s = self.err_status
            return s, _ERROR_PAGE_BYTES[s], (int(rnd() * 3) if s == 503 else 60 + int(rnd() * 900))
        if path == "/search" or path == _SLOW_DOC:
            base = 21_000 if path == "/search" else _PAGE_SIZES[path]
            return 200, base + int(rnd() * 900), 1_500 + int(4_500 * rnd() ** 1.5)
        if rnd() < 0.0008:
            return 500, _ERROR_PAGE_BYTES[500], 30 + int(rnd() * 400)
        return 200, _PAGE_SIZES[path] + int(rnd() * 160), 5 + int(295 * rnd() ** 3)

    def _assets(
        self, v: _Visitor, t: int, path: str, page_url: str, seen: set[str], first: bool
    ) -> None:
        """Static assets loaded by a rendered page (nothing when in the browser cache)."""
        rnd = self.rnd
        images = _PAGE_IMAGES.get(path, ())
        revalidate = False
        if not first:
            revalidate = rnd() < 0.06  # occasional revalidation of the bundle on later pages
            if not revalidate and not images:
                return  # the common case: everything already in the memory cache
        out = self.out
        ms = self.ms
        cached = v.cached
        tail = f' "{page_url}" "{v.ua}"'
        head = f'{v.ipp}{self.stamp(t)} "GET '
        proto = f' {v.proto}" '
        if first:
            if not cached:
                for a in _SHARED_ASSETS:
                    line = f"{head}{a}{proto}200 {_ASSET_SIZES[a]}{tail}"
                    out.append((t, _K_HUMAN_OTHER, line + ms[int(rnd() * 25)] if ms else line))
                    seen.add(a)
                line = f'{v.ipp}{self.stamp(t + 1)} "GET /favicon.ico{proto}200 1150{tail}'
                out.append((t + 1, _K_HUMAN_OTHER, line + ms[0] if ms else line))
            elif rnd() < 0.55:  # revalidation of the cached bundle
                for a in _SHARED_ASSETS:
                    line = f"{head}{a}{proto}304 0{tail}"
                    out.append((t, _K_HUMAN_OTHER, line + ms[int(rnd() * 3)] if ms else line))
                    seen.add(a)
        elif revalidate:
            a = _SHARED_ASSETS[int(rnd() * 3)]
            line = f"{head}{a}{proto}304 0{tail}"
            out.append((t, _K_HUMAN_OTHER, line + ms[int(rnd() * 3)] if ms else line))
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
                line = f"{head1}{a}{proto}200 {_ASSET_SIZES[a]}{tail}"
            out.append((t + 1, _K_HUMAN_OTHER, line + ms[int(rnd() * 40)] if ms else line))

    def _api(
        self, v: _Visitor, t: int, method: str, target: str, page_url: str, ok: int, ok_bytes: int
    ) -> int:
        rnd = self.rnd
        status, nbytes, rt = ok, ok_bytes, 8 + int(rnd() * 120)
        if self.err_lo <= t <= self.err_hi and rnd() < 0.7:
            status, nbytes = self.err_status, _ERROR_PAGE_BYTES[self.err_status]
        elif rnd() < 0.002:
            status, nbytes = 500, 41
        line = (
            f'{v.ipp}{self.stamp(t)} "{method} {target} {v.proto}" {status} {nbytes} '
            f'"{page_url}" "{v.ua}"'
        )
        self.out.append((t, _K_HUMAN_OTHER, line + self.ms[rt] if self.ms else line))
        return status

    def _page_actions(self, v: _Visitor, t: int, path: str, page_url: str) -> int:
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

    def _signup_post(self, v: _Visitor, t: int, page_url: str) -> int:
        """POST /signup; returns the time of the follow-up page or -1 if the session ends."""
        rnd = self.rnd
        ms = self.ms
        if self.err_lo <= t <= self.err_hi and rnd() < 0.7:
            status, nbytes, rt = self.err_status, _ERROR_PAGE_BYTES[self.err_status], 2
        elif rnd() < 0.01:
            status, nbytes, rt = 500, _ERROR_PAGE_BYTES[500], 200 + int(rnd() * 400)
        else:
            status, nbytes, rt = 302, 0, 90 + int(rnd() * 350)
        line = (
            f'{v.ipp}{self.stamp(t)} "POST /signup {v.proto}" {status} {nbytes} '
            f'"{page_url}" "{v.ua}"'
        )
        self.out.append((t, _K_HUMAN_OTHER, line + ms[rt] if ms else line))
        return t + 1 if status == 302 else -1

    def _next_page(self, path: str, status: int) -> str | None:
        rnd = self.rnd
        r = rnd()
        if status >= 400:
            if path == "/blog/old-post":
                return "/blog/" if r < 0.5 else None
            return "/" if r < 0.4 else None
        if path == "/signup":
            return "POST /signup" if r < 0.45 else ("/pricing" if r < 0.6 else None)
        if path == "/signup/thanks":
            return "/docs/getting-started" if r < 0.5 else None
        if path in ("/", "/features", "/product/dashboards", "/product/campaigns") and r < 0.09:
            return "/signup"
        if path == "/pricing" and r < 0.2:
            return "/signup"
        if path.startswith("/docs/"):
            if r < 0.06:
                return f"/search?q={_SEARCH_TERMS[int(rnd() * len(_SEARCH_TERMS))]}"
            if path == "/docs/install" and r < 0.1:
                return "/docs/legacy-setup"  # a stale internal link
            if r < 0.55:
                return self.pick_doc(rnd)
        if path == "/search":
            return self.pick_doc(rnd) if r < 0.6 else None
        if path.startswith("/blog/"):
            if r < 0.35:
                return self.pick_post(rnd)
            if r < 0.45:
                return "/blog/"
        nxt = self.pick_any_page(rnd)
        if nxt == path or nxt == "/signup/thanks":
            nxt = "/" if path != "/" else "/features"
        return nxt

    # -- bots -------------------------------------------------------------------------
    def _bot_line(
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
        ref: str = "-",
        proto: str = "HTTP/1.1",
    ) -> None:
        if t > _LAST_SECOND:
            return
        line = (
            f'{ip} - - [{self.stamp(t)} "{method} {target} {proto}" {status} {nbytes} '
            f'"{ref}" "{ua}"'
        )
        self.out.append((t, kind, line + self.ms[rt] if self.ms else line))

    def _crawl_target(self, dead_rate: float) -> tuple[str, int, int]:
        rnd = self.rnd
        r = rnd()
        if r < dead_rate:
            path = ("/blog/old-post", "/pricing-old", "/docs/legacy-setup")[int(rnd() * 3)]
            return path, 404, _DEAD_LINKS[path]
        if r < dead_rate + 0.01:
            return "/blog", 301, 169
        if r < dead_rate + 0.03:
            return "/sitemap.xml", 200, 5_412
        # crawlers spread more evenly than humans over the site
        path = self.pick_any_page(rnd) if rnd() < 0.5 else _PAGE_RANK[int(rnd() * len(_PAGE_RANK))]
        if path == _SLOW_DOC:
            return path, 200, _PAGE_SIZES[path]
        return path, 200, _PAGE_SIZES[path] + int(rnd() * 160)

    def _crawler(
        self,
        kind: int,
        ips: Sequence[str],
        uas: Sequence[str],
        n: int,
        lo: int,
        hi: int,
        not_modified: float,
        dead_rate: float,
        robots_every: int = 0,
    ) -> None:
        """`n` page fetches between seconds lo..hi, robots.txt first and every so often."""
        rnd = self.rnd
        if n <= 0:
            return
        times = sorted(lo + int(rnd() * (hi - lo)) for _ in range(n))
        ip = ips[int(rnd() * len(ips))]
        self._bot_line(max(0, times[0] - 2), kind, ip, "GET", "/robots.txt", 200, 67, uas[0], 1)
        for i, t in enumerate(times):
            if robots_every and i and i % robots_every == 0:
                ip = ips[int(rnd() * len(ips))]
                self._bot_line(t, kind, ip, "GET", "/robots.txt", 200, 67, uas[0], 1)
                t += 1
            target, status, nbytes = self._crawl_target(dead_rate)
            rt = 2 + int(rnd() * 6) if status != 200 else 5 + int(250 * rnd() ** 3)
            if target == _SLOW_DOC:
                rt = 1_500 + int(rnd() * 4_500)
            if status == 200 and target != "/sitemap.xml" and rnd() < not_modified:
                status, nbytes = 304, 0
            ua = uas[int(rnd() * len(uas))]
            self._bot_line(t, kind, ip, "GET", target, status, nbytes, ua, rt)

    def _search_engines(self) -> None:
        rnd, s = self.rnd, self.bot_scale
        kind = _BOT_KIND["search_engine"]
        google_ips = [f"66.249.{64 + int(rnd() * 16)}.{1 + int(rnd() * 254)}" for _ in range(4)]
        self._crawler(
            kind,
            google_ips,
            (_GOOGLEBOT, _GOOGLEBOT_SMARTPHONE, _GOOGLEBOT_SMARTPHONE),
            int((140 + rnd() * 110) * s),
            0,
            _DAY,
            0.25,
            0.02,
            robots_every=60,
        )
        bing_ips = [
            f"{('40.77.167', '157.55.39', '207.46.13')[int(rnd() * 3)]}.{1 + int(rnd() * 254)}"
            for _ in range(3)
        ]
        self._crawler(
            kind,
            bing_ips,
            (_BINGBOT,),
            int((50 + rnd() * 70) * s),
            0,
            _DAY,
            0.1,
            0.03,
            robots_every=40,
        )

    def _ai_crawlers(self) -> None:
        rnd, s = self.rnd, self.bot_scale
        kind = _BOT_KIND["ai_crawler"]
        if rnd() < 0.45:  # GPTBot comes in bursts
            lo = int(rnd() * (_DAY - 7_200))
            self._crawler(
                kind,
                [f"20.171.207.{1 + int(rnd() * 254)}"],
                (_GPTBOT,),
                int((60 + rnd() * 160) * s),
                lo,
                lo + 1_800 + int(rnd() * 3_600),
                0.0,
                0.04,
            )
        if rnd() < 0.35:
            lo = int(rnd() * (_DAY - 7_200))
            ips = [f"216.73.216.{1 + int(rnd() * 254)}" for _ in range(3)]
            self._crawler(
                kind,
                ips,
                (_CLAUDEBOT,),
                int((50 + rnd() * 130) * s),
                lo,
                lo + 1_200 + int(rnd() * 5_400),
                0.0,
                0.04,
            )
        # PerplexityBot: a handful of on-demand fetches
        self._crawler(
            kind,
            [f"44.221.181.{1 + int(rnd() * 254)}"],
            (_PERPLEXITYBOT,),
            int((3 + rnd() * 15) * s),
            0,
            _DAY,
            0.0,
            0.02,
        )

    def _seo_tools(self) -> None:
        rnd, s = self.rnd, self.bot_scale
        kind = _BOT_KIND["seo_tool"]
        ahrefs = [f"54.36.148.{1 + int(rnd() * 254)}", f"51.222.253.{1 + int(rnd() * 254)}"]
        self._crawler(
            kind,
            ahrefs,
            (_AHREFS,),
            int((40 + rnd() * 80) * s),
            0,
            _DAY,
            0.0,
            0.06,
            robots_every=50,
        )
        semrush = [f"185.191.171.{1 + int(rnd() * 254)}", f"85.208.96.{1 + int(rnd() * 254)}"]
        self._crawler(
            kind,
            semrush,
            (_SEMRUSH,),
            int((25 + rnd() * 55) * s),
            0,
            _DAY,
            0.0,
            0.06,
            robots_every=50,
        )

    def _monitor(self) -> None:
        """UptimeRobot: HEAD / every five minutes from a rotating set of probes."""
        rnd = self.rnd
        kind = _BOT_KIND["monitor"]
        ips = self.uptime_ips
        phase = 17
        for i, t in enumerate(range(phase, _DAY, 300)):
            self._bot_line(
                t + int(rnd() * 3),
                kind,
                ips[i % 3],
                "HEAD",
                "/",
                200,
                0,
                _UPTIMEROBOT,
                8 + int(rnd() * 40),
            )

    def _scanners(self) -> None:
        rnd = self.rnd
        kind = _BOT_KIND["scanner"]
        for _ in range(4 + int(rnd() * 10)):
            t = int(rnd() * (_DAY - 600))
            ip = self._ipv4() if rnd() < 0.95 else f"2a03:b0c0:3:d0::{self.rng.getrandbits(12):x}"
            ua = _SCANNER_UAS[int(rnd() * len(_SCANNER_UAS))]
            proto = "HTTP/1.1" if rnd() < 0.8 else "HTTP/1.0"
            if ua.startswith(("Mozilla/5.0 zgrab", "Mozilla/5.0 (compatible; Censys")):
                self._bot_line(
                    t,
                    kind,
                    ip,
                    "GET",
                    "/",
                    200,
                    _PAGE_SIZES["/"] + int(rnd() * 160),
                    ua,
                    6 + int(rnd() * 30),
                    proto=proto,
                )
                if rnd() < 0.5:
                    continue
            for _ in range(2 + int(rnd() * 28)):
                t += int(rnd() * 3)
                method, target, status = _SCANNER_PROBE_TABLE[
                    int(rnd() * len(_SCANNER_PROBE_TABLE))
                ]
                self._bot_line(
                    t,
                    kind,
                    ip,
                    method,
                    target,
                    status,
                    _ERROR_PAGE_BYTES[status],
                    ua,
                    int(rnd() * 3),
                    proto=proto,
                )

    def _automation(self) -> None:
        rnd = self.rnd
        kind = _BOT_KIND["automation"]
        ips = self.automation_ips
        # someone's cron job checking the site and the API
        for _ in range(4 + int(rnd() * 8)):
            t = int(rnd() * _DAY)
            ua = _CURL_UAS[int(rnd() * 2)]
            if rnd() < 0.5:
                self._bot_line(t, kind, ips[0], "GET", "/api/health", 200, 15, ua, 2)
            else:
                self._bot_line(t, kind, ips[0], "HEAD", "/", 200, 0, ua, 9)
        # a price-watching script
        for _ in range(6 + int(rnd() * 18)):
            t = int(rnd() * _DAY)
            ua = _PYREQ_UAS[0] if rnd() < 0.8 else _PYREQ_UAS[1]
            ip = ips[1 + int(rnd() * 2)]
            if rnd() < 0.6:
                self._bot_line(
                    t,
                    kind,
                    ip,
                    "GET",
                    "/pricing",
                    200,
                    _PAGE_SIZES["/pricing"] + int(rnd() * 160),
                    ua,
                    12 + int(rnd() * 90),
                )
            else:
                self._bot_line(
                    t,
                    kind,
                    ip,
                    "GET",
                    "/api/plans",
                    200,
                    912 + int(rnd() * 40),
                    ua,
                    8 + int(rnd() * 40),
                )

    def _stealth(self) -> None:
        """A scraper with a browser UA: 30-70 pages in office hours, never any asset."""
        rnd = self.rnd
        kind = _BOT_KIND["stealth"]
        t = 8 * 3600 + int(rnd() * 3_600)
        for _ in range(30 + int(rnd() * 40)):
            t += 60 + int(rnd() * 600)
            if t >= 20 * 3600:
                break
            path = _PAGE_RANK[int(rnd() * len(_PAGE_RANK))]
            self._bot_line(
                t,
                kind,
                STEALTH_BOT_IP,
                "GET",
                path,
                200,
                _PAGE_SIZES[path] + int(rnd() * 160),
                _STEALTH_UA,
                5 + int(250 * rnd() ** 3),
                proto="HTTP/1.1",
            )


# ------------------------------------------------------------------------ output

_by_second = itemgetter(0)
_line_of = itemgetter(2)


def _iter_batches(spec: DemoSpec) -> Iterator[tuple[dt.date, list[tuple[int, int, str]]]]:
    """One sorted batch of (second, kind, line) per day; memory holds one day at a time.

    Sessions that run past midnight are carried into the next day's batch; whatever
    would spill past the last day is dropped (like a log rotated at midnight).
    """
    gen = _Generator(spec)
    carry: list[tuple[int, int, str]] = []
    one_day = dt.timedelta(days=1)
    day = spec.start
    for index in range(spec.days):
        events = gen.day_events(index, day)
        events.extend(carry)
        events.sort(key=_by_second)
        cut = bisect(events, _DAY - 1, key=_by_second)
        carry = [(t - _DAY, k, line) for t, k, line in events[cut:]]
        del events[cut:]
        yield day, events
        day += one_day


def iter_demo_lines(spec: DemoSpec = DEFAULT_SPEC) -> Iterator[str]:
    """The log lines (no trailing newline), in non-decreasing time order."""
    for _day, events in _iter_batches(spec):
        yield from map(_line_of, events)


def write_demo_log(path: Path | TextIO, spec: DemoSpec = DEFAULT_SPEC) -> DemoSummary:
    """Write the demo log to `path` (a file path, or an open text stream left open)."""
    if isinstance(path, (str, Path)):
        with open(path, "w", encoding="ascii", newline="\n", buffering=1 << 20) as fh:
            return _write(fh, spec)
    return _write(path, spec)


def _write(fh: TextIO, spec: DemoSpec) -> DemoSummary:
    counts = [0] * (_K_CAMPAIGN0 + len(_CAMPAIGNS))
    first: tuple[dt.date, int] | None = None
    last: tuple[dt.date, int] | None = None
    write = fh.write
    for day, events in _iter_batches(spec):
        if not events:
            continue
        for kind, n in Counter(map(_kind_of, events)).items():
            counts[kind] += n
        write("\n".join(map(_line_of, events)))
        write("\n")
        if first is None:
            first = (day, events[0][0])
        last = (day, events[-1][0])

    def moment(at: tuple[dt.date, int] | None) -> dt.datetime | None:
        if at is None:
            return None
        midnight = dt.datetime.combine(at[0], dt.time(), tzinfo=spec.tzinfo)
        return midnight + dt.timedelta(seconds=at[1])

    entries = counts[_K_ENTRY] + sum(counts[_K_CAMPAIGN0:])
    return DemoSummary(
        lines=sum(counts),
        first_timestamp=moment(first),
        last_timestamp=moment(last),
        human_requests=counts[_K_PAGE] + counts[_K_HUMAN_OTHER] + entries,
        human_pageviews=counts[_K_PAGE] + entries,
        human_sessions=entries,
        campaign_sessions=MappingProxyType(
            {c.name: counts[_K_CAMPAIGN0 + i] for i, c in enumerate(_CAMPAIGNS)}
        ),
        bot_requests=MappingProxyType({name: counts[k] for name, k in _BOT_KIND.items()}),
    )


_kind_of = itemgetter(1)

# Bench logs: a bigger audience than the demo so that a million lines is ~6 weeks.
_BENCH_VISITORS = 2_000
_BENCH_LINES_PER_DAY = 20_000  # a deliberate under-estimate: extra days are never generated


def write_bench_log(
    path: Path, lines: int, seed: int = 1, *, with_request_time: bool = False
) -> None:
    """Write exactly `lines` lines of the same realism, as many days as needed.

    By default the lines are plain *combined* format (no request time) so that
    other tools (GoAccess ``--log-format=COMBINED``) read the same file.
    """
    if lines < 0:
        raise ValueError("lines must be >= 0")
    remaining = lines
    end = DEFAULT_SPEC.end
    chunk = 0
    with open(path, "w", encoding="ascii", newline="\n", buffering=1 << 20) as fh:
        write = fh.write
        while remaining > 0:
            days = max(2, math.ceil(remaining * 1.1 / _BENCH_LINES_PER_DAY) + 1)
            if chunk:  # continue right after the previous (fully written) period
                end += dt.timedelta(days=days)
            spec = DemoSpec(
                days=days,
                end=end,
                daily_visitors=_BENCH_VISITORS,
                seed=seed * 1_000_003 + chunk,
                with_request_time=with_request_time,
            )
            for _day, events in _iter_batches(spec):
                if len(events) >= remaining:
                    del events[remaining:]
                    remaining = 0
                else:
                    remaining -= len(events)
                if events:
                    write("\n".join(map(_line_of, events)))
                    write("\n")
                if not remaining:
                    break
            chunk += 1
