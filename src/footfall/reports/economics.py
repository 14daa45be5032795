"""Campaign economics: what each campaign cost and what it brought, per campaign and channel.

- spend: imported cost in the period, in the plan's currency (a spend row names its
  campaign, or its UTM keys match a plan campaign's rules, or it stands on its own);
- visits: visits in the period labelled with the campaign (plan rules, else UTM);
- conversions, revenue: orders (or a goal's completions) credited to the campaign by
  one attribution model, ``last_non_direct`` unless asked (``credit.py``);
- CPA = spend / conversions, ROAS = revenue / spend, ROI = (revenue - spend) / spend
  in percent, cost per visit = spend / visits; empty where the divisor is 0.
Amounts are exact until shown, then rounded half-up to the cent.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import Any

from footfall.errors import QueryError
from footfall.plan.model import Plan
from footfall.reports.attribution import MODELS_BY_NAME
from footfall.reports.credit import conversions_for, credit
from footfall.reports.journeys import Journeys, campaign_of
from footfall.reports.money import as_decimal, cents
from footfall.reports.periods import DateRange


def _spend(db: Any, plan: Plan, period: DateRange, journeys: Journeys) -> dict[str, dict]:
    rows = db.fetchall(
        "SELECT day, campaign, utm_source, utm_medium, utm_campaign, channel, cost, currency "
        "FROM spend WHERE site = ? AND day >= ? AND day <= ? ORDER BY day",
        [plan.site, period.start, period.end],
    )
    out: dict[str, dict] = defaultdict(lambda: {"spend": Decimal(0), "channel": ""})
    for day, campaign, us, um, uc, channel, cost, currency in rows:
        if not campaign:
            found = campaign_of(plan, {"utm_source": us, "utm_medium": um, "utm_campaign": uc})
            campaign = found.name if found else (uc or f"({channel or 'unnamed'} spend)")
        planned = next((c for c in plan.campaigns if c.name == campaign), None)
        entry = out[campaign]
        entry["spend"] += journeys.rates.convert(Decimal(cost), currency, day)
        entry["channel"] = entry["channel"] or (planned.channel if planned else None) or channel
    return out


def economics_report(db: Any, plan: Plan, period: DateRange, tz: str,
                     model: str = "last_non_direct", goal: str | None = None) -> dict[str, Any]:  # fmt: skip
    if model not in MODELS_BY_NAME:
        raise QueryError(f"model must be one of {', '.join(MODELS_BY_NAME)}")
    journeys = Journeys(db, plan, period, tz)
    spend = _spend(db, plan, period, journeys)
    visits: dict[str, int] = defaultdict(int)
    channel_of: dict[str, str] = {}
    for v in journeys.visits:
        if journeys.lo <= v.start < journeys.hi:
            visits[v.touch.campaign] += 1
            channel_of.setdefault(v.touch.campaign, v.touch.channel)
    conversions = conversions_for(journeys, plan, goal)
    revenue, counts = credit(conversions, model, "campaign", plan.half_life_days)
    names = set(spend) | set(visits) | {c.name for c in plan.campaigns} | set(revenue)
    rows = []
    for name in sorted(names, key=lambda n: (n.startswith("("), n)):
        planned = next((c for c in plan.campaigns if c.name == name), None)
        cost = spend[name]["spend"] if name in spend else Decimal(0)
        rows.append(_row(name, planned, cost, visits.get(name, 0), counts.get(name, Fraction(0)),
                         revenue.get(name, Fraction(0)),
                         (spend[name]["channel"] if name in spend else "") or
                         (planned.channel if planned and planned.channel else "") or
                         channel_of.get(name, "")))  # fmt: skip
    return {"site": plan.site, "period": period.as_dict(), "currency": plan.currency,
            "model": model, "goal": goal or plan.conversion_goal or "orders",
            "identity": plan.identity,
            "campaigns": rows, "channels": _by_channel(rows)}  # fmt: skip


def _row(name: str, planned: Any, spend: Decimal, visits: int, conversions: Fraction,
         revenue: Fraction, channel: str) -> dict[str, Any]:  # fmt: skip
    revenue_d = as_decimal(revenue)
    conv_d = as_decimal(conversions)
    return {
        "campaign": name, "channel": channel, "in_plan": planned is not None,
        "owner": planned.owner if planned else "",
        "budget": format(cents(planned.budget), "f") if planned and planned.budget else None,
        "spend": format(cents(spend), "f"), "visits": visits,
        "conversions": float(round(conv_d, 2)), "revenue": format(cents(revenue_d), "f"),
        "cpa": format(cents(spend / conv_d), "f") if conv_d and spend else None,
        "roas": float(round(revenue_d / spend, 2)) if spend else None,
        "roi": float(round(100 * (revenue_d - spend) / spend, 1)) if spend else None,
        "cost_per_visit": format(cents(spend / visits), "f") if visits and spend else None,
        "budget_used": float(round(100 * spend / planned.budget, 1))
        if planned and planned.budget else None,
        "_exact": (spend, visits, conversions, revenue),
    }  # fmt: skip


def _by_channel(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    sums: dict[str, list] = defaultdict(lambda: [Decimal(0), 0, Fraction(0), Fraction(0)])
    for row in rows:
        spend, visits, conversions, revenue = row.pop("_exact")
        acc = sums[row["channel"] or "(none)"]
        acc[0] += spend
        acc[1] += visits
        acc[2] += conversions
        acc[3] += revenue
    out = []
    for channel, (spend, visits, conversions, revenue) in sorted(sums.items()):
        row = _row(channel, None, spend, visits, conversions, revenue, channel)
        row.pop("_exact")
        out.append({"channel": channel, **{k: v for k, v in row.items()
                                           if k not in ("campaign", "channel", "in_plan", "owner", "budget", "budget_used")}})  # fmt: skip
    return out
