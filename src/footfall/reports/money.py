"""Money: decimals only, one reporting currency per plan, rounding stated once.

Amounts stay exact ``Decimal`` (or ``Fraction`` inside attribution) until shown;
shown amounts are rounded half-up to the cent.  Where amounts that are shown
must add up to a shown total (credits of an attribution model), the cents are
handed out by largest remainder, so the rows always sum to the total exactly.
A rate converts an amount on a day with the most recent rate on or before it.
"""

from __future__ import annotations

import bisect
from collections.abc import Hashable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TypeVar

from footfall.errors import QueryError
from footfall.reports.compiler import dialect_of
from footfall.reports.compiler.plans import rates_into
from footfall.store.backend import ReportBackend

CENT = Decimal("0.01")
K = TypeVar("K", bound=Hashable)


def cents(value: Decimal | Fraction | int) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def as_decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def allocate(total: Decimal, shares: Mapping[K, Fraction]) -> dict[K, Decimal]:
    """Split ``total`` (rounded to the cent) by exact ``shares`` (summing to 1), in cents
    that add up to it exactly: each gets its rounded-down cents, and the cents left go
    to the largest remainders (ties: the order of ``shares``)."""
    whole = int(cents(total) / CENT)
    exact = {k: Fraction(whole) * s for k, s in shares.items()}
    floors = {k: v.numerator // v.denominator for k, v in exact.items()}
    left = whole - sum(floors.values())
    for k in sorted(exact, key=lambda k: exact[k] - floors[k], reverse=True)[: max(left, 0)]:
        floors[k] += 1
    return {k: Decimal(v) * CENT for k, v in floors.items()}


class Rates:
    """Conversion into ``currency`` with the site's imported rates (``fx_rates``)."""

    def __init__(self, db: ReportBackend, site: str, currency: str) -> None:
        self.currency = currency
        self._by_currency: dict[str, tuple[list[date], list[Decimal]]] = {}
        statement = rates_into(site, currency, dialect_of(db))
        for source, day, rate in db.fetchall(statement.sql, statement.params):
            days, values = self._by_currency.setdefault(source, ([], []))
            days.append(day)
            values.append(Decimal(rate))

    def convert(self, amount: Decimal, currency: str, day: date) -> Decimal:
        if currency == self.currency:
            return amount
        days, values = self._by_currency.get(currency, ([], []))
        i = bisect.bisect_right(days, day) - 1
        if i < 0:
            raise QueryError(
                f"no rate from {currency} to {self.currency} on or before {day}: import one "
                "with `footfall load rates FILE` (columns date, from, to, rate)"
            )
        return amount * values[i]
