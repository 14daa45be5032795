"""Every metric Footfall reports, as data: name, table, unit, definition, direction.

``docs/metrics.md`` is written from these records (``footfall docs metrics``)
and a test fails when the two disagree.  ``table`` says which stored table
the metric is computed over: ``events`` (one row per request) or ``sessions``;
``derived`` metrics combine other metrics of the same row (a rate of two
counts, ``needs``).  Goal metrics count the completions of the query's ``goal``
(a goal of the site's measurement plan, docs/plan.md).  ``scope`` says which
rows count: ``all`` (every parsed request, bots included, as GoAccess counts
them) or ``people`` (bots excluded unless the query includes them).  ``better``
is a display hint: ``up`` when more is better, ``down`` when less is, None for
a neutral count.  How each metric is computed (its SQL aggregate) is the
compiler's: ``reports/compiler/columns.py``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    label: str
    table: str  # events | sessions | derived
    scope: str  # all | people
    unit: str  # count | percent | seconds | bytes | ms | ratio | money
    doc: str
    better: str | None = "up"  # up | down | None (neutral): which change is good news
    needs: tuple[str, ...] = ()  # table "derived": the metrics it combines


METRICS: tuple[Metric, ...] = (
    Metric(
        "requests",
        "Requests",
        "events",
        "all",
        "count",
        "Every parsed request (line) in the period: pages, assets, errors, bots included.",
        better=None,
    ),
    Metric(
        "bytes",
        "Bytes",
        "events",
        "all",
        "bytes",
        "Sum of response sizes as logged (%b, $body_bytes_sent...), bots included.",
        better=None,
    ),
    Metric(
        "bots",
        "Bot requests",
        "events",
        "all",
        "count",
        "Requests classified as a bot, by user agent or by behaviour.",
        better=None,
    ),
    Metric(
        "pageviews",
        "Pageviews",
        "events",
        "people",
        "count",
        "Requests that are pageviews: GET of a page (not an asset) answered 2xx or 304.",
    ),
    Metric(
        "visitors",
        "Visitors",
        "events",
        "people",
        "count",
        "Distinct visitor ids with at least one pageview. A visitor id is a daily-salted hash"
        " of IP and user agent, so a person is counted once a day; over several days the same"
        ' person counts once per day. Lower than GoAccess\'s "unique visitors", which counts'
        " distinct IP + date + user agent over all requests (assets, errors and bots too):"
        " `clients` is the all-requests count.",
    ),
    Metric(
        "clients",
        "Clients",
        "events",
        "people",
        "count",
        "Distinct visitor ids among all matching requests, pageviews or not (used for errors "
        "and bots, where pageviews are rare).",
        better=None,
    ),
    Metric(
        "visits",
        "Visits",
        "sessions",
        "people",
        "count",
        "Sessions: a visitor's pageviews with gaps of at most 30 minutes (per site), within "
        "one UTC day.",
    ),
    Metric(
        "bounce_rate",
        "Bounce rate",
        "sessions",
        "people",
        "percent",
        "Share of visits with exactly one pageview, in percent (one decimal).",
        better="down",
    ),
    Metric(
        "visit_duration",
        "Visit duration",
        "sessions",
        "people",
        "seconds",
        "Mean time between the first and the last pageview of a visit, in seconds; 0 for "
        "single-page visits (a log cannot see time spent on the last page).",
    ),
    Metric(
        "views_per_visit",
        "Views per visit",
        "sessions",
        "people",
        "ratio",
        "Pageviews divided by visits (two decimals).",
    ),
    Metric(
        "events",
        "Events",
        "events",
        "people",
        "count",
        "Custom tracker events (signups, downloads, outbound clicks...), not pageviews.",
    ),
    Metric(
        "revenue",
        "Revenue",
        "events",
        "people",
        "money",
        "Sum of the revenue amounts sent with tracker events (in their own currencies: filter"
        " or group by event:currency before adding them up).",
    ),
    Metric(
        "error_rate",
        "Error rate",
        "events",
        "all",
        "percent",
        "Share of requests answered 4xx or 5xx, in percent (two decimals).",
        better="down",
    ),
    Metric(
        "response_ms_p50",
        "Median response time",
        "events",
        "all",
        "ms",
        "Median time to serve, when the log has it (%D, %T, $request_time, time-taken).",
        better="down",
    ),
    Metric(
        "response_ms_p95",
        "95th percentile response time",
        "events",
        "all",
        "ms",
        "95th percentile of time to serve, when the log has it.",
        better="down",
    ),
    Metric(
        "completions",
        "Goal completions",
        "events",
        "people",
        "count",
        "Hits that complete the query's goal: pageviews matching its page pattern, or tracker"
        " events with its name and properties.",
    ),
    Metric(
        "conversions",
        "Conversions",
        "events",
        "people",
        "count",
        "Visits with at least one completion of the goal (a tracker event belongs to the "
        "visit of the visitor's last pageview within the session timeout before it).",
    ),
    Metric(
        "conversion_rate",
        "Conversion rate",
        "derived",
        "people",
        "percent",
        "Conversions divided by visits, in percent (two decimals).",
        needs=("conversions", "visits"),
    ),
    Metric(
        "goal_value",
        "Goal value",
        "events",
        "people",
        "money",
        "Value of the goal's completions in the plan's currency: the goal's fixed value each,"
        " or the event's revenue converted with the site's rates (docs/plan.md).",
    ),
)

METRICS_BY_NAME = {m.name: m for m in METRICS}
GOAL_METRICS = frozenset({"completions", "conversions", "conversion_rate", "goal_value"})


def needs_goal(metric: str) -> bool:
    return metric in GOAL_METRICS
