"""Date ranges: presets (7d, month, ...), explicit --from/--to, and comparisons.

Ranges are whole days in the site's time zone, both ends included.  Relative
presets end today; ``all`` spans the stored data.  ``utc_bounds`` turns a range
into the half-open UTC interval the stored timestamps are compared with.  Dates
run from 0001-01-01 to 9999-12-31 (Python's); a range or a comparison that
would leave them is a ``QueryError``, never an overflow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from footfall.errors import QueryError

PRESETS = ("today", "yesterday", "7d", "30d", "90d", "month", "last-month", "year",
           "12mo", "all")  # fmt: skip


@dataclass(frozen=True, slots=True)
class DateRange:
    start: date
    end: date  # inclusive

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise QueryError(f"the period ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> DateRange:
        try:
            return DateRange(self.start - timedelta(days=self.days), self.start - timedelta(days=1))
        except OverflowError as err:
            raise QueryError(
                f"compare: the period before {self.start} starts before year 1"
            ) from err

    def year_before(self) -> DateRange:
        if self.start.year == 1:
            raise QueryError(f"compare: the year before {self.start} is before year 1")
        return DateRange(_minus_year(self.start), _minus_year(self.end))

    def compared(self, mode: str) -> DateRange:
        """The period a comparison reads: ``previous`` (as many days just before) or ``year``."""
        return self.previous() if mode == "previous" else self.year_before()

    def as_dict(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def _minus_year(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def parse_date(text: str, what: str) -> date:
    """``what`` names the field in the message (from, to)."""
    try:
        return date.fromisoformat(text)
    except (ValueError, TypeError) as err:
        raise QueryError(
            f"{what}: {text!r} is not a date (YYYY-MM-DD, years 0001 to 9999)"
        ) from err


def preset_range(preset: str, today: date, data: DateRange | None) -> DateRange:
    m = re.fullmatch(r"(\d+)d", preset)
    if m and preset not in PRESETS:
        n = int(m.group(1))
        if not 1 <= n <= 3660:
            raise QueryError(f"period {preset!r}: between 1d and 3660d")
        return DateRange(today - timedelta(days=n - 1), today)
    if preset == "today":
        return DateRange(today, today)
    if preset == "yesterday":
        return DateRange(today - timedelta(days=1), today - timedelta(days=1))
    if preset in ("7d", "30d", "90d"):
        return DateRange(today - timedelta(days=int(preset[:-1]) - 1), today)
    if preset == "month":
        return DateRange(today.replace(day=1), today)
    if preset == "last-month":
        end = today.replace(day=1) - timedelta(days=1)
        return DateRange(end.replace(day=1), end)
    if preset == "year":
        return DateRange(today.replace(month=1, day=1), today)
    if preset == "12mo":
        return DateRange(_minus_year(today) + timedelta(days=1), today)
    if preset == "all":
        return data or DateRange(today, today)
    raise QueryError(f"unknown period {preset!r}; use one of {', '.join(PRESETS)} or Nd")


def today_in(timezone: str) -> date:
    return datetime.now(zone(timezone)).date()


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise QueryError(f"unknown time zone {name!r}") from err


def utc_bounds(r: DateRange, timezone: str) -> tuple[datetime, datetime]:
    """[start, end) as naive UTC datetimes, for comparing with stored ``ts``."""
    tz = zone(timezone)
    lo = _utc_midnight(r.start, tz) or datetime.min
    hi = _utc_midnight(r.end + timedelta(days=1), tz) if r.end < date.max else None
    return lo, hi or datetime.max


def _utc_midnight(day: date, tz: ZoneInfo) -> datetime | None:
    """Local midnight as naive UTC; None when it falls outside years 1..9999 (no data there)."""
    try:
        return datetime.combine(day, time(), tz).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    except OverflowError:
        return None
