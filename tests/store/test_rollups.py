"""The daily rollups always equal the rows they summarise.

Each ``rollup_<cube>`` table is compared with the same aggregate written here, over
``hits`` and ``sessions``, without ``store/rollups.py``: after an import, after a
second file that adds rows to stored days, after kill -9 and resume, after a change
of the site's time zone, after a failed file is discarded.  A six-line log is also
checked against rows counted by hand.
"""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import time
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from footfall.demo.generator import write_bench_log
from tests.conftest import CHROME, FOOTFALL, GOOGLEBOT, IPHONE, combined

HIT_MEASURES = {
    "requests": "count(*)",
    "bytes": "sum(bytes)",
    "pageviews": "count(*) FILTER (WHERE is_pageview)",
    "visitors": "count(DISTINCT visitor_id) FILTER (WHERE is_pageview)",
    "clients": "count(DISTINCT visitor_id)",
    "events": "count(*) FILTER (WHERE event_name <> 'pageview')",
    "revenue": "sum(revenue_amount)",
    "errors": "sum(CASE WHEN status >= 400 THEN 1 ELSE 0 END)",
}
SESSION_MEASURES = {
    "visits": "count(*)",
    "bounces": "count(*) FILTER (WHERE is_bounce)",
    "duration_s": "sum(duration_s)",
    "pageviews": "sum(pageviews)",
}
CLIENT = ("browser", "os", "device", "country")
#: cube -> (raw table, key columns): the layout the report compiler reads.
CUBES: dict[str, tuple[str, tuple[str, ...]]] = {
    "totals": ("hits", ()),
    "paths": ("hits", ("path",)),
    "pages": ("hits", ("path", "status")),
    "statuses": ("hits", ("status",)),
    "bots": ("hits", ("bot_category", "bot_name", "bot_rule")),
    "clients": ("hits", CLIENT),
    "visits": ("sessions", ()),
    "entries": ("sessions", ("entry_page",)),
    "exits": ("sessions", ("exit_page",)),
    "sources": (
        "sessions",
        ("source", "channel", "referrer_host", "utm_source", "utm_medium", "utm_campaign"),
    ),
    "visit_clients": ("sessions", CLIENT),
}
ADDITIVE = {"requests", "bytes", "pageviews", "events", "errors", "visits", "bounces"}


def _measures(cube: str) -> dict[str, str]:
    return HIT_MEASURES if CUBES[cube][0] == "hits" else SESSION_MEASURES


def _columns(cube: str) -> list[str]:
    return ["site", "day", "local_day", "is_bot", *CUBES[cube][1], *_measures(cube)]


def _norm(rows: list[tuple[Any, ...]]) -> Counter[tuple[Any, ...]]:
    def value(v: Any) -> Any:
        if isinstance(v, float):
            return round(v, 6)  # a sum of doubles depends on the order it was added in
        if isinstance(v, Decimal):
            return v.normalize()
        return v

    return Counter(tuple(value(v) for v in row) for row in rows)


def stored_cube(con: duckdb.DuckDBPyConnection, cube: str) -> Counter[tuple[Any, ...]]:
    return _norm(con.execute(f"SELECT {', '.join(_columns(cube))} FROM rollup_{cube}").fetchall())


def expected_cube(con: duckdb.DuckDBPyConnection, cube: str) -> Counter[tuple[Any, ...]]:
    """The cube as it must be, from the raw rows and each site's zone."""
    table, keys = CUBES[cube]
    ts = "ts" if table == "hits" else "start_ts"
    measures = ", ".join(f"{sql} AS {name}" for name, sql in _measures(cube).items())
    key_list = "".join(f", {k}" for k in keys)
    local = f"CAST(({ts} AT TIME ZONE 'UTC') AT TIME ZONE sites.timezone AS DATE)"
    raw = (f"SELECT {table}.*, sites.timezone AS zone, {local} AS local_date, "
           f"bot_category IS NOT NULL AS bot FROM {table} JOIN sites ON sites.name = {table}.site")  # fmt: skip
    cells = (f"SELECT site, day, CASE WHEN zone = 'UTC' THEN day ELSE local_date END, bot"
             f"{key_list}, {measures} FROM ({raw}) GROUP BY ALL")  # fmt: skip
    whole = (f"SELECT site, day, NULL::DATE, bot{key_list}, {measures} FROM ({raw}) "
             f"WHERE zone <> 'UTC' GROUP BY ALL")  # fmt: skip
    return _norm(con.execute(f"{cells} UNION ALL {whole}").fetchall())


def assert_cubes_equal_rows(db: Path) -> None:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'rollup_%'"
        ).fetchall()}  # fmt: skip
        assert tables == {f"rollup_{c}" for c in CUBES} | {"rollup_sites"}
        zones = dict(con.execute("SELECT name, timezone FROM sites").fetchall())
        written = dict(con.execute("SELECT site, timezone FROM rollup_sites").fetchall())
        with_rows = {r[0] for r in con.execute("SELECT site FROM hits UNION SELECT site FROM sessions").fetchall()}  # fmt: skip
        assert {s: zones[s] for s in with_rows} == {s: written[s] for s in with_rows}
        for cube in CUBES:
            names = [r[0] for r in con.execute(f"DESCRIBE rollup_{cube}").fetchall()]
            assert sorted(names) == sorted(_columns(cube)), cube
            stored, expected = stored_cube(con, cube), expected_cube(con, cube)
            assert stored == expected, (
                f"rollup_{cube}: missing {list((expected - stored).elements())[:3]}, "
                f"extra {list((stored - expected).elements())[:3]}"
            )
    finally:
        con.close()


def footfall(*args: str, env: dict[str, str] | None = None, check: bool = True) -> int:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FOOTFALL_")}
    proc = subprocess.run([FOOTFALL, *args], env={**clean, **(env or {})}, capture_output=True)
    if check:
        assert proc.returncode == 0, proc.stderr.decode()
    return proc.returncode


@pytest.fixture(scope="module")
def bench_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("logs") / "access.log"
    write_bench_log(path, 30_000, seed=7)
    return path


# -- a case counted by hand -------------------------------------------------------------

HAND = [
    combined("10.0.0.1", "2026-03-02 09:00:00", "/", size=1000),
    combined("10.0.0.1", "2026-03-02 09:01:00", "/about", size=2000),
    combined("10.0.0.1", "2026-03-02 09:01:05", "/style.css", size=500),
    combined("10.0.0.2", "2026-03-02 23:30:00", "/missing", status=404, size=100, ua=IPHONE),
    combined("10.0.0.3", "2026-03-02 10:00:00", "/robots.txt", size=50, ua=GOOGLEBOT),
    combined("10.0.0.2", "2026-03-03 00:10:00", "/", size=3000, ua=IPHONE),
]
D2, D3 = date(2026, 3, 2), date(2026, 3, 3)


def test_six_lines_counted_by_hand(write_log, tmp_path: Path) -> None:
    assert CHROME in HAND[0]
    db = tmp_path / "hand.duckdb"
    footfall("import", str(write_log("access.log", HAND)), "--db", str(db), "-q")
    totals = "SELECT day, local_day, is_bot, requests, bytes, pageviews, visitors, clients, " \
             "events, revenue, errors FROM rollup_totals ORDER BY day, local_day NULLS FIRST, is_bot"  # fmt: skip
    visits = "SELECT day, local_day, is_bot, visits, bounces, duration_s, pageviews " \
             "FROM rollup_visits ORDER BY day, local_day NULLS FIRST, is_bot"  # fmt: skip
    con = duckdb.connect(str(db), read_only=True)
    # UTC: one row per day; 10.0.0.1 viewed 2 pages (and a stylesheet), 10.0.0.2 got a 404
    # late on the 2nd and viewed / on the 3rd (another visitor id: another day); Googlebot
    assert con.execute(totals).fetchall() == [
        (D2, D2, False, 4, 3600, 2, 1, 2, 0, None, 1),
        (D2, D2, True, 1, 50, 0, 0, 1, 0, None, 0),
        (D3, D3, False, 1, 3000, 1, 1, 1, 0, None, 0),
    ]
    assert con.execute(visits).fetchall() == [
        (D2, D2, False, 1, 0, 60.0, 2),
        (D3, D3, False, 1, 1, 0.0, 1),
    ]
    assert con.execute("SELECT path, status, requests, pageviews FROM rollup_pages "
                       "WHERE day = DATE '2026-03-02' AND NOT is_bot ORDER BY path").fetchall() == [
        ("/", 200, 1, 1), ("/about", 200, 1, 1), ("/missing", 404, 1, 0), ("/style.css", 200, 1, 0),
    ]  # fmt: skip
    con.close()
    footfall("site", "default", "--timezone", "Europe/Paris", "--db", str(db))
    con = duckdb.connect(str(db), read_only=True)
    # Paris is UTC+1: the 404 at 23:30 UTC falls on the local 3rd, as does 00:10 UTC
    assert con.execute(totals).fetchall() == [
        (D2, None, False, 4, 3600, 2, 1, 2, 0, None, 1),
        (D2, None, True, 1, 50, 0, 0, 1, 0, None, 0),
        (D2, D2, False, 3, 3500, 2, 1, 1, 0, None, 0),
        (D2, D2, True, 1, 50, 0, 0, 1, 0, None, 0),
        (D2, D3, False, 1, 100, 0, 0, 1, 0, None, 1),
        (D3, None, False, 1, 3000, 1, 1, 1, 0, None, 0),
        (D3, D3, False, 1, 3000, 1, 1, 1, 0, None, 0),
    ]
    assert con.execute("SELECT * FROM rollup_sites").fetchall() == [("default", "Europe/Paris")]
    con.close()
    assert_cubes_equal_rows(db)


# -- real imports -----------------------------------------------------------------------


@pytest.mark.slow
def test_one_import_then_a_second_file_on_the_same_days(bench_log: Path, tmp_path: Path) -> None:
    lines = bench_log.read_text().splitlines(keepends=True)
    first, second = tmp_path / "a.log", tmp_path / "b.log"
    first.write_text("".join(lines[0::2]))
    second.write_text("".join(lines[1::2]))  # every day again: the stored days re-flush
    db = tmp_path / "two.duckdb"
    footfall("import", str(first), "--db", str(db), "-q")
    assert_cubes_equal_rows(db)
    con = duckdb.connect(str(db), read_only=True)
    before = con.execute("SELECT sum(requests) FROM rollup_totals").fetchone()
    con.close()
    footfall("import", str(second), "--db", str(db), "-q")
    assert_cubes_equal_rows(db)
    con = duckdb.connect(str(db), read_only=True)
    after = con.execute("SELECT sum(requests), (SELECT count(*) FROM hits) FROM rollup_totals").fetchone()  # fmt: skip
    con.close()
    assert before is not None and after is not None
    assert before[0] == len(lines[0::2]) and after[0] == after[1] == len(lines)


@pytest.mark.slow
def test_time_zone_change_rebuilds_whole_day_rows_and_cells(
    bench_log: Path, tmp_path: Path
) -> None:
    db = tmp_path / "tz.duckdb"
    footfall("import", str(bench_log), "--db", str(db), "-q")
    footfall("site", "default", "--timezone", "Europe/Paris", "--db", str(db))
    assert_cubes_equal_rows(db)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT timezone FROM rollup_sites").fetchall() == [("Europe/Paris",)]
    for cube, (_, keys) in CUBES.items():
        additive = [m for m in _measures(cube) if m in ADDITIVE]
        group = ", ".join(["day", "is_bot", *keys])
        for m in additive:
            bad = con.execute(
                f"SELECT count(*) FROM (SELECT {group} FROM rollup_{cube} GROUP BY {group} "
                f"HAVING sum({m}) FILTER (WHERE local_day IS NOT NULL) IS DISTINCT FROM "
                f"sum({m}) FILTER (WHERE local_day IS NULL))"
            ).fetchone()
            assert bad == (0,), (cube, m)
    # the days are split at local midnight: some UTC day has cells on two local days
    split = con.execute("SELECT count(*) FROM (SELECT day FROM rollup_totals WHERE local_day "
                        "IS NOT NULL GROUP BY day HAVING count(DISTINCT local_day) = 2)").fetchone()  # fmt: skip
    assert split is not None and split[0] > 0
    con.close()
    # and back to UTC: one row per day again
    footfall("site", "default", "--timezone", "UTC", "--db", str(db))
    assert_cubes_equal_rows(db)


@pytest.mark.slow
def test_kill_9_mid_import_then_resume(bench_log: Path, tmp_path: Path) -> None:
    env = {"FOOTFALL_BATCH_LINES": "2000", "FOOTFALL_FLUSH_ROWS": "5000"}
    clean = tmp_path / "clean.duckdb"
    started = time.perf_counter()
    footfall("import", str(bench_log), "--db", str(clean), "-q", env=env)
    duration = time.perf_counter() - started
    db = tmp_path / "killed.duckdb"
    base = {k: v for k, v in os.environ.items() if not k.startswith("FOOTFALL_")}
    proc = subprocess.Popen([FOOTFALL, "import", str(bench_log), "--db", str(db), "-q"],
                            env={**base, **env})  # fmt: skip
    time.sleep(duration * 0.6)
    assert proc.poll() is None, "the import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    if db.exists():
        stopped = duckdb.connect(str(db), read_only=True)
        done = stopped.execute("SELECT count(*) FROM hits").fetchone()
        stopped.close()
        assert done is not None and done[0] < len(bench_log.read_text().splitlines())
        assert_cubes_equal_rows(db)  # whatever was committed: rows and cubes together
    footfall("import", str(bench_log), "--db", str(db), "-q", env=env)
    assert_cubes_equal_rows(db)
    # the cubes hold no visitor ids (salted per database): they equal a clean import's
    a, b = duckdb.connect(str(db), read_only=True), duckdb.connect(str(clean), read_only=True)
    for cube in CUBES:
        assert stored_cube(a, cube) == stored_cube(b, cube), cube
    a.close()
    b.close()


@pytest.mark.slow
def test_failed_file_is_discarded_from_the_cubes(tmp_path: Path, monkeypatch) -> None:
    from footfall.pipeline import importer
    from footfall.pipeline.importer import ImportRequest, run_import
    from footfall.settings import Settings

    good = tmp_path / "good.log"  # the 2nd: a day that stays
    good.write_text("".join(combined(f"10.1.0.{i % 50}", f"2026-03-02 08:{i // 60 % 60:02d}:"
                                     f"{i % 60:02d}", f"/g{i % 7}") + "\n" for i in range(600)))  # fmt: skip
    # a gzip cut in the middle: lines on the 2nd and the 3rd (only it has the 3rd), some of
    # which are flushed before the read fails
    lines = [combined(f"10.2.{i % 200 // 100}.{i % 100}", f"2026-03-0{2 + i % 2} "
                      f"{10 + i // 3600 % 12:02d}:{i // 60 % 60:02d}:{i % 60:02d}", f"/b{i % 9}")
             for i in range(40_000)]  # fmt: skip
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    broken = tmp_path / "access.log.2.gz"
    broken.write_bytes(data[: len(data) // 2])
    db = tmp_path / "discard.duckdb"
    settings = Settings(db_path=db, batch_lines=1000, flush_rows=1500)
    refreshed: list[list[date]] = []
    real = importer.refresh_rollups

    def spy(con: Any, site: str, days: Any) -> None:
        refreshed.append(list(days))
        real(con, site, days)

    monkeypatch.setattr(importer, "refresh_rollups", spy)
    report = run_import(settings, ImportRequest([str(good), str(broken)], site="default"))
    assert [s.status for s in report.sources] == ["imported", "failed"]
    assert_cubes_equal_rows(db)
    assert refreshed and set(refreshed[0]) == {D2, D3}  # its flushed rows were on both days
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT DISTINCT day FROM rollup_totals").fetchall() == [(D2,)]
    assert con.execute("SELECT sum(requests) FROM rollup_totals").fetchone() == (600,)
    con.close()


def test_migration_builds_the_cubes_of_a_store_that_had_none(write_log, tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    footfall("import", str(write_log("access.log", HAND)), "--db", str(db), "-q")
    con = duckdb.connect(str(db))
    for cube in [*CUBES, "sites"]:
        con.execute(f"DROP TABLE rollup_{cube}")
    con.execute("DELETE FROM schema_migrations WHERE version = 6")
    con.execute("UPDATE sites SET timezone = 'America/New_York'")
    con.close()
    footfall("site", "default", "--db", str(db))  # opening it migrates
    assert_cubes_equal_rows(db)
