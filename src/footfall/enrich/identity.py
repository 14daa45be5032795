"""Visitor identity without storing IP addresses.

visitor_id = first 64 bits of sha256(daily_salt(site, day) | ip | user_agent).
A salt is 128 random bits made once per site and UTC day, the day of the hit,
so the same person gets the same id all day, a new unlinkable one the next
day, and a log imported twice gives the same ids.  Nothing derived from the
IP but the hash (and, when the site opts in, a truncated or full IP) is kept.
The trade-off is written up in docs/privacy.md: whoever holds a salt could
recompute hashes for guessed IPs of that day; ``footfall salts prune``
deletes old salts once their days are imported for good.  The salts themselves are
stored by ``store/salts.py``; this module only writes the SQL that uses them.
"""

from __future__ import annotations

VISITOR_ID_SQL = (
    "('0x' || left(sha256({salt} || '|' || coalesce({ip}, '') || '|' "
    "|| coalesce({ua}, '')), 16))::UBIGINT"
)


def visitor_id_sql(salt: str, ip: str, ua: str) -> str:
    return VISITOR_ID_SQL.format(salt=salt, ip=ip, ua=ua)


def stored_ip_sql(ip: str, mode: str) -> str:
    """What is kept of the IP: nothing, the /24 (IPv4) or /48 (IPv6) network, or all of it."""
    if mode == "full":
        return ip
    if mode == "truncated":
        return (
            f"CASE WHEN contains({ip}, ':') THEN "
            # up to three groups before any '::' ('2001:db8::1' -> '2001:db8::', '::1' -> '::')
            f"regexp_extract({ip}, '^([0-9A-Fa-f]+(:[0-9A-Fa-f]+){{0,2}})', 1) || '::' "
            f"ELSE regexp_replace({ip}, '\\.[0-9]+$', '.0') END"
        )
    return "NULL::VARCHAR"
