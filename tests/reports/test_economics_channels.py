"""Campaign economics shows non-campaign traffic by its own channels (issue 14).

Visits without a campaign used to fall into one "(none)" row labelled with the channel
of the first such visit; on the demo, "Direct" held every non-campaign visit.  They are
now one "(none)" row per channel, so per channel the economics' visits are the channels
report's: its non-campaign rows add up to the channels report minus campaign visits.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FOOTFALL


def _run(folder: Path, *args: str) -> Any:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTFALL_")}
    proc = subprocess.run([FOOTFALL, *args], capture_output=True, cwd=folder, env=env,
                          timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode()
    return json.loads(proc.stdout) if "json" in args else None


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    _run(folder, "demo", "--db", "d/footfall.duckdb", "--days", "14", "--visitors", "80",
         "--today", "2026-11-20")  # fmt: skip
    return folder


def _report(folder: Path, name: str, *extra: str) -> dict[str, Any]:
    return _run(folder, "report", name, "--db", "d/footfall.duckdb", "--format", "json", *extra)


def test_non_campaign_visits_by_channel_match_the_channels_report(demo: Path) -> None:
    economics = _report(demo, "campaign-economics")
    channels = {r["visit:channel"]: r["visits"]
                for r in _report(demo, "channels", "--limit", "100")["rows"]}  # fmt: skip
    none = [r for r in economics["campaigns"] if r["campaign"] == "(none)"]
    campaign = Counter()
    for r in economics["campaigns"]:
        if r["campaign"] != "(none)":
            campaign[r["channel"]] += r["visits"]
    # one row per channel, each with that channel's non-campaign visits
    assert len(none) == len({r["channel"] for r in none}) > 1
    assert {r["channel"]: r["visits"] for r in none if r["visits"]} == {
        c: n - campaign[c] for c, n in channels.items() if n - campaign[c]}  # fmt: skip
    assert sum(r["visits"] for r in none) == sum(channels.values()) - sum(campaign.values())
    # and the economics' channel table is the channels report, visit for visit
    assert {r["channel"]: r["visits"] for r in economics["channels"] if r["visits"]} == channels


def test_every_conversion_is_still_credited_once(demo: Path) -> None:
    economics = _report(demo, "campaign-economics")
    attribution = _report(demo, "attribution")
    total = sum(r["conversions"] for r in economics["campaigns"])
    assert round(total, 2) == attribution["conversions"]
    none = sum(r["conversions"] for r in economics["campaigns"] if r["campaign"] == "(none)")
    credited = {r["campaign"]: r["last_non_direct_conversions"] for r in attribution["rows"]}
    assert round(none, 2) == round(credited.get("(none)", 0.0), 2)
