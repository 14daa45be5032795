"""The hand-computed log of tests/test_metrics_truth.py, imported once per test module."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import FOOTFALL
from tests.test_metrics_truth import LINES


def import_shop(folder: Path) -> Path:
    """The log imported by the real CLI as site ``shop``; returns the database file."""
    log, db = folder / "shop.log", folder / "footfall.duckdb"
    log.write_text("".join(line + "\n" for line in LINES), encoding="utf-8")
    subprocess.run([FOOTFALL, "import", str(log), "--db", str(db), "--site", "shop", "--host",
                    "www.shop.test", "-q"], check=True, capture_output=True)  # fmt: skip
    return db


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return import_shop(tmp_path_factory.mktemp("shop"))
