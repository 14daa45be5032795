"""Named reports (``footfall report NAME``): each one is a Query, nothing more.

A report chooses dimensions, metrics and sometimes a filter; the period,
filters, bots and comparison come from the caller.  ``overview`` adds the
status-code breakdown as an object, the shape of the overview JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from footfall.errors import QueryError
from footfall.reports.budget import QueryBudget, within
from footfall.reports.run import QueryResult, run_query
from footfall.store.backend import ReportBackend
from footfall.vocabulary.query import Filter, Query

OVERVIEW_METRICS = ("requests", "pageviews", "visitors", "visits", "bounce_rate",
                    "visit_duration", "bytes", "bots")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Report:
    name: str
    dimensions: tuple[str, ...]
    metrics: tuple[str, ...]
    doc: str
    filters: tuple[Filter, ...] = ()


REPORTS: tuple[Report, ...] = (
    Report("overview", (), OVERVIEW_METRICS, "Headline numbers and requests by status code."),
    Report("pages", ("event:page",), ("pageviews", "visitors"), "Top pages by pageviews."),
    Report("entry-pages", ("visit:entry_page",), ("visits", "bounce_rate", "visit_duration"),
           "Pages where visits start."),
    Report("exit-pages", ("visit:exit_page",), ("visits",), "Pages where visits end."),
    Report("sources", ("visit:source",), ("visits", "bounce_rate", "visit_duration"),
           "Visits by source."),
    Report("channels", ("visit:channel",), ("visits", "bounce_rate", "visit_duration"),
           "Visits by channel group."),
    Report("referrers", ("visit:referrer",), ("visits", "bounce_rate"),
           "Visits by referring host."),
    Report("campaigns", ("visit:utm_campaign", "visit:utm_source", "visit:utm_medium"),
           ("visits", "pageviews", "bounce_rate"), "Visits by UTM campaign, source and medium.",
           (Filter("visit:utm_campaign", "matches", (".",)),)),
    Report("browsers", ("visit:browser",), ("visits", "visitors"), "Visits by browser."),
    Report("os", ("visit:os",), ("visits", "visitors"), "Visits by operating system."),
    Report("devices", ("visit:device",), ("visits", "visitors"), "Visits by device type."),
    Report("countries", ("visit:country",), ("visits", "visitors"), "Visits by country."),
    Report("status", ("event:status",), ("requests", "clients"), "Requests by status code."),
    Report("not-found", ("event:page",), ("requests", "clients"), "Top paths answered 404.",
           (Filter("event:status", "is", ("404",)),)),
    Report("bots", ("event:bot_category", "event:bot_name", "event:bot_rule"),
           ("requests", "clients"), "Bot requests by category, name and the rule that matched.",
           (Filter("event:bot_category", "is_not", ("human",)),)),
    Report("reconciliation", ("event:seen_by",), ("pageviews", "visitors"),
           "Pageviews seen by the access log only, by the tracker only, and by both."),
    Report("timeseries", ("time:day",), ("visitors", "visits", "pageviews", "requests"),
           "Visitors, visits, pageviews and requests per hour, day, week or month."),
)  # fmt: skip

REPORTS_BY_NAME = {r.name: r for r in REPORTS}


def report_query(name: str, base: Query, interval: str = "day") -> Query:
    """The Query of a named report, on top of the caller's site, period and filters."""
    report = REPORTS_BY_NAME.get(name)
    if report is None:
        raise QueryError(f"unknown report {name!r}; reports: {', '.join(REPORTS_BY_NAME)}")
    dims = report.dimensions
    if name == "timeseries":
        dims = (f"time:{interval}",)
    include_bots = base.include_bots or name == "bots"
    return replace(
        base,
        dimensions=dims,
        metrics=report.metrics,
        filters=(*base.filters, *report.filters),
        include_bots=include_bots,
        limit=base.limit if name != "timeseries" else 10_000,
    )


def run_report(
    db: ReportBackend,
    name: str,
    base: Query,
    interval: str = "day",
    budget: QueryBudget | None = None,
) -> dict[str, Any]:
    """``budget`` as in ``run_query``; its time limit covers all the report's statements."""
    with within(db, budget):
        result = run_query(db, report_query(name, base, interval), budget)
        out = result.as_dict()
        out["report"] = name
        if name == "overview":
            out.update(_overview(db, result, base, budget))
    return out


def _overview(
    db: ReportBackend, result: QueryResult, base: Query, budget: QueryBudget | None
) -> dict[str, Any]:
    """Flatten the single overview row and add ``status``: code -> requests."""
    row = result.rows[0] if result.rows else {}
    flat: dict[str, Any] = {m: row.get(m, 0) for m in OVERVIEW_METRICS}
    if result.comparison is not None:
        flat["previous"] = {m: row.get(f"{m}_previous", 0) for m in OVERVIEW_METRICS}
        flat["change"] = {m: row.get(f"{m}_change") for m in OVERVIEW_METRICS}
    statuses = run_query(
        db,
        replace(
            base,
            dimensions=("event:status",),
            metrics=("requests",),
            compare=None,
            limit=1000,
            offset=0,
            order_by=(),
        ),
        budget,
    )
    flat["status"] = {str(r["event:status"]): r["requests"] for r in statuses.rows}
    return flat
