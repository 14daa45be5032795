"""Writing the demo log: to a file or stream with a summary, as lines, or as a bench log."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterator
from operator import itemgetter
from pathlib import Path
from types import MappingProxyType
from typing import TextIO

from footfall.demo.audience import CAMPAIGN_NAMES
from footfall.demo.day_log import BOT_KIND, CAMPAIGN0, HUMAN_OTHER, PAGEVIEW, SESSION_START
from footfall.demo.simulation import iter_days
from footfall.demo.spec import DEFAULT_SPEC, DemoSpec, DemoSummary

_kind_of = itemgetter(1)
_line_of = itemgetter(2)

# Bench logs: a bigger audience than the demo so that a million lines is ~6 weeks.
BENCH_VISITORS = 2_000
BENCH_LINES_PER_DAY = 20_000  # a deliberate under-estimate: extra days are never generated


def iter_demo_lines(spec: DemoSpec = DEFAULT_SPEC) -> Iterator[str]:
    """The log lines (no trailing newline), in non-decreasing time order."""
    for _day, events in iter_days(spec):
        yield from map(_line_of, events)


def write_demo_log(path: Path | TextIO, spec: DemoSpec = DEFAULT_SPEC) -> DemoSummary:
    """Write the demo log to `path` (a file path, or an open text stream left open)."""
    if isinstance(path, (str, Path)):
        with open(path, "w", encoding="ascii", newline="\n", buffering=1 << 20) as fh:
            return _write(fh, spec)
    return _write(path, spec)


def _write(fh: TextIO, spec: DemoSpec) -> DemoSummary:
    counts = [0] * (CAMPAIGN0 + len(CAMPAIGN_NAMES))  # lines by event kind
    first: dt.datetime | None = None
    last: dt.datetime | None = None
    write = fh.write
    for day, events in iter_days(spec):
        if not events:
            continue
        for kind, n in Counter(map(_kind_of, events)).items():
            counts[kind] += n
        write("\n".join(map(_line_of, events)))
        write("\n")
        midnight = dt.datetime.combine(day, dt.time(), tzinfo=spec.tzinfo)
        if first is None:
            first = midnight + dt.timedelta(seconds=events[0][0])
        last = midnight + dt.timedelta(seconds=events[-1][0])
    return _summary(counts, first, last)


def _summary(counts: list[int], first: dt.datetime | None, last: dt.datetime | None) -> DemoSummary:
    sessions = counts[SESSION_START] + sum(counts[CAMPAIGN0:])
    return DemoSummary(
        lines=sum(counts),
        first_timestamp=first,
        last_timestamp=last,
        human_requests=counts[PAGEVIEW] + counts[HUMAN_OTHER] + sessions,
        human_pageviews=counts[PAGEVIEW] + sessions,
        human_sessions=sessions,
        campaign_sessions=MappingProxyType(
            {name: counts[CAMPAIGN0 + i] for i, name in enumerate(CAMPAIGN_NAMES)}
        ),
        bot_requests=MappingProxyType({name: counts[k] for name, k in BOT_KIND.items()}),
    )


def write_bench_log(
    path: Path, lines: int, seed: int = 1, *, with_request_time: bool = False
) -> None:
    """Write exactly `lines` lines of the same realism, as many days as needed.

    By default the lines are plain *combined* format (no request time) so that
    other tools (GoAccess ``--log-format=COMBINED``) read the same file.
    The days come in periods sized from an estimate of lines per day; when a
    period falls short, the next one (another seed) continues right after it.
    """
    if lines < 0:
        raise ValueError("lines must be >= 0")
    remaining = lines
    end = DEFAULT_SPEC.end
    chunk = 0
    with open(path, "w", encoding="ascii", newline="\n", buffering=1 << 20) as fh:
        write = fh.write
        while remaining > 0:
            days = max(2, math.ceil(remaining * 1.1 / BENCH_LINES_PER_DAY) + 1)
            if chunk:  # continue right after the previous (fully written) period
                end += dt.timedelta(days=days)
            spec = DemoSpec(
                days=days,
                end=end,
                daily_visitors=BENCH_VISITORS,
                seed=seed * 1_000_003 + chunk,
                with_request_time=with_request_time,
            )
            for _day, events in iter_days(spec):
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
