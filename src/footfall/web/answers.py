"""Answers as bytes, each refused (413) when larger than the query budget allows.

Serialising here rather than in the framework lets the size be checked before
anything is sent, for JSON, CSV and Parquet alike.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from fastapi.responses import Response

from footfall.reports.budget import QueryBudget, check_answer_size


def answer(out: dict[str, Any], fmt: str, budget: QueryBudget, name: str = "footfall") -> Response:
    """``out`` (a report's plain data) as JSON, or its rows as CSV or Parquet."""
    if fmt == "csv":
        return _file(_csv(out).encode(), "text/csv", f"{name}.csv", budget)
    if fmt == "parquet":
        return _file(_parquet(out), "application/vnd.apache.parquet", f"{name}.parquet", budget)
    return json_answer(out, budget)


def json_answer(out: Any, budget: QueryBudget) -> Response:
    body = json.dumps(out, ensure_ascii=False, allow_nan=False, separators=(",", ":"),
                      default=str).encode()  # fmt: skip
    check_answer_size(body, budget)
    return Response(body, media_type="application/json")


def csv_answer(text: str, name: str, budget: QueryBudget) -> Response:
    return _file(text.encode(), "text/csv", f"{name}.csv", budget)


def _file(body: bytes, media_type: str, filename: str, budget: QueryBudget) -> Response:
    check_answer_size(body, budget)
    return Response(body, media_type=media_type,
                    headers={"content-disposition": f"attachment; filename={filename}"})  # fmt: skip


def _columns(out: dict[str, Any]) -> list[str]:
    rows = out["rows"]
    return list(rows[0]) if rows else [*out["dimensions"], *out["metrics"]]


def _csv(out: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_columns(out), lineterminator="\n")
    writer.writeheader()
    writer.writerows(out["rows"])
    return buffer.getvalue()


def _parquet(out: dict[str, Any]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = _columns(out)
    table = pa.table({c: [row.get(c) for row in out["rows"]] for c in columns})
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()
