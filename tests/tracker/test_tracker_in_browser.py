"""The served tracker (footfall.min.js, footfall.timing.min.js) in Debian's Chromium.

A throwaway http.server on 127.0.0.1 serves small test pages and the scripts and records
every POST (its path, content type and JSON body), answering 202.  Links to other hosts
are answered by Playwright with 204 (the page stays; nothing leaves the machine).
Skipped without /usr/bin/chromium unless FOOTFALL_REQUIRE_BROWSER is set.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.browser import browser_or_skip, chromium
from tests.tracker.minify import TRACKER

DOMAIN = "shop.example"
SEARCH = "https://search.example/?q=shoes"
OUTBOUND = "http://127.0.0.2:1/x"
QUEUE = (
    "<script>window.footfall = window.footfall || function () "
    "{ (window.footfall.q = window.footfall.q || []).push(arguments) }</script>"
)
ID = re.compile(r"^[0-9A-Za-z_-]{16}$")
TIMEOUT = 5.0


@dataclass
class Site:
    """The test server: pages by path, and every POST it received."""

    origin: str = ""
    pages: dict[str, str] = field(default_factory=dict)
    posts: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def events(self) -> list[dict[str, Any]]:
        with self.lock:
            return [p["body"] for p in self.posts]

    def wait(self, check: Callable[[list[dict[str, Any]]], bool]) -> list[dict[str, Any]]:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if check(events := self.events()):
                return events
            time.sleep(0.02)
        raise AssertionError(f"timed out; received {self.events()}")

    def wait_for(self, name: str, count: int = 1) -> list[dict[str, Any]]:
        return [e for e in self.wait(lambda es: named(es, name) >= count) if e["n"] == name]


def named(events: list[dict[str, Any]], name: str) -> int:
    return sum(e["n"] == name for e in events)


def page_html(*, attrs: str = "data-allow-localhost", body: str = "", head: str = "") -> str:
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>t</title><link rel="icon" href="data:,">
{head}
<script defer data-domain="{DOMAIN}" {attrs} src="/js/footfall.js"></script>
</head><body>
<h1>A shop</h1><p>Some text that is the largest contentful paint of this page.</p>
<a id="out" href="{OUTBOUND}">elsewhere</a>
<a id="pdf" href="/files/report.pdf">report</a>
<a id="mail" href="mailto:shop@shop.example">mail</a>
{body}
</body></html>"""


def serve(site: Site) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            if path.startswith("/js/"):
                name = path.removeprefix("/js/").replace(".js", ".min.js")
                body, kind = (TRACKER / name).read_bytes(), "text/javascript"
            elif path in site.pages:
                body, kind = site.pages[path].encode(), "text/html; charset=utf-8"
            else:  # /files/report.pdf and the like: 204 keeps the page where it is
                self.send_response(204)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("content-type", kind)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            kind = self.headers.get("content-type")
            post = {"path": self.path, "type": kind, "body": json.loads(raw)}
            with site.lock:
                site.posts.append(post)
            self.send_response(202)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    return ThreadingHTTPServer(("127.0.0.1", 0), Handler)


@pytest.fixture(scope="module")
def server() -> Iterator[Site]:
    browser_or_skip()
    site = Site()
    httpd = serve(site)
    site.origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def browser(server: Site) -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def all_events() -> list[dict[str, Any]]:
    """Every event of the module, for the id check at the end."""
    return []


@pytest.fixture
def site(server: Site, all_events: list[dict[str, Any]]) -> Iterator[Site]:
    with server.lock:
        server.posts.clear()
        server.pages.clear()
    yield server
    all_events.extend(server.events())


@pytest.fixture
def page(browser: Any, site: Site) -> Iterator[Any]:
    context = browser.new_context()
    context.route("http://127.0.0.2:1/**", lambda route: route.fulfill(status=204))
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT * 1000)
    errors: list[str] = []
    tab.on("pageerror", lambda e: errors.append(str(e)))

    def loopback_only(request: Any) -> None:
        if not request.url.startswith(("http://127.0.0.", "data:", "mailto:")):
            errors.append(f"left the machine: {request.url}")

    tab.on("request", loopback_only)
    yield tab
    context.close()
    assert errors == []


def open_page(site: Site, page: Any, html: str, path: str = "/") -> None:
    site.pages[path.split("?")[0]] = html
    page.goto(site.origin + path, referer=SEARCH)
    page.wait_for_function("typeof window.footfall == 'function' && !window.footfall.q")


def nothing_sent(site: Site, page: Any) -> None:
    page.wait_for_load_state("networkidle")
    time.sleep(0.3)
    assert site.events() == []


def call(page: Any, name: str, options: dict[str, Any] | None = None) -> None:
    """window.footfall(name, options) in the page; returns once its callback ran."""
    page.evaluate(
        "([name, options]) => new Promise(done => window.footfall(name, {...options, callback: done}))",
        [name, options or {}],
    )


def test_pageview_on_load_and_the_queued_call_after_it(site: Site, page: Any) -> None:
    early = '<script>footfall("Early", {props: {from: "queue"}})</script>'
    open_page(site, page, page_html(head=QUEUE + early), "/shoes?colour=red")
    events = site.wait(lambda es: len(es) >= 2)  # sent in this order, may arrive in any
    (view,) = (e for e in events if e["n"] == "pageview")
    (early_event,) = (e for e in events if e["n"] == "Early")
    assert view["u"] == f"{site.origin}/shoes?colour=red"
    assert view["d"] == DOMAIN and view["r"] == SEARCH
    assert set(view) == {"n", "u", "d", "r", "id"} and ID.match(view["id"])
    assert early_event["p"] == {"from": "queue"}
    # sendBeacon with a string: text/plain, to the script's origin + /api/event
    assert {p["path"] for p in site.posts} == {"/api/event"}
    assert all(p["type"].startswith("text/plain") for p in site.posts)


def test_single_page_app_navigation(site: Site, page: Any) -> None:
    open_page(site, page, page_html())
    site.wait_for("pageview")
    page.evaluate("history.pushState({}, '', '/page2')")
    site.wait_for("pageview", 2)
    page.evaluate("history.pushState({}, '', '/page2')")  # same URL: no second pageview
    page.evaluate("location.hash = 'reviews'")  # hash only: no pageview
    page.evaluate("history.replaceState({}, '', '/page2?sort=price#reviews')")  # not a navigation
    call(page, "Sentinel")
    site.wait_for("Sentinel")
    views = [e["u"] for e in site.events() if e["n"] == "pageview"]
    assert views == [f"{site.origin}/", f"{site.origin}/page2"]
    page.go_back()  # popstate
    page.go_back()
    page.go_back()
    views = [e["u"] for e in site.wait_for("pageview", 3)]
    assert views[2] == f"{site.origin}/"
    assert all(e["r"] == SEARCH for e in site.events())


def test_hash_changes_count_with_data_hash(site: Site, page: Any) -> None:
    open_page(site, page, page_html(attrs="data-allow-localhost data-hash"))
    site.wait_for("pageview")
    page.evaluate("location.hash = '/cart'")
    assert site.wait_for("pageview", 2)[1]["u"] == f"{site.origin}/#/cart"


def test_outbound_link_click_lets_the_navigation_happen(site: Site, page: Any) -> None:
    open_page(site, page, page_html())
    with page.expect_request(OUTBOUND):
        page.click("#out")
    (event,) = site.wait_for("Outbound Link: Click")
    assert event["p"] == {"url": OUTBOUND} and event["u"] == f"{site.origin}/"
    page.click("#out", button="middle")  # opens a tab: auxclick
    site.wait_for("Outbound Link: Click", 2)
    page.click("#mail", button="right")  # context menu: nothing
    page.click("#mail")  # same host (none): not outbound
    call(page, "Sentinel")
    site.wait_for("Sentinel")
    assert named(site.events(), "Outbound Link: Click") == 2


def test_file_download(site: Site, page: Any) -> None:
    open_page(site, page, page_html())
    page.click("#pdf")
    (event,) = site.wait_for("File Download")
    assert event["p"] == {"url": f"{site.origin}/files/report.pdf"}


def test_custom_event_with_props_and_revenue(site: Site, page: Any) -> None:
    open_page(site, page, page_html())
    props = {"plan": "pro", "seats": 3, "none": None}
    signup = {"props": props, "revenue": {"amount": 49, "currency": "EUR"}}
    call(page, "Signup", signup)
    (event,) = site.wait_for("Signup")
    assert event["p"] == {"plan": "pro", "seats": "3"}
    assert event["$"] == {"a": 49, "c": "EUR"}
    call(page, "404", {"props": {"path": "/missing"}})
    assert site.wait_for("404")[0]["p"] == {"path": "/missing"}


def test_fetch_when_there_is_no_send_beacon(site: Site, page: Any) -> None:
    no_beacon = "Object.defineProperty(Navigator.prototype, 'sendBeacon', {value: undefined})"
    page.add_init_script(no_beacon)
    api = "/custom/collect"
    open_page(site, page, page_html(attrs=f'data-allow-localhost data-api="{api}"'))
    call(page, "Via fetch")
    site.wait_for("Via fetch")
    assert {p["path"] for p in site.posts} == {api}
    assert {p["type"] for p in site.posts} == {"text/plain"}


def test_opted_out_visitor_sends_nothing(site: Site, page: Any) -> None:
    page.add_init_script("localStorage.footfall_ignore = 'true'")
    early = '<script>footfall("Early")</script>'
    open_page(site, page, page_html(head=QUEUE + early))
    call(page, "Signup")  # the callback still runs
    page.click("#out")
    nothing_sent(site, page)


def test_localhost_is_not_tracked_by_default(site: Site, page: Any) -> None:
    open_page(site, page, page_html(attrs=""))
    call(page, "Signup")
    nothing_sent(site, page)


def test_page_timing_is_sent_once(site: Site, page: Any) -> None:
    button = (
        '<button id="slow" onclick="const t = performance.now(); '
        'while (performance.now() - t < 150) {}">slow</button>'
        '<script defer src="/js/footfall.timing.js"></script>'
    )
    open_page(site, page, page_html(body=button))
    site.wait_for("pageview")
    page.click("#slow")
    page.evaluate("history.pushState({}, '', '/next')")
    page.wait_for_timeout(100)  # let the event-timing entry be dispatched
    page.evaluate("dispatchEvent(new PageTransitionEvent('pagehide'))")
    (timing,) = site.wait_for("Page Timing")
    assert timing["u"] == f"{site.origin}/", "timed the page that loaded, not the SPA's next"
    props = timing["p"]
    assert set(props) <= {"ttfb", "lcp", "cls", "inp"}
    assert re.fullmatch(r"\d+", props["ttfb"])
    assert re.fullmatch(r"\d+", props["lcp"]) and int(props["lcp"]) >= int(props["ttfb"])
    assert re.fullmatch(r"\d+\.\d{3}", props["cls"])
    assert int(props["inp"]) >= 100
    page.goto("about:blank")  # a real pagehide and visibilitychange: no second event
    open_page(site, page, page_html())
    site.wait(lambda es: named(es, "pageview") >= 3)
    page.wait_for_timeout(200)
    assert named(site.events(), "Page Timing") == 1


def test_every_id_is_16_url_safe_chars_and_unique(
    site: Site, page: Any, all_events: list[dict[str, Any]]
) -> None:
    open_page(site, page, page_html())
    page.evaluate("for (let k = 0; k < 200; k++) footfall('Burst')")
    site.wait_for("Burst", 200)
    ids = [e["id"] for e in [*all_events, *site.events()]]
    assert all(ID.match(i) for i in ids)
    assert len(ids) == len(set(ids)) > 200
