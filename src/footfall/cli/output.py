"""Print report results as a Rich table, JSON or CSV; format numbers for people."""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console
from rich.table import Table

from footfall.present.export import export, json_bytes, main_table, result_columns
from footfall.vocabulary.formatting import human_number
from footfall.vocabulary.metrics import METRICS_BY_NAME

FORMATS = ("table", "json", "csv")
#: Under the overview: everyone compares visitors with another tool's "unique visitors".
VISITORS_NOTE = (
    "Visitors: distinct daily visitor ids with a pageview, bots left out (GoAccess counts "
    "every request); see `footfall docs metrics`"
)


def change_text(change: Any) -> str:
    if change is None:
        return "new"
    arrow = "▲" if change > 0 else "▼" if change < 0 else "="
    colour = "green" if change > 0 else "red" if change < 0 else "dim"
    return f"[{colour}]{arrow} {human_number(abs(change), 'percent')}[/{colour}]"


def print_result(result: dict[str, Any], fmt: str, console: Console) -> None:
    """A query or traffic-report result: JSON and CSV through the one exporter."""
    if fmt == "json":
        _write(json_bytes(result, indent=2))
    elif fmt == "csv":
        _write(export(result["rows"], result_columns(result), "csv"))
    elif result.get("report") == "overview":
        _overview_table(result, console)
    else:
        _rows_table(result, console)


def print_report(result: dict[str, Any], fmt: str, console: Console) -> None:
    """Any report of the catalogue: JSON (all of it), CSV (its main table) or tables."""
    if fmt == "json":
        _write(json_bytes(result, indent=2))
    elif fmt == "csv":
        rows, columns = main_table(result)
        _write(export(rows, columns, "csv"))
    elif "dimensions" in result:
        print_result(result, fmt, console)
    else:
        from footfall.cli.plan_commands import print_plan_report

        print_plan_report(result, fmt)


def _write(body: bytes) -> None:
    sys.stdout.write(body.decode() + ("" if body.endswith(b"\n") else "\n"))


def _title(result: dict[str, Any]) -> str:
    period = result["period"]
    bots = " · bots included" if result.get("include_bots") else ""
    return f"{result.get('report', 'query')} · {result['site']} · {period['from']} → {period['to']}{bots}"


def _overview_table(result: dict[str, Any], console: Console) -> None:
    table = Table(title=_title(result), title_justify="left")
    table.add_column("Metric")
    table.add_column("Value", justify="right")
    compare = "change" in result
    if compare:
        table.add_column("Previous", justify="right")
        table.add_column("Change", justify="right")
    for name in result["metrics"]:
        metric = METRICS_BY_NAME[name]
        cells = [metric.label, human_number(result[name], metric.unit)]
        if compare:
            cells += [human_number(result["previous"][name], metric.unit),
                      change_text(result["change"][name])]  # fmt: skip
        table.add_row(*cells)
    console.print(table)
    if "visitors" in result["metrics"]:
        console.print(VISITORS_NOTE, style="dim", highlight=False, markup=False)
    codes = Table(title="Requests by status", title_justify="left")
    codes.add_column("Status")
    codes.add_column("Requests", justify="right")
    for code, count in sorted(result["status"].items()):
        codes.add_row(code, human_number(count, "count"))
    console.print(codes)


def _rows_table(result: dict[str, Any], console: Console) -> None:
    table = Table(title=_title(result), title_justify="left")
    compare = "comparison" in result
    for dim in result["dimensions"]:
        table.add_column(dim.split(":", 1)[1].replace("_", " ").capitalize(), overflow="fold")
    for name in result["metrics"]:
        table.add_column(METRICS_BY_NAME[name].label, justify="right")
        if compare:
            table.add_column("Δ", justify="right")
    for row in result["rows"]:
        cells = ["(none)" if row[d] is None else str(row[d]) for d in result["dimensions"]]
        for name in result["metrics"]:
            cells.append(human_number(row[name], METRICS_BY_NAME[name].unit))
            if compare:
                cells.append(change_text(row.get(f"{name}_change")))
        table.add_row(*cells)
    console.print(table)
    shown = len(result["rows"])
    if result["total_rows"] > shown:
        console.print(f"[dim]{shown} of {result['total_rows']} rows; use --limit for more[/dim]")
