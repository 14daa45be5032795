"""The SQL of each registry entry: metric name -> aggregate, dimension name -> column.

The registries (``vocabulary/metrics.py``, ``vocabulary/dimensions.py``) say what a
metric or dimension means; this module says how it is computed, per dialect.  In
``events`` aggregates ``{people}`` stands for the people condition (bots excluded
unless the query includes them), ``{goal}`` for the query goal's condition on a hit
and ``{goal_value}`` for the value of one completion; a derived metric combines
other metrics of the same row, written ``{name}``.  A test checks that every
registry entry has its SQL here.
"""

from __future__ import annotations

from collections.abc import Callable

from footfall.reports.compiler.dialect import Dialect
from footfall.vocabulary.dimensions import TIME_UNITS

PEOPLE = "bot_category IS NULL"

_PAGEVIEW_PEOPLE = "is_pageview AND {people}"

METRIC_SQL: dict[str, Callable[[Dialect], str]] = {
    "requests": lambda d: "count(*)",
    "bytes": lambda d: "coalesce(sum(bytes), 0)",
    "bots": lambda d: d.count_if.format(cond="bot_category IS NOT NULL"),
    "pageviews": lambda d: d.count_if.format(cond=_PAGEVIEW_PEOPLE),
    "visitors": lambda d: d.count_distinct_if.format(expr="visitor_id", cond=_PAGEVIEW_PEOPLE),
    "clients": lambda d: d.count_distinct_if.format(expr="visitor_id", cond="{people}"),
    "visits": lambda d: "count(*)",
    "bounce_rate": lambda d: (
        "coalesce(round(100.0 * "
        + d.count_if.format(cond="is_bounce")
        + " / nullif(count(*), 0), 1), 0)"
    ),
    "visit_duration": lambda d: "coalesce(round(avg(duration_s), 1), 0)",
    "views_per_visit": lambda d: "coalesce(round(sum(pageviews) / nullif(count(*), 0), 2), 0)",
    "events": lambda d: d.count_if.format(
        cond="event_name IS NOT NULL AND event_name <> 'pageview' AND {people}"
    ),
    "revenue": lambda d: (
        "coalesce(" + d.sum_if.format(expr="revenue_amount", cond="{people}") + ", 0)"
    ),
    "error_rate": lambda d: (
        "coalesce(round(100.0 * "
        + d.count_if.format(cond="status >= 400")
        + " / nullif(count(*), 0), 2), 0)"
    ),
    "response_ms_p50": lambda d: f"round({d.quantile.format(expr='duration_ms', q='0.5')}, 1)",
    "response_ms_p95": lambda d: f"round({d.quantile.format(expr='duration_ms', q='0.95')}, 1)",
    "completions": lambda d: d.count_if.format(cond="{goal} AND {people}"),
    "conversions": lambda d: d.count_distinct_if.format(
        expr="session_id", cond="{goal} AND {people}"
    ),
    "conversion_rate": lambda d: "round(100.0 * {conversions} / nullif({visits}, 0), 2)",
    "goal_value": lambda d: (
        "coalesce(" + d.sum_if.format(expr="{goal_value}", cond="{goal} AND {people}") + ", 0)"
    ),
}

# a condition every row a metric counts meets: lets the compiler skip the rest of the scan
METRIC_ROWS: dict[str, str] = {"pageviews": "is_pageview", "visitors": "is_pageview"}

# dimension -> (column over hits, column over sessions); None: reached through session_id
DIMENSION_SQL: dict[str, tuple[str | None, str | None]] = {
    "event:page": ("path", None),
    "event:kind": ("kind", None),
    "event:status": ("status", None),
    "event:method": ("method", None),
    "event:host": ("host", "host"),
    "event:bot_category": ("coalesce(bot_category, 'human')", "coalesce(bot_category, 'human')"),
    "event:bot_name": ("bot_name", "bot_name"),
    "event:bot_rule": ("bot_rule", "bot_rule"),
    "event:name": ("coalesce(event_name, 'pageview')", None),
    "event:origin": ("coalesce(origin, 'log')", None),
    "event:seen_by": ("coalesce(seen_by, 'log')", None),
    "event:currency": ("revenue_currency", None),
    **{
        f"visit:{name}": (None, column)
        for name, column in (
            ("entry_page", "entry_page"),
            ("exit_page", "exit_page"),
            ("source", "source"),
            ("channel", "channel"),
            ("referrer", "referrer_host"),
            ("utm_source", "utm_source"),
            ("utm_medium", "utm_medium"),
            ("utm_campaign", "utm_campaign"),
            ("utm_content", "utm_content"),
            ("utm_term", "utm_term"),
            ("click_id", "click_id"),
        )
    },
    **{f"visit:{c}": (c, c) for c in ("browser", "os", "device", "country")},
    **{f"time:{unit}": ("ts", "start_ts") for unit in TIME_UNITS},
}

TIME_LABELS = {"hour": "%Y-%m-%d %H:00", "day": "%Y-%m-%d", "week": "%Y-%m-%d", "month": "%Y-%m"}


def metric_sql(name: str, dialect: Dialect) -> str:
    return METRIC_SQL[name](dialect)


def events_column(dimension: str) -> str | None:
    return DIMENSION_SQL[dimension][0]


def sessions_column(dimension: str) -> str | None:
    return DIMENSION_SQL[dimension][1]


def local_time(column: str, timezone: str, tz_param: str, dialect: Dialect) -> str:
    """A stored UTC timestamp as wall-clock time in the site's zone (bound as ``tz_param``)."""
    if timezone == "UTC":
        return column
    return dialect.local_time.format(expr=column, tz=tz_param)


def time_bucket(unit: str, column: str, timezone: str, tz_param: str, dialect: Dialect) -> str:
    """The bucket as a timestamp: grouping on it is cheap; ``time_label`` names it."""
    assert unit in TIME_UNITS
    return dialect.date_trunc.format(
        unit=unit, expr=local_time(column, timezone, tz_param, dialect)
    )


def time_label(unit: str, bucket: str, dialect: Dialect) -> str:
    """A bucket's label, formatted once per group rather than once per row."""
    return dialect.format_time.format(expr=bucket, fmt=TIME_LABELS[unit])
