"""``footfall import``: sources -> checkpointed batches -> finalised days.

For each source: fingerprint its first line, look up its checkpoint, detect
its format, skip what is already imported, then import chunk by chunk into
temp staging; every ``flush_rows`` rows and at the end, ``finalize.flush``
commits staged rows with their checkpoints.  A file that fails half-way
(corrupt archive) has this run's rows removed again, so nothing is half
stored; other sources go on.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol

from footfall.collect import sources as src
from footfall.collect.detect import Detection, detect
from footfall.errors import InputError, SourceUnreadable
from footfall.pipeline import checkpoints
from footfall.pipeline.staging import Staging
from footfall.settings import Settings
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
    settings: Settings,
    request: ImportRequest,
    progress: Progress | None = None,
    db: Database | None = None,
) -> ImportReport:
    """Import ``request``; into ``db`` when given (the server's own connection)."""
    sources = src.expand_inputs(request.inputs)
    if db is not None:
        return _import_into(db, settings, request, sources, progress)
    with Database(settings) as own:
        return _import_into(own, settings, request, sources, progress)


def _import_into(
    db: Database,
    settings: Settings,
    request: ImportRequest,
    sources: list[src.Source],
    progress: Progress | None,
) -> ImportReport:
    started = time.perf_counter()
    report = ImportReport()
    with db.transaction():
        ensure_site(db, request.site, settings.site_defaults)
        if request.hosts:
            add_hosts(db, request.site, list(request.hosts))
    run = _Run(db, settings, request, progress or _Silent())
    for source in sources:
        try:
            report.sources.append(run.import_source(source))
        except InputError as err:
            report.sources.append(SourceReport(source.name, "failed", message=str(err)))
    report.finalized_rows = run.flush()
    report.seconds = time.perf_counter() - started
    return report


class _Run:
    """One import: sources in order, staged rows flushed every ``flush_rows``."""

    def __init__(
        self, db: Database, settings: Settings, request: ImportRequest, progress: Progress
    ) -> None:
        self.db = db
        self.settings = settings
        self.request = request
        self.progress = progress
        self.pending: dict[str, checkpoints.Checkpoint] = {}  # fingerprint -> not yet flushed
        self.stored = 0
        self._staging: Staging | None = None

    @property
    def staging(self) -> Staging:
        if self._staging is None:
            self._staging = Staging(self.db)
        return self._staging

    def flush(self) -> int:
        if self._staging is None and not self.pending:
            return self.stored  # nothing was read: unchanged inputs cost no database work
        from footfall.pipeline.finalize import flush

        timeouts = dict(self.db.fetchall("SELECT name, session_timeout_minutes FROM sites"))
        stored = flush(
            self.db, self.staging, self.pending.values(), timeouts, self.progress.finalizing
        )
        self.pending.clear()
        self.stored += stored
        return self.stored

    def import_source(self, source: src.Source) -> SourceReport:
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
        fp = src.fingerprint(head.split(b"\n", 1)[0])
        raw_size = source.path.stat().st_size if source.path is not None else -1
        cp = self.pending.get(fp) or checkpoints.find(self.db, self.request.site, fp)
        if cp is not None and raw_size >= 0 and raw_size == cp.raw_size:
            elapsed = time.perf_counter() - started
            return SourceReport(source.name, "unchanged", cp.format, seconds=elapsed)
        detection = detect(source.name, head, self.request.format, self.request.log_format)
        if cp is None:
            with self.db.transaction():
                cp = checkpoints.create(
                    self.db, self.request.site, fp, source.name, detection.format.name
                )
        stream = _rewind(source, stream, head)
        tail = src.skip_to(stream, source, cp.offset_bytes)
        if cp.offset_bytes and src.tail_hash(tail) != cp.tail_hash:
            raise InputError(
                source.name,
                f"its first line matches a log imported before (as {cp.name}) but the content "
                f"up to byte {cp.offset_bytes} differs; not importing it twice. Remove it from "
                "the inputs or import it into another --site",
            )
        report = SourceReport(
            source.name, "imported", detection.format.name, message=detection.note
        )
        self._import_chunks(source, stream, cp, detection, tail, report)
        cp.raw_size = raw_size
        cp.name = source.name
        self.pending[fp] = cp
        report.seconds = time.perf_counter() - started
        return report

    def _import_chunks(
        self,
        source: src.Source,
        stream: BinaryIO,
        cp: checkpoints.Checkpoint,
        detection: Detection,
        tail: bytes,
        report: SourceReport,
    ) -> None:
        # imported here: pyarrow and the parsers are not needed to skip unchanged files
        from footfall.pipeline.batch import BatchContext, import_batch, lines_table

        start_lines = cp.lines
        saved = (cp.offset_bytes, cp.lines, cp.tail_hash, cp.imported, cp.rejected, cp.raw_size)
        total = source.path.stat().st_size if source.path is not None else None
        self.progress.source_started(source.name, total)
        raw = getattr(stream, "fileobj", None) or getattr(stream, "_fp", None) or stream
        options = ensure_site(self.db, self.request.site, self.settings.site_defaults)
        ctx = BatchContext(self.request.site, cp.file_id, options, detection.format, self.staging)
        chunks = src.read_chunks(stream, source, cp.offset_bytes, cp.lines + 1, self._chunk_bytes())
        try:
            for chunk in chunks:
                table, early = lines_table(chunk.data, chunk.first_line)
                result = import_batch(self.db, ctx, table, early)
                tail = (tail + chunk.data[-src.TAIL_BYTES :])[-src.TAIL_BYTES :]
                cp.offset_bytes = chunk.end
                cp.lines = chunk.first_line - 1 + table.num_rows
                cp.tail_hash = src.tail_hash(tail)
                cp.imported += result.stored
                cp.rejected += result.rejected
                cp.raw_size = -1  # complete only when the whole source is read
                self.pending[cp.fingerprint] = cp
                report.lines += table.num_rows
                report.stored += result.stored
                report.rejected += result.rejected
                self.progress.advanced(_position(raw, chunk.end), report.lines)
                if self.staging.rows >= self.settings.flush_rows:
                    self.flush()
        except SourceUnreadable:
            self._discard(cp, start_lines, saved)
            raise

    def _chunk_bytes(self) -> int:
        return max(64 * 1024, min(CHUNK_BYTES, self.settings.batch_lines * 100))

    def _discard(
        self,
        cp: checkpoints.Checkpoint,
        start_lines: int,
        saved: tuple[int, int, str, int, int, int],
    ) -> None:
        """A source failed half-way: remove this run's rows of it, staged or flushed."""
        from footfall.pipeline.finalize import move_back

        db = self.db
        args = [cp.file_id, start_lines]
        with db.transaction():
            days = [r[0] for r in db.fetchall(
                "SELECT DISTINCT day FROM hits WHERE file_id = ? AND line_no > ?", args
            )]  # fmt: skip
            if days:
                move_back(db, self.staging, cp.site, days, whole_days=True)
            self.staging.delete_where("file_id = ? AND line_no > ?", args)
            db.execute("DELETE FROM staged_rejects WHERE file_id = ? AND line_no > ?", args)
            db.execute("DELETE FROM rejects WHERE file_id = ? AND line_no > ?", args)
            (cp.offset_bytes, cp.lines, cp.tail_hash, cp.imported, cp.rejected,
             cp.raw_size) = saved  # fmt: skip
            checkpoints.save(db, cp)
        self.pending.pop(cp.fingerprint, None)


def _rewind(source: src.Source, stream: BinaryIO, head: bytes) -> BinaryIO:
    if source.path is not None:
        stream.close()
        return src.open_stream(source)
    return src.Prepended(head, stream)  # type: ignore[return-value]


def _position(raw: object, fallback: int) -> int:
    try:
        return int(raw.tell())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return fallback
