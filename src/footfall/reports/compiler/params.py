"""Bound parameters and compiled statements: every value goes in bound, never as text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from footfall.reports.compiler.dialect import Dialect


class Params:
    """The values of one statement; ``bind`` adds one, ``ref`` names one already there."""

    def __init__(self, initial: dict[str, Any], dialect: Dialect) -> None:
        self.values = dict(initial)
        self.dialect = dialect

    def ref(self, name: str) -> str:
        assert name in self.values, name
        return self.dialect.param.format(name=name)

    def bind(self, value: Any) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return self.dialect.param.format(name=name)


@dataclass(frozen=True, slots=True)
class Statement:
    """One SQL statement and its bound values, for ``ReportBackend.fetchall``."""

    sql: str
    params: dict[str, Any]
