"""Campaign economics: what each campaign cost and what it brought, per campaign and channel.

- spend: imported cost in the period, in the plan's currency (a spend row names its
  campaign, or its UTM keys match a plan campaign's rules, or it stands on its own);
- visits: visits in the period labelled with the campaign (plan rules, else UTM);
  visits without a campaign are a "(none)" row per channel, so that per channel the
  visits are those of the channels report;
- conversions, revenue: orders (or a goal's completions) credited to the campaign by
  one attribution model, ``last_non_direct`` unless asked (``credit.py``);
- CPA = spend / conversions, ROAS = revenue / spend, ROI = (revenue - spend) / spend
  in percent, cost per visit = spend / visits; empty where the divisor is 0.
Amounts are exact until shown, then rounded half-up to the cent.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from footfall.errors import QueryError
from footfall.plan.model import Plan
from footfall.reports.attribution import MODELS_BY_NAME, Touch
from footfall.reports.compiler import dialect_of
from footfall.reports.compiler.plans import spend_rows
from footfall.reports.credit import conversions_for, counted_goal, credit
from footfall.reports.journeys import Journeys, campaign_of
from footfall.reports.money import as_decimal, cents
from footfall.store.backend import ReportBackend
from footfall.vocabulary.periods import DateRange


def _spend(db: ReportBackend, plan: Plan, period: DateRange, journeys: Journeys
           ) -> dict[str, dict]:  # fmt: skip
    statement = spend_rows(plan.site, period.start, period.end, dialect_of(db))
    rows = db.fetchall(statement.sql, statement.params)
    out: dict[str, dict] = defaultdict(lambda: {"spend": Decimal(0), "channel": ""})
    for day, campaign, us, um, uc, channel, cost, currency in rows:
        if not campaign:
            found = campaign_of(plan, {"utm_source": us, "utm_medium": um, "utm_campaign": uc})
            campaign = found.name if found else (uc or f"({channel or 'unnamed'} spend)")
        planned = plan.campaign(campaign)
        entry = out[campaign]
        entry["spend"] += journeys.rates.convert(Decimal(cost), currency, day)
        entry["channel"] = entry["channel"] or (planned.channel if planned else None) or channel
    return out


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a campaign (or a channel) cost and brought, exact."""

    spend: Decimal = Decimal(0)
    visits: int = 0
    conversions: Fraction = Fraction(0)
    revenue: Fraction = Fraction(0)

    def __add__(self, other: Outcome) -> Outcome:
        return Outcome(self.spend + other.spend, self.visits + other.visits,
                       self.conversions + other.conversions, self.revenue + other.revenue)  # fmt: skip

    def figures(self) -> dict[str, Any]:
        spend, revenue, conv = self.spend, as_decimal(self.revenue), as_decimal(self.conversions)
        return {
            "spend": format(cents(spend), "f"), "visits": self.visits,
            "conversions": float(round(conv, 2)), "revenue": format(cents(revenue), "f"),
            "cpa": format(cents(spend / conv), "f") if conv and spend else None,
            "roas": float(round(revenue / spend, 2)) if spend else None,
            "roi": float(round(100 * (revenue - spend) / spend, 1)) if spend else None,
            "cost_per_visit": format(cents(spend / self.visits), "f")
            if self.visits and spend else None,
        }  # fmt: skip


NO_CAMPAIGN = "(none)"
_SEP = "\x1f"


def _key(touch: Touch) -> str:
    """A touch's row: its campaign, or for traffic without one, "(none)" of its channel
    (so non-campaign visits and credit stand by channel, as in the channels report)."""
    if touch.campaign == NO_CAMPAIGN:
        return f"{NO_CAMPAIGN}{_SEP}{touch.channel}"
    return touch.campaign


def economics_report(db: ReportBackend, plan: Plan, period: DateRange, tz: str,
                     model: str = "last_non_direct", goal: str | None = None) -> dict[str, Any]:  # fmt: skip
    if model not in MODELS_BY_NAME:
        raise QueryError(f"model must be one of {', '.join(MODELS_BY_NAME)}")
    journeys = Journeys(db, plan, period, tz)
    spend = _spend(db, plan, period, journeys)
    visits: dict[str, int] = defaultdict(int)
    channel_of: dict[str, str] = {}
    for v in journeys.visits:
        if journeys.lo <= v.start < journeys.hi:
            key = _key(v.touch)
            visits[key] += 1
            channel_of.setdefault(key, v.touch.channel)
    revenue, counts = credit(conversions_for(journeys, plan, goal), model, _key,
                             plan.half_life_days)  # fmt: skip
    names = set(spend) | set(visits) | {c.name for c in plan.campaigns} | set(revenue)
    rows = []
    by_channel: dict[str, Outcome] = defaultdict(Outcome)
    for key in sorted(names, key=lambda n: (n.startswith("("), n)):
        name, _, own_channel = key.partition(_SEP)
        planned = plan.campaign(name)
        paid = spend.get(key, {"spend": Decimal(0), "channel": ""})
        outcome = Outcome(paid["spend"], visits.get(key, 0), counts.get(key, Fraction(0)),
                          revenue.get(key, Fraction(0)))  # fmt: skip
        channel = (own_channel or paid["channel"] or (planned.channel if planned else None)
                   or channel_of.get(key, ""))  # fmt: skip
        by_channel[channel or "(none)"] += outcome
        budget = planned.budget if planned else None
        rows.append({
            "campaign": name, "channel": channel, "in_plan": planned is not None,
            "owner": planned.owner if planned else "",
            "budget": format(cents(budget), "f") if budget else None, **outcome.figures(),
            "budget_used": float(round(100 * outcome.spend / budget, 1)) if budget else None,
        })  # fmt: skip
    return {"site": plan.site, "period": period.as_dict(), "currency": plan.currency,
            "model": model, "goal": counted_goal(plan, goal), "identity": plan.identity,
            "campaigns": rows,
            "channels": [{"channel": c, **o.figures()} for c, o in sorted(by_channel.items())]}  # fmt: skip
