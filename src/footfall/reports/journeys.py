"""Conversions and the visits that led to them, under the plan's identity.

A conversion is an imported order (value: its amount, in the plan's currency) or a
completion of a plan goal (value: the goal's).  Its *journey key* depends on the
plan's ``identity`` (docs/privacy.md), and only that one is used, never a mix:

- ``strict``: the daily visitor id.  The journey is that visitor's visits of the day.
- ``customer``: a customer id, from the order or from tracker events carrying a
  ``customer_id`` property (``footfall('identify', {props: {customer_id}})``); the
  journey is every visitor-day linked to the customer within the lookback window.
- ``persistent``: the tracker's opt-in pseudonymous id (``$pid``); the journey is
  the visits whose hits carry it, within the lookback window.

An order is linked to its visit by a tracker event with the same ``order_id``
property (the site's thank-you page sends it).  An order that is not linked under
the plan's identity but carries UTM columns gets one touch made from them; any
other has an unknown path.  Visits map to plan campaigns (and channels) here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from footfall.plan.model import Campaign, ChannelRule, Goal, Plan
from footfall.reports.attribution import Touch
from footfall.reports.compiler import Statement, dialect_of
from footfall.reports.compiler.plans import (
    first_completions,
    journey_visits,
    orders_with_events,
    property_sessions,
    property_visitor_days,
)
from footfall.reports.money import Rates
from footfall.store.backend import ReportBackend
from footfall.vocabulary.periods import DateRange, utc_bounds


@dataclass(frozen=True, slots=True)
class Visit:
    session_id: int
    day: Any
    visitor_id: int
    start: datetime
    touch: Touch


@dataclass(slots=True)
class Conversion:
    ref: str  # order id, or goal completion
    at: datetime
    value: Decimal  # in the plan's currency
    path: list[Touch] = field(default_factory=list)
    known: bool = False  # False: no journey under the plan's identity ("(unknown path)")
    via: str = ""  # how the path was found: visit, customer, pid, order utm, unknown


@lru_cache(maxsize=512)
def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(p) for p in pattern.lower().split("*")))


def matches(rules: tuple[tuple[str, str], ...], fields: dict[str, str | None]) -> bool:
    """Every (field, pattern) holds; patterns are case-insensitive, ``*`` is a wildcard."""
    return all(_glob(p).fullmatch((fields.get(f) or "").lower()) for f, p in rules)


def campaign_of(plan: Plan, fields: dict[str, str | None]) -> Campaign | None:
    return next((c for c in plan.campaigns if matches(c.match, fields)), None)


def label_visit(plan: Plan, fields: dict[str, str | None], channel: str) -> tuple[str, str]:
    """(campaign, channel) of a visit: plan campaign first, then plan channel rules."""
    campaign = campaign_of(plan, fields)
    if campaign is not None and campaign.channel:
        channel = campaign.channel
    else:
        rule: ChannelRule | None = next(
            (r for r in plan.channel_rules if matches(r.match, fields)), None
        )
        if rule is not None:
            channel = rule.channel
    name = campaign.name if campaign else (fields.get("utm_campaign") or "(none)")
    return name, channel


def _run(db: ReportBackend, statement: Statement) -> list[tuple[Any, ...]]:
    return db.fetchall(statement.sql, statement.params)


def load_visits(db: ReportBackend, plan: Plan, lo: datetime, hi: datetime) -> list[Visit]:
    rows = _run(db, journey_visits(plan.site, lo, hi, dialect_of(db)))
    visits = []
    for sid, day, vid, start, channel, source, us, um, uc, ref in rows:
        fields = {"utm_source": us, "utm_medium": um, "utm_campaign": uc, "source": source,
                  "referrer": ref}  # fmt: skip
        campaign, chan = label_visit(plan, fields, channel or "Direct")
        visits.append(Visit(sid, day, vid, start, Touch(start, chan, campaign, source or "")))
    return visits


class Journeys:
    """Everything needed to find the path of a conversion, for one plan and period."""

    def __init__(self, db: ReportBackend, plan: Plan, period: DateRange, timezone: str) -> None:
        self.db, self.plan = db, plan
        self.dialect = dialect_of(db)
        self.lo, self.hi = utc_bounds(period, timezone)
        self.lookback = timedelta(days=plan.lookback_days)
        self.visits = load_visits(db, plan, self.lo - self.lookback, self.hi)
        self.by_visitor_day: dict[tuple[Any, int], list[Visit]] = {}
        self.by_session: dict[int, Visit] = {}
        for v in self.visits:
            self.by_visitor_day.setdefault((v.day, v.visitor_id), []).append(v)
            self.by_session[v.session_id] = v
        self.customer_days = self._links("customer_id")
        self.pid_sessions = self._pid_sessions() if plan.identity == "persistent" else {}
        self.rates = Rates(db, plan.site, plan.currency)

    def _links(self, prop: str) -> dict[str, set[tuple[Any, int]]]:
        """Property value -> the visitor-days of the tracker hits that carry it."""
        if self.plan.identity != "customer":
            return {}
        start = self.lo - self.lookback
        statement = property_visitor_days(self.plan.site, prop, start, self.hi, self.dialect)
        rows = _run(self.db, statement)
        out: dict[str, set[tuple[Any, int]]] = {}
        for value, day, vid in rows:
            out.setdefault(value, set()).add((day, vid))
        return out

    def _pid_sessions(self) -> dict[str, set[int]]:
        start = self.lo - self.lookback
        rows = _run(self.db, property_sessions(self.plan.site, "$pid", start, self.hi,
                                               self.dialect))  # fmt: skip
        out: dict[str, set[int]] = {}
        for pid, sid in rows:
            out.setdefault(pid, set()).add(sid)
        return out

    # ----------------------------------------------------------------- paths

    def path(self, at: datetime, session_id: int | None, day: Any, visitor_id: int | None,
             customer: str | None, pid: str | None) -> tuple[list[Touch], str]:  # fmt: skip
        identity = self.plan.identity
        if identity == "strict" and visitor_id is not None:
            found = self.by_visitor_day.get((day, visitor_id), [])
            return self._window(found, at, same_day=True), "visit"
        if identity == "customer" and customer and customer in self.customer_days:
            found = [v for key in self.customer_days[customer]
                     for v in self.by_visitor_day.get(key, [])]  # fmt: skip
            return self._window(found, at), "customer"
        if identity == "persistent" and pid and pid in self.pid_sessions:
            found = [self.by_session[s] for s in self.pid_sessions[pid] if s in self.by_session]
            return self._window(found, at), "pid"
        return [], "unknown"

    def _window(self, visits: list[Visit], at: datetime, same_day: bool = False) -> list[Touch]:
        start = at - self.lookback
        chosen = [v for v in visits if v.start <= at and (same_day or v.start >= start)]
        chosen.sort(key=lambda v: (v.start, v.session_id))
        return [v.touch for v in chosen]

    # ----------------------------------------------------------- conversions

    def orders(self) -> list[Conversion]:
        rows = _run(self.db, orders_with_events(self.plan.site, self.lo, self.hi, self.dialect))
        if self.plan.identity == "customer":
            # an order's customer, seen in the visit its order event came from, links them
            for row in rows:
                customer = row[4] or row[11]
                if customer and row[10] is not None:
                    self.customer_days.setdefault(customer, set()).add((row[9], row[10]))
        out = []
        for oid, ts, amount, currency, cust, us, um, uc, sid, day, vid, ecust, pid in rows:
            value = self.rates.convert(Decimal(amount), currency, ts.date())
            path, via = self.path(ts, sid, day, vid, cust or ecust, pid)
            if not path and (us or um or uc):
                fields = {"utm_source": us, "utm_medium": um, "utm_campaign": uc}
                campaign, channel = label_visit(self.plan, fields, "(order UTM)")
                path, via = [Touch(ts, channel, campaign, us or "")], "order utm"
            out.append(Conversion(oid, ts, value, path, bool(path), via))
        return out

    def goal_completions(self, goal: Goal) -> list[Conversion]:
        """Each visit's first completion of a page or event goal, as one conversion."""
        rows = _run(self.db, first_completions(self.plan.site, goal, self.plan.currency,
                                               self.lo, self.hi, self.dialect))  # fmt: skip
        out = []
        for sid, ts, day, vid, value, cust, pid in rows:
            path, via = self.path(ts, sid, day, vid, cust, pid)
            out.append(Conversion(f"{goal.name} #{sid}", ts, Decimal(value or 0), path,
                                  bool(path), via))  # fmt: skip
        return out
