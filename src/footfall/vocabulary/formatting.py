"""Numbers for people: one definition for the terminal, the HTML report and the dashboard.

``FORMATS`` holds the rules per unit as data; ``human_number`` applies them in
Python and ``formats_meta()`` serves the same data in ``/api/v1/meta`` so that
``dashboard.js`` applies them in one function, to the same strings.

The rules, and why:

- **count**: whole number with thousands separators (``12,345``) below one
  million, then compact with one decimal and no trailing zero (``1.5M``,
  ``2M``, ``3.1B``).  A marketer compares neighbouring rows and last month's
  figure: below a million the exact number is still short and reads at a
  glance, and it is the number the CSV export holds; above, the last digits
  are noise and ``1.5M`` is read faster than ``1,500,000``.
- **percent**: one decimal and ``%`` (``33.3%``): the change arrows and
  rates have no meaningful second decimal for a reader.
- **seconds**: the two largest parts, rounded to whole seconds
  (``1h 1m``, ``1m 40s``, ``40s``), as a person says a duration.
- **bytes**: decimal units, ``B`` then ``kB``/``MB``/``GB``/``TB`` with one
  decimal (``1.5 kB``, ``1.5 GB``): what browsers, disks and most dashboards
  show, so the numbers match what people see elsewhere.
- **ms**: one decimal with thousands separators and `` ms``.
- **ratio**: two decimals (``2.35`` views per visit).
- **money**: two decimals with thousands separators (``1,234.50``); the
  currency is shown by whoever knows it.
- ``None``: an en dash.

Rounding is half away from zero on the exact binary value of the number, which
is what JavaScript's ``Number.prototype.toFixed`` does: Python and the browser
give the same digits (no locale, no ``Intl`` defaults).  A result that rounds
to zero carries no minus sign.
"""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

NONE_TEXT = "–"

FORMATS: dict[str, Any] = {
    "none": NONE_TEXT,
    "thousands": ",",
    "decimal": ".",
    "rounding": "half away from zero, on the exact binary value (JavaScript toFixed)",
    "units": {
        "count": {"kind": "number", "decimals": 0, "suffix": "",
                  "compact": {"from": 1_000_000, "decimals": 1,
                              "steps": [[1_000_000, "M"], [1_000_000_000, "B"],
                                        [1_000_000_000_000, "T"]]}},
        "percent": {"kind": "number", "decimals": 1, "suffix": "%"},
        "ratio": {"kind": "number", "decimals": 2, "suffix": ""},
        "money": {"kind": "number", "decimals": 2, "suffix": ""},
        "ms": {"kind": "number", "decimals": 1, "suffix": " ms"},
        "bytes": {"kind": "scaled", "base": 1000, "units": ["B", "kB", "MB", "GB", "TB"],
                  "decimals": 1, "first_decimals": 0, "separator": " "},
        "seconds": {"kind": "duration", "parts": [[3600, "h"], [60, "m"], [1, "s"]], "show": 2},
    },
    "fallback": {"whole": "count", "fraction": "ratio"},
}  # fmt: skip


def formats_meta() -> dict[str, Any]:
    """The number-format rules as data, served in ``/api/v1/meta`` under ``formats``."""
    return copy.deepcopy(FORMATS)


def human_number(value: Any, unit: str) -> str:
    """``value`` (a number, or None) as people read it, by the rules of its ``unit``."""
    if value is None:
        return NONE_TEXT
    number = float(value)
    rules = FORMATS["units"].get(unit)
    if rules is None:
        fallback = FORMATS["fallback"]
        rules = FORMATS["units"][fallback["whole" if number.is_integer() else "fraction"]]
    if rules["kind"] == "duration":
        return _duration(number, rules)
    if rules["kind"] == "scaled":
        return _scaled(number, rules)
    compact = rules.get("compact")
    if compact and abs(number) >= compact["from"]:
        return _compact(number, compact) + rules["suffix"]
    return fixed(number, rules["decimals"]) + rules["suffix"]


def _round(number: float, decimals: int) -> Decimal:
    """Half away from zero, on the exact binary value: JavaScript's ``toFixed``."""
    with localcontext() as ctx:
        ctx.prec = 80
        return Decimal(number).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def fixed(number: float, decimals: int, trim: bool = False) -> str:
    """``number`` with ``decimals`` digits after the point and thousands separators;
    ``trim`` drops trailing zeros of the fraction (and the point)."""
    rounded = _round(number, decimals)
    whole, _, part = f"{abs(rounded):f}".partition(".")
    if trim:
        part = part.rstrip("0")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    text = FORMATS["thousands"].join([whole, *groups])
    if part:
        text += FORMATS["decimal"] + part
    return f"-{text}" if rounded < 0 else text


def _compact(number: float, rules: dict[str, Any]) -> str:
    steps = rules["steps"]
    index = max(i for i, (size, _) in enumerate(steps) if abs(number) >= size)
    if abs(_round(number / steps[index][0], rules["decimals"])) >= 1000 and index + 1 < len(steps):
        index += 1
    return fixed(number / steps[index][0], rules["decimals"], trim=True) + steps[index][1]


def _scaled(number: float, rules: dict[str, Any]) -> str:
    units, base = rules["units"], rules["base"]
    index = 0
    while abs(number) >= base and index < len(units) - 1:
        number /= base
        index += 1
    decimals = rules["decimals"] if index else rules["first_decimals"]
    if abs(_round(number, decimals)) >= base and index < len(units) - 1:
        number /= base
        index += 1
        decimals = rules["decimals"]
    return f"{fixed(number, decimals)}{rules['separator']}{units[index]}"


def _duration(number: float, rules: dict[str, Any]) -> str:
    total = int(_round(abs(number), 0))
    sign = "-" if number < 0 and total else ""
    parts = rules["parts"]
    first = next((i for i, (size, _) in enumerate(parts) if total >= size), len(parts) - 1)
    shown = []
    for size, suffix in parts[first : first + rules["show"]]:
        shown.append(f"{total // size}{suffix}")
        total %= size
    return sign + " ".join(shown)
