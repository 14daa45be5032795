"""The demo's measurement plan and campaign spend, made for the generated period.

The plan measures what the demo site is for (signups, pricing views, a signup funnel),
its three campaigns with budgets, and two KPIs whose period is the demo's; spend is a
daily cost per campaign while it runs.  Written by ``footfall demo`` beside the log.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from footfall.demo.audience import CAMPAIGNS
from footfall.demo.spec import DemoSpec

#: Cost per day of each demo campaign while it runs (EUR), and its budget.
DAILY_COST = {"winter_sale": ("45.00", "2500"), "launch_video": ("30.00", "1500"),
              "november_digest": ("12.00", "400")}  # fmt: skip


def demo_plan(spec: DemoSpec, site: str = "demo") -> str:
    start = spec.end - dt.timedelta(days=spec.days - 1)
    deadline = start + dt.timedelta(days=spec.days + 13)  # two weeks to go after the demo
    campaigns = "\n".join(
        f'[[campaigns]]\nname = "{c.name.replace("_", " ").title()}"\nutm_campaign = '
        f'"{c.name}"\nbudget = "{DAILY_COST[c.name][1]}"\nowner = "marketing@example.com"\n'
        for c in CAMPAIGNS
    )
    return f'''# The demo site's measurement plan (docs/plan.md explains every key).
site = "{site}"
currency = "EUR"
identity = "strict"
conversion_goal = "Signup"

[[goals]]
name = "Signup"
page = "/signup/thanks"
value = "30"
why = "A signup is worth about 30 EUR of pipeline."

[[goals]]
name = "Saw pricing"
page = "/pricing"

[[funnels]]
name = "Signup"
steps = ["Saw pricing", "/signup", "Signup"]
window = "1h"

[[kpis]]
name = "Signups this quarter"
metric = "conversions"
goal = "Signup"
target = 900
start = {start}
deadline = {deadline}
owner = "marketing@example.com"

[[kpis]]
name = "Bounce rate at most 55 %"
metric = "bounce_rate"
target = 55
direction = "at_most"
start = {start}
deadline = {deadline}

{campaigns}'''


def write_demo_spend(path: Path, spec: DemoSpec) -> None:
    """One row per campaign and day it runs (windows and newsletter sends)."""
    lines = ["date,campaign,cost,currency"]
    start = spec.end - dt.timedelta(days=spec.days - 1)
    for c in CAMPAIGNS:
        name = c.name.replace("_", " ").title()
        for i in range(spec.days):
            if c.intensity(i, spec.days) >= 1.0:
                day = start + dt.timedelta(days=i)
                lines.append(f"{day.isoformat()},{name},{DAILY_COST[c.name][0]},EUR")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
