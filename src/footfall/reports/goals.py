"""A plan goal as SQL over ``hits``: the condition a completing hit meets, and its value.

Page goals match pageviews by path pattern (``*`` matches anything; everything else is
literal), event goals match tracker events by name and by every property condition.
A fixed value counts the same for each completion; a dynamic value is the event's
revenue, converted to the plan's currency with the most recent rate on or before the
hit's day (``fx_rates``, imported with ``footfall load rates``).  Values are bound
parameters, never pasted into SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from footfall.errors import QueryError
from footfall.plan.model import Goal

Bind = Callable[[Any], str]


@dataclass(frozen=True, slots=True)
class GoalSql:
    condition: str  # true for a hit that completes the goal
    value: str  # the value of one completion, in the plan's currency
    join: str = ""  # what ``value`` reads besides hits (the rates), joined to hits


def like_pattern(pattern: str) -> str:
    """A goal's path pattern as a LIKE pattern (ESCAPE '!'): only ``*`` is a wildcard."""
    escaped = pattern.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return escaped.replace("*", "%")


def goal_condition(goal: Goal, bind: Bind) -> str:
    """True for a hit that completes ``goal``."""
    if goal.page is not None:
        return f"(is_pageview AND path LIKE {bind(like_pattern(goal.page))} ESCAPE '!')"
    if goal.event is None:
        raise QueryError(
            f"goal {goal.name!r} counts imported {goal.kind}s, not hits: see `footfall report "
            "goals` and the campaign and attribution reports"
        )
    tests = [f"event_name = {bind(goal.event)}"]
    for key, value in goal.props:
        path = '$."' + key.replace('"', '\\"') + '"'
        tests.append(f"json_extract_string(props, {bind(path)}) = {bind(value)}")
    return "(" + " AND ".join(tests) + ")"


def goal_sql_for(goal: Goal, bind: Bind, currency: str, with_value: bool = True) -> GoalSql:
    """The condition and the value of one completion (with what the value joins)."""
    condition = goal_condition(goal, bind)
    if not with_value:
        return GoalSql(condition, "0")
    if not goal.dynamic_value:
        fixed = bind(str(goal.value or 0))
        return GoalSql(condition, f"{fixed}::DECIMAL(18, 4)")
    target = bind(currency)
    value = (
        f"CASE WHEN revenue_currency = {target} THEN revenue_amount "
        f"ELSE (revenue_amount * _fx.rate)::DECIMAL(18, 4) END"
    )
    join = (
        "ASOF LEFT JOIN (SELECT from_currency, day AS rate_day, rate FROM fx_rates "
        f"WHERE site = $site AND to_currency = {target}) _fx "
        "ON _fx.from_currency = hits.revenue_currency AND hits.day >= _fx.rate_day"
    )
    return GoalSql(condition, value, join)
