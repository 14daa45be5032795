"""Imports are idempotent and resumable: twice, grown, rotated, killed with -9."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from footfall.demo.generator import DemoSpec, write_demo_log
from tests.conftest import FOOTFALL, query

TOTALS = """
    SELECT (SELECT count(*) FROM hits), (SELECT sum(bytes) FROM hits),
           (SELECT count(*) FROM sessions), (SELECT count(DISTINCT visitor_id) FROM hits),
           (SELECT count(*) FROM rejects)
"""


@pytest.fixture(scope="module")
def demo_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("logs") / "access.log"
    write_demo_log(path, DemoSpec(days=6, daily_visitors=300))
    return path


def lines_of(path: Path) -> list[str]:
    return path.read_text().splitlines(keepends=True)


def totals(db: Path) -> tuple:
    return query(db, TOTALS)[0]


def test_grown_log_imports_only_new_lines(cli, demo_log: Path, tmp_path: Path) -> None:
    lines = lines_of(demo_log)
    half = len(lines) // 2
    log = tmp_path / "access.log"
    log.write_text("".join(lines[:half]))
    db = tmp_path / "grow.duckdb"
    assert cli("import", str(log), "--db", str(db), "-q").code == 0
    assert totals(db)[0] == half
    with log.open("a") as fh:
        fh.write("".join(lines[half:]))
    assert cli("import", str(log), "--db", str(db), "-q").code == 0
    clean = tmp_path / "clean.duckdb"
    assert cli("import", str(demo_log), "--db", str(clean), "-q").code == 0
    assert totals(db) == totals(clean)
    assert query(db, "SELECT lines FROM sources")[0][0] == len(lines)


def test_rotated_and_compressed_log_is_recognised(cli, demo_log: Path, tmp_path: Path) -> None:
    logs = tmp_path / "nginx"
    logs.mkdir()
    lines = lines_of(demo_log)
    third = len(lines) // 3
    # first import: access.log holds the first third
    (logs / "access.log").write_text("".join(lines[:third]))
    db = tmp_path / "rot.duckdb"
    assert cli("import", str(logs), "--db", str(db), "-q").code == 0
    # the server wrote more, then logrotate: access.log -> access.log.1.gz, new access.log
    with gzip.open(logs / "access.log.1.gz", "wt") as fh:
        fh.write("".join(lines[: 2 * third]))
    (logs / "access.log").write_text("".join(lines[2 * third :]))
    result = cli("import", str(logs), "--db", str(db))
    assert result.code == 0, result.err
    clean = tmp_path / "clean.duckdb"
    assert cli("import", str(demo_log), "--db", str(clean), "-q").code == 0
    assert totals(db) == totals(clean)
    assert query(db, "SELECT count(*) FROM sources")[0][0] == 2


def test_same_content_under_another_name_is_not_counted_twice(
    cli, demo_log: Path, tmp_path: Path
) -> None:
    db = tmp_path / "copy.duckdb"
    copy = tmp_path / "copy.log"
    shutil.copy(demo_log, copy)
    assert cli("import", str(demo_log), "--db", str(db), "-q").code == 0
    before = totals(db)
    result = cli("import", str(copy), "--db", str(db))
    assert result.code == 0
    assert "unchanged" in result.err
    assert totals(db) == before


def test_standard_input(cli, demo_log: Path, tmp_path: Path) -> None:
    db = tmp_path / "stdin.duckdb"
    result = cli("import", "-", "--db", str(db), "-q", stdin=demo_log.read_bytes())
    assert result.code == 0, result.err
    assert totals(db)[0] == len(lines_of(demo_log))


@pytest.mark.parametrize("fraction", [0.45, 0.8])
def test_kill_9_then_rerun_gives_exact_counts(
    demo_log: Path, tmp_path: Path, fraction: float
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTFALL_")}
    env["FOOTFALL_BATCH_LINES"] = "2000"  # small chunks and flushes: many commits to land between
    env["FOOTFALL_FLUSH_ROWS"] = "5000"
    clean = tmp_path / "clean.duckdb"
    started = time.perf_counter()
    subprocess.run(
        [FOOTFALL, "import", str(demo_log), "--db", str(clean), "-q"], check=True, env=env
    )
    duration = time.perf_counter() - started
    db = tmp_path / "killed.duckdb"
    proc = subprocess.Popen([FOOTFALL, "import", str(demo_log), "--db", str(db), "-q"], env=env)
    time.sleep(duration * fraction)
    assert proc.poll() is None, "the import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    if db.exists():
        assert totals(db)[0] < totals(clean)[0]  # it really stopped half-way
    subprocess.run([FOOTFALL, "import", str(demo_log), "--db", str(db), "-q"], check=True, env=env)
    assert totals(db) == totals(clean)
