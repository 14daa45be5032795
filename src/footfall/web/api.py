"""The JSON API: one query endpoint, the report catalogue, metadata, exports.

Everything goes through ``reports`` (the same Query, compiler and runner as
the CLI), so the API, the dashboard and ``footfall report`` give identical
numbers.  ``"explain": true`` (a query) or ``?explain=1`` (a report) adds which
source answered (a daily rollup or the raw rows, and why) and the SQL.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import Response

from footfall.auth.access import ACTIONS, visible_sites
from footfall.errors import QueryError
from footfall.present.export import main_table
from footfall.reports.budget import QueryBudget
from footfall.reports.catalog import (
    CATALOGUE,
    COMPARISON_CHOICES,
    DASHBOARD,
    PERIODS,
    Report,
    RunContext,
    explain_of,
    report_named,
    run_catalog_report,
)
from footfall.reports.pacing import STATUS_TONES
from footfall.reports.request import request_from_url
from footfall.reports.run import data_range, resolve_period, run_query, site_timezone
from footfall.store.sites import list_sites
from footfall.vocabulary.dimensions import DIMENSIONS
from footfall.vocabulary.formatting import formats_meta
from footfall.vocabulary.metrics import METRICS
from footfall.vocabulary.query import filter_grammar_meta, query_from_dict
from footfall.web.answers import answer, json_answer, table_answer
from footfall.web.guard import Access, CanView, QuerySite, ViewSite, context

router = APIRouter(prefix="/api/v1")


@router.get("/meta")
def meta(access: CanView) -> dict[str, Any]:
    """The catalogue the faces render from: metrics and dimensions with their definitions
    (docs/metrics.md), every report with its options, columns and fixed filters, the
    dashboard's layout, periods, comparisons, number formats and the filter grammar."""
    return {
        "metrics": [
            {
                "name": m.name,
                "label": m.label,
                "unit": m.unit,
                "doc": m.doc,
                "scope": m.scope,
                "better": getattr(m, "better", None),
            }
            for m in METRICS
        ],
        "dimensions": [{"name": d.name, "label": d.label, "doc": d.doc} for d in DIMENSIONS],
        "reports": [r.as_dict() for r in CATALOGUE],
        "dashboard": DASHBOARD,
        "periods": list(PERIODS),
        "comparisons": list(COMPARISON_CHOICES),
        "kpi_statuses": STATUS_TONES,
        "formats": formats_meta(),
        "filters": filter_grammar_meta(),
        "actions": [a.name for a in ACTIONS if a.name in access.actor.actions],
    }


@router.get("/sites")
def sites(request: Request, access: CanView) -> dict[str, Any]:
    db = context(request).reader()
    try:
        out = []
        for name in visible_sites(access.actor, list_sites(db)):
            tz = site_timezone(db, name)
            data = data_range(db, name, tz)
            out.append({"name": name, "timezone": tz,
                        "data": data.as_dict() if data else None})  # fmt: skip
        return {"sites": out}
    finally:
        db.close()


@router.post("/query")
async def query(request: Request, access: QuerySite) -> Response:
    """Body: see ``vocabulary.query.query_from_dict``; ``?format=csv|parquet`` exports.

    The body and site are the ones the guard checked (``access``); the query runs in a
    worker thread so the event loop (and collection) keeps answering meanwhile."""
    fmt = request.query_params.get("format", "json")
    if fmt not in ("json", "csv", "parquet"):
        raise QueryError("format must be json, csv or parquet")
    if fmt != "json":
        access.require("export")
    return await to_thread.run_sync(_run_body, context(request), access, fmt)


def _run_body(ctx: Any, access: Access, fmt: str) -> Response:
    body = access.body or {}
    budget = QueryBudget.from_settings(ctx.settings)
    db = ctx.reader()
    try:
        tz = site_timezone(db, str(access.site))
        period = _period_of(db, body, tz)
        query = query_from_dict(_without(_without(body, "date_range"), "explain"), period)
        result = run_query(db, query, budget)
        out = result.as_dict()
        if _explain(body.get("explain")):
            out["explain"] = explain_of(result.explain)
    finally:
        db.close()
    return answer(out, fmt, budget)


@router.get("/report/{name}")
def report(name: str, request: Request, access: ViewSite) -> Response:
    """Any report of the catalogue: a ``ReportRequest`` from the URL's query parameters."""
    return run_from_url(request, access, report_named(name), ("json",))


def run_from_url(request: Request, access: ViewSite, record: Report,
                 formats: tuple[str, ...]) -> Response:  # fmt: skip
    """Parse, run and answer one report request (``formats``: what the route exports)."""
    params = request.query_params
    fmt = params.get("format", "json")
    if fmt not in formats:
        raise QueryError(f"format must be {' or '.join(formats)}")
    if fmt != "json":
        access.require("export")
    site = str(access.site)
    ctx = context(request)
    budget = QueryBudget.from_settings(ctx.settings)
    db = ctx.reader()
    try:
        tz = site_timezone(db, site)
        wanted = request_from_url(record, site, params,
                                  lambda p, a, b: resolve_period(db, site, tz, p, a, b))  # fmt: skip
        explain = fmt == "json" and _explain(params.get("explain"))
        out = run_catalog_report(db, wanted, RunContext(budget, explain=explain))
    finally:
        db.close()
    if fmt == "json":
        return json_answer(out, budget)
    rows, columns = main_table(out)
    return table_answer(rows, columns, fmt, f"footfall-{record.name}", budget)


def _period_of(db: Any, body: dict[str, Any], tz: str) -> Any:
    value = body.get("date_range", "30d")
    if isinstance(value, str):
        return resolve_period(db, body["site"], tz, value)
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return resolve_period(db, body["site"], tz, None, value[0], value[1])
    raise QueryError('date_range: a preset such as "30d", or ["YYYY-MM-DD", "YYYY-MM-DD"]')


def _explain(value: Any) -> bool:
    """``"explain": true`` (the query body) or ``?explain=1`` (a report's URL)."""
    if value in (None, False, "", "0", "false"):
        return False
    if value in (True, "1", "true"):
        return True
    raise QueryError("explain must be true or false (1 or 0)")


def _without(body: Any, key: str) -> Any:
    return {k: v for k, v in body.items() if k != key} if isinstance(body, dict) else body
