"""The goals report's value and the attribution value of the same goal (issue 14).

On the demo dashboard the Signup goal was worth 14,070 and attribution 14,040: the
goal's value counts every completion, attribution credits each visit's first
completion once (a reload of the thanks page is not a second signup).  They differ
legitimately, so the attribution report says why, under ``value_note``.

Hand-computed, one day (2026-03-10 UTC), goal Signup = page /signup/thanks worth 30:
  visitor A  09:00 /signup, 09:01 /signup/thanks, 09:02 /signup/thanks (a reload)
  visitor B  10:00 /, 10:01 /signup/thanks
  goals: 3 completions, 2 conversions, value 90.00; attribution: 2 conversions, 60.00.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CHROME

PLAN = """site = "note"
currency = "EUR"
conversion_goal = "Signup"

[[goals]]
name = "Signup"
page = "/signup/thanks"
value = "30"
"""
EVENTS = [("10.0.0.1", "09:00", "/signup"), ("10.0.0.1", "09:01", "/signup/thanks"),
          ("10.0.0.1", "09:02", "/signup/thanks"), ("10.0.0.2", "10:00", "/"),
          ("10.0.0.2", "10:01", "/signup/thanks")]  # fmt: skip
DAY = ("--from", "2026-03-10", "--to", "2026-03-10")


def _event(n: int, ip: str, when: str, path: str) -> str:
    at = datetime.fromisoformat(f"2026-03-10T{when}:00+00:00").timestamp()
    return json.dumps({"event_name": "pageview", "host": "note.example", "request_uri": path,
                       "request_method": "GET", "status": 200, "body_bytes_sent": 0,
                       "http_referer": None, "event_id": f"evt{n:08d}", "remote_addr": ip,
                       "msec": at, "http_user_agent": CHROME})  # fmt: skip


@pytest.fixture
def note_db(cli: Any, tmp_path: Path) -> str:
    events, plan = tmp_path / "events.jsonl", tmp_path / "plan.toml"
    events.write_text("".join(_event(i, *e) + "\n" for i, e in enumerate(EVENTS)))
    plan.write_text(PLAN)
    db = str(tmp_path / "note.duckdb")
    assert cli("site", "note", "--db", db, "--host", "note.example").code == 0
    imported = cli("import", str(events), "--format", "events", "--site", "note", "--db", db, "-q")
    assert imported.code == 0, imported.err
    assert cli("plan", "apply", str(plan), "--db", db).code == 0
    return db


def _report(cli: Any, db: str, name: str) -> dict[str, Any]:
    result = cli("report", name, "--db", db, *DAY, "--format", "json")
    assert result.code == 0, result.err
    return result.json()


def test_attribution_says_why_its_value_is_not_the_goal_value(cli: Any, note_db: str) -> None:
    goal = _report(cli, note_db, "goals")["rows"][0]
    assert (goal["completions"], goal["conversions"], goal["goal_value"]) == (3, 2, "90.00")
    out = _report(cli, note_db, "attribution")
    assert (out["conversions"], out["value"]) == (2, "60.00")
    assert out["goal_value"] == "90.00"
    note = out["value_note"]
    assert "90.00 EUR" in note and "3 completions" in note
    assert "60.00 EUR" in note and "2 conversions" in note
    assert "1 repeat completion" in note


def test_no_note_when_they_agree(cli: Any, note_db: str) -> None:
    out = cli("report", "attribution", "--db", note_db, "--from", "2026-03-10", "--to",
              "2026-03-10", "--format", "json", "--option", "goal=Signup")  # fmt: skip
    assert out.code == 0, out.err
    assert "value_note" in out.json()
    later = cli("report", "attribution", "--db", note_db, "--from", "2026-03-11", "--to",
                "2026-03-11", "--format", "json")  # fmt: skip
    assert later.code == 0, later.err
    assert later.json()["value_note"] is None
