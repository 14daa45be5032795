"""AWS access logs: Application Load Balancer, Classic Load Balancer and S3.

Each sample is written by hand in the field order AWS documents for it; the
expected values are read off the lines.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tests.collect._support import Imported, import_logs

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0"
TG = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/shop/73e2d6bc24d8a067"
ALB_TAIL = (
    f'{TG} "Root=1-65f2c1a6-0123456789abcdef01234567" "shop.example.com" "-" 0 '
    '2026-03-14T09:15:02.074000Z "forward" "-" "-" "10.0.1.7:8080" "200" "-" "-" TID_0a1b2c'
)
OWNER = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"


def _rows(imported: Imported, fields: str) -> list[tuple[object, ...]]:
    sql = f"SELECT {fields} FROM hits LEFT JOIN user_agents u USING (ua_id) ORDER BY line_no"
    return imported.query(sql)


FIELDS = "line_no, ts, ip, method, path, status, bytes, host, u.ua, duration_ms"


def test_application_load_balancer(tmp_path: Path) -> None:
    log = tmp_path / "111122223333_elasticloadbalancing_eu-west-1_app.shop-lb.log"
    log.write_text("\n".join([
        "https 2026-03-14T09:15:02.123456Z app/shop-lb/50dc6c495c0c9188 203.0.113.10:51234 "
        "10.0.1.7:8080 0.001 0.048 0.000 200 200 412 5120 "
        f'"GET https://shop.example.com:443/pricing?utm_source=news HTTP/1.1" "{FIREFOX}" '
        f"ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {ALB_TAIL}",
        # no target answered: processing times are -1, target status and target are -
        "h2 2026-03-14T09:16:40.500000Z app/shop-lb/50dc6c495c0c9188 2001:db8::7:40112 - "
        '-1 -1 -1 503 - 120 326 "GET https://shop.example.com:443/cart HTTP/2.0" '
        f'"curl/8.5.0" TLS_AES_128_GCM_SHA256 TLSv1.3 {ALB_TAIL}',
        # an older line without the trailing fields is read too
        "http 2026-03-14T09:17:00.000001Z app/shop-lb/50dc6c495c0c9188 198.51.100.4:60001 "
        '10.0.1.8:8080 0.000 1.250 0.001 404 404 300 1024 '
        f'"GET http://shop.example.com:80/missing HTTP/1.1" "{FIREFOX}" - -',
        # a redirect rule answered, no target: -1 times
        "https 2026-03-14T09:17:30.000000Z app/shop-lb/50dc6c495c0c9188 203.0.113.11:50000 - "
        '-1 -1 -1 301 - 80 190 "GET https://shop.example.com:443/old HTTP/1.1" '
        f'"{FIREFOX}" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 {ALB_TAIL}',
        "https 2026-03-14T09:18:00.000000Z app/shop-lb/1 203.0.113.10:51234 - 0.1 0.1 0.1 "
        f'2xx 200 1 1 "GET https://shop.example.com:443/ HTTP/1.1" "{FIREFOX}" - -',
    ]) + "\n")  # fmt: skip
    imported = import_logs(tmp_path, [log])
    assert imported.formats() == ["aws_alb"]
    assert imported.count("hits") == 4
    assert _rows(imported, FIELDS) == [
        (1, datetime(2026, 3, 14, 9, 15, 2, 123456), "203.0.113.10", "GET", "/pricing", 200,
         5120, "shop.example.com", FIREFOX, 48.0),
        (2, datetime(2026, 3, 14, 9, 16, 40, 500000), "2001:db8::7", "GET", "/cart", 503,
         326, "shop.example.com", "curl/8.5.0", None),
        (3, datetime(2026, 3, 14, 9, 17, 0, 1), "198.51.100.4", "GET", "/missing", 404,
         1024, "shop.example.com", FIREFOX, 1250.0),
        (4, datetime(2026, 3, 14, 9, 17, 30), "203.0.113.11", "GET", "/old", 301, 190,
         "shop.example.com", FIREFOX, None),
    ]  # fmt: skip
    assert imported.query("SELECT utm_source FROM hits WHERE line_no = 1") == [("news",)]
    [(line_no, reason, _)] = imported.rejects()
    assert line_no == 5
    assert "$elb_status_code" in reason and '"2xx 200' in reason


def test_classic_load_balancer(tmp_path: Path) -> None:
    log = tmp_path / "111122223333_elasticloadbalancing_eu-west-1_shop-elb.log"
    log.write_text("\n".join([
        "2026-03-14T09:15:02.123456Z shop-elb 203.0.113.10:51234 10.0.1.7:80 0.000021 0.048 "
        '0.000018 200 200 0 5120 "GET http://shop.example.com:80/pricing HTTP/1.1" '
        f'"{FIREFOX}" - -',
        # the backend never answered: -1 and -, the ELB answered 504
        "2026-03-14T09:15:09.000000Z shop-elb 198.51.100.4:40022 - -1 -1 -1 504 - 0 0 "
        '"POST https://shop.example.com:443/checkout HTTP/1.1" "curl/8.5.0" '
        "ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2",
    ]) + "\n")  # fmt: skip
    imported = import_logs(tmp_path, [log])
    assert imported.formats() == ["aws_elb"]
    assert imported.count("rejects") == 0
    assert _rows(imported, FIELDS) == [
        (1, datetime(2026, 3, 14, 9, 15, 2, 123456), "203.0.113.10", "GET", "/pricing", 200,
         5120, "shop.example.com", FIREFOX, 48.0),
        (2, datetime(2026, 3, 14, 9, 15, 9), "198.51.100.4", "POST", "/checkout", 504, 0,
         "shop.example.com", "curl/8.5.0", None),
    ]  # fmt: skip


def test_s3_server_access_log(tmp_path: Path) -> None:
    tail = (
        "- Zm9vYmFyYmF6cXV4= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader "
        "shop-assets.s3.eu-west-1.amazonaws.com TLSv1.2 - -"
    )
    log = tmp_path / "2026-03-14-09-20-11-0123456789ABCDEF"
    log.write_text("\n".join([
        f"{OWNER} shop-assets [14/Mar/2026:09:15:02 +0000] 203.0.113.10 - 3E57427F33A59F07 "
        'REST.GET.OBJECT img/logo.png "GET /img/logo.png HTTP/1.1" 200 - 2048 2048 12 10 '
        f'"https://shop.example.com/pricing" "{FIREFOX}" {tail}',
        # a miss: no bytes (-), an error code, times still logged
        f"{OWNER} shop-assets [14/Mar/2026:10:15:02 +0100] 198.51.100.4 - 4F68538A44B60A18 "
        'REST.GET.OBJECT img/gone.png "GET /img/gone.png HTTP/1.1" 404 NoSuchKey - - 3 - '
        f'"-" "aws-cli/2.15.0" {tail}',
        # an older line that ends at the user agent
        f"{OWNER} shop-assets [14/Mar/2026:09:30:00 +0000] 203.0.113.10 - 5A79649B55C71B29 "
        'REST.HEAD.OBJECT img/logo.png "HEAD /img/logo.png HTTP/1.1" 200 - - 2048 - - '
        f'"-" "{FIREFOX}"',
    ]) + "\n")  # fmt: skip
    imported = import_logs(tmp_path, [log])
    assert imported.formats() == ["aws_s3"]
    assert imported.count("rejects") == 0
    assert _rows(imported, FIELDS + ", referrer") == [
        (1, datetime(2026, 3, 14, 9, 15, 2), "203.0.113.10", "GET", "/img/logo.png", 200, 2048,
         "shop-assets", FIREFOX, 12.0, "https://shop.example.com/pricing"),
        (2, datetime(2026, 3, 14, 9, 15, 2), "198.51.100.4", "GET", "/img/gone.png", 404, 0,
         "shop-assets", "aws-cli/2.15.0", 3.0, None),
        (3, datetime(2026, 3, 14, 9, 30), "203.0.113.10", "HEAD", "/img/logo.png", 200, 0,
         "shop-assets", FIREFOX, None, None),
    ]  # fmt: skip
