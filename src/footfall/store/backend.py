"""The small interface reports need from a store, so a ClickHouse backend can follow.

Reports only run statements (the ``reports/compiler/`` package writes them) and
read rows; they never open connections or write.  ``Database`` (embedded DuckDB)
implements this today; a ClickHouse store would implement the same methods and
declare its ``dialect`` (a name of ``reports.compiler.DIALECTS``) so the compiler
emits its SQL: every report, traffic or plan, then runs unchanged.  Statements
bind named parameters, spelled by the dialect's ``param`` entry.  ``deadline`` bounds
the wall time of the statements run inside it (a request's time limit): DuckDB
interrupts the connection, ClickHouse would send ``max_execution_time``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol


class ReportBackend(Protocol):
    dialect: str

    def fetchall(
        self, sql: str, params: Sequence[object] | Mapping[str, object] | None = None
    ) -> list[tuple[Any, ...]]: ...

    def fetchone(
        self, sql: str, params: Sequence[object] | Mapping[str, object] | None = None
    ) -> tuple[Any, ...] | None: ...

    def fetch_dicts(
        self, sql: str, params: Sequence[object] | Mapping[str, object] | None = None
    ) -> list[dict[str, Any]]: ...

    def deadline(self, seconds: float | None) -> AbstractContextManager[None]:
        """Statements inside stop after ``seconds`` with ``QueryTooLarge``; None: no limit."""
        ...
