"""The mover: every few seconds, closed event-log segments go into the store.

It rotates the write-ahead log (``collect/event_log.py``) and imports each closed
segment through the same importer as access logs (``format="events"``), so
tracker events get the same bot rules, visitor hash and sessions.  A segment is
deleted only once its import committed; one that fails stays and is retried.
The same round refreshes the collector's table of sites, so the request path
never touches the database.
"""

from __future__ import annotations

import threading
from typing import Any

from footfall.errors import FootfallError
from footfall.pipeline.importer import ImportRequest, run_import
from footfall.web.imports import one_import_at_a_time


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

    def run(self) -> None:
        while not self.stopping.wait(self.interval):
            self.move()

    def move(self) -> None:
        collector = self.ctx.collector
        db = self.ctx.reader()
        try:
            collector.refresh_sites(db)
        finally:
            db.close()
        collector.log.rotate()
        for site, paths in collector.log.closed_segments().items():
            request = ImportRequest([str(p) for p in paths], site, format="events")
            with one_import_at_a_time:
                db = self.ctx.reader()
                try:
                    report = run_import(self.ctx.settings, request, db=db)
                except FootfallError:
                    continue  # left in place; retried next round
                finally:
                    db.close()
            for path, source in zip(paths, report.sources, strict=True):
                if source.status in ("imported", "unchanged"):
                    path.unlink(missing_ok=True)

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)
        self.move()  # what was accepted before shutdown is stored now
