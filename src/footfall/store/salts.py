"""Daily salts of the visitor hash (enrich/identity.py): made once per site and UTC day, kept
until ``footfall salts prune`` forgets them (docs/privacy.md)."""

from __future__ import annotations

import secrets
from datetime import date

from footfall.store.database import Database


def ensure_salts(db: Database, site: str, days: list[date]) -> None:
    """Create the salt of each (site, day) that has none; call inside the batch transaction."""
    if not days:
        return
    known = {
        row[0]
        for row in db.fetchall(
            "SELECT day FROM salts WHERE site = ? AND list_contains(?, day)", [site, days]
        )
    }
    for day in days:
        if day not in known:
            db.execute(
                "INSERT INTO salts (site, day, salt) VALUES (?, ?, ?)",
                [site, day, secrets.token_hex(16)],
            )


def prune_salts(db: Database, name: str, keep_days: int) -> int:
    """Forget the salts of days older than ``keep_days``: their visitor ids become unlinkable."""
    rows = db.fetchall(
        "DELETE FROM salts WHERE site = ? AND day < current_date - ?::INTEGER RETURNING day",
        [name, keep_days],
    )
    return len(rows)
