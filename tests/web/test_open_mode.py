"""Open local mode (no accounts) trusts this machine only, not every page its user visits.

Reproduces: a cross-site ``text/plain`` POST started an import and created a site; DNS
rebinding (a foreign ``Host``) could read everything; behind a reverse proxy on the
same host every client was admin.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from footfall.auth.accounts import add_user
from footfall.settings import Settings
from footfall.store.database import Database
from tests.web.conftest import PASSWORD, Live, running

IMPORT = {"paths": ["/etc/hostname"], "site": "evil"}


def _sites(live: Live) -> set[str]:
    with live.client() as client:
        return {s["name"] for s in client.get("/api/v1/sites").json()["sites"]}


def test_a_cross_site_form_post_cannot_import(open_server: Live) -> None:
    with open_server.client() as client:
        client.headers.pop("x-csrf-token")  # what another site's page can send
        forged = client.post("/api/v1/imports", content=json.dumps(IMPORT),
                             headers={"content-type": "text/plain",
                                      "origin": "http://evil.example"})  # fmt: skip
        assert forged.status_code == 403
        no_token = client.post("/api/v1/imports", json=IMPORT)
        assert no_token.status_code == 403 and "CSRF" in no_token.json()["error"]
        foreign = client.post("/api/v1/imports", json=IMPORT,
                              headers={"x-csrf-token": open_server.csrf,
                                       "origin": "http://evil.example"})  # fmt: skip
        assert foreign.status_code == 403 and "cross-origin" in foreign.json()["error"]
    assert "evil" not in _sites(open_server)


def test_dns_rebinding_and_proxies_are_refused(open_server: Live) -> None:
    with open_server.client() as client:
        assert client.get("/api/v1/sites").status_code == 200
        for path in ("/api/v1/sites", "/", "/api/v1/report/overview?site=shop"):
            rebound = client.get(path, headers={"host": "attacker.example:8000"})
            assert rebound.status_code == 403, path
            assert "shop" not in rebound.text.replace("site=shop", "")
        proxied = client.get("/api/v1/sites", headers={"x-forwarded-for": "203.0.113.9"})
        assert proxied.status_code == 403 and "proxy" in proxied.json()["error"]
        assert client.get("/api/v1/sites", headers={"host": "localhost"}).status_code == 200


def test_same_origin_writes_with_the_token_work(open_server: Live) -> None:
    with open_server.client() as client:
        origin = open_server.url
        answer = client.post("/api/v1/query", json={"site": "shop", "metrics": ["requests"],
                             "date_range": "all"}, headers={"origin": origin})  # fmt: skip
        assert answer.status_code == 200 and answer.json()["rows"] == [{"requests": 17}]


def test_allowed_hosts_bind_the_api_but_not_health(shop_db: Path) -> None:
    with Database(Settings(db_path=shop_db)) as db:
        add_user(db, "ada", PASSWORD, "admin", None)
    settings = replace(Settings(db_path=shop_db), allowed_hosts=("stats.example.com",))
    with running(settings) as url:
        live = Live(url, shop_db, {})
        with live.client() as client:
            assert client.get("/healthz", headers={"host": "10.0.0.5"}).status_code == 200
            other = client.get("/login", headers={"host": "other.example"})
            assert other.status_code == 200  # public page
            api = client.get("/api/v1/meta", headers={"host": "other.example"})
            assert api.status_code == 403
            named = client.get("/api/v1/meta", headers={"host": "stats.example.com"})
            assert named.status_code == 401  # the right name: now it asks who you are


def test_the_local_secret_is_the_owner(open_server: Live) -> None:
    """The CLI hands imports to the server with the secret of <db>.server.json."""
    info = json.loads(Path(str(open_server.db_path) + ".server.json").read_text())
    with open_server.client() as client:
        client.headers.pop("x-csrf-token")
        answer = client.post("/api/v1/imports", json={"paths": ["/nonexistent.log"],
                             "site": "shop"},
                             headers={"authorization": f"Bearer {info['secret']}"})  # fmt: skip
        assert answer.status_code == 202
