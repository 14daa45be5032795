"""What the truncated IP mode keeps: the /24 of IPv4, the first 48 bits of IPv6 —
also for compressed IPv6 forms (reproduces '2001:db8::1' -> '2001:db8:::')."""

from __future__ import annotations

import duckdb
import pytest

from footfall.enrich.identity import stored_ip_sql

CASES = [
    ("192.0.2.77", "192.0.2.0"),
    ("2001:db8:85a3:0:0:8a2e:370:7334", "2001:db8:85a3::"),
    ("2001:db8::1", "2001:db8::"),
    ("2001:db8:1::5", "2001:db8:1::"),
    ("::1", "::"),
]


@pytest.mark.parametrize(("ip", "kept"), CASES)
def test_truncated_keeps_the_network(ip: str, kept: str) -> None:
    sql = f"SELECT {stored_ip_sql('?', 'truncated')}"
    assert duckdb.execute(sql, [ip, ip, ip]).fetchone() == (kept,)


def test_none_keeps_nothing_and_full_keeps_all() -> None:
    assert duckdb.execute(f"SELECT {stored_ip_sql('?', 'none')}").fetchone() == (None,)
    assert duckdb.execute(f"SELECT {stored_ip_sql('?', 'full')}", ["::1"]).fetchone() == ("::1",)
