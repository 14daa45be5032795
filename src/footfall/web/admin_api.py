"""Accounts through the API: users, API tokens, and one's own password.

Everything but ``/me/password`` needs ``manage`` (an admin limited to no site).  The
rules (names, the password rule, the last admin, token lifetimes) and the audit lines
live in ``auth/accounts.py``, shared with the CLI; this module only reads requests and
shapes answers.  No answer ever holds a password, a hash or a token's secret, except
the new token in the answer that creates it.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from footfall.auth import accounts
from footfall.errors import QueryError
from footfall.web.guard import (
    SESSION_COOKIE,
    Access,
    CanManage,
    Forbidden,
    ManageBody,
    context,
    guard,
)
from footfall.web.pages import login_throttle

router = APIRouter(prefix="/api/v1")
SignedInBody = Annotated[Access, Depends(guard("view", body=True))]


def _text(body: dict[str, Any], key: str, default: str | None = None) -> str:
    value = body.get(key, default)
    if not isinstance(value, str) or not value:
        raise QueryError(f"{key}: text, required")
    return value


def _sites(body: dict[str, Any]) -> list[str] | None:
    value = body.get("sites")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(s, str) and s for s in value):
        raise QueryError("sites: a list of site names, or null for every site")
    return value


# -- users ----------------------------------------------------------------------------


@router.get("/users")
def users(request: Request, access: CanManage) -> dict[str, Any]:
    db = context(request).reader()
    try:
        return {"users": accounts.list_users(db)}
    finally:
        db.close()


@router.post("/users", status_code=201, response_model=None)
def add_user(request: Request, access: ManageBody) -> dict[str, Any] | Response:
    """``{"name", "password", "role": viewer|analyst|admin, "sites": [..] | null}``."""
    body = access.body or {}
    name = _text(body, "name")
    role = _text(body, "role", "viewer")
    db = context(request).reader()
    try:
        accounts.add_user(db, name, _text(body, "password"), role, _sites(body),
                          actor=access.actor.name)  # fmt: skip
    finally:
        db.close()
    return {"name": name, "role": role}


@router.post("/users/{name}/disable")
def disable(name: str, request: Request, access: CanManage) -> dict[str, Any]:
    return _set_disabled(request, access, name, True)


@router.post("/users/{name}/enable")
def enable(name: str, request: Request, access: CanManage) -> dict[str, Any]:
    return _set_disabled(request, access, name, False)


def _set_disabled(request: Request, access: Access, name: str, disabled: bool) -> dict[str, Any]:
    db = context(request).reader()
    try:
        accounts.set_disabled(db, name, disabled, actor=access.actor.name)
    finally:
        db.close()
    return {"name": name, "disabled": disabled}


@router.delete("/users/{name}")
def delete_user(name: str, request: Request, access: CanManage) -> dict[str, Any]:
    db = context(request).reader()
    try:
        accounts.delete_user(db, name, actor=access.actor.name)
    finally:
        db.close()
    return {"name": name, "deleted": True}


@router.put("/users/{name}/password", response_model=None)
def set_password(name: str, request: Request, access: ManageBody) -> dict[str, Any] | Response:
    """``{"password"}``: ends every login session of the user."""
    db = context(request).reader()
    try:
        accounts.set_password(db, name, _text(access.body or {}, "password"),
                              actor=access.actor.name)  # fmt: skip
    finally:
        db.close()
    return {"name": name, "password_changed": True}


@router.post("/me/password", response_model=None)
def change_own_password(request: Request, access: SignedInBody) -> dict[str, Any] | Response:
    """``{"current", "new"}`` for a signed-in user: other sessions end, this one stays.
    A wrong current password counts as a failed login (a stolen session cannot guess)."""
    if access.actor.kind != "user":
        raise Forbidden("only a signed-in user changes their own password")
    body = access.body or {}
    name = access.actor.name
    address = request.client.host if request.client else "unknown"
    throttle = login_throttle(request)
    db = context(request).reader()
    try:
        throttle.check(name, address)
        if not accounts.check_password(db, name, _text(body, "current")):
            throttle.failed(name, address)
            accounts.audit("login.failed", name, name, address=address, via="me/password")
            raise Forbidden("the current password is wrong")
        accounts.set_password(db, name, _text(body, "new"), actor=name,
                              keep_session=request.cookies.get(SESSION_COOKIE))  # fmt: skip
    finally:
        db.close()
    return {"name": name, "password_changed": True}


# -- API tokens -----------------------------------------------------------------------


@router.get("/tokens")
def tokens(request: Request, access: CanManage, user: str | None = None) -> dict[str, Any]:
    db = context(request).reader()
    try:
        return {"tokens": accounts.list_tokens(db, user)}
    finally:
        db.close()


@router.post("/tokens", status_code=201)
def create_token(request: Request, access: ManageBody) -> dict[str, Any]:
    """``{"user", "name", "sites": [..] | null, "writable": false, "expires_days": 365}``
    (``expires_days`` 0: never).  The answer holds the token: the only time it is shown."""
    body = access.body or {}
    writable = body.get("writable", False)
    days = body.get("expires_days", accounts.DEFAULT_TOKEN_DAYS)
    if not isinstance(writable, bool):
        raise QueryError("writable: true or false")
    if not isinstance(days, int) or isinstance(days, bool):
        raise QueryError("expires_days: a whole number of days, 0 for never")
    db = context(request).reader()
    try:
        issued = accounts.issue_token(db, _text(body, "user"), _text(body, "name", "script"),
                                      _sites(body), writable, days, actor=access.actor.name)  # fmt: skip
    finally:
        db.close()
    expires = issued.expires_at.isoformat(timespec="seconds") + "Z" if issued.expires_at else None
    return {"id": issued.id, "token": issued.secret, "expires": expires}


@router.delete("/tokens/{token_id}")
def revoke_token(token_id: str, request: Request, access: CanManage) -> dict[str, Any]:
    db = context(request).reader()
    try:
        accounts.revoke_token(db, token_id, actor=access.actor.name)
    finally:
        db.close()
    return {"id": token_id, "revoked": True}
