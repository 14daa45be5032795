"""What every command shares: the consoles, the --db and --site options, settings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from footfall.settings import Settings, load_settings

err_console = Console(stderr=True)
out_console = Console()

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Database file (default: $FOOTFALL_DB_PATH or ./footfall.duckdb)."),
]
SiteOption = Annotated[str | None, typer.Option("--site", help="Site name.")]


def settings_for(db: Path | None) -> Settings:
    """Settings read once (environment and file), with the command's --db."""
    return load_settings().with_db(db)
