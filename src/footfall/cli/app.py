"""The ``footfall`` command: presentation only, every decision lives below it.

Errors that Footfall raises on purpose print one line and exit 2; an import
where some input failed exits 1 after importing the rest.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer

from footfall.cli.common import DbOption, SiteOption, err_console, out_console, settings_for
from footfall.cli.plan_commands import register as register_plan_commands
from footfall.cli.server_commands import register as register_server_commands
from footfall.collect.jsonlog import parse_json_keys
from footfall.demo.spec import DemoSpec
from footfall.errors import ConfigError, DatabaseBusy, FootfallError, QueryError
from footfall.pipeline.importer import ImportReport, ImportRequest, run_import
from footfall.plan.parse import load_plan
from footfall.reports.catalog import (
    CATALOGUE,
    RunContext,
    period_request,
    report_named,
    run_catalog_report,
)
from footfall.reports.request import request_from_flags
from footfall.reports.run import data_range, resolve_period, site_timezone
from footfall.settings import Settings
from footfall.store.database import Database
from footfall.store.sites import list_sites
from footfall.vocabulary.periods import DateRange, preset_range, today_in
from footfall.vocabulary.query import parse_filter_text

app = typer.Typer(
    help="Footfall: web analytics from your access logs, on one machine.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        out_console.print(f"footfall {version('footfall')}", highlight=False)
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True,
                     help="Print the version and exit."),
    ] = False,
) -> None:  # fmt: skip
    """Footfall: web analytics from your access logs, on one machine."""


@app.command("import")
def import_command(
    paths: Annotated[
        list[str], typer.Argument(help="Log files, globs, directories, or - for stdin.")
    ],
    db: DbOption = None,
    site: Annotated[str, typer.Option(help="Site the hits belong to.")] = "default",
    format: Annotated[
        str | None, typer.Option("--format", help="Format name (see `footfall formats`).")
    ] = None,
    log_format: Annotated[
        str | None, typer.Option(help="Custom Apache LogFormat or nginx log_format string.")
    ] = None,
    host: Annotated[
        list[str] | None, typer.Option(help="A host name of this site (repeatable).")
    ] = None,
    json_keys: Annotated[
        str | None,
        typer.Option(
            help="JSON logs: FIELD=KEY pairs naming each field's key, e.g. "
            "'time=ts,client_ip=remote,path=req.uri' (dots for nested objects)."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress, no summary.")] = False,
) -> None:
    """Import access logs: idempotent, resumable, bad lines kept as rejects."""
    from footfall.cli.progress import RichImportProgress

    settings = settings_for(db)
    if format and log_format:
        raise ConfigError("use either --format or --log-format, not both")
    keys = parse_json_keys(json_keys) if json_keys else ()
    if keys and (log_format or format not in (None, "json")):
        raise ConfigError(
            "--json-keys names the keys of JSON logs; it does not go with --log-format or a "
            "--format other than json"
        )
    request = ImportRequest(paths, site, format, log_format, tuple(host or ()), json_keys=keys)
    show = not quiet and err_console.is_terminal
    progress = RichImportProgress(err_console) if show else None
    try:
        report = run_import(settings, request, progress)
    except DatabaseBusy as busy:
        from footfall.cli.remote_import import import_through_server

        if progress is not None:
            progress.close()
            progress = None
        err_console.print("the database is open in `footfall serve`: importing through it")
        report = import_through_server(settings, request, busy)
    finally:
        if progress is not None:
            progress.close()
    if not quiet:
        _print_import(report)
    for failed in report.failed:
        err_console.print(f"[red]error:[/red] {failed.message}", highlight=False)
    if report.failed:
        raise typer.Exit(1)


def _print_import(report: ImportReport) -> None:
    from rich.table import Table

    table = Table(title="Import", title_justify="left")
    for col in ("Source", "Status", "Format", "Lines", "Stored", "Rejected", "Lines/s"):
        table.add_column(
            col, justify="right" if col in ("Lines", "Stored", "Rejected", "Lines/s") else "left"
        )
    for s in report.sources:
        rate = f"{s.lines / s.seconds:,.0f}" if s.seconds > 0 and s.lines else ""
        table.add_row(s.name, s.status, s.format, f"{s.lines:,}", f"{s.stored:,}",
                      f"{s.rejected:,}", rate)  # fmt: skip
    err_console.print(table)
    for s in report.sources:
        if s.message and s.status != "failed":
            err_console.print(f"[yellow]note:[/yellow] {s.name}: {s.message}", highlight=False)
    if any(s.rejected for s in report.sources):
        err_console.print("Rejected lines are kept: see `footfall rejects`.")


def _resolve_site(database: Database, site: str | None) -> str:
    if site:
        return site
    sites = list_sites(database)
    if len(sites) == 1:
        return sites[0]
    if not sites:
        raise QueryError(f"{database.path}: no data yet; run `footfall import` first")
    raise QueryError(f"several sites ({', '.join(sites)}): choose one with --site")


BY_HELP = (
    "goals: a breakdown dimension; funnels: a visit: segment; attribution: campaign, "
    "channel or source (the same as --option by=...)."
)
Period = Annotated[
    str | None,
    typer.Option(help="today, yesterday, 7d, 30d, 90d, Nd, month, last-month, year, 12mo, all."),
]
Start = Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")]
End = Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (included).")]
Filters = Annotated[
    list[str] | None,
    typer.Option("--filter", help="DIM=VALUE, DIM!=VALUE, DIM~TEXT, DIM=~REGEX (repeatable)."),
]
Compare = Annotated[str | None, typer.Option(help="previous or year.")]
Bots = Annotated[bool, typer.Option("--include-bots", help="Count bots as visitors.")]
Interval = Annotated[str | None, typer.Option(help="Time series: hour, day, week or month.")]
Limit = Annotated[int, typer.Option(help="Rows to show.")]
Offset = Annotated[int, typer.Option(help="Rows to skip.")]
Output = Annotated[str, typer.Option("--format", help="table, json or csv.")]
Explain = Annotated[
    bool,
    typer.Option("--explain", help="Also print which source answered (a daily rollup or the "
                 "raw rows, and why) and the SQL."),
]  # fmt: skip
Alias = Annotated[str | None, typer.Option(hidden=True)]


@app.command()
def report(
    name: Annotated[str, typer.Argument(help="A report (`footfall reports` lists them), or html.")],
    db: DbOption = None,
    site: SiteOption = None,
    start: Start = None,
    end: End = None,
    period: Period = None,
    filter: Filters = None,
    compare: Compare = None,
    include_bots: Bots = False,
    interval: Interval = None,
    limit: Limit = 20,
    offset: Offset = 0,
    output: Output = "table",
    option: Annotated[
        list[str] | None,
        typer.Option("--option", "-o", help="KEY=VALUE: an option of this report (repeatable)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="report html: the file to write.")
    ] = None,
    plan_file: Annotated[
        Path | None, typer.Option("--plan", help="Plan reports: this file, not the applied plan.")
    ] = None,
    by: Annotated[str | None, typer.Option(help=BY_HELP)] = None,
    funnel: Alias = None,
    model: Alias = None,
    goal: Alias = None,
    explain: Explain = False,
) -> None:
    """Print a report for a period, optionally filtered and compared.

    A report's own options go as `--option KEY=VALUE` (`footfall reports` lists them;
    `--by`, `--funnel`, `--model` and `--goal` are short for the same). Plan reports
    (goals, funnels, kpis, campaign-economics, attribution) read the site's measurement
    plan (`footfall docs plan`). `footfall report html --out report.html` writes one
    self-contained HTML file instead."""
    from footfall.cli.output import FORMATS, print_report

    if output not in FORMATS:
        raise ConfigError(f"--format must be one of {', '.join(FORMATS)}")
    record = None if name == "html" else report_named(name)
    settings = settings_for(db)
    try:
        database = Database(settings, read_only=True)
    except DatabaseBusy as busy:
        from footfall.cli.remote_report import Server, report_params
        from footfall.reports.request import option_pairs

        server = Server(settings, busy)
        if record is None or plan_file is not None:
            what = "report html" if record is None else "--plan"
            raise ConfigError(f"{what} needs the database, which `footfall serve` at "
                              f"{server.url} has open: stop it, or use its dashboard") from busy  # fmt: skip
        aliases = {"by": by, "funnel": funnel, "model": model, "goal": goal}
        given = {k: v for k, v in aliases.items() if v is not None} | option_pairs(option or ())
        result = server.report(record.name, report_params(
            server.site(site), period, start, end, filter or [], compare, include_bots,
            interval, limit, offset, given, explain))  # fmt: skip
        print_report(result, output, out_console)
        _print_explain(result, output)
        return
    with database:
        chosen = _resolve_site(database, site)
        tz = site_timezone(database, chosen)
        dates = resolve_period(database, chosen, tz, period, start, end)
        if record is None:
            _write_html(database, chosen, dates, compare, include_bots, out)
            return
        wanted = request_from_flags(record, chosen, dates, filter or (), include_bots, compare,
                                    limit, offset, interval, option or (),
                                    {"by": by, "funnel": funnel, "model": model, "goal": goal})  # fmt: skip
        plan = load_plan(plan_file) if plan_file else None
        result = run_catalog_report(database, wanted, RunContext(plan=plan, explain=explain))
    print_report(result, output, out_console)
    _print_explain(result, output)


def _print_explain(result: dict[str, object], output: str) -> None:
    """``--explain``: in the JSON itself, else after the table (on stderr after CSV)."""
    explain = result.get("explain")
    if not isinstance(explain, dict) or output == "json":
        return
    console = err_console if output == "csv" else out_console
    console.print(f"source: {explain['source']}", markup=False, highlight=False)
    for statement in explain.get("statements") or []:
        console.print(f"-- {statement['source']}\n{statement['sql']};", markup=False,
                      highlight=False, soft_wrap=True)  # fmt: skip


@app.command("reports")
def reports_command() -> None:
    """List every report: its family, its options and what it shows."""
    from rich.table import Table

    table = Table(title="Reports (footfall report NAME)", title_justify="left")
    for col in ("Name", "Family", "Options", "What"):
        table.add_column(col, overflow="fold")
    for r in CATALOGUE:
        options = ", ".join(
            f"{o.name}={'|'.join(o.choices) if o.choices else o.type.upper()}" for o in r.options
        )
        table.add_row(r.name, r.family, options, r.doc)
    out_console.print(table)


@app.command("query")
def query_command(
    metric: Annotated[list[str], typer.Option("--metric", "-m", help="A metric (repeatable).")],
    dimension: Annotated[
        list[str] | None, typer.Option("--dimension", "-d", help="A dimension (repeatable).")
    ] = None,
    db: DbOption = None,
    site: SiteOption = None,
    start: Start = None,
    end: End = None,
    period: Period = None,
    filter: Filters = None,
    compare: Compare = None,
    include_bots: Bots = False,
    goal: Annotated[str | None, typer.Option(help="The plan goal goal metrics count.")] = None,
    limit: Limit = 20,
    offset: Offset = 0,
    output: Output = "table",
    explain: Explain = False,
) -> None:
    """Any metrics by any dimensions: the query of POST /api/v1/query, from the command line."""
    from footfall.cli.output import FORMATS, print_result
    from footfall.reports.catalog import explain_of
    from footfall.reports.run import run_query
    from footfall.vocabulary.query import query_from_dict

    if output not in FORMATS:
        raise ConfigError(f"--format must be one of {', '.join(FORMATS)}")
    settings = settings_for(db)
    filters = [parse_filter_text(f) for f in filter or ()]
    body = {"metrics": metric, "dimensions": dimension or [],
            "filters": [[f.dimension, f.op, list(f.values)] for f in filters],
            "include_bots": include_bots, "compare": compare, "goal": goal, "limit": limit,
            "offset": offset}  # fmt: skip
    try:
        database = Database(settings, read_only=True)
    except DatabaseBusy as busy:
        from footfall.cli.remote_report import Server

        server = Server(settings, busy)
        body = {"site": server.site(site), **body, "explain": explain}
        result = server.query(body, period, start, end)
        print_result(result, output, out_console)
        _print_explain(result, output)
        return
    with database:
        chosen = _resolve_site(database, site)
        dates = resolve_period(database, chosen, site_timezone(database, chosen), period, start,
                               end)  # fmt: skip
        body = {"site": chosen, **body}
        answer = run_query(database, query_from_dict(body, dates))
        result = answer.as_dict()
        if explain:
            result["explain"] = explain_of(answer.explain)
    print_result(result, output, out_console)
    _print_explain(result, output)


def _write_html(database: Database, site: str, period: DateRange, compare: str | None,
                include_bots: bool, out: Path | None) -> None:  # fmt: skip
    from footfall.present.html_report import build_html_report

    if out is None:
        raise ConfigError("report html needs --out FILE")
    page = build_html_report(database, site, period, compare or "previous", include_bots)
    out.write_text(page, encoding="utf-8")
    err_console.print(f"wrote {out} ({len(page.encode()) / 1024:,.0f} KiB)")


@app.command()
def rejects(
    db: DbOption = None,
    site: SiteOption = None,
    limit: Annotated[int, typer.Option(help="Rows to show.")] = 50,
) -> None:
    """List rejected lines with file, line number and reason."""
    from rich.table import Table

    from footfall.store.rejects import count_rejects, rejected_lines

    with Database(settings_for(db), read_only=True) as database:
        chosen = _resolve_site(database, site)
        rows = rejected_lines(database, chosen, limit)
        total = count_rejects(database, chosen)
    table = Table(title=f"Rejected lines · {chosen} · {total:,} in all",
                  title_justify="left")  # fmt: skip
    for col in ("File", "Line", "Reason", "Text"):
        table.add_column(col, overflow="fold")
    for name, line_no, reason, line in rows:
        table.add_row(name, str(line_no), reason, line[:120])
    out_console.print(table)


@app.command()
def formats() -> None:
    """List the log formats Footfall reads."""
    from rich.table import Table

    from footfall.collect.formats import LOG_FORMATS

    table = Table(title="Log formats (auto-detected; --format NAME to force)", title_justify="left")
    for col in ("Name", "Format string", "Notes"):
        table.add_column(col, overflow="fold")
    for f in LOG_FORMATS:
        table.add_row(f.name, f.spec or "(described by the file)", f.doc)
    out_console.print(table)


@app.command()
def demo(
    db: Annotated[Path, typer.Option("--db", help="Database file for the demo.")] = Path(
        "demo/footfall.duckdb"
    ),
    days: Annotated[int, typer.Option(help="Days of traffic to generate.")] = 42,
    visitors: Annotated[int, typer.Option(help="Average human visitors per day.")] = 600,
    today: Annotated[
        str | None,
        typer.Option(
            envvar="FOOTFALL_TODAY",
            metavar="YYYY-MM-DD",
            help="Generate as if today were this day (the log ends the day before).",
        ),
    ] = None,
) -> None:
    """Generate a realistic multi-week log, import it and show the overview.

    Run again, it keeps the log it wrote and that log's period (``demo.json``), so the
    plan and the spend it loads, and every report, stay the same on any later day."""
    from footfall.cli.output import print_result
    from footfall.cli.progress import RichImportProgress
    from footfall.demo.generator import write_demo_log
    from footfall.demo.state import kept_spec, save_spec

    db.parent.mkdir(parents=True, exist_ok=True)
    log = db.parent / "access.log"
    try:
        end = (date.fromisoformat(today) if today else date.today()) - timedelta(days=1)
    except ValueError as err:
        raise typer.BadParameter(
            f"{today!r} is not a YYYY-MM-DD date", param_hint="--today"
        ) from err
    spec = kept_spec(db.parent, log)
    if spec is None:
        spec = DemoSpec(days=days, end=end, daily_visitors=visitors)
        with err_console.status(f"writing {log} ({days} days)…"):
            summary = write_demo_log(log, spec)
        save_spec(db.parent, spec)
        err_console.print(f"wrote {log}: {summary.lines:,} lines")
    else:
        err_console.print(f"keeping {log} ({spec.start} to {spec.end}); delete it for a new one")
    settings = settings_for(db)
    show = err_console.is_terminal
    progress = RichImportProgress(err_console) if show else None
    try:
        result = run_import(
            settings, ImportRequest([str(log)], "demo", hosts=(spec.site_host,)), progress
        )
    finally:
        if progress is not None:
            progress.close()
    _print_import(result)
    _demo_plan(settings, db.parent, spec)
    with Database(settings, read_only=True) as database:
        tz = site_timezone(database, "demo")
        every = preset_range("all", today_in(tz), data_range(database, "demo", tz))
        overview = run_catalog_report(database, period_request(report_named("overview"), "demo",
                                                                every))  # fmt: skip
        channels = run_catalog_report(database, replace(period_request(
            report_named("channels"), "demo", every), limit=8))  # fmt: skip
    print_result(overview, "table", out_console)
    print_result(channels, "table", out_console)
    out_console.print(
        f"\nDashboard: [bold]footfall serve --db {db}[/bold] then open http://127.0.0.1:8000/\n"
        f"More: [bold]footfall report sources --db {db}[/bold], [bold]footfall report bots "
        f"--db {db}[/bold], [bold]footfall report html --db {db} --out report.html[/bold]"
    )


def _demo_plan(settings: Settings, folder: Path, spec: DemoSpec) -> None:
    """The demo's measurement plan and campaign spend, applied (docs/plan.md)."""
    from footfall.collect.business_csv import read_csv
    from footfall.demo.plan import demo_plan, write_demo_spend
    from footfall.plan.parse import parse_plan
    from footfall.store.business import save_plan, upsert

    plan_file, spend_file = folder / "plan.toml", folder / "spend.csv"
    plan_file.write_text(demo_plan(spec), encoding="utf-8")
    write_demo_spend(spend_file, spec)
    plan = parse_plan(plan_file.read_text(encoding="utf-8"), str(plan_file))
    with Database(settings) as database:
        save_plan(database, "demo", str(plan_file), plan.text)
        upsert(database, "spend", "demo", read_csv(spend_file, "spend").rows)
    err_console.print(f"applied {plan_file} and loaded {spend_file}: try `footfall report kpis "
                      f"--db {settings.db_path}`")  # fmt: skip


@app.command()
def site(
    name: Annotated[str, typer.Argument(help="Site name.")],
    db: DbOption = None,
    host: Annotated[list[str] | None, typer.Option(help="Add a host name of this site.")] = None,
    ip_mode: Annotated[
        str | None, typer.Option(help="none, truncated or full (`footfall docs privacy`).")
    ] = None,
    timezone: Annotated[
        str | None, typer.Option(help="IANA time zone for reports, e.g. Europe/Paris.")
    ] = None,
    session_timeout: Annotated[
        int | None, typer.Option(help="Minutes of inactivity that end a visit.")
    ] = None,
    prune_salts_days: Annotated[
        int | None, typer.Option("--prune-salts", help="Forget salts of days older than N days.")
    ] = None,
) -> None:
    """Create a site or change its settings, then show them."""
    from rich.table import Table

    from footfall.store.salts import prune_salts
    from footfall.store.sites import add_hosts, ensure_site, load_site, update_site
    from footfall.vocabulary.periods import zone

    settings = settings_for(db)
    if timezone:
        zone(timezone)
    with Database(settings) as database, database.transaction():
        ensure_site(database, name, settings.site_defaults)
        if host:
            add_hosts(database, name, host)
        update_site(database, name, ip_mode, timezone, session_timeout)
        pruned = (
            prune_salts(database, name, prune_salts_days) if prune_salts_days is not None else 0
        )
        options = load_site(database, name)
    assert options is not None
    table = Table(title=f"site {name}", title_justify="left", show_header=False)
    table.add_row("hosts", ", ".join(options.hosts) or "(learnt at first import)")
    table.add_row("ip mode", options.ip_mode)
    table.add_row("time zone", options.timezone)
    table.add_row("session timeout", f"{options.session_timeout_minutes} min")
    out_console.print(table)
    if prune_salts_days is not None:
        out_console.print(f"forgot {pruned} daily salts older than {prune_salts_days} days")


@app.command()
def docs(
    name: Annotated[
        str | None, typer.Argument(help="A page to print, e.g. metrics; none: list them.")
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Source checkout: check the generated tables.")
    ] = False,
    write: Annotated[
        bool, typer.Option("--write", help="Source checkout: rewrite stale generated tables.")
    ] = False,
    directory: Annotated[
        Path, typer.Option("--dir", help="--check/--write: the docs folder.")
    ] = Path("docs"),
) -> None:
    """Read the documentation shipped with Footfall (`footfall docs metrics`), or check
    (--check) or rewrite (--write) the tables in docs/ that come from the code's registries."""
    from footfall.reference import doc_page, doc_pages, update_docs

    if check or write:
        if name is not None:
            raise ConfigError("--check and --write take no page name")
        if not (directory / "metrics.md").is_file():
            raise ConfigError(f"{directory}: not a docs folder of a Footfall source checkout "
                              "(--dir DOCS names one)")  # fmt: skip
        stale = update_docs(directory, write)
        if stale and not write:
            err_console.print("out of date: " + ", ".join(stale) + " (run `footfall docs --write`)")
            raise typer.Exit(1)
        out_console.print("rewrote " + ", ".join(stale) if stale else "docs are up to date")
        return
    if name is None:
        from rich.table import Table

        table = Table(title="Documentation (footfall docs NAME)", title_justify="left")
        table.add_column("Name")
        table.add_column("Page")
        for page, title in doc_pages().items():
            table.add_row(page, title)
        out_console.print(table)
        return
    sys.stdout.write(doc_page(name))


register_server_commands(app)
register_plan_commands(app)


def main() -> None:
    try:
        app()
    except FootfallError as err:
        err_console.print(f"[red]error:[/red] {err}", highlight=False, soft_wrap=True)
        sys.exit(err.exit_code)


if __name__ == "__main__":
    main()
