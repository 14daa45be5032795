"""The demo's measurement plan parses, and its spend file loads without a reject."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from footfall.collect.business_csv import read_csv
from footfall.demo.plan import demo_plan, write_demo_spend
from footfall.demo.spec import DemoSpec
from footfall.plan.parse import parse_plan


def test_demo_plan_and_spend(tmp_path: Path) -> None:
    spec = DemoSpec(days=42, end=dt.date(2026, 11, 22))
    plan = parse_plan(demo_plan(spec))
    assert plan.conversion_goal == "Signup"
    assert [c.name for c in plan.campaigns] == ["Winter Sale", "Launch Video", "November Digest"]
    assert plan.kpis[0].start == dt.date(2026, 10, 12)
    spend = tmp_path / "spend.csv"
    write_demo_spend(spend, spec)
    parsed = read_csv(spend, "spend")
    assert parsed.rejects == [] and parsed.duplicates == 0
    # winter sale runs the last 42% of the period; each newsletter send is one day
    by_campaign: dict[str, int] = {}
    for row in parsed.rows:
        by_campaign[row["campaign"]] = by_campaign.get(row["campaign"], 0) + 1
    assert by_campaign["November Digest"] == 2
    assert 15 <= by_campaign["Winter Sale"] <= 19
