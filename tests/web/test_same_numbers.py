"""One number format and one filter grammar, the same in every face (issue 13).

The dashboard formats numbers and parses filter texts in JavaScript with the rules
``/api/v1/meta`` serves (``vocabulary/formatting.py`` ``formats_meta`` and
``vocabulary/query.py`` ``filter_grammar_meta``); these tests run that JavaScript in
Debian's Chromium against a live server and compare it with Python: a table of values
× units, the headline of the dashboard, the CLI and the HTML report for the same
period, and hard filter texts through URL, chips, API and CSV export.
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from footfall.settings import Settings
from footfall.vocabulary.formatting import formats_meta, human_number
from footfall.vocabulary.metrics import METRICS_BY_NAME
from footfall.vocabulary.query import filter_grammar_meta, filter_text, parse_filter_text
from tests.browser import chromium
from tests.conftest import CHROME, combined
from tests.web.conftest import Live, page_csrf, running

HEADLINE = ("visitors", "visits", "pageviews", "bounce_rate", "visit_duration", "requests", "bots")
WHOLE = {"from": "2026-03-02", "to": "2026-03-04"}
UNITS = ("count", "percent", "seconds", "bytes", "ms", "ratio", "money", "unknown")
VALUES: tuple[Any, ...] = (
    0, 1, 999, 1000, 12345, 999_999, 1_000_000, 1.5e6, 999_960_000, 2.5e12, 3700, 3600, 59.6,
    59.4, 0.5, 1.5, 2.5, 1536, 999_960, 1.5e9, 33.333, 33.25, 0.125, 2.345, 1.005, -0.04,
    -12.36, -3700, None,
)  # fmt: skip
HARD_FILTERS = (
    "event:page=/~alice/",
    "event:page!=/a=b",
    "visit:source~x=~y",
    "event:page=~^/blog/",
    "page=/~alice/",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


def open_dashboard(browser: Browser, live: Live, params: dict[str, Any], **context: Any) -> Page:
    page = browser.new_context(**context).new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live.url}/?{urlencode(params, doseq=True)}")
    expect(page.locator("body")).to_have_attribute("data-state", "ready")
    assert errors == []
    return page


@pytest.fixture
def shop_server(shop_db: Path) -> Iterator[Live]:
    with running(Settings(db_path=shop_db)) as url, httpx.Client(base_url=url) as client:
        yield Live(url, shop_db, {}, page_csrf(client))


# --- numbers ---------------------------------------------------------------------------


def test_meta_formats_are_the_python_rules(shop_server: Live) -> None:
    with shop_server.client() as client:
        meta = client.get("/api/v1/meta").json()
    assert meta["formats"] == formats_meta()
    assert meta["filters"] == filter_grammar_meta()


def test_python_and_dashboard_format_every_value_alike(browser: Browser, shop_server: Live) -> None:
    page = open_dashboard(browser, shop_server, {"site": "shop", **WHOLE})
    rng = random.Random(13)
    values = list(VALUES)
    for _ in range(400):  # every magnitude, and ties of binary fractions
        scale = 10 ** rng.randint(-3, 13)
        values.append(round(rng.uniform(-1, 1) * scale, rng.randint(0, 4)))
        values.append(rng.randint(0, 4000) / 8)
    cases = [[v, u] for v in values for u in UNITS]
    shown = page.evaluate("cases => cases.map(([v, u]) => window.footfall.format(v, u))", cases)
    expected = [human_number(v, u) for v, u in cases]
    differ = [(c, s, e) for c, s, e in zip(cases, shown, expected, strict=True) if s != e]
    assert differ == []
    table = dict(zip((f"{v} {u}" for v, u in cases), expected, strict=True))
    assert [table[k] for k in ("0 count", "999 count", "1000 count", "12345 count")] == [
        "0", "999", "1,000", "12,345"]  # fmt: skip
    assert table["1500000.0 count"] == "1.5M" and table["999960000 count"] == "1B"
    assert table["3700 seconds"] == "1h 1m" and table["59.6 seconds"] == "1m 0s"
    assert table["59.4 seconds"] == "59s" and table["-3700 seconds"] == "-1h 1m"
    assert table["1536 bytes"] == "1.5 kB" and table["1500000000.0 bytes"] == "1.5 GB"
    assert table["999960 bytes"] == "1.0 MB" and table["999 bytes"] == "999 B"
    assert table["33.333 percent"] == "33.3%" and table["-0.04 percent"] == "0.0%"
    assert table["None count"] == "–" and table["1.5 money"] == "1.50"
    assert table["2.345 ratio"] == "2.35"  # 2.345 is 2.34500000000000019... in binary


def cli_overview(cli: Any, db: Path) -> dict[str, str]:
    """The Value column of ``footfall report overview`` by metric label."""
    result = cli("report", "overview", "--db", str(db), "--site", "shop", "--from",
                 WHOLE["from"], "--to", WHOLE["to"])  # fmt: skip
    assert result.code == 0, result.err
    cells = {}
    for line in result.out.splitlines():
        parts = [p.strip() for p in re.split(r"[│┃]", line)]
        if len(parts) >= 4:
            cells[parts[1]] = parts[2]
    return cells


def html_overview(cli: Any, db: Path, tmp_path: Path) -> dict[str, str]:
    out = tmp_path / "report.html"
    result = cli("report", "html", "--db", str(db), "--site", "shop", "--from", WHOLE["from"],
                 "--to", WHOLE["to"], "--out", str(out))  # fmt: skip
    assert result.code == 0, result.err
    page = out.read_text(encoding="utf-8")
    found = re.findall(r'data-metric="([a-z_]+)"[^>]*>.*?class="kpi-value">([^<]*)<', page)
    return {name: unescape(text) for name, text in found}


def test_cli_html_report_and_dashboard_show_the_same_strings(
    browser: Browser, shop_db: Path, cli: Any, tmp_path: Path
) -> None:
    terminal = cli_overview(cli, shop_db)  # before the server holds the database
    report = html_overview(cli, shop_db, tmp_path)
    with running(Settings(db_path=shop_db)) as url:
        page = open_dashboard(browser, Live(url, shop_db, {}), {"site": "shop", **WHOLE})
        dashboard = page.eval_on_selector_all(
            ".cards [data-metric]",
            "cards => Object.fromEntries(cards.map(c => "
            "[c.dataset.metric, c.querySelector('.card-value').textContent]))",
        )
        page.context.close()
    for name in HEADLINE:
        label = METRICS_BY_NAME[name].label
        assert dashboard[name] == terminal[label] == report[name], name
    assert dashboard["visit_duration"] == "3m 25s" and dashboard["bounce_rate"] == "66.7%"


# --- filters -----------------------------------------------------------------------------


@pytest.fixture
def path_server(cli: Any, write_log: Any, db_path: Path) -> Iterator[Live]:
    """Paths and a source that hold the filter operators."""
    lines = []
    paths = ["/~alice/", "/a=b", "/blog/one", "/blog/two", "/", "/x=~y"]
    for i, path in enumerate(paths * 2):
        ip = f"10.1.0.{i + 1}"
        when = f"2026-03-0{2 + i % 3} 10:{i:02d}:00"
        lines.append(combined(ip, when, path, ua=CHROME))
    lines.append(combined("10.1.1.1", "2026-03-03 11:00:00", "/?utm_source=x%3D~y", ua=CHROME))
    lines.append(combined("10.1.1.2", "2026-03-03 11:00:00", "/?utm_source=ax=~yz", ua=CHROME))
    log = write_log("paths.log", lines)
    assert cli("import", str(log), "--db", str(db_path), "--site", "shop", "-q").code == 0
    with running(Settings(db_path=db_path)) as url, httpx.Client(base_url=url) as client:
        yield Live(url, db_path, {}, page_csrf(client))


def test_hard_filters_parse_alike_in_python_and_the_dashboard(
    browser: Browser, path_server: Live
) -> None:
    page = open_dashboard(browser, path_server, {"site": "shop", **WHOLE})
    for text in HARD_FILTERS:
        f = parse_filter_text(text)
        again = filter_text(f)
        assert parse_filter_text(again) == f
        js = page.evaluate("t => window.footfall.parseFilter(t)", again)
        assert (js["dimension"], js["op"], js["value"]) == (f.dimension, f.op, f.values[0])
        js = page.evaluate("t => window.footfall.parseFilter(t)", text)  # short names too
        assert (js["dimension"], js["op"], js["value"]) == (f.dimension, f.op, f.values[0])
    assert parse_filter_text("event:page=/~alice/").values == ("/~alice/",)
    for bad in ("=x", "page", "page!x", "nope=1"):
        assert page.evaluate("t => window.footfall.parseFilter(t)", bad) is None


@pytest.mark.parametrize("text", HARD_FILTERS[:4])
def test_hard_filter_round_trips_through_url_chip_api_and_csv(
    browser: Browser, path_server: Live, text: str
) -> None:
    live = path_server
    f = parse_filter_text(text)
    page = open_dashboard(browser, live, {"site": "shop", **WHOLE, "filter": filter_text(f)},
                          accept_downloads=True)  # fmt: skip
    chip = page.locator(".chip")
    expect(chip).to_have_count(1)
    words = {"is": "is", "is_not": "is not", "contains": "contains", "matches": "matches"}[f.op]
    label = {"event:page": "Page", "visit:source": "Source"}[f.dimension]
    expect(chip.locator(".chip-text")).to_have_text(f"{label} {words} {f.values[0]}")
    assert parse_qs(urlsplit(page.url).query)["filter"] == [text]

    with live.client() as client:
        params = {"site": "shop", **WHOLE, "filter": text, "limit": 1000}
        api = client.get("/api/v1/report/pages", params=params)
    assert api.status_code == 200, api.text
    expected = sorted(r["event:page"] for r in api.json()["rows"] if r["pageviews"])
    assert expected, "the test data has rows for every filter"

    page.get_by_role("tab", name="Top pages").click()
    csv_answer = page.expect_response("**/api/v1/query?format=csv")
    with csv_answer as answer, page.expect_download() as download:
        page.locator("#panel-pages .export").click()
    assert answer.value.status == 200
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8"))))
    assert sorted(r["event:page"] for r in rows if int(r["pageviews"])) == expected
    page.context.close()
