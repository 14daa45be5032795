"""DuckDB's storage failures as ``StorageError``: one line naming the file and what to do.

DuckDB says "the disk is full" in three ways: an ``IOException`` "No space left
on device" (writing the database or its WAL), a ``TransactionException``
"Failed to commit: ... No space left on device", and an ``OutOfMemoryException``
naming ``max_temp_directory_size`` (its spill directory ``<db>.tmp`` filled).  A
damaged file shows as "not a valid DuckDB database file", "Could not read
enough bytes" (cut short) or a checksum mismatch, often only when a query
first reads the damaged block, so ``check_complete`` compares the file's size
with the blocks its header counts as used when it is opened.  Anything else is not
about the storage and is left alone.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import duckdb

from footfall.errors import StorageError

DISK_FULL = ("no space left on device", "max_temp_directory_size", "disk quota exceeded")
DAMAGED = ("not a valid duckdb database", "could not read enough bytes", "checksum", "corrupt")
HEADER_BYTES = 3 * 4096  # DuckDB's main header and its two database headers


def storage_error(path: Path, err: BaseException) -> StorageError | None:
    """The ``StorageError`` that explains ``err``, or None if it is not about the storage."""
    if not isinstance(err, duckdb.Error):
        return None
    text = str(err).strip()
    first = text.splitlines()[0] if text else type(err).__name__
    lowered = text.lower()
    if any(sign in lowered for sign in DISK_FULL):
        return StorageError(
            f"{path}: the disk is full ({first}); free space (the database and its "
            f"{path.name}.tmp spill directory need room to grow) and run it again: "
            "what is stored stays, nothing is stored twice"
        )
    if any(sign in lowered for sign in DAMAGED):
        return damaged(path, first)
    if isinstance(err, duckdb.FatalException):
        return StorageError(f"{path}: DuckDB stopped after a fatal error; restart: {first}")
    return None


def damaged(path: Path, reason: str) -> StorageError:
    return StorageError(
        f"{path}: not a Footfall database or damaged: {reason}; restore it from a backup "
        "or move it aside to start a new one"
    )


@contextlib.contextmanager
def storage_faults(path: Path) -> Iterator[None]:
    """Turn DuckDB's disk-full and damaged-file errors inside the block into ``StorageError``."""
    try:
        yield
    except duckdb.Error as err:
        mapped = storage_error(path, err)
        if mapped is None:
            raise
        raise mapped from err


def check_complete(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a file shorter than the blocks its header counts: it was cut (a partial copy,
    a disk that filled while it was written).  Call right after opening a file that had no
    WAL, whose blocks may not be written yet."""
    # used blocks, not total: DuckDB trims free blocks off the end of the file at a
    # checkpoint, so a sound file may be shorter than its total; the used ones are in it
    row = con.execute(
        "SELECT block_size, used_blocks FROM pragma_database_size() "
        "WHERE database_name = current_database()"
    ).fetchone()
    if row is None or not path.is_file():
        return
    expected = HEADER_BYTES + int(row[0]) * int(row[1])
    size = path.stat().st_size
    if size < expected:
        raise damaged(path, f"the file has {size} bytes, its header counts {expected}")
