"""``footfall import``: sources -> checkpointed batches -> finalised days.

For each source: fingerprint its first line, look up its checkpoint, detect
its format, skip what is already imported, then import chunk by chunk, each
chunk and its checkpoint in one transaction.  A file that fails half-way
(corrupt archive) has this run's rows removed again, so nothing is half
stored; other sources go on.  Staged rows become reportable when the import
ends (``finalize``), which a killed import's next run completes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Protocol

from footfall.collect import sources as src
from footfall.collect.detect import Detection, detect
from footfall.errors import InputError, SourceUnreadable
from footfall.pipeline import checkpoints
from footfall.pipeline.batch import BatchContext, import_batch, lines_table
from footfall.pipeline.finalize import finalize
from footfall.settings import Settings, SiteOptions
from footfall.store.database import Database
from footfall.store.sites import add_hosts, ensure_site

HEAD_BYTES = 256 * 1024
CHUNK_BYTES = 16 * 1024 * 1024


class Progress(Protocol):
    def source_started(self, name: str, total_bytes: int | None) -> None: ...
    def advanced(self, done_bytes: int, lines: int) -> None: ...
    def finalizing(self, done: int, total: int) -> None: ...


class _Silent:
    def source_started(self, name: str, total_bytes: int | None) -> None:
        pass

    def advanced(self, done_bytes: int, lines: int) -> None:
        pass

    def finalizing(self, done: int, total: int) -> None:
        pass


@dataclass(slots=True)
class SourceReport:
    name: str
    status: str  # imported | unchanged | empty | failed
    format: str = ""
    lines: int = 0
    stored: int = 0
    rejected: int = 0
    seconds: float = 0.0
    message: str = ""


@dataclass(slots=True)
class ImportReport:
    sources: list[SourceReport] = field(default_factory=list)
    finalized_rows: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> list[SourceReport]:
        return [s for s in self.sources if s.status == "failed"]


@dataclass(frozen=True, slots=True)
class ImportRequest:
    inputs: list[str]
    site: str
    format: str | None = None
    log_format: str | None = None
    hosts: tuple[str, ...] = ()


def run_import(
    settings: Settings, request: ImportRequest, progress: Progress | None = None
) -> ImportReport:
    progress = progress or _Silent()
    started = time.perf_counter()
    report = ImportReport()
    sources = src.expand_inputs(request.inputs)
    with Database(settings) as db:
        with db.transaction():
            options = ensure_site(db, request.site, settings.site_defaults)
            if request.hosts:
                add_hosts(db, request.site, list(request.hosts))
        for source in sources:
            options = ensure_site(db, request.site, settings.site_defaults)
            try:
                report.sources.append(_import_source(db, settings, request, options, source,
                                                     progress))  # fmt: skip
            except InputError as err:
                report.sources.append(SourceReport(source.name, "failed", message=str(err)))
        timeouts = _timeouts(db)
        report.finalized_rows = finalize(db, timeouts, progress.finalizing)
    report.seconds = time.perf_counter() - started
    return report


def _timeouts(db: Database) -> dict[str, int]:
    return {
        name: minutes
        for name, minutes in db.fetchall("SELECT name, session_timeout_minutes FROM sites")
    }


def _import_source(
    db: Database,
    settings: Settings,
    request: ImportRequest,
    options: SiteOptions,
    source: src.Source,
    progress: Progress,
) -> SourceReport:
    started = time.perf_counter()
    stream = src.open_stream(source)
    try:
        head = stream.read(HEAD_BYTES)
    except (OSError, EOFError, ValueError) as err:
        raise SourceUnreadable(source.name, f"cannot read: {err}") from err
    if not head:
        return SourceReport(source.name, "empty", message="no lines")
    if b"\x00" in head[:65536]:
        raise SourceUnreadable(source.name, "binary data (NUL bytes): not a text log")
    first_line = head.split(b"\n", 1)[0]
    fp = src.fingerprint(first_line)
    raw_size = source.path.stat().st_size if source.path is not None else -1
    cp = checkpoints.find(db, request.site, fp)
    if cp is not None and raw_size >= 0 and raw_size == cp.raw_size:
        return SourceReport(
            source.name, "unchanged", cp.format, seconds=time.perf_counter() - started
        )
    detection = detect(source.name, head, request.format, request.log_format)
    if cp is None:
        with db.transaction():
            cp = checkpoints.create(db, request.site, fp, source.name, detection.format.name)
    stream = _rewind(source, stream, head)
    tail = src.skip_to(stream, source, cp.offset_bytes)
    if cp.offset_bytes and src.tail_hash(tail) != cp.tail_hash:
        raise InputError(
            source.name,
            f"its first line matches a log imported before (as {cp.name}) but the content up to "
            f"byte {cp.offset_bytes} differs; not importing it twice. Remove it from the inputs "
            "or import it into another --site",
        )
    report = SourceReport(source.name, "imported", detection.format.name, message=detection.note)
    _import_chunks(db, settings, request, options, source, stream, cp, detection, report, progress)
    cp.raw_size = raw_size
    cp.name = source.name
    with db.transaction():
        checkpoints.save(db, cp)
    report.seconds = time.perf_counter() - started
    return report


def _rewind(source: src.Source, stream: object, head: bytes) -> object:
    if source.path is not None:
        stream.close()  # type: ignore[attr-defined]
        return src.open_stream(source)
    return src._Prepended(head, stream)  # type: ignore[arg-type]


def _import_chunks(
    db: Database,
    settings: Settings,
    request: ImportRequest,
    options: SiteOptions,
    source: src.Source,
    stream: object,
    cp: checkpoints.Checkpoint,
    detection: Detection,
    report: SourceReport,
    progress: Progress,
) -> None:
    start = (cp.offset_bytes, cp.lines, cp.tail_hash, cp.imported, cp.rejected)
    total = source.path.stat().st_size if source.path is not None else None
    progress.source_started(source.name, total)
    raw = getattr(stream, "fileobj", None) or getattr(stream, "_fp", None) or stream
    tail = b""
    ctx = BatchContext(request.site, cp.file_id, options, detection.format)
    try:
        for chunk in src.read_chunks(stream, source, cp.offset_bytes, cp.lines + 1,  # type: ignore[arg-type]
                                     settings_chunk_bytes(settings)):  # fmt: skip
            table, early = lines_table(chunk.data, chunk.first_line)
            with db.transaction():
                result = import_batch(db, ctx, table, early)
                tail = (tail + chunk.data)[-src.TAIL_BYTES :]
                cp.offset_bytes = chunk.end
                cp.lines = chunk.first_line - 1 + table.num_rows
                cp.tail_hash = src.tail_hash(tail)
                cp.imported += result.stored
                cp.rejected += result.rejected
                checkpoints.save(db, cp)
            report.lines += table.num_rows
            report.stored += result.stored
            report.rejected += result.rejected
            position = _position(raw, chunk.end)
            progress.advanced(position, report.lines)
    except SourceUnreadable:
        _undo(db, cp, start)
        raise


def settings_chunk_bytes(settings: Settings) -> int:
    return max(64 * 1024, min(CHUNK_BYTES, settings.batch_lines * 100))


def _position(raw: object, fallback: int) -> int:
    try:
        return int(raw.tell())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return fallback


def _undo(db: Database, cp: checkpoints.Checkpoint, start: tuple[int, int, str, int, int]) -> None:
    """Remove this run's rows of a source that failed half-way, restore its checkpoint."""
    offset, lines, tail_hash, imported, rejected = start
    with db.transaction():
        for table in ("hits_staging", "rejects"):
            db.execute(
                f"DELETE FROM {table} WHERE file_id = ? AND line_no > ?", [cp.file_id, lines]
            )
        cp.offset_bytes, cp.lines, cp.tail_hash = offset, lines, tail_hash
        cp.imported, cp.rejected = imported, rejected
        checkpoints.save(db, cp)
