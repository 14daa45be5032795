"""`footfall serve` as a real process: answers on loopback, refuses a public address
without accounts, and stops cleanly."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import httpx

from footfall.cli.remote_import import server_url
from tests.conftest import FOOTFALL


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_answers_and_stops(shop_db: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTFALL_")}
    proc = subprocess.Popen([FOOTFALL, "serve", "--db", str(shop_db), "--port", str(port)],
                            env=env, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "server did not start"
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            time.sleep(0.1)
        overview = httpx.get(f"{url}/api/v1/report/overview", params={"site": "shop"}).json()
        assert overview["visitors"] == 5
        assert Path(str(shop_db) + ".server.json").exists()
        page = httpx.get(url)
        assert page.status_code == 200 and "dashboard.js" in page.text
        assert "content-security-policy" in page.headers
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert server_url(shop_db) is None  # gone, or left behind by a stopped process


def test_public_address_without_accounts_is_refused(cli, shop_db: Path) -> None:
    result = cli("serve", "--db", str(shop_db), "--host", "0.0.0.0", "--port", "1")
    assert result.code == 2
    assert "refusing to listen on 0.0.0.0 with no user accounts" in " ".join(result.err.split())


def test_user_add_then_public_address_starts(cli, shop_db: Path) -> None:
    added = cli("user", "add", "ada", "--role", "admin", "--db", str(shop_db),
                "--password-stdin", stdin=b"a long enough password\n")  # fmt: skip
    assert added.code == 0, added.err
    short = cli("user", "add", "bob", "--db", str(shop_db), "--password-stdin", stdin=b"short\n")
    assert short.code == 2 and "at least 12 characters" in short.err
    token = cli("token", "ada", "--db", str(shop_db), "--name", "ci")
    assert token.code == 0 and token.out.strip().startswith("ff_")
