"""Files that hold visitors' data or the server's secret are the owner's alone, whatever
the umask (issue 11, defect 9): the database, its .wal and .tmp spill directory, the
event log and its segments, and ``<db>.server.json``."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from footfall.collect.event_log import EventLog
from footfall.settings import Settings
from footfall.web.imports import announce
from tests.conftest import CliResult, combined
from tests.web.conftest import running


@pytest.fixture(autouse=True)
def loose_umask() -> Iterator[None]:
    """The usual 022 (files 0644): a Footfall process must narrow it itself."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def assert_private(path: Path) -> None:
    mode = path.stat().st_mode & 0o777
    assert mode & 0o077 == 0, f"{path.name} is {oct(mode)}: readable by others"


def test_an_import_leaves_only_private_files(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text(combined("192.0.2.1", "2026-10-10 10:00:00", "/") + "\n", encoding="utf-8")
    db = tmp_path / "data" / "footfall.duckdb"
    db.parent.mkdir()
    assert cli("import", str(log), "--db", str(db), "--site", "s", "-q").code == 0
    made = sorted(p.name for p in db.parent.iterdir())
    assert made[:2] == ["footfall.duckdb", "footfall.duckdb.tmp"], made
    assert set(made) <= {"footfall.duckdb", "footfall.duckdb.tmp", "footfall.duckdb.wal"}
    for path in db.parent.iterdir():
        assert_private(path)
    assert (db.parent / "footfall.duckdb.tmp").is_dir()


def test_a_server_leaves_only_private_files(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    db = tmp_path / "footfall.duckdb"
    assert cli("site", "shop", "--db", str(db), "--host", "shop.example").code == 0
    db.chmod(0o644)  # made by an older version: narrowed when the server opens it
    server_json = tmp_path / "footfall.duckdb.server.json"
    with running(Settings(db_path=db)) as url, httpx.Client(base_url=url, timeout=10) as client:
        sent = client.post("/api/event", json={
            "n": "pageview", "u": "https://shop.example/?email=a@b.example", "d": "shop.example"})  # fmt: skip
        assert sent.status_code == 202, sent.text
        assert server_json.exists()
        events = tmp_path / "footfall.duckdb.events"
        made = [p for p in tmp_path.iterdir() if p.name.startswith("footfall.duckdb")]
        made += list(events.rglob("*"))
        assert {db, server_json, events, events / "shop", Path(f"{db}.tmp")} <= set(made)
        for path in made:
            assert_private(path)


def test_event_log_segments_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "events"
    folder.mkdir(mode=0o755)  # left by an older version
    log = EventLog(folder)
    try:
        log.append("shop", {"remote_addr": "192.0.2.1", "request_uri": "/?token=x"})
        segments = list((folder / "shop").iterdir())
        assert segments
        for path in [folder, folder / "shop", *segments]:
            assert_private(path)
    finally:
        log.close()


def test_the_server_file_is_narrowed_before_the_secret_is_written(tmp_path: Path) -> None:
    db = tmp_path / "footfall.duckdb"
    stale = tmp_path / "footfall.duckdb.server.json"
    stale.write_text("{}", encoding="utf-8")
    stale.chmod(0o644)
    path = announce(db, "http://127.0.0.1:1", "s3cret")
    assert path == stale
    assert_private(path)
    assert "s3cret" in path.read_text(encoding="utf-8")
