"""The real `footfall serve` as a subprocess on a free loopback port, for tests that
need a separate process (kill -9, SIGTERM, its stderr)."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any

import httpx

from tests.conftest import FOOTFALL


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_serve(db: Path, port: int, stderr: IO[Any] | int | None = subprocess.DEVNULL,
                **settings: str) -> subprocess.Popen[Any]:  # fmt: skip
    """Start `footfall serve` (``settings`` as FOOTFALL_<NAME> variables, nothing else of
    the caller's FOOTFALL_* environment) and return once /healthz answers 200."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTFALL_")}
    env.update({f"FOOTFALL_{k.upper()}": v for k, v in settings.items()})
    text = stderr is subprocess.PIPE
    proc = subprocess.Popen([FOOTFALL, "serve", "--db", str(db), "--port", str(port)],
                            env=env, stderr=stderr, text=text)  # fmt: skip
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"footfall serve did not start (exit {proc.poll()})")
        time.sleep(0.1)


@contextmanager
def loopback_http(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A plain HTTP server on a free loopback port answering with ``handler`` (pages that
    embed a tracker); yields its base URL and stops it afterwards."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
