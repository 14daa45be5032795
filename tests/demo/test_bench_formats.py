"""Bench logs in the three formats of bench/bench_import.py: the same events, read alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from footfall.demo.generator import BENCH_FORMATS, bench_header_lines, write_bench_log
from tests.collect._support import Imported, import_logs

LINES = 2_000

#: What each hit is, as stored: identical whatever the format the event was written in.
HIT_SQL = """
    SELECT ts, day, method, path, status, bytes, kind, is_pageview, referrer, referrer_host,
           utm_source, utm_medium, utm_campaign, click_id, source, channel, browser, os,
           device, bot_category, bot_name
    FROM hits ORDER BY ALL"""
SUMMARY_SQL = """
    SELECT count(*), count(*) FILTER (WHERE is_pageview), sum(bytes),
           count(DISTINCT visitor_id), count(DISTINCT session_id)
    FROM hits"""
SESSIONS_SQL = """
    SELECT start_ts, end_ts, pageviews, is_bounce, entry_page, exit_page, channel,
           bot_category
    FROM sessions ORDER BY ALL"""


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Imported]:
    out = {}
    for fmt in BENCH_FORMATS:
        work = tmp_path_factory.mktemp(fmt)
        log = work / f"bench.{fmt}.log"
        write_bench_log(log, LINES, seed=2, fmt=fmt)
        out[fmt] = import_logs(work, [log], format=fmt)
    return out


def test_same_events_three_ways(tmp_path: Path) -> None:
    default, combined = tmp_path / "default.log", tmp_path / "combined.log"
    write_bench_log(default, LINES, seed=2)
    write_bench_log(combined, LINES, seed=2, fmt="combined")
    assert combined.read_bytes() == default.read_bytes()  # fmt changes nothing for combined
    w3c, js = tmp_path / "w3c.log", tmp_path / "json.log"
    write_bench_log(w3c, LINES, seed=2, fmt="w3c")
    write_bench_log(js, LINES, seed=2, fmt="json")

    w3c_lines = w3c.read_text().splitlines()
    assert len(w3c_lines) == LINES + bench_header_lines("w3c")
    header, data = w3c_lines[:4], w3c_lines[4:]
    assert header[0] == "#Software: Microsoft Internet Information Services 10.0"
    assert header[3].startswith("#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query")
    assert all(len(line.split(" ")) == 16 for line in data)  # no value holds a space
    objects = [json.loads(line) for line in js.read_text().splitlines()]
    assert len(objects) == LINES
    first = combined.read_text().splitlines()[0]
    assert f'"{objects[0]["request"]}" {objects[0]["status"]} ' in first
    assert first.startswith(objects[0]["remote_addr"] + " ")
    with pytest.raises(ValueError, match="fmt"):
        write_bench_log(tmp_path / "x.log", 1, fmt="xml")


def test_every_format_imports_without_rejects(imported: dict[str, Imported]) -> None:
    for fmt, imp in imported.items():
        (source,) = imp.report.sources
        assert (source.stored, source.rejected) == (LINES, 0), fmt
        assert imp.formats() == [fmt]
        assert imp.count("rejects") == 0


def test_every_format_stores_the_same_hits(imported: dict[str, Imported]) -> None:
    combined = imported["combined"]
    hits = combined.query(HIT_SQL)
    summary = combined.query(SUMMARY_SQL)
    sessions = combined.query(SESSIONS_SQL)
    assert summary[0][0] == LINES and summary[0][1] > 0  # pageviews
    assert {r[4] for r in hits} >= {200, 304, 404}  # statuses of several classes
    assert any(r[19] for r in hits) and any(r[19] is None for r in hits)  # bots and people
    for fmt in ("w3c", "json"):
        imp = imported[fmt]
        assert imp.query(SUMMARY_SQL) == summary, fmt
        assert imp.query(HIT_SQL) == hits, fmt
        assert imp.query(SESSIONS_SQL) == sessions, fmt


def test_request_times_of_w3c_and_json(imported: dict[str, Imported]) -> None:
    """Combined bench logs have none; W3C time-taken (ms) and JSON request_time (s)
    carry the same invented values."""
    sql = "SELECT ts, path, status, round(duration_ms, 3) FROM hits ORDER BY ALL"
    w3c, js = imported["w3c"].query(sql), imported["json"].query(sql)
    assert w3c == js
    assert all(r[3] is not None and r[3] >= 1 for r in w3c)
    assert imported["combined"].query("SELECT count(duration_ms) FROM hits") == [(0,)]
