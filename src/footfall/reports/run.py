"""Run a Query against a database: rows, totals, comparison, gap-filled time series.

The result is plain data (``QueryResult.as_dict``) that the CLI prints as a
table, JSON or CSV and that the API and the dashboard will serve unchanged.
A query is checked against its ``QueryBudget`` before any SQL runs.  A time
series (one ``time:*`` dimension) is gap-filled over the whole period (the
budget bounds its buckets), in time order, and ``offset``/``limit`` page
through those buckets, so a page never holds more than ``limit`` rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from footfall.errors import QueryError
from footfall.plan.model import Goal
from footfall.reports.budget import QueryBudget, bucket_count, check_query, within
from footfall.reports.compiler import CompiledQuery, compile_query, dialect_of, union_all
from footfall.reports.compiler.rollup import Rollups
from footfall.reports.compiler.sites import hits_range, rollup_zone, site_names
from footfall.reports.compiler.sites import site_timezone as site_timezone_statement
from footfall.reports.plan_source import site_plan
from footfall.store.backend import ReportBackend
from footfall.vocabulary.metrics import METRICS_BY_NAME
from footfall.vocabulary.periods import DateRange, parse_date, preset_range, today_in, utc_bounds
from footfall.vocabulary.query import MAX_LIMIT, Query, validate


@dataclass(slots=True)
class QueryResult:
    query: Query
    dimensions: tuple[str, ...]
    metrics: tuple[str, ...]
    rows: list[dict[str, Any]]
    total_rows: int
    comparison: DateRange | None = None
    previous: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)
    #: what answered, statement by statement: {"source": "rollup: ..." | "raw: why", "sql"}
    explain: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "site": self.query.site,
            "period": self.query.period.as_dict(),
            "include_bots": self.query.include_bots,
            "dimensions": list(self.dimensions),
            "metrics": list(self.metrics),
            "rows": self.rows,
            "total_rows": self.total_rows,
        }
        if self.comparison is not None:
            out["comparison"] = {"period": self.comparison.as_dict(), "mode": self.query.compare}
        return out


def site_timezone(db: ReportBackend, site: str) -> str:
    dialect = dialect_of(db)
    statement = site_timezone_statement(site, dialect)
    row = db.fetchone(statement.sql, statement.params)
    if row is None:
        names = site_names(dialect)
        known = [r[0] for r in db.fetchall(names.sql, names.params)]
        raise QueryError(f"unknown site {site!r}; sites: {', '.join(known) or 'none yet'}")
    return str(row[0])


def data_range(db: ReportBackend, site: str, timezone: str) -> DateRange | None:
    statement = hits_range(site, dialect_of(db))
    row = db.fetchone(statement.sql, statement.params)
    if row is None or row[0] is None:
        return None

    def local(ts: datetime) -> date:
        return ts.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(timezone)).date()

    return DateRange(local(row[0]), local(row[1]))


def resolve_period(
    db: ReportBackend,
    site: str,
    timezone: str,
    period: str | None = None,
    start: str | None = None,
    end: str | None = None,
) -> DateRange:
    """--period or --from/--to (either end may be left open: it takes the data's)."""
    data = data_range(db, site, timezone)
    if start or end:
        if period:
            raise QueryError("use either a period or from/to dates")
        today = today_in(timezone)
        lo = parse_date(start, "from") if start else (data.start if data else today)
        hi = parse_date(end, "to") if end else (data.end if data else today)
        return DateRange(lo, hi)
    return preset_range(period or "all", today_in(timezone), data)


SOURCES = ("auto", "raw")


def site_rollups(db: ReportBackend, site: str, source: str = "auto") -> Rollups | None:
    """The site's daily rollups (their zone, the cube tables); None when there are none or
    ``source`` is ``"raw"`` (raw rows forced: tests and the benchmark compare both)."""
    if source not in SOURCES:
        raise QueryError(f"source must be {' or '.join(SOURCES)}")
    dialect = dialect_of(db)
    if source == "raw":
        return None
    statement = rollup_zone(site, dialect)  # the schema's migrations made every cube table
    row = db.fetchone(statement.sql, statement.params)
    return Rollups(str(row[0])) if row else None


def run_query(
    db: ReportBackend, q: Query, budget: QueryBudget | None = None, source: str = "auto"
) -> QueryResult:
    """``budget`` None: the default limits of range and buckets, and no time limit.
    ``source``: ``"auto"`` (a daily rollup when it gives the same result, else the raw
    rows: ``compiler/rollup.py``) or ``"raw"`` (raw rows only)."""
    budget = budget or QueryBudget()
    validate(q)
    earlier = check_query(q, budget)
    tz = site_timezone(db, q.site)
    cubes = site_rollups(db, q.site, source)
    with within(db, budget):
        if earlier is not None and not q.dimensions:  # one row each: one statement for both
            result, before = _execute_pair(
                db, q, replace(q, period=earlier, limit=MAX_LIMIT, offset=0), tz, cubes
            )
        else:
            result = _execute(db, q, tz, cubes)
            before = (
                _execute(db, replace(q, period=earlier, limit=MAX_LIMIT, offset=0), tz, cubes)
                if earlier is not None
                else None
            )
        if earlier is not None and before is not None:
            result.explain += before.explain
            result.comparison = earlier
            result.previous = (
                {tuple(r[d] for d in q.dimensions): r for r in before.rows}
                if q.dimensions
                else {(): before.rows[0]}
                if before.rows
                else {}
            )
            _attach_changes(result, q)
    if _is_series(q):
        result.rows = result.rows[q.offset : q.offset + q.limit]
    return result


def _is_series(q: Query) -> bool:
    return len(q.dimensions) == 1 and q.dimensions[0].startswith("time:")


def _goal_of(db: ReportBackend, q: Query) -> tuple[Goal | None, str]:
    """The plan goal the query counts, and the plan's currency."""
    if q.goal is None:
        return None, "EUR"
    plan = site_plan(db, q.site)
    goal = plan.goal(q.goal)
    if goal is None:
        names = ", ".join(g.name for g in plan.goals) or "none"
        raise QueryError(f"goal {q.goal!r} is not in the plan of {q.site}; goals: {names}")
    return goal, plan.currency


def _compile(db: ReportBackend, q: Query, tz: str, cubes: Rollups | None) -> CompiledQuery:
    goal, currency = _goal_of(db, q)
    if _is_series(q):  # every non-empty bucket, whatever the page: at most one row per bucket
        unit = q.dimensions[0].split(":")[1]
        q = replace(q, limit=bucket_count(q.period, unit), offset=0)
    bounds = utc_bounds(q.period, tz)
    return compile_query(q, bounds, tz, goal, currency, dialect_of(db), cubes)


def _fetch(db: ReportBackend, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    try:
        return db.fetchall(sql, params)
    except QueryError as err:
        raise QueryError(f"invalid filter: {err}") from err


def _execute(db: ReportBackend, q: Query, tz: str, cubes: Rollups | None) -> QueryResult:
    """A time series comes back whole (every bucket); ``run_query`` cuts the page."""
    compiled = _compile(db, q, tz, cubes)
    result = _result(q, _fetch(db, compiled.sql, compiled.params))
    result.explain.append({"source": compiled.source, "sql": compiled.sql})
    return result


def _execute_pair(
    db: ReportBackend, q: Query, earlier: Query, tz: str, cubes: Rollups | None
) -> tuple[QueryResult, QueryResult]:
    """A period and its comparison (no dimension: a row each) in one statement."""
    now, before = _compile(db, q, tz, cubes), _compile(db, earlier, tz, cubes)
    both = union_all([now, before], dialect_of(db))
    rows = _fetch(db, both.sql, both.params)
    results = [_result(x, [r[1:] for r in rows if r[0] == i]) for i, x in enumerate((q, earlier))]
    source = now.source if now.source == before.source else f"{now.source}; {before.source}"
    results[0].explain.append({"source": source, "sql": both.sql})
    return results[0], results[1]


def _result(q: Query, raw: list[tuple[Any, ...]]) -> QueryResult:
    series = _is_series(q)
    rows = []
    total = 0
    for values in raw:
        row = dict(zip(q.dimensions, values[: len(q.dimensions)], strict=True))
        for name, value in zip(q.metrics, values[len(q.dimensions) : -1], strict=True):
            row[name] = _plain(value, METRICS_BY_NAME[name].unit)
        rows.append(row)
        total = int(values[-1])
    if series:
        rows = _fill_time_gaps(rows, q)
        total = len(rows)
    return QueryResult(q, q.dimensions, q.metrics, rows, total)


def _plain(value: Any, unit: str) -> Any:
    if value is None:
        return None if unit == "ms" else 0
    if isinstance(value, float) and unit == "count":
        return int(value)
    if unit == "money":
        return format(value, "f")  # a decimal string: money is never a float
    if hasattr(value, "is_integer") and not isinstance(value, float):
        return float(value)  # Decimal
    return value


def _attach_changes(result: QueryResult, q: Query) -> None:
    """Each row's value in the comparison period, and the change in percent.

    Rows are matched by their dimension values, except along time, where the
    n-th bucket of the period is compared with the n-th of the earlier one.
    """
    by_position = bool(q.dimensions) and q.dimensions[0].startswith("time:")
    previous_rows = list(result.previous.values())
    for index, row in enumerate(result.rows):
        if by_position:
            before = previous_rows[index] if index < len(previous_rows) else {}
        else:
            before = result.previous.get(tuple(row[d] for d in q.dimensions), {})
        for m in q.metrics:
            old = before.get(m, 0) or 0
            row[f"{m}_previous"] = old
            new = row[m] or 0
            if isinstance(old, str) or isinstance(new, str):  # money: decimal text
                old, new = float(old), float(new)
            row[f"{m}_change"] = (
                round(100.0 * (new - old) / old, 1) if old else (None if new else 0.0)
            )


def _fill_time_gaps(rows: list[dict[str, Any]], q: Query) -> list[dict[str, Any]]:
    dim = q.dimensions[0]
    unit = dim.split(":")[1]
    by_key = {r[dim]: r for r in rows}
    out = []
    for key in _buckets(q.period, unit):
        out.append(by_key.get(key) or {dim: key, **{m: _zero(m) for m in q.metrics}})
    return out


def _zero(metric: str) -> Any:
    return None if METRICS_BY_NAME[metric].unit == "ms" else 0


def _buckets(period: DateRange, unit: str) -> list[str]:
    """Bucket labels in time order, as many as ``bucket_count`` (never past 9999-12-31)."""
    count = bucket_count(period, unit)
    if unit == "hour":
        return [f"{period.start + timedelta(days=i // 24)} {i % 24:02d}:00" for i in range(count)]
    if unit == "day":
        return [(period.start + timedelta(days=i)).isoformat() for i in range(count)]
    if unit == "week":
        monday = period.start - timedelta(days=period.start.weekday())
        return [(monday + timedelta(weeks=i)).isoformat() for i in range(count)]
    first = period.start.year * 12 + period.start.month - 1
    return [f"{(first + i) // 12:04d}-{(first + i) % 12 + 1:02d}" for i in range(count)]
