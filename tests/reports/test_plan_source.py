"""The applied plan is read from the store and parsed once per stored text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from footfall.errors import QueryError
from footfall.reports.plan_source import site_plan, stored_plan

SHOP = (Path(__file__).parents[1] / "fixtures" / "plan_shop.toml").read_text()


class Store:
    dialect = "duckdb"

    def __init__(self, text: str | None) -> None:
        self.text = text

    def fetchone(self, sql: str, params: Any = None) -> tuple[Any, ...] | None:
        return ("plan.toml", self.text) if self.text is not None else None


def test_the_same_stored_text_is_parsed_once() -> None:
    store = Store(SHOP)
    first = site_plan(store, "shop")  # type: ignore[arg-type]
    assert site_plan(store, "shop") is first  # type: ignore[arg-type]
    store.text = SHOP + "\n# changed\n"
    assert site_plan(store, "shop") is not first  # type: ignore[arg-type]


def test_a_site_without_a_plan() -> None:
    assert stored_plan(Store(None), "shop") is None  # type: ignore[arg-type]
    with pytest.raises(QueryError, match="no measurement plan"):
        site_plan(Store(None), "shop")  # type: ignore[arg-type]
