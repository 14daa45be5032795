"""Every dimension x a few metrics through the API, the CLI and the HTML report's data:
the same numbers, because every face runs the same catalogue and the same Query."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from footfall.present.html_report import PANELS as HTML_PANELS
from footfall.present.html_report import collect_report_data
from footfall.settings import Settings
from footfall.store.database import Database
from footfall.vocabulary.dimensions import DIMENSIONS
from footfall.vocabulary.periods import DateRange
from tests.conftest import FOOTFALL
from tests.web.conftest import local_client, running

METRICS = ["visitors", "visits", "pageviews", "requests"]
PERIOD = ("2026-03-02", "2026-03-04")


#: The HTML report's panels and its headline and chart, as the report routes name them.
PANELS = (*(panel.report for panel in HTML_PANELS), "overview", "timeseries")


@pytest.fixture(scope="module")
def api(shop: Path) -> dict[str, object]:
    """Everything the API answers, asked while the server runs (it owns the database file;
    the CLI and the HTML report read it once the server has stopped)."""
    out: dict[str, object] = {}
    with running(Settings(db_path=shop)) as url, local_client(url) as client:
        for d in DIMENSIONS:
            body = {"site": "shop", "dimensions": [d.name], "date_range": list(PERIOD),
                    "limit": 1000}  # fmt: skip
            # session metrics do not break down by event: dimensions (a 400 in every face)
            fits = [m for m in METRICS
                    if client.post("/api/v1/query", json={**body, "metrics": [m]}).is_success]  # fmt: skip
            answer = client.post("/api/v1/query", json={**body, "metrics": fits})
            assert answer.status_code == 200, answer.text
            out[d.name] = (fits, answer.json())
        body = {"site": "shop", "metrics": METRICS, "date_range": list(PERIOD)}
        out["totals"] = client.post("/api/v1/query", json=body).json()
        for name in PANELS:
            params = {"site": "shop", "from": PERIOD[0], "to": PERIOD[1], "limit": 10}
            answer = client.get(f"/api/v1/report/{name}", params=params)
            assert answer.status_code == 200, answer.text
            out[name] = answer.json()
    return out


def _cli(db: Path, *args: str) -> dict:
    proc = subprocess.run([FOOTFALL, *args, "--db", str(db), "--site", "shop", "--from", PERIOD[0],
                           "--to", PERIOD[1], "--format", "json"], capture_output=True)  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout)


def _rows(rows: list[dict]) -> list[str]:
    return sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)


@pytest.mark.parametrize("dimension", [d.name for d in DIMENSIONS])
def test_every_dimension_gives_the_same_numbers_in_the_api_and_the_cli(
    shop: Path, api: dict, dimension: str
) -> None:
    fits, answer = api[dimension]
    assert fits
    args = [a for m in fits for a in ("--metric", m)]
    cli = _cli(shop, "query", *args, "--dimension", dimension, "--limit", "1000")
    assert _rows(cli["rows"]) == _rows(answer["rows"])
    assert cli["total_rows"] == answer["total_rows"]


def test_totals_are_the_hand_computed_ones_everywhere(shop: Path, api: dict) -> None:
    cli = _cli(shop, "query", *(a for m in METRICS for a in ("--metric", m)))["rows"][0]
    assert api["totals"]["rows"][0] == cli == {"visitors": 5, "visits": 6, "pageviews": 9,
                                               "requests": 17}  # fmt: skip


def test_html_report_panels_equal_the_report_routes_and_the_cli(shop: Path, api: dict) -> None:
    with Database(Settings(db_path=shop), read_only=True) as db:
        data = collect_report_data(db, "shop", _period(), None, False, 10)
    assert data.panels
    for panel, result in data.panels:
        cli = _cli(shop, "report", panel.report, "--limit", "10")
        assert _rows(result["rows"]) == _rows(api[panel.report]["rows"]) == _rows(cli["rows"])
    series = _cli(shop, "report", "timeseries", "--interval", data.interval)
    assert _rows(data.series["rows"]) == _rows(api["timeseries"]["rows"]) == _rows(series["rows"])
    for metric in METRICS:
        assert data.overview[metric] == api["overview"][metric]


def _period() -> DateRange:
    from datetime import date

    return DateRange(date.fromisoformat(PERIOD[0]), date.fromisoformat(PERIOD[1]))
