"""The plan a site runs on: the one applied with ``footfall plan apply``, kept in the store.

Reports (CLI, API, dashboard) read it from there, so everyone sees the same plan;
``--plan FILE`` on the CLI reads a file instead, to try a change before applying it.
A goal query reads the stored text (one small row) and parses it only when it
changed: parsed plans are cached by their text.
"""

from __future__ import annotations

from functools import lru_cache

from footfall.errors import QueryError
from footfall.plan.model import Plan
from footfall.plan.parse import parse_plan
from footfall.store.backend import ReportBackend
from footfall.store.business import stored_plan_text


@lru_cache(maxsize=64)
def _parsed(path: str, text: str) -> Plan:
    """Keyed by the text (its hash): the same text parses to the same frozen plan."""
    return parse_plan(text, path)


def stored_plan(db: ReportBackend, site: str) -> Plan | None:
    found = stored_plan_text(db, site)
    if found is None:
        return None
    path, text = found
    return _parsed(path, text)


def site_plan(db: ReportBackend, site: str) -> Plan:
    found = stored_plan(db, site)
    if found is None:
        raise QueryError(f"site {site!r} has no measurement plan: write one (docs/plan.md) "
                         "and run `footfall plan apply FILE`")  # fmt: skip
    return found
