"""``footfall demo`` run again on a later day gives the same economics (issue 14).

The demo writes its log once, then loads the plan and the campaign spend on every run.
The spend must be that of the log's period, whatever day the demo runs again: a later
run used to add the spend of a shifted period, so ROI flipped sign.  ``--today`` (only
the demo has it) stands in for the clock.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


def _economics(cli: Any, db: str) -> dict:
    result = cli("report", "campaign-economics", "--db", db, "--format", "json")
    assert result.code == 0, result.err
    return result.json()


@pytest.mark.parametrize("kept", [True, False], ids=["demo.json", "log only"])
def test_demo_twice_on_different_days_gives_the_same_economics(
    cli: Any, tmp_path: Path, kept: bool
) -> None:
    db = "demo/footfall.duckdb"
    small = ("--days", "21", "--visitors", "40")
    first = cli("demo", "--db", db, *small, "--today", "2026-12-02")
    assert first.code == 0, first.err
    before = _economics(cli, db)
    assert any(r["spend"] != "0.00" for r in before["campaigns"])
    if not kept:  # a log written before demo.json: its period comes from its lines
        (tmp_path / "demo" / "demo.json").unlink()
    later = cli("demo", "--db", db, *small, "--today", "2026-12-09")
    assert later.code == 0, later.err
    assert _economics(cli, db) == before


def test_demo_today_sets_the_generated_period(cli: Any) -> None:
    db = "demo/footfall.duckdb"
    result = cli("demo", "--db", db, "--days", "7", "--visitors", "20", "--today", "2026-03-10")
    assert result.code == 0, result.err
    period = _economics(cli, db)["period"]
    assert period["to"] == "2026-03-09"  # yesterday of --today: the last whole day
