"""Page, asset or other: what a request was for, decided by method and extension.

The extension lists are data (``settings.SiteOptions``), bound as parameters.
A *pageview* is a page request a person's browser rendered: GET, a page
extension, and status 2xx or 304 (a cached page was still viewed).  Redirects,
errors and HEAD requests are counted as requests, never as pageviews.
"""

from __future__ import annotations

EXTENSION_SQL = "lower(regexp_extract({path}, '\\.([A-Za-z0-9]{{1,8}})$', 1))"


def kind_sql(path: str, method: str) -> str:
    """SQL for the request kind; binds $asset_extensions and $page_extensions."""
    ext = EXTENSION_SQL.format(path=path)
    return (
        f"CASE WHEN list_contains($asset_extensions, {ext}) THEN 'asset' "
        f"WHEN {method} IN ('GET', 'HEAD') AND list_contains($page_extensions, {ext}) "
        "THEN 'page' ELSE 'other' END"
    )


def pageview_sql(kind: str, method: str, status: str) -> str:
    return (
        f"({kind} = 'page' AND {method} = 'GET' "
        f"AND ({status} BETWEEN 200 AND 299 OR {status} = 304))"
    )
