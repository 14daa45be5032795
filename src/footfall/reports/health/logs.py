"""Health reports: logs (see __init__.py)."""

from __future__ import annotations

from footfall.reports.records import Report

LOGS_REPORTS: tuple[Report, ...] = ()
