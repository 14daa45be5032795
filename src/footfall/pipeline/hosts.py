"""Which hosts are "this site", when nobody said so.

Referrers from the site's own pages are navigation, not traffic sources.  If
a site has no configured hosts, they are learnt from the first batch: the
virtual hosts the log names, plus every referrer host that sent at least
``MIN_SHARE`` of the asset requests (stylesheets and images are loaded by the
site's own pages; a hotlinker rarely sends a fifth of them).
"""

from __future__ import annotations

from footfall.store.database import Database
from footfall.store.sites import add_hosts

MIN_SHARE = 0.2
MIN_ASSETS = 10


def learn_site_hosts(db: Database, site: str) -> tuple[str, ...]:
    """Learn from temp table ``good``; stores and returns the hosts (may be empty)."""
    rows = db.fetchall(
        """
        WITH assets AS (
            SELECT referrer_host, count(*) AS n FROM good
            WHERE kind = 'asset' AND referrer_host IS NOT NULL GROUP BY referrer_host
        ), total AS (SELECT sum(n) AS t FROM assets)
        SELECT referrer_host FROM assets, total WHERE n >= ? AND n >= ? * t
        UNION
        SELECT DISTINCT host FROM good WHERE host IS NOT NULL AND host <> ''
        """,
        [MIN_ASSETS, MIN_SHARE],
    )
    hosts = sorted({r[0] for r in rows})
    if hosts:
        add_hosts(db, site, hosts)
    return tuple(hosts)
