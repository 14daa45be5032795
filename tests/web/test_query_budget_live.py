"""Issue 11 on a live server: a query over the budget is refused fast and costs nothing,
one over its time limit is interrupted, and collection keeps answering while an allowed
heavy query runs (the server collects and reports in one process)."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest

from footfall.settings import Settings
from tests.reports.test_query_budget import add_pageviews
from tests.web.conftest import running

MILLENNIA = {"site": "shop", "metrics": ["visits"], "dimensions": ["time:day"],
             "date_range": ["0002-01-01", "9999-12-31"]}  # fmt: skip
HEAVY = {"site": "shop", "metrics": ["visitors", "pageviews", "requests"],
         "dimensions": ["event:page", "event:status"],
         "date_range": ["2026-03-01", "2026-03-05"]}  # fmt: skip
EVENT = {"name": "pageview", "url": "https://www.shop.test/pricing", "domain": "www.shop.test"}
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"


@contextlib.contextmanager
def local_client(url: str, timeout: float) -> Iterator[httpx.Client]:
    """A client of the server in open mode, sending the dashboard page's CSRF token."""
    with httpx.Client(base_url=url, timeout=timeout) as client:
        page = client.get("/").text
        client.headers["x-csrf-token"] = page.split('name="csrf-token" content="', 1)[1].split('"')[
            0
        ]
        yield client


def test_queries_over_the_budget_are_refused_fast_and_cheaply(shop_db: Path) -> None:
    with running(Settings(db_path=shop_db)) as url, local_client(url, timeout=30) as client:
        rss = psutil.Process().memory_info().rss
        started = time.monotonic()
        answer = client.post("/api/v1/query", json=MILLENNIA)
        assert time.monotonic() - started < 2
        assert psutil.Process().memory_info().rss - rss < 100 * 2**20
        assert answer.status_code == 413, answer.text
        assert "query_max_days" in answer.json()["error"]
        hours = {
            **MILLENNIA,
            "dimensions": ["time:hour"],
            "date_range": ["2025-01-01", "2026-02-28"],
        }
        answer = client.post("/api/v1/query", json=hours)
        assert answer.status_code == 413 and "query_max_buckets" in answer.json()["error"]
        for dates, field in ((["0000-01-01", "2026-03-04"], "from"),
                             (["2026-03-01", "10000-01-01"], "to")):  # fmt: skip
            answer = client.post("/api/v1/query", json={**MILLENNIA, "date_range": dates})
            assert answer.status_code == 400 and answer.json()["error"].startswith(f"{field}: ")
        for extreme in (["0001-01-01", "0001-01-07"], ["9999-12-25", "9999-12-31"]):
            answer = client.post("/api/v1/query", json={**MILLENNIA, "date_range": extreme,
                                                        "compare": "previous"})  # fmt: skip
            assert answer.status_code in (200, 400), answer.text  # never a 500
        for key in ("offset", "limit"):
            answer = client.post("/api/v1/query", json={**HEAVY, key: 2**63})
            assert answer.status_code == 400 and f"{key} must be between" in answer.text
        answer = client.get("/api/v1/report/pages", params={"site": "shop", "from": "0002-01-01",
                                                            "to": "9999-12-31"})  # fmt: skip
        assert answer.status_code == 413, answer.text


@pytest.mark.slow
def test_a_query_over_its_time_limit_is_interrupted(shop_db: Path) -> None:
    add_pageviews(shop_db, 300_000)
    settings = Settings(db_path=shop_db, threads=1, query_seconds=0.05)
    with running(settings) as url, local_client(url, timeout=30) as client:
        started = time.monotonic()
        answer = client.post("/api/v1/query", json=HEAVY)
        assert answer.status_code == 413, answer.text
        assert "longer than 0.05 s" in answer.json()["error"]
        assert time.monotonic() - started < 2
        small = client.post("/api/v1/query", json={**HEAVY, "dimensions": []})
        assert small.status_code in (200, 413)  # the server still answers


@pytest.mark.slow
def test_collection_answers_while_a_heavy_query_runs(shop_db: Path) -> None:
    add_pageviews(shop_db, 400_000)
    settings = Settings(db_path=shop_db, threads=1, query_seconds=60, collect_rate=0)
    with running(settings) as url, local_client(url, timeout=60) as client:
        running_queries: list[tuple[float, float]] = []
        stop = threading.Event()

        def heavy_queries() -> None:
            with local_client(url, timeout=60) as reader:
                while not stop.is_set():
                    started = time.monotonic()
                    answer = reader.post("/api/v1/query", json=HEAVY)
                    assert answer.status_code == 200, answer.text
                    running_queries.append((started, time.monotonic()))

        worker = threading.Thread(target=heavy_queries, daemon=True)
        worker.start()
        time.sleep(0.3)  # the first query is under way
        waits = []
        try:
            for _ in range(8):
                sent = time.monotonic()
                answer = client.post("/api/event", json=EVENT, headers={"user-agent": UA})
                waits.append((sent, time.monotonic() - sent))
                assert answer.status_code == 202, answer.text
                time.sleep(0.25)
        finally:
            stop.set()
            worker.join(timeout=120)
        assert running_queries, "no heavy query finished"
        during = [wait for sent, wait in waits
                  if any(start < sent < end for start, end in running_queries)]  # fmt: skip
        assert len(during) >= 4, (waits, running_queries)  # events were sent mid-query
        # a blocked event loop would make an event wait for the rest of a query
        longest = max(end - start for start, end in running_queries)
        assert max(wait for _, wait in waits) < min(1, longest / 2), (waits, longest)
