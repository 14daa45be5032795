"""``--explain`` and ``explain``: every face says which source answered, rollup or raw rows,
and why raw when raw; the numbers are those of the same report without it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from footfall.settings import Settings
from tests.conftest import FOOTFALL
from tests.web.conftest import local_client, running

PERIOD = ("2026-03-02", "2026-03-04")


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([FOOTFALL, *args, "--db", str(db), "--site", "shop", "--from",
                           PERIOD[0], "--to", PERIOD[1]], capture_output=True, text=True)  # fmt: skip


def test_cli_json_says_the_source_and_keeps_the_numbers(shop: Path) -> None:
    plain = json.loads(_cli(shop, "report", "pages", "--format", "json").stdout)
    told = json.loads(_cli(shop, "report", "pages", "--format", "json", "--explain").stdout)
    assert told["explain"]["source"].startswith("rollup")
    assert "rollup_" in json.dumps(told["explain"])
    assert told["rows"] == plain["rows"] and "explain" not in plain


def test_cli_table_prints_why_raw(shop: Path) -> None:
    """Hour buckets are not in the daily rollups: raw rows, and the reason is printed."""
    done = _cli(shop, "report", "timeseries", "--interval", "hour", "--explain")
    assert done.returncode == 0, done.stderr
    assert "source: raw" in done.stdout
    assert "hour" in done.stdout.split("source: raw", 1)[1].splitlines()[0]


def test_api_report_and_query_explain(shop: Path) -> None:
    with running(Settings(db_path=shop)) as url, local_client(url) as client:
        params = {"site": "shop", "from": PERIOD[0], "to": PERIOD[1]}
        report = client.get("/api/v1/report/overview", params={**params, "explain": "1"}).json()
        assert report["explain"]["source"].startswith("rollup")
        plain = client.get("/api/v1/report/overview", params=params).json()
        assert "explain" not in plain and plain["visitors"] == report["visitors"]
        body = {"site": "shop", "metrics": ["visitors"], "dimensions": ["time:hour"],
                "date_range": list(PERIOD), "explain": True}  # fmt: skip
        query = client.post("/api/v1/query", json=body).json()
        assert query["explain"]["source"].startswith("raw")
        refused = client.post("/api/v1/query", json={**body, "explain": "maybe"})
        assert refused.status_code == 400
