"""``footfall plan check``: does the plan fit the data that is stored?

A plan can parse and still measure nothing: a page pattern no stored pageview
matches, an event the tracker never sent, a campaign rule no visit or spend row
meets, an amount in a currency with no rate.  Each finding names the plan line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from footfall.errors import FootfallError
from footfall.plan.model import Goal, Kpi, Plan
from footfall.reports.compiler import Statement, dialect_of
from footfall.reports.compiler import checks as sql
from footfall.reports.journeys import matches
from footfall.reports.run import run_query
from footfall.store.backend import ReportBackend
from footfall.vocabulary.periods import DateRange
from footfall.vocabulary.query import Query, parse_filter_text


@dataclass(frozen=True, slots=True)
class Finding:
    line: int
    message: str

    def text(self, path: str) -> str:
        return f"{path}:{self.line}: {self.message}"


def _one(db: ReportBackend, statement: Statement) -> tuple[Any, ...] | None:
    return db.fetchone(statement.sql, statement.params)


def _fires(db: ReportBackend, plan: Plan, goal: Goal) -> int:
    row = _one(db, sql.goal_hits(plan.site, goal, dialect_of(db)))
    return int(row[0]) if row else 0


def check_plan(db: ReportBackend, plan: Plan) -> list[Finding]:
    if _one(db, sql.any_row(plan.site, "sites", dialect_of(db))) is None:
        return [Finding(1, f"site {plan.site!r} does not exist in this database")]
    found: list[Finding] = []
    for goal in plan.goals:
        found += _check_goal(db, plan, goal)
    for funnel in plan.funnels:
        for step in funnel.steps:
            if step.page is not None and not _fires(db, plan, Goal(step.label, 0, page=step.page)):
                found.append(Finding(funnel.line, f"funnel {funnel.name!r}: no stored pageview "
                                     f"matches step {step.label!r}"))  # fmt: skip
    for kpi in plan.kpis:
        found += _check_kpi(db, plan, kpi)
    found += _check_campaigns(db, plan)
    found += _check_rates(db, plan)
    return found


def _check_goal(db: ReportBackend, plan: Plan, goal: Goal) -> list[Finding]:
    if goal.kind == "page" and not _fires(db, plan, goal):
        return [Finding(goal.line, f"goal {goal.name!r}: no stored pageview matches "
                        f"{goal.page!r} (an unknown page pattern?)")]  # fmt: skip
    if goal.kind == "event" and not _fires(db, plan, goal):
        props = ", ".join(f"{k}={v}" for k, v in goal.props)
        return [Finding(goal.line, f"goal {goal.name!r} never fired: no tracker event "
                        f"{goal.event!r}{' with ' + props if props else ''} is stored")]  # fmt: skip
    dialect = dialect_of(db)
    if goal.kind == "order" and not _one(db, sql.any_row(plan.site, "orders", dialect)):
        return [Finding(goal.line, f"goal {goal.name!r}: no orders imported yet "
                        "(footfall load orders FILE)")]  # fmt: skip
    if goal.kind == "conversion" and not _one(
        db, sql.any_row(plan.site, "offline_conversions", dialect, kind=goal.conversion)
    ):
        return [Finding(goal.line, f"goal {goal.name!r}: no offline conversion of kind "
                        f"{goal.conversion!r} imported yet")]  # fmt: skip
    return []


def _check_kpi(db: ReportBackend, plan: Plan, kpi: Kpi) -> list[Finding]:
    try:
        run_query(db, Query(site=plan.site, metrics=(kpi.metric,), goal=kpi.goal,
                            period=DateRange(kpi.start, kpi.deadline),
                            filters=tuple(parse_filter_text(f) for f in kpi.filters)))  # fmt: skip
    except FootfallError as err:
        return [Finding(kpi.line, f"KPI {kpi.name!r}: {err}")]
    return []


def _check_campaigns(db: ReportBackend, plan: Plan) -> list[Finding]:
    if not plan.campaigns:
        return []
    dialect = dialect_of(db)
    keys = sql.campaign_visit_keys(plan.site, dialect)
    visits = db.fetchall(keys.sql, keys.params)
    paid_keys = sql.spend_keys(plan.site, dialect)
    spend = db.fetchall(paid_keys.sql, paid_keys.params)
    found = []
    for campaign in plan.campaigns:
        seen = any(matches(campaign.match, {"utm_source": a, "utm_medium": b, "utm_campaign": c,
                                            "source": d, "referrer": e})
                   for a, b, c, d, e in visits)  # fmt: skip
        paid = any(n == campaign.name or (not n and matches(
            campaign.match, {"utm_source": a, "utm_medium": b, "utm_campaign": c}))
            for n, a, b, c in spend)  # fmt: skip
        if not seen and not paid:
            found.append(Finding(campaign.line, f"campaign {campaign.name!r}: no stored visit "
                                 "and no spend row matches its rules"))  # fmt: skip
    return found


def _check_rates(db: ReportBackend, plan: Plan) -> list[Finding]:
    missing = sql.currencies_without_rate(plan.site, plan.currency, dialect_of(db))
    rows = db.fetchall(missing.sql, missing.params)
    line = next((i for i, text in enumerate(plan.text.splitlines(), 1)
                 if text.strip().startswith("currency")), 1)  # fmt: skip
    return [Finding(line, f"amounts in {c} have no rate to {plan.currency} "
                    "(footfall load rates FILE)") for (c,) in rows]  # fmt: skip
