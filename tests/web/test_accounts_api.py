"""The account lifecycle through the API: users, tokens, one's own password, the audit
log (issue 11, defect 8).  A live server over a real database; ada is the admin."""

from __future__ import annotations

import contextlib
import json
import logging
import time
from datetime import datetime, timedelta

import httpx
import pytest

from footfall.auth import accounts
from tests.web.conftest import PASSWORD, Live, login

NEW_PASSWORD = "a brand new passphrase"


def admin(live: Live) -> httpx.Client:
    client, csrf = login(live, "ada")
    client.headers["x-csrf-token"] = csrf
    return client


def bearer(live: Live, token: str) -> httpx.Client:
    return live.client(headers={"authorization": f"Bearer {token}"})


def owner(live: Live) -> httpx.Client:
    """The database owner's CLI: the server's local secret from <db>.server.json."""
    info = json.loads(live.db_path.with_name(live.db_path.name + ".server.json").read_text())
    return bearer(live, info["secret"])


def form_login(live: Live, name: str, password: str) -> int:
    with live.client(follow_redirects=False) as client:
        page = client.get("/login")
        csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        data = {"name": name, "password": password, "csrf": csrf}
        return client.post("/login", data=data).status_code


def audit_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "footfall.audit"]


@pytest.mark.slow
def test_user_lifecycle(secured_server: Live, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="footfall.audit")
    with contextlib.closing(admin(secured_server)) as ada:
        made = ada.post("/api/v1/users", json={"name": "zoe", "password": PASSWORD,
                                               "role": "analyst", "sites": ["shop"]})  # fmt: skip
        assert made.status_code == 201, made.text
        listed = ada.get("/api/v1/users").json()["users"]
        zoe = next(u for u in listed if u["name"] == "zoe")
        assert zoe["role"] == "analyst" and zoe["sites"] == ["shop"] and not zoe["disabled"]
        assert all("password" not in key or key == "password_changed" for u in listed for key in u)
        assert PASSWORD not in ada.get("/api/v1/users").text

        token = ada.post("/api/v1/tokens", json={"user": "zoe", "name": "zoe script"}).json()
        session, _ = login(secured_server, "zoe")
        api = bearer(secured_server, token["token"])
        assert session.get("/api/v1/meta").status_code == 200
        assert api.get("/api/v1/meta").status_code == 200

        assert ada.post("/api/v1/users/zoe/disable").json()["disabled"] is True
        assert session.get("/api/v1/meta").status_code == 401  # the session ended
        assert api.get("/api/v1/meta").status_code == 401  # tokens stop
        assert form_login(secured_server, "zoe", PASSWORD) == 303
        assert ada.post("/api/v1/users/zoe/enable").status_code == 200
        assert api.get("/api/v1/meta").status_code == 200  # the token is back

        session, _ = login(secured_server, "zoe")
        changed = ada.put("/api/v1/users/zoe/password", json={"password": NEW_PASSWORD})
        assert changed.status_code == 200
        assert session.get("/api/v1/meta").status_code == 401
        with live_login(secured_server, "zoe", NEW_PASSWORD) as again:
            assert again.get("/api/v1/meta").status_code == 200

        assert ada.delete("/api/v1/users/zoe").status_code == 200
        assert api.get("/api/v1/meta").status_code == 401
        assert all(t["user"] != "zoe" for t in ada.get("/api/v1/tokens").json()["tokens"])
        assert "zoe" not in {u["name"] for u in ada.get("/api/v1/users").json()["users"]}
    lines = audit_lines(caplog)
    for event in ("user.added", "token.created", "user.disabled", "user.enabled",
                  "user.password_changed", "user.deleted"):  # fmt: skip
        assert any(line.startswith(f"{event} actor='ada' target='zoe'") for line in lines), event
    assert PASSWORD not in caplog.text and NEW_PASSWORD not in caplog.text
    assert token["token"] not in caplog.text


@contextlib.contextmanager
def live_login(live: Live, name: str, password: str):  # type: ignore[no-untyped-def]
    client = live.client(follow_redirects=False)
    page = client.get("/login")
    csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/login", data={"name": name, "password": password, "csrf": csrf})
    assert answer.status_code == 303 and answer.headers["location"] == "/", answer.text
    try:
        yield client
    finally:
        client.close()


def test_password_rule_is_enforced_by_the_api(secured_server: Live) -> None:
    with contextlib.closing(admin(secured_server)) as ada:
        name = "zoe.the.tester"
        for bad in (" " * 12, "\t" * 14, "eleven char", name, name.upper() + " "):
            answer = ada.post("/api/v1/users", json={"name": name, "password": bad})
            assert answer.status_code == 400, bad
            assert "password" in answer.json()["error"]
            assert bad.strip() == "" or bad not in answer.text  # never echoed
        made = ada.post("/api/v1/users", json={"name": name, "password": "twelve chars"})
        assert made.status_code == 201
        spaces = ada.put(f"/api/v1/users/{name}/password", json={"password": " " * 20})
        assert spaces.status_code == 400


def test_tokens_list_revoke_expire_and_last_used(
    secured_server: Live, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.INFO, logger="footfall.audit")
    with contextlib.closing(admin(secured_server)) as ada:
        made = ada.post("/api/v1/tokens", json={"user": "ann", "name": "short", "sites": ["shop"],
                                                "expires_days": 1})  # fmt: skip
        assert made.status_code == 201, made.text
        new = made.json()
        assert new["token"].startswith("ff_") and new["expires"]
        listed = ada.get("/api/v1/tokens", params={"user": "ann"})
        assert new["token"] not in listed.text
        assert accounts._digest(new["token"]) not in listed.text
        row = next(t for t in listed.json()["tokens"] if t["id"] == new["id"])
        assert set(row) == {"id", "name", "user", "sites", "writable", "created", "expires",
                            "last_used", "status"}  # fmt: skip
        assert (row["user"], row["sites"], row["writable"]) == ("ann", ["shop"], False)
        assert row["last_used"] is None and row["status"] == "active"

        script = bearer(secured_server, new["token"])
        assert script.get("/api/v1/meta").status_code == 200
        first = _token(ada, new["id"])["last_used"]
        assert first is not None
        time.sleep(1.1)
        assert script.get("/api/v1/meta").status_code == 200
        assert _token(ada, new["id"])["last_used"] == first  # not written on every request

        later = datetime.now() + timedelta(days=2)
        monkeypatch.setattr(accounts, "_now", lambda: later)
        assert script.get("/api/v1/meta").status_code == 401  # expired
        with contextlib.closing(owner(secured_server)) as local:  # ada's session expired too
            assert _token(local, new["id"])["status"] == "expired"
        monkeypatch.undo()

        keep = ada.post("/api/v1/tokens", json={"user": "ann", "expires_days": 0}).json()
        assert keep["expires"] is None
        kept = bearer(secured_server, keep["token"])
        assert kept.get("/api/v1/meta").status_code == 200
        assert ada.delete(f"/api/v1/tokens/{keep['id']}").status_code == 200
        assert kept.get("/api/v1/meta").status_code == 401
        assert _token(ada, keep["id"])["status"] == "revoked"
        assert ada.delete("/api/v1/tokens/nope").status_code == 400
    lines = audit_lines(caplog)
    assert any(line.startswith("token.created actor='ada' target='ann'") and new["id"] in line
               for line in lines)  # fmt: skip
    assert any(line.startswith("token.revoked actor='ada' target='ann'") and keep["id"] in line
               for line in lines)  # fmt: skip
    assert new["token"] not in caplog.text and keep["token"] not in caplog.text


def _token(client: httpx.Client, token_id: str) -> dict[str, object]:
    tokens = client.get("/api/v1/tokens").json()["tokens"]
    return next(t for t in tokens if t["id"] == token_id)  # type: ignore[no-any-return]


def test_only_unrestricted_admins_manage_accounts(secured_server: Live) -> None:
    for who in ("ann", "sam", "token:write", "anonymous"):
        _refused_everything(secured_server, who)


def _refused_everything(live: Live, who: str) -> None:
    if who == "anonymous":
        client, headers, want = live.client(), {}, 401
    elif who.startswith("token:"):
        client, headers, want = bearer(live, live.tokens[who[6:]]), {}, 403
    else:
        client, csrf = login(live, who)
        headers, want = {"x-csrf-token": csrf}, 403
    with contextlib.closing(client):
        assert client.get("/api/v1/users").status_code == want, who
        assert client.get("/api/v1/tokens").status_code == want, who
        body = {"name": "eve", "password": PASSWORD, "role": "admin"}
        assert client.post("/api/v1/users", json=body, headers=headers).status_code == want
        assert client.post("/api/v1/tokens", json={"user": "ada"},
                           headers=headers).status_code == want  # fmt: skip
        assert client.delete("/api/v1/users/ada", headers=headers).status_code == want
        assert client.post("/api/v1/users/ada/disable", headers=headers).status_code == want


def test_the_last_admin_stays(secured_server: Live) -> None:
    with contextlib.closing(admin(secured_server)) as ada:
        refused = ada.delete("/api/v1/users/ada")
        assert refused.status_code == 400 and "last admin" in refused.json()["error"]
        assert ada.post("/api/v1/users/ada/disable").status_code == 400
        assert ada.get("/api/v1/users").status_code == 200


@pytest.mark.slow
def test_changing_ones_own_password(secured_server: Live, caplog: pytest.LogCaptureFixture
                                    ) -> None:  # fmt: skip
    caplog.set_level(logging.INFO, logger="footfall.audit")
    other, _ = login(secured_server, "vic")
    mine, csrf = login(secured_server, "vic")
    headers = {"x-csrf-token": csrf}
    with contextlib.closing(other), contextlib.closing(mine):
        wrong = mine.post("/api/v1/me/password", json={"current": "not it at all",
                                                        "new": NEW_PASSWORD}, headers=headers)  # fmt: skip
        assert wrong.status_code == 403
        weak = mine.post("/api/v1/me/password", json={"current": PASSWORD, "new": " " * 12},
                         headers=headers)  # fmt: skip
        assert weak.status_code == 400
        assert mine.post("/api/v1/me/password", json={"current": PASSWORD, "new": NEW_PASSWORD}
                         ).status_code == 403  # no CSRF token  # fmt: skip
        ok = mine.post("/api/v1/me/password", json={"current": PASSWORD, "new": NEW_PASSWORD},
                       headers=headers)  # fmt: skip
        assert ok.status_code == 200, ok.text
        assert mine.get("/api/v1/meta").status_code == 200  # this session stays
        assert other.get("/api/v1/meta").status_code == 401  # the other one ended
    assert form_login(secured_server, "vic", PASSWORD) == 303  # back to the form
    with live_login(secured_server, "vic", NEW_PASSWORD) as again:
        assert again.get("/api/v1/meta").status_code == 200
    token = bearer(secured_server, secured_server.tokens["read"])
    assert token.post("/api/v1/me/password", json={"current": PASSWORD, "new": NEW_PASSWORD}
                      ).status_code == 403  # fmt: skip
    lines = audit_lines(caplog)
    assert any(line.startswith("user.password_changed actor='vic' target='vic'") for line in lines)
    assert NEW_PASSWORD not in caplog.text


def test_guessing_the_current_password_locks_with_retry_after(secured_server: Live) -> None:
    """A stolen session cannot guess the password through /me/password: after the 5th
    wrong guess (the default) the API answers 429 with Retry-After, the right one too."""
    mine, csrf = login(secured_server, "vic")
    headers = {"x-csrf-token": csrf}
    with contextlib.closing(mine):
        for _ in range(5):
            wrong = mine.post("/api/v1/me/password", json={"current": "not it at all",
                              "new": NEW_PASSWORD}, headers=headers)  # fmt: skip
            assert wrong.status_code == 403
        locked = mine.post("/api/v1/me/password", json={"current": PASSWORD,
                           "new": NEW_PASSWORD}, headers=headers)  # fmt: skip
        assert locked.status_code == 429, locked.text
        assert int(locked.headers["retry-after"]) >= 1
