"""JSON logs with the keys of nginx's common `log_format ... escape=json` examples, and
`--json-keys` for any other keys (issue 12). Samples are hand-written; expected values
are read off them by hand."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from footfall.pipeline.importer import ImportRequest, run_import
from footfall.settings import Settings, SiteOptions
from tests.collect._support import Imported
from tests.conftest import CHROME, IPHONE, CliResult
from tests.web.conftest import local_client, running

Cli = Callable[..., CliResult]


def _import(workdir: Path, lines: list[dict[str, Any] | str], **site: Any) -> Imported:
    """Write ``lines`` (objects as JSON, strings as they are) and import them into a new
    database whose site keeps full IPs, in the time zone ``site`` may give."""
    log = workdir / "access.json.log"
    log.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))
    db = workdir / "t.duckdb"
    options = SiteOptions(ip_mode="full", country=False, **site)
    request = ImportRequest(inputs=[str(log)], site="s")
    return Imported(db, run_import(Settings(db_path=db, site_defaults=options), request))


def _counts(imp: Imported) -> tuple[str, str, int, int, int]:
    [s] = imp.report.sources
    return s.status, s.format, s.lines, s.stored, s.rejected


# The widely copied `log_format json_analytics escape=json` keys (nginx variable names).
NGINX_EXAMPLE: list[dict[str, Any] | str] = [
    {"time_iso8601": "2026-03-01T10:00:00+01:00", "remote_addr": "198.51.100.7",
     "request": "GET /pricing?utm_source=newsletter HTTP/1.1", "status": "200",
     "body_bytes_sent": "5120", "http_referer": "https://www.google.com/search?q=footfall",
     "http_user_agent": CHROME, "request_time": "0.120"},
    {"time_iso8601": "2026-03-01T10:00:01+01:00", "remote_addr": "198.51.100.7",
     "request": "GET /css/site.css HTTP/1.1", "status": "200", "body_bytes_sent": "800",
     "http_referer": "https://example.com/pricing", "http_user_agent": CHROME,
     "request_time": "0.002"},
    {"time_iso8601": "2026-03-01T10:05:00+01:00", "remote_addr": "2001:db8::9",
     "request": "POST /signup HTTP/2.0", "status": "302", "body_bytes_sent": "0",
     "http_referer": "", "http_user_agent": IPHONE, "request_time": "0.045"},
    '{"time_iso8601":"2026-03-01T10:06:00+01:00","remote_addr":"198.51',  # cut in half
]  # fmt: skip


def test_nginx_example_keys(tmp_path: Path) -> None:
    imp = _import(tmp_path, NGINX_EXAMPLE)
    assert _counts(imp) == ("imported", "json", 4, 3, 1)
    first = imp.hit(1)
    assert first["ts"] == datetime(2026, 3, 1, 9, 0, 0)  # +01:00 -> UTC
    assert first["ip"] == "198.51.100.7"
    assert (first["method"], first["path"], first["protocol"]) == ("GET", "/pricing", "HTTP/1.1")
    assert (first["status"], first["bytes"], first["utm_source"]) == (200, 5120, "newsletter")
    assert first["referrer"] == "https://www.google.com/search"
    assert first["duration_ms"] == pytest.approx(120.0)
    assert (first["browser"], first["kind"], first["is_pageview"]) == ("Chrome", "page", True)
    assert imp.hit(2)["kind"] == "asset"
    post = imp.hit(3)
    assert (post["ip"], post["method"], post["status"], post["bytes"]) == (
        "2001:db8::9", "POST", 302, 0,
    )  # fmt: skip
    assert (post["referrer"], post["device"]) == (None, "mobile")
    assert post["duration_ms"] == pytest.approx(45.0)
    [(line_no, _reason, _line)] = imp.rejects()
    assert line_no == 4


def test_short_keys_and_date_time_split(tmp_path: Path) -> None:
    """`date` + `time` (a `map` over $time_iso8601) in the site's zone, with the short
    names of other examples: ip, method + uri, code, length, referrer, agent, duration."""
    lines: list[dict[str, Any] | str] = [
        {"date": "2026-03-01", "time": "10:00:00", "ip": "203.0.113.5", "method": "GET",
         "uri": "/blog/post", "code": 200, "length": 4096, "referrer": "https://news.example/",
         "agent": CHROME, "duration": "0.250", "host": "www.example.com"},
        {"date": "2026-03-01", "time": "23:30:00.5", "ip": "203.0.113.6", "method": "HEAD",
         "uri": "/", "code": 404, "length": 0, "agent": IPHONE, "duration": "0.001",
         "host": "www.example.com"},
    ]  # fmt: skip
    imp = _import(tmp_path, lines, timezone="Europe/Berlin")  # UTC+1 in March
    assert _counts(imp) == ("imported", "json", 2, 2, 0)
    first = imp.hit(1)
    assert first["ts"] == datetime(2026, 3, 1, 9, 0, 0)
    assert (first["ip"], first["method"], first["path"]) == ("203.0.113.5", "GET", "/blog/post")
    assert (first["status"], first["bytes"], first["host"]) == (200, 4096, "www.example.com")
    assert (first["referrer"], first["browser"]) == ("https://news.example/", "Chrome")
    assert first["duration_ms"] == pytest.approx(250.0)
    second = imp.hit(2)
    assert second["ts"] == datetime(2026, 3, 1, 22, 30, 0, 500000)
    assert (second["method"], second["status"], second["bytes"]) == ("HEAD", 404, 0)


def test_precedence_and_request_holding_a_uri(tmp_path: Path) -> None:
    """When a line has several keys of a field, the earlier in the table wins; `request`
    holding only a URI is the path (with `request_method` for the method)."""
    lines: list[dict[str, Any] | str] = [
        {"time_iso8601": "2026-03-01T10:00:00+00:00", "time": "2026-03-01T12:00:00+00:00",
         "remote_addr": "198.51.100.1", "ip": "192.0.2.99", "request_method": "GET",
         "request": "/docs?utm_source=x", "status": 200, "code": 500,
         "body_bytes_sent": 10, "bytes": 99, "http_user_agent": CHROME, "agent": "curl/8"},
    ]  # fmt: skip
    imp = _import(tmp_path, lines)
    assert _counts(imp) == ("imported", "json", 1, 1, 0)
    hit = imp.hit(1)
    assert (hit["ts"], hit["ip"]) == (datetime(2026, 3, 1, 10, 0, 0), "198.51.100.1")
    assert (hit["method"], hit["path"], hit["utm_source"]) == ("GET", "/docs", "x")
    assert (hit["status"], hit["bytes"], hit["browser"]) == (200, 10, "Chrome")


# Keys no list guesses, some nested.
CUSTOM: list[dict[str, Any]] = [
    {"ts": "2026-03-01T08:00:00Z", "peer": "198.51.100.20",
     "req": {"verb": "GET", "target": "/shop?utm_source=ads", "ua": CHROME,
             "hdr": {"Referer": ["https://search.example/"]}},
     "res": {"code": 200, "size": 2048, "took": 0.5}},
    {"ts": "2026-03-01T08:01:00Z", "peer": "198.51.100.21",
     "req": {"verb": "GET", "target": "/missing", "ua": IPHONE, "hdr": {}},
     "res": {"code": 404, "size": 10, "took": 0.01}},
]  # fmt: skip
MAPPING = (
    "time=ts, client_ip=peer, method=req.verb, path=req.target, user_agent=req.ua,"
    "referrer=req.hdr.Referer[0], status=res.code, bytes=res.size, duration=res.took"
)


def _write(tmp_path: Path, lines: list[dict[str, Any]]) -> Path:
    log = tmp_path / "custom.log"
    log.write_text("".join(json.dumps(x) + "\n" for x in lines))
    return log


def _hits(db: Path, site: str) -> list[tuple[Any, ...]]:
    """Hits as the CLI stores them (its sites keep no IP addresses by default)."""
    return Imported(db, None).query(  # type: ignore[arg-type]
        "SELECT line_no, ts, method, path, status, bytes, referrer, duration_ms, browser "
        "FROM hits WHERE site = ? ORDER BY line_no",
        [site],
    )


EXPECTED_CUSTOM = [
    (1, datetime(2026, 3, 1, 8, 0), "GET", "/shop", 200, 2048, "https://search.example/", 500.0,
     "Chrome"),
    (2, datetime(2026, 3, 1, 8, 1), "GET", "/missing", 404, 10, None, 10.0, "Mobile Safari"),
]  # fmt: skip


def test_json_keys_map_custom_nested_keys(cli: Cli, tmp_path: Path) -> None:
    log, db = _write(tmp_path, CUSTOM), tmp_path / "f.duckdb"
    without = cli("import", str(log), "--db", str(db), "-q")
    assert without.code == 1
    assert "no key for status, request or path (name it with --json-keys)" in without.err
    done = cli("import", str(log), "--db", str(db), "--site", "full", "--json-keys", MAPPING)
    assert done.code == 0, done.err
    assert _hits(db, "full") == EXPECTED_CUSTOM


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("tme=ts", "error: --json-keys: unknown Footfall field 'tme'; fields: client_ip,"),
        ("time", "error: --json-keys: 'time' is not FIELD=KEY"),
        ("path=req..uri", "error: --json-keys: path='req..uri' is not a key path"),
        ("time=ts,time=at", "error: --json-keys: field 'time' is named twice"),
    ],
)
def test_bad_json_keys_exit_2_with_one_line(
    cli: Cli, tmp_path: Path, option: str, message: str
) -> None:
    log = _write(tmp_path, CUSTOM)
    result = cli("import", str(log), "--db", str(tmp_path / "f.duckdb"), "--json-keys", option)
    assert result.code == 2
    assert result.err.startswith(message), result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not (tmp_path / "f.duckdb").exists()  # refused before anything was opened


def test_json_keys_reach_a_running_server(cli: Cli, tmp_path: Path) -> None:
    """An import handed to `footfall serve` carries the mapping; a bad one is a 400."""
    db = tmp_path / "f.duckdb"
    first = _write(tmp_path, CUSTOM[:1])
    assert cli("import", str(first), "--db", str(db), "--json-keys", MAPPING, "-q").code == 0
    log = tmp_path / "more.log"
    log.write_text("".join(json.dumps(x) + "\n" for x in CUSTOM))
    with running(Settings(db_path=db)) as url, local_client(url) as client:
        done = cli("import", str(log), "--db", str(db), "--site", "full", "--json-keys", MAPPING)
        assert done.code == 0, done.err
        assert "importing through it" in done.err
        bad = client.post("/api/v1/imports", json={"paths": [str(log)], "site": "full",
                                                   "json_keys": {"tme": "ts"}})  # fmt: skip
        assert bad.status_code == 400
        assert "json_keys: unknown Footfall field 'tme'" in bad.text
        assert client.post("/api/v1/imports", json={"paths": [str(log)], "site": "full",
                                                     "json_keys": ["time=ts"]}).status_code == 400  # fmt: skip
    assert _hits(db, "full") == EXPECTED_CUSTOM
