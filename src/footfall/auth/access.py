"""Actions, roles and the one decision: ``allowed(actor, action, site)``.

Permissions are data: each action says what it lets someone do, each role
which actions it holds.  Every web route declares its action and the web
layer asks ``allowed`` before the route runs; nothing else decides access.

Least privilege: a viewer reads dashboards and runs queries (the dashboard
is made of queries), an analyst may also export, an admin may also import
and manage accounts.  An API token is read-only unless created writable, and
never exceeds its user's role or sites.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Action:
    name: str
    doc: str


ACTIONS: tuple[Action, ...] = (
    Action("view", "See a site's dashboard, reports and definitions."),
    Action("query", "Run queries through the JSON API."),
    Action("export", "Download query results as CSV or Parquet."),
    Action("import", "Start log imports through the server."),
    Action("manage", "Manage users, tokens and site settings."),
)

ROLES: dict[str, frozenset[str]] = {
    "viewer": frozenset({"view", "query"}),
    "analyst": frozenset({"view", "query", "export"}),
    "admin": frozenset({"view", "query", "export", "import", "manage"}),
}

#: What a read-only token may do at most; a writable one adds ``import``.
TOKEN_READ_ACTIONS = frozenset({"view", "query", "export"})


@dataclass(frozen=True, slots=True)
class Actor:
    """Someone making a request: a logged-in user, a token, or the local open mode."""

    name: str
    actions: frozenset[str]
    sites: frozenset[str] | None  # None: every site
    kind: str  # user | token | open | local (the server's own secret)
    csrf_token: str = ""  # for cookie sessions: required on state-changing requests


def actor_for_user(name: str, role: str, sites: list[str] | None, csrf: str = "") -> Actor:
    return Actor(name, ROLES.get(role, frozenset()), _sites(sites), "user", csrf)


def actor_for_token(
    user: str, role: str, user_sites: list[str] | None, token_sites: list[str] | None,
    writable: bool,
) -> Actor:  # fmt: skip
    scope = TOKEN_READ_ACTIONS | ({"import"} if writable else set())
    sites = _sites(user_sites)
    if token_sites is not None:
        wanted = frozenset(token_sites)
        sites = wanted if sites is None else sites & wanted
    return Actor(f"token of {user}", ROLES.get(role, frozenset()) & scope, sites, "token")


#: Local use with no accounts at all, on a loopback address only (see web/server.py).
OPEN_ACTOR = Actor("local", ROLES["admin"], None, "open")


def _sites(sites: list[str] | None) -> frozenset[str] | None:
    return None if sites is None else frozenset(sites)


#: Actions over the whole server (accounts, tokens): only an actor limited to no site.
SERVER_ACTIONS = frozenset({"manage"})


def allowed(actor: Actor | None, action: str, site: str | None = None) -> bool:
    """May ``actor`` do ``action`` (on ``site``, when the action concerns one)?"""
    if actor is None or action not in actor.actions:
        return False
    if actor.sites is None:
        return True
    if site is None:
        return action not in SERVER_ACTIONS
    return site in actor.sites


def visible_sites(actor: Actor, sites: list[str]) -> list[str]:
    return [s for s in sites if actor.sites is None or s in actor.sites]
