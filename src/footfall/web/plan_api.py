"""The measurement plan in the JSON API: the applied plan, its document, its reports.

``GET /api/v1/plan?site=`` returns the plan as applied (file name, text, a rendered
Markdown document, its goals, funnels, KPIs and campaigns); ``GET
/api/v1/plan/report/{name}?site=&period=`` runs one plan report of the catalogue
(goals, funnels, kpis, campaign-economics, attribution) from a ``ReportRequest``
parsed from the URL, its options as query parameters (``by``, ``funnel``, ``model``,
``goal``), ``?format=csv`` exporting its main table.  The same records serve the CLI.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from footfall.plan.document import render_plan
from footfall.reports.catalog import report_named
from footfall.reports.plan_source import stored_plan
from footfall.reports.run import site_timezone
from footfall.web.api import run_from_url
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
    return run_from_url(request, access, report_named(name, "plan"), ("json", "csv"))
