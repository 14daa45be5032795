"""W3C logs as CloudFront, IIS Advanced Logging, SHOUTcast and proxies write them.

Each sample is written by hand in the layout its server documents.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from footfall.pipeline.importer import ImportRequest, run_import
from footfall.settings import Settings, SiteOptions
from tests.collect._support import import_logs
from tests.conftest import query

CF_FIELDS = (
    "date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status "
    "cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id "
    "x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher "
    "x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port "
    "time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len "
    "sc-range-start sc-range-end"
)
CF_UA = ("Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20"
         "(KHTML,%20like%20Gecko)%20Chrome/124.0.0.0%20Safari/537.36")  # fmt: skip


def cloudfront(time: str, path: str, query_: str, seconds: str) -> str:
    values = ["2026-01-20", time, "FRA56-P5", "5210", "192.0.2.100", "GET",
              "d111111abcdef8.cloudfront.net", path, "200", "https://www.google.com/", CF_UA,
              query_, "-", "Hit", "SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiNIQ==",
              "www.example.com", "https", "23", seconds, "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256",
              "Hit", "HTTP/2.0", "-", "-", "11040", seconds, "Hit", "text/html", "78", "-", "-"]  # fmt: skip
    return "\t".join(values)


def test_cloudfront_tab_separated(tmp_path: Path) -> None:
    log = tmp_path / "E2EXAMPLE.2026-01-20-09.a1b2c3d4"
    log.write_text("\n".join([
        "#Version: 1.0", f"#Fields: {CF_FIELDS}",
        cloudfront("09:15:02", "/index.html", "utm_source=news", "0.082"),
        cloudfront("09:15:03", "/about.html", "-", "0.001"),
    ]) + "\n")  # fmt: skip
    imp = import_logs(tmp_path, [log])
    assert imp.formats() == ["w3c"]
    assert (imp.count("hits"), imp.count("rejects")) == (2, 0)
    first = imp.hit(3)
    assert first["ts"] == datetime(2026, 1, 20, 9, 15, 2)
    assert first["host"] == "www.example.com"  # x-host-header, not the distribution's domain
    assert (first["path"], first["utm_source"], first["bytes"]) == ("/index.html", "news", 5210)
    assert first["duration_ms"] == 82.0  # CloudFront time-taken is seconds
    assert first["protocol"] == "HTTP/2.0"
    assert (first["browser"], first["device"]) == ("Chrome", "desktop")  # %20 decoded


IIS_FIELDS = "#Fields: date time c-ip cs-method cs-uri-stem sc-status cs(User-Agent) cs(Cookie)"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"


def test_several_spaces_and_quoted_values(tmp_path: Path) -> None:
    log = tmp_path / "incap.log"
    log.write_text("\n".join([
        "#Version: 1.0", IIS_FIELDS,
        f'2026-01-21 10:00:00 198.51.100.7 GET /a 200 "{FIREFOX}" "session=abc; theme=dark"',
        "2026-01-21 10:00:01  198.51.100.7 GET  /b 200 Mozilla/5.0+(X11;+Linux+x86_64;+rv:125.0)+Gecko/20100101+Firefox/125.0 -",
        '2026-01-21 10:00:02 198.51.100.8 GET /c 200 "say ""hi""" -',
    ]) + "\n")  # fmt: skip
    imp = import_logs(tmp_path, [log])
    assert (imp.count("hits"), imp.count("rejects")) == (3, 0), imp.rejects()
    assert [imp.hit(n)["path"] for n in (3, 4, 5)] == ["/a", "/b", "/c"]
    assert imp.hit(3)["browser"] == imp.hit(4)["browser"] == "Firefox"
    uas = {r[0] for r in imp.query("SELECT ua FROM user_agents")}
    assert uas == {FIREFOX, 'say "hi"'}


def _import_with_zone(tmp_path: Path, log: Path, zone: str) -> Path:
    db = tmp_path / "tz.duckdb"
    options = SiteOptions(ip_mode="full", country=False, timezone=zone)
    run_import(Settings(db_path=db, site_defaults=options), ImportRequest([str(log)], "s"))
    return db


def test_iis_advanced_logging_local_time_in_the_site_zone(tmp_path: Path) -> None:
    log = tmp_path / "advanced.log"
    log.write_text("\n".join([
        "#Fields: date-local time-local c-ip cs-method cs-uri-stem sc-status cs(User-Agent)",
        f"2026-01-22 10:00:00 203.0.113.9 GET / 200 {FIREFOX.replace(' ', '+')}",
        f"2026-07-22 00:30:00 203.0.113.9 GET / 200 {FIREFOX.replace(' ', '+')}",
    ]) + "\n")  # fmt: skip
    db = _import_with_zone(tmp_path, log, "Europe/Paris")
    # Paris is UTC+1 in January, UTC+2 in July (the second is the day before in UTC)
    assert query(db, "SELECT ts FROM hits ORDER BY ts") == [
        (datetime(2026, 1, 22, 9, 0),), (datetime(2026, 7, 21, 22, 30),)]  # fmt: skip


def test_utc_wins_when_both_times_are_logged(tmp_path: Path) -> None:
    log = tmp_path / "both.log"
    log.write_text("\n".join([
        "#Fields: date time date-local time-local c-ip cs-method cs-uri-stem sc-status",
        "2026-01-22 09:00:00 2026-01-22 10:00:00 203.0.113.9 GET / 200",
    ]) + "\n")  # fmt: skip
    db = _import_with_zone(tmp_path, log, "Europe/Paris")
    assert query(db, "SELECT ts FROM hits") == [(datetime(2026, 1, 22, 9, 0),)]


def test_shoutcast_c_status(tmp_path: Path) -> None:
    log = tmp_path / "sc_w3c.log"
    log.write_text("\n".join([
        "#Fields: c-ip c-dns date time cs-uri-stem c-status cs(User-Agent) sc-bytes x-duration avgbandwidth",
        "192.0.2.10 192.0.2.10 2026-01-23 12:00:00 /stream 200 WinampMPEG/5.66,+Ultravox/2.1 1048576 3600 2330",
    ]) + "\n")  # fmt: skip
    imp = import_logs(tmp_path, [log])
    hit = imp.hit(2)
    assert (hit["status"], hit["bytes"], hit["path"]) == (200, 1048576, "/stream")


def test_w3c_file_without_time_fails_alone_and_named(cli, tmp_path: Path, write_log) -> None:
    bad = tmp_path / "notime.log"
    bad.write_text("#Fields: c-ip cs-method cs-uri-stem sc-status\n198.51.100.1 GET / 200\n")
    good = tmp_path / "u_ex260124.log"
    good.write_text(f"{IIS_FIELDS}\n2026-01-24 10:00:00 198.51.100.7 GET /a 200 - -\n")
    db = tmp_path / "w.duckdb"
    result = cli("import", str(bad), str(good), "--db", str(db))
    assert result.code == 1
    err = " ".join(result.err.split())
    assert "notime.log" in err and "no time field" in err
    assert query(db, "SELECT count(*) FROM hits") == [(1,)]
