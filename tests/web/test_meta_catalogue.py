"""``/api/v1/meta`` serves the catalogue with the keys the dashboard reads, and the report
routes refuse an option the report does not take."""

from __future__ import annotations

from tests.web.conftest import Live

KEYS = {"metrics", "dimensions", "reports", "dashboard", "periods", "comparisons", "kpi_statuses",
        "formats", "filters", "actions"}  # fmt: skip


def test_meta_serves_the_catalogue(open_server: Live) -> None:
    with open_server.client() as client:
        meta = client.get("/api/v1/meta").json()
        assert set(meta) == KEYS
        assert all("better" in m for m in meta["metrics"])
        reports = {r["name"]: r for r in meta["reports"]}
        assert {r["family"] for r in reports.values()} == {"traffic", "plan"}
        assert reports["not-found"]["filters"] == ["event:status=404"]
        assert reports["attribution"]["options"][0]["choices"] == ["campaign", "channel", "source"]
        assert set(reports["pages"]) == {"name", "family", "doc", "dimensions", "metrics",
                                         "filters", "options", "columns", "chart", "bots"}  # fmt: skip
        tabs = [t for p in meta["dashboard"]["panels"] for t in p["tabs"]]
        assert all(t["report"] in reports for t in tabs)
        assert {"name": "7d", "label": "Last 7 days"} in meta["periods"]
        refused = client.get("/api/v1/report/pages", params={"site": "shop", "funnel": "x"})
        assert refused.status_code == 400
        assert "report 'pages' has no option 'funnel'" in refused.json()["error"]
        plan_on_traffic = client.get("/api/v1/plan/report/pages", params={"site": "shop"})
        assert "unknown plan report 'pages'" in plan_on_traffic.json()["error"]
        # the dashboard colours KPI statuses and treats the bots report from meta, not copies
        tones = meta["kpi_statuses"]
        assert tones["behind"] == tones["missed"] == "bad"
        assert tones["ahead"] == tones["met"] == tones["on track"] == "good"
        assert reports["bots"]["bots"] is True and reports["pages"]["bots"] is False
