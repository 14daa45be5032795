"""Reports count days and hours in the site's time zone, across a DST change.

New York moved its clocks from 02:00 EST to 03:00 EDT on 2026-03-08.
UTC hits:   2026-03-08 04:30 -> 03-07 23:30 EST
            2026-03-08 06:30 -> 03-08 01:30 EST
            2026-03-08 07:30 -> 03-08 03:30 EDT  (02:xx does not exist that night)
            2026-03-09 03:59 -> 03-08 23:59 EDT
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import combined


@pytest.fixture
def ny_db(cli, write_log, db_path: Path) -> Path:
    log = write_log("ny.log", [
        combined("10.0.0.1", "2026-03-08 04:30:00", "/a"),
        combined("10.0.0.2", "2026-03-08 06:30:00", "/b"),
        combined("10.0.0.3", "2026-03-08 07:30:00", "/c"),
        combined("10.0.0.4", "2026-03-09 03:59:00", "/d"),
    ])  # fmt: skip
    assert cli("site", "ny", "--db", str(db_path), "--timezone", "America/New_York").code == 0
    assert cli("import", str(log), "--db", str(db_path), "--site", "ny", "-q").code == 0
    return db_path


def test_days_follow_the_site_time_zone(cli, ny_db: Path) -> None:
    result = cli("report", "timeseries", "--db", str(ny_db), "--format", "json")
    rows = {r["time:day"]: r["requests"] for r in result.json()["rows"]}
    assert rows == {"2026-03-07": 1, "2026-03-08": 3}


def test_hours_skip_the_missing_hour(cli, ny_db: Path) -> None:
    result = cli("report", "timeseries", "--db", str(ny_db), "--interval", "hour",
                 "--from", "2026-03-08", "--to", "2026-03-08", "--format", "json")  # fmt: skip
    rows = {r["time:hour"]: r["requests"] for r in result.json()["rows"] if r["requests"]}
    assert rows == {"2026-03-08 01:00": 1, "2026-03-08 03:00": 1, "2026-03-08 23:00": 1}


def test_date_range_is_local(cli, ny_db: Path) -> None:
    result = cli("report", "overview", "--db", str(ny_db), "--from", "2026-03-08",
                 "--to", "2026-03-08", "--format", "json")  # fmt: skip
    assert result.json()["requests"] == 3


def test_unknown_time_zone_is_refused(cli, db_path: Path) -> None:
    result = cli("site", "x", "--db", str(db_path), "--timezone", "Mars/Olympus")
    assert result.code == 2 and "unknown time zone 'Mars/Olympus'" in result.err
