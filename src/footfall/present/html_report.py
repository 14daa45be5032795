"""One self-contained HTML page for a site and a period, to mail to people without the CLI.

Every number comes from the report catalogue (``run_catalog_report``), so the page shows what ``footfall
report`` and the API show for the same period.  This module only picks the
reports and lays them out: headline numbers with their change, a time series,
top-N panels, the site's plan (goals, KPIs with their pacing, funnels) when it has
one, and the definition of each number.  The page carries an inline
stylesheet and inline SVG, and nothing else: no script, no font, no image, no
URL, so it looks the same offline, in a mail attachment and on paper.  Text
that comes from the logs (paths, referrers, campaign names) is escaped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import partial
from html import escape
from typing import Any

from footfall.present.svg_chart import Bar, bar_list, line_chart
from footfall.reports.catalog import DASHBOARD, REPORTS_BY_NAME, report_named, run_catalog_report
from footfall.reports.pacing import STATUS_TONES
from footfall.reports.plan_source import stored_plan
from footfall.reports.request import make_request
from footfall.reports.run import ReportBackend, site_timezone
from footfall.vocabulary.bots import BOT_CATEGORIES, BOT_CATEGORY_LABELS
from footfall.vocabulary.dimensions import DIMENSIONS_BY_NAME
from footfall.vocabulary.formatting import human_number
from footfall.vocabulary.metrics import METRICS, METRICS_BY_NAME
from footfall.vocabulary.periods import DateRange, zone

#: The dashboard's headline numbers (reports/catalog.py DASHBOARD), in its order.
HEADLINE: tuple[str, ...] = tuple(DASHBOARD["headline"])
CHART_METRICS = ("visitors", "pageviews")
WEEKLY_AFTER_DAYS = 92
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True, slots=True)
class Panel:
    report: str
    title: str


#: Every tab of the dashboard's panels (reports/catalog.py DASHBOARD), one panel each: paper
#: has no tabs.
PANELS: tuple[Panel, ...] = tuple(
    Panel(tab["report"], tab["label"]) for panel in DASHBOARD["panels"] for tab in panel["tabs"]
)


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the page shows, as ``run_report`` returned it."""

    site: str
    timezone: str
    period: DateRange
    compare: str | None
    include_bots: bool
    top: int
    interval: str  # day or week
    overview: dict[str, Any]
    series: dict[str, Any]
    series_before: dict[str, Any] | None
    panels: tuple[tuple[Panel, dict[str, Any]], ...]
    #: The plan reports (goals, kpis, funnels) by name; empty when the site has no plan.
    plan: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def nothing_before(self) -> bool:
        """The previous period holds no data at all: there is nothing to compare with."""
        previous = self.overview.get("previous")
        return previous is not None and not any(previous.get(name) for name in HEADLINE)


def build_html_report(
    db: ReportBackend,
    site: str,
    period: DateRange,
    compare: str | None = "previous",
    include_bots: bool = False,
    top: int = 10,
) -> str:
    """The report for ``site`` over ``period`` as one HTML5 document (a str)."""
    data = collect_report_data(db, site, period, compare, include_bots, top)
    return render_html_report(data, datetime.now(UTC))


def collect_report_data(
    db: ReportBackend,
    site: str,
    period: DateRange,
    compare: str | None = "previous",
    include_bots: bool = False,
    top: int = 10,
) -> ReportData:
    """Run every report the page needs; ``top`` rows per panel."""
    tz = site_timezone(db, site)
    interval = "week" if period.days > WEEKLY_AFTER_DAYS else "day"

    def run(name: str, when: DateRange = period, **more: Any) -> dict[str, Any]:
        request = make_request(report_named(name), site, when, include_bots=include_bots,
                               limit=top, **more)  # fmt: skip
        return run_catalog_report(db, request)

    overview = run("overview", compare=compare)
    series = run("timeseries", interval=interval)
    before = None
    if "comparison" in overview:
        other = overview["comparison"]["period"]
        earlier = DateRange(date.fromisoformat(other["from"]), date.fromisoformat(other["to"]))
        before = run("timeseries", earlier, interval=interval)
    panels = tuple((p, run(p.report)) for p in PANELS)
    plan = stored_plan(db, site)
    plan_reports = {}
    if plan is not None:
        wanted = {"goals": plan.goals, "kpis": plan.kpis, "funnels": plan.funnels}
        plan_reports = {name: run(name) for name, there in wanted.items() if there}
    return ReportData(site, tz, period, compare, include_bots, top, interval, overview, series,
                      before, panels, plan_reports)  # fmt: skip


def render_html_report(data: ReportData, generated_at: datetime) -> str:
    """The document for collected data; the same data and time give the same bytes."""
    title = f"{data.site} · {format_period(data.period)}"
    local = generated_at.astimezone(zone(data.timezone))
    body = [
        _header(data, title),
        '<main class="wrap">',
        _headline(data),
        _charts(data),
        _plan_section(data),
        '<section class="panels" aria-label="Breakdowns">',
        *(_panel(panel, result) for panel, result in data.panels),
        "</section>",
        _definitions(data),
        "</main>",
        '<footer class="wrap">Generated '
        f"{escape(local.strftime('%Y-%m-%d %H:%M'))} ({escape(data.timezone)}) by "
        "<strong>Footfall</strong> from the site's access logs. The numbers are those of "
        "<code>footfall report</code> for the same period.</footer>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="Footfall">\n'
        f"<title>{escape(title)} · Footfall</title>\n<style>{STYLE}</style>\n</head>\n"
        "<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


# --- words and numbers for people -------------------------------------------------------


def format_day(d: date, year: bool = True) -> str:
    text = f"{d.day} {MONTHS[d.month - 1]}"
    return f"{text} {d.year}" if year else text


def format_period(period: DateRange) -> str:
    if period.start == period.end:
        return format_day(period.start)
    same_year = period.start.year == period.end.year
    return f"{format_day(period.start, not same_year)} – {format_day(period.end)}"


def _metric_text(name: str, value: Any) -> str:
    return human_number(value, METRICS_BY_NAME[name].unit)


def change_html(name: str, change: float | None) -> str:
    """▲/▼ and the percentage; green or red only where up is clearly good or bad."""
    if change is None:
        return '<span class="change new" data-change="new">new</span>'
    direction = "up" if change > 0 else "down" if change < 0 else "same"
    arrow = {"up": "▲", "down": "▼", "same": "="}[direction]
    better = METRICS_BY_NAME[name].better  # up, down or None: no judgement
    mood = "neutral" if better is None or direction == "same" else (
        "good" if direction == better else "bad")  # fmt: skip
    return (
        f'<span class="change {direction} {mood}" data-change="{change}">'
        f"{arrow} {escape(human_number(abs(change), 'percent'))}</span>"
    )


def _compare_text(data: ReportData) -> str:
    if "comparison" not in data.overview:
        return ""
    other = data.overview["comparison"]["period"]
    earlier = DateRange(date.fromisoformat(other["from"]), date.fromisoformat(other["to"]))
    what = "the previous period" if data.compare == "previous" else "the same period a year before"
    return f"compared with {what}, {format_period(earlier)}"


def _compare_name(data: ReportData) -> str:
    return "Previous period" if data.compare == "previous" else "A year before"


# --- sections ----------------------------------------------------------------------------


def _header(data: ReportData, title: str) -> str:
    days = data.period.days
    facts = [f"{days} day{'s' if days != 1 else ''}", f"time zone {data.timezone}",
             "bots included" if data.include_bots else "bots left out"]  # fmt: skip
    compared = _compare_text(data)
    return (
        '<header class="wrap">'
        '<p class="brand">Footfall · web analytics report</p>'
        f"<h1>{escape(data.site)} <span>{escape(format_period(data.period))}</span></h1>"
        f'<p class="facts">{escape(" · ".join(facts))}'
        + (f"<br>{escape(compared[0].upper() + compared[1:])}" if compared else "")
        + "</p></header>"
    )


def _headline(data: ReportData) -> str:
    o = data.overview
    tiles = []
    for name in HEADLINE:
        metric = METRICS_BY_NAME[name]
        value = o.get(name, 0)
        parts = [
            f'<div class="kpi" data-metric="{name}" data-value="{escape(json.dumps(value))}">',
            f'<div class="kpi-label">{escape(metric.label)}</div>',
            f'<div class="kpi-value">{escape(_metric_text(name, value))}</div>',
        ]
        if "change" in o and data.nothing_before:
            parts.append('<div class="kpi-change"><span class="change none" '
                         'data-change="none">no data before</span></div>')  # fmt: skip
        elif "change" in o:
            previous = o["previous"].get(name, 0)
            parts.append(
                f'<div class="kpi-change">{change_html(name, o["change"].get(name))} '
                f'<span class="was" data-previous="{escape(json.dumps(previous))}">was '
                f"{escape(_metric_text(name, previous))}</span></div>"
            )
        parts.append("</div>")
        tiles.append("".join(parts))
    return f'<section class="kpis" aria-label="Headline numbers">{"".join(tiles)}</section>'


def _charts(data: ReportData) -> str:
    dim = f"time:{data.interval}"
    rows = data.series["rows"]
    days = [date.fromisoformat(r[dim]) for r in rows]
    if data.interval == "week":
        labels = [f"Week of {format_day(d)}" for d in days]
    else:
        labels = [f"{WEEKDAYS[d.weekday()]} {format_day(d)}" for d in days]
    axis = [format_day(d, year=False) for d in days]
    figures = []
    for name in CHART_METRICS:
        metric = METRICS_BY_NAME[name]
        heading = f"{metric.label} per {data.interval}"
        before = [r[name] for r in data.series_before["rows"]] if data.series_before else None
        fmt: Callable[[float], str] = partial(human_number, unit=metric.unit)
        svg = line_chart(labels, [r[name] for r in rows], title=heading, axis_labels=axis,
                         compare=before, compare_name=_compare_name(data), fmt=fmt)  # fmt: skip
        figures.append(
            f'<figure class="card chart-card" data-series="{name}">'
            f"<figcaption><h2>{escape(heading)}</h2></figcaption>{svg}</figure>"
        )
    return f'<section class="charts" aria-label="Over time">{"".join(figures)}</section>'


def _table(headers: list[str], rows: list[list[str]], label: str) -> str:
    """A table of cells already escaped, in a box that scrolls sideways on a phone."""
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (f'<div class="scroll"><table aria-label="{escape(label)}"><thead><tr>{head}</tr>'
            f"</thead><tbody>{body}</tbody></table></div>")  # fmt: skip


def _plan_section(data: ReportData) -> str:
    """Goals, KPIs with their pacing and funnels of the site's plan; nothing without one."""
    if not data.plan:
        return ""
    parts = ['<section class="card plan" data-section="plan" aria-label="Plan">',
             "<h2>Plan</h2>"]  # fmt: skip
    goals = data.plan.get("goals")
    if goals:
        currency = goals.get("currency", "")
        rows = [[escape(r["goal"]), escape(human_number(r["completions"], "count")),
                 escape(human_number(r["conversions"], "count")),
                 escape(human_number(r["conversion_rate"], "percent")),
                 escape(f"{human_number(float(r['goal_value']), 'money')} {currency}".strip())]
                for r in goals["rows"]]  # fmt: skip
        parts += ["<h3>Goals</h3>", _table(["Goal", "Completions", "Conversions",
                  "Conversion rate", "Value"], rows, "Goals")]  # fmt: skip
    kpis = data.plan.get("kpis")
    if kpis:
        rows = []
        for k in kpis["kpis"]:
            unit = k.get("unit") or "count"

            def num(value: Any, unit: str = unit) -> str:
                return f'<span class="num">{escape(human_number(value, unit))}</span>'

            tone = STATUS_TONES.get(k["status"], "neutral")
            goal = "at most" if k["direction"] == "at_most" else "at least"
            rows.append([
                escape(k["kpi"]),
                f'<span class="status {tone}" data-status="{escape(k["status"])}">'
                f"{escape(k['status'])}</span>",
                num(k.get("actual")), f"{goal} {num(k['target'])}", num(k.get("expected")),
                num(k.get("forecast")), escape(format_day(date.fromisoformat(k["deadline"]))),
            ])  # fmt: skip
        today = format_day(date.fromisoformat(kpis["today"])) if kpis.get("today") else ""
        parts += [f"<h3>KPIs <small>as of {escape(today)}</small></h3>" if today
                  else "<h3>KPIs</h3>",
                  _table(["KPI", "Status", "Actual", "Target", "Expected by now",
                          "Forecast", "Deadline"], rows, "KPIs")]  # fmt: skip
    funnels = data.plan.get("funnels")
    if funnels:
        for f in funnels["funnels"]:
            steps = f["segments"].get("all", [])
            rows = [[escape(s["step"]), escape(human_number(s["visitors"], "count")),
                     escape(human_number(s["dropoff"], "count")),
                     escape(human_number(s["dropoff_rate"], "percent")),
                     escape(human_number(s["share_of_entrants"], "percent"))]
                    for s in steps]  # fmt: skip
            parts += [f"<h3>Funnel · <span>{escape(f['funnel'])}</span></h3>",
                      _table(["Step", "Visitors", "Drop-off", "Drop-off rate",
                              "Share of entrants"], rows, f"Funnel {f['funnel']}")]  # fmt: skip
    parts.append("</section>")
    return "".join(parts)


def _cell(value: Any) -> str:
    return "(none)" if value is None or value == "" else str(value)


def _bar(report: str, dims: list[str], metrics: list[str], row: dict[str, Any]) -> Bar:
    first, *others = metrics
    texts = tuple(_metric_text(m, row[m]) for m in others)
    value = float(row[first] or 0)
    text = _metric_text(first, row[first])
    if report == "bots":
        category = row.get("event:bot_category")
        label = f"{BOT_CATEGORY_LABELS.get(str(category), _cell(category))}: {_cell(row.get('event:bot_name'))}"
        return Bar(label, value, text, texts, f"rule {_cell(row.get('event:bot_rule'))}")
    if report == "campaigns":
        note = f"{_cell(row.get('visit:utm_source'))} / {_cell(row.get('visit:utm_medium'))}"
        return Bar(_cell(row.get("visit:utm_campaign")), value, text, texts, note)
    return Bar(_cell(row[dims[0]]), value, text, texts, " · ".join(_cell(row[d]) for d in dims[1:]))


def _panel(panel: Panel, result: dict[str, Any]) -> str:
    dims, metrics, rows = result["dimensions"], result["metrics"], result["rows"]
    report = REPORTS_BY_NAME[panel.report]
    bars = [_bar(panel.report, dims, metrics, row) for row in rows]
    headers = [DIMENSIONS_BY_NAME[dims[0]].label if panel.report != "bots" else "Bot",
               *(METRICS_BY_NAME[m].label for m in metrics)]  # fmt: skip
    if panel.report == "campaigns":
        headers[0] = "Campaign · source / medium"
    total = result["total_rows"]
    shown, every = human_number(len(rows), "count"), human_number(total, "count")
    count = f"top {shown} of {every}" if total > len(rows) else f"{every} in all"
    body = (
        bar_list(bars, title=panel.title, headers=headers)
        if bars
        else '<p class="empty">Nothing in this period.</p>'
    )
    return (
        f'<article class="card panel" data-report="{escape(panel.report)}">'
        f"<h2>{escape(panel.title)} <small>{escape(count)}</small></h2>"
        f'<p class="what">{escape(report.doc)}</p>{body}</article>'
    )


def _definitions(data: ReportData) -> str:
    shown = set(HEADLINE) | set(CHART_METRICS)
    dims: set[str] = set()
    categories: set[str] = set()
    for panel, result in data.panels:
        shown.update(result["metrics"])
        dims.update(result["dimensions"])
        if panel.report == "bots":
            categories.update(str(r.get("event:bot_category")) for r in result["rows"])
    metric_items = [
        f'<dt id="def-{m.name}" data-definition="{m.name}">{escape(m.label)} '
        f"<small>{'counts bots too' if m.scope == 'all' else 'people'}</small></dt>"
        f"<dd>{escape(m.doc)}</dd>"
        for m in METRICS
        if m.name in shown
    ]
    dim_items = [
        f'<dt data-dimension="{escape(d.name)}">{escape(d.label)}</dt><dd>{escape(d.doc)}</dd>'
        for d in DIMENSIONS_BY_NAME.values()
        if d.name in dims
    ]
    bot_items = [
        f"<dt>{escape(c.label)}</dt><dd>{escape(c.doc)}</dd>"
        for c in BOT_CATEGORIES
        if c.name in categories
    ]
    people = (
        "People metrics leave bots out, as in this report"
        if not data.include_bots
        else "People metrics normally leave bots out; this report includes them"
    )
    return (
        '<section class="card definitions" id="definitions"><h2>Definitions</h2>'
        f"<p>{escape(people)}; metrics that count bots too are marked. Visitors are counted "
        "once a day: over several days the same person counts once per day.</p>"
        f"<h3>Metrics</h3><dl>{''.join(metric_items)}</dl>"
        f"<h3>Breakdowns</h3><dl>{''.join(dim_items)}</dl>"
        + (f"<h3>Bot categories</h3><dl>{''.join(bot_items)}</dl>" if bot_items else "")
        + "</section>"
    )


STYLE = """
:root{--ink:#1f2933;--muted:#66707c;--line:#e3e7eb;--bg:#f5f6f8;--card:#fff;--good:#137a3a;--bad:#b42318;--accent:#2563eb}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
.wrap{max-width:1180px;margin:0 auto;padding:0 16px}
header{padding-top:24px;padding-bottom:8px}
.brand{margin:0;color:var(--muted);font-size:13px;letter-spacing:.04em;text-transform:uppercase}
h1{margin:4px 0;font-size:28px;line-height:1.2;overflow-wrap:anywhere}
h1 span{display:block;font-size:18px;font-weight:500;color:var(--muted)}
.facts{margin:6px 0 0;color:var(--muted);font-size:14px}
h2{margin:0 0 4px;font-size:16px}
h2 small{font-weight:400;color:var(--muted);font-size:12px;margin-left:6px}
h3{margin:18px 0 6px;font-size:14px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
main{display:grid;gap:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;margin:0;min-width:0}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px;margin-top:12px}
.kpi{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.kpi-label{color:var(--muted);font-size:13px}
.kpi-value{font-size:26px;font-weight:650;line-height:1.25;font-variant-numeric:tabular-nums}
.kpi-change{font-size:13px;color:var(--muted)}
.change{font-weight:600;margin-right:4px;white-space:nowrap}
.was{white-space:nowrap}
.change.good{color:var(--good)}.change.bad{color:var(--bad)}.change.neutral,.change.new{color:var(--ink)}
.change.none{color:var(--muted);font-weight:400}
.charts,.panels{display:grid;gap:16px;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr))}
figcaption{margin-bottom:6px}
svg.chart{display:block;width:100%;height:auto}
svg.bar-list{max-width:620px}
.what{margin:0 0 10px;color:var(--muted);font-size:13px}
.empty{color:var(--muted);font-style:italic}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:4px 10px 4px 0;border-bottom:1px solid var(--line);white-space:nowrap}
th{font-size:13px;color:var(--muted);font-weight:600}
h3 small{text-transform:none;letter-spacing:0;font-weight:400}
.status{font-weight:600}.status.good{color:var(--good)}.status.bad{color:var(--bad)}
.definitions p{margin:4px 0}
dl{display:grid;grid-template-columns:minmax(120px,200px) 1fr;gap:6px 16px;margin:0}
dt{font-weight:600}
dt small{display:block;font-weight:400;color:var(--muted)}
dd{margin:0}
footer{color:var(--muted);font-size:13px;padding-top:20px;padding-bottom:32px}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.92em}
@media (max-width:600px){body{font-size:14px}h1{font-size:22px}.kpi-value{font-size:21px}dl{grid-template-columns:1fr}dd{margin-bottom:8px}}
@media print{body{background:#fff;font-size:11pt}.card,.kpi{border-color:#ccc;break-inside:avoid}.wrap{max-width:none}.charts,.panels{grid-template-columns:1fr 1fr}}
""".strip()
