"""An accepted event is never lost nor stored twice: kill -9 the server during a
burst, restart it, resend what got no answer (same event ids), and exactly N
events are stored."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests.web.conftest import local_client
from tests.web.serve_process import free_port, start_serve

N = 400


def start(db: Path, port: int) -> subprocess.Popen[bytes]:
    # one client sends everything here: no rate limit; stored every 0.5 s
    return start_serve(db, port, collect_rate="0", collect_move_seconds="0.5")


def send(client: httpx.Client, i: int) -> bool:
    body = {"n": "Order", "u": f"https://shop.example/thanks?o={i}", "d": "shop.example",
            "i": f"event{i:011d}"}  # fmt: skip
    try:
        return client.post("/api/event", json=body).status_code == 202
    except httpx.TransportError:
        return False


def test_kill_9_during_a_burst_loses_and_duplicates_nothing(cli, db_path: Path) -> None:
    assert cli("site", "shop", "--db", str(db_path), "--host", "shop.example").code == 0
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = start(db_path, port)
    acked: set[int] = set()
    with local_client(url, timeout=5) as client, ThreadPoolExecutor(8) as pool:
        futures = {pool.submit(send, client, i): i for i in range(N)}
        while sum(f.done() for f in futures) < N // 3:
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        acked = {i for f, i in futures.items() if f.result()}
    assert 0 < len(acked) < N, "the kill should land mid-burst"
    proc = start(db_path, port)
    try:
        with local_client(url, timeout=5) as client:
            for i in range(N):
                if i not in acked:
                    assert send(client, i)
            # a retry of an event that was already acknowledged is dropped as a duplicate
            assert send(client, min(acked))
            deadline = time.monotonic() + 30
            while True:
                rows = client.post("/api/v1/query", json={
                    "site": "shop", "metrics": ["events"], "date_range": "7d", "include_bots": True,
                }).json()["rows"]  # fmt: skip
                if rows[0]["events"] >= N or time.monotonic() > deadline:
                    break
                time.sleep(0.3)
            time.sleep(1.5)  # one more mover round: nothing more may arrive
            rows = client.post("/api/v1/query", json={
                "site": "shop", "metrics": ["events"], "date_range": "7d", "include_bots": True,
            }).json()["rows"]  # fmt: skip
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert rows == [{"events": N}]
