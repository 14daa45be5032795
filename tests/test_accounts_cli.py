"""``footfall user ...`` and ``footfall token ...`` through the real executable: on the
database file, and through a running server that owns it (audited in its log)."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx
import pytest

from footfall.auth.accounts import actor_from_session, actor_from_token, start_session
from footfall.settings import Settings
from footfall.store.database import Database
from tests.conftest import query

PASSWORD = b"correct horse battery\n"


@pytest.mark.slow
def test_user_commands_on_the_file(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(db_path)
    assert cli("user", "add", "ada", "--role", "admin", "--password-stdin", "--db", db,
               stdin=PASSWORD).code == 0  # fmt: skip
    for bad in (b" " * 12 + b"\n", b"eleven char\n", b"sam.the.tester\n"):
        refused = cli("user", "add", "sam.the.tester", "--password-stdin", "--db", db, stdin=bad)
        assert refused.code == 2 and "password" in refused.err, refused.err
    assert cli("user", "add", "sam", "--site", "shop", "--password-stdin", "--db", db,
               stdin=PASSWORD).code == 0  # fmt: skip
    with Database(Settings(db_path=db_path)) as database:
        start_session(database, "sam")

    listed = cli("user", "list", "--json", "--db", db)
    assert listed.code == 0
    users = {u["name"]: u for u in listed.json()}
    assert users["sam"]["sites"] == ["shop"] and users["ada"]["role"] == "admin"
    assert "hash" not in listed.out and "argon2" not in listed.out

    assert cli("user", "disable", "sam", "--db", db).code == 0
    assert query(db_path, "SELECT disabled FROM users WHERE name = 'sam'") == [(True,)]
    assert query(db_path, "SELECT count(*) FROM login_sessions WHERE user_name = 'sam'") == [(0,)]
    assert cli("user", "enable", "sam", "--db", db).code == 0
    assert cli("user", "password", "sam", "--password-stdin", "--db", db,
               stdin=b"a brand new passphrase\n").code == 0  # fmt: skip
    assert cli("user", "disable", "ada", "--db", db).code == 2  # the last admin
    assert cli("user", "delete", "sam", "--yes", "--db", db).code == 0
    assert query(db_path, "SELECT name FROM users") == [("ada",)]


@pytest.mark.slow
def test_token_commands_on_the_file(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(db_path)
    assert cli("user", "add", "ann", "--role", "analyst", "--password-stdin", "--db", db,
               stdin=PASSWORD).code == 0  # fmt: skip
    legacy = cli("token", "ann", "--name", "nightly export", "--db", db)  # README's form
    assert legacy.code == 0, legacy.err
    secret = legacy.out.strip()
    created = cli("token", "create", "ann", "--name", "short", "--expires-days", "0", "--db", db)
    assert created.code == 0
    listed = cli("token", "list", "--json", "--db", db)
    tokens = {t["name"]: t for t in listed.json()}
    assert set(tokens) == {"nightly export", "short"}
    assert tokens["nightly export"]["expires"] and tokens["short"]["expires"] is None
    assert secret not in listed.out and created.out.strip() not in listed.out
    with Database(Settings(db_path=db_path)) as database:
        assert actor_from_token(database, secret) is not None
    assert cli("token", "revoke", tokens["nightly export"]["id"], "--db", db).code == 0
    with Database(Settings(db_path=db_path)) as database:
        assert actor_from_token(database, secret) is None
        assert actor_from_token(database, created.out.strip()) is not None
    assert cli("token", "revoke", "nope", "--db", db).code == 2
    assert cli("user", "delete", "ann", "--yes", "--db", db).code == 0
    assert query(db_path, "SELECT count(*) FROM api_tokens") == [(0,)]


@pytest.mark.slow
def test_commands_go_through_the_running_server_and_are_audited(  # type: ignore[no-untyped-def]
    cli, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.web.conftest import running

    db = str(db_path)
    for name, role in (("ada", "admin"), ("vic", "viewer")):
        assert cli("user", "add", name, "--role", role, "--password-stdin", "--db", db,
                   stdin=PASSWORD).code == 0  # fmt: skip
    caplog.set_level(logging.INFO, logger="footfall.audit")
    with running(Settings(db_path=db_path)) as url:
        made = cli("token", "vic", "--name", "script", "--db", db)
        assert made.code == 0, made.err
        script = httpx.Client(base_url=url, headers={"authorization": f"Bearer {made.out.strip()}"})
        assert script.get("/api/v1/meta").status_code == 200
        assert cli("user", "disable", "vic", "--db", db).code == 0
        assert script.get("/api/v1/meta").status_code == 401  # at once: the server did it
        listed = cli("token", "list", "--json", "--db", db)
        assert [t["user"] for t in json.loads(listed.out)] == ["vic"]
        assert cli("user", "delete", "vic", "--yes", "--db", db).code == 0
        assert cli("user", "list", "--json", "--db", db).json()[0]["name"] == "ada"
    lines = [r.getMessage() for r in caplog.records if r.name == "footfall.audit"]
    assert any(line.startswith("token.created actor='local owner' target='vic'") for line in lines)
    assert any(line.startswith("user.disabled actor='local owner' target='vic'") for line in lines)
    assert any(line.startswith("user.deleted actor='local owner' target='vic'") for line in lines)
    assert made.out.strip() not in caplog.text


@pytest.mark.slow
def test_sessions_of_a_deleted_user_end(cli, db_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = str(db_path)
    for name in ("ada", "bob"):
        assert cli("user", "add", name, "--role", "admin", "--password-stdin", "--db", db,
                   stdin=PASSWORD).code == 0  # fmt: skip
    with Database(Settings(db_path=db_path)) as database:
        session, _ = start_session(database, "bob")
        assert actor_from_session(database, session) is not None
    assert cli("user", "delete", "bob", "--yes", "--db", db).code == 0
    with Database(Settings(db_path=db_path)) as database:
        assert actor_from_session(database, session) is None
