"""Collection on a full disk: a real `footfall serve` whose database and event log live
on a small tmpfs that the test fills.  Events are refused with 503 and Retry-After,
/healthz names the fault, both recover by themselves once space is freed, exactly
the acknowledged events are stored, and SIGTERM still stops the server."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.conftest import CliResult
from tests.store.test_storage_faults import Disk
from tests.store.test_storage_faults import small_disk as small_disk  # a fixture, used by name
from tests.web.serve_process import free_port, start_serve

pytestmark = pytest.mark.slow


def start(db: Path, port: int, stderr: Path) -> subprocess.Popen[bytes]:
    """One client sends everything here: no rate limit; stored every 0.5 s."""
    with stderr.open("ab") as err:
        return start_serve(db, port, err, collect_rate="0", collect_move_seconds="0.5")


def send(client: httpx.Client, i: int) -> httpx.Response:
    return client.post("/api/event", json={"n": "pageview", "u": f"https://shop.example/e/{i}",
                                           "d": "shop.example", "i": f"event{i:011d}"})  # fmt: skip


def stored_pages(client: httpx.Client) -> dict[str, int]:
    """Stored events per page, through the API (open local mode: the dashboard's token)."""
    page = client.get("/").text
    csrf = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    answer = client.post("/api/v1/query", headers={"x-csrf-token": csrf}, json={
        "site": "shop", "metrics": ["requests"], "dimensions": ["event:page"],
        "date_range": "7d", "include_bots": True, "limit": 1000})  # fmt: skip
    assert answer.status_code == 200, answer.text
    return {row["event:page"]: row["requests"] for row in answer.json()["rows"]}


def wait_for(check: Callable[[], bool], seconds: float, what: str) -> None:
    """Poll ``check`` until it holds; fail with ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def until_refused(client: httpx.Client, first: int, acked: set[int]) -> httpx.Response:
    """Send events from ``first`` until one is refused (the segment's last page may still
    take a few); within a second of the disk filling."""
    started = time.monotonic()
    for i in range(first, first + 10_000):
        answer = send(client, i)
        if answer.status_code != 202:
            return answer
        acked.add(i)
        assert time.monotonic() - started < 1, "events still accepted a second after"
    raise AssertionError("no event was refused")


def test_full_disk_refuses_events_reports_the_fault_and_recovers(
    cli: Callable[..., CliResult], small_disk: Disk, tmp_path: Path
) -> None:
    db = small_disk.path / "footfall.duckdb"
    assert cli("site", "shop", "--db", str(db), "--host", "shop.example").code == 0
    port = free_port()
    log = tmp_path / "server.log"
    proc = start(db, port, log)
    acked: set[int] = set()
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            for i in range(10):
                assert send(client, i).status_code == 202
                acked.add(i)
            small_disk.fill()
            refused = until_refused(client, 10, acked)
            assert refused.status_code == 503, refused.text
            assert int(refused.headers["retry-after"]) >= 1
            assert "No space left on device" in refused.json()["error"]
            started = time.monotonic()
            assert send(client, 100_000).status_code == 503
            assert time.monotonic() - started < 0.5, "refused at once while the disk is full"
            health = client.get("/healthz")
            assert health.status_code == 503, health.text
            assert health.json()["status"] == "fault"
            assert any("event log cannot write: No space left on device" in fault
                       for fault in health.json()["faults"])  # fmt: skip

            small_disk.free()
            retried = iter(range(200_000, 300_000))
            wait_for(lambda: send(client, next(retried)).status_code == 202, 10,
                     "events are not accepted again after space was freed")  # fmt: skip
            acked.add(next(retried) - 1)  # the one just accepted (earlier ones were refused)
            wait_for(lambda: client.get("/healthz").status_code == 200, 15,
                     "/healthz does not turn back to 200")  # fmt: skip
            assert client.get("/healthz").json() == {"status": "ok"}
            for i in range(300_000, 300_010):
                assert send(client, i).status_code == 202
                acked.add(i)
            expected = {f"/e/{i}": 1 for i in acked}
            deadline = time.monotonic() + 20
            while stored_pages(client) != expected and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(1.5)  # more mover rounds: nothing more may arrive
            assert stored_pages(client) == expected
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert "Traceback" not in log.read_text()


def test_sigterm_on_a_full_disk_stops_the_server_and_loses_nothing(
    cli: Callable[..., CliResult], small_disk: Disk, tmp_path: Path
) -> None:
    db = small_disk.path / "footfall.duckdb"
    assert cli("site", "shop", "--db", str(db), "--host", "shop.example").code == 0
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "server.log"
    proc = start(db, port, log)
    acked: set[int] = set()
    try:
        with httpx.Client(base_url=url, timeout=5) as client:
            for i in range(5):
                assert send(client, i).status_code == 202
                acked.add(i)
            small_disk.fill()
            assert until_refused(client, 5, acked).status_code == 503
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        assert time.monotonic() - started < 10
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "Traceback" not in log.read_text()

    small_disk.free()  # what the last import could not store waits in the event log
    proc = start(db, port, log)
    try:
        with httpx.Client(base_url=url, timeout=5) as client:
            assert stored_pages(client) == {f"/e/{i}": 1 for i in acked}
    finally:
        proc.terminate()
        proc.wait(timeout=20)
