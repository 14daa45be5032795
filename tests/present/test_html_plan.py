"""The HTML report's words for an empty previous period, and its plan section (issue 14).

The log of test_html_report.py, imported twice: as is (no plan), and with a plan
applied (a page goal, two KPIs, a funnel).  Every plan number on the page is the
catalogue's plan report's, formatted with ``human_number``.
"""

from __future__ import annotations

import re
from datetime import date
from html import escape
from pathlib import Path

import pytest

from footfall.present import build_html_report
from footfall.reports.catalog import report_named, run_catalog_report
from footfall.reports.request import make_request
from footfall.vocabulary.formatting import human_number
from footfall.vocabulary.periods import DateRange
from tests.present.test_html_report import LINES, PERIOD, headline, open_db, run_cli

PLAN = """site = "shop"
currency = "EUR"

[[goals]]
name = "Saw pricing"
page = "/pricing"
value = "1250"

[[funnels]]
name = "To pricing"
steps = ["/", "Saw pricing"]
window = "1h"

[[kpis]]
name = "Visits in March"
metric = "visits"
target = 1200
start = 2026-03-01
deadline = 2026-03-31

[[kpis]]
name = "Bounce rate at most 50 %"
metric = "bounce_rate"
target = 50
direction = "at_most"
start = 2026-03-01
deadline = 2026-03-31
"""


def _import(root: Path, plan: bool) -> Path:
    log, db = root / "shop.log", root / "footfall.duckdb"
    log.write_text("".join(line + "\n" for line in LINES), encoding="utf-8")
    run_cli(root, "import", str(log), "--db", str(db), "--site", "shop",
            "--host", "www.shop.test", "--quiet")  # fmt: skip
    if plan:
        (root / "plan.toml").write_text(PLAN, encoding="utf-8")
        run_cli(root, "plan", "apply", str(root / "plan.toml"), "--db", str(db))
    return db


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _import(tmp_path_factory.mktemp("plain"), plan=False)


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _import(tmp_path_factory.mktemp("planned"), plan=True)


def build(db: Path, period: DateRange = PERIOD) -> str:
    with open_db(db) as database:
        return build_html_report(database, "shop", period)


def plan_section(doc: str) -> str:
    found = re.search(r'<section[^>]*data-section="plan".*?</section>', doc, re.S)
    assert found, "no plan section"
    return found.group(0)


def test_no_data_before_says_so(plain: Path) -> None:
    # the data starts on 27 Feb: the previous ten days hold nothing at all
    doc = build(plain, DateRange(date(2026, 2, 27), date(2026, 3, 8)))
    tiles = headline(doc)
    section = doc[doc.index('<section class="kpis"') : doc.index("</section>")]
    assert section.count("no data before") == len(tiles)
    assert "was 0" not in section and ">new<" not in section
    assert all(t["change"] == "none" for t in tiles.values())


def test_a_previous_period_with_data_still_compares(plain: Path) -> None:
    section = build(plain)[: build(plain).index("</section>")]
    assert "no data before" not in section and "was " in section


def test_no_plan_no_plan_section(plain: Path) -> None:
    assert 'data-section="plan"' not in build(plain)


def _plan_report(db: Path, name: str) -> dict:
    with open_db(db) as database:
        return run_catalog_report(database, make_request(report_named(name), "shop", PERIOD))


def test_plan_section_shows_goals_kpis_and_funnels(planned: Path) -> None:
    section = plan_section(build(planned))
    goals = _plan_report(planned, "goals")["rows"]
    kpis = _plan_report(planned, "kpis")["kpis"]
    funnel = _plan_report(planned, "funnels")["funnels"][0]
    for row in goals:
        assert f">{escape(row['goal'])}<" in section
        assert f">{human_number(row['completions'], 'count')}<" in section
        assert f">{human_number(row['conversion_rate'], 'percent')}<" in section
        assert f">{human_number(float(row['goal_value']), 'money')} EUR<" in section
    assert ">2,500.00 EUR<" in section  # /pricing seen twice (10.0.0.1, 10.0.0.2), 1,250 each
    for kpi in kpis:
        assert f">{escape(kpi['kpi'])}<" in section
        assert f'data-status="{kpi["status"]}"' in section
        assert f">{human_number(kpi['target'], kpi['unit'])}<" in section
        assert f">{human_number(kpi['actual'], kpi['unit'])}<" in section
    assert ">1,200<" in section and ">50.0%<" in section
    assert "at most" in section
    assert f">{escape(funnel['funnel'])}" in section
    for step in funnel["segments"]["all"]:
        assert f">{escape(step['step'])}<" in section
        assert f">{human_number(step['visitors'], 'count')}<" in section
