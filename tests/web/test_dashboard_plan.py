"""The measurement plan section of the dashboard as a new user meets it, in Chromium,
over the demo (whose plan has an "at least" and an "at most" KPI, a funnel, campaigns
and goal values in the thousands): a loading state while the plan reports come, every
number through the formatter of /api/v1/meta, charts (funnel bars, KPI progress against
target and pace, attribution models side by side), nothing cut off on a phone.

Screenshots go to /tmp/footfall-shots/.  Skipped without /usr/bin/chromium (unless
FOOTFALL_REQUIRE_BROWSER is set).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from footfall.settings import Settings
from tests.browser import chromium
from tests.conftest import FOOTFALL
from tests.web.conftest import running

SHOTS = Path("/tmp/footfall-shots")
SECTIONS = ("plan-kpis", "plan-goals", "plan-funnels", "plan-economics", "plan-attribution")
VIEW = "/?site=demo&period=30d"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo's database (ten days up to yesterday, with its plan), served."""
    folder = tmp_path_factory.mktemp("demo")
    db = folder / "footfall.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTFALL_")}
    subprocess.run([FOOTFALL, "demo", "--db", str(db), "--days", "10", "--visitors", "60"],
                   check=True, capture_output=True, cwd=folder, env=env, timeout=120)  # fmt: skip
    with running(Settings(db_path=db)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def open_page(browser: Any, url: str, width: int = 1280, scheme: str = "light") -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


def loaded(page: Any) -> None:
    page.wait_for_selector("#plan:not([hidden]) #plan-attribution table")
    expect(page.locator("body")).to_have_attribute("data-state", "ready")


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fmt(page: Any, value: Any, unit: str) -> str:
    return page.evaluate("([v, u]) => window.footfall.format(v, u)", [value, unit])  # type: ignore[no-any-return]


def api(page: Any, path: str) -> Any:
    return page.evaluate("(p) => fetch(p).then((r) => r.json())", path)


def test_plan_shows_a_loading_state_until_its_reports_arrive(demo: str, browser: Any) -> None:
    page = open_page(browser, demo)
    held: list[Any] = []
    release = False
    page.route("**/api/v1/plan/report/**",
               lambda route: route.continue_() if release else held.append(route))  # fmt: skip
    page.goto(demo + VIEW)
    page.wait_for_selector("#plan:not([hidden])")
    page.wait_for_selector("#plan-attribution[aria-busy=true]", state="attached")
    for section in SECTIONS:
        box = page.locator(f"#{section}")
        assert box.get_attribute("aria-busy") == "true", section
        assert "loading" in box.inner_text().lower(), section
    shot(page, "plan-loading")
    release = True
    for route in held:
        route.continue_()
    loaded(page)
    for section in SECTIONS:
        assert page.locator(f"#{section}").get_attribute("aria-busy") is None, section
    assert page.errors == []


def test_plan_numbers_go_through_the_formatter(demo: str, browser: Any) -> None:
    page = open_page(browser, demo)
    page.goto(demo + VIEW)
    loaded(page)
    shot(page, "plan-desktop")
    text = page.locator("#plan").inner_text().replace(page.locator("#plan-meta").inner_text(), "")
    dates = r"\d{4}-\d{2}-\d{2}|[A-Z][a-z]{2} \d{1,2}, 20\d\d|\d{1,2} [A-Z][a-z]{2},? 20\d\d"
    text = re.sub(dates, "", text)
    assert re.findall(r"(?<![\d,.])\d{4,}", text) == []  # 4025, 20808, 14040.00: no separators
    kpis = api(page, "/api/v1/plan/report/kpis?site=demo&period=30d")["kpis"]
    for k in kpis:
        card = page.locator(f'[data-kpi="{k["kpi"]}"]').inner_text()
        assert (
            fmt(page, k["actual"], k["unit"]) in card and fmt(page, k["target"], k["unit"]) in card
        )
    attribution = api(page, "/api/v1/plan/report/attribution?site=demo&period=30d")
    line = page.locator("#plan-attribution .plan-meta").first.inner_text()
    assert fmt(page, attribution["value"], "money") in line
    funnel = api(page, "/api/v1/plan/report/funnels?site=demo&period=30d")["funnels"][0]
    steps = funnel["segments"]["all"]
    shown = page.locator(f'[data-funnel="{funnel["funnel"]}"]').inner_text()
    for step in steps[1:]:
        if step["median_seconds_from_previous"] is not None:
            assert fmt(page, step["median_seconds_from_previous"], "seconds") in shown
    assert page.errors == []


def test_plan_charts(demo: str, browser: Any) -> None:
    page = open_page(browser, demo)
    page.goto(demo + VIEW)
    loaded(page)
    # Funnel: one bar per step, as long as its visitors, with the drop-off beside it.
    funnel = api(page, "/api/v1/plan/report/funnels?site=demo&period=30d")["funnels"][0]
    steps = funnel["segments"]["all"]
    bars = page.locator(f'[data-funnel="{funnel["funnel"]}"] .funnel-bar')
    assert bars.count() == len(steps)
    widths = [bars.nth(i).bounding_box()["width"] for i in range(len(steps))]
    first = steps[0]["visitors"]
    for step, width in zip(steps, widths, strict=True):
        assert width == pytest.approx(widths[0] * step["visitors"] / first, abs=2)
    assert "drop" in page.locator(f'[data-funnel="{funnel["funnel"]}"] .funnel-chart').inner_text()
    # KPIs: a target mark and a pace mark on every track; an "at most" KPI is a ceiling.
    kpis = api(page, "/api/v1/plan/report/kpis?site=demo&period=30d")["kpis"]
    for k in kpis:
        card = page.locator(f'[data-kpi="{k["kpi"]}"]')
        track = card.locator(".kpi-track").bounding_box()
        bar = card.locator(".kpi-bar").bounding_box()
        target = card.locator(".kpi-target").bounding_box()
        assert card.locator(".kpi-pace").count() == 1
        scale = (target["x"] - track["x"]) / k["target"]  # pixels per unit
        assert bar["width"] == pytest.approx(min(k["actual"] * scale, track["width"]), abs=2)
        if k["direction"] == "at_most":
            assert "ceiling" in (card.get_attribute("class") or "")
            assert target["x"] < track["x"] + track["width"] - 10  # room to show "over it"
            assert "at most" in card.locator(".kpi-track").get_attribute("aria-label")
    # Attribution: per row, one bar per model, side by side.
    attribution = api(page, "/api/v1/plan/report/attribution?site=demo&period=30d")
    groups = page.locator("#plan-attribution .model-group")
    assert groups.count() == len(attribution["rows"])
    assert groups.first.locator(".model-bar").count() == len(attribution["models"])
    assert page.errors == []


def test_plan_fits_on_a_phone(demo: str, browser: Any) -> None:
    page = open_page(browser, demo, width=390)
    page.goto(demo + VIEW)
    loaded(page)
    shot(page, "plan-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    boxes = page.evaluate("""() => [...document.querySelectorAll('#plan table')].map((t) => {
        const box = t.parentElement; const r = box.getBoundingClientRect();
        return {right: r.right, left: r.left, scroll: box.scrollWidth, client: box.clientWidth,
                overflow: getComputedStyle(box).overflowX, table: t.getBoundingClientRect().width};
    })""")
    assert boxes
    for b in boxes:
        assert b["left"] >= 0 and b["right"] <= 390, b  # the box is on screen
        assert b["table"] <= b["client"] + 1 or b["overflow"] in ("auto", "scroll"), b
    assert page.errors == []
