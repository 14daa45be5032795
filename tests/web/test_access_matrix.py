"""Every route x actor x content type x where the site is given: no request is let
through that its actor may not make on the site it actually runs against.

The defect this reproduces: ``POST /api/v1/query`` checked the site of a JSON body,
but ran whatever body came with any content type, so a ``text/plain`` body, or a
``?site=`` next to a body site, returned another site's data; ``POST
/api/v1/imports`` let a token limited to one site import into any site.  The guard
now parses once, decides on that, and the route runs exactly what was decided.

Expected outcomes are written down from the role table (docs/api.md), not derived
from the code under test.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.web.conftest import Live, login
from tests.web.test_access import client_for

QUERY_BODY = {"metrics": ["visits"], "date_range": "all"}
IMPORT_BODY = {"paths": ["/nonexistent/footfall-access-test.log"]}


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    action: str  # what it needs (docs/api.md "Access")
    site: str  # "param": ?site= only; "body": JSON body or ?site=; "none": no site
    body: dict[str, object] | None = None  # what the route reads as JSON; None: no body
    default_site: str | None = None


ROUTES = (
    Route("GET", "/api/v1/meta", "view", "none"),
    Route("GET", "/api/v1/sites", "view", "none"),
    Route("GET", "/api/v1/collect/stats", "view", "none"),
    Route("GET", "/api/v1/report/overview", "view", "param"),
    Route("GET", "/api/v1/plan", "view", "param"),
    Route("GET", "/api/v1/plan/report/goals", "view", "param"),
    Route("GET", "/api/v1/snippet", "view", "param"),
    Route("POST", "/api/v1/query", "query", "body", QUERY_BODY),
    Route("POST", "/api/v1/query?format=csv", "export", "body", QUERY_BODY),
    Route("POST", "/api/v1/imports", "import", "body", IMPORT_BODY, default_site="default"),
    Route("GET", "/api/v1/users", "manage", "none"),
    Route("GET", "/api/v1/tokens", "manage", "none"),
    Route("POST", "/api/v1/tokens", "manage", "none", {"user": "vic", "name": "matrix"}),
    Route("POST", "/api/v1/users/vic/enable", "manage", "none"),
)

#: Routes the matrix does not send, and the test that covers each instead.
ELSEWHERE = {
    "/": "test_access.py (a page: redirect to /login when anonymous)",
    "/login": "test_login_limits.py (public form with its own CSRF cookie)",
    "/logout": "test_access.py::test_csrf_is_required_for_cookie_sessions",
    "/healthz": "public by design: test_disk_full.py",
    "/js/{name}": "public by design: the tracker script",
    "/api/v1/imports/{job_id}": "test_import_status_is_limited_to_the_site_of_the_import",
    "/api/v1/me/password": "test_accounts_api.py (any signed-in user, their own password)",
    "/api/v1/users/{name}/disable": "test_accounts_api.py (manage, like /enable here)",
    "/api/v1/users/{name}": "test_accounts_api.py (manage: DELETE)",
    "/api/v1/users/{name}/password": "test_accounts_api.py (manage, like POST /tokens here)",
    "/api/v1/tokens/{token_id}": "test_accounts_api.py (manage: DELETE)",
}

# actor -> (actions it holds, sites it may use: None = every site)
VIEW, QUERY, EXPORT, IMPORT, MANAGE = "view", "query", "export", "import", "manage"
ACTORS: dict[str, tuple[set[str], set[str] | None]] = {
    "anonymous": (set(), set()),
    "ada": ({VIEW, QUERY, EXPORT, IMPORT, MANAGE}, None),
    "ann": ({VIEW, QUERY, EXPORT}, None),
    "vic": ({VIEW, QUERY}, None),
    "sam": ({VIEW, QUERY}, {"shop"}),
    "token:read": ({VIEW, QUERY, EXPORT}, None),
    "token:shop-only": ({VIEW, QUERY, EXPORT}, {"shop"}),
    "token:viewer": ({VIEW, QUERY}, None),
    "token:write": ({VIEW, QUERY, EXPORT, IMPORT}, None),
    "token:write-shop": ({VIEW, QUERY, EXPORT, IMPORT}, {"shop"}),
}

CONTENT_TYPES = ("json", "form", "text", "none")
# where the site goes: (in the body, in the URL)
PLACES = {
    "body": ("shop", None),
    "body-other": ("other", None),
    "url": (None, "shop"),
    "url-other": (None, "other"),
    "both-same": ("other", "other"),
    "both-differ": ("shop", "other"),
    "both-differ-2": ("other", "shop"),
    "neither": (None, None),
}


@pytest.fixture
def shop_db(shop_db: Path, cli, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    """Both sites with a measurement plan, so that plan reports answer when allowed."""
    for site in ("shop", "other"):
        plan = tmp_path / f"plan_{site}.toml"
        plan.write_text(f'site = "{site}"\ncurrency = "EUR"\n\n[[goals]]\n'
                        'name = "Home"\npage = "/"\n')  # fmt: skip
        applied = cli("plan", "apply", str(plan), "--db", str(shop_db))
        assert applied.code == 0, applied.err
    return shop_db


def expected_ok(route: Route, actor: str, ctype: str, place: str) -> bool:
    """Written from the rules: allowed action, allowed effective site, a body the route
    can read, the site given once (or not needed)."""
    actions, sites = ACTORS[actor]
    if route.action not in actions:
        return False
    in_body, in_url = PLACES[place]
    if route.site == "none":
        return route.body is None or ctype == "json"
    if route.site == "param":
        site = in_url  # a GET route's site is its parameter; a body is never read
    else:
        if ctype != "json":
            return False  # the body is read only as JSON: 415 otherwise
        given = {s for s in (in_body, in_url) if s}
        if len(given) > 1:
            return False
        site = next(iter(given), None) or route.default_site
    if site is None:
        return False
    return sites is None or site in sites


def _request(client: httpx.Client, route: Route, ctype: str, place: str,
             headers: dict[str, str]) -> httpx.Response:  # fmt: skip
    in_body, in_url = PLACES[place]
    body = dict(route.body or {})
    if in_body:
        body["site"] = in_body
    path, _, fixed = route.path.partition("?")
    params = dict(p.split("=", 1) for p in fixed.split("&") if p)
    if in_url:
        params["site"] = in_url
    if route.method == "GET":
        return client.get(path, params=params, headers=headers)
    content: bytes | None
    extra = dict(headers)
    if ctype == "json":
        content, extra["content-type"] = json.dumps(body).encode(), "application/json"
    elif ctype == "form":
        content = "&".join(f"{k}={v}" for k, v in body.items() if isinstance(v, str)).encode()
        extra["content-type"] = "application/x-www-form-urlencoded"
    elif ctype == "text":
        content, extra["content-type"] = json.dumps(body).encode(), "text/plain"
    else:
        content = json.dumps(body).encode()
    return client.request(route.method, path, params=params, content=content,
                          headers=extra)  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("who", list(ACTORS))
def test_route_role_site_content_type_matrix(secured_server: Live, who: str) -> None:
    client, headers = client_for(secured_server, who)
    wrong: list[str] = []
    with contextlib.closing(client):
        for route in ROUTES:
            for ctype in CONTENT_TYPES if route.method == "POST" else ("none",):
                for place in PLACES:
                    answer = _request(client, route, ctype, place, headers)
                    want = expected_ok(route, who, ctype, place)
                    got = 200 <= answer.status_code < 300
                    if want != got or answer.status_code >= 500:
                        wrong.append(f"{route.method} {route.path} {ctype} {place}: "
                                     f"{answer.status_code} {answer.text[:120]}")  # fmt: skip
    assert not wrong, "\n".join(wrong)


def test_the_site_that_runs_is_the_site_that_was_checked(secured_server: Live) -> None:
    """sam may see shop only: a body naming shop with ?site=other, or a text/plain body
    naming other, never returns other's rows (both sites hold the same 17 requests, so
    the answer is compared by its site field)."""
    client, csrf = login(secured_server, "sam")
    with contextlib.closing(client):
        ok = client.post("/api/v1/query", json={"site": "shop", **QUERY_BODY},
                         headers={"x-csrf-token": csrf})  # fmt: skip
        assert ok.status_code == 200 and ok.json()["site"] == "shop"
        mixed = client.post("/api/v1/query?site=other", json={"site": "shop", **QUERY_BODY},
                            headers={"x-csrf-token": csrf})  # fmt: skip
        assert mixed.status_code == 400 and "twice" in mixed.json()["error"]
        text = client.post("/api/v1/query", headers={"x-csrf-token": csrf,
                           "content-type": "text/plain"},
                           content=json.dumps({"site": "other", **QUERY_BODY}))  # fmt: skip
        assert text.status_code in (403, 415)


def test_import_status_is_limited_to_the_site_of_the_import(secured_server: Live) -> None:
    tokens = secured_server.tokens
    with secured_server.client(headers={"authorization": f"Bearer {tokens['write']}"}) as ada:
        job = ada.post("/api/v1/imports", json={"site": "other", **IMPORT_BODY})
        assert job.status_code == 202
        job_id = job.json()["id"]
        assert ada.get(f"/api/v1/imports/{job_id}").status_code == 200
    shop_only = {"authorization": f"Bearer {tokens['write-shop']}"}
    with secured_server.client(headers=shop_only) as limited:
        assert limited.get(f"/api/v1/imports/{job_id}").status_code == 400  # not yours


def test_collect_stats_show_only_visible_sites(secured_server: Live) -> None:
    """Sites' names are data too: a site-restricted user sees only theirs."""
    client, _ = login(secured_server, "sam")
    with contextlib.closing(client):
        stats = client.get("/api/v1/collect/stats")
        assert stats.status_code == 200
        assert set(stats.json()["waiting"]) <= {"shop"}


def test_every_route_is_in_the_matrix_or_named_elsewhere(secured_server: Live) -> None:
    """A new route must join the matrix (or say which test covers its access)."""
    from footfall.settings import Settings
    from footfall.web.app import create_app
    from footfall.web.server import build, shutdown

    ctx = build(Settings(db_path=secured_server.db_path.with_name("routes.duckdb")),
                "127.0.0.1")  # fmt: skip
    try:
        app = create_app(ctx)
        paths = {r.path for r in app.routes if hasattr(r, "methods")}
    finally:
        shutdown(ctx)
    sent = {r.path.partition("?")[0] for r in ROUTES}
    templates = {"/api/v1/report/{name}", "/api/v1/plan/report/{name}",
                 "/api/v1/users/{name}/enable"}  # fmt: skip
    missing = paths - sent - templates - set(ELSEWHERE) - {"/api/v1/openapi.json"}
    assert not missing, f"routes without an access test: {sorted(missing)}"
