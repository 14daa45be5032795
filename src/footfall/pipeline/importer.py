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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from footfall.collect import sources as src
from footfall.collect.detect import Detection, detect, other_log
from footfall.collect.parse_sql import logs_user_agent
from footfall.errors import InputError, SourceUnreadable
from footfall.pipeline import checkpoints
from footfall.pipeline.staging import Staging
from footfall.settings import Settings
from footfall.store.database import Database
from footfall.store.faults import storage_faults
from footfall.store.rollups import refresh_rollups
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
    status: str  # imported | unchanged | empty | skipped | failed
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
    # None: any path (the CLI, the server's owner); a tuple: only files inside these
    # directories (an import asked through the API: the import_dirs setting)
    allowed_roots: tuple[Path, ...] | None = None
    # (field, key path) pairs naming the keys of JSON logs (--json-keys)
    json_keys: tuple[tuple[str, str], ...] = ()


def run_import(
    settings: Settings,
    request: ImportRequest,
    progress: Progress | None = None,
    db: Database | None = None,
) -> ImportReport:
    """Import ``request``; into ``db`` when given (the server's own connection)."""
    sources = src.expand_inputs(request.inputs, request.allowed_roots)
    if db is not None:
        with storage_faults(db.path):
            return _import_into(db, settings, request, sources, progress)
    # a full disk or a damaged file is a StorageError (one line in the CLI, 503 in the
    # server); the flush transactions leave the stored rows and checkpoints as they were
    with storage_faults(Path(settings.db_path)), Database(settings) as own:
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

    def flush(self, prepare: Callable[[], None] | None = None) -> int:
        """Commit what is staged; ``prepare`` runs first, in the same transaction."""
        if self._staging is None and not self.pending and prepare is None:
            return self.stored  # nothing was read: unchanged inputs cost no database work
        from footfall.pipeline.finalize import flush

        timeouts = dict(self.db.fetchall("SELECT name, session_timeout_minutes FROM sites"))
        stored = flush(
            self.db,
            self.staging,
            self.pending.values(),
            timeouts,
            self.progress.finalizing,
            prepare,
        )
        self.pending.clear()
        self.stored += stored
        return self.stored

    def import_source(self, source: src.Source) -> SourceReport:
        started = time.perf_counter()
        stream = src.open_stream(source)
        try:
            head = src.read_head(stream, source, HEAD_BYTES)
        finally:
            if source.path is not None:
                stream.close()  # reopened at 0 once we know what to read
        report = self._import_source(source, stream, head)
        report.seconds = time.perf_counter() - started
        return report

    def _import_source(self, source: src.Source, stream: BinaryIO, head: bytes) -> SourceReport:
        if not head:
            return SourceReport(source.name, "empty", message="no lines")
        refusal = src.not_text(head)
        if refusal is not None:
            raise SourceUnreadable(source.name, refusal)
        key = src.key_line(head)
        if key is None:  # IIS writes its directives before the first request
            return SourceReport(source.name, "empty", message="no request lines yet")
        if self.request.format is None and self.request.log_format is None:
            other = other_log(head)
            if other is not None:
                return SourceReport(source.name, "skipped", message=other)
        fp = src.fingerprint(key)
        raw_size = source.path.stat().st_size if source.path is not None else -1
        cp = self.pending.get(fp) or checkpoints.find(self.db, self.request.site, fp)
        if cp is None:
            cp = self._earlier_key(source, head, fp)
        unchanged = cp is not None and raw_size >= 0 and raw_size == cp.raw_size
        if cp is not None and unchanged and _same_up_to(source, cp):
            return SourceReport(source.name, "unchanged", cp.format)
        detection = detect(
            source.name, head, self.request.format, self.request.log_format, self.request.json_keys
        )
        if cp is None:
            with self.db.transaction():
                cp = checkpoints.create(
                    self.db, self.request.site, fp, source.name, detection.format.name
                )
        stream = _rewind(source, stream, head)
        tail = src.skip_to(stream, source, cp.offset_bytes)
        if cp.offset_bytes and src.tail_hash(tail) != cp.tail_hash:
            stream.close()
            raise InputError(
                source.name,
                f"its first request line matches a log imported before (as {cp.name}) but the "
                f"content up to byte {cp.offset_bytes} differs; not importing it twice. Remove it "
                "from the inputs or import it into another --site",
            )
        notes = [detection.note, _agent_note(detection)]
        report = SourceReport(source.name, "imported", detection.format.name,
                              message="; ".join(n for n in notes if n))  # fmt: skip
        try:
            self._import_chunks(source, stream, cp, detection, tail, report)
        finally:
            stream.close()
        cp.raw_size = raw_size
        cp.name = source.name
        self.pending[fp] = cp
        return report

    def _earlier_key(
        self, source: src.Source, head: bytes, fp: str
    ) -> checkpoints.Checkpoint | None:
        """The checkpoint an earlier version keyed by the file's very first line, when that
        differs from its key line (W3C directives): taken over, under the new key, only if
        the file's content up to it is the same (any IIS day used to match it)."""
        first = head.split(b"\n", 1)[0]
        old = src.fingerprint(first)
        if old == fp or source.path is None:
            return None
        cp = checkpoints.find(self.db, self.request.site, old)
        if cp is None or not _same_up_to(source, cp, trust_size=False):
            return None
        with self.db.transaction():
            checkpoints.rekey(self.db, cp, fp)
        return cp

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
        """A source failed half-way: remove this run's rows of it, staged or flushed.

        The stored rows of its days move back to staging to be recomputed without it;
        what other sources have on those days is flushed again in the same transaction,
        so no stored row waits in memory for a later commit (a kill -9 there would lose
        rows whose checkpoints say they are stored)."""
        from footfall.pipeline.finalize import move_back

        db = self.db
        args = [cp.file_id, start_lines]

        def remove() -> None:
            days = [r[0] for r in db.fetchall(
                "SELECT DISTINCT day FROM hits WHERE file_id = ? AND line_no > ?", args
            )]  # fmt: skip
            if days:
                move_back(db, self.staging, cp.site, days, whole_days=True)
            self.staging.delete_where("file_id = ? AND line_no > ?", args)
            # a day of which nothing stays staged gets its (empty) rollups now; the flush
            # that follows refreshes the others again with their recomputed rows
            refresh_rollups(db, cp.site, days)
            db.execute("DELETE FROM staged_rejects WHERE file_id = ? AND line_no > ?", args)
            db.execute("DELETE FROM rejects WHERE file_id = ? AND line_no > ?", args)
            (cp.offset_bytes, cp.lines, cp.tail_hash, cp.imported, cp.rejected,
             cp.raw_size) = saved  # fmt: skip
            checkpoints.save(db, cp)

        self.pending.pop(cp.fingerprint, None)
        self.flush(prepare=remove)


def _rewind(source: src.Source, stream: BinaryIO, head: bytes) -> BinaryIO:
    if source.path is not None:
        return src.open_stream(source)
    return src.Prepended(head, stream)  # type: ignore[return-value]


def _same_up_to(source: src.Source, cp: checkpoints.Checkpoint, trust_size: bool = True) -> bool:
    """Whether a file holds the checkpoint's bytes before its offset (the tail hash): a
    seek for a plain file; a compressed one of the same size is trusted unread unless
    ``trust_size`` is False."""
    if source.path is None:
        return True
    stream = src.open_stream(source)
    try:
        if trust_size and src.is_compressed(stream):
            return True
        return src.tail_hash(src.skip_to(stream, source, cp.offset_bytes)) == cp.tail_hash
    finally:
        stream.close()


def _agent_note(detection: Detection) -> str:
    if logs_user_agent(detection.format):
        return ""
    return (
        f"format {detection.format.name} has no user agent: bot detection was limited to what "
        "clients requested (robots.txt, scanner paths, rate); the rest counts as people"
    )


def _position(raw: object, fallback: int) -> int:
    try:
        return int(raw.tell())  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return fallback
