"""What a measurement plan holds, as frozen records; ``parse.py`` builds them from TOML.

Every entry keeps the line it was written on, so ``footfall plan check`` can point
at it.  Money is ``Decimal``: a plan's values and budgets are never floats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

IDENTITIES = ("strict", "customer", "persistent")
FUNNEL_MODES = ("closed", "open")
DIRECTIONS = ("at_least", "at_most")
PACINGS = ("linear", "last_period")


@dataclass(frozen=True, slots=True)
class Goal:
    """One thing a visit can achieve.  Exactly one of page, event, order, conversion."""

    name: str
    line: int
    page: str | None = None  # a path pattern: * matches anything, e.g. /thanks*
    event: str | None = None  # a tracker event name
    props: tuple[tuple[str, str], ...] = ()  # event property conditions (all must hold)
    orders: bool = False  # imported orders (value: the order amount)
    conversion: str | None = None  # imported offline conversions of this kind
    value: Decimal | None = None  # fixed value per completion, in the plan's currency
    dynamic_value: bool = False  # value = the event's revenue (or the order's amount)
    why: str = ""

    @property
    def kind(self) -> str:
        if self.page is not None:
            return "page"
        if self.event is not None:
            return "event"
        return "order" if self.orders else "conversion"

    @property
    def on_hits(self) -> bool:
        """Found in the stored hits (pages, tracker events), not in imported business data."""
        return self.kind in ("page", "event")


@dataclass(frozen=True, slots=True)
class FunnelStep:
    label: str  # as written: a goal name or a page pattern
    goal: str | None  # the goal it names, or None for a page pattern
    page: str | None


@dataclass(frozen=True, slots=True)
class Funnel:
    name: str
    line: int
    steps: tuple[FunnelStep, ...]
    window_minutes: int  # from entering the funnel to its last step
    mode: str = "closed"  # closed: enter at the first step only; open: at any step
    why: str = ""


@dataclass(frozen=True, slots=True)
class Kpi:
    name: str
    line: int
    metric: str  # a query-API metric
    target: Decimal
    start: date
    deadline: date
    goal: str | None = None  # for goal metrics (conversions, completions, goal_value...)
    filters: tuple[str, ...] = ()  # filter text, as --filter takes it
    direction: str = "at_least"
    pacing: str = "linear"
    owner: str = ""
    why: str = ""


@dataclass(frozen=True, slots=True)
class Campaign:
    """A campaign as Marketing runs it: which visits are its visits, what it may spend."""

    name: str
    line: int
    match: tuple[tuple[str, str], ...]  # (utm_source|utm_medium|utm_campaign|source, pattern)
    budget: Decimal | None = None
    channel: str | None = None  # visits of this campaign count in this channel
    owner: str = ""
    why: str = ""


@dataclass(frozen=True, slots=True)
class ChannelRule:
    """Visits matching every condition go to ``channel``, before the built-in rules."""

    channel: str
    line: int
    match: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Plan:
    path: str
    site: str
    currency: str = "EUR"
    identity: str = "strict"
    lookback_days: int = 30
    half_life_days: Decimal = Decimal(7)
    conversion_goal: str | None = None  # what economics and attribution count; None: orders
    goals: tuple[Goal, ...] = ()
    funnels: tuple[Funnel, ...] = ()
    kpis: tuple[Kpi, ...] = ()
    campaigns: tuple[Campaign, ...] = ()
    channel_rules: tuple[ChannelRule, ...] = ()
    text: str = field(default="", repr=False)  # the file as written

    def goal(self, name: str) -> Goal | None:
        return next((g for g in self.goals if g.name == name), None)

    def campaign(self, name: str) -> Campaign | None:
        return next((c for c in self.campaigns if c.name == name), None)


#: What a campaign or channel rule may match on: session columns.
MATCH_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "source", "referrer")
