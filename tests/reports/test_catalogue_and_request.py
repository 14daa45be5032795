"""The one report catalogue and the one ReportRequest: every record runs, every former
report still exists, and CLI flags and URL parameters give the same request."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from starlette.datastructures import QueryParams

from footfall.errors import QueryError
from footfall.plan.parse import parse_plan
from footfall.reports.catalog import (
    CATALOGUE,
    DASHBOARD,
    RunContext,
    report_named,
    report_tables,
    run_catalog_report,
)
from footfall.reports.request import make_request, request_from_flags, request_from_url
from footfall.settings import Settings
from footfall.store.business import save_plan
from footfall.store.database import Database
from footfall.vocabulary.periods import DateRange
from tests.conftest import FOOTFALL
from tests.reports.conftest import import_shop

DAYS = DateRange(date(2026, 3, 2), date(2026, 3, 4))
FORMER = ("overview", "pages", "entry-pages", "exit-pages", "sources", "channels", "referrers",
          "campaigns", "browsers", "os", "devices", "countries", "status", "not-found", "bots",
          "reconciliation", "timeseries", "goals", "funnels", "kpis", "campaign-economics",
          "attribution")  # fmt: skip
PLAN = """
site = "shop"
[[goals]]
name = "signup"
page = "/signup"
[[funnels]]
name = "buy"
steps = ["/", "/pricing", "/signup"]
"""


def test_every_former_report_is_in_the_catalogue_once() -> None:
    names = [r.name for r in CATALOGUE]
    assert set(FORMER) <= set(names) and len(names) == len(set(names))
    for r in CATALOGUE:
        assert r.family in ("traffic", "plan") and r.doc and r.tables[0].columns
    tabs = [t["report"] for p in DASHBOARD["panels"] for t in p["tabs"]]
    assert all(report_named(t).family == "traffic" for t in tabs)


def test_cli_flags_and_url_parameters_give_the_same_request() -> None:
    record = report_named("attribution")
    period = lambda p, a, b: DAYS  # noqa: E731
    url = request_from_url(record, "shop", QueryParams(
        "period=7d&by=channel&goal=signup&filter=visit:channel%3DEmail&limit=5&interval=week"),
        period)  # fmt: skip
    cli = request_from_flags(record, "shop", DAYS, ["visit:channel=Email"], limit=5,
                             interval="week", options=["goal=signup"],
                             aliases={"by": "channel", "funnel": None})  # fmt: skip
    assert url == cli
    assert cli.option("by") == "channel" and cli.option("goal") == "signup"
    assert make_request(record, "shop", DAYS).options == {"by": "campaign", "goal": None}


def test_an_option_of_another_report_is_refused_by_name() -> None:
    with pytest.raises(QueryError, match="report 'pages' has no option 'funnel'; it takes no"):
        make_request(report_named("pages"), "shop", DAYS, options={"funnel": "buy"})
    with pytest.raises(QueryError, match="'kpis' has no option 'model'"):
        request_from_url(report_named("kpis"), "shop", QueryParams("model=linear"),
                         lambda p, a, b: DAYS)  # fmt: skip
    with pytest.raises(QueryError, match="its options: funnel, by"):
        make_request(report_named("funnels"), "shop", DAYS, options={"goal": "x"})
    with pytest.raises(QueryError, match="model must be one of"):
        make_request(report_named("campaign-economics"), "shop", DAYS, options={"model": "x"})
    with pytest.raises(QueryError, match="unknown report 'nope'"):
        report_named("nope")


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = import_shop(tmp_path_factory.mktemp("catalogue"))
    with Database(Settings(db_path=db)) as database:  # goal metrics read the applied plan
        save_plan(database, "shop", "plan.toml", PLAN)
    return db


@pytest.mark.parametrize("name", [r.name for r in CATALOGUE])
def test_every_record_runs_and_splits_into_its_tables(shop: Path, name: str) -> None:
    record = report_named(name)
    plan = parse_plan(PLAN, "plan.toml")
    with Database(Settings(db_path=shop), read_only=True) as db:
        out = run_catalog_report(db, make_request(record, "shop", DAYS),
                                 RunContext(plan=plan, today=date(2026, 3, 4)))  # fmt: skip
    assert out["report"] == name
    assert isinstance(report_tables(out), list)


def test_cli_refuses_another_familys_option_and_lists_reports(shop: Path) -> None:
    run = lambda *a: subprocess.run([FOOTFALL, *a], capture_output=True, text=True)  # noqa: E731
    refused = run("report", "pages", "--db", str(shop), "--funnel", "buy")
    assert refused.returncode == 2 and "report 'pages' has no option 'funnel'" in refused.stderr
    listed = run("reports")
    assert listed.returncode == 0 and "campaign-economics" in listed.stdout
