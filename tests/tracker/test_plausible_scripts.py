"""Plausible's own scripts, today's (@plausible-analytics/tracker 0.4.6) and an older one
(plausible-tracker 0.3.9), in Debian's Chromium, sending to a live Footfall.

Each script is served unchanged from ``tests/fixtures/plausible/`` by a loopback page
server; the pages point it at a Footfall server on another loopback port.  Each sends a
pageview (of a URL with a fragment, which does not count), a custom event with string,
boolean and number props, and, on a hash-routed page, a pageview before and after the
hash changes; the stored hits are read back.  Bounded: 4 or 5 events a script, 15 s waits.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import httpx
import pytest

from footfall.settings import Settings
from footfall.store.database import Database
from tests.browser import chromium
from tests.conftest import CHROME
from tests.web.conftest import local_client, running
from tests.web.serve_process import loopback_http
from tests.web.test_collect import wait_until_moved

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "plausible"
WAIT = 15.0

#: script -> the page's module: it imports the script, starts it (pageviews are automatic)
#: and sets window.custom(), a promise of the custom event's answer.  FOOTFALL and HASH
#: (true on the hash-routed page) are set by PAGE.
SETUP = {
    "npm-tracker-0.4.6": """
import { init, track } from "/plausible/npm-tracker-0.4.6/plausible.js";
window.__plausible = true;  // Playwright sets navigator.webdriver, which the script skips
init({domain: "shop", endpoint: FOOTFALL + "/api/event", hashBasedRouting: HASH,
      captureOnLocalhost: true, logging: false});
window.custom = () => new Promise((done) => track("Signup", {
    props: {plan: "pro", trial: true, seats: 3}, interactive: false,
    revenue: {amount: 15.99, currency: "USD"}, callback: done}));
""",
    "plausible-tracker-0.3.9": """
import Plausible from "/plausible/plausible-tracker-0.3.9/index.js";
const plausible = Plausible({domain: "shop", apiHost: FOOTFALL, hashMode: HASH,
                             trackLocalhost: true});
plausible.enableAutoPageviews();
window.custom = () => new Promise((done) => plausible.trackEvent("Signup", {
    props: {plan: "pro", trial: true, seats: 3}, callback: done}));
""",
}

#: pageviews a script sends for one hash change: 0.3.9 listens to both popstate and
#: hashchange, and Chromium fires both (Plausible would store both too)
HASH_VIEWS = {"npm-tracker-0.4.6": 1, "plausible-tracker-0.3.9": 2}

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>
<link rel="icon" href="data:,">
<script type="module">
const FOOTFALL = "{footfall}", HASH = {hash};
{setup}
window.ready = true;
</script></head><body><h1>Shop</h1></body></html>"""


@contextmanager
def pages(footfall: str, script: str) -> Iterator[str]:
    """/plain and /hash: a page with the script; /plausible/...: the vendored files."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if path.startswith("/plausible/"):
                file = (FIXTURES / path.removeprefix("/plausible/")).resolve()
                if not file.is_file() and file.with_suffix(".js").is_file():
                    file = file.with_suffix(".js")  # `import "./lib/tracker"`, as bundled
                if not file.is_relative_to(FIXTURES) or not file.is_file():
                    self.send_error(404)
                    return
                body, kind = file.read_bytes(), "text/javascript"
            elif path in ("/plain", "/hash"):
                html = PAGE.replace("{footfall}", footfall).replace("{setup}", SETUP[script])
                html = html.replace("{hash}", "true" if path == "/hash" else "false")
                body, kind = html.encode(), "text/html"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with loopback_http(Handler) as url:
        yield url


def wait_accepted(client: httpx.Client, count: int) -> dict[str, int]:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        counts = client.get("/api/v1/collect/stats").json()["counts"]
        if counts.get("accepted", 0) >= count:
            return counts
        time.sleep(0.1)
    raise AssertionError(f"Footfall did not accept {count} events in time: {counts}")


@pytest.mark.parametrize("script", sorted(SETUP))
def test_plausible_script_events_are_stored(script: str, cli, db_path: Path) -> None:
    assert cli("site", "shop", "--db", str(db_path), "--host", "127.0.0.1").code == 0
    sent: list[str] = []
    with (
        running(Settings(db_path=db_path)) as footfall,
        pages(footfall, script) as shop,
        local_client(footfall, timeout=10) as client,
        chromium() as browser,
    ):
        # headless Chromium says "HeadlessChrome", which the bot rules catch: be a person
        page = browser.new_page(user_agent=CHROME)
        page.on("request", lambda r: sent.append(r.url))
        page.goto(f"{shop}/plain?utm_source=news#section-2")
        page.wait_for_function("window.ready === true", timeout=WAIT * 1000)
        page.evaluate("window.custom()")  # resolves when the event was answered
        page.goto(f"{shop}/hash#/start")
        page.wait_for_function("window.ready === true", timeout=WAIT * 1000)
        wait_accepted(client, 3)
        page.evaluate("location.hash = '#/pricing?tab=2'")
        counts = wait_accepted(client, 3 + HASH_VIEWS[script])
        page.close()
        wait_until_moved(client)
        rows = client.post("/api/v1/query", json={
                "site": "shop", "metrics": ["requests"], "date_range": "7d",
                "dimensions": ["event:name", "event:page"],
            }).json()["rows"]  # fmt: skip
    assert not any(k.startswith("rejected") for k in counts), counts
    assert {(r["event:name"], r["event:page"]): r["requests"] for r in rows} == {
        ("pageview", "/plain"): 1,  # no hash routing: the fragment is not the page
        ("Signup", "/plain"): 1,
        ("pageview", "/hash#/start"): 1,  # hash routing: the fragment is the page
        ("pageview", "/hash#/pricing%3Ftab=2"): HASH_VIEWS[script],
    }
    with Database(Settings(db_path=db_path), read_only=True) as db:
        signup = db.fetchone("SELECT props, utm_source FROM hits WHERE event_name = 'Signup'")
        first = db.fetchone("SELECT utm_source FROM hits WHERE path = '/plain' "
                            "AND event_name = 'pageview'")  # fmt: skip
    assert signup is not None and json.loads(signup[0]) == {
        "plan": "pro", "trial": "true", "seats": "3"}  # fmt: skip
    assert first == ("news",)
    assert {httpx.URL(u).host for u in sent} == {"127.0.0.1"}  # nothing left the machine
