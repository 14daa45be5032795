"""NUL bytes (copytruncate holes, crashes) make their lines rejects, not the file binary."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import combined, query


def good(n: int, minute: int = 0) -> bytes:
    return (
        combined(f"192.0.2.{n}", f"2026-02-10 10:{minute:02d}:{n:02d}", f"/p{n}") + "\n"
    ).encode()


def test_lines_with_nuls_are_rejected_and_the_rest_imported(cli, tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    crash = b"\x00" * 300 + b"\n"  # blocks allocated but never written
    glued = b"\x00" * 40 + good(4)  # the next line written after the crash
    log.write_bytes(good(1) + good(2) + crash + glued + good(5) + good(6))
    db = tmp_path / "n.duckdb"
    result = cli("import", str(log), "--db", str(db))
    assert result.code == 0, result.err
    assert query(db, "SELECT line_no FROM hits ORDER BY 1") == [(1,), (2,), (5,), (6,)]
    rejects = query(db, "SELECT line_no, reason, line FROM rejects ORDER BY 1")
    assert [(r[0], r[1]) for r in rejects] == [
        (3, "NUL bytes at column 1"),
        (4, "NUL bytes at column 1"),
    ]
    assert rejects[1][2].startswith("<ip> - - [10/Feb/2026:10:00:04 +0000]")  # without NULs
    assert rejects[0][2] == ""


def test_copytruncate_hole_longer_than_the_head(cli, tmp_path: Path) -> None:
    """copytruncate empties the file while nginx keeps writing at its old offset: the file
    starts with a hole of NULs as long as what was copied away (here 300 KiB)."""
    log = tmp_path / "access.log"
    lines = b"".join(good(n, minute=m) for m in range(3) for n in range(1, 21))  # 60 lines
    log.write_bytes(b"\x00" * (300 * 1024) + lines)
    db = tmp_path / "n.duckdb"
    result = cli("import", str(log), "--db", str(db))
    assert result.code == 0, result.err
    assert query(db, "SELECT count(*) FROM hits") == [(59,)]  # the first is glued to the hole
    assert query(db, "SELECT line_no, reason FROM rejects") == [(1, "NUL bytes at column 1")]
    again = cli("import", str(log), "--db", str(db))
    assert again.code == 0 and "unchanged" in again.err


def test_a_file_that_is_mostly_not_text_is_still_refused(cli, tmp_path: Path) -> None:
    blob = tmp_path / "core.log"
    blob.write_bytes(bytes(range(256)) * 64)
    result = cli("import", str(blob), "--db", str(tmp_path / "n.duckdb"))
    assert result.code == 1
    assert "core.log: binary data" in " ".join(result.err.split())
