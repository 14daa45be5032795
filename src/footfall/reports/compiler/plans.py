"""The statements of the plan reports: goals, funnels, journeys, economics, rates.

Each function returns a ``Statement`` (sql, bound params) that the report module
runs through ``ReportBackend``; the report keeps its logic in Python (attribution,
pacing, path-building).  Columns come back in the order the report unpacks them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from footfall.plan.model import Goal
from footfall.reports.compiler.columns import PEOPLE, sessions_column
from footfall.reports.compiler.dialect import Dialect
from footfall.reports.compiler.goals import goal_condition, goal_sql_for
from footfall.reports.compiler.params import Params, Statement

# ---------------------------------------------------------------- goals report


def imported_goal_rows(
    site: str, goal: Goal, lo: datetime, hi: datetime, dialect: Dialect
) -> Statement:
    """(ts, amount, currency) of an imported goal's rows: orders or offline conversions."""
    p = Params({"site": site, "lo": lo, "hi": hi}, dialect)
    where = f"site = {p.ref('site')} AND ts >= {p.ref('lo')} AND ts < {p.ref('hi')}"
    if goal.kind == "order":
        return Statement(f"SELECT ts, amount, currency FROM orders WHERE {where}", p.values)
    kind = p.bind(goal.conversion)
    return Statement(
        f"SELECT ts, value, currency FROM offline_conversions WHERE {where} AND kind = {kind}",
        p.values,
    )


# --------------------------------------------------------------------- funnels


def funnel_step_hits(
    site: str, goals: Sequence[Goal], lo: datetime, hi: datetime, dialect: Dialect
) -> Statement:
    """Every people hit that completes a step, in time order: (day, visitor_id, ts,
    session_id, s0, s1, ...) where ``sK`` says whether it completes step K."""
    p = Params({"site": site, "lo": lo, "hi": hi}, dialect)
    conditions = [goal_condition(g, p) for g in goals]
    steps = ", ".join(f"{c} AS s{i}" for i, c in enumerate(conditions))
    return Statement(
        f"SELECT day, visitor_id, ts, session_id, {steps} FROM hits "
        f"WHERE site = {p.ref('site')} AND ts >= {p.ref('lo')} AND ts < {p.ref('hi')} "
        f"AND {PEOPLE} AND ({' OR '.join(conditions)}) ORDER BY ts",
        p.values,
    )


def session_labels(
    site: str, dimension: str, sessions: Sequence[Any], dialect: Dialect
) -> Statement:
    """(session_id, value of a ``visit:*`` dimension) of the given sessions."""
    column = sessions_column(dimension)
    assert column is not None
    p = Params({"site": site, "sessions": list(sessions)}, dialect)
    member = dialect.in_list.format(values=p.ref("sessions"), expr="session_id")
    return Statement(
        f"SELECT session_id, {column} FROM sessions WHERE site = {p.ref('site')} AND {member}",
        p.values,
    )


# -------------------------------------------------------------------- journeys


def journey_visits(site: str, lo: datetime, hi: datetime, dialect: Dialect) -> Statement:
    """People visits started in [lo, hi), oldest first, with what labels them."""
    p = Params({"site": site, "lo": lo, "hi": hi}, dialect)
    return Statement(
        "SELECT session_id, day, visitor_id, start_ts, channel, source, utm_source, "
        "utm_medium, utm_campaign, referrer_host FROM sessions "
        f"WHERE site = {p.ref('site')} AND {PEOPLE} AND start_ts >= {p.ref('lo')} "
        f"AND start_ts < {p.ref('hi')} ORDER BY start_ts, session_id",
        p.values,
    )


def property_visitor_days(
    site: str, prop: str, lo: datetime, hi: datetime, dialect: Dialect
) -> Statement:
    """(value, day, visitor_id) of the people hits that carry the property ``prop``."""
    return _property_keys(site, prop, lo, hi, dialect, ("day", "visitor_id"), "props")


def property_sessions(
    site: str, prop: str, lo: datetime, hi: datetime, dialect: Dialect
) -> Statement:
    """(value, session_id) of the people hits in a visit that carry the property ``prop``."""
    return _property_keys(site, prop, lo, hi, dialect, ("session_id",), "session_id")


def _property_keys(
    site: str, prop: str, lo: datetime, hi: datetime, dialect: Dialect,
    keys: tuple[str, ...], present: str,
) -> Statement:  # fmt: skip
    """Distinct (value of ``prop``, *keys) of people hits whose ``present`` column is set."""
    p = Params({"site": site, "lo": lo, "hi": hi}, dialect)
    value = dialect.json_text.format(doc="props", path=p.bind(dialect.json_key.format(key=prop)))
    return Statement(
        f"SELECT DISTINCT {value}, {', '.join(keys)} FROM hits WHERE site = {p.ref('site')} "
        f"AND {PEOPLE} AND ts >= {p.ref('lo')} AND ts < {p.ref('hi')} "
        f"AND {present} IS NOT NULL AND {value} IS NOT NULL",
        p.values,
    )


def _props(p: Params, *keys: str) -> list[str]:
    d = p.dialect
    return [d.json_text.format(doc="props", path=p.bind(d.json_key.format(key=k))) for k in keys]


def orders_with_events(site: str, lo: datetime, hi: datetime, dialect: Dialect) -> Statement:
    """Orders placed in [lo, hi) with the first tracker event that names each one:
    (order_id, ts, amount, currency, customer_id, utm_source, utm_medium, utm_campaign,
    session_id, day, visitor_id, customer, pid)."""
    p = Params({"site": site, "lo": lo, "hi": hi}, dialect)
    order, customer, pid = _props(p, "order_id", "customer_id", "$pid")

    def first(value: str) -> str:
        return dialect.arg_min.format(value=value, key="ts")

    return Statement(
        "SELECT o.order_id, o.ts, o.amount, o.currency, o.customer_id, "
        "o.utm_source, o.utm_medium, o.utm_campaign, "
        "e.session_id, e.day, e.visitor_id, e.customer, e.pid FROM orders o LEFT JOIN ("
        f"SELECT {order} AS order_id, {first('session_id')} AS session_id, "
        f"{first('day')} AS day, {first('visitor_id')} AS visitor_id, "
        f"{first(customer)} AS customer, {first(pid)} AS pid "
        f"FROM hits WHERE site = {p.ref('site')} AND props IS NOT NULL "
        f"AND {order} IS NOT NULL GROUP BY 1) e USING (order_id) "
        f"WHERE o.site = {p.ref('site')} AND o.ts >= {p.ref('lo')} AND o.ts < {p.ref('hi')} "
        "ORDER BY o.ts, o.order_id",
        p.values,
    )


def first_completions(
    site: str, goal: Goal, currency: str, lo: datetime, hi: datetime, dialect: Dialect
) -> Statement:
    """Each visit's first completion of a page or event goal: (session_id, ts, day,
    visitor_id, value, customer, pid), in time order."""
    p = Params({"site": site, "lo": lo, "hi": hi}, dialect)
    sql = goal_sql_for(goal, p, currency)
    customer, pid = _props(p, "customer_id", "$pid")
    firsts = ", ".join(
        dialect.arg_min.format(value=v, key="ts")
        for v in ("ts", "day", "visitor_id", sql.value, customer, pid)
    )
    return Statement(
        f"SELECT session_id, {firsts} FROM hits {sql.join} WHERE site = {p.ref('site')} "
        f"AND ts >= {p.ref('lo')} AND ts < {p.ref('hi')} AND {PEOPLE} "
        f"AND session_id IS NOT NULL AND {sql.condition} GROUP BY session_id ORDER BY 2, 1",
        p.values,
    )


# ------------------------------------------------------------------- economics


def spend_rows(site: str, start: date, end: date, dialect: Dialect) -> Statement:
    """Spend rows of the days [start, end], oldest first."""
    p = Params({"site": site, "start": start, "end": end}, dialect)
    return Statement(
        "SELECT day, campaign, utm_source, utm_medium, utm_campaign, channel, cost, currency "
        f"FROM spend WHERE site = {p.ref('site')} AND day >= {p.ref('start')} "
        f"AND day <= {p.ref('end')} ORDER BY day",
        p.values,
    )


def rates_into(site: str, currency: str, dialect: Dialect) -> Statement:
    """(from_currency, day, rate) of every imported rate into ``currency``."""
    p = Params({"site": site, "to": currency}, dialect)
    return Statement(
        "SELECT from_currency, day, rate FROM fx_rates "
        f"WHERE site = {p.ref('site')} AND to_currency = {p.ref('to')} "
        "ORDER BY from_currency, day",
        p.values,
    )
