"""Writing the demo log: to a file or stream with a summary, as lines, or as a bench log."""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter
from collections.abc import Callable, Iterator
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from types import MappingProxyType
from typing import TextIO

from footfall.demo.audience import CAMPAIGN_NAMES
from footfall.demo.day_log import (
    BOT_KIND,
    CAMPAIGN0,
    DAY,
    HUMAN_OTHER,
    PAGEVIEW,
    SESSION_START,
    Event,
    _offset_text,
    _time_of_day_texts,
)
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


#: The formats a bench log can be written in: the same events in each.
BENCH_FORMATS = ("combined", "w3c", "json")

#: The IIS header of a W3C bench log (``#Date:`` gets the first event's UTC time).
W3C_FIELDS = (
    "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status sc-bytes time-taken"
)
W3C_SERVER_IP = "10.0.0.4"
W3C_PORT = "443"


def bench_header_lines(fmt: str) -> int:
    """Lines a bench log of format `fmt` has besides its events (the W3C header)."""
    return 4 if fmt == "w3c" else 0


def write_bench_log(
    path: Path,
    lines: int,
    seed: int = 1,
    *,
    with_request_time: bool = False,
    fmt: str = "combined",
) -> None:
    """Write exactly `lines` events of the same realism, as many days as needed.

    By default the lines are plain *combined* format (no request time) so that
    other tools (GoAccess ``--log-format=COMBINED``) read the same file.  `fmt`
    writes the same events (same seed: same requests, same order) as an IIS W3C
    extended log (``"w3c"``: a 4-line header, then one line per event, UTC) or
    as nginx ``escape=json`` lines (``"json"``).  Neither carries the combined
    line's request time, so they invent one (``time-taken``, ``request_time``)
    from a separate generator: the events stay those of the combined file.
    The days come in periods sized from an estimate of lines per day; when a
    period falls short, the next one (another seed) continues right after it.
    """
    if lines < 0:
        raise ValueError("lines must be >= 0")
    if fmt not in BENCH_FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(BENCH_FORMATS)}")
    if with_request_time and fmt != "combined":
        raise ValueError("with_request_time is for the combined format only")
    with open(path, "w", encoding="ascii", newline="\n", buffering=1 << 20) as fh:
        write = fh.write
        if fmt == "combined":
            for _day, _spec, events in _bench_days(lines, seed, with_request_time):
                write("\n".join(map(_line_of, events)))
                write("\n")
            return
        durations = random.Random(seed).getrandbits  # not the events' generator
        reformat = _w3c_lines if fmt == "w3c" else _json_lines
        header = fmt == "w3c"
        for day, spec, events in _bench_days(lines, seed, with_request_time):
            if header:
                write(_w3c_header(day, spec, events[0][0]))
                header = False
            write("\n".join(reformat(day, spec, events, durations)))
            write("\n")


def _bench_days(
    lines: int, seed: int, with_request_time: bool
) -> Iterator[tuple[dt.date, DemoSpec, list[Event]]]:
    """The events of a bench log, day by day (no empty day), `lines` in all."""
    remaining = lines
    end = DEFAULT_SPEC.end
    chunk = 0
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
        for day, events in iter_days(spec):
            if len(events) >= remaining:
                del events[remaining:]
                remaining = 0
            else:
                remaining -= len(events)
            if events:
                yield day, spec, events
            if not remaining:
                break
        chunk += 1


# The other formats are the combined line cut at its quotes (the generator never writes
# a quote inside a field): ip - - [stamp |request| status bytes |referrer| |agent|, and
# the status always has three digits: `numbers` is " 200 1234 ".


def _w3c_header(day: dt.date, spec: DemoSpec, second: int) -> str:
    utc = dt.datetime.combine(day, dt.time()) + dt.timedelta(
        seconds=second - spec.utc_offset_minutes * 60
    )
    return (
        "#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n"
        f"#Date: {utc:%Y-%m-%d %H:%M:%S}\n#Fields: {W3C_FIELDS}\n"
    )


@lru_cache(maxsize=1)
def _milliseconds() -> tuple[str, ...]:
    """1,024 request times in ms, most short, a few slow (indexed by 10 random bits)."""
    return tuple(str(1 + int(1_500 * (i / 1_024) ** 4)) for i in range(1_024))


def _w3c_lines(
    day: dt.date, spec: DemoSpec, events: list[Event], bits: Callable[[int], int]
) -> Iterator[str]:
    """IIS W3C lines: UTC date and time, spaces in the user agent as ``+``."""
    tod = _time_of_day_texts()
    offset = spec.utc_offset_minutes * 60
    dates = tuple(f"{day + dt.timedelta(days=d):%Y-%m-%d} " for d in (-1, 0, 1))
    ms = _milliseconds()
    agents: dict[str, str] = {}
    server = f"{W3C_SERVER_IP} "
    port = f" {W3C_PORT} - "
    for t, _kind, line in events:
        head, request, numbers, referrer, _, agent, _ = line.split('"')
        method, target, _ = request.split(" ")
        stem, _, query = target.partition("?")
        ua = agents.get(agent)
        if ua is None:
            ua = agents[agent] = agent.replace(" ", "+")
        u = t - offset
        when = (
            dates[0] + tod[u + DAY]
            if u < 0
            else dates[1] + tod[u]
            if u < DAY
            else dates[2] + tod[u - DAY]
        )
        yield (
            f"{when} {server}{method} {stem} {query or '-'}{port}{head[: head.index(' ')]}"
            f" {ua} {referrer} {numbers[1:4]} 0 0 {numbers[5:-1]} {ms[bits(10)]}"
        )


def _json_lines(
    day: dt.date, spec: DemoSpec, events: list[Event], bits: Callable[[int], int]
) -> Iterator[str]:
    """nginx ``escape=json`` lines: local ISO time, empty strings for absent values."""
    tod = _time_of_day_texts()
    date = f"{day:%Y-%m-%d}T"
    zone = _offset_text(spec.utc_offset_minutes)
    zone = f'{zone[:3]}:{zone[3:]}","remote_addr":"'
    seconds = tuple(f"{int(m) // 1000}.{int(m) % 1000:03d}" for m in _milliseconds())
    for t, _kind, line in events:
        head, request, numbers, referrer, _, agent, _ = line.split('"')
        if "\\" in request:
            request = request.replace("\\", "\\\\")
        yield (
            f'{{"time_iso8601":"{date}{tod[t]}{zone}{head[: head.index(" ")]}",'
            f'"remote_user":"","request":"{request}","status":{numbers[1:4]},'
            f'"body_bytes_sent":{numbers[5:-1]},"http_referer":"{"" if referrer == "-" else referrer}",'
            f'"http_user_agent":"{agent}","request_time":{seconds[bits(10)]}}}'
        )
