"""Commands around the server: serve, user accounts, API tokens, the tracker snippet."""

from __future__ import annotations

from typing import Annotated

import typer

from footfall.cli.account_commands import register as register_account_commands
from footfall.cli.common import DbOption, err_console, out_console, settings_for
from footfall.errors import ConfigError


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    create: Annotated[
        bool, typer.Option("--create", help="Start an empty database if the file does not exist.")
    ] = False,
) -> None:
    """Serve the dashboard and the JSON API (one process owns the database)."""
    from footfall.web.server import serve as run_server

    settings = settings_for(db)
    if not create and not settings.db_path.exists():
        raise ConfigError(
            f"{settings.db_path}: no such database; check --db (or FOOTFALL_DB_PATH), or add "
            "--create to start an empty one"
        )
    run_server(settings, host, port,
               ready=lambda: err_console.print(f"Footfall on http://{host}:{port}/  (Ctrl+C stops)"))  # fmt: skip


def snippet_command(
    site: Annotated[str, typer.Argument(help="The site, named as in data-domain.")],
    url: Annotated[
        str, typer.Option(help="Where `footfall serve` is reachable.")
    ] = "http://127.0.0.1:8000",
    timing: Annotated[bool, typer.Option(help="Also load the page-timing extension.")] = False,
) -> None:
    """Print the tracker snippet to paste before </head> of every page of SITE."""
    from footfall.web.tracker import snippet

    out_console.print(snippet(url, site, timing), highlight=False, soft_wrap=True, markup=False)


def register(app: typer.Typer) -> None:
    app.command()(serve)
    register_account_commands(app)
    app.command("snippet")(snippet_command)
