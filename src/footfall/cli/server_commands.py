"""Commands around the server: serve, user accounts, API tokens, the tracker snippet."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from footfall.cli.common import DbOption, err_console, out_console, settings_for
from footfall.store.database import Database


def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the dashboard and the JSON API (one process owns the database)."""
    from footfall.web.server import serve as run_server

    settings = settings_for(db)
    err_console.print(f"Footfall on http://{host}:{port}/  (Ctrl+C stops)")
    run_server(settings, host, port)


def user_add(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Option(help="viewer, analyst or admin.")] = "viewer",
    site: Annotated[list[str] | None, typer.Option(help="Limit to a site (repeatable).")] = None,
    db: DbOption = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user; the password is asked twice (or read from stdin), hashed with argon2."""
    from footfall.auth.accounts import add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with Database(settings_for(db)) as database:
        add_user(database, name, password, role, site or None)
    out_console.print(f"user {name} ({role}) created")


def token(
    user: Annotated[str, typer.Argument(help="The user the token acts for.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "script",
    site: Annotated[list[str] | None, typer.Option(help="Limit to a site (repeatable).")] = None,
    writable: Annotated[
        bool, typer.Option(help="Also allow imports (read-only by default).")
    ] = False,
    db: DbOption = None,
) -> None:
    """Create an API token for scripts; it is printed once and stored hashed."""
    from footfall.auth.accounts import add_token

    with Database(settings_for(db)) as database:
        value = add_token(database, user, name, site or None, writable)
    out_console.print(value, highlight=False, soft_wrap=True)


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
    users = typer.Typer(help="User accounts: there is no default account.", no_args_is_help=True)
    users.command("add")(user_add)
    app.add_typer(users, name="user")
    app.command()(token)
    app.command("snippet")(snippet_command)
