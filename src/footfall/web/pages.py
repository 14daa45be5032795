"""HTML pages: the dashboard shell, login and logout.

The dashboard is static HTML, CSS and JavaScript served by the app itself
(no CDN: it works without internet); its numbers come from the JSON API.
Login uses a form with a CSRF token tied to a short-lived cookie.
"""

from __future__ import annotations

import html
import secrets
from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from footfall.auth.accounts import check_password, end_session, start_session
from footfall.web.guard import SESSION_COOKIE, CanView, Forbidden, Public, context

router = APIRouter()
LOGIN_CSRF_COOKIE = "footfall_login_csrf"
STATIC = resources.files("footfall.web") / "static"


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, actor: Public) -> Response:
    if actor is None:
        return RedirectResponse("/login", status_code=303)
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    page = page.replace("{{csrf}}", html.escape(actor.csrf_token))
    page = page.replace("{{user}}", html.escape(actor.name))
    page = page.replace("{{logout}}", "" if actor.kind == "open" else "1")
    return HTMLResponse(page, headers={"cache-control": "no-store"})


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, _: Public, error: str = "") -> Response:
    token = secrets.token_urlsafe(24)
    page = (STATIC / "login.html").read_text(encoding="utf-8")
    page = page.replace("{{csrf}}", token)
    page = page.replace("{{error}}", html.escape(error))
    response = HTMLResponse(page, headers={"cache-control": "no-store"})
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict",
                        secure=_secure(request), max_age=3600)  # fmt: skip
    return response


@router.post("/login")
def login(
    request: Request,
    _: Public,
    name: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=1024)],
    csrf: Annotated[str, Form(max_length=128)],
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not expected or not secrets.compare_digest(expected, csrf):
        raise Forbidden("the login form expired: reload the page")
    db = context(request).reader()
    try:
        if not check_password(db, name, password):
            return RedirectResponse("/login?error=Wrong+name+or+password", status_code=303)
        session, _csrf = start_session(db, name)
    finally:
        db.close()
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="lax",
                        secure=_secure(request), max_age=12 * 3600)  # fmt: skip
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, actor: CanView) -> Response:
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


@router.get("/healthz")
def health(_: Public) -> dict[str, str]:
    return {"status": "ok"}
