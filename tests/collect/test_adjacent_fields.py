"""Path and query written with no separator (%U%q, $uri$is_args$args) still parse,
and a query string containing a second '?' keeps its UTM tags."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import query

APACHE = '%h %l %u %t "%m %U%q %H" %>s %b'
NGINX = '$remote_addr - [$time_local] "$request_method $uri$is_args$args $server_protocol" $status'


def test_apache_path_then_query(cli, write_log, db_path: Path) -> None:
    log = write_log("a.log", [
        '1.2.3.4 - - [10/Oct/2026:13:55:36 +0000] "GET /a/b?utm_source=news&x=1 HTTP/1.1" 200 12',
        '1.2.3.4 - - [10/Oct/2026:13:55:37 +0000] "GET /c HTTP/1.1" 200 7',
    ])  # fmt: skip
    result = cli("import", str(log), "--db", str(db_path), "--log-format", APACHE, "-q")
    assert result.code == 0, result.err
    rows = query(db_path, "SELECT path, utm_source, bytes FROM hits ORDER BY ts")
    assert rows == [("/a/b", "news", 12), ("/c", None, 7)]


def test_nginx_uri_is_args_args(cli, write_log, db_path: Path) -> None:
    log2 = write_log("n2.log", [
        '1.2.3.4 - [10/Oct/2026:13:55:36 +0000] "GET /x?utm_campaign=spring HTTP/1.1" 200',
    ])  # fmt: skip
    result = cli("import", str(log2), "--db", str(db_path), "--log-format", NGINX, "-q")
    assert result.code == 0, result.err
    assert query(db_path, "SELECT path, utm_campaign FROM hits") == [("/x", "spring")]


def test_utm_after_a_second_question_mark(cli, write_log, db_path: Path) -> None:
    line = ('1.2.3.4 - - [10/Oct/2026:13:55:36 +0000] "GET /login?next=/pay?x=1&utm_source=news '
            'HTTP/1.1" 200 5 "-" "curl/8.0"')  # fmt: skip
    log = write_log("q.log", [line])
    assert cli("import", str(log), "--db", str(db_path), "-q").code == 0
    assert query(db_path, "SELECT path, utm_source FROM hits") == [("/login", "news")]
