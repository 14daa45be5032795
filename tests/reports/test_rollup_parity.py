"""Daily rollups answer exactly what the raw rows answer (issue 18).

Every traffic report of the catalogue, and every dimension with the metrics each report
asks for, run twice on a realistic imported log: raw rows forced (``source="raw"``) and
the compiler's choice (``"auto"``), with a set of filters, bots in and out, a comparison
period, in UTC and in two other zones over periods whose edges cut UTC days.  The
results must be identical as the API returns them.  The dashboard's reports with no
filter must really come from rollups.  Then the same after a re-flush of stored days (a
second file) and after an import killed with SIGKILL and resumed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from footfall.demo.spec import DemoSpec
from footfall.demo.writers import write_bench_log, write_demo_log
from footfall.errors import QueryError
from footfall.pipeline.importer import ImportRequest, run_import
from footfall.reports.catalog import DASHBOARD, TRAFFIC, RunContext, run_catalog_report
from footfall.reports.request import make_request
from footfall.reports.run import run_query
from footfall.settings import Settings
from footfall.store.database import Database
from footfall.store.sites import update_site
from footfall.vocabulary.dimensions import DIMENSIONS
from footfall.vocabulary.periods import DateRange
from footfall.vocabulary.query import Query

SITE = "s"
END = dt.date(2026, 11, 22)
ZONES = ("UTC", "Europe/Paris", "America/New_York")
#: (label, period): whole data, and one local day (its edges cut UTC days outside UTC)
PERIODS = (
    ("week", DateRange(dt.date(2026, 11, 18), dt.date(2026, 11, 21))),
    ("day", DateRange(dt.date(2026, 11, 20), dt.date(2026, 11, 20))),
)
ALL = DateRange(dt.date(2026, 11, 1), END)
FILTERS: tuple[tuple[str, ...], ...] = (
    (),
    ("visit:browser=Chrome",),  # is, on a cube key
    ("event:page~blog",),  # contains
    ("visit:source=~^(Google|Direct)",),  # matches a regex
    ("event:method=GET",),  # a dimension no cube has
    ("visit:country!=US",),  # is not
)
DASHBOARD_REPORTS = ("overview", "timeseries",
                     *(t["report"] for p in DASHBOARD["panels"] for t in p["tabs"]))  # fmt: skip
METRIC_SETS = (
    ("requests", "bytes", "bots", "pageviews", "visitors", "clients", "events", "revenue",
     "error_rate"),
    ("visits", "bounce_rate", "visit_duration", "views_per_visit"),
    *{r.metrics for r in TRAFFIC},
)  # fmt: skip


def _import(db_path: Path, *logs: Path) -> None:
    for log in logs:
        run_import(Settings(db_path=db_path), ImportRequest([str(log)], SITE))


def _set_zone(db_path: Path, zone: str) -> None:
    with Database(Settings(db_path=db_path)) as db:
        db.execute("BEGIN TRANSACTION")
        update_site(db, SITE, timezone=zone)  # rebuilds the site's rollups in the zone
        db.execute("COMMIT")


def _copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("logs")
    main, more = folder / "main.log", folder / "more.log"
    write_demo_log(main, DemoSpec(days=6, daily_visitors=60, end=END, seed=11))
    write_bench_log(more, 1500, seed=5)  # the last stored days again: rows added to them
    return main, more


@pytest.fixture(scope="module")
def imported(logs: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "base.duckdb"
    _import(path, logs[0])
    return path


@pytest.fixture(scope="module")
def zoned(imported: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("zones")
    out = {}
    for zone in ZONES:
        path = _copy(imported, folder / f"{zone.replace('/', '_')}.duckdb")
        if zone != "UTC":
            _set_zone(path, zone)
        out[zone] = path
    return out


@pytest.fixture
def reader() -> Iterator[Any]:
    opened: list[Database] = []

    def open_(path: Path) -> Database:
        db = Database(Settings(db_path=path), read_only=True)
        opened.append(db)
        return db

    yield open_
    for db in opened:
        db.close()


def _report(db: Database, name: str, period: DateRange, filters: tuple[str, ...] = (),
            source: str = "auto", **kw: Any) -> dict[str, Any]:  # fmt: skip
    record = next(r for r in TRAFFIC if r.name == name)
    request = make_request(record, SITE, period, filters, limit=1000, **kw)
    return run_catalog_report(db, request, RunContext(source=source, explain=True))


def _same_report(db: Database, name: str, period: DateRange, filters: tuple[str, ...] = (),
                 **kw: Any) -> dict[str, Any]:  # fmt: skip
    raw = _report(db, name, period, filters, "raw", **kw)
    auto = _report(db, name, period, filters, "auto", **kw)
    assert raw.pop("explain")["source"].startswith("raw")
    explain = auto.pop("explain")
    assert auto == raw, f"{name} {filters} {kw}: {explain['source']}"
    return explain


def _run(db: Database, q: Query, source: str) -> tuple[str, Any]:
    try:
        result = run_query(db, q, source=source)
    except QueryError as err:
        return "error", str(err)
    return result.explain[0]["source"], result.as_dict() | {"previous": result.previous}


# ------------------------------------------------------------------ the catalogue


@pytest.mark.parametrize("zone", ZONES)
def test_every_report_with_every_filter_is_the_same_from_rollups(zoned, reader, zone) -> None:
    db = reader(zoned[zone])
    used = set()
    for _, period in PERIODS:
        for report in TRAFFIC:
            for filters in FILTERS:
                for kw in ({}, {"include_bots": True}, {"compare": "previous"}):
                    used.add(_same_report(db, report.name, period, filters, **kw)["source"])
        for interval in ("hour", "day", "week", "month"):
            used.add(_same_report(db, "timeseries", period, interval=interval,
                                  compare="previous")["source"])  # fmt: skip
    assert any(s.startswith("rollup") for s in used) and any(s.startswith("raw") for s in used)


@pytest.mark.parametrize("zone", ZONES)
def test_every_dimension_with_each_reports_metrics(zoned, reader, zone) -> None:
    db = reader(zoned[zone])
    rollups = 0
    for period in (PERIODS[0][1],):  # outside UTC, its edges cut UTC days
        for metrics in METRIC_SETS:
            for dim in (None, *DIMENSIONS):
                dims = (dim.name,) if dim else ()
                for bots in (False, True):
                    q = Query(SITE, metrics, period, dims, include_bots=bots, limit=1000,
                              compare="previous")  # fmt: skip
                    _, raw = _run(db, q, "raw")
                    source, auto = _run(db, q, "auto")
                    assert auto == raw, f"{metrics} by {dims}, bots {bots}: {source}"
                    rollups += source.startswith("rollup")
    assert rollups > 100


@pytest.mark.parametrize("zone", ZONES)
def test_the_dashboard_comes_from_rollups(zoned, reader, zone) -> None:
    db = reader(zoned[zone])
    period = PERIODS[0][1]
    for name in DASHBOARD_REPORTS:
        explain = _same_report(db, name, period, compare="previous")
        campaigns_outside_utc = name == "campaigns" and zone != "UTC"  # rule 7 of rollup.py
        if not campaigns_outside_utc:
            assert explain["source"].startswith("rollup"), (name, explain["source"])
            assert " FROM hits" not in explain["sql"] and " FROM sessions" not in explain["sql"]


def test_the_overview_is_two_statements(zoned, reader) -> None:
    db = reader(zoned["Europe/Paris"])
    explain = _same_report(db, "overview", PERIODS[0][1], compare="previous")
    assert len(explain["statements"]) == 2
    assert [s["source"] for s in explain["statements"]] == [
        "rollup: totals + visits",
        "rollup: statuses",
    ]


def test_hours_and_unknown_zones_go_to_raw_rows(zoned, reader) -> None:
    db = reader(zoned["Europe/Paris"])
    hour = _same_report(db, "timeseries", PERIODS[1][1], interval="hour")
    assert hour["source"] == "raw: hour buckets"
    week = _same_report(db, "timeseries", PERIODS[0][1], interval="week")
    assert week["source"].startswith("raw: week buckets of distinct visitors")


# ------------------------------------------------- re-flushed days, kill -9 and resume


def _compare_dashboard(db: Database) -> None:
    for _, period in PERIODS:
        for name in DASHBOARD_REPORTS:
            for filters in FILTERS[:2]:
                _same_report(db, name, period, filters, compare="previous")


def test_after_a_reflush_of_stored_days(logs, imported, tmp_path, reader) -> None:
    path = _copy(imported, tmp_path / "again.duckdb")
    _set_zone(path, "Europe/Paris")
    with Database(Settings(db_path=path), read_only=True) as db:
        before = _report(db, "overview", ALL)["requests"]
    _import(path, logs[1])  # rows added to days already stored: their cubes follow
    db = reader(path)
    assert _report(db, "overview", ALL)["requests"] > before
    _compare_dashboard(db)


def test_after_kill_9_mid_import_and_resume(logs, tmp_path, reader) -> None:
    big = tmp_path / "big.log"
    big.write_text(logs[0].read_text() + logs[1].read_text())
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTFALL_")}
    env.update(FOOTFALL_BATCH_LINES="500", FOOTFALL_FLUSH_ROWS="1000")  # many flushes
    footfall = str(Path(sys.executable).with_name("footfall"))

    def run(db: Path) -> subprocess.Popen[bytes]:
        return subprocess.Popen([footfall, "import", str(big), "--db", str(db), "--site", SITE,
                                 "-q"], env=env)  # fmt: skip

    clean = tmp_path / "clean.duckdb"
    started = time.perf_counter()
    assert run(clean).wait() == 0
    duration = time.perf_counter() - started
    path = tmp_path / "killed.duckdb"
    proc = run(path)
    time.sleep(duration * 0.6)
    assert proc.poll() is None, "the import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert run(path).wait() == 0  # resumes from the last flush
    db = reader(path)
    _compare_dashboard(db)
    assert _report(db, "overview", ALL) == _report(reader(clean), "overview", ALL)


def test_raw_is_forced_by_source(zoned, reader) -> None:
    db = reader(zoned["UTC"])
    q = Query(SITE, ("visitors",), PERIODS[0][1])
    assert run_query(db, q, source="raw").explain[0]["source"].startswith("raw")
    assert run_query(db, q).explain[0]["source"] == "rollup: totals"
    with pytest.raises(QueryError):
        run_query(db, q, source="cubes")
    assert replace(q, include_bots=True)  # a Query is a frozen record
