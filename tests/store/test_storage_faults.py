"""Storage that fails: a full disk and a damaged database file.

A full disk is a small tmpfs mounted by the test (root only: CI runs as root)
and filled with a filler file; freeing it is deleting the filler.  Every
failure must reach a person as one line (CLI: exit 2, no traceback) and
nothing acknowledged or stored may be lost or stored twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from footfall.collect.event_log import EventLog
from footfall.errors import StorageError
from tests.conftest import CliResult, combined

TMPFS_MB = 24


@dataclass
class Disk:
    """A small tmpfs that a test fills and frees."""

    path: Path

    def fill(self) -> None:
        with open(self.path / "filler", "ab", buffering=0) as filler:
            for block in (bytes(1 << 20), bytes(4096), bytes(512), bytes(1)):
                with contextlib.suppress(OSError):  # ENOSPC: full at this grain
                    while filler.write(block):
                        pass

    def free(self) -> None:
        (self.path / "filler").unlink()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Disk]:
    """A fresh tmpfs of TMPFS_MB MiB, unmounted afterwards."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs to fill needs root (CI runs as root)")
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={TMPFS_MB}m", "tmpfs",
                           str(mount)], capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield Disk(mount)
    finally:
        if subprocess.run(["umount", str(mount)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def one_line_error(result: CliResult, banner: str = "") -> str:
    """The CLI failed the way a person should see it: exit 2, one line, no traceback
    (``footfall serve`` prints its address first: ``banner``)."""
    assert result.code == 2, (result.code, result.err)
    assert "Traceback" not in result.err and "Traceback" not in result.out, result.err
    lines = [line for line in result.err.splitlines() if line.strip()]
    if banner and lines and lines[0].startswith(banner):
        lines = lines[1:]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.err
    return lines[0]


# -- the event log on a full disk -------------------------------------------------


def closed_lines(log: EventLog, site: str) -> list[int]:
    segments = log.closed_segments().get(site, [])
    return [int(json.loads(line)["n"]) for p in segments for line in p.read_text().splitlines()]


def test_event_log_refuses_fast_on_a_full_disk_and_recovers(small_disk: Disk) -> None:
    log = EventLog(small_disk.path / "events")
    acked: list[int] = []
    try:
        for n in range(5):
            log.append("shop", {"n": n})
            acked.append(n)
        small_disk.fill()
        n = 5
        with pytest.raises(StorageError, match="No space left on device"):
            while n < 5_000:  # the segment's last page may still take a few lines
                log.append("shop", {"n": n, "pad": "x" * 500})
                acked.append(n)
                n += 1
        assert log.fault and "No space left on device" in log.fault
        started = time.monotonic()
        with pytest.raises(StorageError, match="No space left on device"):
            log.append("shop", {"n": -1})
        assert time.monotonic() - started < 0.2, "a failing log refuses at once"

        small_disk.free()
        deadline = time.monotonic() + 5
        while True:
            n += 1
            try:
                log.append("shop", {"n": n})
                acked.append(n)
                break
            except StorageError:
                assert time.monotonic() < deadline, "the log did not recover by itself"
                time.sleep(0.1)
        assert log.fault is None
        for more in range(n + 1, n + 20):
            log.append("shop", {"n": more})
            acked.append(more)
    finally:
        log.close()
    # every acknowledged line once, whole; nothing that was refused
    assert closed_lines(log, "shop") == acked
    assert not list((small_disk.path / "events").glob("*/*.open"))


# -- the CLI on a full disk ---------------------------------------------------------


def access_log(path: Path, day: str, lines: int) -> Path:
    """``lines`` pageviews on ``day`` from 500 visitors (enough rows to need disk)."""
    rows = (combined(f"10.0.{i % 250}.{i % 2 + 1}", f"{day} {i % 24:02d}:{i % 60:02d}:00",
                     f"/page/{i % 97}?q={i}") for i in range(lines))  # fmt: skip
    path.write_text("".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def overview(cli: Callable[..., CliResult], db: Path) -> dict[str, object]:
    result = cli("report", "overview", "--db", str(db), "--site", "shop", "--period", "all",
                 "--include-bots", "--format", "json")  # fmt: skip
    assert result.code == 0, result.err
    return result.json()["rows"][0]  # type: ignore[no-any-return]


@pytest.mark.slow
def test_import_onto_a_full_disk_is_one_line_and_resumes_exactly(
    cli: Callable[..., CliResult], small_disk: Disk, tmp_path: Path
) -> None:
    first = access_log(tmp_path / "first.log", "2024-03-01", 3_000)
    second = access_log(tmp_path / "second.log", "2024-03-02", 6_000)
    reference = tmp_path / "reference.duckdb"
    assert cli("import", str(first), str(second), "--db", str(reference), "--site", "shop",
               "-q").code == 0  # fmt: skip
    expected = overview(cli, reference)

    db = small_disk.path / "footfall.duckdb"
    assert cli("import", str(first), "--db", str(db), "--site", "shop", "-q").code == 0
    small_disk.fill()
    line = one_line_error(cli("import", str(second), "--db", str(db), "--site", "shop", "-q"))
    assert str(db) in line and "disk is full" in line and "free space" in line
    small_disk.free()
    again = cli("import", str(first), str(second), "--db", str(db), "--site", "shop", "-q")
    assert again.code == 0, again.err
    assert overview(cli, db) == expected


# -- a damaged database file --------------------------------------------------------


def damaged_db(cli: Callable[..., CliResult], tmp_path: Path, kind: str) -> Path:
    """A real database cut in half, or a file of garbage."""
    db = tmp_path / f"{kind}.duckdb"
    if kind == "garbage":
        db.write_bytes(b"these are not the bytes you are looking for\n" * 200)
        return db
    log = access_log(tmp_path / "a.log", "2024-03-01", 2_000)
    assert cli("import", str(log), "--db", str(db), "--site", "shop", "-q").code == 0
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    return db


@pytest.mark.parametrize("kind", ["cut", "garbage"])
def test_a_damaged_database_is_one_line_in_the_cli(
    cli: Callable[..., CliResult], tmp_path: Path, kind: str
) -> None:
    db = damaged_db(cli, tmp_path, kind)
    log = access_log(tmp_path / "b.log", "2024-03-02", 100)
    for args in (["report", "overview", "--site", "shop", "--period", "all"],
                 ["import", str(log), "--site", "shop", "-q"]):  # fmt: skip
        line = one_line_error(cli(*args, "--db", str(db)))
        assert f"{db}: not a Footfall database or damaged" in line


@pytest.mark.parametrize("kind", ["cut", "garbage"])
def test_the_server_refuses_to_start_on_a_damaged_database(
    cli: Callable[..., CliResult], tmp_path: Path, kind: str
) -> None:
    db = damaged_db(cli, tmp_path, kind)
    line = one_line_error(cli("serve", "--db", str(db), "--port", "1", timeout=30), "Footfall on")
    assert f"{db}: not a Footfall database or damaged" in line
