"""The spellings that differ between SQL engines, as one record per engine.

Every compiler module writes these constructs through a ``Dialect`` and nothing
else engine-specific, so a second store (ClickHouse, issue 17) needs a second
record here and no second set of reports.  Each entry is a ``str.format``
template; its placeholders are named in the comment.  ``ReportBackend.dialect``
(a name) picks the record: ``dialect_of(db)``.  Standard SQL (CASE, coalesce,
nullif, round, window ``count(*) OVER ()``, FULL OUTER JOIN, NULLS LAST) is
written directly.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Dialect:
    name: str
    param: str  # {name}: a bound parameter
    count_if: str  # {cond}: rows meeting cond
    sum_if: str  # {expr} {cond}: sum of expr over rows meeting cond
    count_distinct_if: str  # {expr} {cond}: distinct non-null expr among rows meeting cond
    quantile: str  # {expr} {q}: continuous quantile
    arg_min: str  # {value} {key}: value of the row with the smallest key
    local_time: str  # {expr} {tz}: a naive UTC timestamp as wall-clock time in zone tz
    date_trunc: str  # {unit} {expr}: hour, day, week (ISO, Monday), month
    format_time: str  # {expr} {fmt}: strftime-style text of a timestamp
    to_text: str  # {expr}: any value as text
    to_money: str  # {expr}: a decimal amount (4 places)
    in_list: str  # {values} {expr}: expr is an element of the bound list values
    contains_ci: str  # {expr} {needle}: case-insensitive substring test
    regex_match: str  # {expr} {pattern}: the regex matches somewhere in expr
    like: str  # {expr} {pattern}: LIKE with '!' as its escape character
    json_text: str  # {doc} {path}: a JSON member as text (path from json_key)
    json_key: str  # {key}: the path of a top-level JSON member (a bound value)
    same: str  # {a} {b}: null-safe equality
    days: str  # {n}: an interval of n days
    asof_left_join: str  # {table} {on}: each left row with the latest right row meeting on

    def entries(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self) if f.name != "name")


DUCKDB = Dialect(
    name="duckdb",
    param="${name}",
    count_if="count(*) FILTER (WHERE {cond})",
    sum_if="sum({expr}) FILTER (WHERE {cond})",
    # a FILTERed distinct count is grouped by its filter too in DuckDB: 2.4 times slower
    count_distinct_if="count(DISTINCT CASE WHEN {cond} THEN {expr} END)",
    quantile="quantile_cont({expr}, {q})",
    arg_min="arg_min({value}, {key})",
    local_time="timezone({tz}, timezone('UTC', {expr}))",
    date_trunc="date_trunc('{unit}', {expr})",
    format_time="strftime({expr}, '{fmt}')",
    to_text="{expr}::VARCHAR",
    to_money="{expr}::DECIMAL(18, 4)",
    in_list="list_contains({values}, {expr})",
    contains_ci="contains(lower({expr}), lower({needle}))",
    regex_match="regexp_matches({expr}, {pattern})",
    like="{expr} LIKE {pattern} ESCAPE '!'",
    json_text="json_extract_string({doc}, {path})",
    json_key='$."{key}"',
    same="{a} IS NOT DISTINCT FROM {b}",
    days="INTERVAL {n} DAY",
    asof_left_join="ASOF LEFT JOIN {table} ON {on}",
)

DIALECTS: dict[str, Dialect] = {d.name: d for d in (DUCKDB,)}


class _Named(Protocol):
    dialect: str


def dialect_of(db: _Named) -> Dialect:
    """The dialect a backend declares (``ReportBackend.dialect``)."""
    try:
        return DIALECTS[db.dialect]
    except KeyError:
        raise ValueError(f"no SQL dialect {db.dialect!r}; known: {', '.join(DIALECTS)}") from None
