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

from tests.conftest import FOOTFALL
from tests.web.test_serve_cli import free_port

N = 400


def start(db: Path, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTFALL_")}
    env["FOOTFALL_COLLECT_RATE"] = "0"  # one client sends everything here
    env["FOOTFALL_COLLECT_MOVE_SECONDS"] = "0.5"
    proc = subprocess.Popen([FOOTFALL, "serve", "--db", str(db), "--port", str(port)], env=env,
                            stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline and proc.poll() is None, "server did not start"
        time.sleep(0.1)


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
    with httpx.Client(base_url=url, timeout=5) as client, ThreadPoolExecutor(8) as pool:
        futures = {pool.submit(send, client, i): i for i in range(N)}
        while sum(f.done() for f in futures) < N // 3:
            time.sleep(0.005)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        acked = {i for f, i in futures.items() if f.result()}
    assert 0 < len(acked) < N, "the kill should land mid-burst"
    proc = start(db_path, port)
    try:
        with httpx.Client(base_url=url, timeout=5) as client:
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
