"""Business data from CSV: campaign spend, orders, offline conversions, currency rates.

Each kind is declared as data (``KINDS``): its columns, which are required, and its
natural key.  ``read_csv`` turns a file into typed rows and a list of rejects, each
naming the file, the line and the field; a bad row never stops the others.  Amounts
are ``Decimal`` (a float never holds money); times without a zone are UTC.
Column names are matched case-insensitively, surrounding spaces ignored.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from footfall.errors import InputError

CURRENCY = re.compile(r"[A-Z]{3}")
MAX_TEXT = 500


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: str  # text | day | time | money | rate | currency
    required: bool = False
    doc: str = ""


@dataclass(frozen=True, slots=True)
class Kind:
    name: str
    table: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the natural key: a re-imported row with the same key replaces it
    doc: str
    one_of: tuple[str, ...] = ()  # at least one of these must be given


_UTM = (Column("utm_source", "text"), Column("utm_medium", "text"),
        Column("utm_campaign", "text"))  # fmt: skip

KINDS: tuple[Kind, ...] = (
    Kind("spend", "spend", (
        Column("date", "day", True, "the day the money was spent"),
        Column("campaign", "text", doc="a campaign name of the plan"),
        *_UTM,
        Column("channel", "text"),
        Column("cost", "money", True),
        Column("currency", "currency", True),
    ), ("date", "campaign", "utm_source", "utm_medium", "utm_campaign", "channel"),
        "Campaign cost per day, named by plan campaign or by UTM keys.",
        one_of=("campaign", "utm_source", "utm_medium", "utm_campaign", "channel")),
    Kind("orders", "orders", (
        Column("order_id", "text", True),
        Column("time", "time", True),
        Column("amount", "money", True),
        Column("currency", "currency", True),
        Column("customer_id", "text"),
        Column("coupon", "text"),
        *_UTM,
    ), ("order_id",), "Orders and their revenue; a tracker event with the same order_id "
        "property links an order to its visit."),
    Kind("conversions", "offline_conversions", (
        Column("conversion_id", "text", True),
        Column("time", "time", True),
        Column("kind", "text", True, "e.g. lead, the conversion of a plan goal"),
        Column("value", "money"),
        Column("currency", "currency"),
        Column("customer_id", "text"),
        *_UTM,
    ), ("conversion_id",), "Offline conversions such as CRM leads."),
    Kind("rates", "fx_rates", (
        Column("date", "day", True, "first day the rate applies"),
        Column("from", "currency", True),
        Column("to", "currency", True),
        Column("rate", "rate", True, "1 unit of `from` is worth `rate` units of `to`"),
    ), ("date", "from", "to"), "Currency conversion rates."),
)  # fmt: skip

KINDS_BY_NAME = {k.name: k for k in KINDS}


@dataclass(frozen=True, slots=True)
class Reject:
    line: int
    field: str
    reason: str

    def message(self, path: str) -> str:
        return f"{path}:{self.line}: field {self.field}: {self.reason}"


@dataclass(slots=True)
class CsvRows:
    kind: Kind
    rows: list[dict[str, Any]]
    rejects: list[Reject]
    duplicates: int  # rows whose key came again later in the file (the last one wins)


def read_csv(path: Path, kind_name: str) -> CsvRows:
    kind = KINDS_BY_NAME.get(kind_name)
    if kind is None:
        raise InputError(
            str(path), f"unknown kind {kind_name!r}; kinds: {', '.join(KINDS_BY_NAME)}"
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise InputError(str(path), f"cannot read: {err.strerror}") from err
    except UnicodeDecodeError as err:
        raise InputError(str(path), "not UTF-8 text") from err
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None:
        raise InputError(str(path), "the file is empty; the first line names the columns", 1)
    names = [h.strip().lower() for h in header]
    known = {c.name for c in kind.columns}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise InputError(str(path), f"unknown columns {', '.join(unknown)}; {kind.name} columns: "
                         f"{', '.join(c.name for c in kind.columns)}", 1)  # fmt: skip
    missing = [c.name for c in kind.columns if c.required and c.name not in names]
    if missing:
        raise InputError(str(path), f"missing columns: {', '.join(missing)}", 1)
    by_key: dict[tuple[Any, ...], dict[str, Any]] = {}
    rejects: list[Reject] = []
    duplicates = 0
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        row, reject = _row(kind, names, values, number)
        if reject is not None:
            rejects.append(reject)
            continue
        key = tuple(row[k] for k in kind.key)
        duplicates += key in by_key
        by_key[key] = row
    return CsvRows(kind, list(by_key.values()), rejects, duplicates)


def _row(
    kind: Kind, names: list[str], values: list[str], line: int
) -> tuple[dict[str, Any], Reject | None]:
    if len(values) != len(names):
        return {}, Reject(line, "(row)", f"{len(values)} values for {len(names)} columns")
    raw = {n: v.strip() for n, v in zip(names, values, strict=True)}
    row: dict[str, Any] = {}
    for column in kind.columns:
        text = raw.get(column.name, "")
        if not text:
            if column.required:
                return {}, Reject(line, column.name, "is required")
            row[column.name] = "" if column.name in kind.key else None
            continue
        try:
            row[column.name] = PARSERS[column.kind](text)
        except ValueError as err:
            return {}, Reject(line, column.name, f"{text!r}: {err}")
    if kind.one_of and not any(row.get(n) for n in kind.one_of):
        return {}, Reject(line, "/".join(kind.one_of), "give at least one of these")
    if kind.name == "conversions" and (row["value"] is None) != (row["currency"] is None):
        return {}, Reject(line, "value", "value and currency go together")
    return row, None


def _text(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise ValueError(f"longer than {MAX_TEXT} characters")
    return text


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as err:
        raise ValueError("not a date (YYYY-MM-DD)") from err


def _time(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as err:
        raise ValueError("not a time (YYYY-MM-DD HH:MM[:SS], optionally with a zone)") from err
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def _decimal(text: str, positive: bool) -> Decimal:
    try:
        value = Decimal(text.replace(" ", ""))
    except InvalidOperation as err:
        raise ValueError("not a number (use . for decimals, no thousands separator)") from err
    if not value.is_finite() or abs(value) >= Decimal(10) ** 14:
        raise ValueError("out of range")
    if positive and value <= 0:
        raise ValueError("must be more than 0")
    if value < 0:
        raise ValueError("must not be negative")
    return value


def _currency(text: str) -> str:
    if not CURRENCY.fullmatch(text.upper()):
        raise ValueError("not a 3-letter ISO 4217 currency code")
    return text.upper()


PARSERS: dict[str, Callable[[str], Any]] = {
    "text": _text,
    "day": _day,
    "time": _time,
    "money": lambda t: _decimal(t, positive=False),
    "rate": lambda t: _decimal(t, positive=True),
    "currency": _currency,
}
