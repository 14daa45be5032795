"""Daily rollups: small exact aggregates of ``hits`` and ``sessions`` per site and day.

Visitor ids are salted per UTC day, so the visitors of a period are the sum of its days'
distinct visitors: a day's distinct counts, grouped by a few dimensions, answer most
reports exactly without scanning raw rows.  Each ``Cube`` is one table, ``rollup_<name>``:

    site, day (UTC), local_day, is_bot, <key columns>, <measures>

- ``day`` is the UTC day of the rows (the visitor salt's day), ``local_day`` their date in
  the site's time zone when the cube was written (recorded in ``rollup_sites``).  A site in
  UTC has one row per day and keys (``local_day = day``).  A site in another zone has a
  row per (day, local_day) cell, and also a *whole-day* row with ``local_day`` NULL: a
  visitor seen on both sides of local midnight counts once in it, so a period of whole
  UTC days sums whole-day rows, and a local-day time bucket sums its cells.
- ``is_bot`` is ``bot_category IS NOT NULL``; bots are the same for all rows of a visitor
  and day (user agent or behaviour), so distinct visitors add up across it.
- Key columns keep the raw columns' names (``path``, ``status``, ``source``...), so a
  dimension's or filter's SQL over the raw table runs unchanged over a cube.

Cubes are recomputed for whole days, from the stored rows, in the transaction that
changed those days (``refresh_rollups``): kill -9 and re-imports keep them equal to the
rows.  The compiler (``reports/compiler``) chooses a cube when a query allows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

#: Measures of a cube over ``hits``: name -> (aggregate over raw rows, SQL type).
HIT_MEASURES: dict[str, tuple[str, str]] = {
    "requests": ("count(*)", "BIGINT"),
    "bytes": ("coalesce(sum(bytes), 0)", "HUGEINT"),
    "pageviews": ("count(*) FILTER (WHERE is_pageview)", "BIGINT"),
    "visitors": ("count(DISTINCT CASE WHEN is_pageview THEN visitor_id END)", "BIGINT"),
    "clients": ("count(DISTINCT visitor_id)", "BIGINT"),
    "events": (
        "count(*) FILTER (WHERE event_name IS NOT NULL AND event_name <> 'pageview')",
        "BIGINT",
    ),
    "revenue": ("sum(revenue_amount)", "DECIMAL(38, 4)"),
    "errors": ("count(*) FILTER (WHERE status >= 400)", "BIGINT"),
}

#: Measures of a cube over ``sessions``.
SESSION_MEASURES: dict[str, tuple[str, str]] = {
    "visits": ("count(*)", "BIGINT"),
    "bounces": ("count(*) FILTER (WHERE is_bounce)", "BIGINT"),
    "duration_s": ("sum(duration_s)", "DOUBLE"),
    "pageviews": ("sum(pageviews)", "BIGINT"),
}

SOURCES: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    # raw table -> (its time column, its measures)
    "hits": ("ts", HIT_MEASURES),
    "sessions": ("start_ts", SESSION_MEASURES),
}


@dataclass(frozen=True, slots=True)
class Cube:
    name: str
    source: str  # hits | sessions
    keys: tuple[tuple[str, str], ...]  # (raw column, SQL type)

    @property
    def table(self) -> str:
        return f"rollup_{self.name}"

    @property
    def key_columns(self) -> tuple[str, ...]:
        return tuple(column for column, _ in self.keys)

    @property
    def measures(self) -> dict[str, tuple[str, str]]:
        return SOURCES[self.source][1]


_CLIENT = (("browser", "VARCHAR"), ("os", "VARCHAR"), ("device", "VARCHAR"),
           ("country", "VARCHAR"))  # fmt: skip

#: The cubes: what the dashboard's headline, chart and panels group on.
CUBES: tuple[Cube, ...] = (
    Cube("totals", "hits", ()),
    # visitors by page: a visitor answered 200 and 304 on a page is one visitor of it
    Cube("paths", "hits", (("path", "VARCHAR"),)),
    Cube("pages", "hits", (("path", "VARCHAR"), ("status", "SMALLINT"))),
    Cube("statuses", "hits", (("status", "SMALLINT"),)),
    Cube(
        "bots",
        "hits",
        (("bot_category", "VARCHAR"), ("bot_name", "VARCHAR"), ("bot_rule", "VARCHAR")),
    ),
    Cube("clients", "hits", _CLIENT),
    Cube("visits", "sessions", ()),
    Cube("entries", "sessions", (("entry_page", "VARCHAR"),)),
    Cube("exits", "sessions", (("exit_page", "VARCHAR"),)),
    Cube(
        "sources",
        "sessions",
        (
            ("source", "VARCHAR"),
            ("channel", "VARCHAR"),
            ("referrer_host", "VARCHAR"),
            ("utm_source", "VARCHAR"),
            ("utm_medium", "VARCHAR"),
            ("utm_campaign", "VARCHAR"),
        ),
    ),
    Cube("visit_clients", "sessions", _CLIENT),
)
CUBES_BY_NAME = {c.name: c for c in CUBES}


class _Executes(Protocol):
    def execute(
        self, sql: str, params: Sequence[object] | Mapping[str, object] | None = None
    ) -> Any: ...


def create_rollup_tables(con: _Executes) -> None:
    """The cube tables and ``rollup_sites`` (a schema migration)."""
    con.execute("CREATE TABLE rollup_sites (site VARCHAR PRIMARY KEY, timezone VARCHAR NOT NULL)")
    for cube in CUBES:
        columns = ["site VARCHAR NOT NULL", "day DATE NOT NULL", "local_day DATE",
                   "is_bot BOOLEAN NOT NULL"]  # fmt: skip
        columns += [f"{column} {kind}" for column, kind in cube.keys]
        columns += [f"{name} {kind}" for name, (_, kind) in cube.measures.items()]
        con.execute(f"CREATE TABLE {cube.table} ({', '.join(columns)})")


def refresh_rollups(con: _Executes, site: str, days: Iterable[date]) -> None:
    """Recompute every cube of ``site`` for ``days`` from the stored rows (inside the
    caller's transaction).  A site whose zone changed since its cubes were written is
    rebuilt whole."""
    days = sorted(set(days))
    timezone = _site_timezone(con, site)
    if timezone is None:
        return
    written = con.execute("SELECT timezone FROM rollup_sites WHERE site = ?", [site]).fetchone()
    if written is not None and written[0] != timezone:
        rebuild_site_rollups(con, site)
        return
    if written is None:
        con.execute("INSERT INTO rollup_sites VALUES (?, ?)", [site, timezone])
    if days:
        _recompute(con, site, timezone, days)


def rebuild_site_rollups(con: _Executes, site: str) -> None:
    """Every cube of ``site`` from scratch, in the site's current zone."""
    timezone = _site_timezone(con, site)
    for cube in CUBES:
        con.execute(f"DELETE FROM {cube.table} WHERE site = ?", [site])
    con.execute("DELETE FROM rollup_sites WHERE site = ?", [site])
    if timezone is None:
        return
    con.execute("INSERT INTO rollup_sites VALUES (?, ?)", [site, timezone])
    days = [row[0] for row in con.execute(
        "SELECT DISTINCT day FROM hits WHERE site = ? UNION SELECT DISTINCT day FROM sessions "
        "WHERE site = ?", [site, site]).fetchall()]  # fmt: skip
    if days:
        _recompute(con, site, timezone, sorted(days))


def rollup_timezone(con: _Executes, site: str) -> str | None:
    """The zone ``site``'s cubes were written in (None: no cubes yet)."""
    row = con.execute("SELECT timezone FROM rollup_sites WHERE site = ?", [site]).fetchone()
    return row[0] if row else None


def rollup_bytes(con: _Executes) -> int:
    """Bytes the cube tables take in the database file (DuckDB's storage info)."""
    total = 0
    for cube in CUBES:
        row = con.execute(
            "SELECT count(DISTINCT block_id) FROM pragma_storage_info(?) "
            "WHERE block_id IS NOT NULL",
            [cube.table],
        ).fetchone()
        total += int(row[0]) if row and row[0] else 0
    size = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()
    return total * int(size[0]) if size else 0


def _site_timezone(con: _Executes, site: str) -> str | None:
    row = con.execute("SELECT timezone FROM sites WHERE name = ?", [site]).fetchone()
    return row[0] if row else None


_DAYS = "site = $site AND day BETWEEN $first AND $last AND list_contains($days, day)"


def _recompute(con: _Executes, site: str, timezone: str, days: list[date]) -> None:
    # the range lets DuckDB skip row groups of other days by their min/max (a store is
    # mostly in day order); the list keeps the days exact
    params: dict[str, object] = {"site": site, "days": days, "first": days[0], "last": days[-1]}
    for cube in CUBES:
        con.execute(f"DELETE FROM {cube.table} WHERE {_DAYS}", params)
        con.execute(_insert_sql(cube, timezone), {**params, **_tz(timezone)})


def _tz(timezone: str) -> dict[str, object]:
    return {} if timezone == "UTC" else {"tz": timezone}


def _insert_sql(cube: Cube, timezone: str) -> str:
    time_column = SOURCES[cube.source][0]
    local = "day" if timezone == "UTC" else f"timezone($tz, timezone('UTC', {time_column}))::DATE"
    keys = list(cube.key_columns)
    measures = ", ".join(f"{sql} AS {name}" for name, (sql, _) in cube.measures.items())
    cell = ", ".join(["day", "local_day", "is_bot", *keys])
    whole = ", ".join(["day", "is_bot", *keys])
    groups = f"({cell})" if timezone == "UTC" else f"({cell}), ({whole})"
    return f"""
        INSERT INTO {cube.table} BY NAME
        SELECT $site AS site, day, {local} AS local_day,
               bot_category IS NOT NULL AS is_bot{"".join(f", {k}" for k in keys)},
               {measures}
        FROM {cube.source}
        WHERE {_DAYS}
        GROUP BY GROUPING SETS ({groups})
    """
