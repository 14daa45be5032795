"""Rejected lines as stored: each with its file, line number and reason (already redacted
under the site's IP mode when it was imported)."""

from __future__ import annotations

from footfall.store.database import Database


def rejected_lines(db: Database, site: str, limit: int) -> list[tuple[str, int, str, str]]:
    """(file name, line number, reason, line) of a site's rejects, by file and line."""
    return db.fetchall(
        "SELECT s.name, r.line_no, r.reason, r.line FROM rejects r "
        "JOIN sources s USING (file_id) WHERE r.site = ? ORDER BY s.name, r.line_no LIMIT ?",
        [site, limit],
    )


def count_rejects(db: Database, site: str) -> int:
    row = db.fetchone("SELECT count(*) FROM rejects WHERE site = ?", [site])
    return int(row[0]) if row else 0
