"""``footfall plan doc``: the plan as a document for people who will never open the file.

Markdown: what is measured, how each number is defined (from the metric registry,
the same text as docs/metrics.md), the targets with owners and deadlines, and why.
"""

from __future__ import annotations

from footfall.plan.model import Goal, Plan
from footfall.vocabulary.metrics import METRICS_BY_NAME

IDENTITY_TEXT = {
    "strict": "Journeys last one day: visitors are recognised by a hash that changes every "
              "day, so a conversion is credited to the visits of that day only.",
    "customer": "Journeys follow a customer id the site sends after login or purchase; "
                "visits before the customer identified themselves that day are not linked.",
    "persistent": "Journeys follow a pseudonymous id kept in the visitor's browser, which "
                  "the site chose to ask consent for.",
}  # fmt: skip


def _goal_text(goal: Goal) -> str:
    if goal.kind == "page":
        what = f"a pageview of `{goal.page}`"
    elif goal.kind == "event":
        props = ", ".join(f"{k} = {v}" for k, v in goal.props)
        what = f"the tracker event **{goal.event}**" + (f" with {props}" if props else "")
    elif goal.kind == "order":
        what = "an imported order"
    else:
        what = f"an imported offline conversion of kind **{goal.conversion}**"
    if goal.dynamic_value:
        value = "its revenue" if goal.kind == "event" else "its amount"
    else:
        value = f"{goal.value}" if goal.value is not None else "–"
    return f"| {goal.name} | {what} | {value} | {goal.why} |"


def render_plan(plan: Plan) -> str:
    out = [f"# Measurement plan: {plan.site}", "",
           f"Amounts are in **{plan.currency}**. Identity for journeys: **{plan.identity}** — "
           f"{IDENTITY_TEXT[plan.identity]} Attribution looks back {plan.lookback_days} days; "
           f"time decay halves every {plan.half_life_days} days.", ""]  # fmt: skip
    if plan.goals:
        out += ["## Goals", "", "| goal | counts when | value | why |", "|---|---|---|---|"]
        out += [_goal_text(g) for g in plan.goals] + [""]
    if plan.funnels:
        out += ["## Funnels", ""]
        for f in plan.funnels:
            steps = " → ".join(s.label for s in f.steps)
            entry = ("entered at the first step only" if f.mode == "closed"
                     else "entered at any step")  # fmt: skip
            out += [f"- **{f.name}**: {steps} (within {f.window_minutes} minutes, {entry}). "
                    f"{f.why}".rstrip()]  # fmt: skip
        out.append("")
    if plan.kpis:
        out += ["## KPIs", "", "| KPI | measured as | target | period | owner | why |",
                "|---|---|---|---|---|---|"]  # fmt: skip
        for k in plan.kpis:
            measured = METRICS_BY_NAME[k.metric].label + (f" of {k.goal}" if k.goal else "")
            if k.filters:
                measured += " where " + " and ".join(f"`{f}`" for f in k.filters)
            sign = "≥" if k.direction == "at_least" else "≤"
            out.append(f"| {k.name} | {measured} | {sign} {k.target} | {k.start} to "
                       f"{k.deadline} ({k.pacing} pacing) | {k.owner} | {k.why} |")  # fmt: skip
        out.append("")
    if plan.campaigns:
        out += ["## Campaigns", "", "| campaign | its visits | budget | channel | owner | why |",
                "|---|---|---|---|---|---|"]  # fmt: skip
        for c in plan.campaigns:
            rules = " and ".join(f"{k} = `{v}`" for k, v in c.match)
            out.append(f"| {c.name} | {rules} | {c.budget or '–'} | {c.channel or '–'} | "
                       f"{c.owner} | {c.why} |")  # fmt: skip
        out.append("")
    if plan.channel_rules:
        out += ["## Channel rules (before the built-in ones)", ""]
        for r in plan.channel_rules:
            rules = " and ".join(f"{k} = `{v}`" for k, v in r.match)
            out.append(f"- {rules} → **{r.channel}**")
        out.append("")
    used = sorted({k.metric for k in plan.kpis} | {"conversions", "conversion_rate", "visits"})
    out += ["## Definitions", ""]
    out += [f"- **{METRICS_BY_NAME[m].label}** (`{m}`): {METRICS_BY_NAME[m].doc}" for m in used]
    out += ["", "Attribution, pacing and money rules: docs/plan.md of Footfall.", ""]
    return "\n".join(out)
