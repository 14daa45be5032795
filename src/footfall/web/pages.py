"""HTML pages: the dashboard shell, login and logout.

The dashboard is static HTML, CSS and JavaScript served by the app itself
(no CDN: it works without internet); its numbers come from the JSON API.
Login uses a form with a CSRF token tied to a short-lived cookie.
"""

from __future__ import annotations

import html
import secrets
import threading
from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from footfall.auth.accounts import (
    MAX_PASSWORD,
    SESSION_HOURS,
    audit,
    check_password,
    end_session,
    start_session,
)
from footfall.auth.throttle import LoginThrottle
from footfall.errors import HashingBusy, LoginLocked
from footfall.web.guard import SESSION_COOKIE, Forbidden, Public, SignedIn, context

router = APIRouter()
LOGIN_CSRF_COOKIE = "footfall_login_csrf"
STATIC = resources.files("footfall.web") / "static"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, access: Public) -> Response:
    if access is None:
        return RedirectResponse("/login", status_code=303)
    actor = access.actor
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    page = page.replace("{{csrf}}", html.escape(actor.csrf_token))
    page = page.replace("{{user}}", html.escape(actor.name))
    page = page.replace("{{logout}}", "" if actor.kind == "open" else "1")
    return HTMLResponse(page, headers={"cache-control": "no-store"})


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, _: Public, error: str = "") -> Response:
    return _login_page(request, error)


def _login_page(request: Request, error: str, status: int = 200,
                retry_after: int | None = None) -> Response:  # fmt: skip
    token = secrets.token_urlsafe(24)
    page = (STATIC / "login.html").read_text(encoding="utf-8")
    page = page.replace("{{csrf}}", token)
    page = page.replace("{{error}}", html.escape(error))
    headers = {"cache-control": "no-store"}
    if retry_after is not None:
        headers["retry-after"] = str(retry_after)
    response = HTMLResponse(page, status_code=status, headers=headers)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=_secure(request), max_age=3600)  # fmt: skip
    return response


_throttle_lock = threading.Lock()


def login_throttle(request: Request) -> LoginThrottle:
    """One throttle per app (so per server process), built from its settings."""
    state = request.app.state
    with _throttle_lock:
        if getattr(state, "login_throttle", None) is None:
            settings = context(request).settings
            state.login_throttle = LoginThrottle(
                max_failures=settings.login_max_failures,
                window_seconds=settings.login_window_seconds,
                lock_seconds=settings.login_lock_seconds,
            )
        return state.login_throttle  # type: ignore[no-any-return]


@router.post("/login")
def login(
    request: Request,
    _: Public,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=MAX_PASSWORD)],
    csrf: Annotated[str, Form(max_length=128)],
) -> Response:
    """Throttled before any password is checked: a locked name or address is refused
    (429) even with the right password; argon2 runs in a bounded pool (503 when full)."""
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not secrets.compare_digest(expected, csrf):
        raise Forbidden("the login form expired: reload the page")
    address = request.client.host if request.client else "unknown"
    throttle = login_throttle(request)
    db = context(request).reader()
    try:
        throttle.check(name, address)
        if not check_password(db, name, password):
            locked = throttle.failed(name, address)
            audit("login.locked" if locked else "login.failed", name, name, address=address)
            return RedirectResponse("/login?error=Wrong+name+or+password", status_code=303)
        throttle.succeeded(name)
        session, _csrf = start_session(db, name)
    except LoginLocked as err:
        return _login_page(request, f"Too many failed logins: try again in {err.retry_after} s.",
                           429, err.retry_after)  # fmt: skip
    except HashingBusy as err:
        return _login_page(request, "The server is busy: try again in a moment.", 503,
                           err.retry_after)  # fmt: skip
    finally:
        db.close()
    audit("login.ok", name, name, address=address)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="lax",
                        secure=_secure(request), max_age=SESSION_HOURS * 3600)  # fmt: skip
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, _: SignedIn) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        db = context(request).reader()
        try:
            end_session(db, cookie)
        finally:
            db.close()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
