"""Answers as bytes, each refused (413) when larger than the query budget allows.

Serialising here rather than in the framework lets the size be checked before
anything is sent, for JSON, CSV and Parquet alike; the bytes themselves come
from the one exporter (``present/export.py``) that the CLI uses too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi.responses import Response

from footfall.present.export import MEDIA_TYPES, export, json_bytes, result_columns
from footfall.reports.budget import QueryBudget, check_answer_size


def answer(out: dict[str, Any], fmt: str, budget: QueryBudget, name: str = "footfall") -> Response:
    """``out`` (a query result's plain data) as JSON, or its rows as CSV or Parquet."""
    if fmt == "json":
        return json_answer(out, budget)
    return table_answer(out["rows"], result_columns(out), fmt, name, budget)


def table_answer(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str, name: str,
                 budget: QueryBudget) -> Response:  # fmt: skip
    """One table as a CSV, JSON or Parquet download."""
    return _file(export(rows, columns, fmt), MEDIA_TYPES[fmt], f"{name}.{fmt}", budget)


def json_answer(out: Any, budget: QueryBudget) -> Response:
    body = json_bytes(out)
    check_answer_size(body, budget)
    return Response(body, media_type="application/json")


def _file(body: bytes, media_type: str, filename: str, budget: QueryBudget) -> Response:
    check_answer_size(body, budget)
    return Response(body, media_type=media_type,
                    headers={"content-disposition": f"attachment; filename={filename}"})  # fmt: skip
