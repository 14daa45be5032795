"""The measurement plan in the JSON API: the applied plan, its document, its reports.

``GET /api/v1/plan?site=`` returns the plan as applied (file name, text, a rendered
Markdown document, its goals, funnels, KPIs and campaigns); ``GET
/api/v1/plan/report/{name}?site=&period=`` runs one plan report (goals, funnels,
kpis, campaign-economics, attribution) with the CLI's options as query parameters,
``?format=csv`` exporting its main table.  The same functions serve the CLI.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from footfall.errors import QueryError
from footfall.plan.document import render_plan
from footfall.plan.stored import site_plan, stored_plan
from footfall.reports.budget import QueryBudget
from footfall.reports.plan_catalog import PlanOptions, plan_csv, run_plan_report
from footfall.reports.run import resolve_period, site_timezone
from footfall.web.answers import csv_answer, json_answer
from footfall.web.guard import ViewSite, context

router = APIRouter(prefix="/api/v1")


@router.get("/plan")
def plan(request: Request, access: ViewSite) -> dict[str, Any]:
    """The applied plan, or ``{"site": ..., "plan": null}`` when the site has none yet."""
    site = str(access.site)
    db = context(request).reader()
    try:
        site_timezone(db, site)  # an unknown site is a clear 400
        found = stored_plan(db, site)
    finally:
        db.close()
    if found is None:
        return {"site": site, "plan": None}
    return {"plan": found.path,
        "site": site, "path": found.path, "text": found.text, "document": render_plan(found),
        "currency": found.currency, "identity": found.identity,
        "goals": [{"name": g.name, "kind": g.kind} for g in found.goals],
        "funnels": [f.name for f in found.funnels], "kpis": [k.name for k in found.kpis],
        "campaigns": [c.name for c in found.campaigns],
    }  # fmt: skip


@router.get("/plan/report/{name}")
def plan_report(name: str, request: Request, access: ViewSite) -> Response:
    params = request.query_params
    site = str(access.site)
    fmt = params.get("format", "json")
    if fmt not in ("json", "csv"):
        raise QueryError("format must be json or csv")
    if fmt == "csv":
        access.require("export")
    options = PlanOptions(
        dimension=params.get("by") if name in ("goals", "funnels") else None,
        funnel=params.get("funnel"), model=params.get("model", "last_non_direct"),
        by=params.get("by", "campaign") if name == "attribution" else "campaign",
        goal=params.get("goal"), include_bots=params.get("include_bots") in ("1", "true"),
    )  # fmt: skip
    ctx = context(request)
    budget = QueryBudget.from_settings(ctx.settings)
    db = ctx.reader()
    try:
        tz = site_timezone(db, site)
        period = resolve_period(db, site, tz, params.get("period"), params.get("from"),
                                params.get("to"))  # fmt: skip
        out = run_plan_report(db, site_plan(db, site), name, period, tz, options,
                              budget=budget)  # fmt: skip
    finally:
        db.close()
    if fmt == "csv":
        return csv_answer(plan_csv(out), f"footfall-{name}", budget)
    return json_answer(out, budget)
