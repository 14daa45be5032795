"""Every metric Footfall reports, as data: name, table, SQL aggregate, definition.

``docs/metrics.md`` is written from these records (``footfall docs metrics``)
and a test fails when the two disagree.  ``table`` says which stored table
the aggregate runs over: ``events`` (one row per request) or ``sessions``.
``derived`` metrics combine other metrics of the same row (a rate of two counts).
Goal metrics count the completions of the query's ``goal`` (a goal of the site's
measurement plan, docs/plan.md); ``{goal}`` stands for its condition on a hit and
``{goal_value}`` for the value of one completion.  ``scope`` says which rows count: ``all`` (every parsed request, bots
included, as GoAccess counts them) or ``people`` (bots excluded unless the
query includes them).  In ``events`` aggregates ``{people}`` stands for that
condition; ``sessions`` queries apply it in their WHERE clause.  Distinct counts
are written ``count(DISTINCT CASE WHEN ... END)``: DuckDB groups a FILTERed
distinct count by the filter too, which measured 2.4 times slower.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    label: str
    table: str  # events | sessions
    scope: str  # all | people
    sql: str  # aggregate over the table's rows (alias-free column names)
    unit: str  # count | percent | seconds | bytes | ms | ratio | money
    doc: str
    rows: str = ""  # a condition every row it counts meets (lets the compiler skip the rest)
    needs: tuple[str, ...] = ()  # table "derived": the metrics its sql combines, as {name}


METRICS: tuple[Metric, ...] = (
    Metric("requests", "Requests", "events", "all", "count(*)", "count",
           "Every parsed request (line) in the period: pages, assets, errors, bots included."),
    Metric("bytes", "Bytes", "events", "all", "coalesce(sum(bytes), 0)", "bytes",
           "Sum of response sizes as logged (%b, $body_bytes_sent...), bots included."),
    Metric("bots", "Bot requests", "events", "all",
           "count(*) FILTER (WHERE bot_category IS NOT NULL)", "count",
           "Requests classified as a bot, by user agent or by behaviour."),
    Metric("pageviews", "Pageviews", "events", "people", "count(*) FILTER (WHERE is_pageview AND {people})",
           "count",
           "Requests that are pageviews: GET of a page (not an asset) answered 2xx or 304.",
           "is_pageview"),
    Metric("visitors", "Visitors", "events", "people",
           "count(DISTINCT CASE WHEN is_pageview AND {people} THEN visitor_id END)", "count",
           "Distinct visitor ids with at least one pageview. A visitor id is a daily-salted "
           "hash of IP and user agent, so a person is counted once a day; over several days "
           "the same person counts once per day.", "is_pageview"),
    Metric("clients", "Clients", "events", "people", "count(DISTINCT CASE WHEN {people} THEN visitor_id END)", "count",
           "Distinct visitor ids among all matching requests, pageviews or not (used for "
           "errors and bots, where pageviews are rare)."),
    Metric("visits", "Visits", "sessions", "people", "count(*)", "count",
           "Sessions: a visitor's pageviews with gaps of at most 30 minutes (per site), "
           "within one UTC day."),
    Metric("bounce_rate", "Bounce rate", "sessions", "people",
           "coalesce(round(100.0 * count(*) FILTER (WHERE is_bounce) / nullif(count(*), 0), 1), 0)",
           "percent", "Share of visits with exactly one pageview, in percent (one decimal)."),
    Metric("visit_duration", "Visit duration", "sessions", "people",
           "coalesce(round(avg(duration_s), 1), 0)", "seconds",
           "Mean time between the first and the last pageview of a visit, in seconds; "
           "0 for single-page visits (a log cannot see time spent on the last page)."),
    Metric("views_per_visit", "Views per visit", "sessions", "people",
           "coalesce(round(sum(pageviews) / nullif(count(*), 0), 2), 0)", "ratio",
           "Pageviews divided by visits (two decimals)."),
    Metric("events", "Events", "events", "people",
           "count(*) FILTER (WHERE event_name IS NOT NULL AND event_name <> 'pageview' AND {people})",
           "count", "Custom tracker events (signups, downloads, outbound clicks...), not pageviews."),
    Metric("revenue", "Revenue", "events", "people",
           "coalesce(sum(revenue_amount) FILTER (WHERE {people}), 0)", "money",
           "Sum of the revenue amounts sent with tracker events (in their own currencies: "
           "filter or group by event:currency before adding them up)."),
    Metric("error_rate", "Error rate", "events", "all",
           "coalesce(round(100.0 * count(*) FILTER (WHERE status >= 400) / nullif(count(*), 0), 2), 0)",
           "percent", "Share of requests answered 4xx or 5xx, in percent (two decimals)."),
    Metric("response_ms_p50", "Median response time", "events", "all",
           "round(quantile_cont(duration_ms, 0.5), 1)", "ms",
           "Median time to serve, when the log has it (%D, %T, $request_time, time-taken)."),
    Metric("response_ms_p95", "95th percentile response time", "events", "all",
           "round(quantile_cont(duration_ms, 0.95), 1)", "ms",
           "95th percentile of time to serve, when the log has it."),
    Metric("completions", "Goal completions", "events", "people",
           "count(*) FILTER (WHERE {goal} AND {people})", "count",
           "Hits that complete the query's goal: pageviews matching its page pattern, or "
           "tracker events with its name and properties."),
    Metric("conversions", "Conversions", "events", "people",
           "count(DISTINCT CASE WHEN {goal} AND {people} THEN session_id END)", "count",
           "Visits with at least one completion of the goal (a tracker event belongs to the "
           "visit of the visitor's last pageview within the session timeout before it)."),
    Metric("conversion_rate", "Conversion rate", "derived", "people",
           "round(100.0 * {conversions} / nullif({visits}, 0), 2)", "percent",
           "Conversions divided by visits, in percent (two decimals).",
           needs=("conversions", "visits")),
    Metric("goal_value", "Goal value", "events", "people",
           "coalesce(sum({goal_value}) FILTER (WHERE {goal} AND {people}), 0)", "money",
           "Value of the goal's completions in the plan's currency: the goal's fixed value "
           "each, or the event's revenue converted with the site's rates (docs/plan.md)."),
)  # fmt: skip

METRICS_BY_NAME = {m.name: m for m in METRICS}
GOAL_METRICS = frozenset({"completions", "conversions", "conversion_rate", "goal_value"})


def needs_goal(metric: str) -> bool:
    return metric in GOAL_METRICS
