"""Hand an import to the running server that owns the database (see web/imports.py)."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from dataclasses import fields
from pathlib import Path
from typing import Any

from footfall.errors import DatabaseBusy, StorageError
from footfall.pipeline.importer import ImportReport, ImportRequest, SourceReport
from footfall.settings import Settings

POLL_SECONDS = 0.5


def running_server(db_path: Path) -> tuple[str, str] | None:
    """The URL and local secret of the server that owns ``db_path``, if its process runs.

    The secret lets the owner of the database (who can read ``<db>.server.json``, mode
    0600) hand the server an import without an API token."""
    path = db_path.with_name(db_path.name + ".server.json")
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        os.kill(int(info["pid"]), 0)  # a stale file from a server that was killed: ignore it
        return str(info["url"]), str(info.get("secret", ""))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def import_through_server(
    settings: Settings, request: ImportRequest, busy: DatabaseBusy
) -> ImportReport:
    found = running_server(Path(settings.db_path))
    if found is None:
        raise busy
    url, secret = found
    body = {
        "paths": [str(Path(p).resolve()) for p in request.inputs],
        "site": request.site, "format": request.format, "log_format": request.log_format,
        "hosts": list(request.hosts), "json_keys": dict(request.json_keys),
    }  # fmt: skip
    if "-" in request.inputs:
        raise StorageError("standard input cannot be handed to the server; write it to a file")
    token = secret or settings.api_token
    job = _call(token, "POST", f"{url}/api/v1/imports", body)
    while job["status"] in ("queued", "running"):
        time.sleep(POLL_SECONDS)
        job = _call(token, "GET", f"{url}/api/v1/imports/{job['id']}")
    if job["error"]:
        raise StorageError(f"the server's import failed: {job['error']}")
    raw = job["report"]
    known = {f.name for f in fields(SourceReport)}
    return ImportReport(
        sources=[
            SourceReport(**{k: v for k, v in s.items() if k in known}) for s in raw["sources"]
        ],
        finalized_rows=raw["finalized_rows"],
        seconds=raw["seconds"],
    )


def _call(token: str, method: str, url: str, body: Any = None) -> dict[str, Any]:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as answer:
            return json.loads(answer.read())  # type: ignore[no-any-return]
    except urllib.error.HTTPError as err:
        detail = err.read().decode(errors="replace")[:300]
        hint = " (set FOOTFALL_TOKEN to a writable API token)" if err.code in (401, 403) else ""
        raise StorageError(
            f"the server at {url} refused the import: {err.code} {detail}{hint}"
        ) from err
    except urllib.error.URLError as err:
        raise StorageError(
            f"the database is busy and its server at {url} does not answer: {err.reason}"
        ) from err
