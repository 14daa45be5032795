"""The tracker, loaded from a live Footfall server into a real browser, on a page
served from another loopback origin: pageviews (including pushState), an outbound
click and a custom event with revenue end up in the store with the right fields."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx

from footfall.settings import Settings
from tests.browser import chromium
from tests.conftest import CHROME
from tests.web.conftest import local_client, running
from tests.web.serve_process import loopback_http
from tests.web.test_collect import wait_until_moved

PAGE = """<!doctype html><html><head><title>Shop</title>
<script>window.footfall = window.footfall || function () {{ (window.footfall.q = window.footfall.q || []).push(arguments) }}</script>
<script defer data-domain="shop" data-allow-localhost src="{footfall}/js/footfall.js"></script>
</head><body><h1>Shop</h1>
<a id="out" href="http://127.0.0.2:9/elsewhere">elsewhere</a>
</body></html>"""


@contextmanager
def shop_pages(footfall: str) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = PAGE.format(footfall=footfall).encode()
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with loopback_http(Handler) as url:
        yield url


def test_tracker_events_reach_the_store(cli, db_path: Path) -> None:
    assert cli("site", "shop", "--db", str(db_path), "--host", "127.0.0.1").code == 0
    requests: list[str] = []
    with running(Settings(db_path=db_path)) as footfall, shop_pages(footfall) as shop:
        with chromium() as browser:
            # headless Chromium says "HeadlessChrome", which the bot rules catch: be a person
            page = browser.new_page(user_agent=CHROME)
            page.on("request", lambda r: requests.append(r.url))
            page.route("http://127.0.0.2:9/**", lambda route: route.fulfill(status=204))
            page.goto(f"{shop}/landing?utm_source=newsletter&utm_medium=email&utm_campaign=nov")
            page.wait_for_function("window.footfall && !window.footfall.q")
            page.evaluate("history.pushState({}, '', '/app/step2')")
            page.click("#out")
            page.evaluate(
                "footfall('Signup', {props: {plan: 'pro'}, revenue: {amount: 49, currency: 'EUR'}})"
            )
            time.sleep(0.5)
        with local_client(footfall, timeout=10) as client:
            wait_until_moved(client)
            rows = client.post("/api/v1/query", json={
                "site": "shop", "metrics": ["requests", "revenue"], "date_range": "7d",
                "dimensions": ["event:name", "event:page"],
            }).json()["rows"]  # fmt: skip
            channel = client.post("/api/v1/query", json={
                "site": "shop", "metrics": ["visits"], "date_range": "7d",
                "dimensions": ["visit:channel", "visit:utm_campaign"],
            }).json()["rows"]  # fmt: skip
    found = {(r["event:name"], r["event:page"]): (r["requests"], r["revenue"]) for r in rows}
    assert found == {
        ("pageview", "/landing"): (1, "0.0000"),
        ("pageview", "/app/step2"): (1, "0.0000"),
        ("Outbound Link: Click", "/app/step2"): (1, "0.0000"),
        ("Signup", "/app/step2"): (1, "49.0000"),
    }
    assert channel == [{"visit:channel": "Email", "visit:utm_campaign": "nov", "visits": 1}]
    hosts = {httpx.URL(u).host for u in requests}
    assert hosts <= {"127.0.0.1", "127.0.0.2"}
