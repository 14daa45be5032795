"""UTM parameters, click ids and the referrer, read from URLs in SQL.

Values are URL-decoded ('+' is a space in query strings) and trimmed; case is
kept as written (campaign names are the marketer's own), and compared in
lower case only when classifying channels (``channels.py``).
"""

from __future__ import annotations

UTM_PARAMS = ("utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term")
#: Ad platforms' click ids, in order of precedence when several are present.
CLICK_IDS = ("gclid", "msclkid", "fbclid", "ttclid", "li_fat_id")


def decoded(expr: str) -> str:
    """URL-decode, keeping the raw text when it is not valid percent-encoding."""
    return f"coalesce(try(url_decode({expr})), {expr})"


def query_param_sql(query: str, name: str) -> str:
    """The first value of ``name`` in a query string, NULL when absent or empty."""
    assert name.isidentifier(), name  # names come from the constants above, never from input
    raw = f"replace(regexp_extract({query}, '(?:^|&){name}=([^&#]*)', 1), '+', ' ')"
    return f"nullif(trim({decoded(raw)}), '')"


def click_id_sql(query: str) -> str:
    alternatives = "|".join(CLICK_IDS)
    return f"nullif(regexp_extract({query}, '(?:^|&)({alternatives})=', 1), '')"


def referrer_host_sql(referrer: str) -> str:
    return f"nullif(lower(regexp_extract({referrer}, '^[A-Za-z][A-Za-z0-9+.-]*://([^/:?#@]+)', 1)), '')"


def referrer_without_query_sql(referrer: str) -> str:
    """Referrers may carry personal data in their query string: keep scheme, host and path."""
    return f"nullif(regexp_replace({referrer}, '[?#].*$', ''), '')"
