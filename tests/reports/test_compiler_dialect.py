"""The compiler writes every engine-specific spelling through its dialect.

A fake second dialect (each entry marked with a comment) must change the emitted
SQL in every place an entry is used, and every entry must be used somewhere;
every metric and dimension of the registries must have its SQL in the compiler.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from footfall.plan.model import Goal
from footfall.reports.compiler import (
    DIALECTS,
    DUCKDB,
    Dialect,
    checks,
    compile_query,
    dialect_of,
    plans,
    sites,
)
from footfall.reports.compiler.columns import DIMENSION_SQL, METRIC_SQL
from footfall.vocabulary.dimensions import DIMENSIONS
from footfall.vocabulary.metrics import METRICS
from footfall.vocabulary.periods import DateRange
from footfall.vocabulary.query import Filter, Query

LO, HI = datetime(2024, 3, 1), datetime(2024, 3, 8)
PERIOD = DateRange(date(2024, 3, 1), date(2024, 3, 7))


def marked() -> Dialect:
    """DuckDB with each entry prefixed by a comment naming it (still valid DuckDB SQL)."""
    marks = {name: f"/*{name}*/" + getattr(DUCKDB, name) for name in DUCKDB.entries()}
    marks["json_key"] = DUCKDB.json_key  # a bound value, not SQL text: checked below
    return replace(DUCKDB, name="marked", **marks)


def everything(d: Dialect) -> str:
    """The SQL (and bound values) of statements that together use every dialect entry."""
    out = []
    q = Query(site="s", period=PERIOD, metrics=("visitors", "bots", "revenue", "response_ms_p95"),
              dimensions=("time:day", "event:status"),
              filters=(Filter("event:page", "is", ("/a",)), Filter("visit:browser", "contains", ("f",)),
                       Filter("event:host", "matches", ("^w",))))  # fmt: skip
    out.append(compile_query(q, (LO, HI), "Europe/Paris", dialect=d).sql)
    joined = Query(site="s", period=PERIOD, metrics=("pageviews", "visits"),
                   dimensions=("visit:source",))  # fmt: skip
    out.append(compile_query(joined, (LO, HI), dialect=d).sql)
    paid = Goal("paid", 1, event="purchase", props=(("plan", "pro"),), dynamic_value=True)
    valued = Query(site="s", period=PERIOD, metrics=("goal_value",), goal="paid")
    out.append(compile_query(valued, (LO, HI), goal=paid, currency="EUR", dialect=d).sql)
    out.append(plans.funnel_step_hits("s", [Goal("t", 1, page="/thanks*"), paid], LO, HI, d).sql)
    out.append(plans.session_labels("s", "visit:channel", [1, 2], d).sql)
    statement = plans.orders_with_events("s", LO, HI, d)
    out += [statement.sql, *map(str, statement.params.values())]
    return "\n".join(out)


def test_every_dialect_entry_is_used_and_a_second_dialect_changes_the_sql() -> None:
    fake = marked()
    sql = everything(fake)
    unused = [e for e in DUCKDB.entries() if e != "json_key" and f"/*{e}*/" not in sql]
    assert not unused, f"dialect entries no compiler module writes through: {unused}"
    assert '$."order_id"' in sql  # json_key spells the paths bound as values
    plain = everything(DUCKDB)
    assert "/*" not in plain and plain != sql


def test_a_fake_dialect_changes_every_plan_statement() -> None:
    fake = replace(DUCKDB, name="fake", param="{{{name}:Auto}}")
    goal = Goal("t", 1, page="/thanks*")
    statements = [
        plans.imported_goal_rows("s", Goal("o", 1, orders=True), LO, HI, fake),
        plans.journey_visits("s", LO, HI, fake),
        plans.property_visitor_days("s", "customer_id", LO, HI, fake),
        plans.property_sessions("s", "$pid", LO, HI, fake),
        plans.first_completions("s", goal, "EUR", LO, HI, fake),
        plans.spend_rows("s", date(2024, 3, 1), date(2024, 3, 7), fake),
        plans.rates_into("s", "EUR", fake),
        checks.goal_hits("s", goal, fake),
        checks.any_row("s", "orders", fake),
        checks.campaign_visit_keys("s", fake),
        checks.spend_keys("s", fake),
        checks.currencies_without_rate("s", "EUR", fake),
        sites.site_timezone("s", fake),
        sites.hits_range("s", fake),
    ]
    for statement in statements:
        assert "{site:Auto}" in statement.sql and "$site" not in statement.sql, statement.sql
        assert statement.params["site"] == "s"


def test_goal_values_are_bound_never_pasted() -> None:
    goal = Goal("x", 1, event="it's", props=(("k", "v'; DROP"),), value=Decimal("2.5"))
    statement = plans.first_completions("s", goal, "EUR", LO, HI, DUCKDB)
    assert "it's" not in statement.sql and "DROP" not in statement.sql
    assert "it's" in statement.params.values()


def test_every_metric_and_dimension_has_its_sql() -> None:
    assert {m.name for m in METRICS} == set(METRIC_SQL)
    assert {d.name for d in DIMENSIONS} == set(DIMENSION_SQL)
    for m in METRICS:
        assert METRIC_SQL[m.name](DUCKDB)
        if m.table == "derived":
            assert all(f"{{{n}}}" in METRIC_SQL[m.name](DUCKDB) for n in m.needs)
    for name, (on_hits, on_sessions) in DIMENSION_SQL.items():
        assert on_hits or on_sessions, name


def test_every_metric_says_which_direction_is_good() -> None:
    better = {m.name: m.better for m in METRICS}
    assert set(better.values()) <= {"up", "down", None}
    assert better["bounce_rate"] == better["error_rate"] == "down"
    assert better["requests"] is better["bots"] is better["bytes"] is None
    assert better["visitors"] == better["conversions"] == "up"


def test_the_backend_names_its_dialect() -> None:
    class Backend:
        dialect = "duckdb"

    assert dialect_of(Backend()) is DUCKDB is DIALECTS["duckdb"]
    Backend.dialect = "clickhouse"
    with pytest.raises(ValueError, match="no SQL dialect"):
        dialect_of(Backend())
