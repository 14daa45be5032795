"""An error log next to the access logs is skipped with a note, not a failed import."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import combined, query

NGINX_ERRORS = [
    '2026/03/02 10:00:01 [error] 1234#1234: *5 open() "/var/www/html/favicon.ico" failed '
    "(2: No such file or directory), client: 203.0.113.5, server: example.com, "
    'request: "GET /favicon.ico HTTP/1.1", host: "example.com"',
    "2026/03/02 10:05:00 [notice] 1233#1233: signal process started",
    "2026/03/02 10:07:12 [warn] 1234#1234: *9 an upstream response is buffered to a temporary "
    "file /var/cache/nginx/proxy_temp/1/00/0000000001 while reading upstream, client: "
    '203.0.113.6, server: example.com, request: "GET /report.pdf HTTP/1.1"',
]
APACHE_ERRORS = [
    "[Mon Mar 02 10:00:01.123456 2026] [core:error] [pid 4321:tid 140] [client 203.0.113.5:50412] "
    "AH00126: Invalid URI in request GET /%zz HTTP/1.1",
    "[Mon Mar 02 10:00:02.000001 2026] [mpm_event:notice] [pid 4320:tid 139] AH00489: "
    "Apache/2.4.62 (Debian) configured -- resuming normal operations",
]


def test_error_logs_in_a_directory_are_skipped(cli, tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "access.log").write_text(combined("192.0.2.1", "2026-03-02 10:00:00", "/") + "\n")
    (logs / "error.log").write_text("\n".join(NGINX_ERRORS) + "\n")
    (logs / "error_log").write_text("\n".join(APACHE_ERRORS) + "\n")
    db = tmp_path / "e.duckdb"
    result = cli("import", str(logs), "--db", str(db))
    assert result.code == 0, result.err
    err = " ".join(result.err.split())
    assert "error.log: an nginx error log, not an access log: skipped" in err
    assert "error_log: an Apache error log, not an access log: skipped" in err
    assert query(db, "SELECT count(*) FROM hits") == [(1,)]
    assert query(db, "SELECT count(*) FROM sources") == [(1,)]
