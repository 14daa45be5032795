"""Health reports: uptime (see __init__.py)."""

from __future__ import annotations

from footfall.reports.records import Report

UPTIME_REPORTS: tuple[Report, ...] = ()
