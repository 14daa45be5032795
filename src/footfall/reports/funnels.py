"""Funnels: how many journeys reach each step, in order, within the funnel's window.

A journey here is a visitor's day (visitor ids are daily, and a window is at most a
day).  A *closed* funnel is entered at its first step only: the journey's earliest
first-step hit in the period starts the clock; step k counts when a hit of step k
comes at or after the hit that completed step k-1 and within the window from the
entry.  An *open* funnel is entered at whichever step the journey's earliest
matching hit belongs to, and goes on in order from there (GA4's open funnels).
Per step: journeys that reached it, those that entered there (open funnels), the
drop-off to the next step, and the median time from the previous step.  A segment
is a ``visit:*`` dimension of the visit the journey entered in.
"""

from __future__ import annotations

import bisect
import statistics
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from footfall.errors import QueryError
from footfall.plan.model import Funnel, Goal, Plan
from footfall.reports.compiler import dialect_of
from footfall.reports.compiler.plans import funnel_step_hits, session_labels
from footfall.store.backend import ReportBackend
from footfall.vocabulary.dimensions import DIMENSIONS_BY_NAME
from footfall.vocabulary.periods import DateRange, utc_bounds

Key = tuple[Any, int]  # (day, visitor_id)


def _step_goal(plan: Plan, funnel: Funnel, index: int) -> Goal:
    step = funnel.steps[index]
    if step.goal is not None:
        goal = plan.goal(step.goal)
        assert goal is not None  # the parser checked it
        if not goal.on_hits:
            raise QueryError(f"funnel {funnel.name!r}: step {step.label!r} counts imported "
                             "data; funnel steps are pages or tracker events")  # fmt: skip
        return goal
    return Goal(step.label, funnel.line, page=step.page)


def _step_hits(db: ReportBackend, plan: Plan, goals: list[Goal], lo: datetime, hi: datetime
               ) -> list[dict[Key, list]]:  # fmt: skip
    """Per step, each journey's hits that complete it (time, session), in time order:
    one query, each hit flagged with the steps it completes."""
    statement = funnel_step_hits(plan.site, goals, lo, hi, dialect_of(db))
    out: list[dict[Key, list[tuple[datetime, Any]]]] = [defaultdict(list) for _ in goals]
    for day, vid, ts, sid, *steps in db.fetchall(statement.sql, statement.params):
        for k, completes in enumerate(steps):
            if completes:
                out[k][(day, vid)].append((ts, sid))
    return out


def _segments(db: ReportBackend, site: str, dimension: str | None, sessions: set[Any]
              ) -> dict[Any, str]:  # fmt: skip
    if dimension is None or not sessions:
        return {}
    if not dimension.startswith("visit:") or dimension not in DIMENSIONS_BY_NAME:
        raise QueryError(f"segment: a visit: dimension (visit:channel, visit:device...), "
                         f"not {dimension!r}")  # fmt: skip
    statement = session_labels(site, dimension, sorted(sessions), dialect_of(db))
    rows = db.fetchall(statement.sql, statement.params)
    return {sid: str(value) if value is not None else "(none)" for sid, value in rows}


def funnel_report(
    db: ReportBackend,
    plan: Plan,
    funnel: Funnel,
    period: DateRange,
    tz: str,
    segment: str | None = None,
) -> dict[str, Any]:
    lo, hi = utc_bounds(period, tz)
    window = timedelta(minutes=funnel.window_minutes)
    goals = [_step_goal(plan, funnel, i) for i in range(len(funnel.steps))]
    hits = _step_hits(db, plan, goals, lo, hi + window)
    n = len(funnel.steps)
    journeys: list[tuple[int, list[datetime | None], Any]] = []  # entry step, times, session
    keys = set().union(*hits) if funnel.mode == "open" else set(hits[0])
    for key in sorted(keys, key=str):
        entry = _entry(hits, key, funnel.mode, lo, hi)
        if entry is None:
            continue
        step, at, session = entry
        times: list[datetime | None] = [None] * n
        times[step] = at
        for k in range(step + 1, n):
            previous = times[k - 1]
            assert previous is not None
            found = _first_at_or_after(hits[k].get(key, []), previous, at + window)
            if found is None:
                break
            times[k] = found
        journeys.append((step, times, session))
    labels = _segments(db, plan.site, segment, {s for _, _, s in journeys})
    groups: dict[str, list] = {"all": journeys}
    if segment:
        groups = defaultdict(list)
        for j in journeys:
            groups[labels.get(j[2], "(none)")].append(j)
    return {
        "funnel": funnel.name, "mode": funnel.mode, "window_minutes": funnel.window_minutes,
        "period": period.as_dict(), "segment": segment,
        "steps": [s.label for s in funnel.steps],
        "segments": {name: _steps(funnel, group) for name, group in sorted(groups.items())},
    }  # fmt: skip


def _entry(hits: list[dict[Key, list]], key: Key, mode: str, lo: datetime, hi: datetime
           ) -> tuple[int, datetime, Any] | None:  # fmt: skip
    """(step, time, session) where the journey enters: its earliest qualifying hit in the period."""
    candidates = range(len(hits)) if mode == "open" else range(1)
    best = None
    for step in candidates:
        for ts, sid in hits[step].get(key, []):
            if lo <= ts < hi and (best is None or ts < best[1]):
                best = (step, ts, sid)
                break  # hits are in time order
    return best


def _first_at_or_after(found: list[tuple[datetime, Any]], start: datetime, end: datetime
                       ) -> datetime | None:  # fmt: skip
    times = [ts for ts, _ in found]
    i = bisect.bisect_left(times, start)
    return times[i] if i < len(times) and times[i] <= end else None


def _steps(funnel: Funnel, journeys: list[tuple[int, list[datetime | None], Any]]) -> list[dict]:
    out = []
    n = len(funnel.steps)
    for k in range(n):
        reached = [t for _, t, _ in journeys if t[k] is not None]
        entered = sum(1 for step, _, _ in journeys if step == k)
        nxt = sum(1 for _, t, _ in journeys if t[k] is not None and k + 1 < n and t[k + 1])
        gaps = [(t[k] - t[k - 1]).total_seconds() for t in reached if k and t[k - 1] is not None]
        row = {
            "step": funnel.steps[k].label,
            "visitors": len(reached),
            "entered_here": entered,
            "dropoff": len(reached) - nxt if k + 1 < n else 0,
            "dropoff_rate": round(100.0 * (len(reached) - nxt) / len(reached), 1)
            if reached and k + 1 < n else 0.0,
            "median_seconds_from_previous": statistics.median(gaps) if gaps else None,
        }  # fmt: skip
        out.append(row)
    first = out[0]["visitors"] + sum(r["entered_here"] for r in out[1:])
    for row in out:
        row["share_of_entrants"] = round(100.0 * row["visitors"] / first, 1) if first else 0.0
    return out
