"""The former plan-report entry points, kept for their callers: the plan reports are
records of the one catalogue now (``reports/catalog.py``), run by record."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from footfall.plan.model import Plan
from footfall.reports.budget import QueryBudget
from footfall.reports.catalog import (
    PLAN_REPORT_NAMES,
    PLAN_REPORTS,
    RunContext,
    report_named,
    report_tables,
)
from footfall.reports.request import make_request
from footfall.vocabulary.periods import DateRange

__all__ = ["PLAN_REPORTS", "PLAN_REPORT_NAMES", "PlanOptions", "plan_csv", "plan_tables",
           "run_plan_report"]  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlanOptions:
    dimension: str | None = None  # goals: a breakdown; funnels: the segment
    funnel: str | None = None
    model: str = "last_non_direct"
    by: str = "campaign"
    goal: str | None = None  # attribution and economics: a goal instead of orders
    include_bots: bool = False


def run_plan_report(db: Any, plan: Plan, name: str, period: DateRange, tz: str,
                    options: PlanOptions, today: date | None = None,
                    budget: QueryBudget | None = None) -> dict[str, Any]:  # fmt: skip
    """A plan report of ``plan`` (``tz`` is the site's, read again from the database)."""
    report = report_named(name, "plan")
    given = {
        "by": options.dimension if name in ("goals", "funnels") else options.by,
        "funnel": options.funnel,
        "model": options.model,
        "goal": options.goal,
    }
    accepted = {o.name for o in report.options}
    chosen = {k: v for k, v in given.items() if k in accepted and v is not None}
    request = make_request(report, plan.site, period, include_bots=options.include_bots,
                           options=chosen)  # fmt: skip
    return report.run(db, request, RunContext(budget, plan, today))


plan_tables = report_tables


def plan_csv(result: dict[str, Any]) -> str:
    """The main table of a plan report as CSV (nested values left out)."""
    tables = report_tables(result)
    rows = [{k: v for k, v in r.items() if not isinstance(v, dict | list)}
            for r in (tables[0][1] if tables else [])]  # fmt: skip
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()
