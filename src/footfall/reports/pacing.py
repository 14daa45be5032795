"""KPI pacing: where a KPI stands against its target, and where it is heading.

A KPI is a query-API metric (optionally filtered, optionally counting a goal) over
its period, from ``start`` to ``deadline`` (both included, in the site's time zone).

- *Cumulative* metrics (counts, money) add up over the period.  Actual to date is
  the metric from the start to today (or the deadline).  Expected to date is the
  target times the share of the period elapsed (``linear``) or times the share
  the same point held in the previous period of equal length (``last_period``:
  weekly and seasonal shape; linear when that period had nothing).  The forecast
  at the deadline extends the actual by the same share.
- *Level* metrics (rates, durations) do not add up: expected is the target itself
  and the forecast is the current value.

Status: ``ahead`` beyond 5 % better than expected, ``behind`` beyond 5 % worse,
``on track`` between (better means more for ``at_least``, less for ``at_most``);
``not started`` before the start; ``met`` / ``missed`` once the deadline passed.
The gap (actual - expected) is in the KPI's own unit.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from footfall.plan.model import Kpi, Plan
from footfall.reports.run import run_query
from footfall.store.backend import ReportBackend
from footfall.vocabulary.metrics import METRICS_BY_NAME
from footfall.vocabulary.periods import DateRange
from footfall.vocabulary.query import Query, parse_filter_text

CUMULATIVE_UNITS = ("count", "money", "bytes")
BAND = Decimal("0.05")


#: How each KPI status reads, for the faces that colour it: good, bad or neutral.
STATUS_TONES = {"ahead": "good", "on track": "good", "met": "good", "behind": "bad",
                "missed": "bad", "not started": "neutral"}  # fmt: skip


def _value(db: ReportBackend, plan: Plan, kpi: Kpi, period: DateRange) -> Decimal:
    q = Query(site=plan.site, metrics=(kpi.metric,), period=period, goal=kpi.goal,
              filters=tuple(parse_filter_text(f) for f in kpi.filters))  # fmt: skip
    rows = run_query(db, q).rows
    return Decimal(str(rows[0][kpi.metric])) if rows else Decimal(0)


def _daily(db: ReportBackend, plan: Plan, kpi: Kpi, period: DateRange) -> list[Decimal]:
    q = Query(site=plan.site, metrics=(kpi.metric,), period=period, goal=kpi.goal,
              dimensions=("time:day",), limit=10_000,
              filters=tuple(parse_filter_text(f) for f in kpi.filters))  # fmt: skip
    return [Decimal(str(r[kpi.metric])) for r in run_query(db, replace(q)).rows]


def kpi_pacing(db: ReportBackend, plan: Plan, kpi: Kpi, today: date) -> dict[str, Any]:
    total_days = (kpi.deadline - kpi.start).days + 1
    unit = METRICS_BY_NAME[kpi.metric].unit
    out: dict[str, Any] = {
        "kpi": kpi.name, "metric": kpi.metric, "goal": kpi.goal, "filters": list(kpi.filters),
        "target": _plain(kpi.target), "unit": unit, "direction": kpi.direction,
        "pacing": kpi.pacing, "start": kpi.start.isoformat(),
        "deadline": kpi.deadline.isoformat(), "owner": kpi.owner, "days": total_days,
    }  # fmt: skip
    if today < kpi.start:
        return {**out, "status": "not started", "elapsed_days": 0, "actual": 0,
                "expected": 0, "forecast": None, "gap": None}  # fmt: skip
    end = min(today, kpi.deadline)
    elapsed = (end - kpi.start).days + 1
    actual = _value(db, plan, kpi, DateRange(kpi.start, end))
    share, how = _share(db, plan, kpi, elapsed, total_days)
    if unit in CUMULATIVE_UNITS:
        expected = kpi.target * share
        forecast = actual / share if share else None
    else:
        expected, forecast = kpi.target, actual
    better = actual - expected if kpi.direction == "at_least" else expected - actual
    if today > kpi.deadline:
        done = actual >= kpi.target if kpi.direction == "at_least" else actual <= kpi.target
        status = "met" if done else "missed"
    elif better > abs(expected) * BAND:
        status = "ahead"
    elif better < -abs(expected) * BAND:
        status = "behind"
    else:
        status = "on track"
    return {**out, "status": status, "elapsed_days": elapsed, "actual": _plain(actual),
            "expected": _plain(expected), "forecast": _plain(forecast),
            "gap": _plain(actual - expected), "expected_by": how}  # fmt: skip


def _share(
    db: ReportBackend, plan: Plan, kpi: Kpi, elapsed: int, total: int
) -> tuple[Decimal, str]:
    """The share of the period's total expected by day ``elapsed``, and how it was found."""
    linear = Decimal(elapsed) / Decimal(total)
    if kpi.pacing == "linear":
        return linear, "linear"
    before = DateRange(kpi.start - timedelta(days=total), kpi.start - timedelta(days=1))
    days = _daily(db, plan, kpi, before)
    whole = sum(days, Decimal(0))
    if not whole:
        return linear, "linear (the previous period had no data)"
    return sum(days[:elapsed], Decimal(0)) / whole, f"last period ({before.start} to {before.end})"


def _plain(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    rounded = value.quantize(Decimal("0.01"))
    return int(rounded) if rounded == rounded.to_integral() else float(rounded)


def kpis_report(db: ReportBackend, plan: Plan, today: date) -> dict[str, Any]:
    return {"site": plan.site, "today": today.isoformat(),
            "kpis": [kpi_pacing(db, plan, k, today) for k in plan.kpis]}  # fmt: skip
