"""Every request is checked here: who is asking, about which site, and may they?

Each route declares ``Depends(guard(ACTION, ...))``; a test walks the app's routes
and fails if one lacks a guard.  The guard makes the whole access decision on
exactly the request the route will run (parse once, decide, run):

1. the request's origin: in open local mode only loopback ``Host`` names and no
   proxy headers; with accounts the ``Host`` must be a loopback name or one of
   ``allowed_hosts`` when that setting is given; a state-changing request that
   carries an ``Origin`` must come from the server's own origin;
2. who is asking: an API token, the server's local secret (``<db>.server.json``,
   readable only by the user that owns the database), a login session cookie, or
   open local mode;
3. CSRF: every state-changing request not made with a bearer token needs the
   CSRF token, with or without accounts (header ``X-CSRF-Token``; form routes may
   send it as the ``csrf`` field);
4. the body: a route that takes JSON gets it parsed here, once, and only when the
   request says ``application/json`` (415 otherwise), within size and depth limits;
5. the site: from ``?site=``, from the JSON body's ``"site"``, or the route's
   default; given twice with different values is refused; a site-scoped route
   without one is refused; then ``auth.access.allowed`` decides.

The route receives an ``Access`` holding the actor, the site and the body that
were checked, and reads nothing else from the request to decide what it runs.
"""

from __future__ import annotations

import ipaddress
import json
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Request

from footfall.auth.access import OPEN_ACTOR, Actor, allowed
from footfall.auth.accounts import actor_from_session, actor_from_token
from footfall.errors import QueryError
from footfall.settings import Settings
from footfall.store.database import Database

SESSION_COOKIE = "footfall_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PROXY_HEADERS = ("forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip")
MAX_JSON_BODY = 64 * 1024
MAX_JSON_DEPTH = 32

#: Where a route's site comes from.
NO_SITE, SITE_PARAM, SITE_BODY = "none", "param", "body"


class NotAuthenticated(Exception):
    """No valid token or session: 401 for the API, a redirect to /login for pages."""


class Forbidden(Exception):
    """Authenticated but not allowed: 403."""


class BadRequestBody(Exception):
    """The body is not what the route takes: ``status`` is 400, 413 or 415."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class WebContext:
    """What the app shares between requests: the open database and the mode."""

    settings: Settings
    db: Database
    open_mode: bool  # no accounts and a loopback address: everyone local is admin
    jobs: dict[str, Any] = field(default_factory=dict)
    collector: Any = None  # web/collect.py Collector, set by server.build
    mover: Any = None  # web/mover.py Mover
    open_csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    local_secret: str = field(default_factory=lambda: "ffl_" + secrets.token_urlsafe(32))

    def reader(self) -> Database:
        return self.db.cursor()


@dataclass(frozen=True, slots=True)
class Access:
    """What the guard checked; the route runs exactly this and nothing else."""

    actor: Actor
    site: str | None
    body: dict[str, Any] | None = None

    def may(self, action: str) -> bool:
        """A further action on the same site (e.g. ``export`` on a query)."""
        return allowed(self.actor, action, self.site)

    def require(self, action: str) -> None:
        if not self.may(action):
            raise Forbidden(f"{self.actor.name} may not {action} here")


def context(request: Request) -> WebContext:
    return request.app.state.ctx  # type: ignore[no-any-return]


#: The server's own secret (written to ``<db>.server.json``, mode 0600): the CLI of the
#: user who owns the database hands imports to the server with it.
LOCAL_ACTOR = replace(OPEN_ACTOR, name="local owner", kind="local")


def authenticate(request: Request) -> Actor | None:
    ctx = context(request)
    header = request.headers.get("authorization", "")
    bearer = header[7:].strip() if header.lower().startswith("bearer ") else None
    if bearer is not None and secrets.compare_digest(bearer.encode(), ctx.local_secret.encode()):
        return LOCAL_ACTOR
    if ctx.open_mode:
        return replace(OPEN_ACTOR, csrf_token=ctx.open_csrf)
    cookie = request.cookies.get(SESSION_COOKIE)
    if bearer is None and not cookie:
        return None
    db = ctx.reader()
    try:
        if bearer is not None:
            return actor_from_token(db, bearer)
        return actor_from_session(db, cookie) if cookie else None
    finally:
        db.close()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_name(netloc: str) -> str:
    """'127.0.0.1:8000' -> '127.0.0.1', '[::1]:80' -> '::1', 'Example.com' -> 'example.com'."""
    return (urlsplit("//" + netloc).hostname or "").lower()


def check_origin(request: Request, ctx: WebContext, public: bool) -> None:
    """Refuse requests that do not come the way this server is meant to be reached.

    Open local mode checks every request (DNS rebinding would otherwise read the
    dashboard); with accounts, ``allowed_hosts`` binds the routes behind a login, while
    public ones (health checks, the tracker script) answer any name."""
    host_header = request.headers.get("host", "")
    host = _host_name(host_header)
    known = is_loopback(host) or host in ctx.settings.allowed_hosts
    if ctx.open_mode:
        if not is_loopback(host):
            raise Forbidden(
                f"open local mode answers only loopback addresses, not Host {host_header!r}: "
                "create an account (footfall user add) to serve other names"
            )
        if any(name in request.headers for name in PROXY_HEADERS):
            raise Forbidden(
                "open local mode answers only this machine; behind a reverse proxy, create "
                "an account first (docs/api.md, 'Behind a reverse proxy')"
            )
    elif ctx.settings.allowed_hosts and not known and not public:
        raise Forbidden(f"Host {host_header!r} is not one of allowed_hosts")
    origin = request.headers.get("origin")
    if origin is not None and request.method not in SAFE_METHODS:
        parts = urlsplit(origin)
        if parts.netloc.lower() != host_header.lower() and (parts.hostname or "") not in (
            ctx.settings.allowed_hosts
        ):
            raise Forbidden(f"cross-origin request from {origin!r} refused")


async def _csrf_ok(request: Request, expected: str, form_field: bool) -> bool:
    """The CSRF token from the X-CSRF-Token header, or a form route's ``csrf`` field."""
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and form_field and _media_type(request) in _FORM_TYPES:
        value = (await request.form()).get("csrf")
        sent = value if isinstance(value, str) else None
    return (
        bool(expected)
        and sent is not None
        and secrets.compare_digest(sent.encode(), expected.encode())
    )


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";", 1)[0].strip().lower()


async def json_body(request: Request) -> dict[str, Any]:
    """The body as a JSON object: only ``application/json``, bounded in size and depth."""
    if _media_type(request) != "application/json":
        raise BadRequestBody(415, "send the body as JSON with Content-Type: application/json")
    raw = await request.body()
    if len(raw) > MAX_JSON_BODY:
        raise BadRequestBody(413, f"the body is larger than {MAX_JSON_BODY // 1024} KiB")
    if _depth(raw) > MAX_JSON_DEPTH:
        raise BadRequestBody(400, f"the JSON is nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError) as err:
        raise BadRequestBody(400, f"the body is not valid JSON: {err}") from None
    if not isinstance(body, dict):
        raise BadRequestBody(400, "the body must be a JSON object")
    return body


def _depth(raw: bytes) -> int:
    """Deepest nesting of brackets outside strings (cheap, before the parser recurses)."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _site_of(request: Request, body: dict[str, Any] | None, where: str,
             default: str | None) -> str | None:  # fmt: skip
    if where == NO_SITE:
        return None
    from_param = request.query_params.get("site")
    from_body = body.get("site") if body is not None else None
    if from_body is not None and not isinstance(from_body, str):
        raise QueryError("site: a site name (text)")
    if where == SITE_PARAM and from_body is not None:
        from_body = None  # a GET route's site is its parameter
    given = {s for s in (from_param, from_body) if s}
    if len(given) > 1:
        raise QueryError("site is given twice with different values (URL and body): give it once")
    site = next(iter(given), None) or default
    if not site:
        raise QueryError("site is required")
    return site


Guard = Callable[[Request], Awaitable[Access | None]]


def guard(
    action: str | None,
    *,
    site: str = NO_SITE,
    body: bool = False,
    default_site: str | None = None,
    form_csrf: bool = False,
) -> Guard:
    """A dependency that lets the request through only if ``action`` is allowed.

    ``None`` marks a public route (login page, health check, scripts): it gets the
    actor if there is one.  ``site`` says where the route's site comes from
    (``SITE_PARAM``: ``?site=``; ``SITE_BODY``: the JSON body or ``?site=``),
    ``body`` that the route takes a JSON object, ``form_csrf`` that a form may
    carry the CSRF token.
    """
    if site == SITE_BODY:
        body = True

    async def check(request: Request) -> Access | None:
        ctx = context(request)
        check_origin(request, ctx, public=action is None)
        actor = authenticate(request)
        if action is None:
            return None if actor is None else Access(actor, None)
        if actor is None:
            raise NotAuthenticated()
        writes = request.method not in SAFE_METHODS and actor.kind in ("user", "open")
        if writes and not await _csrf_ok(request, actor.csrf_token, form_csrf):
            raise Forbidden("missing or wrong CSRF token")
        parsed = await json_body(request) if body else None
        where = _site_of(request, parsed, site, default_site)
        if parsed is not None and where is not None:
            parsed = {**parsed, "site": where}
        if not allowed(actor, action, where):
            raise Forbidden(f"{actor.name} may not {action} here")
        request.state.actor = actor
        return Access(actor, where, parsed)

    check.footfall_action = action  # type: ignore[attr-defined]
    return check


#: Route parameters: the type says which action the route needs and where its site is.
Public = Annotated[Access | None, Depends(guard(None))]
CanView = Annotated[Access, Depends(guard("view"))]
ViewSite = Annotated[Access, Depends(guard("view", site=SITE_PARAM))]
QuerySite = Annotated[Access, Depends(guard("query", site=SITE_BODY))]
ImportSite = Annotated[Access, Depends(guard("import", site=SITE_BODY, default_site="default"))]
CanImport = Annotated[Access, Depends(guard("import"))]
CanManage = Annotated[Access, Depends(guard("manage"))]
ManageBody = Annotated[Access, Depends(guard("manage", body=True))]
SignedIn = Annotated[Access, Depends(guard("view", form_csrf=True))]
