"""Rows to bytes, for every face: CSV, JSON and Parquet exports of one table.

The API (``web/answers.py``, which adds the answer-size limit), the CLI
(``--format csv|json``) and the plan reports' CSV export all write through here,
so a report exported anywhere has the same columns in the same order.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from footfall.reports.catalog import report_named, report_tables

EXPORT_FORMATS = ("csv", "json", "parquet")
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json",
               "parquet": "application/vnd.apache.parquet"}  # fmt: skip


def export(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> bytes:
    """``rows`` (dicts; missing keys are empty) with these ``columns``, as ``fmt`` bytes."""
    if fmt == "csv":
        return csv_text(rows, columns).encode()
    if fmt == "json":
        return json_bytes([{c: row.get(c) for c in columns} for row in rows])
    if fmt == "parquet":
        return _parquet(rows, columns)
    raise ValueError(f"export format must be one of {', '.join(EXPORT_FORMATS)}")


def csv_text(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n",
                            extrasaction="ignore")  # fmt: skip
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def json_bytes(value: Any, indent: int | None = None) -> bytes:
    """Any plain data as JSON (dates, decimals as text; NaN refused)."""
    separators = (",", ":") if indent is None else (",", ": ")
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=separators,
                      indent=indent, default=str).encode()  # fmt: skip


def result_columns(out: dict[str, Any]) -> list[str]:
    """The columns of a query result (``run_query(...).as_dict()``): its dimensions first,
    then what its rows hold (metrics, and with a comparison their previous and change)."""
    rows = out.get("rows") or []
    dims = list(out.get("dimensions", []))
    if not rows:
        return [*dims, *out.get("metrics", [])]
    return [*dims, *(k for k in rows[0] if k not in dims)]


def flat_columns(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The plain (not nested) columns of a table of rows, in the first row's order."""
    return [k for k, v in (rows[0] if rows else {}).items() if not isinstance(v, dict | list)]


def main_table(result: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """A report result's main table, as exported: its rows and plain columns (nested values
    left out; no rows: the columns its catalogue record declares)."""
    tables = report_tables(result)
    rows = tables[0][1] if tables else []
    if not rows:
        return [], [c.name for c in report_named(result["report"]).tables[0].columns]
    if "dimensions" in result:
        return rows, result_columns({**result, "rows": rows})
    return rows, flat_columns(rows)


def _parquet(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({c: [row.get(c) for row in rows] for c in columns})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()
