"""A stretch of time when something was wrong: an uptime incident, an outage or a slow
spell seen in the logs.  What it cost (``cost.py``) is computed over these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Window:
    start: datetime  # UTC, naive, included
    end: datetime  # UTC, naive, excluded
    source: str  # monitor | log
    kind: str  # incident | outage | error_burst | traffic_gap | slow
    label: str  # what a reader sees: "https://example.com/ down", "5xx burst on /checkout"
    detail: str = ""  # the evidence, in words

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(sep=" "), "end": self.end.isoformat(sep=" "),
                "minutes": round((self.end - self.start).total_seconds() / 60, 1),
                "source": self.source, "kind": self.kind, "label": self.label,
                "detail": self.detail}  # fmt: skip
