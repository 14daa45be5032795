"""The embedded DuckDB database: the only module that opens a connection.

DuckDB allows one read-write process per file; other processes may read only
while nobody writes.  ``Database`` opens the file, applies migrations, sets
bounded memory (queries spill to ``<db>.tmp`` beyond it) and offers a
transaction context.  Values always travel as bound parameters.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from footfall.errors import DatabaseBusy, QueryError, QueryTooLarge, StorageError
from footfall.settings import Settings
from footfall.store.faults import check_complete, damaged, storage_error, storage_faults
from footfall.store.schema import migrate


class Database:
    dialect = "duckdb"

    def __init__(self, settings: Settings, read_only: bool = False) -> None:
        self.path = Path(settings.db_path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StorageError(f"{self.path}: no such database; run `footfall import` first")
        config: dict[str, Any] = {
            "memory_limit": settings.memory_limit,
            "preserve_insertion_order": False,
            "temp_directory": str(self.path) + ".tmp",
        }
        if settings.threads:
            config["threads"] = settings.threads
        if not read_only:
            keep_private(self.path)
        had_wal = Path(str(self.path) + ".wal").exists()
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only, config=config)
        except duckdb.IOException as err:
            text = str(err)
            if "lock" in text.lower():
                raise DatabaseBusy(
                    f"{self.path}: the database is in use by another Footfall process "
                    "(an import, or `footfall serve`: use its dashboard or API while it runs); "
                    "DuckDB allows one writing process per file"
                ) from err
            raise storage_error(self.path, err) or StorageError(
                f"{self.path}: cannot open the database: {text.splitlines()[0]}"
            ) from err
        except duckdb.Error as err:
            raise storage_error(self.path, err) or damaged(self.path, str(err)) from err
        try:  # a damaged file often opens and fails at its first read: read it now
            if not had_wal:
                check_complete(self.con, self.path)
            self.con.execute("SET TimeZone = 'UTC'")
            if not read_only:
                migrate(self.con)
            elif not self._has_table("schema_migrations"):
                raise StorageError(f"{self.path}: not a Footfall database")
        except duckdb.Error as err:
            self.con.close()
            first = (str(err).strip().splitlines() or [type(err).__name__])[0]
            raise storage_error(self.path, err) or damaged(self.path, first) from err
        except StorageError:
            self.con.close()
            raise

    def cursor(self) -> Database:
        """Another connection to the same open database, for one thread (a web request,
        an import run by the server).  DuckDB's MVCC lets readers go on while it writes."""
        other = Database.__new__(Database)
        other.path, other.read_only = self.path, self.read_only
        other.con = self.con.cursor()
        other.con.execute("SET TimeZone = 'UTC'")
        return other

    def _has_table(self, name: str) -> bool:
        rows = self.con.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchall()
        return bool(rows)

    def execute(
        self, sql: str, params: Sequence[object] | Mapping[str, object] | None = None
    ) -> duckdb.DuckDBPyConnection:
        return self.con.execute(sql, params or [])

    def fetchall(
        self, sql: str, params: Sequence[object] | Mapping[str, object] | None = None
    ) -> list[tuple[Any, ...]]:
        try:
            with storage_faults(self.path):
                return self.con.execute(sql, params or []).fetchall()
        except duckdb.InvalidInputException as err:  # e.g. a user's regex that does not compile
            raise QueryError(f"invalid input: {str(err).splitlines()[0]}") from err

    def fetchone(
        self, sql: str, params: Sequence[object] | Mapping[str, object] | None = None
    ) -> tuple[Any, ...] | None:
        with storage_faults(self.path):
            rows = self.con.execute(sql, params or []).fetchall()
        return rows[0] if rows else None

    def ping(self) -> None:
        """A query that needs no table: raises when the database does not answer."""
        self.fetchone("SELECT 1")

    def fetch_dicts(
        self, sql: str, params: Sequence[object] | Mapping[str, object] | None = None
    ) -> list[dict[str, Any]]:
        with storage_faults(self.path):
            cur = self.con.execute(sql, params or [])
            names = [d[0] for d in cur.description or []]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def register(self, name: str, table: object) -> None:
        """Make an Arrow table visible to SQL as ``name`` (no copy)."""
        self.con.register(name, table)

    def unregister(self, name: str) -> None:
        self.con.unregister(name)

    @contextlib.contextmanager
    def deadline(self, seconds: float | None) -> Iterator[None]:
        """Interrupt this connection's SQL once ``seconds`` have passed (None: no limit).

        DuckDB has no statement timeout, so a watcher thread calls ``interrupt()``, and
        keeps calling it until the block ends: an interrupt that lands between two
        statements is forgotten by DuckDB, and the next one must not run unbounded.
        Only this cursor's statement stops; the connection stays usable.  Nested
        deadlines keep the outer one (it is the request's).
        """
        if seconds is None or getattr(self, "_deadline_active", False):
            yield
            return
        done, fired = threading.Event(), threading.Event()

        def watch() -> None:
            if done.wait(seconds):
                return
            fired.set()
            while not done.is_set():
                self.con.interrupt()
                done.wait(0.05)

        watcher = threading.Thread(target=watch, name="footfall-deadline", daemon=True)
        self._deadline_active = True
        watcher.start()
        try:
            yield
        except Exception as err:
            if not (fired.is_set() and _interrupted(err)):
                raise  # another error, or Ctrl-C in the CLI
            raise QueryTooLarge(
                f"the query took longer than {seconds:g} s (setting query_seconds); "
                "narrow the date range or the filters"
            ) from err
        finally:
            done.set()
            watcher.join()
            self._deadline_active = False

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _interrupted(err: BaseException | None) -> bool:
    """Whether ``err`` is, or was raised from, DuckDB's interrupt (even once wrapped)."""
    while err is not None:
        if isinstance(err, duckdb.InterruptException):
            return True
        err = err.__cause__ or err.__context__
    return False


def keep_private(path: Path) -> None:
    """Only the owner may read the database (salts; IPs where a site opted in).

    DuckDB creates files as 0666 less the umask and makes ``.wal`` anew after each
    checkpoint, so no chmod lasts: as PostgreSQL does, a process that writes the
    database drops group and other bits from its umask for good (0600 files, 0700
    directories).  The spill directory is made here, so readers spill into it too.
    Files an older version made readable by others are narrowed the same way.
    """
    os.umask(os.umask(0o077) | 0o077)
    tmp = Path(str(path) + ".tmp")
    with contextlib.suppress(OSError):  # a missing parent: connect says so in its own words
        tmp.mkdir(mode=0o700, exist_ok=True)
    for existing in (path, Path(str(path) + ".wal"), tmp):
        with contextlib.suppress(OSError):  # absent, or not ours to change
            if existing.stat().st_mode & 0o077:
                existing.chmod(0o700 if existing.is_dir() else 0o600)
