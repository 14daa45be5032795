"""Permissions: every endpoint x role x site, denied where it must be; CSRF; no open
server on a public address; every route guarded."""

from __future__ import annotations

import contextlib
from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute

from footfall.errors import ConfigError
from footfall.settings import Settings
from footfall.web.app import create_app
from footfall.web.server import build, shutdown
from tests.web.conftest import Live, login

QUERY = {"metrics": ["visits"], "date_range": "all"}

# who -> (may view/query, may export, sites they may see)
EXPECTED = {
    "ada": (True, True, {"shop", "other"}),
    "ann": (True, True, {"shop", "other"}),
    "vic": (True, False, {"shop", "other"}),
    "sam": (True, False, {"shop"}),
    "token:read": (True, True, {"shop", "other"}),
    "token:shop-only": (True, True, {"shop"}),
    "token:viewer": (True, False, {"shop", "other"}),
    "anonymous": (False, False, set()),
}


def client_for(live: Live, who: str) -> tuple[httpx.Client, dict[str, str]]:
    if who == "anonymous":
        return live.client(), {}
    if who.startswith("token:"):
        token = live.tokens[who.split(":", 1)[1]]
        return live.client(headers={"authorization": f"Bearer {token}"}), {}
    client, csrf = login(live, who)
    return client, {"x-csrf-token": csrf}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_matrix(secured_server: Live, who: str) -> None:
    may_view, may_export, sites = EXPECTED[who]
    client, headers = client_for(secured_server, who)
    with contextlib.closing(client):
        meta = client.get("/api/v1/meta")
        assert meta.status_code == (200 if may_view else 401)
        listed = client.get("/api/v1/sites")
        if may_view:
            assert {s["name"] for s in listed.json()["sites"]} == sites
        for site in ("shop", "other"):
            allowed = may_view and site in sites
            expected = 200 if allowed else (401 if who == "anonymous" else 403)
            report = client.get("/api/v1/report/overview", params={"site": site})
            assert report.status_code == expected, (who, site, report.text)
            answer = client.post("/api/v1/query", json={"site": site, **QUERY}, headers=headers)
            assert answer.status_code == expected, (who, site, answer.text)
            export = client.post("/api/v1/query?format=csv", json={"site": site, **QUERY},
                                 headers=headers)  # fmt: skip
            want = 200 if allowed and may_export else expected if not allowed else 403
            assert export.status_code == want, (who, site, export.text)
        page = client.get("/", follow_redirects=False)
        if who == "anonymous":
            assert page.status_code == 303 and page.headers["location"] == "/login"


def test_csrf_is_required_for_cookie_sessions(secured_server: Live) -> None:
    client, csrf = login(secured_server, "ann")
    with contextlib.closing(client):
        body = {"site": "shop", **QUERY}
        assert client.post("/api/v1/query", json=body).status_code == 403
        assert client.post("/api/v1/query", json=body,
                           headers={"x-csrf-token": "wrong"}).status_code == 403  # fmt: skip
        assert client.post("/api/v1/query", json=body,
                           headers={"x-csrf-token": csrf}).status_code == 200  # fmt: skip
        assert client.post("/logout", data={"csrf": "wrong"}).status_code == 403
        out = client.post("/logout", data={"csrf": csrf})
        assert out.status_code == 303
        assert client.get("/api/v1/meta").status_code == 401  # the session is gone


def test_login_rejects_wrong_password_and_missing_form_token(secured_server: Live) -> None:
    with secured_server.client() as client:
        page = client.get("/login")
        csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        wrong = client.post("/login", data={"name": "ann", "password": "nope", "csrf": csrf})
        assert wrong.status_code == 303 and "error" in wrong.headers["location"]
        stale = client.post("/login", data={"name": "ann", "password": "x", "csrf": "forged"})
        assert stale.status_code == 403


def test_session_cookie_flags(secured_server: Live) -> None:
    client, _ = login(secured_server, "vic")
    with contextlib.closing(client):
        cookie = client.cookies.jar
        session = next(c for c in cookie if c.name == "footfall_session")
        assert session.has_nonstandard_attr("HttpOnly")
        assert session.get_nonstandard_attr("SameSite", "").lower() == "lax"


def test_no_open_server_on_a_public_address(shop_db: Path) -> None:
    with pytest.raises(ConfigError, match=r"refusing to listen on 0\.0\.0\.0"):
        build(Settings(db_path=shop_db), "0.0.0.0")


def test_every_route_declares_an_access_check(shop_db: Path) -> None:
    ctx = build(Settings(db_path=shop_db), "127.0.0.1")
    try:
        app = create_app(ctx)
        flat = [
            inner
            for r in app.routes
            for inner in (r.original_router.routes if hasattr(r, "original_router") else [r])
        ]
        routes = [r for r in flat if isinstance(r, APIRoute)]
        others = {getattr(r, "path", "?") for r in flat if not isinstance(r, APIRoute)}
        assert others <= {"/api/v1/openapi.json", "/static"}  # public by design, no data
        assert len(routes) >= 8
        for route in routes:
            actions = [
                getattr(dep.call, "footfall_action", "missing")
                for dep in route.dependant.dependencies
            ]
            assert any(a != "missing" for a in actions), f"{route.path} has no guard"
    finally:
        shutdown(ctx)
