"""Rejected lines keep no more of a visitor than stored hits do: the site's IP mode
applies to them, and e-mails and query-string values are hidden in every mode
(issue 11, defect 6)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from footfall.enrich.redact import find_ips, redact
from tests.conftest import CliResult, combined

IPV4, IPV6, IPV4_IN_REASON = "203.0.113.77", "2001:db8:85a3:0:0:8a2e:370:7334", "198.51.100.23"
EMAIL, TOKEN = "jane.doe@example.com", "s3cr3tT0k3nABCDEF"
BAD_LINES = [
    # status "2x0": the reason quotes the text at the status column
    f'{IPV4} - - [10/Oct/2026:10:00:00 +0000] "GET /reset?email={EMAIL}&token={TOKEN} '
    f'HTTP/1.1" 2x0 512 "https://shop.example/?ref={TOKEN}" "curl/8.0"',
    # an IPv6 client and a time that cannot be read
    f'{IPV6} - - [32/Oct/2026:10:00:00 +0000] "GET /users/{EMAIL}/ HTTP/1.1" 200 1 "-" "x"',
    # the reason quotes the 24 characters where [time] was expected: an address
    f'10.9.8.7 - - {IPV4_IN_REASON} "GET / HTTP/1.1" 200 1 "-" "x"',
]
SECRETS = (IPV4, IPV6, IPV4_IN_REASON, "10.9.8.7", EMAIL, TOKEN)


@pytest.fixture
def mixed_log(write_log: Callable[[str, list[str]], Path]) -> Path:
    good = [
        combined(f"192.0.2.{i}", f"2026-10-10 10:{i:02d}:00", f"/page/{i}") for i in range(1, 21)
    ]
    return write_log("access.log", good[:10] + BAD_LINES + good[10:])


def import_with(cli: Callable[..., CliResult], db: Path, log: Path, mode: str | None) -> None:
    if mode:
        assert cli("site", "shop", "--db", str(db), "--ip-mode", mode).code == 0
    result = cli("import", str(log), "--db", str(db), "--site", "shop", "-q")
    assert result.code == 0, result.err


def stored_rejects(db: Path) -> list[tuple[int, str, str]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT line_no, reason, line FROM rejects ORDER BY line_no").fetchall()


def test_default_mode_keeps_no_address_email_or_token(cli, db_path: Path, mixed_log: Path) -> None:
    import_with(cli, db_path, mixed_log, None)
    rows = stored_rejects(db_path)
    assert [r[0] for r in rows] == [11, 12, 13]
    text = repr(rows)
    for secret in SECRETS:
        assert secret not in text
    status, time, _ = rows
    # still useful to read: the field that failed, the shape of the line, the parameter names
    assert status[1].startswith("field status (%>s) does not match")
    assert status[2].startswith('<ip> - - [10/Oct/2026:10:00:00 +0000] "GET /reset?email=&token= ')
    assert time[2].startswith('<ip> - - [32/Oct/2026:10:00:00 +0000] "GET /users/<email>/ ')
    assert time[1] == 'field time: cannot read "32/Oct/2026:10:00:00 +0000" as a timestamp'
    shown = cli("rejects", "--db", str(db_path), "--site", "shop")
    assert shown.code == 0, shown.err
    flat = re.sub(r"[\s│]", "", shown.out)
    assert "fieldstatus" in flat
    for secret in SECRETS:
        assert secret not in flat


def test_full_mode_keeps_addresses_but_not_emails(cli, db_path: Path, mixed_log: Path) -> None:
    import_with(cli, db_path, mixed_log, "full")
    lines = [r[2] for r in stored_rejects(db_path)]
    assert lines[0].startswith(f"{IPV4} - - ")
    assert lines[1].startswith(f"{IPV6} - - ")
    assert IPV4_IN_REASON in lines[2]
    assert EMAIL not in repr(lines) and TOKEN not in repr(lines)


def test_truncated_mode_keeps_the_networks(cli, db_path: Path, mixed_log: Path) -> None:
    import_with(cli, db_path, mixed_log, "truncated")
    rows = stored_rejects(db_path)
    lines = [r[2] for r in rows]
    assert lines[0].startswith("203.0.113.0 - - ")
    assert lines[1].startswith("2001:db8:85a3:: - - ")
    assert lines[2].startswith("10.9.8.0 - - 198.51.100.0 ")
    assert "198.51.100.0" in rows[2][1]
    for secret in SECRETS:
        assert secret not in repr(rows)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("GET /a?x=1&y=2#f", "GET /a?x=&y=#f"),
        ("rt=0.5 upstream=1.2", "rt=0.5 upstream=1.2"),  # a custom format's fields stay
        ('{"args":"utm=x&t=abc=="}', '{"args":"utm=&t="}'),  # a bare query string
        ("mail a%40b.example now", "mail <email> now"),
        ("[::1]:8080 and 10:00:00 and ::", "[<ip>]:8080 and 10:00:00 and ::"),
        ("from 2001:db8::1.", "from <ip>."),
        ("999.1.1.1 1.2.3.4", "999.1.1.1 <ip>"),
    ],
)
def test_redact_rules(text: str, expected: str) -> None:
    assert redact(text, "none") == expected


def test_truncated_forms_come_from_the_caller() -> None:
    text = "a 192.0.2.9 b 192.0.2.10"
    assert find_ips(text) == {"192.0.2.9", "192.0.2.10"}
    # an address the caller gave no truncated form for is hidden, never kept
    assert redact(text, "truncated", {"192.0.2.9": "192.0.2.0"}) == "a 192.0.2.0 b <ip>"
