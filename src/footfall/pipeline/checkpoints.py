"""Per-source checkpoints, written in the same transaction as the rows they cover.

A source is known by (site, fingerprint of its first request line: W3C ``#``
directives are skipped, every IIS file has the same ones).  Its checkpoint
says how many decompressed bytes and lines are imported, the hash of the
bytes just before that point (to notice a file rewritten under the same first
line) and the on-disk size (so an unchanged rotated .gz is skipped unread).
"""

from __future__ import annotations

from dataclasses import dataclass

from footfall.store.database import Database


@dataclass(slots=True)
class Checkpoint:
    file_id: int
    site: str
    fingerprint: str
    name: str
    format: str
    offset_bytes: int
    lines: int
    tail_hash: str
    raw_size: int
    imported: int
    rejected: int


COLUMNS = (
    "file_id, site, fingerprint, name, format, offset_bytes, lines, tail_hash, raw_size, "
    "imported, rejected"
)


def find(db: Database, site: str, fingerprint: str) -> Checkpoint | None:
    row = db.fetchone(
        f"SELECT {COLUMNS} FROM sources WHERE site = ? AND fingerprint = ?", [site, fingerprint]
    )
    return Checkpoint(*row) if row else None


def create(db: Database, site: str, fingerprint: str, name: str, fmt: str) -> Checkpoint:
    row = db.fetchone(
        "INSERT INTO sources (site, fingerprint, name, format, offset_bytes, lines, tail_hash, "
        "raw_size, imported, rejected, updated_at) "
        "VALUES (?, ?, ?, ?, 0, 0, '', -1, 0, 0, current_timestamp::TIMESTAMP) "
        f"RETURNING {COLUMNS}",
        [site, fingerprint, name, fmt],
    )
    assert row is not None
    return Checkpoint(*row)


def save(db: Database, cp: Checkpoint) -> None:
    db.execute(
        "UPDATE sources SET name = ?, format = ?, offset_bytes = ?, lines = ?, tail_hash = ?, "
        "raw_size = ?, imported = ?, rejected = ?, updated_at = current_timestamp::TIMESTAMP "
        "WHERE file_id = ?",
        [cp.name, cp.format, cp.offset_bytes, cp.lines, cp.tail_hash, cp.raw_size,
         cp.imported, cp.rejected, cp.file_id],
    )  # fmt: skip


def rekey(db: Database, cp: Checkpoint, fingerprint: str) -> None:
    """Give a checkpoint its new key: earlier versions keyed W3C files by their first
    line (``#Software: ...``), which every IIS file shares."""
    db.execute("UPDATE sources SET fingerprint = ? WHERE file_id = ?", [fingerprint, cp.file_id])
    cp.fingerprint = fingerprint
