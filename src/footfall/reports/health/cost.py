"""Health reports: cost (see __init__.py)."""

from __future__ import annotations

from footfall.reports.records import Report

COST_REPORTS: tuple[Report, ...] = ()
