"""The single-file HTML report, on a real database built by the real CLI from a hand-built log.

The period is 2026-03-02 .. 2026-03-08 (7 days); one visit on 2026-02-27 falls
in the previous period, so the comparison has something to compare with.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from datetime import UTC, date, datetime, timedelta
from html import escape, unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from footfall.cli.output import human_number
from footfall.present import build_html_report
from footfall.present.html_report import HEADLINE, collect_report_data, render_html_report
from footfall.reports.catalog import run_report
from footfall.settings import load_settings
from footfall.store.database import Database
from footfall.vocabulary.metrics import METRICS_BY_NAME
from footfall.vocabulary.periods import DateRange
from footfall.vocabulary.query import Query
from tests.conftest import FOOTFALL, GOOGLEBOT, IPHONE, combined

SITE = "https://www.shop.test/"
XSS = "/<script>alert(1)</script>"
START, END = date(2026, 3, 2), date(2026, 3, 8)
PERIOD = DateRange(START, END)

LINES = [
    combined("10.0.0.9", "2026-02-27 10:00:00", "/", 200, 1000, "https://www.google.com/"),
    combined("10.0.0.9", "2026-02-27 10:02:00", "/pricing", 200, 2000, SITE),
    combined("10.0.0.1", "2026-03-02 09:00:00", "/", 200, 1000, "https://www.google.com/"),
    combined("10.0.0.1", "2026-03-02 09:00:01", "/static/app.css", 200, 500, SITE),
    combined("10.0.0.1", "2026-03-02 09:05:00", "/pricing", 200, 2000, SITE),
    combined("10.0.0.2", "2026-03-02 09:10:00",
             "/?utm_source=newsletter&utm_medium=email&utm_campaign=spring", 200, 1000, "-", IPHONE),
    combined("10.0.0.2", "2026-03-02 09:10:30", "/pricing", 304, 0, SITE, IPHONE),
    combined("10.0.0.3", "2026-03-03 12:00:00", XSS, 200, 100, "https://evil.test/?q=<b>x</b>"),
    combined("10.0.0.3", "2026-03-03 12:01:00", "/blog/tom&jerry", 200, 100, SITE),
    combined("10.0.0.3", "2026-03-03 12:02:00", "/missing", 404, 200, SITE),
    combined("66.249.66.1", "2026-03-03 13:00:00", "/robots.txt", 200, 100, "-", GOOGLEBOT),
    combined("66.249.66.1", "2026-03-03 13:00:05", "/", 200, 1000, "-", GOOGLEBOT),
    combined("203.0.113.9", "2026-03-04 09:40:00", "/.env", 404, 150),
    combined("203.0.113.9", "2026-03-04 09:40:01", "/", 200, 1000),
    combined("10.0.0.4", "2026-03-06 18:00:00", "/blog/tom&jerry", 200, 100, "https://t.co/x"),
    combined("10.0.0.4", "2026-03-06 18:03:00", "/signup", 500, 100, SITE),
]  # fmt: skip


def run_cli(cwd: Path, *args: str) -> Any:
    """The real ``footfall`` executable, isolated from the developer's environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTFALL_")}
    proc = subprocess.run([FOOTFALL, *args], capture_output=True, cwd=cwd, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout) if "json" in args else proc.stdout.decode()


def cli_report(db: Path, name: str, *args: str) -> dict[str, Any]:
    return run_cli(db.parent, "report", name, "--db", str(db), "--format", "json",
                   "--from", START.isoformat(), "--to", END.isoformat(), *args)  # fmt: skip


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("html_report")
    log = root / "shop.log"
    log.write_text("".join(line + "\n" for line in LINES), encoding="utf-8")
    db = root / "footfall.duckdb"
    run_cli(root, "import", str(log), "--db", str(db), "--site", "shop",
            "--host", "www.shop.test", "--quiet")  # fmt: skip
    return db


def open_db(db: Path) -> Database:
    return Database(load_settings({}).with_db(db), read_only=True)


def build(db: Path, period: DateRange = PERIOD, **options: Any) -> str:
    with open_db(db) as database:
        return build_html_report(database, "shop", period, **options)


@pytest.fixture(scope="module")
def page(shop: Path) -> str:
    return build(shop)


def chart(doc: str, series: str) -> str:
    found = re.search(rf'<figure[^>]*data-series="{series}".*?</figure>', doc, re.S)
    assert found, f"no {series} chart"
    return found.group(0)


def polyline_points(svg: str, cls: str) -> list[str]:
    found = re.search(rf'<polyline class="{cls}" points="([^"]*)"', svg)
    assert found, f"no {cls} polyline"
    return found.group(1).split()


class _Balance(HTMLParser):
    VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


# --- self-contained, safe --------------------------------------------------------------


def test_document_is_self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert re.search(r"<script", page, re.I) is None
    remote = (
        r"""(?:src|href|xlink:href|action|poster|srcset)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|//)"""
    )
    assert re.search(remote, page, re.I) is None
    assert re.search(r"@import|url\s*\(", page, re.I) is None
    for tag in ("<link", "<img", "<iframe", "<object", "<embed", "<base"):
        assert tag not in page.lower()
    assert "xmlns" not in page  # inline SVG in HTML5 needs no namespace URL


def test_document_is_well_formed(page: str) -> None:
    checker = _Balance()
    checker.feed(page)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []


def test_text_from_the_log_is_escaped(page: str) -> None:
    assert escape(XSS) in page  # /&lt;script&gt;alert(1)&lt;/script&gt;
    assert XSS not in page
    assert "alert(1)</script>" not in page
    assert "/blog/tom&amp;jerry" in page
    assert "tom&jerry" not in page
    assert "evil.test" in page  # a source from the log, shown as text


# --- numbers equal the CLI's -----------------------------------------------------------


def headline(doc: str) -> dict[str, dict[str, Any]]:
    """The tiles' raw values (data-value), shown text, previous value and change."""
    section = doc[doc.index('<section class="kpis"') : doc.index("</section>")]
    tiles = {}
    for tile in section.split('<div class="kpi" ')[1:]:
        attrs = dict(re.findall(r'data-(\w+)="([^"]*)"', tile))
        shown = re.search(r'<div class="kpi-value">([^<]*)</div>', tile)
        assert shown
        tiles[attrs["metric"]] = {
            "value": json.loads(unescape(attrs["value"])),
            "shown": unescape(shown.group(1)),
            "previous": json.loads(unescape(attrs["previous"])) if "previous" in attrs else None,
            "change": attrs.get("change"),
        }
    return tiles


def test_headline_numbers_equal_the_cli(shop: Path, page: str) -> None:
    overview = cli_report(shop, "overview", "--compare", "previous")
    tiles = headline(page)
    assert list(tiles) == list(HEADLINE)
    for name, tile in tiles.items():
        assert tile["value"] == overview[name], name
        assert tile["shown"] == human_number(overview[name], METRICS_BY_NAME[name].unit)
        assert tile["previous"] == overview["previous"][name], name
        change = overview["change"][name]
        assert tile["change"] == ("new" if change is None else str(change)), name
    assert overview["visitors"] > 0 and overview["previous"]["visitors"] == 1  # really compared


def test_headline_with_bots_and_without_comparison(shop: Path) -> None:
    doc = build(shop, compare=None, include_bots=True)
    overview = cli_report(shop, "overview", "--include-bots")
    tiles = headline(doc)
    assert {n: t["value"] for n, t in tiles.items()} == {n: overview[n] for n in HEADLINE}
    assert all(t["change"] is None for t in tiles.values())
    assert "bots included" in doc
    assert 'class="compare"' not in doc  # no dashed series without a comparison


def test_panels_show_the_cli_rows(shop: Path, page: str) -> None:
    pages = cli_report(shop, "pages", "--limit", "10")
    panel = re.search(r'<article[^>]*data-report="pages".*?</article>', page, re.S)
    assert panel
    assert f'data-rows="{len(pages["rows"])}"' in panel.group(0)
    for row in pages["rows"]:
        assert f">{escape(row['event:page'])}" in panel.group(0)
        assert f">{human_number(row['pageviews'], 'count')}<" in panel.group(0)
    for name in ("entry-pages", "sources", "channels", "campaigns", "devices", "browsers",
                 "countries", "status", "not-found", "bots"):  # fmt: skip
        assert f'data-report="{name}"' in page
    bots = re.search(r'<article[^>]*data-report="bots".*?</article>', page, re.S)
    assert bots and "ua:Googlebot" in bots.group(0) and "Search engines" in bots.group(0)


# --- the chart -------------------------------------------------------------------------


def test_chart_has_one_point_per_day(shop: Path, page: str) -> None:
    series = cli_report(shop, "timeseries")["rows"]
    assert len(series) == PERIOD.days == 7
    for name in ("visitors", "pageviews"):
        svg = chart(page, name)
        assert f'data-points="{PERIOD.days}"' in svg
        assert len(polyline_points(svg, "series")) == PERIOD.days
        assert len(polyline_points(svg, "compare")) == PERIOD.days
        tips = re.findall(r"<rect [^>]*><title>([^<]*)</title></rect>", svg)
        assert len(tips) == PERIOD.days
        for tip, row in zip(tips, series, strict=True):
            day = date.fromisoformat(row["time:day"])
            assert f" {day.day} " in tip
            assert f": {human_number(row[name], 'count')} (" in unescape(tip)


def test_long_periods_are_weekly(shop: Path) -> None:
    long = DateRange(date(2026, 1, 1), date(2026, 4, 10))  # 100 days
    doc = build(shop, long, compare=None)
    with open_db(shop) as database:
        weeks = run_report(database, "timeseries", Query("shop", ("visits",), long), "week")
    assert len(weeks["rows"]) == 15
    svg = chart(doc, "visitors")
    assert "per week" in svg
    assert len(polyline_points(svg, "series")) == len(weeks["rows"])


# --- words ----------------------------------------------------------------------------


def test_definitions_for_every_number_shown(page: str) -> None:
    section = page[page.index('id="definitions"') :]
    for name in (*HEADLINE, "clients"):
        assert f'data-definition="{name}"' in section, name
        assert escape(METRICS_BY_NAME[name].doc) in section, name
    for dim in ("event:page", "visit:source", "visit:channel", "event:bot_rule"):
        assert f'data-dimension="{dim}"' in section, dim


def test_title_footer_and_period(page: str) -> None:
    assert "<title>shop · 2 Mar – 8 Mar 2026 · Footfall</title>" in page
    assert "Compared with the previous period, 23 Feb – 1 Mar 2026" in page
    footer = page[page.index("<footer") :]
    assert "Footfall" in footer and "Generated" in footer


def test_same_data_same_document(shop: Path) -> None:
    when = datetime(2026, 3, 9, 8, 30, tzinfo=UTC)
    with open_db(shop) as database:
        data = collect_report_data(database, "shop", PERIOD)
    first = render_html_report(data, when)
    assert first == render_html_report(data, when)
    assert "2026-03-09 08:30" in first
    later = render_html_report(data, when + timedelta(hours=1))
    assert later != first and later.replace("09:30", "08:30") == first


def test_empty_period_renders(shop: Path) -> None:
    doc = build(shop, DateRange(date(2025, 1, 1), date(2025, 1, 3)), compare="year")
    tiles = headline(doc)
    # a year before holds no data either: the cards say so rather than "= 0.0% was 0"
    assert tiles["visitors"]["value"] == 0 and tiles["visitors"]["change"] == "none"
    assert "Nothing in this period." in doc
    assert len(polyline_points(chart(doc, "visitors"), "series")) == 3
