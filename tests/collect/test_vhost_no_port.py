"""Apache logs with the virtual host first and no port: %v %h %l %u %t "%r" %>s %O ...

Samples written by hand in that LogFormat's layout.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from footfall.collect.detect import detect
from tests.collect._support import import_logs

UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36"
LINES = [
    f'shop.example.com 203.0.113.10 - - [14/Mar/2026:10:15:02 +0100] "GET /pricing HTTP/1.1" '
    f'200 5120 "https://www.google.com/" "{UA}"',
    f'blog.example.com 198.51.100.4 - alice [14/Mar/2026:09:20:00 +0000] "GET /post/1 HTTP/1.1" '
    f'404 310 "-" "{UA}"',
    'Shop.Example.com 2001:db8::7 - - [14/Mar/2026:09:30:00 +0000] "HEAD / HTTP/1.1" '
    '200 0 "-" "curl/8.5.0"',
]


def test_vhost_without_port(tmp_path: Path) -> None:
    log = tmp_path / "other_vhosts_access.log"
    log.write_text("\n".join(LINES) + "\n")
    imported = import_logs(tmp_path, [log])
    assert imported.formats() == ["vhost_combined_no_port"]
    assert imported.count("rejects") == 0
    rows = imported.query(
        "SELECT line_no, ts, ip, method, path, status, bytes, host, u.ua, referrer "
        "FROM hits h JOIN user_agents u USING (ua_id) ORDER BY line_no"
    )
    assert rows == [
        (1, datetime(2026, 3, 14, 9, 15, 2), "203.0.113.10", "GET", "/pricing", 200, 5120,
         "shop.example.com", UA, "https://www.google.com/"),
        (2, datetime(2026, 3, 14, 9, 20), "198.51.100.4", "GET", "/post/1", 404, 310,
         "blog.example.com", UA, None),
        (3, datetime(2026, 3, 14, 9, 30), "2001:db8::7", "HEAD", "/", 200, 0,
         "shop.example.com", "curl/8.5.0", None),
    ]  # fmt: skip


def test_vhost_with_port_still_wins_without_a_note() -> None:
    """A vhost_combined line also fits %v without a port (host "name:443"): the format
    with the port is chosen and the one without it is not offered as an equal fit."""
    line = LINES[0].replace("shop.example.com ", "shop.example.com:443 ", 1)
    found = detect("access.log", (line + "\n").encode())
    assert (found.format.name, found.note) == ("vhost_combined", "")
