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

from footfall.auth.access import allowed
from footfall.collect.jsonlog import check_json_keys
from footfall.errors import FootfallError, QueryError
from footfall.pipeline.importer import ImportRequest, run_import
from footfall.web.guard import CanImport, ImportSite, context

router = APIRouter(prefix="/api/v1")
one_import_at_a_time = threading.Lock()  # imports and the event mover take turns


@dataclass
class Job:
    id: str
    site: str
    status: str = "queued"  # queued | running | done | failed
    report: dict[str, Any] = field(default_factory=dict)
    error: str = ""


def server_file(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".server.json")


def announce(db_path: Path, url: str, secret: str) -> Path:
    """Tell CLI imports where the server that owns ``db_path`` listens, and give them the
    server's local secret: only the user who can read this file (the database's owner)
    can hand the server an import of any path."""
    path = server_file(db_path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # a file left by an older version: narrowed before the secret goes in
    with open(fd, "w", encoding="utf-8") as out:
        out.write(json.dumps({"url": url, "pid": os.getpid(), "secret": secret}))
    return path


@router.post("/imports", status_code=202)
async def start(request: Request, access: ImportSite) -> dict[str, str]:
    """Start an import of files on the server.  Anyone but the database's owner (the local
    secret) may import only from the directories of the ``import_dirs`` setting."""
    body = access.body or {}
    paths = body.get("paths")
    if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
        raise QueryError("paths: a list of absolute file paths on the server")
    if any(not Path(p).is_absolute() for p in paths):
        raise QueryError("paths must be absolute: the server's working directory is not yours")
    ctx = context(request)
    job_request = ImportRequest(
        inputs=paths,
        site=str(access.site),
        format=_text(body, "format"),
        log_format=_text(body, "log_format"),
        hosts=_hosts(body.get("hosts")),
        json_keys=_json_keys(body.get("json_keys")),
        allowed_roots=None if access.actor.kind == "local" else ctx.settings.import_dirs,
    )
    job = Job(secrets.token_hex(8), str(access.site))
    ctx.jobs[job.id] = job
    threading.Thread(target=_run, args=(ctx, job, job_request), daemon=True).start()
    return {"id": job.id, "status": job.status}


@router.get("/imports/{job_id}")
def status(job_id: str, request: Request, access: CanImport) -> dict[str, Any]:
    job = context(request).jobs.get(job_id)
    if job is None or not allowed(access.actor, "import", job.site):
        raise QueryError(f"no import {job_id!r}")
    return asdict(job)


def _text(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise QueryError(f"{key}: text")
    return value or None


def _hosts(value: Any) -> tuple[str, ...]:
    """The site's own host names: a list of names (a single name as text is one host)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(h, str) and h for h in value):
        raise QueryError("hosts: a list of host names")
    return tuple(value)


def _json_keys(value: Any) -> tuple[tuple[str, str], ...]:
    """JSON log keys by field, as ``--json-keys`` gives them: an object of strings."""
    if value is None:
        return ()
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise QueryError('json_keys: an object of field -> key path, e.g. {"time": "ts"}')
    return check_json_keys(value.items(), "json_keys")


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
