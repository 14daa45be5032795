"""The statements of ``footfall plan check``: does the plan fit the stored data?"""

from __future__ import annotations

from footfall.plan.model import Goal
from footfall.reports.compiler.dialect import Dialect
from footfall.reports.compiler.goals import goal_condition
from footfall.reports.compiler.params import Params, Statement


def goal_hits(site: str, goal: Goal, dialect: Dialect) -> Statement:
    """How many stored hits (any time) complete a page or event goal."""
    p = Params({"site": site}, dialect)
    condition = goal_condition(goal, p)
    return Statement(
        f"SELECT count(*) FROM hits WHERE site = {p.ref('site')} AND {condition}", p.values
    )


def any_row(site: str, table: str, dialect: Dialect, kind: str | None = None) -> Statement:
    """One row if ``table`` (sites, orders, offline_conversions) has any for the site."""
    assert table in ("sites", "orders", "offline_conversions")
    p = Params({"site": site}, dialect)
    column = "name" if table == "sites" else "site"
    where = f"{column} = {p.ref('site')}"
    if kind is not None:
        where += f" AND kind = {p.bind(kind)}"
    return Statement(f"SELECT 1 FROM {table} WHERE {where} LIMIT 1", p.values)


def campaign_visit_keys(site: str, dialect: Dialect) -> Statement:
    """Distinct (utm_source, utm_medium, utm_campaign, source, referrer) of UTM visits."""
    p = Params({"site": site}, dialect)
    return Statement(
        "SELECT DISTINCT utm_source, utm_medium, utm_campaign, source, referrer_host "
        f"FROM sessions WHERE site = {p.ref('site')} AND (utm_source IS NOT NULL "
        "OR utm_campaign IS NOT NULL OR utm_medium IS NOT NULL) LIMIT 100000",
        p.values,
    )


def spend_keys(site: str, dialect: Dialect) -> Statement:
    """Distinct (campaign, utm_source, utm_medium, utm_campaign) of spend rows."""
    p = Params({"site": site}, dialect)
    return Statement(
        "SELECT DISTINCT campaign, utm_source, utm_medium, utm_campaign FROM spend "
        f"WHERE site = {p.ref('site')}",
        p.values,
    )


def currencies_without_rate(site: str, currency: str, dialect: Dialect) -> Statement:
    """Currencies of stored amounts with no imported rate into ``currency``."""
    p = Params({"site": site, "to": currency}, dialect)
    site_, to = p.ref("site"), p.ref("to")
    return Statement(
        f"SELECT DISTINCT currency FROM (SELECT currency FROM orders WHERE site = {site_} "
        f"UNION ALL SELECT currency FROM spend WHERE site = {site_} UNION ALL "
        f"SELECT revenue_currency FROM hits WHERE site = {site_} "
        f"AND revenue_currency IS NOT NULL) WHERE currency <> {to} AND currency NOT IN "
        f"(SELECT from_currency FROM fx_rates WHERE site = {site_} AND to_currency = {to}) "
        "ORDER BY 1",
        p.values,
    )
