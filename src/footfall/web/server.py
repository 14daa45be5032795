"""``footfall serve``: one process that owns the database and serves everyone.

DuckDB allows one writing process per file, so the server opens the file
read-write and every request reads through its own cursor (DuckDB's MVCC lets
reads go on while an import writes).  Imports started while the server runs
go through it (``web/imports.py``), and their data appears when they commit.

Safety: with no user accounts the server runs in open local mode, and only on
a loopback address; binding anywhere else without accounts is refused.
"""

from __future__ import annotations

import signal
from pathlib import Path

import uvicorn

from footfall.auth.accounts import has_users
from footfall.collect.event_log import EventLog
from footfall.errors import ConfigError
from footfall.settings import Settings
from footfall.store.database import Database
from footfall.web.app import create_app
from footfall.web.collect import Collector
from footfall.web.guard import WebContext, is_loopback
from footfall.web.imports import announce
from footfall.web.mover import Mover


def build(settings: Settings, host: str) -> WebContext:
    db = Database(settings)
    open_mode = not has_users(db)
    if open_mode and not is_loopback(host):
        db.close()
        raise ConfigError(
            f"refusing to listen on {host} with no user accounts: anyone could read the data. "
            "Create one first: footfall user add NAME --role admin"
        )
    ctx = WebContext(settings, db, open_mode)
    log = EventLog(Path(str(settings.db_path) + ".events"))
    ctx.collector = Collector(log, settings.collect_rate, max(settings.collect_rate * 4, 20))
    ctx.mover = Mover(ctx, settings.collect_move_seconds)
    ctx.mover.move()  # events accepted before a crash are stored before serving
    ctx.mover.start()
    return ctx


def shutdown(ctx: WebContext) -> None:
    ctx.mover.stop()
    ctx.collector.log.close()
    ctx.mover.move()
    ctx.db.close()


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(0)


def serve(settings: Settings, host: str, port: int) -> None:
    # uvicorn re-raises SIGTERM once it has stopped serving; without a handler Python
    # would die there and skip the shutdown below (last import, log close, cleanup)
    signal.signal(signal.SIGTERM, _stop)
    ctx = build(settings, host)
    local = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    announced = announce(settings.db_path, f"http://{local}:{port}")
    try:
        uvicorn.run(create_app(ctx), host=host, port=port, log_level="warning",
                    proxy_headers=True, server_header=False)  # fmt: skip
    finally:
        announced.unlink(missing_ok=True)
        shutdown(ctx)
