"""The report catalogue: every report, traffic and plan, as one record type.

A ``Report`` says what the report is (name, family, doc), what it takes (its
``Option``s, besides the generic fields of every ``ReportRequest``), how it runs
(``run(backend, request, context)``), the tables it returns (columns with label
and unit) and how to show it (chart kind, fixed filters as filter texts).  The
CLI, the API, ``/api/v1/meta`` and the dashboard all read these records;
``run_catalog_report`` dispatches by record, never by name.  ``DASHBOARD`` is the
dashboard's layout as data (headline metrics, chart series, panels of tabs).

Traffic reports are one Query each: dimensions, metrics and fixed filters on top of
the request's period, filters, bots and comparison.  Plan reports read the site's
measurement plan (docs/plan.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from footfall.errors import QueryError
from footfall.plan.model import Plan
from footfall.reports.attribution import MODELS
from footfall.reports.budget import QueryBudget, check_period, within
from footfall.reports.credit import GROUPINGS, attribution_report
from footfall.reports.economics import economics_report
from footfall.reports.funnels import funnel_report
from footfall.reports.goal_report import goals_report
from footfall.reports.health.cost import COST_REPORTS
from footfall.reports.health.logs import LOGS_REPORTS
from footfall.reports.health.uptime import UPTIME_REPORTS
from footfall.reports.pacing import kpis_report
from footfall.reports.plan_source import site_plan
from footfall.reports.records import (
    Column,
    Report,
    Run,
    RunContext,
    Split,
    Table,
    explain_of,
    only_columns,
    rows_table,
)
from footfall.reports.request import Option, ReportRequest, make_request
from footfall.reports.run import QueryResult, run_query, site_timezone
from footfall.store.backend import ReportBackend
from footfall.vocabulary.dimensions import DIMENSIONS_BY_NAME
from footfall.vocabulary.metrics import METRICS_BY_NAME
from footfall.vocabulary.periods import PRESETS, DateRange, today_in
from footfall.vocabulary.query import COMPARISONS, Query, parse_filter_text

FAMILIES = ("traffic", "plan", "health")
CHARTS = ("number", "line", "bars", "table", "funnel")
OVERVIEW_METRICS = ("requests", "pageviews", "visitors", "visits", "bounce_rate",
                    "visit_duration", "bytes", "bots")  # fmt: skip
SERIES_LIMIT = 10_000  # a time series is all its buckets


# ---------------------------------------------------------------- traffic reports


def traffic_query(report: Report, request: ReportRequest) -> Query:
    """The Query of a traffic report for a request."""
    series = any(d.startswith("time:") for d in report.dimensions)
    dims = tuple(f"time:{request.interval}" if d.startswith("time:") else d
                 for d in report.dimensions)  # fmt: skip
    return Query(
        site=request.site, metrics=report.metrics, period=request.period, dimensions=dims,
        filters=(*request.filters, *(parse_filter_text(f) for f in report.filters)),
        include_bots=request.include_bots or report.bots,
        limit=SERIES_LIMIT if series else request.limit, offset=request.offset,
        compare=request.compare,
    )  # fmt: skip


def _run_rows(db: ReportBackend, request: ReportRequest, ctx: RunContext) -> dict[str, Any]:
    report = report_named(request.report)
    with within(db, ctx.budget):
        result = run_query(db, traffic_query(report, request), ctx.budget, ctx.source)
    out = result.as_dict()
    out["report"] = report.name
    if ctx.explain:
        out["explain"] = explain_of(result.explain)
    return out


def _run_overview(db: ReportBackend, request: ReportRequest, ctx: RunContext) -> dict[str, Any]:
    """The single overview row flattened, plus ``status``: code -> requests.

    Two statements: the period and its comparison in one (``run_query``), the status map
    in the other (from the ``statuses`` rollup when it can)."""
    query = traffic_query(report_named(request.report), request)
    with within(db, ctx.budget):
        result = run_query(db, query, ctx.budget, ctx.source)
        out = result.as_dict()
        out["report"] = request.report
        out.update(_flatten(result))
        statuses = run_query(db, replace(query, dimensions=("event:status",), metrics=("requests",),
                                         compare=None, limit=1000, offset=0, order_by=()),
                             ctx.budget, ctx.source)  # fmt: skip
    out["status"] = {str(r["event:status"]): r["requests"] for r in statuses.rows}
    if ctx.explain:
        out["explain"] = explain_of(result.explain + statuses.explain)
    return out


def _flatten(result: QueryResult) -> dict[str, Any]:
    row = result.rows[0] if result.rows else {}
    flat: dict[str, Any] = {m: row.get(m, 0) for m in OVERVIEW_METRICS}
    if result.comparison is not None:
        flat["previous"] = {m: row.get(f"{m}_previous", 0) for m in OVERVIEW_METRICS}
        flat["change"] = {m: row.get(f"{m}_change") for m in OVERVIEW_METRICS}
    return flat


def _dimension_column(name: str) -> Column:
    return Column(name, DIMENSIONS_BY_NAME[name].label if name in DIMENSIONS_BY_NAME
                  else name.split(":", 1)[1].capitalize())  # fmt: skip


def _metric_column(name: str) -> Column:
    metric = METRICS_BY_NAME[name]
    return Column(name, metric.label, metric.unit)


def _traffic(name: str, dims: tuple[str, ...], metrics: tuple[str, ...], doc: str,
             filters: tuple[str, ...] = (), chart: str = "bars", bots: bool = False,
             run: Run = _run_rows) -> Report:  # fmt: skip
    columns = (*(_dimension_column(d) for d in dims), *(_metric_column(m) for m in metrics))
    return Report(name, "traffic", doc, run, (Table(name, columns),), rows_table, (), dims,
                  metrics, filters, chart, bots)  # fmt: skip


TRAFFIC: tuple[Report, ...] = (
    _traffic("overview", (), OVERVIEW_METRICS, "Headline numbers and requests by status code.",
             chart="number", run=_run_overview),
    _traffic("pages", ("event:page",), ("pageviews", "visitors"), "Top pages by pageviews."),
    _traffic("entry-pages", ("visit:entry_page",), ("visits", "bounce_rate", "visit_duration"),
             "Pages where visits start."),
    _traffic("exit-pages", ("visit:exit_page",), ("visits",), "Pages where visits end."),
    _traffic("sources", ("visit:source",), ("visits", "bounce_rate", "visit_duration"),
             "Visits by source."),
    _traffic("channels", ("visit:channel",), ("visits", "bounce_rate", "visit_duration"),
             "Visits by channel group."),
    _traffic("referrers", ("visit:referrer",), ("visits", "bounce_rate"),
             "Visits by referring host."),
    _traffic("campaigns", ("visit:utm_campaign", "visit:utm_source", "visit:utm_medium"),
             ("visits", "pageviews", "bounce_rate"), "Visits by UTM campaign, source and medium.",
             ("visit:utm_campaign=~.",)),
    _traffic("browsers", ("visit:browser",), ("visits", "visitors"), "Visits by browser."),
    _traffic("os", ("visit:os",), ("visits", "visitors"), "Visits by operating system."),
    _traffic("devices", ("visit:device",), ("visits", "visitors"), "Visits by device type."),
    _traffic("countries", ("visit:country",), ("visits", "visitors"), "Visits by country."),
    _traffic("status", ("event:status",), ("requests", "clients"), "Requests by status code."),
    _traffic("not-found", ("event:page",), ("requests", "clients"), "Top paths answered 404.",
             ("event:status=404",)),
    _traffic("bots", ("event:bot_category", "event:bot_name", "event:bot_rule"),
             ("requests", "clients"), "Bot requests by category, name and the rule that matched.",
             ("event:bot_category!=human",), bots=True),
    _traffic("reconciliation", ("event:seen_by",), ("pageviews", "visitors"),
             "Pageviews seen by the access log only, by the tracker only, and by both."),
    _traffic("timeseries", ("time:day",), ("visitors", "visits", "pageviews", "requests"),
             "Visitors, visits, pageviews and requests per hour, day, week or month.",
             chart="line"),
)  # fmt: skip


# ------------------------------------------------------------------- plan reports


def _plan_run(compute: Callable[[ReportBackend, Plan, ReportRequest, str, RunContext],
                                dict[str, Any]]) -> Run:  # fmt: skip
    """A plan report's run: the plan (the context's, else the site's), the period's limit,
    a time limit over all its SQL, and ``{"report", "plan", ...}`` around the result."""

    def run(db: ReportBackend, request: ReportRequest, ctx: RunContext) -> dict[str, Any]:
        plan = ctx.plan or site_plan(db, request.site)
        tz = site_timezone(db, plan.site)
        check_period(request.period, ctx.budget or QueryBudget())
        with within(db, ctx.budget):
            out = compute(db, plan, request, tz, ctx)
        if ctx.explain:
            out["explain"] = {"source": "raw: plan reports read the raw rows", "sql": None,
                              "statements": []}  # fmt: skip
        return {"report": request.report, "plan": plan.path, **out}

    return run


def _goals(db: ReportBackend, plan: Plan, r: ReportRequest, tz: str, ctx: RunContext) -> dict[str, Any]:  # fmt: skip
    return goals_report(db, plan, r.period, tz, r.option("by"), r.include_bots)


def _funnels(db: ReportBackend, plan: Plan, r: ReportRequest, tz: str, ctx: RunContext) -> dict[str, Any]:  # fmt: skip
    wanted = r.option("funnel")
    chosen = [f for f in plan.funnels if wanted in (None, f.name)]
    if wanted and not chosen:
        raise QueryError(f"no funnel named {wanted!r} in the plan")
    return {"site": plan.site, "period": r.period.as_dict(),
            "funnels": [funnel_report(db, plan, f, r.period, tz, r.option("by"))
                        for f in chosen]}  # fmt: skip


def _kpis(db: ReportBackend, plan: Plan, r: ReportRequest, tz: str, ctx: RunContext) -> dict[str, Any]:  # fmt: skip
    return kpis_report(db, plan, ctx.today or today_in(tz))


def _economics(db: ReportBackend, plan: Plan, r: ReportRequest, tz: str, ctx: RunContext) -> dict[str, Any]:  # fmt: skip
    return economics_report(db, plan, r.period, tz, r.option("model") or "last_non_direct",
                            r.option("goal"))  # fmt: skip


def _attribution(db: ReportBackend, plan: Plan, r: ReportRequest, tz: str, ctx: RunContext) -> dict[str, Any]:  # fmt: skip
    return attribution_report(db, plan, r.period, tz, r.option("by") or "campaign",
                              r.option("goal"))  # fmt: skip


def _split_funnels(result: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    return [(f"{f['funnel']} · {segment}", steps) for f in result["funnels"]
            for segment, steps in f["segments"].items()]  # fmt: skip


def _split_kpis(result: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    return [("KPIs", only_columns(result["kpis"], KPI_COLUMNS))]


def _split_economics(result: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    title = f"campaigns · {result['goal']} credited by {result['model']} ({result['currency']})"
    return [(title, only_columns(result["campaigns"], ECONOMICS_COLUMNS)),
            ("channels", only_columns(result["channels"], ECONOMICS_COLUMNS[1:]))]  # fmt: skip


def _split_attribution(result: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    title = (f"attribution of {result['conversions']} conversions ({result['goal']}, "
             f"{result['value']} {result['currency']}) by {result['by']} · identity "
             f"{result['identity']} · path known for {result['known_path_share']} %")  # fmt: skip
    value = [{k: v for k, v in r.items() if not k.endswith("_conversions")}
             for r in result["rows"]]  # fmt: skip
    count = [{k.removesuffix("_conversions"): v for k, v in r.items()
              if k.endswith("_conversions") or k == result["by"]} for r in result["rows"]]  # fmt: skip
    return [(f"{title} · value credit", value), ("conversions credit", count)]


C = Column
GOAL_COLUMNS = (C("goal", "Goal"), C("kind", "Kind"), C("completions", "Completions", "count"),
                C("conversions", "Conversions", "count"),
                C("conversion_rate", "Conversion rate", "percent"),
                C("goal_value", "Value", "money"))  # fmt: skip
FUNNEL_COLUMNS = (C("step", "Step"), C("visitors", "Visitors", "count"),
                  C("entered_here", "Entered here", "count"), C("dropoff", "Drop-off", "count"),
                  C("dropoff_rate", "Drop-off rate", "percent"),
                  C("share_of_entrants", "Share of entrants", "percent"))  # fmt: skip
KPI_COLUMNS = (C("kpi", "KPI"), C("status", "Status"), C("actual", "Actual", "count"),
               C("expected", "Expected", "count"), C("forecast", "Forecast", "count"),
               C("target", "Target", "count"), C("gap", "Gap", "count"),
               C("deadline", "Deadline"), C("owner", "Owner"))  # fmt: skip
ECONOMICS_COLUMNS = (C("campaign", "Campaign"), C("channel", "Channel"),
                     C("spend", "Spend", "money"), C("budget", "Budget", "money"),
                     C("visits", "Visits", "count"), C("conversions", "Conversions", "count"),
                     C("revenue", "Revenue", "money"), C("cpa", "CPA", "money"),
                     C("roas", "ROAS", "ratio"), C("roi", "ROI", "percent"),
                     C("cost_per_visit", "Cost per visit", "money"))  # fmt: skip
ATTRIBUTION_COLUMNS = (C("campaign", "Campaign, channel or source"),
                       *(C(name, name.replace("_", " ").capitalize(), "money")
                         for name, _, _ in MODELS))  # fmt: skip
GOAL_OPTION = Option("goal", "text", "A goal of the plan to credit, instead of orders.")


def _plan(name: str, doc: str, compute: Any, tables: tuple[Table, ...], split: Split,
          options: tuple[Option, ...] = (), chart: str = "table") -> Report:  # fmt: skip
    return Report(name, "plan", doc, _plan_run(compute), tables, split, options, chart=chart)


PLAN: tuple[Report, ...] = (
    _plan("goals", "Completions, conversions, conversion rate and value of each goal.", _goals,
          (Table("goals", GOAL_COLUMNS),), rows_table,
          (Option("by", "dimension", "A breakdown dimension, e.g. visit:channel."),)),
    _plan("funnels", "Each funnel's steps: visitors, drop-off, time between steps.", _funnels,
          (Table("funnel steps", FUNNEL_COLUMNS),), _split_funnels,
          (Option("funnel", "text", "Only this funnel of the plan."),
           Option("by", "dimension", "A visit: dimension to segment visitors by.")),
          chart="funnel"),
    _plan("kpis", "KPI pacing: actual, expected and forecast against each target.", _kpis,
          (Table("KPIs", KPI_COLUMNS),), _split_kpis),
    _plan("campaign-economics", "Spend, visits, conversions, revenue, CPA, ROAS, ROI.",
          _economics, (Table("campaigns", ECONOMICS_COLUMNS),
                       Table("channels", ECONOMICS_COLUMNS[1:])), _split_economics,
          (Option("model", "choice", "The attribution model that credits conversions.",
                  tuple(name for name, _, _ in MODELS), "last_non_direct"), GOAL_OPTION)),
    _plan("attribution", "Credit per campaign (or channel) under six attribution models.",
          _attribution, (Table("value credit", ATTRIBUTION_COLUMNS),
                         Table("conversions credit", ATTRIBUTION_COLUMNS)), _split_attribution,
          (Option("by", "choice", "What gets the credit.", GROUPINGS, "campaign"), GOAL_OPTION)),
)  # fmt: skip

#: Site health (``reports/health/``): from the logs, the uptime checks, and what it cost.
HEALTH: tuple[Report, ...] = (*LOGS_REPORTS, *UPTIME_REPORTS, *COST_REPORTS)
CATALOGUE: tuple[Report, ...] = (*TRAFFIC, *PLAN, *HEALTH)
CATALOGUE_BY_NAME = {r.name: r for r in CATALOGUE}
#: The traffic reports (``docs`` lists them apart from the plan reports).
REPORTS = TRAFFIC
REPORTS_BY_NAME = {r.name: r for r in REPORTS}
PLAN_REPORTS = PLAN
PLAN_REPORT_NAMES = tuple(r.name for r in PLAN)


def report_named(name: str, family: str | None = None) -> Report:
    report = CATALOGUE_BY_NAME.get(name)
    if report is None or family not in (None, report.family):
        names = [r.name for r in CATALOGUE if family in (None, r.family)]
        what = f"{family} report" if family else "report"
        raise QueryError(f"unknown {what} {name!r}; {what}s: {', '.join(names)}")
    return report


def run_catalog_report(db: ReportBackend, request: ReportRequest,
                       context: RunContext | None = None) -> dict[str, Any]:  # fmt: skip
    """Run the report a request names: the one entry point of every face."""
    return report_named(request.report).run(db, request, context or RunContext())


def report_tables(result: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """A report's result as (title, rows) tables: what the CLI prints and exports."""
    return report_named(result["report"]).split(result)


# ------------------------------------------------------- the dashboard, as data

PERIOD_LABELS = {"today": "Today", "yesterday": "Yesterday", "7d": "Last 7 days",
                 "30d": "Last 30 days", "90d": "Last 90 days", "month": "This month",
                 "last-month": "Last month", "year": "This year", "12mo": "Last 12 months",
                 "all": "All time"}  # fmt: skip
PERIODS = tuple({"name": p, "label": PERIOD_LABELS.get(p, p)} for p in PRESETS)
COMPARISON_LABELS = {"previous": "previous period", "year": "previous year"}
COMPARISON_CHOICES = tuple({"name": c, "label": COMPARISON_LABELS.get(c, c)} for c in COMPARISONS)


def _tab(report: str, label: str, filter_on: str | None = None) -> dict[str, str]:
    report_named(report)
    return {"report": report, "label": label, **({"filter_on": filter_on} if filter_on else {})}


#: ``filter_on``: the dimension a click on a row filters by (else the report's first).
DASHBOARD: dict[str, Any] = {
    "headline": ["visitors", "visits", "pageviews", "bounce_rate", "visit_duration", "requests",
                 "bots"],
    "series": ["visitors", "visits", "pageviews", "requests"],
    "panels": [
        {"id": "pages", "title": "Pages", "tabs": [
            _tab("pages", "Top pages"), _tab("entry-pages", "Entry pages"),
            _tab("exit-pages", "Exit pages")]},
        {"id": "sources", "title": "Sources", "tabs": [
            _tab("sources", "Sources"), _tab("channels", "Channels"),
            _tab("referrers", "Referrers"), _tab("campaigns", "Campaigns")]},
        {"id": "devices", "title": "Devices", "tabs": [
            _tab("devices", "Devices"), _tab("browsers", "Browsers"), _tab("os", "OS")]},
        {"id": "countries", "title": "Countries", "tabs": [_tab("countries", "Countries")]},
        {"id": "status", "title": "Responses", "tabs": [
            _tab("status", "Status codes"), _tab("not-found", "Not found")]},
        {"id": "bots", "title": "Bots", "tabs": [
            _tab("bots", "Bots by category", "event:bot_name")]},
    ],
}  # fmt: skip


# ------------------------------------------------ the former entry points, kept


def report_query(name: str, base: Query, interval: str = "day") -> Query:
    """The Query of a named traffic report, on top of the caller's site, period and filters."""
    report = report_named(name, "traffic")
    return traffic_query(report, _request_of(report, base, interval))


def run_report(db: ReportBackend, name: str, base: Query, interval: str = "day",
               budget: QueryBudget | None = None, source: str = "auto") -> dict[str, Any]:  # fmt: skip
    """A report from a base Query (its site, period, filters, bots, comparison, page);
    ``budget`` as in ``run_query``, its time limit covering all the report's statements;
    ``source`` as in ``run_query`` (``"raw"``: no daily rollup answers)."""
    report = report_named(name)
    return report.run(db, _request_of(report, base, interval), RunContext(budget, source=source))


def _request_of(report: Report, base: Query, interval: str) -> ReportRequest:
    request = make_request(report, base.site, base.period, (), base.include_bots, base.compare,
                           base.limit, base.offset, interval)  # fmt: skip
    return replace(request, filters=base.filters)


def period_request(report: Report, site: str, period: DateRange,
                   **options: str | None) -> ReportRequest:  # fmt: skip
    """A request for ``report`` over ``period`` with these options (None: the default)."""
    given = {k: v for k, v in options.items() if v is not None}
    return make_request(report, site, period, options=given)
