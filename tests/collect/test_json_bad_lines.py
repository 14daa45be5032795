"""A JSON log's bad line is a reject like any other: junk, or a last line cut in half."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import query

UA = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"


def nginx_json(second: int, path: str) -> str:
    """nginx ``log_format escape=json`` with the keys of docs/formats.md."""
    return (f'{{"time_iso8601":"2026-02-03T10:00:{second:02d}+00:00","remote_addr":"198.51.100.4",'
            f'"request":"GET {path} HTTP/1.1","status":"200","body_bytes_sent":"512",'
            f'"http_referer":"","http_user_agent":"{UA}","request_time":"0.010"}}')  # fmt: skip


def test_junk_and_a_cut_last_line_are_rejects(cli, tmp_path: Path) -> None:
    lines = [nginx_json(1, "/"), nginx_json(2, "/a"), "upstream timed out, retrying",
             nginx_json(3, "/b"), nginx_json(4, "/c")]  # fmt: skip
    cut = nginx_json(5, "/d")[:70]  # the server died in the middle of the line
    log = tmp_path / "access.json"
    log.write_text("\n".join(lines) + "\n" + cut)
    db = tmp_path / "j.duckdb"
    result = cli("import", str(log), "--db", str(db))
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    assert query(db, "SELECT line_no FROM hits ORDER BY 1") == [(1,), (2,), (4,), (5,)]
    rejects = query(db, "SELECT line_no, line FROM rejects ORDER BY 1")
    assert [r[0] for r in rejects] == [3, 6]
    assert rejects[1][1] == cut
    assert query(db, "SELECT format, lines, imported, rejected FROM sources") == [("json", 6, 4, 2)]


def test_a_junk_first_line_does_not_hide_the_json(cli, tmp_path: Path) -> None:
    log = tmp_path / "access.json"
    log.write_text(
        "\n".join(["-- log reopened --", *(nginx_json(s, "/") for s in range(9))]) + "\n"
    )
    db = tmp_path / "j.duckdb"
    result = cli("import", str(log), "--db", str(db))
    assert result.code == 0, result.err
    assert query(db, "SELECT count(*) FROM hits") == [(9,)]
    assert query(db, "SELECT line_no FROM rejects") == [(1,)]
