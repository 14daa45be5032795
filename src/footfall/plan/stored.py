"""The plan a site runs on: the one applied with ``footfall plan apply``, kept in the store.

Reports (CLI, API, dashboard) read it from there, so everyone sees the same plan;
``--plan FILE`` on the CLI reads a file instead, to try a change before applying it.
"""

from __future__ import annotations

from typing import Any

from footfall.errors import QueryError
from footfall.plan.model import Plan
from footfall.plan.parse import parse_plan
from footfall.store.business import stored_plan_text


def stored_plan(db: Any, site: str) -> Plan | None:
    found = stored_plan_text(db, site)
    return parse_plan(found[1], found[0]) if found else None


def site_plan(db: Any, site: str) -> Plan:
    found = stored_plan(db, site)
    if found is None:
        raise QueryError(f"site {site!r} has no measurement plan: write one (docs/plan.md) "
                         "and run `footfall plan apply FILE`")  # fmt: skip
    return found
