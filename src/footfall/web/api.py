"""The JSON API: one query endpoint, named reports, metadata, exports.

Everything goes through ``reports`` (the same Query, compiler and runner as
the CLI), so the API, the dashboard and ``footfall report`` give identical
numbers.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from footfall.auth.access import ACTIONS, allowed, visible_sites
from footfall.errors import QueryError
from footfall.reports.catalog import REPORTS, run_report
from footfall.reports.dimensions import DIMENSIONS
from footfall.reports.metrics import METRICS
from footfall.reports.periods import PRESETS
from footfall.reports.query import Query, parse_filter_text, query_from_dict
from footfall.reports.run import data_range, resolve_period, run_query, site_timezone
from footfall.store.sites import list_sites
from footfall.web.guard import CanQuery, CanView, Forbidden, context

router = APIRouter(prefix="/api/v1")
MAX_BODY = 64 * 1024


@router.get("/meta")
def meta(actor: CanView) -> dict[str, Any]:
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
        "actions": [a.name for a in ACTIONS if a.name in actor.actions],
    }


@router.get("/sites")
def sites(request: Request, actor: CanView) -> dict[str, Any]:
    db = context(request).reader()
    try:
        out = []
        for name in visible_sites(actor, list_sites(db)):
            tz = site_timezone(db, name)
            data = data_range(db, name, tz)
            out.append({"name": name, "timezone": tz,
                        "data": data.as_dict() if data else None})  # fmt: skip
        return {"sites": out}
    finally:
        db.close()


@router.post("/query")
async def query(request: Request, actor: CanQuery) -> Response:
    """Body: see ``reports.query.query_from_dict``; ``?format=csv|parquet`` exports."""
    fmt = request.query_params.get("format", "json")
    if fmt not in ("json", "csv", "parquet"):
        raise QueryError("format must be json, csv or parquet")
    if fmt != "json" and not allowed(actor, "export", None):
        raise Forbidden(f"{actor.name} may not export")
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise QueryError(f"the query is larger than {MAX_BODY // 1024} KiB")
    try:
        body = await request.json()
    except ValueError as err:
        raise QueryError("the body must be JSON") from err
    db = context(request).reader()
    try:
        site = body.get("site") if isinstance(body, dict) else None
        tz = site_timezone(db, site) if isinstance(site, str) else "UTC"
        period = _period_of(db, body, tz)
        result = run_query(db, query_from_dict(_without(body, "date_range"), period))
    finally:
        db.close()
    out = result.as_dict()
    if fmt == "csv":
        return Response(_csv(out), media_type="text/csv",
                        headers={"content-disposition": "attachment; filename=footfall.csv"})  # fmt: skip
    if fmt == "parquet":
        return Response(_parquet(out), media_type="application/vnd.apache.parquet",
                        headers={"content-disposition": "attachment; filename=footfall.parquet"})  # fmt: skip
    return JSONResponse(out)


@router.get("/report/{name}")
def report(name: str, request: Request, actor: CanView) -> dict[str, Any]:
    """A named report, with the CLI's options as query parameters."""
    params = request.query_params
    site = params.get("site")
    if not site:
        raise QueryError("site is required")
    db = context(request).reader()
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
        return run_report(db, name, base, params.get("interval", "day"))
    finally:
        db.close()


def _period_of(db: Any, body: Any, tz: str) -> Any:
    if not isinstance(body, dict) or not isinstance(body.get("site"), str):
        raise QueryError("site: a site name is required")
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


def _columns(out: dict[str, Any]) -> list[str]:
    rows = out["rows"]
    return list(rows[0]) if rows else [*out["dimensions"], *out["metrics"]]


def _csv(out: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_columns(out), lineterminator="\n")
    writer.writeheader()
    writer.writerows(out["rows"])
    return buffer.getvalue()


def _parquet(out: dict[str, Any]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = _columns(out)
    table = pa.table({c: [row.get(c) for row in out["rows"]] for c in columns})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()
