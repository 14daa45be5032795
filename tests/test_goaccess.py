"""On the same combined log, Footfall and GoAccess agree on requests, status codes and bytes.

GoAccess is the reference IT people already trust for "counting hits".  The
test runs only where GoAccess is installed; CI installs it and sets
FOOTFALL_REQUIRE_GOACCESS=1 so that a missing GoAccess fails instead of skipping.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from footfall.demo.generator import DemoSpec, write_demo_log

GOACCESS = shutil.which("goaccess")


def goaccess_totals(
    log: Path, out: Path, log_format: str = "COMBINED"
) -> tuple[int, int, dict[str, int]]:
    subprocess.run(
        [
            GOACCESS or "goaccess",
            str(log),
            f"--log-format={log_format}",
            "-o",
            str(out),
            "--no-progress",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    data = json.loads(out.read_text())
    status: dict[str, int] = {}
    for group in data["status_codes"]["data"]:
        for item in group["items"]:
            status[item["data"].split(" ", 1)[0]] = item["hits"]["count"]
    return data["general"]["valid_requests"], data["general"]["bandwidth"], status


@pytest.mark.skipif(
    GOACCESS is None and not os.environ.get("FOOTFALL_REQUIRE_GOACCESS"),
    reason="GoAccess not installed (CI installs it)",
)
def test_same_requests_status_and_bytes_as_goaccess(cli, tmp_path: Path) -> None:
    assert GOACCESS is not None, "FOOTFALL_REQUIRE_GOACCESS is set but goaccess is missing"
    log = tmp_path / "access.log"
    write_demo_log(log, DemoSpec(days=10, daily_visitors=400, with_request_time=False))
    requests, bandwidth, status = goaccess_totals(log, tmp_path / "goaccess.json")
    db = tmp_path / "f.duckdb"
    assert cli("import", str(log), "--db", str(db), "-q").code == 0
    overview = cli("report", "overview", "--db", str(db), "--format", "json").json()
    assert requests > 40_000
    assert overview["requests"] == requests
    assert overview["bytes"] == bandwidth
    assert overview["status"] == status
