"""Sites: a name, the hosts that are "us", and the per-site privacy choices."""

from __future__ import annotations

from dataclasses import replace

from footfall.errors import ConfigError
from footfall.settings import SiteOptions, check_site_name
from footfall.store.database import Database
from footfall.store.rollups import rebuild_site_rollups


def load_site(db: Database, name: str) -> SiteOptions | None:
    row = db.fetchone(
        "SELECT hosts, ip_mode, timezone, session_timeout_minutes FROM sites WHERE name = ?",
        [name],
    )
    if row is None:
        return None
    hosts, ip_mode, timezone, timeout = row
    return SiteOptions(
        hosts=tuple(hosts), ip_mode=ip_mode, timezone=timezone, session_timeout_minutes=timeout
    )


def ensure_site(db: Database, name: str, defaults: SiteOptions) -> SiteOptions:
    """The stored options of a site, creating it from ``defaults`` on first use.

    Extension lists and the country switch are not stored: they come from
    settings each run, so changing them applies to what is imported next.
    """
    check_site_name(name)
    stored = load_site(db, name)
    if stored is None:
        db.execute(
            "INSERT INTO sites (name, hosts, ip_mode, timezone, session_timeout_minutes) "
            "VALUES (?, ?, ?, ?, ?)",
            [name, list(defaults.hosts), defaults.ip_mode, defaults.timezone,
             defaults.session_timeout_minutes],
        )  # fmt: skip
        return defaults
    return replace(
        defaults,
        hosts=stored.hosts,
        ip_mode=stored.ip_mode,
        timezone=stored.timezone,
        session_timeout_minutes=stored.session_timeout_minutes,
    )


def add_hosts(db: Database, name: str, hosts: list[str]) -> None:
    db.execute(
        "UPDATE sites SET hosts = list_distinct(list_concat(hosts, ?)) WHERE name = ?",
        [hosts, name],
    )


def list_sites(db: Database) -> list[str]:
    return [row[0] for row in db.fetchall("SELECT name FROM sites ORDER BY name")]


def update_site(
    db: Database,
    name: str,
    ip_mode: str | None = None,
    timezone: str | None = None,
    session_timeout_minutes: int | None = None,
) -> None:
    """Change stored options; validated through SiteOptions before writing.  A new time
    zone rebuilds the site's rollups: call it inside a transaction."""
    current = load_site(db, name)
    if current is None:
        raise ConfigError(f"unknown site {name!r}")
    changed = replace(
        current,
        ip_mode=ip_mode or current.ip_mode,
        timezone=timezone or current.timezone,
        session_timeout_minutes=session_timeout_minutes or current.session_timeout_minutes,
    )
    db.execute(
        "UPDATE sites SET ip_mode = ?, timezone = ?, session_timeout_minutes = ? WHERE name = ?",
        [changed.ip_mode, changed.timezone, changed.session_timeout_minutes, name],
    )
    if changed.timezone != current.timezone:
        # a local day's cells depend on the zone: the site's rollups are rebuilt in it, in
        # the caller's transaction (``footfall site --timezone`` holds one)
        rebuild_site_rollups(db, name)


def site_exists(db: Database, name: str) -> bool:
    return db.fetchone("SELECT 1 FROM sites WHERE name = ?", [name]) is not None


def site_hosts(db: Database) -> list[tuple[str, list[str]]]:
    """(name, stored hosts) of every site, for the collector's domain table."""
    return [(name, list(hosts)) for name, hosts in db.fetchall("SELECT name, hosts FROM sites")]
