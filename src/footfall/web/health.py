"""``GET /healthz``: 200 while the server can do its job, 503 naming what it cannot.

A monitor or load balancer polls it.  A fault is anything that stops events
from being stored: the event log cannot write (a full disk), the mover's last
round failed, the database does not answer.  Each fault clears by itself once
its cause is gone (the event log probes every second, the mover retries every
round), and the answer turns back to 200 with it.
"""

from __future__ import annotations

import contextlib

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from footfall.web.guard import Public, WebContext, context

router = APIRouter()


@router.get("/healthz")
def health(request: Request, _: Public) -> JSONResponse:
    found = faults(context(request))
    if found:
        return JSONResponse({"status": "fault", "faults": found}, status_code=503,
                            headers={"cache-control": "no-store"})  # fmt: skip
    return JSONResponse({"status": "ok"}, headers={"cache-control": "no-store"})


def faults(ctx: WebContext) -> list[str]:
    """What keeps the server from storing events right now, one sentence each."""
    found: list[str] = []
    if ctx.collector is not None and (fault := ctx.collector.log.fault):
        found.append(fault)
    if ctx.mover is not None and ctx.mover.error:
        found.append(ctx.mover.error)
    try:
        with contextlib.closing(ctx.reader()) as db:
            db.ping()
    except Exception as err:  # any failure here is the fault being reported
        reason = (str(err).strip().splitlines() or [type(err).__name__])[0]
        found.append(f"the database does not answer: {reason}")
    return found
