"""Daily W3C/IIS files share their first lines (#Software, #Version): each is still its own log.

A file used to be known by its first line, so every IIS day after the first was skipped
as "unchanged" (same size) or refused as "already imported".  These tests import a month
of daily files written by hand in the layout IIS uses (u_exYYMMDD.log).
"""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import duckdb

from tests.conftest import query

FIELDS = (
    "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip "
    "cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken"
)
UA = "Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/124.0.0.0+Safari/537.36"
SOFTWARE = "#Software: Microsoft Internet Information Services 10.0"


def iis_day(day: int, requests: int = 3, start_hour: int = 8) -> str:
    """One IIS day: the four directives, then ``requests`` lines from two visitors."""
    date = f"2026-01-{day:02d}"
    lines = [SOFTWARE, "#Version: 1.0", f"#Date: {date} 00:00:00", FIELDS]
    for i in range(requests):
        ip = f"203.0.113.{10 + i % 2}"
        lines.append(f"{date} {start_hour + i:02d}:00:00 10.0.0.5 GET /page{i}.aspx - 443 - {ip} "
                     f"{UA} - 200 0 0 15")  # fmt: skip
    return "".join(line + "\n" for line in lines)


def month(folder: Path, days: int = 31) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for day in range(1, days + 1):
        path = folder / f"u_ex2601{day:02d}.log"
        path.write_text(iis_day(day))
        paths.append(path)
    return paths


def per_day(db: Path) -> list[tuple]:
    return query(db, "SELECT day::VARCHAR, count(*) FROM hits GROUP BY 1 ORDER BY 1")


def test_a_month_of_daily_files_is_imported_whole(cli, tmp_path: Path) -> None:
    logs = tmp_path / "W3SVC1"
    paths = month(logs)
    assert len({p.stat().st_size for p in paths}) == 1  # same size: the "unchanged" trap
    db = tmp_path / "iis.duckdb"
    result = cli("import", str(logs), "--db", str(db))
    assert result.code == 0, result.err
    assert query(db, "SELECT count(*) FROM hits") == [(93,)]  # 31 days x 3 requests
    assert per_day(db)[0] == ("2026-01-01", 3) and per_day(db)[-1] == ("2026-01-31", 3)
    assert query(db, "SELECT count(*) FROM sources") == [(31,)]

    again = cli("import", str(logs), "--db", str(db))
    assert again.code == 0, again.err
    assert " ".join(again.err.split()).count("unchanged") == 31
    assert query(db, "SELECT count(*) FROM hits") == [(93,)]


def test_days_imported_one_by_one(cli, tmp_path: Path) -> None:
    paths = month(tmp_path / "logs", days=3)
    db = tmp_path / "iis.duckdb"
    for path in paths:
        result = cli("import", str(path), "--db", str(db))
        assert result.code == 0, result.err
        assert "already" not in result.err
    assert per_day(db) == [("2026-01-01", 3), ("2026-01-02", 3), ("2026-01-03", 3)]


def test_todays_file_grows_and_only_new_lines_are_read(cli, tmp_path: Path) -> None:
    paths = month(tmp_path / "logs", days=2)
    db = tmp_path / "iis.duckdb"
    assert cli("import", str(tmp_path / "logs"), "--db", str(db), "-q").code == 0
    with paths[1].open("a") as fh:  # IIS appends to today's file, no new directives
        fh.write(
            f"2026-01-02 20:00:00 10.0.0.5 GET /late.aspx - 443 - 203.0.113.99 {UA} - 200 0 0 9\n"
        )
    result = cli("import", str(tmp_path / "logs"), "--db", str(db))
    assert result.code == 0, result.err
    assert per_day(db) == [("2026-01-01", 3), ("2026-01-02", 4)]
    assert query(db, "SELECT lines FROM sources ORDER BY file_id") == [(7,), (8,)]


def test_a_rotated_and_compressed_day_is_the_same_log(cli, tmp_path: Path) -> None:
    paths = month(tmp_path / "logs", days=2)
    db = tmp_path / "iis.duckdb"
    assert cli("import", str(tmp_path / "logs"), "--db", str(db), "-q").code == 0
    archive = paths[0].with_name(paths[0].name + ".gz")
    archive.write_bytes(gzip.compress(paths[0].read_bytes()))
    paths[0].unlink()
    result = cli("import", str(tmp_path / "logs"), "--db", str(db))
    assert result.code == 0, result.err
    assert query(db, "SELECT count(*) FROM hits") == [(6,)]
    assert query(db, "SELECT count(*) FROM sources") == [(2,)]


def test_checkpoints_of_earlier_versions_still_hold(cli, tmp_path: Path) -> None:
    """A database written when a file was known by its first line (the #Software line for
    IIS): the day it covers is recognised and its key updated; the other days import."""
    paths = month(tmp_path / "logs", days=3)
    db = tmp_path / "iis.duckdb"
    assert cli("import", str(paths[0]), "--db", str(db), "-q").code == 0
    legacy = hashlib.sha256(SOFTWARE.encode()).hexdigest()
    con = duckdb.connect(str(db))
    con.execute("UPDATE sources SET fingerprint = ?", [legacy])  # as the old version wrote it
    con.close()
    with paths[0].open("a") as fh:
        fh.write(
            f"2026-01-01 21:00:00 10.0.0.5 GET /late.aspx - 443 - 203.0.113.99 {UA} - 200 0 0 9\n"
        )
    result = cli("import", str(tmp_path / "logs"), "--db", str(db))
    assert result.code == 0, result.err
    assert per_day(db) == [("2026-01-01", 4), ("2026-01-02", 3), ("2026-01-03", 3)]
    keys = query(db, "SELECT fingerprint FROM sources ORDER BY file_id")
    assert len(keys) == 3 and (legacy,) not in keys


def test_a_file_with_only_directives_waits_for_its_first_request(cli, tmp_path: Path) -> None:
    log = tmp_path / "u_ex260105.log"
    log.write_text(iis_day(5, requests=0))
    db = tmp_path / "iis.duckdb"
    first = cli("import", str(log), "--db", str(db))
    assert first.code == 0, first.err
    log.write_text(iis_day(5, requests=2))
    second = cli("import", str(log), "--db", str(db))
    assert second.code == 0, second.err
    assert query(db, "SELECT count(*) FROM hits") == [(2,)]
