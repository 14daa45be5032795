"""The report compiler: the only place report SQL is written, through a ``Dialect``.

- ``dialect.py``: the spellings that differ between engines (DuckDB today).
- ``columns.py``: metric name -> aggregate, dimension name -> column, time buckets.
- ``params.py``: bound parameters and the ``Statement`` (sql, params) record.
- ``traffic.py``: a ``Query`` -> one statement (traffic reports, the query API).
- ``rollup.py``: when a daily rollup answers a query instead of the raw rows.
- ``goals.py``: a plan goal as a condition and a value over hits.
- ``plans.py``: the statements of the plan reports (goals, funnels, journeys,
  economics, rates) and of ``plan check``; ``sites.py``: site time zone, data range.
"""

from footfall.reports.compiler.dialect import DIALECTS, DUCKDB, Dialect, dialect_of
from footfall.reports.compiler.params import Params, Statement
from footfall.reports.compiler.traffic import CompiledQuery, compile_query, union_all

__all__ = [
    "DIALECTS",
    "DUCKDB",
    "CompiledQuery",
    "Dialect",
    "Params",
    "Statement",
    "compile_query",
    "dialect_of",
    "union_all",
]
