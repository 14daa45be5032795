"""Sites: a name, the hosts that are "us", and the per-site privacy choices."""

from __future__ import annotations

import re
from dataclasses import replace

from footfall.errors import ConfigError
from footfall.settings import SiteOptions
from footfall.store.database import Database

SITE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}")


def check_site_name(name: str) -> str:
    if not SITE_NAME.fullmatch(name):
        raise ConfigError(
            f"site name {name!r}: use 1-63 letters, digits, '.', '_' or '-', starting with a "
            "letter or digit"
        )
    return name


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
    """Change stored options; validated through SiteOptions before writing."""
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


def prune_salts(db: Database, name: str, keep_days: int) -> int:
    """Forget the salts of days older than ``keep_days``: their visitor ids become unlinkable."""
    rows = db.fetchall(
        "DELETE FROM salts WHERE site = ? AND day < current_date - ?::INTEGER RETURNING day",
        [name, keep_days],
    )
    return len(rows)
