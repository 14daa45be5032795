"""A Rich progress bar for imports (lines/s, ETA) on a terminal; nothing in scripts."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)


class RichImportProgress:
    """Implements ``pipeline.importer.Progress``."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TextColumn("{task.fields[lines]:,} lines · {task.fields[rate]:,.0f} lines/s"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._task: TaskID | None = None
        self._final: TaskID | None = None
        self._progress.start()

    def source_started(self, name: str, total_bytes: int | None) -> None:
        if self._task is not None:
            self._progress.stop_task(self._task)
        label = name if len(name) <= 40 else "…" + name[-39:]
        self._task = self._progress.add_task(label, total=total_bytes, lines=0, rate=0.0)

    def advanced(self, done_bytes: int, lines: int) -> None:
        if self._task is None:
            return
        task = self._progress.tasks[self._task]
        elapsed = task.elapsed or 0.0
        rate = lines / elapsed if elapsed > 0 else 0.0
        self._progress.update(self._task, completed=done_bytes, lines=lines, rate=rate)

    def finalizing(self, done: int, total: int) -> None:
        if self._final is None:
            self._final = self._progress.add_task(
                "sessions and bots", total=total, lines=0, rate=0.0
            )
        self._progress.update(self._final, completed=done)

    def close(self) -> None:
        self._progress.stop()
