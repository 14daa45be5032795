"""The JSON API: one query endpoint, named reports, metadata, exports.

Everything goes through ``reports`` (the same Query, compiler and runner as
the CLI), so the API, the dashboard and ``footfall report`` give identical
numbers.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import Response

from footfall.auth.access import ACTIONS, visible_sites
from footfall.errors import QueryError
from footfall.reports.budget import QueryBudget
from footfall.reports.catalog import REPORTS, run_report
from footfall.reports.run import data_range, resolve_period, run_query, site_timezone
from footfall.store.sites import list_sites
from footfall.vocabulary.dimensions import DIMENSIONS
from footfall.vocabulary.metrics import METRICS
from footfall.vocabulary.periods import PRESETS
from footfall.vocabulary.query import Query, parse_filter_text, query_from_dict
from footfall.web.answers import answer, json_answer
from footfall.web.guard import Access, CanView, QuerySite, ViewSite, context

router = APIRouter(prefix="/api/v1")


@router.get("/meta")
def meta(access: CanView) -> dict[str, Any]:
    """Metrics and dimensions with their definitions (docs/metrics.md), reports, presets."""
    return {
        "metrics": [
            {"name": m.name, "label": m.label, "unit": m.unit, "doc": m.doc, "scope": m.scope}
            for m in METRICS
        ],
        "dimensions": [{"name": d.name, "label": d.label, "doc": d.doc} for d in DIMENSIONS],
        "reports": [
            {
                "name": r.name,
                "dimensions": list(r.dimensions),
                "metrics": list(r.metrics),
                "doc": r.doc,
            }
            for r in REPORTS
        ],
        "periods": list(PRESETS),
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
        query = query_from_dict(_without(body, "date_range"), period)
        out = run_query(db, query, budget).as_dict()
    finally:
        db.close()
    return answer(out, fmt, budget)


@router.get("/report/{name}")
def report(name: str, request: Request, access: ViewSite) -> Response:
    """A named report, with the CLI's options as query parameters."""
    params = request.query_params
    site = str(access.site)
    ctx = context(request)
    budget = QueryBudget.from_settings(ctx.settings)
    db = ctx.reader()
    try:
        tz = site_timezone(db, site)
        period = resolve_period(db, site, tz, params.get("period"), params.get("from"),
                                params.get("to"))  # fmt: skip
        base = Query(
            site=site,
            metrics=("visits",),
            period=period,
            filters=tuple(parse_filter_text(f) for f in params.getlist("filter")[:20]),
            include_bots=params.get("include_bots") in ("1", "true"),
            limit=_int(params.get("limit"), 10, "limit"),
            compare=params.get("compare") or None,
        )
        out = run_report(db, name, base, params.get("interval", "day"), budget=budget)
    finally:
        db.close()
    return json_answer(out, budget)


def _period_of(db: Any, body: dict[str, Any], tz: str) -> Any:
    value = body.get("date_range", "30d")
    if isinstance(value, str):
        return resolve_period(db, body["site"], tz, value)
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value):
        return resolve_period(db, body["site"], tz, None, value[0], value[1])
    raise QueryError('date_range: a preset such as "30d", or ["YYYY-MM-DD", "YYYY-MM-DD"]')


def _without(body: Any, key: str) -> Any:
    return {k: v for k, v in body.items() if k != key} if isinstance(body, dict) else body


def _int(text: str | None, default: int, what: str) -> int:
    if text is None:
        return default
    try:
        return int(text)
    except ValueError as err:
        raise QueryError(f"{what} must be a whole number") from err
