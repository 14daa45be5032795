"""Business data and plans in the store: upserts by natural key, and reading them back.

A row whose key is already stored replaces it (``INSERT OR REPLACE``), so importing
a file again, or a corrected version of it, never duplicates anything.
"""

from __future__ import annotations

from typing import Any

from footfall.store.database import Database

#: CSV column -> table column, where they differ.
_COLUMN = {"date": "day", "time": "ts", "from": "from_currency", "to": "to_currency"}


def upsert(db: Database, table: str, site: str, rows: list[dict[str, Any]]) -> tuple[int, int]:
    """Store ``rows`` (CSV names) for ``site``; returns (new, replaced)."""
    if not rows:
        return 0, 0
    columns = ["site", *(_COLUMN.get(name, name) for name in rows[0])]
    before = _count(db, table, site)
    placeholders = ", ".join("?" for _ in columns)
    statement = f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    with db.transaction():
        for row in rows:
            db.execute(statement, [site, *row.values()])
    new = _count(db, table, site) - before
    return new, len(rows) - new


def _count(db: Database, table: str, site: str) -> int:
    row = db.fetchone(f"SELECT count(*) FROM {table} WHERE site = ?", [site])
    return int(row[0]) if row else 0


def save_plan(db: Database, site: str, path: str, text: str) -> None:
    db.execute("INSERT OR REPLACE INTO plans (site, path, text) VALUES (?, ?, ?)",
               [site, path, text])  # fmt: skip


def stored_plan_text(db: Any, site: str) -> tuple[str, str] | None:
    """(path, text) of the plan applied to ``site``, if any."""
    row = db.fetchone("SELECT path, text FROM plans WHERE site = ?", [site])
    return (str(row[0]), str(row[1])) if row else None
