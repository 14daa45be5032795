"""The statements about a site that every report needs: its time zone, its data range."""

from __future__ import annotations

from footfall.reports.compiler.dialect import Dialect
from footfall.reports.compiler.params import Params, Statement


def site_timezone(site: str, dialect: Dialect) -> Statement:
    p = Params({"site": site}, dialect)
    return Statement(f"SELECT timezone FROM sites WHERE name = {p.ref('site')}", p.values)


def site_names(dialect: Dialect) -> Statement:
    return Statement("SELECT name FROM sites ORDER BY name", {})


def hits_range(site: str, dialect: Dialect) -> Statement:
    """(first, last) hit time of a site, UTC."""
    p = Params({"site": site}, dialect)
    return Statement(f"SELECT min(ts), max(ts) FROM hits WHERE site = {p.ref('site')}", p.values)


def rollup_zone(site: str, dialect: Dialect) -> Statement:
    """The zone the site's cubes were written in (no row: no cubes)."""
    p = Params({"site": site}, dialect)
    return Statement(f"SELECT timezone FROM rollup_sites WHERE site = {p.ref('site')}", p.values)
