"""Each fixture log, imported end to end: what lands in ``hits``, ``rejects`` and ``sources``.

Expected values are worked out by hand from the fixture text: timestamps converted to
UTC from their offsets, durations converted to milliseconds from each server's unit.
"""

from __future__ import annotations

import bz2
import gzip
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.collect._support import FIXTURES, format_string, import_logs

CHROME_WIN = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)


def _only_source(imp, name: str, fmt: str, lines: int, stored: int, rejected: int) -> None:
    """The import report and the stored counts agree with what the fixture holds."""
    [report] = imp.report.sources
    assert report.status == "imported", report.message
    assert report.format == fmt
    assert (report.lines, report.stored, report.rejected) == (lines, stored, rejected)
    assert imp.formats() == [fmt], f"{name} detected as {imp.formats()}"
    assert imp.count("hits") == stored
    assert imp.count("rejects") == rejected


# ---------------------------------------------------------------- NCSA / Apache / nginx text


def test_combined(tmp_path: Path) -> None:
    imp = import_logs(tmp_path, [FIXTURES / "combined.log"])
    _only_source(imp, "combined.log", "combined", lines=10, stored=10, rejected=0)

    first = imp.hit(1)  # [15/Jan/2026:10:00:00 +0100], query string with utm_ params
    assert first["ts"] == datetime(2026, 1, 15, 9, 0, 0)
    assert first["ip"] == "203.0.113.7"
    assert (first["method"], first["path"], first["protocol"]) == ("GET", "/pricing", "HTTP/1.1")
    assert (first["status"], first["bytes"]) == (200, 5123)
    assert first["utm_source"] == "newsletter"
    assert first["utm_medium"] == "email"
    assert first["utm_campaign"] == "jan sale"  # %20 decoded
    assert first["utm_content"] is None and first["utm_term"] is None
    assert first["referrer"] == "https://www.google.com/search"  # ?q=... dropped
    assert first["referrer_host"] == "www.google.com"
    assert first["host"] is None and first["duration_ms"] is None
    assert (first["browser"], first["device"]) == ("Chrome", "desktop")
    assert (first["kind"], first["is_pageview"]) == ("page", True)

    ipv6 = imp.hit(3)
    assert ipv6["ip"] == "2001:db8::1"
    assert ipv6["ts"] == datetime(2026, 1, 15, 9, 2, 0)
    assert (ipv6["protocol"], ipv6["bytes"], ipv6["referrer"]) == ("HTTP/2.0", 7311, None)
    assert (ipv6["browser"], ipv6["device"]) == ("Mobile Safari", "mobile")

    post = imp.hit(4)  # [15/Jan/2026:04:30:00 -0500]
    assert post["ts"] == datetime(2026, 1, 15, 9, 30, 0)
    assert (post["method"], post["path"], post["status"], post["bytes"]) == (
        "POST", "/api/signup", 201, 87,
    )  # fmt: skip

    dash_bytes = imp.hit(5)
    assert (dash_bytes["status"], dash_bytes["bytes"]) == (301, 0)

    escaped = imp.hit(6)  # user agent ends in \"quoted\"
    assert escaped["browser"] == "Firefox"
    assert escaped["referrer"] == "https://news.ycombinator.com/item"
    assert (escaped["path"], escaped["bytes"]) == ("/blog/post-1", 10240)
    [(ua,)] = imp.query("SELECT ua FROM user_agents WHERE ua LIKE '%quoted%'")
    assert ua.startswith("Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0")

    assert imp.hit(7)["browser"] == "Googlebot"
    head = imp.hit(9)
    assert (head["method"], head["bytes"], head["is_pageview"]) == ("HEAD", 0, False)

    late = imp.hit(10)  # [15/Jan/2026:23:59:59 -0200] is the next day in UTC
    assert late["ts"] == datetime(2026, 1, 16, 1, 59, 59)
    assert late["day"] == date(2026, 1, 16)
    assert (late["path"], late["utm_source"], late["utm_term"]) == (
        "/late",
        "twitter",
        "web analytics",
    )


def test_common(tmp_path: Path) -> None:
    imp = import_logs(tmp_path, [FIXTURES / "common.log"])
    _only_source(imp, "common.log", "common", lines=6, stored=6, rejected=0)

    redirect = imp.hit(3)  # [15/Jan/2026:10:15:30 +0200] "GET /account?tab=billing" 302 -
    assert redirect["ts"] == datetime(2026, 1, 15, 8, 15, 30)
    assert (redirect["path"], redirect["status"], redirect["bytes"]) == ("/account", 302, 0)
    assert redirect["referrer"] is None
    assert redirect["browser"] == "Other"  # no user agent in CLF

    ipv6 = imp.hit(4)  # [14/Jan/2026:21:00:00 -0800] is 05:00 UTC the next day
    assert ipv6["ip"] == "2001:db8:85a3::8a2e:370:7334"
    assert ipv6["ts"] == datetime(2026, 1, 15, 5, 0, 0)
    assert (ipv6["path"], ipv6["protocol"], ipv6["bytes"]) == ("/about.html", "HTTP/1.0", 1024)

    delete = imp.hit(5)
    assert (delete["method"], delete["status"], delete["bytes"]) == ("DELETE", 204, 0)


def test_vhost_combined(tmp_path: Path) -> None:
    imp = import_logs(tmp_path, [FIXTURES / "vhost_combined.log"])
    _only_source(imp, "vhost_combined.log", "vhost_combined", lines=5, stored=5, rejected=0)

    first = imp.hit(1)  # www.example.com:443 1.2.3.4 ... [15/Jan/2026:12:00:00 +0100]
    assert first["host"] == "www.example.com"
    assert first["ip"] == "1.2.3.4"
    assert first["ts"] == datetime(2026, 1, 15, 11, 0, 0)
    assert (first["method"], first["path"], first["status"], first["bytes"]) == (
        "GET", "/", 200, 512,
    )  # fmt: skip
    assert first["browser"] == "Chrome"

    blog = imp.hit(3)  # Blog.Example.org:80 2001:db8::42
    assert blog["host"] == "blog.example.org"  # hosts are stored in lower case
    assert blog["ip"] == "2001:db8::42"
    assert blog["path"] == "/2026/01/hello-world/"
    assert blog["utm_source"] == "mastodon"
    assert blog["referrer"] == "https://mastodon.social/@someone"
    assert blog["browser"] == "Safari"
    assert (imp.hit(4)["status"], imp.hit(4)["bytes"]) == (304, 0)


def test_nginx_request_time(tmp_path: Path) -> None:
    imp = import_logs(tmp_path, [FIXTURES / "nginx_request_time.log"])
    _only_source(imp, "nginx_request_time.log", "combined_request_time", 5, 5, 0)

    first = imp.hit(1)  # [15/Jan/2026:14:00:00 +0100] ... 0.123
    assert first["ts"] == datetime(2026, 1, 15, 13, 0, 0)
    assert first["duration_ms"] == pytest.approx(123.0)
    assert first["path"] == "/checkout"
    assert (first["utm_source"], first["utm_medium"], first["click_id"]) == (
        "google",
        "cpc",
        "gclid",
    )
    assert imp.hit(2)["duration_ms"] == pytest.approx(4.0)  # 0.004 s
    slow = imp.hit(3)
    assert (slow["method"], slow["status"]) == ("POST", 500)
    assert slow["duration_ms"] == pytest.approx(2500.0)  # 2.500 s
    android = imp.hit(4)
    assert android["duration_ms"] == 0.0
    assert android["ip"] == "2001:db8::7"
    assert (android["browser"], android["device"]) == ("Chrome Mobile", "mobile")


def test_apache_duration_microseconds(tmp_path: Path) -> None:
    imp = import_logs(tmp_path, [FIXTURES / "apache_duration_us.log"])
    _only_source(imp, "apache_duration_us.log", "combined_duration_us", 5, 5, 0)

    first = imp.hit(1)  # [15/Jan/2026:16:00:00 +0100] ... 1234 µs
    assert first["ts"] == datetime(2026, 1, 15, 15, 0, 0)
    assert first["duration_ms"] == pytest.approx(1.234)
    cached = imp.hit(2)  # 304 - ... 250 µs
    assert (cached["status"], cached["bytes"]) == (304, 0)
    assert cached["duration_ms"] == pytest.approx(0.25)
    pdf = imp.hit(3)  # 2500000 bytes, 2500000 µs
    assert (pdf["bytes"], pdf["duration_ms"]) == (2_500_000, pytest.approx(2500.0))
    assert imp.hit(4)["duration_ms"] == pytest.approx(98.765)


def test_apache_duration_without_dash_bytes_is_not_read_as_nginx_seconds(tmp_path: Path) -> None:
    """Regression: every %D line also fitted nginx ``$request_time`` (seconds), 1000x off."""
    lines = (FIXTURES / "apache_duration_us.log").read_text().splitlines()
    log = tmp_path / "us.log"
    log.write_text("".join(line + "\n" for line in lines if '" 304 - "' not in line))
    imp = import_logs(tmp_path, [log])
    assert imp.formats() == ["combined_duration_us"]
    assert imp.hit(1)["duration_ms"] == pytest.approx(1.234)


# ---------------------------------------------------------------- W3C / IIS


def test_iis_w3c_without_bytes(tmp_path: Path) -> None:
    imp = import_logs(tmp_path, [FIXTURES / "iis_w3c.log"])
    # 14 lines: two blocks of 4 header lines (skipped, not rejected) and 6 requests
    _only_source(imp, "iis_w3c.log", "w3c", lines=14, stored=6, rejected=0)
    assert imp.hit_lines() == [5, 6, 7, 8, 13, 14]

    first = imp.hit(5)
    assert first["ts"] == datetime(2026, 1, 15, 0, 0, 7)  # W3C times are UTC already
    assert first["ip"] == "203.0.113.80"
    assert (first["method"], first["path"], first["status"]) == ("GET", "/", 200)
    assert first["bytes"] == 0  # no sc-bytes field
    assert first["duration_ms"] == 46.0  # IIS time-taken is milliseconds
    assert first["referrer"] is None and first["protocol"] is None and first["host"] is None
    assert (first["browser"], first["device"]) == ("Chrome", "desktop")
    uas = [r[0] for r in imp.query("SELECT ua FROM user_agents")]
    assert CHROME_WIN in uas  # '+' decoded to spaces

    product = imp.hit(7)  # cs-uri-query id=17&utm_source=linkedin&utm_medium=social
    assert product["path"] == "/Products/Detail.aspx"
    assert (product["utm_source"], product["utm_medium"]) == ("linkedin", "social")
    assert product["referrer"] == "https://www.linkedin.com/feed/"
    assert product["duration_ms"] == 1250.0
    assert product["browser"] == "Safari"

    error = imp.hit(8)
    assert (error["method"], error["status"], error["duration_ms"]) == ("POST", 500, 3004.0)
    assert imp.hit(13)["ip"] == "2001:db8::99"
    bing = imp.hit(14)
    assert bing["ts"] == datetime(2026, 1, 15, 23, 59, 59)
    assert (bing["browser"], bing["device"]) == ("bingbot", "bot")


def test_w3c_with_bytes_host_and_version(tmp_path: Path) -> None:
    imp = import_logs(tmp_path, [FIXTURES / "w3c_bytes.log"])
    _only_source(imp, "w3c_bytes.log", "w3c", lines=9, stored=5, rejected=0)

    first = imp.hit(5)
    assert first["ts"] == datetime(2026, 1, 16, 10, 0, 0)
    assert first["bytes"] == 18456
    assert first["host"] == "www.example.com"  # cs-host Www.Example.com
    assert first["protocol"] == "HTTP/1.1"
    assert first["duration_ms"] == 31.0
    assert first["referrer"] == "https://duckduckgo.com/"
    assert first["browser"] == "Edge"

    contact = imp.hit(7)  # utm_source=flyer&utm_campaign=spring+fair
    assert (contact["utm_source"], contact["utm_campaign"]) == ("flyer", "spring fair")
    assert contact["protocol"] == "HTTP/2"
    assert (contact["browser"], contact["device"]) == ("Mobile Safari", "mobile")

    head = imp.hit(8)  # sc-bytes -
    assert (head["method"], head["bytes"], head["duration_ms"]) == ("HEAD", 0, 2.0)
    assert (imp.hit(9)["status"], imp.hit(9)["bytes"]) == (301, 389)


# ---------------------------------------------------------------- JSON lines


def test_nginx_json(tmp_path: Path) -> None:
    imp = import_logs(tmp_path, [FIXTURES / "nginx_json.log"])
    _only_source(imp, "nginx_json.log", "json", lines=5, stored=5, rejected=0)

    first = imp.hit(1)  # "time_iso8601":"2026-01-15T10:00:00+01:00", "request_time":"0.250"
    assert first["ts"] == datetime(2026, 1, 15, 9, 0, 0)
    assert first["ip"] == "203.0.113.120"
    assert (first["method"], first["path"], first["protocol"]) == ("GET", "/landing", "HTTP/1.1")
    assert (first["status"], first["bytes"]) == (200, 6123)
    assert (first["utm_source"], first["utm_medium"], first["utm_campaign"]) == (
        "facebook", "paid_social", "winter",
    )  # fmt: skip
    assert first["referrer"] == "https://l.facebook.com/l.php"
    assert first["host"] == "example.com"  # "Example.com"
    assert first["duration_ms"] == pytest.approx(250.0)
    assert (first["browser"], first["device"]) == ("Chrome Mobile", "mobile")

    post = imp.hit(3)  # empty referrer, JSON-escaped quote in the user agent
    assert post["referrer"] is None
    assert post["browser"] == "Firefox"
    assert post["ip"] == "2001:db8::120"
    assert (post["method"], post["status"], post["bytes"]) == ("POST", 303, 0)
    assert post["duration_ms"] == pytest.approx(42.0)

    blog = imp.hit(4)  # 2026-01-15T04:20:00-05:00, 1.005 s
    assert blog["ts"] == datetime(2026, 1, 15, 9, 20, 0)
    assert blog["duration_ms"] == pytest.approx(1005.0)


def test_caddy(tmp_path: Path) -> None:
    imp = import_logs(tmp_path, [FIXTURES / "caddy.log"])
    _only_source(imp, "caddy.log", "json", lines=5, stored=5, rejected=0)

    first = imp.hit(1)  # "ts":1700000000.123 = 2023-11-14 22:13:20.123 UTC
    assert first["ts"] == datetime(2023, 11, 14, 22, 13, 20, 123000)
    assert first["ip"] == "203.0.113.140"  # request.client_ip, not the proxy's remote_ip
    assert (first["method"], first["path"], first["protocol"]) == ("GET", "/path", "HTTP/2.0")
    assert (first["status"], first["bytes"]) == (200, 1234)
    assert (first["utm_source"], first["utm_medium"]) == ("bing", "cpc")
    assert first["referrer"] == "https://www.bing.com/search"
    assert first["host"] == "example.com"
    assert first["duration_ms"] == pytest.approx(12.3)  # "duration":0.0123 seconds
    assert first["browser"] == "Chrome"

    api = imp.hit(3)  # "ts":1700000060, host API.example.com, no Referer header
    assert api["ts"] == datetime(2023, 11, 14, 22, 14, 20)
    assert api["host"] == "api.example.com"
    assert (api["method"], api["status"], api["bytes"]) == ("POST", 204, 0)
    assert api["duration_ms"] == pytest.approx(1500.0)
    assert api["referrer"] is None
    assert api["ip"] == "2001:db8::140"
    assert imp.hit(4)["duration_ms"] == pytest.approx(0.512)  # 0.000512 s


def test_caddy_first_line_without_referer_keeps_later_referrers(tmp_path: Path) -> None:
    lines = (FIXTURES / "caddy.log").read_text().splitlines(keepends=True)
    log = tmp_path / "caddy.log"
    log.write_text(lines[2] + lines[0] + lines[1])  # the POST without a Referer header first
    imp = import_logs(tmp_path, [log])
    assert imp.formats() == ["json"]
    assert imp.hit(1)["referrer"] is None
    assert imp.hit(2)["referrer"] == "https://www.bing.com/search"
    assert imp.hit(2)["referrer_host"] == "www.bing.com"
    assert imp.hit(3)["referrer"] == "https://example.com/path"


def test_traefik(tmp_path: Path) -> None:
    imp = import_logs(tmp_path, [FIXTURES / "traefik.log"])
    _only_source(imp, "traefik.log", "json", lines=5, stored=5, rejected=0)

    first = imp.hit(1)  # "StartUTC":"2026-01-15T10:00:00.123456789Z"
    assert first["ts"].replace(microsecond=0) == datetime(2026, 1, 15, 10, 0, 0)
    assert first["ts"].microsecond in (123456, 123457)  # nanoseconds cut to microseconds
    assert first["ip"] == "203.0.113.160"
    assert (first["method"], first["path"], first["protocol"]) == ("GET", "/dashboard", "HTTP/1.1")
    assert (first["status"], first["bytes"]) == (200, 5120)
    assert (first["utm_source"], first["utm_campaign"]) == ("partner", "spring")
    assert first["referrer"] == "https://partner.example.net/offers"
    assert first["host"] == "app.example.com"
    assert first["duration_ms"] == pytest.approx(12.345678)  # "Duration":12345678 ns
    assert first["browser"] == "Chrome"

    bad_gateway = imp.hit(3)  # 30 s upstream timeout, IPv6 client, no Referer
    assert bad_gateway["duration_ms"] == pytest.approx(30000.0)
    assert (bad_gateway["method"], bad_gateway["status"], bad_gateway["bytes"]) == ("PUT", 502, 0)
    assert bad_gateway["ip"] == "2001:db8::160"
    assert bad_gateway["host"] == "api.example.com"
    assert bad_gateway["referrer"] is None
    # line 5: StartUTC 10:00:00Z wins over "time" (11:30+01:00, when the line was written)
    assert imp.hit(5)["ts"] == datetime(2026, 1, 15, 10, 0, 0)


# ---------------------------------------------------------------- custom format strings


def test_custom_apache_format(tmp_path: Path) -> None:
    spec = format_string("custom_apache.format")
    imp = import_logs(tmp_path, [FIXTURES / "custom_apache.log"], log_format=spec)
    _only_source(imp, "custom_apache.log", "custom", lines=5, stored=5, rejected=0)

    first = imp.hit(1)  # %a 10.1.2.3, X-Forwarded-For "203.0.113.200, 10.1.2.3"
    assert first["ip"] == "203.0.113.200"
    assert first["ts"] == datetime(2026, 1, 15, 17, 0, 0)
    assert first["duration_ms"] == 87.0  # %{ms}T
    assert first["host"] == "shop.example.com"  # "Shop.Example.com"
    assert (first["bytes"], first["referrer"]) == (3400, "https://shop.example.com/")
    assert first["browser"] == "Chrome"

    no_xff = imp.hit(3)  # X-Forwarded-For "-": the connection's address
    assert no_xff["ip"] == "192.0.2.210"
    assert (no_xff["method"], no_xff["duration_ms"]) == ("PUT", 1500.0)
    campaign = imp.hit(4)
    assert campaign["path"] == "/shop/"
    assert (campaign["utm_source"], campaign["utm_content"]) == ("instagram", "story")


def test_custom_nginx_format(tmp_path: Path) -> None:
    spec = format_string("custom_nginx.format")
    imp = import_logs(tmp_path, [FIXTURES / "custom_nginx.log"], log_format=spec)
    _only_source(imp, "custom_nginx.log", "custom", lines=5, stored=5, rejected=0)

    first = imp.hit(1)  # docs.example.com ... [15/Jan/2026:20:00:00 +0100] ... 0.075 0.070
    assert first["host"] == "docs.example.com"
    assert first["ip"] == "203.0.113.220"
    assert first["ts"] == datetime(2026, 1, 15, 19, 0, 0)
    assert first["duration_ms"] == pytest.approx(75.0)  # $request_time, not upstream
    assert (first["path"], first["utm_source"]) == ("/guide/intro", "github")
    assert first["referrer"] == "https://github.com/example/repo"
    assert first["browser"] == "Firefox"

    assert imp.hit(2)["duration_ms"] == pytest.approx(2.0)  # upstream "-"
    upstream_list = imp.hit(3)  # upstream "0.600, 0.650" holds a space
    assert upstream_list["host"] == "api.example.com"
    assert upstream_list["ip"] == "2001:db8::221"
    assert (upstream_list["status"], upstream_list["bytes"]) == (502, 166)
    assert upstream_list["duration_ms"] == pytest.approx(1250.0)


# ---------------------------------------------------------------- bad lines


def test_mixed_bad_lines_become_rejects(tmp_path: Path) -> None:
    imp = import_logs(tmp_path, [FIXTURES / "mixed_bad.log"])
    # 15 lines: one empty (neither stored nor rejected), 4 bad, 10 good
    _only_source(imp, "mixed_bad.log", "combined", lines=15, stored=10, rejected=4)
    assert imp.hit_lines() == [1, 2, 4, 6, 9, 10, 12, 13, 14, 15]

    rejects = {line_no: (reason, line) for line_no, reason, line in imp.rejects()}
    assert sorted(rejects) == [3, 5, 7, 11]
    text = (FIXTURES / "mixed_bad.log").read_text().splitlines()
    for line_no, (reason, line) in rejects.items():
        assert line == text[line_no - 1]
        assert reason
    assert "status" in rejects[5][0] and "2x0" in rejects[5][0]
    assert "column 67" in rejects[5][0]
    assert "time" in rejects[7][0] and "32/Foo/2026" in rejects[7][0]
    assert "status" in rejects[11][0] and "999" in rejects[11][0]


def test_invalid_utf8_line_is_rejected_with_its_line_number(tmp_path: Path) -> None:
    good = (FIXTURES / "mixed_bad.log").read_bytes().split(b"\n")
    bad = b'192.0.2.77 - - [15/Jan/2026:10:00:00 +0000] "GET /caf\xe9 HTTP/1.1" 200 1 "-" "x"'
    log = tmp_path / "latin1.log"
    log.write_bytes(b"\n".join([good[0], bad, *good[1:]]))  # becomes line 2
    imp = import_logs(tmp_path, [log])
    assert imp.formats() == ["combined"]
    rejects = {line_no: reason for line_no, reason, _ in imp.rejects()}
    # the bad lines of mixed_bad.log (3, 5, 7, 11) move down by one
    assert sorted(rejects) == [2, 4, 6, 8, 12]
    assert rejects[2] == "bytes at column 54 are not UTF-8"
    assert imp.count("hits") == 10
    assert imp.hit(1)["path"] == "/"


def test_crlf_line_endings(tmp_path: Path) -> None:
    log = tmp_path / "crlf.log"
    log.write_bytes((FIXTURES / "combined.log").read_bytes().replace(b"\n", b"\r\n"))
    imp = import_logs(tmp_path, [log])
    assert imp.formats() == ["combined"]
    assert (imp.count("hits"), imp.count("rejects")) == (10, 0)
    assert imp.hit(3)["browser"] == "Mobile Safari"
    assert imp.query("SELECT count(*) FROM user_agents WHERE contains(ua, chr(13))") == [(0,)]


# ---------------------------------------------------------------- compression and rotation


@pytest.mark.parametrize("suffix, compress", [(".gz", gzip.compress), (".bz2", bz2.compress)])
def test_compressed_combined(tmp_path: Path, suffix: str, compress) -> None:
    log = tmp_path / f"access.log{suffix}"
    log.write_bytes(compress((FIXTURES / "combined.log").read_bytes()))
    imp = import_logs(tmp_path, [log])
    _only_source(imp, log.name, "combined", lines=10, stored=10, rejected=0)
    assert imp.hit(1)["ts"] == datetime(2026, 1, 15, 9, 0, 0)
    assert imp.hit(10)["utm_term"] == "web analytics"


def test_rotated_directory_imports_oldest_first(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    common = (FIXTURES / "common.log").read_bytes().splitlines(keepends=True)
    (logs / "access.log.2.gz").write_bytes(gzip.compress(b"".join(common[:2])))
    (logs / "access.log.1").write_bytes(b"".join(common[2:5]))
    shutil.copy(FIXTURES / "combined.log", logs / "access.log")
    imp = import_logs(tmp_path, [logs])

    assert [s.status for s in imp.report.sources] == ["imported"] * 3
    names = [r[0] for r in imp.query("SELECT name FROM sources ORDER BY file_id")]
    assert [Path(n).name for n in names] == ["access.log.2.gz", "access.log.1", "access.log"]
    assert imp.formats() == ["common", "common", "combined"]
    per_file = imp.query("SELECT file_id, count(*) FROM hits GROUP BY 1 ORDER BY 1")
    assert per_file == [(1, 2), (2, 3), (3, 10)]
    # access.log.1 line 1 is common.log line 3: [15/Jan/2026:10:15:30 +0200]
    assert imp.hit(1, file_id=2)["ts"] == datetime(2026, 1, 15, 8, 15, 30)
