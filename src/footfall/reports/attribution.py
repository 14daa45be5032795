"""Attribution models: how a conversion's value is shared among the visits that led to it.

Pure functions over a path of touches (oldest first); each returns one weight per
touch, summing to exactly 1 (as ``Fraction``s, so no credit is lost to rounding).
A path is the visits of the conversion's journey (its identity: docs/plan.md) that
started within the lookback window before the conversion, the converting visit
included.  Where a path has no touch (the conversion's journey is unknown) the
report credits "(unknown path)", so every model's credits add up to the total.

- first_touch: everything to the first visit.
- last_touch: everything to the last visit, Direct included.
- last_non_direct: everything to the last visit that was not Direct; a path of
  Direct visits only goes to its last (Direct) visit.  (Google Analytics' default
  for years, and what campaign economics use unless told otherwise.)
- linear: equal shares.
- position_based: 40 % first, 40 % last, 20 % shared by the ones between; a path of
  two is 50/50, of one 100 %.
- time_decay: a visit's weight halves every ``half_life`` days before the conversion.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

DIRECT = "Direct"


@dataclass(frozen=True, slots=True)
class Touch:
    at: datetime  # when the visit started
    channel: str
    campaign: str  # plan campaign, else the UTM campaign, else "(none)"
    source: str


def first_touch(path: list[Touch], at: datetime, half_life_days: Decimal) -> list[Fraction]:
    return [Fraction(1 if i == 0 else 0) for i in range(len(path))]


def last_touch(path: list[Touch], at: datetime, half_life_days: Decimal) -> list[Fraction]:
    return [Fraction(1 if i == len(path) - 1 else 0) for i in range(len(path))]


def last_non_direct(path: list[Touch], at: datetime, half_life_days: Decimal) -> list[Fraction]:
    chosen = max((i for i, t in enumerate(path) if t.channel != DIRECT), default=len(path) - 1)
    return [Fraction(1 if i == chosen else 0) for i in range(len(path))]


def linear(path: list[Touch], at: datetime, half_life_days: Decimal) -> list[Fraction]:
    return [Fraction(1, len(path))] * len(path)


def position_based(path: list[Touch], at: datetime, half_life_days: Decimal) -> list[Fraction]:
    n = len(path)
    if n <= 2:
        return [Fraction(1, n)] * n
    middle = Fraction(1, 5) / (n - 2)
    return [Fraction(2, 5), *([middle] * (n - 2)), Fraction(2, 5)]


def time_decay(path: list[Touch], at: datetime, half_life_days: Decimal) -> list[Fraction]:
    # 2 ** (-age / half_life), with the age in seconds; exact enough as a Fraction of floats
    # normalised to sum to one (the weights only need to be in the right proportion)
    half_life = float(half_life_days) * 86400
    raw = [Fraction(2 ** (-(at - t.at).total_seconds() / half_life)) for t in path]
    total = sum(raw)
    return [w / total for w in raw]


Model = Callable[[list[Touch], datetime, Decimal], list[Fraction]]

MODELS: tuple[tuple[str, Model, str], ...] = (
    ("first_touch", first_touch, "All credit to the first visit of the path."),
    ("last_touch", last_touch, "All credit to the last visit, Direct included."),
    ("last_non_direct", last_non_direct, "All credit to the last visit that was not Direct."),
    ("linear", linear, "Equal credit to every visit of the path."),
    ("position_based", position_based, "40 % first, 40 % last, 20 % shared by the others."),
    ("time_decay", time_decay, "Credit halves every half-life before the conversion."),
)
MODELS_BY_NAME = {name: model for name, model, _ in MODELS}
