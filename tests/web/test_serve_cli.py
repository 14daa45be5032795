"""`footfall serve` as a real process: answers on loopback, refuses a public address
without accounts, and stops cleanly."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx

from footfall.cli.remote_import import running_server
from tests.conftest import FOOTFALL
from tests.web.serve_process import free_port, start_serve


def test_serve_answers_and_stops(shop_db: Path) -> None:
    port = free_port()
    proc = start_serve(shop_db, port)
    try:
        url = f"http://127.0.0.1:{port}"
        overview = httpx.get(f"{url}/api/v1/report/overview", params={"site": "shop"}).json()
        assert overview["visitors"] == 5
        assert Path(str(shop_db) + ".server.json").exists()
        page = httpx.get(url)
        assert page.status_code == 200 and "dashboard.js" in page.text
        assert "content-security-policy" in page.headers
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert running_server(shop_db) is None  # gone, or left behind by a stopped process


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


def test_audit_lines_reach_the_server_log(cli, shop_db: Path) -> None:
    """A failed login under the real `footfall serve` is one audit line on its stderr,
    naming the user tried and never the password sent."""
    added = cli("user", "add", "ada", "--role", "admin", "--db", str(shop_db),
                "--password-stdin", stdin=b"a long enough password\n")  # fmt: skip
    assert added.code == 0, added.err
    port = free_port()
    proc = start_serve(shop_db, port, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=url) as client:
            form = client.get("/login").text
            csrf = form.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            client.post("/login", data={"name": "ada", "password": "not-the-password-x",
                                        "csrf": csrf})  # fmt: skip
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=20)
    assert "login.failed" in err and "ada" in err
    assert "not-the-password-x" not in err


def test_serve_refuses_a_database_that_does_not_exist(cli, tmp_path: Path) -> None:
    typo = tmp_path / "footfal.duckdb"
    result = cli("serve", "--db", str(typo), "--port", str(free_port()), timeout=30)
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and str(typo) in " ".join(result.err.split()) and "--create" in lines[0]
    assert not typo.exists()


def test_serve_create_starts_an_empty_database(tmp_path: Path) -> None:
    fresh = tmp_path / "new.duckdb"
    port = free_port()
    proc = subprocess.Popen([FOOTFALL, "serve", "--db", str(fresh), "--port", str(port),
                             "--create"], stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "did not start"
            time.sleep(0.1)
        assert fresh.exists()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_reports_while_serving_go_through_the_server(cli, shop_db: Path) -> None:
    """The server owns the file: `footfall report` and `footfall query` ask its API (with
    the local secret of <db>.server.json) and print what they print without a server."""
    before = {
        "overview": cli(
            "report", "overview", "--db", str(shop_db), "--site", "shop", "--format", "json"
        ).json(),
        "pages": cli("report", "pages", "--db", str(shop_db), "--site", "shop").out,
        "csv": cli(
            "report", "sources", "--db", str(shop_db), "--site", "shop", "--format", "csv"
        ).out,
        "query": cli(
            "query",
            "-m",
            "visitors",
            "-d",
            "event:page",
            "--db",
            str(shop_db),
            "--site",
            "shop",
            "--format",
            "json",
        ).json(),
    }
    port = free_port()
    proc = start_serve(shop_db, port)
    try:
        api = httpx.get(f"http://127.0.0.1:{port}/api/v1/report/overview",
                        params={"site": "shop", "period": "all"}).json()  # fmt: skip
        overview = cli("report", "overview", "--db", str(shop_db), "--site", "shop",
                       "--format", "json")  # fmt: skip
        assert overview.code == 0, overview.err
        assert overview.json() == api == before["overview"]
        pages = cli("report", "pages", "--db", str(shop_db), "--site", "shop")
        assert pages.code == 0, pages.err
        assert pages.out == before["pages"]
        csv = cli("report", "sources", "--db", str(shop_db), "--site", "shop", "--format", "csv")
        assert csv.out == before["csv"]
        query = cli("query", "-m", "visitors", "-d", "event:page", "--db", str(shop_db),
                    "--site", "shop", "--format", "json")  # fmt: skip
        assert query.code == 0, query.err
        assert query.json() == before["query"]
        several = cli("report", "overview", "--db", str(shop_db))  # two sites: choose one
        assert several.code == 2 and "--site" in several.err
    finally:
        proc.terminate()
        proc.wait(timeout=20)
