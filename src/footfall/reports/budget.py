"""What one query may cost: days in its range, time buckets, wall time and answer bytes.

A ``time:day`` query over years 2-9999 once built 3.6 million gap-filled rows
(1.45 GB, 25 s) in the process that also collects events.  Every limit is
checked arithmetically before any SQL runs, except the two that only the
running query can show: its wall time (``Database.deadline`` interrupts it)
and the size of the serialized answer (``check_answer_size``, by the web
layer).  Rows are bounded by ``query.MAX_LIMIT`` and offsets by
``query.MAX_OFFSET`` in ``validate``.

``QueryBudget()`` holds the defaults of ``Settings`` without a time limit:
what the CLI and plan-internal queries use (they protect memory too); the
API passes ``QueryBudget.from_settings(settings)``.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date, timedelta

from footfall.errors import QueryTooLarge
from footfall.settings import Settings
from footfall.store.backend import ReportBackend
from footfall.vocabulary.periods import DateRange
from footfall.vocabulary.query import Query

_DEFAULTS = Settings()


@dataclass(frozen=True, slots=True)
class QueryBudget:
    max_days: int = _DEFAULTS.query_max_days
    max_buckets: int = _DEFAULTS.query_max_buckets
    seconds: float | None = None  # None: no time limit (the CLI, on the owner's machine)
    max_bytes: int | None = _DEFAULTS.query_max_bytes

    @classmethod
    def from_settings(cls, settings: Settings, timed: bool = True) -> QueryBudget:
        """The server's budget; ``timed=False`` leaves out the time limit (the CLI)."""
        return cls(
            max_days=settings.query_max_days,
            max_buckets=settings.query_max_buckets,
            seconds=settings.query_seconds if timed and settings.query_seconds > 0 else None,
            max_bytes=settings.query_max_bytes,
        )


def bucket_count(period: DateRange, unit: str) -> int:
    """How many ``time:<unit>`` buckets gap filling makes for ``period``, by arithmetic."""
    if unit == "hour":
        return period.days * 24
    if unit == "day":
        return period.days
    if unit == "week":
        return (_monday(period.end) - _monday(period.start)).days // 7 + 1
    start, end = period.start, period.end
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def check_period(period: DateRange, budget: QueryBudget, what: str = "the period") -> None:
    if period.days > budget.max_days:
        raise QueryTooLarge(
            f"{what} {period.start}..{period.end} spans {period.days:,} days; a query may "
            f"span at most {budget.max_days:,} days (setting query_max_days): "
            "choose a shorter date range"
        )


def check_query(q: Query, budget: QueryBudget) -> DateRange | None:
    """Refuse a validated query over the budget; returns its comparison period, if any."""
    earlier = q.period.compared(q.compare) if q.compare else None
    periods = [("the period", q.period)]
    if earlier is not None:
        periods.append(("the comparison period", earlier))
    for what, period in periods:
        check_period(period, budget, what)
        for dim in q.dimensions:
            if dim.startswith("time:"):
                _check_buckets(dim, period, budget, what)
    return earlier


def _check_buckets(dim: str, period: DateRange, budget: QueryBudget, what: str) -> None:
    count = bucket_count(period, dim.split(":", 1)[1])
    if count > budget.max_buckets:
        raise QueryTooLarge(
            f"{dim} over {what} {period.start}..{period.end} makes {count:,} time buckets; at "
            f"most {budget.max_buckets:,} (setting query_max_buckets): choose a coarser "
            "interval or a shorter date range"
        )


def within(db: ReportBackend, budget: QueryBudget | None) -> AbstractContextManager[None]:
    """The budget's time limit around the statements of one request (none without one)."""
    if budget is None or budget.seconds is None:
        return nullcontext()
    return db.deadline(budget.seconds)


def check_answer_size(payload: bytes | str, budget: QueryBudget) -> None:
    """Refuse a serialized answer (JSON, CSV, Parquet) over ``max_bytes``, before sending it."""
    size = len(payload.encode() if isinstance(payload, str) else payload)
    if budget.max_bytes is not None and size > budget.max_bytes:
        raise QueryTooLarge(
            f"the answer would be {_size(size)}; at most {_size(budget.max_bytes)} (setting "
            "query_max_bytes): ask for fewer rows (limit), fewer metrics or dimensions, "
            "or a shorter date range"
        )


def _size(n: int) -> str:
    return (
        f"{n / 2**20:.1f} MiB"
        if n >= 2**20
        else f"{n / 2**10:.1f} KiB"
        if n >= 2**10
        else f"{n} bytes"
    )
