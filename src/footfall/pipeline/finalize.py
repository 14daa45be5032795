"""Move staged hits into ``hits`` day by day, with behaviour bots and sessions.

Days are finalised in groups of about ``GROUP_ROWS`` rows, each group in one
transaction: the day's stored hits and staged hits are recomputed together,
then replace what was stored.  A crash leaves every day either finalised or
still staged, and the next import finishes the job.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from footfall.enrich.sessions import (
    BEHAVIOUR_PARAMS,
    BEHAVIOUR_SQL,
    FINAL_HITS_SQL,
    SESSIONS_SQL,
)
from footfall.store.database import Database

GROUP_ROWS = 2_000_000


def staged_days(db: Database) -> dict[str, list[tuple[date, int]]]:
    """Site -> [(day, rows stored + staged)] for every day that has staged rows."""
    rows = db.fetchall(
        """
        WITH staged AS (SELECT site, day, count(*) AS n FROM hits_staging GROUP BY site, day),
             stored AS (SELECT site, day, count(*) AS n FROM hits
                        WHERE (site, day) IN (SELECT (site, day) FROM staged) GROUP BY site, day)
        SELECT staged.site, staged.day, staged.n + coalesce(stored.n, 0)
        FROM staged LEFT JOIN stored USING (site, day) ORDER BY 1, 2
        """
    )
    out: dict[str, list[tuple[date, int]]] = {}
    for site, day, n in rows:
        out.setdefault(site, []).append((day, n))
    return out


def day_groups(days: list[tuple[date, int]], limit: int = GROUP_ROWS) -> list[list[date]]:
    groups: list[list[date]] = []
    size = 0
    for day, n in days:
        if not groups or size + n > limit:
            groups.append([])
            size = 0
        groups[-1].append(day)
        size += n
    return groups


def finalize(
    db: Database, timeouts: dict[str, int], on_group: Callable[[int, int], None] | None = None
) -> int:
    """Finalise every staged day; ``timeouts`` maps site -> session timeout minutes."""
    done = 0
    plan = [(site, g) for site, days in staged_days(db).items() for g in day_groups(days)]
    for i, (site, group) in enumerate(plan):
        with db.transaction():
            done += _finalize_group(db, site, group, timeouts.get(site, 30))
        if on_group:
            on_group(i + 1, len(plan))
    return done


def _finalize_group(db: Database, site: str, days: list[date], timeout: int) -> int:
    params = {"site": site, "days": days}
    where = "site = $site AND list_contains($days, day)"
    db.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE day_rows AS
        SELECT * EXCLUDE (session_id) REPLACE (
            CASE WHEN starts_with(bot_rule, 'behaviour:') THEN NULL ELSE bot_category END
                AS bot_category,
            CASE WHEN starts_with(bot_rule, 'behaviour:') THEN NULL ELSE bot_name END AS bot_name,
            CASE WHEN starts_with(bot_rule, 'behaviour:') THEN NULL ELSE bot_rule END AS bot_rule)
        FROM hits WHERE {where}
        UNION ALL BY NAME
        SELECT * FROM hits_staging WHERE {where}
        """,
        params,
    )
    db.execute(BEHAVIOUR_SQL, BEHAVIOUR_PARAMS)
    db.execute(FINAL_HITS_SQL, {"timeout": timeout})
    db.execute(f"DELETE FROM hits WHERE {where}", params)
    db.execute(f"DELETE FROM sessions WHERE {where}", params)
    row = db.fetchone("INSERT INTO hits BY NAME SELECT * FROM final_hits")
    db.execute(SESSIONS_SQL)
    db.execute(f"DELETE FROM hits_staging WHERE {where}", params)
    for table in ("day_rows", "behaviour", "final_hits"):
        db.execute(f"DROP TABLE IF EXISTS {table}")
    return int(row[0]) if row else 0
