"""``footfall user ...`` and ``footfall token ...``: the account lifecycle on the command line.

The rules live in ``auth/accounts.py``.  When ``footfall serve`` owns the database the
commands go through its API (``web/admin_api.py``) with the server's local secret, so
the change takes effect at once and is audited in the server's log; otherwise they open
the file directly.  ``footfall token USER --name ...`` still creates a token.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import click
import typer
from rich.table import Table
from typer.core import TyperGroup

from footfall.auth import accounts
from footfall.cli.common import DbOption, err_console, out_console, settings_for
from footfall.errors import ConfigError, DatabaseBusy, StorageError
from footfall.store.database import Database

SiteList = Annotated[list[str] | None, typer.Option("--site", help="Limit to a site (repeatable).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]
CLI_ACTOR = "cli"


def _run(db: Path | None, direct: Callable[[Database], Any], method: str, path: str,
         body: dict[str, Any] | None = None) -> Any:  # fmt: skip
    """``direct`` on the database file, or the same request to the server that owns it."""
    from footfall.cli.remote_import import running_server

    settings = settings_for(db)
    try:
        database = Database(settings)
    except DatabaseBusy as busy:
        found = running_server(Path(settings.db_path))
        if found is None:
            raise busy from None
        return _call(*found, method, path, body)
    with database:
        return direct(database)


def _call(url: str, secret: str, method: str, path: str, body: dict[str, Any] | None) -> Any:
    headers = {"authorization": f"Bearer {secret}"}
    if body is not None:
        headers["content-type"] = "application/json"
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url + "/api/v1" + path, data, headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as err:
        try:
            message = json.loads(err.read())["error"]
        except (ValueError, KeyError, TypeError):
            message = f"{err.code} {err.reason}"
        raise ConfigError(f"the server refused: {message}") from err
    except urllib.error.URLError as err:
        raise StorageError(f"the database is busy and its server does not answer: {err}") from err


def _password(stdin: bool) -> str:
    if stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


def _print(rows: list[dict[str, Any]], as_json: bool, title: str) -> None:
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    table = Table(title=title, title_justify="left")
    for column in rows[0] if rows else ["none"]:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if v is None else ", ".join(v) if isinstance(v, list) else str(v)
                        for v in row.values()))  # fmt: skip
    out_console.print(table)


# -- users ----------------------------------------------------------------------------


def user_add(
    name: Annotated[str, typer.Argument(help="User name.")],
    role: Annotated[str, typer.Option(help="viewer, analyst or admin.")] = "viewer",
    site: SiteList = None,
    db: DbOption = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Create a user; the password is asked twice (or read from stdin), hashed with argon2."""
    accounts.check_user_name(name)
    password = _password(password_stdin)
    accounts.check_new_password(name, password)
    sites = site or None
    _run(db, lambda d: accounts.add_user(d, name, password, role, sites, CLI_ACTOR),
         "POST", "/users", {"name": name, "password": password, "role": role, "sites": sites})  # fmt: skip
    out_console.print(f"user {name} ({role}) created")


def user_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List users: name, role, sites, disabled, created, password changed."""
    found = _run(db, lambda d: {"users": accounts.list_users(d)}, "GET", "/users")
    _print(found["users"], as_json, "users")


def user_delete(
    name: Annotated[str, typer.Argument(help="User name.")],
    db: DbOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
) -> None:
    """Delete a user with their tokens and sessions."""
    if not yes:
        typer.confirm(f"Delete user {name}, their tokens and sessions?", abort=True)
    _run(db, lambda d: accounts.delete_user(d, name, CLI_ACTOR), "DELETE", f"/users/{quote(name)}")
    out_console.print(f"user {name} deleted")


def user_disable(name: Annotated[str, typer.Argument(help="User name.")],
                 db: DbOption = None) -> None:  # fmt: skip
    """Disable a user: their sessions end and their tokens stop working (until enabled)."""
    _run(db, lambda d: accounts.set_disabled(d, name, True, CLI_ACTOR),
         "POST", f"/users/{quote(name)}/disable")  # fmt: skip
    out_console.print(f"user {name} disabled")


def user_enable(name: Annotated[str, typer.Argument(help="User name.")],
                db: DbOption = None) -> None:  # fmt: skip
    """Enable a disabled user again."""
    _run(db, lambda d: accounts.set_disabled(d, name, False, CLI_ACTOR),
         "POST", f"/users/{quote(name)}/enable")  # fmt: skip
    out_console.print(f"user {name} enabled")


def user_password(
    name: Annotated[str, typer.Argument(help="User name.")],
    db: DbOption = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a user's password (asked twice, or read from stdin); their sessions end."""
    password = _password(password_stdin)
    accounts.check_new_password(name, password)
    _run(db, lambda d: accounts.set_password(d, name, password, CLI_ACTOR),
         "PUT", f"/users/{quote(name)}/password", {"password": password})  # fmt: skip
    out_console.print(f"password of {name} changed")


# -- API tokens -----------------------------------------------------------------------


def token_create(
    user: Annotated[str, typer.Argument(help="The user the token acts for.")],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "script",
    site: SiteList = None,
    writable: Annotated[
        bool, typer.Option(help="Also allow imports (read-only by default).")
    ] = False,
    expires_days: Annotated[
        int, typer.Option(help="Days until it expires; 0: never.")
    ] = accounts.DEFAULT_TOKEN_DAYS,
    db: DbOption = None,
) -> None:
    """Create an API token for scripts; it is printed once and stored hashed."""
    sites = site or None

    def direct(d: Database) -> dict[str, Any]:
        issued = accounts.issue_token(d, user, name, sites, writable, expires_days, CLI_ACTOR)
        return {"id": issued.id, "token": issued.secret}

    body = {"user": user, "name": name, "sites": sites, "writable": writable,
            "expires_days": expires_days}  # fmt: skip
    made = _run(db, direct, "POST", "/tokens", body)
    out_console.print(made["token"], highlight=False, soft_wrap=True)
    err_console.print(
        f"token id {made['id']} (footfall token revoke {made['id']})", highlight=False
    )


def token_list(
    user: Annotated[str | None, typer.Option(help="Only this user's tokens.")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """List tokens (never their secrets): id, name, user, sites, dates, status."""
    query = "/tokens?" + urlencode({"user": user}) if user else "/tokens"
    found = _run(db, lambda d: {"tokens": accounts.list_tokens(d, user)}, "GET", query)
    _print(found["tokens"], as_json, "API tokens")


def token_revoke(
    token_id: Annotated[str, typer.Argument(metavar="ID", help="The token's id (token list).")],
    db: DbOption = None,
) -> None:
    """Revoke a token: it stops working at once."""
    _run(db, lambda d: accounts.revoke_token(d, token_id, CLI_ACTOR), "DELETE",
         f"/tokens/{quote(token_id)}")  # fmt: skip
    out_console.print(f"token {token_id} revoked")


class _TokenGroup(TyperGroup):
    """``footfall token USER ...`` (the older form) means ``footfall token create USER ...``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["create", *args]
        return super().parse_args(ctx, args)


def register(app: typer.Typer) -> None:
    users = typer.Typer(help="User accounts: there is no default account.", no_args_is_help=True)
    for name, command in (("add", user_add), ("list", user_list), ("delete", user_delete),
                          ("disable", user_disable), ("enable", user_enable),
                          ("password", user_password)):  # fmt: skip
        users.command(name)(command)
    app.add_typer(users, name="user")
    tokens = typer.Typer(cls=_TokenGroup, no_args_is_help=True,
                         help="API tokens: create, list, revoke.")  # fmt: skip
    for name, command in (("create", token_create), ("list", token_list),
                          ("revoke", token_revoke)):  # fmt: skip
        tokens.command(name)(command)
    app.add_typer(tokens, name="token")
