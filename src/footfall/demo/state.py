"""What the demo wrote, kept beside its log so that running the demo again changes nothing.

``footfall demo`` writes its log once; the plan and the campaign spend it loads on
every run are made for the log's period.  That period is the spec the log was written
with (``demo.json``), never today's date: a run on a later day must load the same
spend, not that of a shifted period.  A log written before ``demo.json`` existed gives
its period from its first and last lines.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from footfall.demo.spec import DemoSpec

STATE_FILE = "demo.json"
_STAMP = re.compile(r"\[(\d{2}/\w{3}/\d{4}):")


def save_spec(folder: Path, spec: DemoSpec) -> Path:
    """Record the spec a log was written with, in ``folder/demo.json``."""
    path = folder / STATE_FILE
    state = {"days": spec.days, "end": spec.end.isoformat(),
             "daily_visitors": spec.daily_visitors, "seed": spec.seed}  # fmt: skip
    path.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    return path


def kept_spec(folder: Path, log: Path) -> DemoSpec | None:
    """The spec of the log already in ``folder``, or None when there is no log yet."""
    if not log.exists():
        return None
    path = folder / STATE_FILE
    if path.exists():
        state = json.loads(path.read_text(encoding="utf-8"))
        return DemoSpec(days=int(state["days"]), end=dt.date.fromisoformat(state["end"]),
                        daily_visitors=int(state["daily_visitors"]), seed=int(state["seed"]))  # fmt: skip
    first, last = _log_days(log)
    if first is None or last is None:
        return None
    return DemoSpec(days=(last - first).days + 1, end=last)


def _log_days(log: Path) -> tuple[dt.date | None, dt.date | None]:
    """The local days of the first and the last line of a demo log (lines are in time order)."""
    first = last = None
    with log.open("rb") as fh:
        first = _day(fh.readline().decode("utf-8", "replace"))
        size = fh.seek(0, 2)
        fh.seek(max(0, size - 4096))
        tail = fh.read().decode("utf-8", "replace").splitlines()
    for line in reversed(tail):
        last = _day(line)
        if last is not None:
            break
    return first, last


def _day(line: str) -> dt.date | None:
    found = _STAMP.search(line)
    return dt.datetime.strptime(found.group(1), "%d/%b/%Y").date() if found else None
