"""Query -> one parameterised SQL statement. The only place report SQL is written.

Metrics over ``hits`` and over ``sessions`` are computed in two grouped
subqueries and joined on the dimension values.  A ``visit:*`` dimension or
filter that ``hits`` lacks is reached through ``session_id``; an ``event:*``
filter on session metrics keeps the sessions that contain a matching hit.
Every value (site, dates, filter values) is a bound parameter; identifiers
come from the registries only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from footfall.errors import QueryError
from footfall.plan.model import Goal
from footfall.reports.goals import GoalSql, goal_sql_for
from footfall.reports.params import Params
from footfall.vocabulary.dimensions import (
    DIMENSIONS_BY_NAME,
    Dimension,
    time_bucket_sql,
    time_label_sql,
)
from footfall.vocabulary.metrics import METRICS_BY_NAME, needs_goal
from footfall.vocabulary.query import Filter, Query

PEOPLE = "bot_category IS NULL"


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    sql: str
    params: dict[str, Any]
    dimension_columns: tuple[str, ...]  # d0, d1, ... in the result
    metric_columns: tuple[str, ...]


def compile_query(
    q: Query,
    bounds: tuple[datetime, datetime],
    timezone: str = "UTC",
    goal: Goal | None = None,
    currency: str = "EUR",
) -> CompiledQuery:
    """``goal`` (with the plan's ``currency``) is what goal metrics count."""
    params = Params({"site": q.site, "lo": bounds[0], "hi": bounds[1]})
    if timezone != "UTC":
        params.values["tz"] = timezone
    dims = [DIMENSIONS_BY_NAME[d] for d in q.dimensions]
    base = _base_metrics(q.metrics)
    if goal is None and any(needs_goal(m) for m in base):
        raise QueryError("goal metrics (conversions, completions...) need a goal of the plan")
    goal_sql = (
        goal_sql_for(goal, params.bind, currency, with_value="goal_value" in base)
        if goal is not None
        else None
    )
    event_metrics = [m for m in base if METRICS_BY_NAME[m].table == "events"]
    session_metrics = [m for m in base if METRICS_BY_NAME[m].table == "sessions"]
    parts = []
    if event_metrics:
        parts.append(("e", _events_sql(q, dims, event_metrics, params, timezone, goal_sql)))
    if session_metrics:
        parts.append(("s", _sessions_sql(q, dims, session_metrics, params, timezone)))
    owner = {m: "e" if METRICS_BY_NAME[m].table == "events" else "s" for m in base}
    dcols = tuple(f"d{i}" for i in range(len(dims)))
    with_sql = "WITH " + ", ".join(f"{alias} AS ({sql})" for alias, sql in parts)
    if len(parts) == 1:
        alias = parts[0][0]
        dim_select = [_label(d, f"{alias}.{c}", c) for d, c in zip(dims, dcols, strict=True)]
        from_sql = alias
    else:
        dim_select = [
            _label(d, f"coalesce(e.{c}, s.{c})", c) for d, c in zip(dims, dcols, strict=True)
        ]
        on = " AND ".join(f"e.{c} IS NOT DISTINCT FROM s.{c}" for c in dcols) or "true"
        from_sql = f"e FULL OUTER JOIN s ON {on}"

    def value(m: str) -> str:
        return f'coalesce({owner[m]}."{m}", 0)'

    metric_select = [
        f'{_derived(m, value) if METRICS_BY_NAME[m].table == "derived" else value(m)} AS "{m}"'
        for m in q.metrics
    ]
    select = ", ".join([*dim_select, *metric_select])
    order = _order(q, dcols)
    where = ""
    if dims and not q.dimensions[0].startswith("time:"):
        # a group where every metric is 0 (say, asset paths under pageviews) is noise
        zero = " AND ".join(f"{value(m)} = 0" for m in base)
        where = f" WHERE NOT ({zero})"
    sql = (
        f"{with_sql} SELECT {select}, count(*) OVER () AS _total FROM {from_sql}{where} "
        f"ORDER BY {order} LIMIT {int(q.limit)} OFFSET {int(q.offset)}"
    )
    if "$tz" not in sql:
        params.values.pop("tz", None)  # DuckDB refuses parameters a statement does not use
    return CompiledQuery(sql, params.values, dcols, tuple(q.metrics))


def _base_metrics(metrics: tuple[str, ...]) -> list[str]:
    """The stored metrics a query computes: those asked for and what derived ones need."""
    out: list[str] = []
    for name in metrics:
        metric = METRICS_BY_NAME[name]
        for needed in metric.needs if metric.table == "derived" else (name,):
            if needed not in out:
                out.append(needed)
    return out


def _derived(name: str, value: Callable[[str], str]) -> str:
    metric = METRICS_BY_NAME[name]
    return metric.sql.format(**{n: value(n) for n in metric.needs})


def _label(dim: Dimension, value: str, column: str) -> str:
    """How a grouped value is shown: time buckets and status codes become text here,
    once per group, rather than in the scan, once per row."""
    if dim.name.startswith("time:"):
        return f"{time_label_sql(dim.name.split(':')[1], value)} AS {column}"
    if dim.name == "event:status":
        return f"{value}::VARCHAR AS {column}"
    return f"{value} AS {column}"


def _order(q: Query, dcols: tuple[str, ...]) -> str:
    keys = []
    for key, direction in q.order_by:
        col = f'"{key}"' if key in q.metrics else dcols[q.dimensions.index(key)]
        keys.append(f"{col} {direction.upper()} NULLS LAST")
    if not keys:
        if q.dimensions and q.dimensions[0].startswith("time:"):
            keys.append("d0 ASC")
        else:
            keys.append(f'"{q.metrics[0]}" DESC')
    keys.extend(f"{c} ASC NULLS LAST" for c in dcols)
    return ", ".join(keys)


def _events_sql(
    q: Query,
    dims: list[Dimension],
    metrics: list[str],
    params: Params,
    tz: str,
    goal: GoalSql | None,
) -> str:
    people = "true" if q.include_bots else PEOPLE
    joined: list[str] = []  # sessions columns needed through the join

    def column(d: Dimension) -> str:
        if d.name.startswith("time:"):
            return time_bucket_sql(d.name.split(":")[1], "ts", tz)
        if d.events is not None:
            return d.events
        assert d.sessions is not None
        joined.append(d.sessions)
        return f"_s.{d.sessions}"

    select = [f"{column(d)} AS d{i}" for i, d in enumerate(dims)]
    fields = {"people": people, "goal": goal.condition if goal else "false",
              "goal_value": goal.value if goal else "0"}  # fmt: skip
    select += [f'{METRICS_BY_NAME[m].sql.format(**fields)} AS "{m}"' for m in metrics]
    where = ["site = $site", "ts >= $lo", "ts < $hi"]
    if not q.include_bots and all(METRICS_BY_NAME[m].scope == "people" for m in metrics):
        where.append(PEOPLE)  # lets DuckDB skip bot rows, and no all-zero bot groups appear
    shared = {METRICS_BY_NAME[m].rows for m in metrics}
    if len(shared) == 1 and "" not in shared:
        where.append(shared.pop())  # e.g. only pageview metrics: assets never enter the scan
    where += [_condition(f, column(DIMENSIONS_BY_NAME[f.dimension]), params) for f in q.filters]
    join = ""
    if joined:
        where.append("hits.session_id IS NOT NULL")  # visit attributes exist only for visits
        cols = ", ".join(sorted(set(joined)))
        join = (
            f" LEFT JOIN (SELECT session_id AS _sid, {cols} FROM sessions WHERE site = $site "
            "AND start_ts >= $lo - INTERVAL 1 DAY AND start_ts < $hi) _s ON _s._sid = hits.session_id"
        )
    if goal is not None and goal.join and "goal_value" in metrics:
        join += f" {goal.join}"
    group = f" GROUP BY {', '.join(str(i + 1) for i in range(len(dims)))}" if dims else ""
    return f"SELECT {', '.join(select)} FROM hits{join} WHERE {' AND '.join(where)}{group}"


def _sessions_sql(
    q: Query, dims: list[Dimension], metrics: list[str], params: Params, tz: str
) -> str:
    def column(d: Dimension) -> str:
        if d.name.startswith("time:"):
            return time_bucket_sql(d.name.split(":")[1], "start_ts", tz)
        if d.sessions is None:
            raise QueryError(
                f"session metrics ({', '.join(metrics)}) cannot be broken down by {d.name}; "
                "use a visit: dimension (visit:entry_page, visit:exit_page...)"
            )
        return d.sessions

    select = [f"{column(d)} AS d{i}" for i, d in enumerate(dims)]
    select += [f'{METRICS_BY_NAME[m].sql} AS "{m}"' for m in metrics]
    where = ["site = $site", "start_ts >= $lo", "start_ts < $hi"]
    if not q.include_bots:
        where.append(PEOPLE)
    for f in q.filters:
        d = DIMENSIONS_BY_NAME[f.dimension]
        if d.sessions is not None or d.name.startswith("time:"):
            where.append(_condition(f, column(d), params))
        else:
            inner = _condition(f, d.events or "NULL", params)
            where.append(
                "session_id IN (SELECT session_id FROM hits WHERE site = $site AND ts >= $lo "
                f"AND ts < $hi + INTERVAL 1 DAY AND session_id IS NOT NULL AND {inner})"
            )
    group = f" GROUP BY {', '.join(str(i + 1) for i in range(len(dims)))}" if dims else ""
    return f"SELECT {', '.join(select)} FROM sessions WHERE {' AND '.join(where)}{group}"


def _condition(f: Filter, column: str, params: Params) -> str:
    column = f"{column}::VARCHAR"  # filter values are text (a status code too)
    if f.op in ("is", "is_not"):
        values = params.bind(list(f.values))
        test = f"list_contains({values}, {column})"
        if f.op == "is":
            return test
        return f"({column} IS NULL OR NOT {test})"
    if f.op == "contains":
        tests = [f"contains(lower({column}), lower({params.bind(v)}))" for v in f.values]
    else:
        tests = [f"regexp_matches({column}, {params.bind(v)})" for v in f.values]
    return "(" + " OR ".join(f"coalesce({t}, false)" for t in tests) + ")"
