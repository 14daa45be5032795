"""The attribution report: every model's credit per campaign (or channel), side by side.

Conversions are the plan's orders, or the completions of one goal.  For each model,
each conversion's value and its one conversion are shared over its path's touches
(``attribution.py``); a conversion without a known path credits "(unknown path)".
Values are summed exactly and shown in cents handed out by largest remainder, so
each model's column adds up to the total value to the cent (``money.py``).

A page or event goal's value in the goals report counts every completion, while
attribution counts each visit's first completion once; where the two differ (a
thanks page reloaded), ``value_note`` says so and ``goal_value`` gives the former.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from functools import partial
from typing import Any

from footfall.errors import QueryError
from footfall.plan.model import Plan
from footfall.reports.attribution import MODELS, MODELS_BY_NAME, Touch
from footfall.reports.journeys import Conversion, Journeys
from footfall.reports.money import allocate, cents
from footfall.reports.run import run_query
from footfall.store.backend import ReportBackend
from footfall.vocabulary.formatting import human_number
from footfall.vocabulary.periods import DateRange
from footfall.vocabulary.query import Query

UNKNOWN = "(unknown path)"
GROUPINGS = ("campaign", "channel", "source")


def counted_goal(plan: Plan, goal: str | None) -> str:
    """What is attributed: ``goal``, else the plan's conversion_goal, else "orders"."""
    return goal or plan.conversion_goal or "orders"


def conversions_for(journeys: Journeys, plan: Plan, goal: str | None) -> list[Conversion]:
    """The conversions of ``counted_goal``: imported orders, or a goal's completions."""
    goal = counted_goal(plan, goal)
    found = plan.goal(goal)  # a goal of the plan first, even one named "orders"
    if found is None and goal != "orders":
        raise QueryError(f"no goal named {goal!r} in the plan")
    if found is None or found.kind == "order":
        return journeys.orders()
    if not found.on_hits:
        raise QueryError(f"goal {goal!r} counts imported {found.kind}s: attribution needs "
                         "orders or page and event goals")  # fmt: skip
    return journeys.goal_completions(found)


def credit(conversions: list[Conversion], model: str, by: str | Callable[[Touch], str],
           half_life: Decimal) -> tuple[dict[str, Fraction], dict[str, Fraction]]:  # fmt: skip
    """(value credit, conversion credit) per group, exact; ``by`` names a grouping or
    gives each touch its group."""
    weigh = MODELS_BY_NAME[model]
    values: dict[str, Fraction] = defaultdict(Fraction)
    counts: dict[str, Fraction] = defaultdict(Fraction)
    for c in conversions:
        if not c.path:
            values[UNKNOWN] += Fraction(c.value)
            counts[UNKNOWN] += 1
            continue
        for touch, weight in zip(c.path, weigh(c.path, c.at, half_life), strict=True):
            group = _group(touch, by)
            values[group] += Fraction(c.value) * weight
            counts[group] += weight
    return values, counts


def _group(touch: Touch, by: str | Callable[[Touch], str]) -> str:
    if callable(by):
        return by(touch)
    return {"campaign": touch.campaign, "channel": touch.channel, "source": touch.source}[by]


def attribution_report(db: ReportBackend, plan: Plan, period: DateRange, tz: str, by: str = "campaign",
                       goal: str | None = None) -> dict[str, Any]:  # fmt: skip
    if by not in GROUPINGS:
        raise QueryError(f"by must be one of {', '.join(GROUPINGS)}")
    journeys = Journeys(db, plan, period, tz)
    conversions = conversions_for(journeys, plan, goal)
    total = sum((c.value for c in conversions), Decimal(0))
    columns: dict[str, dict[str, Decimal]] = {}
    count_columns: dict[str, dict[str, float]] = {}
    groups: set[str] = set()
    for name, _, _ in MODELS:
        values, counts = credit(conversions, name, by, plan.half_life_days)
        exact = sum(values.values(), Fraction(0))
        shares = {g: v / exact for g, v in values.items()} if exact else {}
        columns[name] = allocate(total, shares) if shares else {}
        count_columns[name] = {g: round(float(n), 2) for g, n in counts.items()}
        groups |= set(values)
    rows = []
    for group in sorted(groups, key=lambda g: (g == UNKNOWN, -columns["last_touch"].get(g, 0), g)):
        row: dict[str, Any] = {by: group}
        for name, _, _ in MODELS:
            row[name] = format(columns[name].get(group, Decimal("0.00")), "f")
            row[f"{name}_conversions"] = count_columns[name].get(group, 0.0)
        rows.append(row)
    known = sum(1 for c in conversions if c.known)
    goal_value, note = _goal_value_note(db, plan, period, goal, len(conversions), total)
    return {
        "site": plan.site, "period": period.as_dict(), "by": by,
        "conversions": len(conversions), "goal": counted_goal(plan, goal),
        "value": format(cents(total), "f"), "currency": plan.currency,
        "identity": plan.identity, "lookback_days": plan.lookback_days,
        "half_life_days": str(plan.half_life_days),
        "known_path_share": round(100.0 * known / len(conversions), 1) if conversions else 0.0,
        "found_by": _count_by(conversions),
        "goal_value": goal_value, "value_note": note,
        "models": [{"name": n, "doc": d} for n, _, d in MODELS],
        "rows": rows,
    }  # fmt: skip


def _count_by(conversions: list[Conversion]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for c in conversions:
        out[c.via] += 1
    return dict(out)


def _goal_value_note(db: ReportBackend, plan: Plan, period: DateRange, goal: str | None,
                     conversions: int, total: Decimal) -> tuple[str | None, str | None]:  # fmt: skip
    """The goals report's value of a page or event goal, and why the attributed value
    differs from it, if it does (None where they agree, or for orders: the same rows)."""
    found = plan.goal(counted_goal(plan, goal))
    if found is None or not found.on_hits:
        return None, None
    q = Query(site=plan.site, metrics=("completions", "goal_value"), period=period,
              goal=found.name)  # fmt: skip
    row = run_query(db, q).rows[0]
    completions, value = int(row["completions"] or 0), cents(Decimal(row["goal_value"] or 0))
    if value == cents(total):
        return format(value, "f"), None
    currency, repeats = plan.currency, completions - conversions
    why = (f" ({repeats} repeat completion{'s' if repeats != 1 else ''} in the same visit)"
           if repeats > 0 else "")  # fmt: skip
    money, count = partial(human_number, unit="money"), partial(human_number, unit="count")
    return format(value, "f"), (
        f"The goals report values {found.name} at {money(value)} {currency}: all "
        f"{count(completions)} completions. Attribution credits each visit's first completion "
        f"once: {count(conversions)} conversions, {money(total)} {currency}{why}."
    )
