"""The write-ahead event log: an accepted event is on disk before it is answered.

Each event is appended as one JSON line to the open segment of its site
(``<dir>/<site>/<time>.open``).  A flusher thread fsyncs every few
milliseconds, for all events written meanwhile (group commit), and only then
are their requests answered.  ``rotate`` closes the open segments
(``.open`` -> ``.jsonl``); closed segments are imported like any log file,
checkpoint and all, and deleted once stored.  After a crash, ``recover``
cuts each ``.open`` file after its last complete line and closes it, so
every acknowledged event is imported exactly once.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import IO, Any

from footfall.store.sites import check_site_name


class EventLog:
    def __init__(self, directory: Path, fsync_every: float = 0.001) -> None:
        self.directory = directory
        self.fsync_every = fsync_every
        self._open: dict[str, tuple[Path, IO[str]]] = {}
        self._lock = threading.Lock()
        self._durable = threading.Condition(self._lock)  # appenders wait here for the fsync
        self._pending = threading.Condition(self._lock)  # the flusher waits here for writes
        self._written = 0  # events written to files
        self._synced = 0  # events known to be on disk
        self._stop = False
        directory.mkdir(parents=True, exist_ok=True)
        self.recover()
        self._flusher = threading.Thread(target=self._flush_loop, name="event-log-fsync",
                                         daemon=True)  # fmt: skip
        self._flusher.start()

    def append(self, site: str, line: dict[str, Any], timeout: float = 5.0) -> None:
        """Write one event and return once it is durable."""
        text = json.dumps(line, separators=(",", ":"), ensure_ascii=False) + "\n"
        with self._lock:
            if self._stop:
                raise RuntimeError("the event log is closed")
            _, handle = self._segment(site)
            handle.write(text)
            self._written += 1
            ticket = self._written
            self._pending.notify()  # wake the flusher only, not every waiting appender
            if not self._durable.wait_for(lambda: self._synced >= ticket, timeout):
                raise TimeoutError("the event log could not sync to disk in time")

    def rotate(self) -> None:
        """Close every open segment (it becomes importable)."""
        with self._lock:
            self._sync_locked()
            for path, handle in self._open.values():
                handle.close()
                path.rename(path.with_suffix(".jsonl"))
            self._open.clear()

    def closed_segments(self) -> dict[str, list[Path]]:
        """Site -> closed segments waiting to be imported, oldest first."""
        out: dict[str, list[Path]] = {}
        for site_dir in sorted(p for p in self.directory.iterdir() if p.is_dir()):
            segments = sorted(site_dir.glob("*.jsonl"))
            if segments:
                out[site_dir.name] = segments
        return out

    def recover(self) -> None:
        """Close segments left open by a crash, without a partial last line."""
        for path in self.directory.glob("*/*.open"):
            data = path.read_bytes()
            keep = data[: data.rfind(b"\n") + 1]
            if len(keep) != len(data):
                path.write_bytes(keep)
            if keep:
                path.rename(path.with_suffix(".jsonl"))
            else:
                path.unlink()

    def close(self) -> None:
        with self._lock:
            self._stop = True
            self._pending.notify()
            self._durable.notify_all()
        self._flusher.join(timeout=5)
        self.rotate()

    def _segment(self, site: str) -> tuple[Path, IO[str]]:
        if site not in self._open:
            check_site_name(site)
            folder = self.directory / site
            folder.mkdir(exist_ok=True)
            path = folder / f"{time.time_ns():020d}.open"
            self._open[site] = (path, open(path, "a", encoding="utf-8"))  # noqa: SIM115
        return self._open[site]

    def _sync_locked(self) -> None:
        target = self._written
        for _, handle in self._open.values():
            handle.flush()
            os.fsync(handle.fileno())
        self._synced = target
        self._durable.notify_all()

    def _flush_loop(self) -> None:
        with self._lock:
            while not self._stop:
                self._pending.wait_for(lambda: self._stop or self._written > self._synced)
                if self._stop:
                    break
                if self.fsync_every:
                    # let a few more requests join this fsync (group commit)
                    self._pending.wait(self.fsync_every)
                self._sync_locked()
