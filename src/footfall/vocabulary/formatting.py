"""Numbers for people: the same formatting in the terminal, the HTML report and docs."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def human_number(value: Any, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "bytes":
        size = float(value)
        for suffix in ("B", "KiB", "MiB", "GiB", "TiB"):
            if size < 1024 or suffix == "TiB":
                return f"{size:,.0f} {suffix}" if suffix == "B" else f"{size:,.1f} {suffix}"
            size /= 1024
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "seconds":
        minutes, seconds = divmod(round(value), 60)
        return f"{minutes}m {seconds:02d}s" if minutes else f"{seconds}s"
    if unit == "money":
        return f"{Decimal(value):,.2f}"
    if unit == "ms":
        return f"{value:,.1f} ms"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}"


def formats_meta() -> dict[str, Any]:
    """The number-format rules as data, served in ``/api/v1/meta`` under ``formats``."""
    return {}  # filled in by the one-format work (issue 13)
