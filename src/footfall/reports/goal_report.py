"""The goals report: each plan goal's completions, conversions, rate and value.

Page and event goals go through the query API (metrics ``completions``,
``conversions``, ``conversion_rate``, ``goal_value``), so they break down by any
dimension.  Imported goals come from the business tables: orders (value: their
amount) and offline conversions of the goal's kind (value: the goal's fixed value,
else their own); their rate is per visit of the period, with no breakdown.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from footfall.plan.model import Goal, Plan
from footfall.reports.compiler import dialect_of
from footfall.reports.compiler.plans import imported_goal_rows
from footfall.reports.money import Rates, cents
from footfall.reports.run import run_query
from footfall.store.backend import ReportBackend
from footfall.vocabulary.periods import DateRange, utc_bounds
from footfall.vocabulary.query import Query

GOAL_METRICS = ("completions", "conversions", "conversion_rate", "goal_value")


def goals_report(db: ReportBackend, plan: Plan, period: DateRange, tz: str,
                 dimension: str | None = None, include_bots: bool = False) -> dict[str, Any]:  # fmt: skip
    visits_q = Query(site=plan.site, metrics=("visits",), period=period, include_bots=include_bots)
    visits = run_query(db, visits_q).rows[0]["visits"]
    rows = []
    for goal in plan.goals:
        if goal.on_hits:
            q = Query(site=plan.site, metrics=GOAL_METRICS, period=period, goal=goal.name,
                      dimensions=(dimension,) if dimension else (), include_bots=include_bots,
                      limit=1000)  # fmt: skip
            for row in run_query(db, q).rows:
                row["goal_value"] = format(cents(Decimal(row["goal_value"])), "f")
                rows.append({"goal": goal.name, "kind": goal.kind, **row})
        else:
            rows.append({"goal": goal.name, "kind": goal.kind,
                         **_imported(db, plan, goal, period, tz, visits)})  # fmt: skip
    return {"site": plan.site, "period": period.as_dict(), "currency": plan.currency,
            "dimension": dimension, "visits": visits, "rows": rows}  # fmt: skip


def _imported(db: ReportBackend, plan: Plan, goal: Goal, period: DateRange, tz: str,
              visits: int) -> dict[str, Any]:  # fmt: skip
    lo, hi = utc_bounds(period, tz)
    rates = Rates(db, plan.site, plan.currency)
    statement = imported_goal_rows(plan.site, goal, lo, hi, dialect_of(db))
    rows = db.fetchall(statement.sql, statement.params)
    total = Decimal(0)
    for ts, amount, currency in rows:
        if goal.value is not None:
            total += goal.value
        elif amount is not None:
            total += rates.convert(Decimal(amount), currency, ts.date())
    return {"completions": len(rows), "conversions": len(rows),
            "conversion_rate": round(100.0 * len(rows) / visits, 2) if visits else 0,
            "goal_value": format(cents(total), "f")}  # fmt: skip
