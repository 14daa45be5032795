"""The embedded DuckDB database: the only module that opens a connection.

DuckDB allows one read-write process per file; other processes may read only
while nobody writes.  ``Database`` opens the file, applies migrations, sets
bounded memory (queries spill to ``<db>.tmp`` beyond it) and offers a
transaction context.  Values always travel as bound parameters.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from footfall.errors import DatabaseBusy, QueryError, StorageError
from footfall.settings import Settings
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
            raise StorageError(f"{self.path}: cannot open the database: {text}") from err
        except duckdb.Error as err:
            raise StorageError(f"{self.path}: not a Footfall database: {err}") from err
        self.con.execute("SET TimeZone = 'UTC'")
        if not read_only:
            migrate(self.con)
        elif not self._has_table("schema_migrations"):
            raise StorageError(f"{self.path}: not a Footfall database")

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
            return self.con.execute(sql, params or []).fetchall()
        except duckdb.InvalidInputException as err:  # e.g. a user's regex that does not compile
            raise QueryError(f"invalid input: {str(err).splitlines()[0]}") from err

    def fetchone(
        self, sql: str, params: Sequence[object] | Mapping[str, object] | None = None
    ) -> tuple[Any, ...] | None:
        rows = self.con.execute(sql, params or []).fetchall()
        return rows[0] if rows else None

    def fetch_dicts(
        self, sql: str, params: Sequence[object] | Mapping[str, object] | None = None
    ) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params or [])
        names = [d[0] for d in cur.description or []]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def register(self, name: str, table: object) -> None:
        """Make an Arrow table visible to SQL as ``name`` (no copy)."""
        self.con.register(name, table)

    def unregister(self, name: str) -> None:
        self.con.unregister(name)

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
