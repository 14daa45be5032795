"""Shared fixtures: a real DuckDB file in tmp_path, the real CLI in a subprocess,
and a factory for hand-built combined log lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

FOOTFALL = str(Path(sys.executable).with_name("footfall"))
CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def combined(
    ip: str,
    when: str,
    path: str,
    status: int = 200,
    size: int | str = 1000,
    referrer: str = "-",
    ua: str = CHROME,
    method: str = "GET",
) -> str:
    """One combined-format line; ``when`` is 'YYYY-MM-DD HH:MM:SS' in UTC."""
    ts = datetime.strptime(when, "%Y-%m-%d %H:%M:%S").strftime("%d/%b/%Y:%H:%M:%S +0000")
    return f'{ip} - - [{ts}] "{method} {path} HTTP/1.1" {status} {size} "{referrer}" "{ua}"'


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "footfall.duckdb"


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., CliResult]:
    """Run the real ``footfall`` executable; environment isolated from the developer's."""

    def run(*args: str, stdin: bytes | None = None, timeout: float = 120) -> CliResult:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTFALL_")}
        env["COLUMNS"] = "200"
        proc = subprocess.run(
            [FOOTFALL, *args],
            input=stdin,
            capture_output=True,
            timeout=timeout,
            cwd=tmp_path,
            env=env,
        )
        return CliResult(proc.returncode, proc.stdout.decode(), proc.stderr.decode())

    return run


@pytest.fixture
def write_log(tmp_path: Path) -> Callable[[str, list[str]], Path]:
    def write(name: str, lines: list[str]) -> Path:
        path = tmp_path / name
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        return path

    return write


def query(db: Path, sql: str, params: list[object] | None = None) -> list[tuple[Any, ...]]:
    """Read the database the way an outside tool would, and close it again."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
