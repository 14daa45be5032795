"""Every request is checked here: who is asking, and may they do the route's action?

Each route declares ``Depends(guard(ACTION))``; a test walks the app's routes
and fails if one lacks a guard.  The guard authenticates (API token, login
session cookie, or local open mode), checks CSRF on state-changing requests
made with a cookie, finds the site the request is about, and asks
``auth.access.allowed`` - the only place access is decided.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request

from footfall.auth.access import OPEN_ACTOR, Actor, allowed
from footfall.auth.accounts import actor_from_session, actor_from_token
from footfall.settings import Settings
from footfall.store.database import Database

SESSION_COOKIE = "footfall_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class NotAuthenticated(Exception):
    """No valid token or session: 401 for the API, a redirect to /login for pages."""


class Forbidden(Exception):
    """Authenticated but not allowed: 403."""


@dataclass
class WebContext:
    """What the app shares between requests: the open database and the mode."""

    settings: Settings
    db: Database
    open_mode: bool  # no accounts and a loopback address: everyone local is admin
    jobs: dict[str, Any] = field(default_factory=dict)
    collector: Any = None  # web/collect.py Collector, set by server.build
    mover: Any = None  # web/mover.py Mover

    def reader(self) -> Database:
        return self.db.cursor()


def context(request: Request) -> WebContext:
    return request.app.state.ctx  # type: ignore[no-any-return]


def authenticate(request: Request) -> Actor | None:
    ctx = context(request)
    if ctx.open_mode:
        return OPEN_ACTOR
    header = request.headers.get("authorization", "")
    cookie = request.cookies.get(SESSION_COOKIE)
    if not header and not cookie:
        return None
    db = ctx.reader()
    try:
        if header.lower().startswith("bearer "):
            return actor_from_token(db, header[7:].strip())
        return actor_from_session(db, cookie) if cookie else None
    finally:
        db.close()


async def requested_site(request: Request) -> str | None:
    """The site a request is about: ?site=, or "site" in a JSON body."""
    site = request.query_params.get("site")
    if (
        site is None
        and request.method == "POST"
        and "json" in request.headers.get("content-type", "")
    ):
        try:
            body = await request.json()
        except ValueError:
            return None
        if isinstance(body, dict) and isinstance(body.get("site"), str):
            site = body["site"]
    return site


async def _csrf_ok(request: Request, expected: str) -> bool:
    """The session's CSRF token, from the X-CSRF-Token header or a form's csrf field."""
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        value = (await request.form()).get("csrf")
        sent = value if isinstance(value, str) else None
    return bool(expected) and sent is not None and secrets.compare_digest(sent, expected)


Guard = Callable[[Request], Awaitable[Actor | None]]


def guard(action: str | None) -> Guard:
    """A dependency that lets the request through only if ``action`` is allowed.

    ``None`` marks a public route (login page, health check, static files).
    """

    async def check(request: Request) -> Actor | None:
        actor = authenticate(request)
        if action is None:
            return actor
        if actor is None:
            raise NotAuthenticated()
        cookie_write = actor.kind == "user" and request.method not in SAFE_METHODS
        if cookie_write and not await _csrf_ok(request, actor.csrf_token):
            raise Forbidden("missing or wrong CSRF token")
        if not allowed(actor, action, await requested_site(request)):
            raise Forbidden(f"{actor.name} may not {action} here")
        request.state.actor = actor
        return actor

    check.footfall_action = action  # type: ignore[attr-defined]
    return check


#: Route parameters: the type says which action the route needs.
Public = Annotated[Actor | None, Depends(guard(None))]
CanView = Annotated[Actor, Depends(guard("view"))]
CanQuery = Annotated[Actor, Depends(guard("query"))]
CanImport = Annotated[Actor, Depends(guard("import"))]


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
