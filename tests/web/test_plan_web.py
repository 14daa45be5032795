"""The measurement plan through the JSON API and on the dashboard, over the hand-computed
fixture of tests/test_plan_truth.py: the same numbers as the CLI."""

from __future__ import annotations

from pathlib import Path

from footfall.settings import Settings
from tests.browser import chromium
from tests.test_plan_truth import shop  # noqa: F401  (the fixture)
from tests.web.conftest import local_client, running

DAY = {"site": "shop", "from": "2026-03-10", "to": "2026-03-10"}


def test_plan_reports_in_the_api(shop: Path) -> None:  # noqa: F811
    with running(Settings(db_path=shop)) as url, local_client(url, timeout=20) as client:
        plan = client.get("/api/v1/plan", params={"site": "shop"}).json()
        assert plan["identity"] == "strict" and plan["document"].startswith("# Measurement plan")
        assert plan["plan"].endswith("plan_shop.toml")
        attribution = client.get("/api/v1/plan/report/attribution", params=DAY).json()
        credit = {r["campaign"]: r["last_non_direct"] for r in attribution["rows"]}
        assert credit["Social"] == "150.00" and attribution["value"] == "363.00"
        csv = client.get("/api/v1/plan/report/campaign-economics",
                         params={**DAY, "format": "csv"})  # fmt: skip
        assert csv.status_code == 200 and "Social,Paid Social" in csv.text
        query = client.post("/api/v1/query", json={
            "site": "shop", "metrics": ["conversions", "conversion_rate"], "goal": "Pricing",
            "date_range": ["2026-03-10", "2026-03-10"]}).json()  # fmt: skip
        assert query["rows"] == [{"conversions": 3, "conversion_rate": 10.34}]  # 3 of 29 visits
        missing = client.post("/api/v1/query", json={
            "site": "shop", "metrics": ["conversions"], "date_range": "all"})  # fmt: skip
        assert missing.status_code == 400 and "goal" in missing.json()["error"]
        unknown = client.get("/api/v1/plan/report/attribution", params={**DAY, "by": "colour"})
        assert unknown.status_code == 400


def test_plan_on_the_dashboard(shop: Path) -> None:  # noqa: F811
    with running(Settings(db_path=shop)) as url, chromium() as browser:
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{url}/?site=shop&from=2026-03-10&to=2026-03-10")
        page.wait_for_selector("#plan:not([hidden]) #plan-attribution table", timeout=15_000)
        kpi = page.locator('[data-kpi="Signups in March"]')
        assert kpi.locator(".kpi-status").inner_text().lower() in ("missed", "behind")
        economics = page.locator("#plan-economics").inner_text()
        assert "Social" in economics and "150.00" in economics
        funnel = page.locator('[data-funnel="Checkout"]').inner_text()
        assert "88.9" in funnel  # 24 of 27 leave after the home page
        goals = page.locator("#plan-goals").inner_text()
        assert "Purchased" in goals and "222.00" in goals
        assert errors == []
