"""``footfall serve``: one process that owns the database and serves everyone.

DuckDB allows one writing process per file, so the server opens the file
read-write and every request reads through its own cursor (DuckDB's MVCC lets
reads go on while an import writes).  Imports started while the server runs
go through it (``web/imports.py``), and their data appears when they commit.

Safety: with no user accounts the server runs in open local mode, and only on
a loopback address; binding anywhere else without accounts is refused.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable
from pathlib import Path

import uvicorn

from footfall.auth.accounts import has_users
from footfall.collect.event_log import EventLog
from footfall.errors import ConfigError, StorageError
from footfall.settings import Settings
from footfall.store.database import Database
from footfall.web.app import create_app
from footfall.web.collect import Collector
from footfall.web.guard import WebContext, is_loopback
from footfall.web.imports import announce
from footfall.web.mover import Mover

#: How long requests in flight may take to finish once SIGTERM came.
GRACE_SECONDS = 3
_log = logging.getLogger("footfall.server")


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
    try:
        log = EventLog(Path(str(settings.db_path) + ".events"))
    except StorageError:
        db.close()
        raise
    ctx.collector = Collector(log, settings.collect_rate, max(settings.collect_rate * 4, 20))
    ctx.mover = Mover(ctx, settings.collect_move_seconds)
    ctx.mover.round()  # events accepted before a crash are stored before serving
    ctx.mover.start()
    return ctx


def shutdown(ctx: WebContext) -> None:
    """Store what was accepted and close.  Every step is bounded and a failing one is
    logged, not raised: on a full disk the last import fails, and the process must
    still end (what stays in the event log is imported at the next start)."""
    mover_stopped = ctx.mover.stop(timeout=5)
    _step("closing the event log", ctx.collector.log.close)
    if mover_stopped:
        ctx.mover.round()  # what was accepted before shutdown is stored now
    else:
        _log.warning("shutdown: the mover is still busy; its events stay in the event log")
    _step("closing the database", ctx.db.close)


def _step(what: str, action: Callable[[], object]) -> None:
    try:
        action()
    except Exception as err:  # shutting down: say what failed and go on
        reason = (str(err).strip().splitlines() or [type(err).__name__])[0]
        _log.warning("shutdown: %s failed: %s", what, reason)


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(0)


def log_to_stderr() -> None:
    """The server's own log: faults (``footfall.server``) and the audit trail of logins,
    accounts and tokens (``footfall.audit``), one line each on stderr."""
    logger = logging.getLogger("footfall")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def serve(settings: Settings, host: str, port: int,
          ready: Callable[[], None] | None = None) -> None:  # fmt: skip
    """Run until SIGTERM or Ctrl+C; ``ready`` is called once the database is open."""
    # uvicorn re-raises SIGTERM once it has stopped serving; without a handler Python
    # would die there and skip the shutdown below (last import, log close, cleanup)
    signal.signal(signal.SIGTERM, _stop)
    log_to_stderr()
    ctx = build(settings, host)
    local = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    announced = announce(settings.db_path, f"http://{local}:{port}", ctx.local_secret)
    if ready is not None:
        ready()
    try:
        uvicorn.run(create_app(ctx), host=host, port=port, log_level="warning",
                    proxy_headers=True, server_header=False,
                    timeout_graceful_shutdown=GRACE_SECONDS)  # fmt: skip
    finally:
        announced.unlink(missing_ok=True)
        shutdown(ctx)
