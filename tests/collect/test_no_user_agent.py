"""A format without a user-agent field (CLF): hits are people unless behaviour says bot."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tests.conftest import combined, query


def clf(ip: str, when: str, path: str) -> str:
    ts = datetime.strptime(when, "%Y-%m-%d %H:%M:%S").strftime("%d/%b/%Y:%H:%M:%S +0000")
    return f'{ip} - - [{ts}] "GET {path} HTTP/1.1" 200 1200'


def test_common_log_hits_count_as_people(cli, tmp_path: Path, write_log) -> None:
    log = write_log("access_log", [
        clf("192.0.2.1", "2026-03-01 10:00:00", "/"),
        clf("192.0.2.1", "2026-03-01 10:00:05", "/style.css"),
        clf("192.0.2.1", "2026-03-01 10:01:00", "/pricing"),
        clf("192.0.2.2", "2026-03-01 11:00:00", "/"),
        clf("192.0.2.3", "2026-03-01 12:00:00", "/robots.txt"),  # a crawler by behaviour
        clf("192.0.2.3", "2026-03-01 12:00:01", "/"),
    ])  # fmt: skip
    db = tmp_path / "clf.duckdb"
    result = cli("import", str(log), "--db", str(db))
    assert result.code == 0, result.err
    err = " ".join(result.err.split())
    assert "access_log: format common has no user agent: bot detection was limited" in err
    # 192.0.2.3 read robots.txt: a bot; the other four hits are people
    assert query(db, "SELECT count(*) FROM hits WHERE bot_category IS NULL") == [(4,)]
    assert query(db, "SELECT count(*) FROM sessions WHERE bot_category IS NULL") == [(2,)]
    assert query(db, "SELECT bot_rule FROM hits WHERE bot_category IS NOT NULL") == [
        ("behaviour:robots.txt",), ("behaviour:robots.txt",)]  # fmt: skip


def test_an_empty_user_agent_is_still_automation(cli, tmp_path: Path, write_log) -> None:
    log = write_log("access.log", [combined("192.0.2.9", "2026-03-01 10:00:00", "/", ua="-")])
    db = tmp_path / "c.duckdb"
    result = cli("import", str(log), "--db", str(db))
    assert result.code == 0, result.err
    assert "bot detection was limited" not in result.err
    assert query(db, "SELECT bot_category FROM hits") == [("automation",)]
