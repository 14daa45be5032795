"""Versioned schema: small registered migrations, each applied with its record.

Every migration runs in the same transaction as the row that says it ran,
so a crash leaves the database either before or after it, never between.
Columns of ``hits`` and ``sessions`` are documented in docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from footfall.store.rollups import create_rollup_tables, rebuild_site_rollups

HIT_COLUMNS = """
    site VARCHAR NOT NULL,
    day DATE NOT NULL,               -- UTC day: the visitor salt's day
    ts TIMESTAMP NOT NULL,           -- UTC
    file_id INTEGER,                 -- sources.file_id, NULL for tracker events
    line_no BIGINT,
    visitor_id UBIGINT NOT NULL,     -- salted daily hash, see enrich/identity.py
    ip VARCHAR,                      -- NULL unless the site opted in (truncated or full)
    country VARCHAR,
    host VARCHAR,
    method VARCHAR,
    path VARCHAR,                    -- without the query string
    protocol VARCHAR,
    status SMALLINT NOT NULL,
    bytes BIGINT NOT NULL,
    duration_ms DOUBLE,
    kind VARCHAR NOT NULL,           -- page | asset | other
    is_pageview BOOLEAN NOT NULL,
    referrer VARCHAR,                -- scheme://host/path, no query
    referrer_host VARCHAR,
    source VARCHAR,
    channel VARCHAR,
    channel_rule VARCHAR,
    utm_source VARCHAR, utm_medium VARCHAR, utm_campaign VARCHAR,
    utm_content VARCHAR, utm_term VARCHAR,
    click_id VARCHAR,
    ua_id UBIGINT,
    browser VARCHAR, browser_version VARCHAR, os VARCHAR, os_version VARCHAR, device VARCHAR,
    bot_category VARCHAR,            -- NULL for people
    bot_name VARCHAR,
    bot_rule VARCHAR
"""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    apply: Callable[[duckdb.DuckDBPyConnection], None]


def _initial(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("""
        CREATE TABLE sites (
            name VARCHAR PRIMARY KEY,
            hosts VARCHAR[] NOT NULL,
            ip_mode VARCHAR NOT NULL,
            timezone VARCHAR NOT NULL,
            session_timeout_minutes INTEGER NOT NULL,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp::TIMESTAMP
        )""")
    con.execute("""
        CREATE TABLE salts (
            site VARCHAR NOT NULL, day DATE NOT NULL, salt VARCHAR NOT NULL,
            PRIMARY KEY (site, day))""")
    con.execute("CREATE SEQUENCE file_ids START 1")
    con.execute("""
        CREATE TABLE sources (
            file_id INTEGER PRIMARY KEY DEFAULT nextval('file_ids'),
            site VARCHAR NOT NULL,
            fingerprint VARCHAR NOT NULL,
            name VARCHAR NOT NULL,            -- path last imported from
            format VARCHAR NOT NULL,
            offset_bytes BIGINT NOT NULL,     -- decompressed bytes imported
            lines BIGINT NOT NULL,            -- lines read up to offset_bytes
            tail_hash VARCHAR NOT NULL,       -- sha256 of the bytes before offset_bytes
            raw_size BIGINT NOT NULL,         -- file size on disk when last read, -1 for stdin
            imported BIGINT NOT NULL,         -- hits stored
            rejected BIGINT NOT NULL,         -- lines kept in rejects
            updated_at TIMESTAMP NOT NULL,
            UNIQUE (site, fingerprint))""")
    con.execute("""
        CREATE TABLE rejects (
            site VARCHAR NOT NULL, file_id INTEGER NOT NULL, line_no BIGINT NOT NULL,
            reason VARCHAR NOT NULL, line VARCHAR NOT NULL)""")
    con.execute("""
        CREATE TABLE user_agents (
            ua_id UBIGINT PRIMARY KEY, ua VARCHAR NOT NULL,
            browser VARCHAR, browser_version VARCHAR, os VARCHAR, os_version VARCHAR,
            device VARCHAR, bot_category VARCHAR, bot_name VARCHAR, bot_rule VARCHAR)""")
    con.execute(f"CREATE TABLE hits ({HIT_COLUMNS}, session_id UBIGINT)")
    con.execute("""
        CREATE TABLE sessions (
            site VARCHAR NOT NULL, day DATE NOT NULL,
            session_id UBIGINT NOT NULL, visitor_id UBIGINT NOT NULL,
            start_ts TIMESTAMP NOT NULL, end_ts TIMESTAMP NOT NULL,
            duration_s DOUBLE NOT NULL, pageviews INTEGER NOT NULL, is_bounce BOOLEAN NOT NULL,
            entry_page VARCHAR, exit_page VARCHAR, host VARCHAR,
            referrer VARCHAR, referrer_host VARCHAR, source VARCHAR, channel VARCHAR,
            utm_source VARCHAR, utm_medium VARCHAR, utm_campaign VARCHAR,
            utm_content VARCHAR, utm_term VARCHAR, click_id VARCHAR,
            browser VARCHAR, browser_version VARCHAR, os VARCHAR, os_version VARCHAR,
            device VARCHAR, country VARCHAR,
            bot_category VARCHAR, bot_name VARCHAR, bot_rule VARCHAR)""")


def _accounts(con: duckdb.DuckDBPyConnection) -> None:
    """Users, API tokens and login sessions; secrets are stored only as hashes."""
    con.execute("""
        CREATE TABLE users (
            name VARCHAR PRIMARY KEY,
            password_hash VARCHAR NOT NULL,   -- argon2id
            role VARCHAR NOT NULL,            -- viewer | analyst | admin
            sites VARCHAR[],                  -- NULL: every site
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp::TIMESTAMP)""")
    con.execute("""
        CREATE TABLE api_tokens (
            token_hash VARCHAR PRIMARY KEY,   -- sha256 of the token
            name VARCHAR NOT NULL,
            user_name VARCHAR NOT NULL,
            sites VARCHAR[],                  -- NULL: the user's sites
            writable BOOLEAN NOT NULL,        -- read-only unless asked
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp::TIMESTAMP,
            last_used_at TIMESTAMP)""")
    con.execute("""
        CREATE TABLE login_sessions (
            session_hash VARCHAR PRIMARY KEY, -- sha256 of the cookie value
            user_name VARCHAR NOT NULL,
            csrf_token VARCHAR NOT NULL,
            expires_at TIMESTAMP NOT NULL)""")


#: Columns tracker events add to a hit (NULL for log lines).
EVENT_COLUMNS = (
    ("origin", "VARCHAR"),  # log | tracker
    ("event_name", "VARCHAR"),  # pageview or a custom event name; NULL for log lines
    ("event_id", "VARCHAR"),  # the tracker's random id: a retried send is stored once
    ("props", "VARCHAR"),  # custom properties, a JSON object
    ("revenue_amount", "DECIMAL(18, 4)"),
    ("revenue_currency", "VARCHAR"),
    ("seen_by", "VARCHAR"),  # log | tracker | both: see enrich/sessions.py RECONCILE_SQL
)


def _events(con: duckdb.DuckDBPyConnection) -> None:
    for table in ("hits",):
        for name, kind in EVENT_COLUMNS:
            con.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


def _plan(con: duckdb.DuckDBPyConnection) -> None:
    """The measurement plan and the business data it reports on (docs/plan.md).

    Natural keys are primary keys, so a re-imported file replaces its rows; text keys
    use '' for "not given" (a key column cannot be NULL).  Money is DECIMAL."""
    con.execute("""
        CREATE TABLE plans (
            site VARCHAR PRIMARY KEY, path VARCHAR NOT NULL, text VARCHAR NOT NULL,
            applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp::TIMESTAMP)""")
    con.execute("""
        CREATE TABLE spend (
            site VARCHAR NOT NULL, day DATE NOT NULL, campaign VARCHAR NOT NULL,
            utm_source VARCHAR NOT NULL, utm_medium VARCHAR NOT NULL,
            utm_campaign VARCHAR NOT NULL, channel VARCHAR NOT NULL,
            cost DECIMAL(18, 4) NOT NULL, currency VARCHAR NOT NULL,
            PRIMARY KEY (site, day, campaign, utm_source, utm_medium, utm_campaign, channel))""")
    con.execute("""
        CREATE TABLE orders (
            site VARCHAR NOT NULL, order_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL,
            amount DECIMAL(18, 4) NOT NULL, currency VARCHAR NOT NULL,
            customer_id VARCHAR, coupon VARCHAR,
            utm_source VARCHAR, utm_medium VARCHAR, utm_campaign VARCHAR,
            PRIMARY KEY (site, order_id))""")
    con.execute("""
        CREATE TABLE offline_conversions (
            site VARCHAR NOT NULL, conversion_id VARCHAR NOT NULL, ts TIMESTAMP NOT NULL,
            kind VARCHAR NOT NULL, value DECIMAL(18, 4), currency VARCHAR,
            customer_id VARCHAR, utm_source VARCHAR, utm_medium VARCHAR, utm_campaign VARCHAR,
            PRIMARY KEY (site, conversion_id))""")
    con.execute("""
        CREATE TABLE fx_rates (
            site VARCHAR NOT NULL, day DATE NOT NULL,
            from_currency VARCHAR NOT NULL, to_currency VARCHAR NOT NULL,
            rate DECIMAL(18, 8) NOT NULL,   -- 1 from_currency = rate to_currency
            PRIMARY KEY (site, day, from_currency, to_currency))""")


def _account_lifecycle(con: duckdb.DuckDBPyConnection) -> None:
    """Tokens get a short public id (to list and revoke them), an expiry and a revoked
    flag; users can be disabled and remember when their password last changed."""
    con.execute("ALTER TABLE api_tokens ADD COLUMN id VARCHAR")  # e.g. 'a1b2c3d4e5'
    con.execute("ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP")  # NULL: never
    con.execute("ALTER TABLE api_tokens ADD COLUMN revoked BOOLEAN DEFAULT false")
    con.execute("CREATE UNIQUE INDEX api_tokens_id ON api_tokens (id)")
    con.execute("UPDATE api_tokens SET id = substr(replace(uuid()::VARCHAR, '-', ''), 1, 10)")
    con.execute("ALTER TABLE users ADD COLUMN disabled BOOLEAN DEFAULT false")
    con.execute("ALTER TABLE users ADD COLUMN password_changed_at TIMESTAMP")


def _rollups(con: duckdb.DuckDBPyConnection) -> None:
    """Daily rollups (``store/rollups.py``), built for every site's stored rows."""
    create_rollup_tables(con)
    for (site,) in con.execute("SELECT name FROM sites ORDER BY name").fetchall():
        rebuild_site_rollups(con, site)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _initial),
    Migration(2, "accounts", _accounts),
    Migration(3, "tracker events", _events),
    Migration(4, "measurement plan and business data", _plan),
    Migration(5, "account lifecycle", _account_lifecycle),
    Migration(6, "daily rollups", _rollups),
)


def migrate(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply pending migrations; returns the versions applied."""
    con.execute("""
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,
            applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp::TIMESTAMP)""")
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for migration in MIGRATIONS:
        if migration.version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            migration.apply(con)
            con.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
                [migration.version, migration.name],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
