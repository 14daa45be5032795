"""``footfall plan ...`` and ``footfall load ...``: the measurement plan and business data."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from footfall.cli.common import DbOption, err_console, out_console, settings_for
from footfall.errors import ConfigError

plan_app = typer.Typer(help="The measurement plan: check it, document it, apply it.",
                       no_args_is_help=True)  # fmt: skip
PlanFile = Annotated[Path, typer.Argument(help="The plan file (TOML, `footfall docs plan`).")]


@plan_app.command("check")
def check(file: PlanFile, db: DbOption = None) -> None:
    """Validate a plan file, then check it against the stored data (exit 1 on findings)."""
    from footfall.plan.parse import load_plan
    from footfall.reports.plan_check import check_plan
    from footfall.store.database import Database

    plan = load_plan(file)
    with Database(settings_for(db), read_only=True) as database:
        findings = check_plan(database, plan)
    for finding in findings:
        err_console.print(finding.text(str(file)), highlight=False, soft_wrap=True)
    if findings:
        raise typer.Exit(1)
    out_console.print(f"{file}: {len(plan.goals)} goals, {len(plan.funnels)} funnels, "
                      f"{len(plan.kpis)} KPIs, {len(plan.campaigns)} campaigns: all fit the data")  # fmt: skip


@plan_app.command("doc")
def doc(
    file: PlanFile,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
) -> None:
    """Render the plan as a readable Markdown document."""
    from footfall.plan.document import render_plan
    from footfall.plan.parse import load_plan

    text = render_plan(load_plan(file))
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {out}")


@plan_app.command("apply")
def apply(file: PlanFile, db: DbOption = None) -> None:
    """Make this file the plan of its site: reports, API and dashboard use it from now on."""
    from footfall.plan.parse import load_plan
    from footfall.reports.plan_check import check_plan
    from footfall.store.business import save_plan
    from footfall.store.database import Database
    from footfall.store.sites import site_exists

    plan = load_plan(file)
    with Database(settings_for(db)) as database:
        if not site_exists(database, plan.site):
            raise ConfigError(f"site {plan.site!r} does not exist: import data or run "
                              f"`footfall site {plan.site}` first")  # fmt: skip
        save_plan(database, plan.site, str(file), plan.text)
        findings = check_plan(database, plan)
    for finding in findings:
        err_console.print(f"warning: {finding.text(str(file))}", highlight=False, soft_wrap=True)
    out_console.print(f"applied {file} to site {plan.site}")


def load(
    kind: Annotated[str, typer.Argument(help="spend, orders, conversions or rates.")],
    file: Annotated[
        Path, typer.Argument(help="The CSV file (`footfall docs plan` lists the columns).")
    ],
    site: Annotated[str, typer.Option("--site", help="Site the data belongs to.")],
    db: DbOption = None,
) -> None:
    """Import business data from CSV: idempotent by natural key, bad rows listed with line."""
    from footfall.collect.business_csv import read_csv
    from footfall.store.business import upsert
    from footfall.store.database import Database
    from footfall.store.sites import site_exists

    parsed = read_csv(file, kind)
    with Database(settings_for(db)) as database:
        if not site_exists(database, site):
            raise ConfigError(f"unknown site {site!r}")
        new, replaced = upsert(database, parsed.kind.table, site, parsed.rows)
    for reject in parsed.rejects:
        err_console.print(f"rejected {reject.message(str(file))}", highlight=False, soft_wrap=True)
    out_console.print(f"{file}: {new} new, {replaced} updated, {len(parsed.rejects)} rejected"
                      + (f", {parsed.duplicates} repeated in the file (last kept)"
                         if parsed.duplicates else ""))  # fmt: skip
    if parsed.rejects:
        raise typer.Exit(1)


def print_plan_report(result: dict[str, Any], fmt: str) -> None:
    import json

    from rich.table import Table

    from footfall.reports.plan_catalog import plan_csv, plan_tables

    if fmt == "json":
        sys.stdout.write(json.dumps(result, indent=2, default=str) + "\n")
        return
    if fmt == "csv":
        sys.stdout.write(plan_csv(result))
        return
    tables = plan_tables(result)
    for title, rows in tables:
        table = Table(title=title, title_justify="left")
        columns = [k for k in (rows[0] if rows else {}) if not isinstance(rows[0][k], dict | list)]
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*("–" if row[c] is None else str(row[c]) for c in columns))
        out_console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")
    app.command("load")(load)
