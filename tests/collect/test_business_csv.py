"""Business CSV files: every bad row is reported with its line and field, good rows load."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from footfall.collect.business_csv import read_csv
from footfall.errors import InputError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "data.csv"
    path.write_text(text)
    return path


def test_orders_rejects_name_line_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, "order_id,time,amount,currency\n"
                 "A1,2026-03-10 10:00,19.90,eur\n"
                 "A2,yesterday,10,EUR\n"
                 "A3,2026-03-10 10:00,1.000,00,EUR\n"
                 "A4,2026-03-10 10:00,-5,EUR\n"
                 ",2026-03-10 10:00,5,EUR\n"
                 "A6,2026-03-10T10:00:00+02:00,5,EURO\n"
                 "A1,2026-03-10 11:00,21.00,EUR\n")  # fmt: skip
    parsed = read_csv(path, "orders")
    assert [(r.line, r.field) for r in parsed.rejects] == [
        (3, "time"), (4, "(row)"), (5, "amount"), (6, "order_id"), (7, "currency")]  # fmt: skip
    assert "not a time" in parsed.rejects[0].reason
    assert parsed.rejects[0].message(str(path)).startswith(f"{path}:3: field time:")
    assert parsed.duplicates == 1  # A1 twice: the last row wins
    assert [(r["order_id"], r["amount"], r["currency"]) for r in parsed.rows] == [
        ("A1", Decimal("21.00"), "EUR")]  # fmt: skip


def test_spend_needs_a_campaign_or_utm_key(tmp_path: Path) -> None:
    path = write(tmp_path, "date,cost,currency\n2026-03-10,10,EUR\n")
    parsed = read_csv(path, "spend")
    assert [(r.line, r.reason) for r in parsed.rejects] == [(2, "give at least one of these")]


@pytest.mark.parametrize(("text", "words"), [
    ("", "empty"),
    ("order_id,when,amount,currency\n", "unknown columns when"),
    ("order_id,amount\n", "missing columns: time, currency"),
])  # fmt: skip
def test_bad_headers_stop_the_file(tmp_path: Path, text: str, words: str) -> None:
    with pytest.raises(InputError, match=words):
        read_csv(write(tmp_path, text), "orders")
