"""A file that fails half-way is removed without leaving other files' stored rows in memory.

Removing a failed file recomputes its days: the stored rows of those days move back to
staging.  They used to wait there for the import's last flush, committed out of the
database although their own files' checkpoints said "stored": a kill -9 in between lost
them for good.  Now they are flushed again in the transaction that removes the file.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

from footfall.pipeline import importer
from footfall.pipeline.importer import ImportRequest, run_import
from footfall.settings import Settings
from tests.conftest import combined


def test_rows_of_other_files_are_stored_when_the_failed_file_is_removed(
    tmp_path: Path, monkeypatch: Any
) -> None:
    good = tmp_path / "good.log"  # 600 requests on 2 March, flushed before the broken file
    good.write_text("".join(combined(f"10.1.0.{i % 50}", f"2026-03-02 08:{i // 60 % 60:02d}:"
                                     f"{i % 60:02d}", f"/g{i % 7}") + "\n" for i in range(600)))  # fmt: skip
    lines = [combined(f"10.2.{i % 200 // 100}.{i % 100}", f"2026-03-02 "
                      f"{10 + i // 3600 % 12:02d}:{i // 60 % 60:02d}:{i % 60:02d}", f"/b{i % 9}")
             for i in range(40_000)]  # fmt: skip
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    broken = tmp_path / "access.log.2.gz"
    broken.write_bytes(data[: len(data) // 2])  # cut: some of it is flushed, then it fails
    settings = Settings(db_path=tmp_path / "f.duckdb", batch_lines=1000, flush_rows=1500)

    # what a kill -9 right after the removal would find in the database file: the
    # committed rows of good.log (read through the import's own connection, outside any
    # transaction, so only committed rows count)
    seen: list[int] = []
    real = importer._Run._discard

    def discard_then_look(self: importer._Run, *args: Any) -> None:
        real(self, *args)
        row = self.db.fetchone(
            "SELECT count(*) FROM hits JOIN sources USING (file_id) WHERE sources.name = ?",
            [str(good)],
        )
        seen.append(int(row[0]) if row else -1)

    monkeypatch.setattr(importer._Run, "_discard", discard_then_look)
    report = run_import(settings, ImportRequest([str(good), str(broken)], site="default"))
    assert [s.status for s in report.sources] == ["imported", "failed"]
    assert seen == [600]
