"""Imports run by the server, because the server owns the database file.

DuckDB lets one process write a file.  While ``footfall serve`` runs,
``footfall import`` finds the file locked, reads ``<db>.server.json`` (written
by the server at start) and hands the job to ``POST /api/v1/imports``.  The
server runs one import at a time in a worker thread on its own cursor; pages
and queries keep being answered from other cursors, and the new data appears
when the import's flush commits.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request

from footfall.errors import FootfallError, QueryError
from footfall.pipeline.importer import ImportRequest, run_import
from footfall.web.guard import CanImport, context

router = APIRouter(prefix="/api/v1")
one_import_at_a_time = threading.Lock()  # imports and the event mover take turns


@dataclass
class Job:
    id: str
    status: str = "queued"  # queued | running | done | failed
    report: dict[str, Any] = field(default_factory=dict)
    error: str = ""


def server_file(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".server.json")


def announce(db_path: Path, url: str) -> Path:
    """Tell CLI imports where the server that owns ``db_path`` listens."""
    path = server_file(db_path)
    path.write_text(json.dumps({"url": url, "pid": os.getpid()}), encoding="utf-8")
    return path


@router.post("/imports", status_code=202)
async def start(request: Request, actor: CanImport) -> dict[str, str]:
    body = await request.json()
    if not isinstance(body, dict):
        raise QueryError("the body must be a JSON object")
    paths = body.get("paths")
    if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
        raise QueryError("paths: a list of absolute file paths on the server")
    if any(not Path(p).is_absolute() for p in paths):
        raise QueryError("paths must be absolute: the server's working directory is not yours")
    job_request = ImportRequest(
        inputs=paths,
        site=str(body.get("site") or "default"),
        format=body.get("format"),
        log_format=body.get("log_format"),
        hosts=tuple(body.get("hosts") or ()),
    )
    ctx = context(request)
    job = Job(secrets.token_hex(8))
    ctx.jobs[job.id] = job
    threading.Thread(target=_run, args=(ctx, job, job_request), daemon=True).start()
    return {"id": job.id, "status": job.status}


@router.get("/imports/{job_id}")
def status(job_id: str, request: Request, actor: CanImport) -> dict[str, Any]:
    job = context(request).jobs.get(job_id)
    if job is None:
        raise QueryError(f"no import {job_id!r}")
    return asdict(job)


def _run(ctx: Any, job: Job, request: ImportRequest) -> None:
    with one_import_at_a_time:
        job.status = "running"
        db = ctx.reader()
        try:
            report = run_import(ctx.settings, request, db=db)
            job.report = asdict(report)
            job.status = "failed" if report.failed else "done"
        except FootfallError as err:
            job.error, job.status = str(err), "failed"
        except Exception as err:  # reported to the client, not swallowed silently
            job.error, job.status = f"internal error: {err!r}", "failed"
        finally:
            db.close()
