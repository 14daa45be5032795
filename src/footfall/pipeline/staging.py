"""Where imported rows wait for a flush: one temp table per batch, seen as one view.

Appending to one growing DuckDB table costs more and more at each row-group
boundary; a fresh table per batch costs the same every time (measured 0.05 s
against 0.07-0.55 s for a 64k-row batch).  The view ``staging`` is their
union; a flush reads it and then drops them all.  Nothing here is durable.
"""

from __future__ import annotations

from footfall.store.database import Database


class Staging:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.tables: list[str] = []
        self.rows = 0
        self._serial = 0
        db.execute("CREATE OR REPLACE TEMP TABLE staged_rejects AS SELECT * FROM rejects LIMIT 0")
        self._refresh()

    def new_table(self) -> str:
        """A name for the next batch's table; call ``added`` once it exists."""
        self._serial += 1
        return f"staged_{self._serial}"

    def added(self, table: str, rows: int) -> None:
        self.tables.append(table)
        self.rows += rows
        self._refresh()

    def delete_where(self, condition: str, params: list[object]) -> None:
        for table in self.tables:
            self.db.execute(f"DELETE FROM {table} WHERE {condition}", params)

    def clear(self) -> None:
        for table in self.tables:
            self.db.execute(f"DROP TABLE IF EXISTS {table}")
        self.tables.clear()
        self.rows = 0
        self._refresh()

    def _refresh(self) -> None:
        if self.tables:
            union = " UNION ALL BY NAME ".join(f"SELECT * FROM {t}" for t in self.tables)
        else:
            union = "SELECT * FROM hits WHERE false"
        self.db.execute(f"CREATE OR REPLACE TEMP VIEW staging AS {union}")
