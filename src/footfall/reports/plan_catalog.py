"""Reports on the measurement plan, by name: the same functions serve CLI, API and dashboard."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from footfall.errors import QueryError
from footfall.plan.model import Plan
from footfall.reports.budget import QueryBudget, check_period, within
from footfall.reports.credit import attribution_report
from footfall.reports.economics import economics_report
from footfall.reports.funnels import funnel_report
from footfall.reports.goal_report import goals_report
from footfall.reports.pacing import kpis_report
from footfall.vocabulary.periods import DateRange, today_in


@dataclass(frozen=True, slots=True)
class PlanOptions:
    dimension: str | None = None  # goals: a breakdown; funnels: the segment
    funnel: str | None = None
    model: str = "last_non_direct"
    by: str = "campaign"
    goal: str | None = None  # attribution and economics: a goal instead of orders
    include_bots: bool = False


@dataclass(frozen=True, slots=True)
class PlanReport:
    name: str
    doc: str


PLAN_REPORTS: tuple[PlanReport, ...] = (
    PlanReport("goals", "Completions, conversions, conversion rate and value of each goal."),
    PlanReport("funnels", "Each funnel's steps: visitors, drop-off, time between steps."),
    PlanReport("kpis", "KPI pacing: actual, expected and forecast against each target."),
    PlanReport("campaign-economics", "Spend, visits, conversions, revenue, CPA, ROAS, ROI."),
    PlanReport("attribution", "Credit per campaign (or channel) under six attribution models."),
)
PLAN_REPORT_NAMES = tuple(r.name for r in PLAN_REPORTS)


def run_plan_report(db: Any, plan: Plan, name: str, period: DateRange, tz: str,
                    options: PlanOptions, today: date | None = None,
                    budget: QueryBudget | None = None) -> dict[str, Any]:  # fmt: skip
    """``budget``: the period's range limit, and a time limit over all the report's SQL
    (None: the default range limit, no time limit).  KPIs read their own periods."""
    check_period(period, budget or QueryBudget())
    with within(db, budget):
        out = _plan_report(db, plan, name, period, tz, options, today)
    return {"report": name, "plan": plan.path, **out}


def _plan_report(db: Any, plan: Plan, name: str, period: DateRange, tz: str,
                 options: PlanOptions, today: date | None) -> dict[str, Any]:  # fmt: skip
    if name == "goals":
        out = goals_report(db, plan, period, tz, options.dimension, options.include_bots)
    elif name == "funnels":
        chosen = [f for f in plan.funnels if options.funnel in (None, f.name)]
        if options.funnel and not chosen:
            raise QueryError(f"no funnel named {options.funnel!r} in the plan")
        out = {"site": plan.site, "period": period.as_dict(),
               "funnels": [funnel_report(db, plan, f, period, tz, options.dimension)
                           for f in chosen]}  # fmt: skip
    elif name == "kpis":
        out = kpis_report(db, plan, today or today_in(tz))
    elif name == "campaign-economics":
        out = economics_report(db, plan, period, tz, options.model, options.goal)
    elif name == "attribution":
        out = attribution_report(db, plan, period, tz, options.by, options.goal)
    else:
        raise QueryError(f"unknown plan report {name!r}; plan reports: "
                         f"{', '.join(PLAN_REPORT_NAMES)}")  # fmt: skip
    return out


KPI_COLUMNS = ("kpi", "status", "actual", "expected", "forecast", "target", "gap", "deadline",
               "owner")  # fmt: skip
ECONOMICS_COLUMNS = ("campaign", "channel", "spend", "budget", "visits", "conversions", "revenue",
                     "cpa", "roas", "roi", "cost_per_visit")  # fmt: skip


def _columns(rows: list[dict[str, Any]], keep: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{k: r.get(k) for k in keep} for r in rows]


def plan_tables(result: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """A plan report as (title, rows) tables: what the CLI prints and CSV exports."""
    name = result["report"]
    if name == "funnels":
        return [(f"{f['funnel']} · {segment}", steps) for f in result["funnels"]
                for segment, steps in f["segments"].items()]  # fmt: skip
    if name == "kpis":
        return [("KPIs", _columns(result["kpis"], KPI_COLUMNS))]
    if name == "campaign-economics":
        title = f"campaigns · {result['goal']} credited by {result['model']} ({result['currency']})"
        return [(title, _columns(result["campaigns"], ECONOMICS_COLUMNS)),
                ("channels", _columns(result["channels"], ("channel", *ECONOMICS_COLUMNS[2:])))]  # fmt: skip
    if name == "attribution":
        title = (f"attribution of {result['conversions']} conversions ({result['goal']}, "
                 f"{result['value']} {result['currency']}) by {result['by']} · identity "
                 f"{result['identity']} · path known for {result['known_path_share']} %")  # fmt: skip
        value = [{k: v for k, v in r.items() if not k.endswith("_conversions")}
                 for r in result["rows"]]  # fmt: skip
        count = [{k.removesuffix("_conversions"): v for k, v in r.items()
                  if k.endswith("_conversions") or k == result["by"]} for r in result["rows"]]  # fmt: skip
        return [(f"{title} · value credit", value), ("conversions credit", count)]
    return [(name, result["rows"])]


def plan_csv(result: dict[str, Any]) -> str:
    """The main table of a plan report as CSV (nested values left out)."""
    tables = plan_tables(result)
    rows = [{k: v for k, v in r.items() if not isinstance(v, dict | list)}
            for r in (tables[0][1] if tables else [])]  # fmt: skip
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()
