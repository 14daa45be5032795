"""Query -> one parameterised SQL statement (the traffic reports and the query API).

Metrics over ``hits`` and over ``sessions`` are computed in two grouped
subqueries and joined on the dimension values.  A ``visit:*`` dimension or
filter that ``hits`` lacks is reached through ``session_id``; an ``event:*``
filter on session metrics keeps the sessions that contain a matching hit.
Every value (site, dates, filter values) is a bound parameter; identifiers
come from the registries only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from footfall.errors import QueryError
from footfall.plan.model import Goal
from footfall.reports.compiler.columns import (
    METRIC_ROWS,
    PEOPLE,
    events_column,
    metric_sql,
    sessions_column,
    time_bucket,
    time_label,
)
from footfall.reports.compiler.dialect import DUCKDB, Dialect
from footfall.reports.compiler.goals import GoalSql, goal_sql_for
from footfall.reports.compiler.params import Params, Statement
from footfall.reports.compiler.rollup import CubeParts, Raw, Rollups, rollup_parts
from footfall.vocabulary.dimensions import DIMENSIONS_BY_NAME, Dimension
from footfall.vocabulary.metrics import METRICS_BY_NAME, needs_goal
from footfall.vocabulary.query import Filter, Query


@dataclass(frozen=True, slots=True)
class CompiledQuery:
    sql: str
    params: dict[str, Any]
    dimension_columns: tuple[str, ...]  # d0, d1, ... in the result
    metric_columns: tuple[str, ...]
    source: str = "raw"  # "rollup: <cubes>" or "raw: <why>" (``rollup.py``)


def compile_query(
    q: Query,
    bounds: tuple[datetime, datetime],
    timezone: str = "UTC",
    goal: Goal | None = None,
    currency: str = "EUR",
    dialect: Dialect = DUCKDB,
    rollups: Rollups | None = None,
) -> CompiledQuery:
    """``goal`` (with the plan's ``currency``) is what goal metrics count; ``rollups``: the
    site's cubes, their zone and tables (None: no cubes, or raw rows forced):
    ``rollup.py`` says when a cube answers instead of the raw rows."""
    params = Params({"site": q.site, "lo": bounds[0], "hi": bounds[1]}, dialect)
    if timezone != "UTC":
        params.values["tz"] = timezone
    dims = [DIMENSIONS_BY_NAME[d] for d in q.dimensions]
    base = _base_metrics(q.metrics)
    if goal is None and any(needs_goal(m) for m in base):
        raise QueryError("goal metrics (conversions, completions...) need a goal of the plan")
    goal_sql = (
        goal_sql_for(goal, params, currency, with_value="goal_value" in base)
        if goal is not None
        else None
    )
    event_metrics = [m for m in base if METRICS_BY_NAME[m].table == "events"]
    session_metrics = [m for m in base if METRICS_BY_NAME[m].table == "sessions"]
    chosen = (
        rollup_parts(q, dims, event_metrics, session_metrics, params, bounds, timezone, rollups)
        if rollups is not None
        else Raw("no rollups (forced, or none written for the site)")
    )
    if isinstance(chosen, CubeParts):
        parts, source = chosen.parts, chosen.source
    else:
        parts, source = [], f"raw: {chosen.why}"
        if event_metrics:
            parts.append(("e", _events_sql(q, dims, event_metrics, params, timezone, goal_sql)))
        if session_metrics:
            parts.append(("s", _sessions_sql(q, dims, session_metrics, params, timezone)))
    owner = {m: "e" if METRICS_BY_NAME[m].table == "events" else "s" for m in base}
    dcols = tuple(f"d{i}" for i in range(len(dims)))
    d = dialect
    with_sql = "WITH " + ", ".join(f"{alias} AS ({sql})" for alias, sql in parts)
    if len(parts) == 1:
        alias = parts[0][0]
        dim_select = [_label(x, f"{alias}.{c}", c, d) for x, c in zip(dims, dcols, strict=True)]
        from_sql = alias
    else:
        dim_select = [
            _label(x, f"coalesce(e.{c}, s.{c})", c, d) for x, c in zip(dims, dcols, strict=True)
        ]
        on = " AND ".join(d.same.format(a=f"e.{c}", b=f"s.{c}") for c in dcols) or "true"
        from_sql = f"e FULL OUTER JOIN s ON {on}"

    def value(m: str) -> str:
        return f'coalesce({owner[m]}."{m}", 0)'

    metric_select = [
        f'{_derived(m, value, d) if METRICS_BY_NAME[m].table == "derived" else value(m)} AS "{m}"'
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
    for name in [n for n in params.values if not _uses(sql, n, dialect)]:
        params.values.pop(name)  # DuckDB refuses parameters a statement does not use
    return CompiledQuery(sql, params.values, dcols, tuple(q.metrics), source)


def _uses(sql: str, name: str, dialect: Dialect) -> bool:
    return re.search(re.escape(dialect.param.format(name=name)) + r"(?!\w)", sql) is not None


def _base_metrics(metrics: tuple[str, ...]) -> list[str]:
    """The stored metrics a query computes: those asked for and what derived ones need."""
    out: list[str] = []
    for name in metrics:
        metric = METRICS_BY_NAME[name]
        for needed in metric.needs if metric.table == "derived" else (name,):
            if needed not in out:
                out.append(needed)
    return out


def _derived(name: str, value: Callable[[str], str], dialect: Dialect) -> str:
    metric = METRICS_BY_NAME[name]
    return metric_sql(name, dialect).format(**{n: value(n) for n in metric.needs})


def _label(dim: Dimension, value: str, column: str, dialect: Dialect) -> str:
    """How a grouped value is shown: time buckets and status codes become text here,
    once per group, rather than in the scan, once per row."""
    if dim.name.startswith("time:"):
        return f"{time_label(dim.name.split(':')[1], value, dialect)} AS {column}"
    if dim.name == "event:status":
        return f"{dialect.to_text.format(expr=value)} AS {column}"
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
    d = params.dialect
    site, lo, hi = params.ref("site"), params.ref("lo"), params.ref("hi")
    people = "true" if q.include_bots else PEOPLE
    joined: list[str] = []  # sessions columns needed through the join

    def column(dim: Dimension) -> str:
        if dim.name.startswith("time:"):
            return time_bucket(dim.name.split(":")[1], "ts", tz, _tz(params, tz), d)
        on_hits = events_column(dim.name)
        if on_hits is not None:
            return on_hits
        on_sessions = sessions_column(dim.name)
        assert on_sessions is not None
        joined.append(on_sessions)
        return f"_s.{on_sessions}"

    select = [f"{column(dim)} AS d{i}" for i, dim in enumerate(dims)]
    fields = {"people": people, "goal": goal.condition if goal else "false",
              "goal_value": goal.value if goal else "0"}  # fmt: skip
    select += [f'{metric_sql(m, d).format(**fields)} AS "{m}"' for m in metrics]
    where = [f"site = {site}", f"ts >= {lo}", f"ts < {hi}"]
    if not q.include_bots and all(METRICS_BY_NAME[m].scope == "people" for m in metrics):
        where.append(PEOPLE)  # lets DuckDB skip bot rows, and no all-zero bot groups appear
    shared = {METRIC_ROWS.get(m, "") for m in metrics}
    if len(shared) == 1 and "" not in shared:
        where.append(shared.pop())  # e.g. only pageview metrics: assets never enter the scan
    where += [_condition(f, column(DIMENSIONS_BY_NAME[f.dimension]), params) for f in q.filters]
    join = ""
    if joined:
        where.append("hits.session_id IS NOT NULL")  # visit attributes exist only for visits
        cols = ", ".join(sorted(set(joined)))
        join = (
            f" LEFT JOIN (SELECT session_id AS _sid, {cols} FROM sessions WHERE site = {site} "
            f"AND start_ts >= {lo} - {d.days.format(n=1)} AND start_ts < {hi}) _s "
            "ON _s._sid = hits.session_id"
        )
    if goal is not None and goal.join and "goal_value" in metrics:
        join += f" {goal.join}"
    group = f" GROUP BY {', '.join(str(i + 1) for i in range(len(dims)))}" if dims else ""
    return f"SELECT {', '.join(select)} FROM hits{join} WHERE {' AND '.join(where)}{group}"


def _tz(params: Params, tz: str) -> str:
    return params.ref("tz") if tz != "UTC" else ""


def _sessions_sql(
    q: Query, dims: list[Dimension], metrics: list[str], params: Params, tz: str
) -> str:
    d = params.dialect
    site, lo, hi = params.ref("site"), params.ref("lo"), params.ref("hi")

    def column(dim: Dimension) -> str:
        if dim.name.startswith("time:"):
            return time_bucket(dim.name.split(":")[1], "start_ts", tz, _tz(params, tz), d)
        on_sessions = sessions_column(dim.name)
        if on_sessions is None:
            raise QueryError(
                f"session metrics ({', '.join(metrics)}) cannot be broken down by {dim.name}; "
                "use a visit: dimension (visit:entry_page, visit:exit_page...)"
            )
        return on_sessions

    select = [f"{column(dim)} AS d{i}" for i, dim in enumerate(dims)]
    select += [f'{metric_sql(m, d)} AS "{m}"' for m in metrics]
    where = [f"site = {site}", f"start_ts >= {lo}", f"start_ts < {hi}"]
    if not q.include_bots:
        where.append(PEOPLE)
    for f in q.filters:
        dim = DIMENSIONS_BY_NAME[f.dimension]
        if sessions_column(dim.name) is not None or dim.name.startswith("time:"):
            where.append(_condition(f, column(dim), params))
        else:
            inner = _condition(f, events_column(dim.name) or "NULL", params)
            where.append(
                f"session_id IN (SELECT session_id FROM hits WHERE site = {site} AND ts >= {lo} "
                f"AND ts < {hi} + {d.days.format(n=1)} AND session_id IS NOT NULL AND {inner})"
            )
    group = f" GROUP BY {', '.join(str(i + 1) for i in range(len(dims)))}" if dims else ""
    return f"SELECT {', '.join(select)} FROM sessions WHERE {' AND '.join(where)}{group}"


def _condition(f: Filter, column: str, params: Params) -> str:
    d = params.dialect
    column = d.to_text.format(expr=column)  # filter values are text (a status code too)
    if f.op in ("is", "is_not"):
        test = d.in_list.format(values=params.bind(list(f.values)), expr=column)
        if f.op == "is":
            return test
        return f"({column} IS NULL OR NOT {test})"
    if f.op == "contains":
        tests = [d.contains_ci.format(expr=column, needle=params.bind(v)) for v in f.values]
    else:
        tests = [d.regex_match.format(expr=column, pattern=params.bind(v)) for v in f.values]
    return "(" + " OR ".join(f"coalesce({t}, false)" for t in tests) + ")"


def union_all(queries: list[CompiledQuery], dialect: Dialect = DUCKDB) -> Statement:
    """Several compiled queries as one statement: each row led by ``_p``, the index of
    its query (a period and its comparison in one round trip).  Parameters are renamed
    ``q<i>_<name>``, so the queries' own names never clash."""
    selects, values = [], {}
    for i, compiled in enumerate(queries):
        sql = compiled.sql
        for name in sorted(compiled.params, key=len, reverse=True):
            token = re.escape(dialect.param.format(name=name)) + r"(?!\w)"
            renamed = dialect.param.format(name=f"q{i}_{name}")
            sql = re.sub(token, lambda _m, r=renamed: r, sql)
            values[f"q{i}_{name}"] = compiled.params[name]
        selects.append(f"SELECT {i} AS _p, * FROM ({sql})")
    return Statement(" UNION ALL ".join(selects), values)
