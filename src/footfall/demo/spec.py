"""What to generate (:class:`DemoSpec`) and what was written (:class:`DemoSummary`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`~footfall.demo.writers.write_demo_log` wrote (counts are of written lines only).

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
