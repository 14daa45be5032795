"""A live Footfall server on 127.0.0.1 (port chosen by the OS), started and stopped
by the test, over a real DuckDB file with hand-built data."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import httpx
import pytest
import uvicorn

from footfall.auth.accounts import add_token, add_user
from footfall.settings import Settings
from footfall.store.database import Database
from footfall.web.app import create_app
from footfall.web.imports import announce
from footfall.web.server import build, shutdown
from tests.test_metrics_truth import LINES

PASSWORD = "correct horse battery"


@dataclass
class Live:
    url: str
    db_path: Path
    tokens: dict[str, str]
    csrf: str = ""  # open local mode: the token the dashboard page carries

    def client(self, **kwargs: object) -> httpx.Client:
        client = httpx.Client(base_url=self.url, timeout=10, **kwargs)  # type: ignore[arg-type]
        if self.csrf:
            client.headers.setdefault("x-csrf-token", self.csrf)
        return client


def page_csrf(client: httpx.Client) -> str:
    """The CSRF token of the dashboard page (open mode, or a logged-in client)."""
    page = client.get("/")
    return page.text.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]


def local_client(url: str, **kwargs: object) -> httpx.Client:
    """A client of a server in open local mode that sends its CSRF token, as the
    dashboard does: every write needs it, with or without accounts."""
    kwargs.setdefault("timeout", 10)
    with httpx.Client(base_url=url, timeout=10) as probe:
        token = page_csrf(probe)
    client = httpx.Client(base_url=url, **kwargs)  # type: ignore[arg-type]
    client.headers["x-csrf-token"] = token
    return client


@contextlib.contextmanager
def running(settings: Settings) -> Iterator[str]:
    """A server in a thread; yields its base URL and stops it afterwards.

    Its mover runs every 0.5 s (5 s by default), so tracker events are stored quickly."""
    settings = replace(settings, collect_move_seconds=min(settings.collect_move_seconds, 0.5))
    ctx = build(settings, "127.0.0.1")
    config = uvicorn.Config(create_app(ctx), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    announced = announce(settings.db_path, url, ctx.local_secret)
    try:
        yield url
    finally:
        announced.unlink(missing_ok=True)
        server.should_exit = True
        thread.join(timeout=10)
        shutdown(ctx)


@pytest.fixture
def shop_db(cli, write_log, db_path: Path) -> Path:
    """The hand-computed log of tests/test_metrics_truth.py, plus a second site."""
    log = write_log("shop.log", LINES)
    assert cli("import", str(log), "--db", str(db_path), "--site", "shop", "--host",
               "www.shop.test", "-q").code == 0  # fmt: skip
    assert cli("import", str(log), "--db", str(db_path), "--site", "other", "-q").code == 0
    return db_path


@pytest.fixture
def open_server(shop_db: Path) -> Iterator[Live]:
    """No accounts: local open mode."""
    with running(Settings(db_path=shop_db)) as url, httpx.Client(base_url=url) as client:
        yield Live(url, shop_db, {}, page_csrf(client))


@pytest.fixture
def secured_server(shop_db: Path) -> Iterator[Live]:
    """Accounts for every role, one restricted to site 'shop', and tokens."""
    with Database(Settings(db_path=shop_db)) as db:
        add_user(db, "ada", PASSWORD, "admin", None)
        add_user(db, "ann", PASSWORD, "analyst", None)
        add_user(db, "vic", PASSWORD, "viewer", None)
        add_user(db, "sam", PASSWORD, "viewer", ["shop"])
        tokens = {
            "read": add_token(db, "ann", "script", None, writable=False),
            "shop-only": add_token(db, "ann", "shop script", ["shop"], writable=False),
            "write": add_token(db, "ada", "importer", None, writable=True),
            "write-shop": add_token(db, "ada", "shop importer", ["shop"], writable=True),
            "viewer": add_token(db, "vic", "viewer script", None, writable=False),
        }
    with running(Settings(db_path=shop_db)) as url:
        yield Live(url, shop_db, tokens)


def login(live: Live, name: str) -> tuple[httpx.Client, str]:
    """A client logged in as ``name``, and its CSRF token (read from the dashboard page)."""
    client = live.client(follow_redirects=False)
    page = client.get("/login")
    csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/login", data={"name": name, "password": PASSWORD, "csrf": csrf})
    assert answer.status_code == 303 and answer.headers["location"] == "/", answer.text
    return client, page_csrf(client)


Login = Callable[[Live, str], tuple[httpx.Client, str]]
