"""Health reports: from the access logs and the timing script (see __init__.py)."""

from __future__ import annotations

from datetime import datetime

from footfall.reports.health.windows import Window
from footfall.reports.records import Report
from footfall.store.backend import ReportBackend

LOGS_REPORTS: tuple[Report, ...] = ()


def outage_windows(db: ReportBackend, site: str, start: datetime, end: datetime) -> list[Window]:
    """Suspected outages seen in the logs over [start, end) (UTC): runs of 5xx, traffic gaps."""
    return []


def slow_windows(db: ReportBackend, site: str, start: datetime, end: datetime) -> list[Window]:
    """Slow spells seen in the logs over [start, end) (UTC)."""
    return []
