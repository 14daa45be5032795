"""GoAccess equivalence beyond combined: the same requests, status codes and bytes on the
formats both tools read (common, vhost_combined), made from one realistic log.

Runs where GoAccess is installed; CI installs it and sets FOOTFALL_REQUIRE_GOACCESS=1.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from footfall.demo.generator import DemoSpec, write_demo_log
from tests.test_goaccess import GOACCESS, goaccess_totals

COMBINED_TAIL = re.compile(r' "[^"\\]*(?:\\.[^"\\]*)*" "[^"\\]*(?:\\.[^"\\]*)*"$')


def to_common(line: str) -> str:
    """Combined without its referrer and user agent."""
    return COMBINED_TAIL.sub("", line)


def to_vhost(line: str) -> str:
    """Apache vhost_combined: the virtual host and port first."""
    return "www.shop.test:443 " + line


CASES: list[tuple[str, str, Callable[[str], str]]] = [
    ("common", "COMMON", to_common),
    ("vhost_combined", "VCOMBINED", to_vhost),
]


@pytest.mark.skipif(
    GOACCESS is None and not os.environ.get("FOOTFALL_REQUIRE_GOACCESS"),
    reason="GoAccess not installed (CI installs it)",
)
@pytest.mark.parametrize(("name", "goaccess_format", "convert"), CASES)
def test_same_totals_as_goaccess(cli, tmp_path: Path, name: str, goaccess_format: str,
                                 convert: Callable[[str], str]) -> None:  # fmt: skip
    assert GOACCESS is not None, "FOOTFALL_REQUIRE_GOACCESS is set but goaccess is missing"
    source = tmp_path / "combined.log"
    write_demo_log(source, DemoSpec(days=3, daily_visitors=300, with_request_time=False))
    log = tmp_path / f"{name}.log"
    with source.open(encoding="utf-8") as lines, log.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(convert(line.rstrip("\n")) + "\n")
    requests, bandwidth, status = goaccess_totals(log, tmp_path / "goaccess.json",
                                                  goaccess_format)  # fmt: skip
    db = tmp_path / "f.duckdb"
    imported = cli("import", str(log), "--db", str(db), "--format", name, "-q")
    assert imported.code == 0, imported.err
    overview = cli("report", "overview", "--db", str(db), "--format", "json").json()
    assert requests > 5_000
    assert overview["requests"] == requests
    assert overview["bytes"] == bandwidth
    assert overview["status"] == status
