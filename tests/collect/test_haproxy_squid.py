"""HAProxy's HTTP log and Squid's native access.log: proxies, no user agent.

Each sample is written by hand in the layout the project documents (HAProxy
configuration manual, "HTTP log format"; Squid's "squid" logformat).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from footfall.pipeline.importer import ImportRequest, run_import
from footfall.settings import Settings, SiteOptions
from tests.collect._support import Imported, import_logs

FIELDS = "line_no, ts, ip, method, path, status, bytes, host, u.ua, duration_ms"
NO_UA = "(user agent not logged)"  # footfall.enrich.bots.NOT_LOGGED, written out


def _rows(imported: Imported) -> list[tuple[object, ...]]:
    return imported.query(
        f"SELECT {FIELDS} FROM hits LEFT JOIN user_agents u USING (ua_id) ORDER BY line_no"
    )


HAPROXY = [
    # syslog prefix, as rsyslog writes it
    "Mar 14 09:15:02 lb1 haproxy[2211]: 203.0.113.10:51234 [14/Mar/2026:09:15:02.655] www~ "
    'shop/web1 10/0/1/48/59 200 5120 - - ---- 3/3/1/1/0 0/0 "GET /pricing?utm_source=news '
    'HTTP/1.1"',
    # no prefix (stdout in a container), captured headers, IPv6 client
    "2001:db8::7:40112 [14/Mar/2026:09:16:00.001] www~ shop/web2 0/0/0/12/12 404 310 - - "
    '---- 1/1/0/0/0 0/0 {shop.example.com|curl/8.5.0} {} "GET /missing HTTP/1.1"',
    # no server answered: Tc and Tr are -1, the total is still logged
    "Mar 14 09:17:00 lb1 haproxy[2211]: 198.51.100.4:60001 [14/Mar/2026:09:17:00.250] www~ "
    'shop/<NOSRV> 5/-1/-1/-1/5 503 217 - - SC-- 2/2/0/0/0 0/0 "POST /checkout HTTP/1.1"',
]


def test_haproxy_http_log(tmp_path: Path) -> None:
    log = tmp_path / "haproxy.log"
    log.write_text("\n".join(HAPROXY) + "\n")
    imported = import_logs(tmp_path, [log])
    assert imported.formats() == ["haproxy_http"]
    assert imported.count("rejects") == 0
    assert _rows(imported) == [
        (1, datetime(2026, 3, 14, 9, 15, 2, 655000), "203.0.113.10", "GET", "/pricing", 200,
         5120, None, NO_UA, 59.0),
        (2, datetime(2026, 3, 14, 9, 16, 0, 1000), "2001:db8::7", "GET", "/missing", 404, 310,
         None, NO_UA, 12.0),
        (3, datetime(2026, 3, 14, 9, 17, 0, 250000), "198.51.100.4", "POST", "/checkout", 503,
         217, None, NO_UA, 5.0),
    ]  # fmt: skip
    assert imported.query("SELECT utm_source FROM hits WHERE line_no = 1") == [("news",)]
    assert "no user agent" in " ".join(str(imported.report).split())


def test_haproxy_time_is_read_in_the_site_time_zone(tmp_path: Path) -> None:
    """accept_date has no offset: 09:15 in Paris (UTC+1 in March before DST) is 08:15 UTC."""
    log = tmp_path / "haproxy.log"
    log.write_text(HAPROXY[0] + "\n")
    db = tmp_path / "t.duckdb"
    options = SiteOptions(ip_mode="full", country=False, timezone="Europe/Paris")
    report = run_import(
        Settings(db_path=db, site_defaults=options), ImportRequest(inputs=[str(log)], site="s")
    )
    imported = Imported(db, report)
    assert imported.query("SELECT ts FROM hits") == [(datetime(2026, 3, 14, 8, 15, 2, 655000),)]


def test_squid_native_access_log(tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text("\n".join([
        # 1773479702.655 is 2026-03-14 09:15:02.655 UTC; elapsed is padded to six columns
        "1773479702.655    921 203.0.113.10 TCP_MISS/200 5120 GET "
        "http://shop.example.com/pricing?utm_source=news - HIER_DIRECT/198.51.100.7 text/html",
        "1773479703.010      0 203.0.113.10 TCP_MEM_HIT/200 2048 GET "
        "http://shop.example.com/img/logo.png alice HIER_NONE/- image/png",
        "1773479710.500  15022 198.51.100.4 TCP_TUNNEL/200 88410 CONNECT "
        "shop.example.com:443 - HIER_DIRECT/198.51.100.7 -",
        # the client went away before any status: 000 is not an HTTP status
        "1773479711.000     40 198.51.100.4 TCP_MISS_ABORTED/000 0 GET "
        "http://shop.example.com/ - HIER_DIRECT/198.51.100.7 -",
        "1773479712.125     33 198.51.100.9 TCP_REFRESH_MODIFIED/304 312 GET "
        "https://Shop.Example.com/about - HIER_DIRECT/198.51.100.7 text/html",
    ]) + "\n")  # fmt: skip
    imported = import_logs(tmp_path, [log])
    assert imported.formats() == ["squid"]
    assert _rows(imported) == [
        (1, datetime(2026, 3, 14, 9, 15, 2, 655000), "203.0.113.10", "GET", "/pricing", 200,
         5120, "shop.example.com", NO_UA, 921.0),
        (2, datetime(2026, 3, 14, 9, 15, 3, 10000), "203.0.113.10", "GET", "/img/logo.png",
         200, 2048, "shop.example.com", NO_UA, 0.0),
        (3, datetime(2026, 3, 14, 9, 15, 10, 500000), "198.51.100.4", "CONNECT",
         "shop.example.com:443", 200, 88410, None, NO_UA, 15022.0),
        (5, datetime(2026, 3, 14, 9, 15, 12, 125000), "198.51.100.9", "GET", "/about", 304,
         312, "shop.example.com", NO_UA, 33.0),
    ]  # fmt: skip
    [(line_no, reason, _)] = imported.rejects()
    assert (line_no, reason) == (4, "field status: 000 is not an HTTP status")
