"""Which source answers a query: a daily rollup (``store/rollups.py``) or the raw rows.

``compile_query`` asks ``rollup_parts`` for the grouped subqueries of a query's event
(``hits``) and session metrics; it answers from cubes when every rule below holds, and
from the raw rows otherwise, with the reason.  The cube subqueries return the same
columns (``d0``..., one per metric) as the raw ones, so the outer statement (joins,
derived metrics, order, page) is the same, and so are the results:
``tests/reports/test_rollup_parity.py`` runs the catalogue both ways and compares.

The rules (each one is why a sum of daily aggregates equals the aggregate of the rows):

1. **Metrics.**  Every metric has a cube measure: ``requests``, ``bytes``, ``bots``
   (requests of bot rows), ``pageviews``, ``visitors``, ``clients``, ``events``,
   ``revenue``, ``error_rate`` (errors / requests) over ``hits``; ``visits``,
   ``bounce_rate``, ``visit_duration`` (sum of durations / visits) and
   ``views_per_visit`` over ``sessions``, rounded like the raw SQL.  Goal metrics and
   response-time quantiles have none: raw rows.
2. **Keys.**  One cube per table (hits, sessions) whose key columns hold every dimension
   AND every filter dimension of the query (a filter tests the dimension's value, any
   operator works on a key column; the raw SQL runs unchanged on it).  A ``visit:``
   dimension that ``hits`` lacks (reached through ``session_id``), or an ``event:``
   filter on session metrics: raw rows.  The smallest covering cube wins.
3. **Distinct counts** (``visitors``, ``clients``) add up over rows of different UTC days
   (ids are salted per day) and over ``is_bot`` (a visitor's rows of a day are all bots
   or all people), not over two values of another key: every key of the chosen cube
   that is not a dimension of the query must be fixed by the visitor id (``browser``,
   ``os``, ``device``: its user agent; ``country``: its IP), or pinned to one value by an
   ``is`` filter with a single value.  Else raw rows (say, visitors of a page from a cube
   keyed by page and status: a visitor answered 200 and 304 would count twice).
4. **People.**  Raw SQL keeps ``bot_category IS NULL`` inside event aggregates and in
   the sessions' WHERE; cubes keep ``NOT is_bot``, the same rows.
5. **Time.**  The site's zone must be the zone its cubes were written in.  A period is
   whole local days [lo, hi).  In UTC: the rows of the period's days, bucketed by
   ``local_day`` (= ``day``) for day, week and month.  In another zone, no time
   dimension: the whole-day rows (``local_day`` NULL) of the UTC days inside [lo, hi),
   plus, for the UTC day cut by lo and the one cut by hi, their cells (``local_day``
   set) of the period's local days; with a distinct count each cut day must have one
   such cell only (a DST day may give two: raw rows then).  ``time:day``: cells summed
   per local day (a local day's cells come from different UTC days).  ``time:week`` and
   ``time:month``: cells, unless a distinct count is asked (a visitor of one UTC day can
   sit in two cells of one bucket): raw rows.  ``time:hour``: raw rows.
6. The comparison period is compiled the same way, on its own bounds.
7. Pageviews (alone among event metrics) by a ``visit:`` dimension that ``hits`` lacks
   (raw: hits joined to their visit through ``session_id``) are the sum of the visits'
   ``pageviews`` when the period is whole UTC days (a site in UTC): a visit lies within
   one UTC day, so none is cut by the period.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from footfall.reports.compiler.columns import events_column, sessions_column
from footfall.reports.compiler.params import Params
from footfall.store.rollups import CUBES, Cube
from footfall.vocabulary.dimensions import Dimension
from footfall.vocabulary.metrics import METRICS_BY_NAME
from footfall.vocabulary.query import Query

#: hits-cube aggregates: metric -> SQL over the cube's measures ({people}: not a bot row)
HIT_SQL: dict[str, str] = {
    "requests": "sum(requests)",
    "bytes": "coalesce(sum(bytes), 0)",
    "bots": "sum(requests) FILTER (WHERE is_bot)",
    "pageviews": "sum(pageviews) FILTER (WHERE {people})",
    "visitors": "sum(visitors) FILTER (WHERE {people})",
    "clients": "sum(clients) FILTER (WHERE {people})",
    "events": "sum(events) FILTER (WHERE {people})",
    "revenue": "coalesce(sum(revenue) FILTER (WHERE {people}), 0)",
    "error_rate": "coalesce(round(100.0 * sum(errors) / nullif(sum(requests), 0), 2), 0)",
}
#: sessions-cube aggregates (people are kept by the WHERE, as in the raw SQL)
SESSION_SQL: dict[str, str] = {
    "visits": "sum(visits)",
    "bounce_rate": "coalesce(round(100.0 * sum(bounces) / nullif(sum(visits), 0), 1), 0)",
    "visit_duration": "coalesce(round(sum(duration_s) / nullif(sum(visits), 0), 1), 0)",
    "views_per_visit": "coalesce(round(sum(pageviews) / nullif(sum(visits), 0), 2), 0)",
    "pageviews": "sum(pageviews)",  # rule 7: the pageviews of visits
}
DISTINCT = frozenset({"visitors", "clients"})
#: keys the visitor id fixes for a day (it hashes the IP and the user agent)
PER_VISITOR = frozenset({"browser", "os", "device", "country"})
#: metrics whose rows are all pageviews: their groups are those with a pageview
PAGEVIEW_ONLY = frozenset({"pageviews", "visitors"})


@dataclass(frozen=True, slots=True)
class Rollups:
    """The site's cubes: the zone they were written in (every cube of ``CUBES`` exists: a
    cube added later comes with a migration that builds it)."""

    zone: str


@dataclass(frozen=True, slots=True)
class Raw:
    """The query goes to the raw rows, for this reason."""

    why: str


@dataclass(frozen=True, slots=True)
class CubeParts:
    parts: list[tuple[str, str]]  # (alias e|s, grouped SELECT over a cube)
    cubes: tuple[str, ...]

    @property
    def source(self) -> str:
        return "rollup: " + " + ".join(self.cubes)


def key_column(expr: str) -> str:
    """The raw column a dimension's SQL reads: ``coalesce(bot_category, 'human')`` ->
    ``bot_category``."""
    match = re.fullmatch(r"(?:coalesce\()?(\w+)(?:, '[^']*'\))?", expr)
    assert match, expr
    return match.group(1)


def rollup_parts(
    q: Query,
    dims: list[Dimension],
    event_metrics: list[str],
    session_metrics: list[str],
    params: Params,
    bounds: tuple[datetime, datetime],
    timezone: str,
    rollups: Rollups,
) -> CubeParts | Raw:
    """The cube subqueries of ``q`` (aliases ``e`` and ``s``), or why raw rows answer."""
    if rollups.zone != timezone:
        return Raw(f"the site's cubes were written in {rollups.zone}, its zone is {timezone}")
    for m in (*event_metrics, *session_metrics):
        if m not in HIT_SQL and m not in SESSION_SQL:
            return Raw(f"no rollup measure for {m}")
    time_dims = [x.name for x in dims if x.name.startswith("time:")]
    unit = time_dims[0].split(":")[1] if time_dims else None
    if len(time_dims) > 1:
        return Raw("two time dimensions")
    distinct = any(m in DISTINCT for m in event_metrics)
    if unit == "hour":
        return Raw("hour buckets")
    if unit in ("week", "month") and timezone != "UTC" and distinct:
        return Raw(f"{unit} buckets of distinct visitors outside UTC")
    window = _window(bounds, timezone, unit, distinct)
    if isinstance(window, Raw):
        return window
    parts: list[tuple[str, str]] = []
    names: list[str] = []
    for alias, source, metrics in (
        ("e", "hits", event_metrics),
        ("s", "sessions", session_metrics),
    ):
        if not metrics:
            continue
        cube = _choose(q, dims, source, metrics, rollups)
        if isinstance(cube, Raw) and alias == "e" and metrics == ["pageviews"] and window.utc:
            # pageviews by a visit: dimension are the pageviews of those visits (rule 7)
            via = _choose(q, dims, "sessions", metrics, rollups)
            cube = via if isinstance(via, Cube) else cube
        if isinstance(cube, Raw):
            return cube
        parts.append((alias, _select(q, dims, cube, metrics, params, window, unit)))
        names.append(cube.name)
    return CubeParts(parts, tuple(names))


def _column_of(dimension: str, source: str) -> str | None:
    expr = events_column(dimension) if source == "hits" else sessions_column(dimension)
    return None if expr is None else key_column(expr)


def _choose(
    q: Query, dims: list[Dimension], source: str, metrics: list[str], rollups: Rollups
) -> Cube | Raw:
    """The smallest cube over ``source`` that holds every dimension and filter dimension
    (and, for a distinct count, adds nothing up across another value of a key)."""
    grouped: set[str] = set()
    for dim in dims:
        if dim.name.startswith("time:"):
            continue
        column = _column_of(dim.name, source)
        if column is None:
            return Raw(f"{dim.name} is not a column of {source}")
        grouped.add(column)
    pinned: set[str] = set()
    filtered: set[str] = set()
    for f in q.filters:
        if f.dimension.startswith("time:"):
            return Raw("a filter on time")
        column = _column_of(f.dimension, source)
        if column is None:
            return Raw(f"a filter on {f.dimension}, not a column of {source}")
        filtered.add(column)
        if f.op == "is" and len(f.values) == 1:
            pinned.add(column)
    needed = grouped | filtered
    distinct = any(m in DISTINCT for m in metrics)
    why = f"no {source} rollup keyed by {', '.join(sorted(needed)) or 'nothing'}"
    cubes = (c for c in CUBES if c.source == source)
    for cube in sorted(cubes, key=lambda c: len(c.keys)):
        keys = set(cube.key_columns)
        if not needed <= keys:
            continue
        loose = keys - grouped - pinned - PER_VISITOR
        if distinct and loose:
            why = (f"distinct visitors would add up over {', '.join(sorted(loose))} "
                   f"(rollup {cube.name})")  # fmt: skip
            continue
        return cube
    return Raw(why)


@dataclass(frozen=True, slots=True)
class _Window:
    """Which cube rows a period reads."""

    utc: bool
    start: date  # the period's first local day
    end: date  # its last
    whole: tuple[date, date]  # UTC days [a, b) read whole (no time dimension)
    edges: tuple[date, ...]  # UTC days cut by lo or hi: their cells of the period's days


def _window(
    bounds: tuple[datetime, datetime], timezone: str, unit: str | None, distinct: bool
) -> _Window | Raw:
    lo, hi = bounds
    try:
        zone = ZoneInfo(timezone)
        start, end = _local(lo, zone), _local(hi - timedelta(microseconds=1), zone)
        if not (_midnight(lo, zone) and _midnight(hi, zone)):
            return Raw("the period does not start and end at local midnight")
    except (OverflowError, ValueError):
        return Raw("a period at the edge of the calendar")
    whole_lo = lo.date() if lo.time() == time() else lo.date() + timedelta(days=1)
    whole_hi = max(hi.date(), whole_lo)
    edges: list[date] = []
    for cut in (lo, hi):
        if cut.time() != time() and cut.date() not in edges:
            day = cut.date()
            edges.append(day)
            if distinct and unit is None:
                a = max(lo, datetime.combine(day, time()))
                b = min(hi, datetime.combine(day + timedelta(days=1), time()))
                if _local(a, zone) != _local(b - timedelta(microseconds=1), zone):
                    return Raw(f"UTC day {day} spans two local days of the period")
    return _Window(timezone == "UTC", start, end, (whole_lo, whole_hi), tuple(edges))


def _local(ts: datetime, zone: ZoneInfo) -> date:
    return ts.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).date()


def _midnight(ts: datetime, zone: ZoneInfo) -> bool:
    if ts in (datetime.min, datetime.max):
        return True
    return ts.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).time() == time()


def _time_condition(window: _Window, unit: str | None, p: Params) -> str:
    d = p.dialect
    if window.utc:
        a, b = p.bind(window.whole[0]), p.bind(window.whole[1])
        return f"day >= {a} AND day < {b}"
    start, end = p.bind(window.start), p.bind(window.end)
    cells = f"local_day IS NOT NULL AND local_day >= {start} AND local_day <= {end}"
    if unit is not None:  # cells of the period's local days (their UTC day is within one)
        return (f"day >= {start} - {d.days.format(n=1)} AND day <= {end} + "
                f"{d.days.format(n=1)} AND {cells}")  # fmt: skip
    a, b = p.bind(window.whole[0]), p.bind(window.whole[1])
    whole = f"local_day IS NULL AND day >= {a} AND day < {b}"
    if not window.edges:
        return whole
    return f"(({whole}) OR ({d.in_list.format(values=p.bind(list(window.edges)), expr='day')} AND {cells}))"


def _select(
    q: Query,
    dims: list[Dimension],
    cube: Cube,
    metrics: Sequence[str],
    params: Params,
    window: _Window,
    unit: str | None,
) -> str:
    from footfall.reports.compiler.traffic import _condition  # the raw filter, unchanged

    d = params.dialect
    hits = cube.source == "hits"
    people = "true" if q.include_bots else "NOT is_bot"

    def column(dim_name: str) -> str:
        if dim_name.startswith("time:"):
            return d.date_trunc.format(unit=unit, expr="CAST(local_day AS TIMESTAMP)")
        expr = events_column(dim_name) if hits else sessions_column(dim_name)
        assert expr is not None
        return expr

    select = [f"{column(x.name)} AS d{i}" for i, x in enumerate(dims)]
    sql = HIT_SQL if hits else SESSION_SQL
    select += [f'{sql[m].format(people=people)} AS "{m}"' for m in metrics]
    where = [f"site = {params.ref('site')}", _time_condition(window, unit, params)]
    if not q.include_bots and (not hits or all(METRICS_BY_NAME[m].scope == "people"
                                                   for m in metrics)):  # fmt: skip
        where.append("NOT is_bot")
    if hits and set(metrics) <= PAGEVIEW_ONLY:
        where.append("pageviews > 0")
    where += [_condition(f, column(f.dimension), params) for f in q.filters]
    group = f" GROUP BY {', '.join(str(i + 1) for i in range(len(dims)))}" if dims else ""
    return f"SELECT {', '.join(select)} FROM {cube.table} WHERE {' AND '.join(where)}{group}"
