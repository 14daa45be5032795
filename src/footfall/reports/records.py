"""The record types of the report catalogue, shared by every family's module.

A ``Report`` says what a report is (name, family, doc), what it takes (its
``Option``s besides the generic fields of every ``ReportRequest``), how it runs
(``run(backend, request, context)``), the tables it returns (columns with label and
unit) and how to show it (chart kind, fixed filters as filter texts).  Each family
(traffic and plan in ``catalog.py``, the others in their own modules) builds its
records from these; ``catalog.py`` gathers them into the one catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from footfall.plan.model import Plan
from footfall.reports.budget import QueryBudget
from footfall.reports.request import Option, ReportRequest
from footfall.store.backend import ReportBackend


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    label: str
    unit: str = "text"  # a metric unit (count, percent, seconds, bytes, money...) or text

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "label": self.label, "unit": self.unit}


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    columns: tuple[Column, ...]


@dataclass(frozen=True, slots=True)
class RunContext:
    """What a run needs besides the request: limits, and a plan file instead of the stored one."""

    budget: QueryBudget | None = None
    plan: Plan | None = None
    today: date | None = None
    source: str = "auto"  # "raw": no daily rollup answers (tests, the benchmark)
    explain: bool = False  # add "explain": which source answered, and the SQL


Run = Callable[[ReportBackend, ReportRequest, RunContext], dict[str, Any]]
Split = Callable[[dict[str, Any]], list[tuple[str, list[dict[str, Any]]]]]


@dataclass(frozen=True, slots=True)
class Report:
    name: str
    family: str  # traffic | plan
    doc: str
    run: Run
    tables: tuple[Table, ...]
    split: Split  # a result as (title, rows) tables, in the order of ``tables``
    options: tuple[Option, ...] = ()
    dimensions: tuple[str, ...] = ()  # traffic: the Query's; a time: one follows the interval
    metrics: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()  # fixed filters, as filter texts (DIM=VALUE, DIM!=VALUE...)
    chart: str = "bars"
    bots: bool = False  # counts bots whatever the request says

    def as_dict(self) -> dict[str, Any]:
        """The record as ``/api/v1/meta`` serves it."""
        return {"name": self.name, "family": self.family, "doc": self.doc,
                "dimensions": list(self.dimensions), "metrics": list(self.metrics),
                "filters": list(self.filters), "options": [o.as_dict() for o in self.options],
                "columns": [c.as_dict() for c in self.tables[0].columns], "chart": self.chart,
                "bots": self.bots}  # fmt: skip


def explain_of(statements: list[dict[str, str]]) -> dict[str, Any]:
    """``{"source", "sql", "statements"}``: the sources (``rollup: <cubes>`` or
    ``raw: <why>``) and the SQL of every statement a report ran, in order."""
    sources = list(dict.fromkeys(s["source"] for s in statements))
    return {"source": "; ".join(sources), "sql": ";\n".join(s["sql"] for s in statements),
            "statements": statements}  # fmt: skip


def rows_table(result: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    return [(result["report"], result["rows"])]


def only_columns(rows: list[dict[str, Any]], keep: tuple[Column, ...]) -> list[dict[str, Any]]:
    return [{c.name: r.get(c.name) for c in keep} for r in rows]
