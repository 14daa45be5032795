"""What one query may cost (issue 11): range, time buckets, rows, offsets, wall time, bytes.

On the hand-computed log of tests/test_metrics_truth.py (visits: 3 on 2026-03-02,
2 on 03-03, 1 on 03-04), imported by the real CLI into a real DuckDB file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from footfall.errors import QueryError, QueryTooLarge
from footfall.plan.model import Plan
from footfall.reports.budget import QueryBudget, bucket_count, check_answer_size
from footfall.reports.catalog import run_report
from footfall.reports.plan_catalog import PlanOptions, run_plan_report
from footfall.reports.run import resolve_period, run_query
from footfall.settings import Settings
from footfall.store.database import Database
from footfall.store.rollups import refresh_rollups
from footfall.vocabulary.periods import DateRange, utc_bounds
from footfall.vocabulary.query import Query, query_from_dict
from tests.conftest import FOOTFALL
from tests.test_metrics_truth import LINES

#: A statement that runs for minutes without any data: 10^10 rows joined.
HEAVY_SQL = "SELECT sum(a.range * b.range) FROM range(100000) a, range(100000) b"


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Imported once by the real CLI (the ``cli`` fixture's way); tests only read it."""
    folder = tmp_path_factory.mktemp("shop")
    (folder / "shop.log").write_text("".join(line + "\n" for line in LINES), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTFALL_")}
    subprocess.run([FOOTFALL, "import", "shop.log", "--db", "shop.duckdb", "--site", "shop",
                    "--host", "www.shop.test", "-q"], cwd=folder, env=env, check=True)  # fmt: skip
    return folder / "shop.duckdb"


@pytest.fixture(scope="module")
def db(shop: Path) -> Iterator[Database]:
    with Database(Settings(db_path=shop)) as database:
        yield database


def add_pageviews(db_path: Path, rows: int) -> None:
    """``rows`` synthetic pageviews of distinct visitors over 100,000 long paths on
    2026-03-02: enough for a `visitors by page` report over raw rows to take a while, on
    purpose (its daily rollups are refreshed too)."""
    with Database(Settings(db_path=db_path)) as database, database.transaction():
        database.execute(
            "INSERT INTO hits (site, day, ts, visitor_id, status, bytes, kind, is_pageview, "
            "path) SELECT 'shop', DATE '2026-03-02', TIMESTAMP '2026-03-02 00:00:00' + "
            "to_seconds(range % 80000), range + 1000, 200, 1000, 'page', true, "
            "repeat('/section', 50) || '/' || (range % 100000)::VARCHAR FROM range(?)",
            [rows],
        )
        refresh_rollups(database, "shop", [date(2026, 3, 2)])


def period(start: str, end: str) -> DateRange:
    return DateRange(date.fromisoformat(start), date.fromisoformat(end))


def visits(start: str, end: str, **kwargs: object) -> Query:
    return Query(site="shop", metrics=("visits",), period=period(start, end), **kwargs)  # type: ignore[arg-type]


def test_days_over_millennia_are_refused_before_any_sql(db: Database) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTooLarge, match=r"3,651,694 days.*at most 3,660 .*query_max_days"):
        run_query(db, visits("0002-01-01", "9999-12-31", dimensions=("time:day",)))
    assert time.monotonic() - started < 1


def test_hours_beyond_the_bucket_limit_are_refused(db: Database) -> None:
    with pytest.raises(QueryTooLarge, match=r"time:hour .* 10,176 time buckets.*query_max_b"):
        run_query(db, visits("2025-01-01", "2026-02-28", dimensions=("time:hour",)))  # 14 months
    # 416 days are 9,984 hours: allowed; 417 days are 10,008: refused
    ok = run_query(db, visits("2025-03-01", "2026-04-20", dimensions=("time:hour",), limit=10_000))
    assert ok.total_rows == len(ok.rows) == 9_984
    assert sum(r["visits"] for r in ok.rows) == 6
    with pytest.raises(QueryTooLarge, match="10,008 time buckets"):
        run_query(db, visits("2025-03-01", "2026-04-21", dimensions=("time:hour",)))


def test_the_comparison_period_is_held_to_the_same_limits(db: Database) -> None:
    budget = QueryBudget(max_buckets=396)
    q = visits("2025-01-01", "2026-01-31", dimensions=("time:day",), compare="year")
    assert bucket_count(q.period, "day") == 396
    with pytest.raises(QueryTooLarge, match=r"the comparison period 2024-01-01\.\.2025-01-31"):
        run_query(db, q, budget)  # 2024 is a leap year: 397 days


@pytest.mark.parametrize(
    ("unit", "start", "end", "count"),
    [
        ("hour", "2026-03-02", "2026-03-04", 72),
        ("day", "2026-02-27", "2026-03-04", 6),
        ("week", "2026-03-01", "2026-03-31", 6),  # a Sunday to a Tuesday: Mondays 02-23..03-30
        ("month", "2025-11-15", "2026-03-04", 5),
    ],
)
def test_buckets_counted_are_the_buckets_filled(
    db: Database, unit: str, start: str, end: str, count: int
) -> None:
    q = visits(start, end, dimensions=(f"time:{unit}",), limit=10_000)
    result = run_query(db, q)
    assert bucket_count(q.period, unit) == count == result.total_rows == len(result.rows)
    assert sum(r["visits"] for r in result.rows) == 6


@pytest.mark.parametrize(("year", "days"), [(2026, 365), (2024, 366)])
def test_a_year_of_days_has_every_day_once(db: Database, year: int, days: int) -> None:
    result = run_query(
        db, visits(f"{year}-01-01", f"{year}-12-31", dimensions=("time:day",), limit=1000)
    )
    assert len(result.rows) == result.total_rows == days
    assert len({r["time:day"] for r in result.rows}) == days
    expected = {"2026-03-02": 3, "2026-03-03": 2, "2026-03-04": 1} if year == 2026 else {}
    assert {r["time:day"]: r["visits"] for r in result.rows if r["visits"]} == expected


def test_gap_filling_keeps_to_the_page(db: Database) -> None:
    """Before issue 11 the SQL page was cut first and the gaps filled after: a year
    of days came back whole whatever the limit, and an offset turned data into zeros."""
    year = visits("2026-01-01", "2026-12-31", dimensions=("time:day",))
    first = run_query(db, year)  # limit 100
    assert len(first.rows) == 100 and first.total_rows == 365
    page = run_query(db, visits("2026-01-01", "2026-12-31", dimensions=("time:day",),
                                limit=3, offset=60))  # fmt: skip
    assert [(r["time:day"], r["visits"]) for r in page.rows] == [
        ("2026-03-02", 3), ("2026-03-03", 2), ("2026-03-04", 1)]  # fmt: skip
    assert page.total_rows == 365


def test_a_compared_page_matches_buckets_by_position(db: Database) -> None:
    q = visits("2026-03-03", "2026-03-04", dimensions=("time:day",), compare="previous",
               limit=1, offset=1)  # fmt: skip
    rows = run_query(db, q).rows
    assert rows == [{"time:day": "2026-03-04", "visits": 1, "visits_previous": 3,
                     "visits_change": -66.7}]  # fmt: skip


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("0000-01-01", "2026-03-04", "from"),
        ("2026-03-01", "10000-01-01", "to"),
        ("2024-13-01", "2026-03-04", "from"),
        ("2026-03-01", "2026-02-30", "to"),
    ],
)
def test_impossible_dates_are_refused_naming_the_field(
    db: Database, start: str, end: str, field: str
) -> None:
    with pytest.raises(QueryError, match=rf"^{field}: '.*' is not a date \(YYYY-MM-DD"):
        resolve_period(db, "shop", "UTC", None, start, end)


def test_the_first_and_last_days_can_be_asked_for(db: Database) -> None:
    for start, end in (("0001-01-01", "0001-01-02"), ("9999-12-30", "9999-12-31")):
        result = run_query(db, visits(start, end, dimensions=("time:week",)))
        assert [r["visits"] for r in result.rows] == [0]
    # local midnights outside years 1..9999 stand for the ends of time, not an overflow
    lo, _ = utc_bounds(period("0001-01-01", "0001-01-01"), "Asia/Tokyo")
    _, hi = utc_bounds(period("9999-12-31", "9999-12-31"), "America/New_York")
    assert lo.year == 1 and hi.year == 9999
    for compare in ("previous", "year"):
        with pytest.raises(QueryError, match=r"^compare: .* before year 1"):
            run_query(db, visits("0001-01-01", "0001-01-02", compare=compare))


@pytest.mark.parametrize(("key", "value"), [("offset", 2**63), ("offset", 10**10),
                                            ("limit", 2**63), ("offset", -1)])  # fmt: skip
def test_offsets_and_limits_past_their_bounds_are_refused(
    db: Database, key: str, value: int
) -> None:
    body = {"site": "shop", "metrics": ["visits"], "dimensions": ["event:page"], key: value}
    with pytest.raises(QueryError, match=f"^{key} must be between"):
        query_from_dict(body, period("2026-03-01", "2026-03-05"))
    with pytest.raises(QueryError, match=f"^{key} must be between"):
        run_query(db, visits("2026-03-01", "2026-03-05", **{key: value}))


def test_named_and_plan_reports_keep_to_the_range(db: Database) -> None:
    millennia = visits("0002-01-01", "9999-12-31")
    with pytest.raises(QueryTooLarge, match="query_max_days"):
        run_report(db, "pages", millennia)
    with pytest.raises(QueryTooLarge, match="query_max_days"):
        run_plan_report(db, Plan(path="plan.toml", site="shop"), "goals", millennia.period,
                        "UTC", PlanOptions())  # fmt: skip
    budget = QueryBudget(max_days=2)
    with pytest.raises(QueryTooLarge, match="spans 3 days; a query may span at most 2"):
        run_report(db, "timeseries", visits("2026-03-02", "2026-03-04"), budget=budget)
    assert (
        run_report(db, "overview", visits("2026-03-02", "2026-03-03"), budget=budget)["visits"] == 5
    )


def test_a_deadline_interrupts_a_heavy_statement(db: Database) -> None:
    started = time.monotonic()
    too_long = r"longer than 0.2 s \(setting query_seconds\)"
    with pytest.raises(QueryTooLarge, match=too_long), db.deadline(0.2):
        db.fetchall(HEAVY_SQL)
    assert time.monotonic() - started < 1.5
    assert db.fetchall("SELECT 42") == [(42,)]  # the connection still works
    assert run_query(db, visits("2026-03-02", "2026-03-04")).rows[0]["visits"] == 6


def test_a_deadline_stops_statements_started_after_it_passed(db: Database) -> None:
    """DuckDB forgets an interrupt that lands between statements: the deadline repeats it."""
    started = time.monotonic()
    with pytest.raises(QueryTooLarge), db.deadline(0.05):
        db.fetchall("SELECT 1")
        time.sleep(0.3)
        db.fetchall(HEAVY_SQL)
    assert time.monotonic() - started < 1.5


def test_a_deadline_not_reached_leaves_no_trace(db: Database) -> None:
    threads = threading.active_count()
    started = time.monotonic()
    with db.deadline(30), db.deadline(0.01):  # nested: the outer deadline is the request's
        time.sleep(0.1)
        assert db.fetchall("SELECT 1") == [(1,)]
    assert time.monotonic() - started < 5
    assert threading.active_count() == threads
    with db.deadline(None):
        assert db.fetchall("SELECT 2") == [(2,)]


@pytest.mark.slow
def test_reports_over_their_time_limit_are_interrupted(shop: Path, tmp_path: Path) -> None:
    heavy = Path(shutil.copy(shop, tmp_path / "heavy.duckdb"))
    add_pageviews(heavy, 300_000)
    with Database(Settings(db_path=heavy, threads=1)) as database:
        base = visits("2026-03-01", "2026-03-05")
        untimed = time.monotonic()
        assert run_report(database, "pages", base, source="raw")["total_rows"] > 100_000
        untimed = time.monotonic() - untimed
        budget = QueryBudget(seconds=untimed / 10)
        for run in (lambda: run_report(database, "pages", base, budget=budget, source="raw"),
                    lambda: run_query(database, replace_dims(base), budget, "raw")):  # fmt: skip
            started = time.monotonic()
            with pytest.raises(QueryTooLarge, match="longer than"):
                run()
            assert time.monotonic() - started < untimed / 2 + 0.5


def replace_dims(q: Query) -> Query:
    return Query(site=q.site, metrics=("visitors",), period=q.period, dimensions=("event:page",))


def test_answers_over_the_byte_limit_are_refused() -> None:
    budget = QueryBudget.from_settings(Settings(query_max_bytes=1024, query_seconds=3))
    assert (budget.max_bytes, budget.seconds, budget.max_days) == (1024, 3, 3660)
    assert QueryBudget.from_settings(Settings(), timed=False).seconds is None
    check_answer_size(b"x" * 1024, budget)
    with pytest.raises(
        QueryTooLarge, match=r"1.2 KiB; at most 1.0 KiB \(setting query_max_bytes\)"
    ):
        check_answer_size("é" * 600, budget)  # 1,200 bytes
