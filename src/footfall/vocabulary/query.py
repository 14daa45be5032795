"""The one declarative query every report, export and API call goes through.

A ``Query`` names metrics, dimensions, filters, a date range, bots in or out,
an order, a page, and an optional comparison period.  ``query_from_dict``
validates untrusted input once (the JSON API, the CLI) with messages that
list what is valid; ``compiler.py`` is the only place that turns a Query
into SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from footfall.errors import QueryError
from footfall.vocabulary.dimensions import DIMENSIONS_BY_NAME
from footfall.vocabulary.metrics import METRICS_BY_NAME, needs_goal
from footfall.vocabulary.periods import DateRange

FILTER_OPS = ("is", "is_not", "contains", "matches")
COMPARISONS = ("previous", "year")
MAX_LIMIT = 10_000
MAX_OFFSET = 1_000_000_000  # far past any real page, far below SQL's 2**63
MAX_VALUE_LENGTH = 1_000


@dataclass(frozen=True, slots=True)
class Filter:
    dimension: str
    op: str
    values: tuple[str, ...]  # several values: any of them (is) / none of them (is_not)


@dataclass(frozen=True, slots=True)
class Query:
    site: str
    metrics: tuple[str, ...]
    period: DateRange
    dimensions: tuple[str, ...] = ()
    filters: tuple[Filter, ...] = ()
    include_bots: bool = False
    order_by: tuple[tuple[str, str], ...] = ()
    limit: int = 100
    offset: int = 0
    compare: str | None = None
    goal: str | None = None  # the plan goal that goal metrics count
    extra: dict[str, Any] = field(default_factory=dict)


def check_metric(name: str) -> str:
    if name not in METRICS_BY_NAME:
        raise QueryError(f"unknown metric {name!r}; valid metrics: {', '.join(METRICS_BY_NAME)}")
    return name


def resolve_dimension(name: str) -> str:
    """Full names, or a short name when it is unique: 'source' -> 'visit:source'."""
    if name in DIMENSIONS_BY_NAME:
        return name
    matches = [d for d in DIMENSIONS_BY_NAME if d.split(":", 1)[1] == name]
    if len(matches) == 1:
        return matches[0]
    raise QueryError(
        f"unknown dimension {name!r}; valid dimensions: {', '.join(DIMENSIONS_BY_NAME)}"
    )


#: The operators of the filter text, longest first where one starts another: the
#: token, the operator of a Filter, and the words a person reads ("page is not /").
FILTER_TOKENS = (("!=", "is_not"), ("=~", "matches"), ("~", "contains"), ("=", "is"))
FILTER_WORDS = {"is": "is", "is_not": "is not", "contains": "contains", "matches": "matches"}
#: DIMENSION, then the first operator, then the value (anything, operators included).
#: Dimension names never hold '=', '!' or '~', so the dimension ends at the first of
#: them and values may hold any: page=/~user/ is page "is" "/~user/".  The pattern is
#: written to mean the same in Python's ``re`` and JavaScript's RegExp (the dashboard
#: applies it, from ``/api/v1/meta``).
FILTER_PATTERN = r"^([^=!~]+)(" + "|".join(t for t, _ in FILTER_TOKENS) + r")([\s\S]*)$"
_FILTER_RE = re.compile(FILTER_PATTERN)


def parse_filter_text(text: str) -> Filter:
    """CLI and URL syntax: dim=value, dim!=value, dim~text (contains), dim=~regex (matches).

    ``FILTER_PATTERN`` splits it: the dimension (spaces around it dropped) ends at the
    first operator, so values may contain any operator: page=/~user/, page!=/a=b.
    """
    match = _FILTER_RE.match(text)
    if match is None:
        raise QueryError(f"filter {text!r}: write DIMENSION=VALUE, !=, ~ (contains) or =~ (regex)")
    dimension, token, value = match.groups()
    return make_filter(dimension.strip(), dict(FILTER_TOKENS)[token], [value])


def filter_text(f: Filter) -> str:
    """The text of a one-value filter, as ``parse_filter_text`` reads it back."""
    if len(f.values) != 1:
        raise QueryError(f"filter on {f.dimension}: only a one-value filter has a text form")
    token = next(t for t, op in FILTER_TOKENS if op == f.op)
    return f"{f.dimension}{token}{f.values[0]}"


def make_filter(dimension: str, op: str, values: list[Any]) -> Filter:
    if op not in FILTER_OPS:
        raise QueryError(f"unknown filter operator {op!r}; valid: {', '.join(FILTER_OPS)}")
    if not values or not all(isinstance(v, str | int) for v in values):
        raise QueryError(f"filter on {dimension}: values must be a non-empty list of strings")
    if len(values) > 100:
        raise QueryError(f"filter on {dimension}: at most 100 values")
    texts = tuple(str(v) for v in values)
    if any(len(v) > MAX_VALUE_LENGTH for v in texts):
        raise QueryError(f"filter on {dimension}: values are limited to {MAX_VALUE_LENGTH} chars")
    if op == "matches":
        for text in texts:
            _check_regex(dimension, text)
    return Filter(resolve_dimension(dimension), op, texts)


def _check_regex(dimension: str, pattern: str) -> None:
    """Refuse a pattern that cannot compile, before any data is read: the database
    only compiles it when a row reaches the filter, so an empty period would let it pass.
    (DuckDB speaks RE2, mostly a subset of Python's syntax; what slips past here is still
    refused by the database, as a QueryError.)"""
    try:
        re.compile(pattern)
    except re.error as err:
        raise QueryError(
            f"invalid filter on {dimension}: {pattern!r} is not a regex: {err}"
        ) from err


def validate(q: Query) -> Query:
    if not q.metrics:
        raise QueryError("a query needs at least one metric")
    for m in q.metrics:
        check_metric(m)
    if len(set(q.metrics)) != len(q.metrics) or len(set(q.dimensions)) != len(q.dimensions):
        raise QueryError("metrics and dimensions must not repeat")
    for d in q.dimensions:
        resolve_dimension(d)
    if len(q.dimensions) > 3:
        raise QueryError("at most 3 dimensions")
    if not 1 <= q.limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
    if not 0 <= q.offset <= MAX_OFFSET:
        raise QueryError(f"offset must be between 0 and {MAX_OFFSET:,}")
    if q.compare is not None and q.compare not in COMPARISONS:
        raise QueryError(f"compare must be one of {', '.join(COMPARISONS)}")
    if q.goal is None and any(needs_goal(m) for m in q.metrics):
        raise QueryError("goal metrics (conversions, completions, conversion_rate, goal_value) "
                         'count a goal: add "goal": NAME, a goal of the site\'s plan')  # fmt: skip
    known = set(q.metrics) | set(q.dimensions)
    for key, direction in q.order_by:
        if key not in known:
            raise QueryError(f"order by {key!r}: only the query's metrics and dimensions")
        if direction not in ("asc", "desc"):
            raise QueryError(f"order direction {direction!r}: asc or desc")
    return q


QUERY_KEYS = {"site", "metrics", "dimensions", "filters", "date_range", "include_bots",
              "order_by", "limit", "offset", "compare", "page", "goal"}  # fmt: skip


def query_from_dict(body: Any, period: DateRange) -> Query:
    """Validate an untrusted JSON query (the API); ``period`` is the resolved date_range.

    Body: {"site": "shop", "metrics": ["visitors"], "dimensions": ["visit:source"],
    "filters": [["visit:channel", "is", ["Email"]]], "date_range": "30d" or
    ["2026-01-01", "2026-01-31"], "compare": "previous", "include_bots": false,
    "order_by": [["visitors", "desc"]], "limit": 100, "offset": 0}
    """
    if not isinstance(body, dict):
        raise QueryError("the query must be a JSON object")
    unknown = set(body) - QUERY_KEYS
    if unknown:
        raise QueryError(
            f"unknown fields: {', '.join(sorted(unknown))}; valid: {', '.join(sorted(QUERY_KEYS))}"
        )
    site = body.get("site")
    if not isinstance(site, str) or not site:
        raise QueryError("site: a site name is required")
    metrics = _string_list(body.get("metrics"), "metrics")
    dimensions = tuple(
        resolve_dimension(d) for d in _string_list(body.get("dimensions", []), "dimensions")
    )
    filters = []
    raw_filters = body.get("filters", [])
    if not isinstance(raw_filters, list) or len(raw_filters) > 20:
        raise QueryError("filters: a list of at most 20 [dimension, operator, values] triples")
    for f in raw_filters:
        if not (
            isinstance(f, list) and len(f) == 3 and isinstance(f[0], str) and isinstance(f[1], str)
        ):
            raise QueryError(f"filter {f!r}: write [dimension, operator, [values]]")
        values = f[2] if isinstance(f[2], list) else [f[2]]
        filters.append(make_filter(f[0], f[1], values))
    order = []
    for item in body.get("order_by", []) or []:
        if not (
            isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)
        ):
            raise QueryError(f"order_by item {item!r}: write [metric or dimension, asc|desc]")
        key = item[0] if item[0] in metrics else resolve_dimension(item[0])
        order.append((key, item[1]))
    limit, offset = body.get("limit", 100), body.get("offset", 0)
    include_bots = body.get("include_bots", False)
    if not isinstance(limit, int) or not isinstance(offset, int) or isinstance(limit, bool):
        raise QueryError("limit and offset must be whole numbers")
    if not isinstance(include_bots, bool):
        raise QueryError("include_bots must be true or false")
    compare = body.get("compare")
    if compare is not None and not isinstance(compare, str):
        raise QueryError("compare must be 'previous' or 'year'")
    goal = body.get("goal")
    if goal is not None and (not isinstance(goal, str) or not goal):
        raise QueryError("goal: the name of a goal of the site's measurement plan")
    return validate(Query(
        site=site, metrics=tuple(metrics), period=period, dimensions=dimensions,
        filters=tuple(filters), include_bots=include_bots, order_by=tuple(order),
        limit=limit, offset=offset, compare=compare, goal=goal,
    ))  # fmt: skip


def _string_list(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise QueryError(f"{what}: a list of names")
    if len(value) > 20:
        raise QueryError(f"{what}: at most 20")
    return value


def filter_grammar_meta() -> dict[str, Any]:
    """The filter operators and grammar, served in ``/api/v1/meta`` under ``filters``.

    A client parses a filter text exactly as ``parse_filter_text`` does: match
    ``pattern``, trim the dimension group, look the token up in ``operators``; a
    short dimension name stands for the one full name that ends with ``:NAME``.
    """
    return {
        "pattern": FILTER_PATTERN,
        "groups": {"dimension": 1, "token": 2, "value": 3},
        "trim_dimension": True,
        "operators": [
            {"token": token, "op": op, "words": FILTER_WORDS[op]} for token, op in FILTER_TOKENS
        ],
        "doc": "DIMENSION, an operator, a value: the dimension ends at the first operator, "
        "so values may hold any of them (event:page=/~alice/ is page is /~alice/).",
    }
