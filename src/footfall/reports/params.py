"""Bound parameters for report SQL: every value goes in as ``$pN``, never as text."""

from __future__ import annotations

from typing import Any


class Params:
    def __init__(self, initial: dict[str, Any]) -> None:
        self.values = dict(initial)

    def bind(self, value: Any) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f"${name}"
