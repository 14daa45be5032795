"""A plan goal as SQL over ``hits``: the condition a completing hit meets, and its value.

Page goals match pageviews by path pattern (``*`` matches anything; everything else is
literal), event goals match tracker events by name and by every property condition.
A fixed value counts the same for each completion; a dynamic value is the event's
revenue, converted to the plan's currency with the most recent rate on or before the
hit's day (``fx_rates``, imported with ``footfall load rates``).  Values are bound
parameters, never pasted into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from footfall.errors import QueryError
from footfall.plan.model import Goal
from footfall.reports.compiler.params import Params


@dataclass(frozen=True, slots=True)
class GoalSql:
    condition: str  # true for a hit that completes the goal
    value: str  # the value of one completion, in the plan's currency
    join: str = ""  # what ``value`` reads besides hits (the rates), joined to hits


def like_pattern(pattern: str) -> str:
    """A goal's path pattern as a LIKE pattern (escape '!'): only ``*`` is a wildcard."""
    escaped = pattern.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return escaped.replace("*", "%")


def goal_condition(goal: Goal, params: Params) -> str:
    """True for a hit that completes ``goal``."""
    d = params.dialect
    if goal.page is not None:
        like = d.like.format(expr="path", pattern=params.bind(like_pattern(goal.page)))
        return f"(is_pageview AND {like})"
    if goal.event is None:
        raise QueryError(
            f"goal {goal.name!r} counts imported {goal.kind}s, not hits: see `footfall report "
            "goals` and the campaign and attribution reports"
        )
    tests = [f"event_name = {params.bind(goal.event)}"]
    for key, value in goal.props:
        path = params.bind(d.json_key.format(key=key.replace('"', '\\"')))
        tests.append(f"{d.json_text.format(doc='props', path=path)} = {params.bind(value)}")
    return "(" + " AND ".join(tests) + ")"


def goal_sql_for(goal: Goal, params: Params, currency: str, with_value: bool = True) -> GoalSql:
    """The condition and the value of one completion (with what the value joins)."""
    d = params.dialect
    condition = goal_condition(goal, params)
    if not with_value:
        return GoalSql(condition, "0")
    if not goal.dynamic_value:
        return GoalSql(condition, d.to_money.format(expr=params.bind(str(goal.value or 0))))
    target = params.bind(currency)
    converted = d.to_money.format(expr="(revenue_amount * _fx.rate)")
    value = f"CASE WHEN revenue_currency = {target} THEN revenue_amount ELSE {converted} END"
    join = d.asof_left_join.format(
        table=f"(SELECT from_currency, day AS rate_day, rate FROM fx_rates "
        f"WHERE site = {params.ref('site')} AND to_currency = {target}) _fx",
        on="_fx.from_currency = hits.revenue_currency AND hits.day >= _fx.rate_day",
    )
    return GoalSql(condition, value, join)
