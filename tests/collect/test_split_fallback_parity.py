"""The fast path (cut fields by splitting) and the fallback (regex extraction) give the
same rows and the same rejects, line by line, on a mixed file: realistic lines, lines
the split cannot trust (escaped quotes, several spaces) and bad lines."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from footfall.collect import parse_sql
from footfall.collect.formats import FORMATS_BY_NAME, compile_format
from footfall.collect.split_plan import plan_for
from footfall.demo.generator import DemoSpec, write_demo_log
from footfall.pipeline.batch import lines_table

TRICKY = [
    '203.0.113.7 - - [02/Mar/2026:10:00:00 +0000] "GET /a HTTP/1.1" 200 512 "-" '
    '"Mozilla/5.0 \\"quoted\\" (X11; Linux x86_64)"',
    '203.0.113.8 - -  [02/Mar/2026:10:00:01 +0000]  "GET /b?utm_source=x HTTP/1.1" 200 10 '
    '"https://ref.example/p?q=1" "curl/8.0"',
    '203.0.113.9 - - [02/Mar/2026:10:00:02 +0000] "GET /c HTTP/1.1" abc 10 "-" "curl/8.0"',
    '203.0.113.10 - - [02/Mar/2026:10:00:03 +0000] "GET /d HTTP/1.1" 200',
    '203.0.113.11 - - [31/Foo/2026:10:00:03 +0000] "GET /e HTTP/1.1" 200 1 "-" "-"',
    '2001:db8::1 - - [02/Mar/2026:10:00:04 +0100] "POST /f HTTP/2.0" 301 - "-" "Go-http"',
]


def _rows(lines: list[str], fast: bool, monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Every column of a line that is read; for a line that is not, only what is kept of
    it (its number, that it did not match, the reason): its fields are never stored."""
    fmt = compile_format(FORMATS_BY_NAME["combined"])
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(parse_sql, "plan_for", lambda _fmt: None)
        query = parse_sql.parse_query(fmt, "batch")
    table, early = lines_table(("\n".join(lines) + "\n").encode(), 1)
    assert early == []
    con = duckdb.connect()
    con.register("batch", table)
    rows = con.execute(
        f"SELECT CASE WHEN matched THEN COLUMNS(*) END, line_no AS n, matched AS m, "
        f"reject_reason AS why FROM ({query.sql}) ORDER BY n",
        query.params,
    ).fetchall()
    con.close()
    return rows


def test_fast_and_fallback_paths_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert plan_for(compile_format(FORMATS_BY_NAME["combined"])) is not None  # a fast path exists
    log = tmp_path / "demo.log"
    write_demo_log(log, DemoSpec(days=1, daily_visitors=150, with_request_time=False))
    lines = log.read_text(encoding="utf-8").splitlines()[:3000] + TRICKY
    fast = _rows(lines, True, monkeypatch)
    fallback = _rows(lines, False, monkeypatch)
    assert len(fast) == len(lines)
    assert fast == fallback
    tricky = fast[-len(TRICKY) :]
    matched = [row[-2] for row in tricky]
    assert matched == [True, True, False, False, True, True]  # written down per line
    assert tricky[0][11] == 'Mozilla/5.0 \\"quoted\\" (X11; Linux x86_64)'  # whole agent
    assert tricky[1][18] == "/b?utm_source=x"  # read although fields are two spaces apart
    assert tricky[4][-1] is not None  # a month that does not exist: matched, refused
