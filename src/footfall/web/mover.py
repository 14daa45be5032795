"""The mover: every few seconds, closed event-log segments go into the store.

It rotates the write-ahead log (``collect/event_log.py``) and imports each closed
segment through the same importer as access logs (``format="events"``), so
tracker events get the same bot rules, visitor hash and sessions.  A segment is
deleted only once its import committed; one that fails stays and is retried.
The same round refreshes the collector's table of sites, so the request path
never touches the database.

A round that fails (a full disk, a database that does not answer) is logged
and retried next round: the thread never dies, and ``error`` says what failed
(``/healthz`` shows it) until a round works again.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path
from typing import Any

from footfall.errors import FootfallError, StorageError
from footfall.pipeline.importer import ImportRequest, run_import
from footfall.web.imports import one_import_at_a_time

log = logging.getLogger("footfall.server")


class Mover(threading.Thread):
    """Imports closed event-log segments every ``interval`` seconds.

    Every round costs a fixed ~0.15 s of CPU and a burst of disk writes whose fsync
    the event log's own fsyncs then queue behind; at 5,000 events/s, rounds every
    second kept p99 near 70 ms, every 5 s at 21 ms (``bench/bench_collect.py``).
    """

    def __init__(self, ctx: Any, interval: float = 1.0) -> None:
        super().__init__(name="event-mover", daemon=True)
        self.ctx = ctx
        self.interval = interval
        self.stopping = threading.Event()
        self.error: str | None = None  # why the last round failed; None once one works

    def run(self) -> None:
        while not self.stopping.wait(self.interval):
            self.round()

    def round(self) -> bool:
        """One move that never raises: a failure is logged, kept in ``error``, retried."""
        try:
            self.move()
        except Exception as err:  # the thread must outlive any one round
            message = f"the mover cannot store events: {_first_line(err)}"
            if message != self.error:  # once per distinct failure, not every round
                if isinstance(err, FootfallError):
                    log.warning("%s; retrying every %g s", message, self.interval)
                else:
                    log.exception("%s; retrying every %g s", message, self.interval)
            self.error = message
            return False
        if self.error is not None:
            log.warning("the mover stores events again")
        self.error = None
        return True

    def move(self) -> None:
        collector = self.ctx.collector
        with contextlib.closing(self.ctx.reader()) as db:
            collector.refresh_sites(db)
        collector.log.rotate()
        failed = [
            f"{site}: {problem}"
            for site, paths in collector.log.closed_segments().items()
            if (problem := self._store(site, paths))
        ]
        if failed:
            raise StorageError("; ".join(failed))

    def _store(self, site: str, paths: list[Path]) -> str | None:
        """Import one site's closed segments, delete the stored ones; why not, if not."""
        request = ImportRequest([str(p) for p in paths], site, format="events")
        with one_import_at_a_time, contextlib.closing(self.ctx.reader()) as db:
            try:
                report = run_import(self.ctx.settings, request, db=db)
            except FootfallError as err:
                return str(err)  # left in place; retried next round
        for path, source in zip(paths, report.sources, strict=True):
            if source.status in ("imported", "unchanged"):
                path.unlink(missing_ok=True)
        return None

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop the rounds; False if one is still running after ``timeout`` seconds."""
        self.stopping.set()
        if self.is_alive():
            self.join(timeout)
        return not self.is_alive()


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
