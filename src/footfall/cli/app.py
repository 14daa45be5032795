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
from footfall.cli.plan_commands import print_plan_report
from footfall.cli.plan_commands import register as register_plan_commands
from footfall.cli.server_commands import register as register_server_commands
from footfall.collect.jsonlog import parse_json_keys
from footfall.demo.spec import DemoSpec
from footfall.errors import ConfigError, DatabaseBusy, FootfallError, QueryError
from footfall.pipeline.importer import ImportReport, ImportRequest, run_import
from footfall.plan.parse import load_plan
from footfall.plan.stored import site_plan
from footfall.reports.catalog import REPORTS, run_report
from footfall.reports.plan_catalog import PLAN_REPORT_NAMES, PlanOptions, run_plan_report
from footfall.reports.run import data_range, resolve_period, site_timezone
from footfall.settings import Settings
from footfall.store.database import Database
from footfall.store.sites import list_sites
from footfall.vocabulary.periods import preset_range, today_in
from footfall.vocabulary.query import Query, parse_filter_text

app = typer.Typer(
    help="Footfall: web analytics from your access logs, on one machine.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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
    "channel or source."
)


@app.command()
def report(
    name: Annotated[
        str,
        typer.Argument(
            help="Report: "
            + ", ".join([*(r.name for r in REPORTS), *PLAN_REPORT_NAMES])
            + ", or html"
        ),
    ],
    db: DbOption = None,
    site: SiteOption = None,
    start: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (included).")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            help="today, yesterday, 7d, 30d, 90d, Nd, month, last-month, year, 12mo, all."
        ),
    ] = None,
    filter: Annotated[
        list[str] | None,
        typer.Option("--filter", help="DIM=VALUE, DIM!=VALUE, DIM~TEXT, DIM=~REGEX (repeatable)."),
    ] = None,
    compare: Annotated[str | None, typer.Option(help="previous or year.")] = None,
    include_bots: Annotated[
        bool, typer.Option("--include-bots", help="Count bots as visitors.")
    ] = False,
    interval: Annotated[str, typer.Option(help="timeseries: hour, day, week or month.")] = "day",
    limit: Annotated[int, typer.Option(help="Rows to show.")] = 20,
    output: Annotated[str, typer.Option("--format", help="table, json or csv.")] = "table",
    out: Annotated[
        Path | None, typer.Option("--out", help="report html: the file to write.")
    ] = None,
    plan_file: Annotated[
        Path | None, typer.Option("--plan", help="Plan reports: this file, not the applied plan.")
    ] = None,
    by: Annotated[str | None, typer.Option(help=BY_HELP)] = None,
    funnel: Annotated[str | None, typer.Option(help="funnels: only this funnel.")] = None,
    model: Annotated[str, typer.Option(help="campaign-economics: the attribution model.")] = (
        "last_non_direct"
    ),
    goal: Annotated[
        str | None, typer.Option(help="attribution, campaign-economics: a goal, not orders.")
    ] = None,
) -> None:
    """Print a report for a period, optionally filtered and compared.

    `footfall report html --out report.html` writes one self-contained HTML file instead.
    Plan reports (goals, funnels, kpis, campaign-economics, attribution) read the site's
    measurement plan (docs/plan.md)."""
    from footfall.cli.output import FORMATS, print_result

    if output not in FORMATS:
        raise ConfigError(f"--format must be one of {', '.join(FORMATS)}")
    if interval not in ("hour", "day", "week", "month"):
        raise ConfigError("--interval must be hour, day, week or month")
    with Database(settings_for(db), read_only=True) as database:
        chosen = _resolve_site(database, site)
        tz = site_timezone(database, chosen)
        base = Query(
            site=chosen,
            metrics=("visits",),
            period=resolve_period(database, chosen, tz, period, start, end),
            filters=tuple(parse_filter_text(f) for f in filter or ()),
            include_bots=include_bots,
            limit=limit,
            compare=compare,
        )
        if name == "html":
            _write_html(database, base, out)
            return
        if name in PLAN_REPORT_NAMES:
            plan = load_plan(plan_file) if plan_file else site_plan(database, chosen)
            options = PlanOptions(dimension=by if name in ("goals", "funnels") else None,
                                  funnel=funnel, model=model, goal=goal,
                                  by=by if name == "attribution" and by else "campaign",
                                  include_bots=include_bots)  # fmt: skip
            plan_result = run_plan_report(database, plan, name, base.period, tz, options)
            print_plan_report(plan_result, output)
            return
        result = run_report(database, name, base, interval)
    print_result(result, output, out_console)


def _write_html(database: Database, base: Query, out: Path | None) -> None:
    from footfall.present.html_report import build_html_report

    if out is None:
        raise ConfigError("report html needs --out FILE")
    page = build_html_report(database, base.site, base.period, base.compare or "previous",
                             base.include_bots)  # fmt: skip
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

    with Database(settings_for(db), read_only=True) as database:
        chosen = _resolve_site(database, site)
        rows = database.fetchall(
            "SELECT s.name, r.line_no, r.reason, r.line FROM rejects r "
            "JOIN sources s USING (file_id) WHERE r.site = ? ORDER BY s.name, r.line_no LIMIT ?",
            [chosen, limit],
        )
        total = database.fetchone("SELECT count(*) FROM rejects WHERE site = ?", [chosen])
    table = Table(title=f"Rejected lines · {chosen} · {total[0] if total else 0:,} in all",
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
) -> None:
    """Generate a realistic multi-week log, import it and show the overview."""
    from footfall.cli.output import print_result
    from footfall.cli.progress import RichImportProgress
    from footfall.demo.generator import write_demo_log

    db.parent.mkdir(parents=True, exist_ok=True)
    log = db.parent / "access.log"
    spec = DemoSpec(days=days, end=date.today() - timedelta(days=1), daily_visitors=visitors)
    if not log.exists():
        with err_console.status(f"writing {log} ({days} days)…"):
            summary = write_demo_log(log, spec)
        err_console.print(f"wrote {log}: {summary.lines:,} lines")
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
        base = Query(site="demo", metrics=("visits",),
                     period=preset_range("all", today_in(tz), data_range(database, "demo", tz)))  # fmt: skip
        overview = run_report(database, "overview", base)
        channels = run_report(database, "channels", replace(base, limit=8))
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
        str | None, typer.Option(help="none, truncated or full (docs/privacy.md).")
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

    from footfall.store.sites import add_hosts, ensure_site, load_site, prune_salts, update_site
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
    directory: Annotated[Path, typer.Option("--dir", help="The docs folder.")] = Path("docs"),
    write: Annotated[bool, typer.Option("--write", help="Rewrite stale generated tables.")] = False,
) -> None:
    """Check (or rewrite) the reference tables in docs/ that come from the code's registries."""
    from footfall.reference import update_docs

    stale = update_docs(directory, write)
    if stale and not write:
        err_console.print("out of date: " + ", ".join(stale) + " (run `footfall docs --write`)")
        raise typer.Exit(1)
    out_console.print("rewrote " + ", ".join(stale) if stale else "docs are up to date")


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
