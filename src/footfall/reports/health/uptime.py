"""Health reports: uptime checks and their incidents (see __init__.py)."""

from __future__ import annotations

from datetime import datetime

from footfall.reports.health.windows import Window
from footfall.reports.records import Report
from footfall.store.backend import ReportBackend

UPTIME_REPORTS: tuple[Report, ...] = ()


def incident_windows(db: ReportBackend, site: str, start: datetime, end: datetime) -> list[Window]:
    """The site's uptime incidents overlapping [start, end) (UTC), as windows."""
    return []
