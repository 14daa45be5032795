"""Page, asset or other: what a request was for, decided by method and extension.

The extension lists are data (``settings.SiteOptions``), validated and written
into the SQL as literals (the batch view that uses them cannot take parameters).
Paths under API prefixes (``/api/``, ``/wp-json/``...) are ``other``: scripts
call them, people do not view them.  A *pageview* is a page request a
person's browser rendered: GET, a page extension, and status 2xx or 304 (a
cached page was still viewed).  Redirects, errors and HEAD requests are
counted as requests, never as pageviews.
"""

from __future__ import annotations

import re

from footfall.errors import ConfigError

EXTENSION_SQL = "lower(regexp_extract({path}, '\\.([A-Za-z0-9]{{1,8}})$', 1))"


def _list_literal(extensions: tuple[str, ...]) -> str:
    for ext in extensions:
        if not re.fullmatch(r"[a-z0-9]{0,8}", ext):
            raise ConfigError(f"extension {ext!r}: use 0-8 lowercase letters or digits, no dot")
    return "[" + ", ".join(f"'{ext}'" for ext in extensions) + "]"


def _prefix_test(path: str, prefixes: tuple[str, ...]) -> str:
    for prefix in prefixes:
        if not re.fullmatch(r"/[A-Za-z0-9/_.-]*", prefix):
            raise ConfigError(f"path prefix {prefix!r}: start with / and use letters, digits, /_.-")
    tests = [f"starts_with({path}, '{prefix}')" for prefix in prefixes]
    return "(" + " OR ".join(tests) + ")" if tests else "false"


def kind_sql(
    path: str,
    method: str,
    assets: tuple[str, ...],
    pages: tuple[str, ...],
    api_prefixes: tuple[str, ...] = (),
) -> str:
    """SQL for the request kind: asset by extension, page by method and extension,
    except under API prefixes (JSON for scripts, not pages a person views)."""
    ext = EXTENSION_SQL.format(path=path)
    return (
        f"CASE WHEN list_contains({_list_literal(assets)}, {ext}) THEN 'asset' "
        f"WHEN {_prefix_test(path, api_prefixes)} THEN 'other' "
        f"WHEN {method} IN ('GET', 'HEAD') AND list_contains({_list_literal(pages)}, {ext}) "
        "THEN 'page' ELSE 'other' END"
    )


def pageview_sql(kind: str, method: str, status: str) -> str:
    return (
        f"({kind} = 'page' AND {method} = 'GET' "
        f"AND ({status} BETWEEN 200 AND 299 OR {status} = 304))"
    )
