"""Bad input gets one clear line naming the file (and line), a non-zero exit,
and nothing half-stored; good inputs next to it are still imported."""

from __future__ import annotations

import gzip
from pathlib import Path

from tests.conftest import combined, query

GOOD = [combined("10.0.0.1", f"2026-03-02 09:0{i}:00", f"/p{i}") for i in range(5)]


def test_missing_file_names_it(cli, db_path: Path) -> None:
    result = cli("import", "nowhere/access.log", "--db", str(db_path))
    assert result.code == 2
    assert "nowhere/access.log" in result.err and "no such file" in result.err
    assert "Traceback" not in result.err


def test_glob_without_match(cli, db_path: Path) -> None:
    result = cli("import", "logs/*.log", "--db", str(db_path))
    assert result.code == 2
    assert "logs/*.log: no file matches" in result.err


def test_unknown_format_lists_close_formats(cli, write_log, db_path: Path) -> None:
    log = write_log("odd.log", [f"{i} hello world status=OK" for i in range(20)])
    result = cli("import", str(log), "--db", str(db_path))
    assert result.code == 1
    assert "odd.log" in result.err and "cannot tell the log format" in result.err
    assert "combined fits 0/20" in " ".join(result.err.split())
    assert query(db_path, "SELECT count(*) FROM hits") == [(0,)]


def test_binary_file_is_refused_and_good_file_still_imported(
    cli, write_log, db_path: Path, tmp_path: Path
) -> None:
    binary = tmp_path / "image.log"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    good = write_log("good.log", GOOD)
    result = cli("import", str(binary), str(good), "--db", str(db_path))
    assert result.code == 1
    assert "image.log: binary data" in " ".join(result.err.split())
    assert query(db_path, "SELECT count(*) FROM hits") == [(5,)]


def test_corrupt_gzip_stores_nothing_of_it(cli, db_path: Path, tmp_path: Path) -> None:
    lines = [combined("10.0.0.2", f"2026-03-02 10:{i // 60:02d}:{i % 60:02d}", "/x")
             for i in range(3000)]  # fmt: skip
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    broken = tmp_path / "access.log.2.gz"
    broken.write_bytes(data[: len(data) // 2])  # cut in the middle
    result = cli("import", str(broken), "--db", str(db_path))
    assert result.code == 1
    assert "access.log.2.gz" in result.err and "cannot read" in result.err
    assert query(db_path, "SELECT count(*) FROM hits") == [(0,)]
    assert query(db_path, "SELECT count(*) FROM rejects") == [(0,)]


def test_forced_format_that_does_not_fit(cli, write_log, db_path: Path) -> None:
    log = write_log("c.log", GOOD)
    result = cli("import", str(log), "--db", str(db_path), "--format", "w3c")
    assert result.code == 1
    assert "c.log" in result.err and "#Fields" in result.err


def test_bad_report_arguments(cli, write_log, db_path: Path) -> None:
    log = write_log("c.log", GOOD)
    assert cli("import", str(log), "--db", str(db_path), "-q").code == 0
    unknown = cli("report", "nonsense", "--db", str(db_path))
    assert unknown.code == 2 and "unknown report 'nonsense'" in unknown.err
    bad_filter = cli("report", "pages", "--db", str(db_path), "--filter", "colour=red")
    assert bad_filter.code == 2 and "unknown dimension 'colour'" in bad_filter.err
    bad_date = cli("report", "overview", "--db", str(db_path), "--from", "2026-13-01")
    assert bad_date.code == 2 and "from: '2026-13-01' is not a date" in bad_date.err
    bad_regex = cli("report", "pages", "--db", str(db_path), "--filter", "page=~(")
    assert bad_regex.code == 2 and "invalid filter" in bad_regex.err


def test_sql_in_a_filter_value_is_only_a_value(cli, write_log, db_path: Path) -> None:
    log = write_log("c.log", GOOD)
    assert cli("import", str(log), "--db", str(db_path), "-q").code == 0
    evil = "/p1'; DROP TABLE hits; --"
    result = cli("report", "pages", "--db", str(db_path), "--filter", f"page={evil}",
                 "--format", "json")  # fmt: skip
    assert result.code == 0, result.err
    assert result.json()["rows"] == []
    assert query(db_path, "SELECT count(*) FROM hits") == [(5,)]


def test_report_on_missing_database(cli, tmp_path: Path) -> None:
    result = cli("report", "overview", "--db", str(tmp_path / "none.duckdb"))
    assert result.code == 2
    assert "none.duckdb: no such database" in result.err
