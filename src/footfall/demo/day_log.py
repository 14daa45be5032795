"""One day of generated log events, and the text their timestamps are made of.

An event is ``(second, kind, line)``: ``second`` counts from the day's local
midnight and may run into the next day (sessions cross midnight), ``line`` is
the finished log line and ``kind`` says who made the request, for the summary.
Lines are assembled by the traffic simulations themselves, with f-strings on
precomputed pieces: that is what keeps generation at several hundred thousand
lines a second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache

from footfall.demo.spec import BOT_CATEGORIES, DemoSpec

Event = tuple[int, int, str]

DAY = 86_400
LAST_SECOND = 2 * DAY - 1  # events may spill into the next day, never further

# Event kinds.
PAGEVIEW = 0  # human pageview, not a session start
HUMAN_OTHER = 1  # human asset / API / POST / redirect
BOT0 = 2  # + index in BOT_CATEGORIES
SESSION_START = BOT0 + len(BOT_CATEGORIES)  # human session start, no campaign
CAMPAIGN0 = SESSION_START + 1  # + campaign index: session start from that campaign
BOT_KIND = {name: BOT0 + i for i, name in enumerate(BOT_CATEGORIES)}

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# Both tables are built on first use rather than at import, to keep imports cheap.
@lru_cache(maxsize=1)
def _time_of_day_texts() -> tuple[str, ...]:
    """``HH:MM:SS`` for every second of a day."""
    return tuple(
        f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)
    )


@lru_cache(maxsize=1)
def _request_time_texts() -> tuple[str, ...]:
    """`` 0.123`` strings for 0..9999 ms (nginx $request_time, seconds with 3 decimals)."""
    return tuple(f" {ms // 1000}.{ms % 1000:03d}" for ms in range(10_000))


def _offset_text(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


def _date_prefix(day: dt.date) -> str:
    return f"{day.day:02d}/{_MONTHS[day.month - 1]}/{day.year}:"


class DayLog:
    """The events generated for one day, with what their lines are built from.

    ``stamp(second)`` is the bracketed timestamp text without its opening ``[``
    (``22/Nov/2026:13:05:09 +0100]``); ``request_times[ms]`` is the
    `` 0.123``-style suffix, or ``None`` when the spec writes no request time.
    """

    __slots__ = ("events", "request_times", "stamp")

    def __init__(self, day: dt.date, spec: DemoSpec) -> None:
        self.events: list[Event] = []
        self.request_times = _request_time_texts() if spec.with_request_time else None
        self.stamp = _stamper(day, spec.utc_offset_minutes)


def _stamper(day: dt.date, utc_offset_minutes: int) -> Callable[[int], str]:
    today = _date_prefix(day)
    tomorrow = _date_prefix(day + dt.timedelta(days=1))
    tod = _time_of_day_texts()
    tz = " " + _offset_text(utc_offset_minutes) + "]"

    def stamp(t: int) -> str:
        if t < DAY:
            return today + tod[t] + tz
        return tomorrow + tod[t - DAY] + tz

    return stamp
