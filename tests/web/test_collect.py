"""The collection endpoint: Plausible's payload and Footfall's own are accepted and
stored through the same pipeline; bad, oversized and foreign events are refused
and nothing is stored from them."""

from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path

import httpx
import pytest

from footfall.settings import Settings
from footfall.store.database import Database
from tests.web.conftest import local_client, running

SITE_URL = "https://shop.example"
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"


@pytest.fixture
def tracked_db(cli, db_path: Path) -> Path:
    assert cli("site", "shop", "--db", str(db_path), "--host", "shop.example").code == 0
    return db_path


def stored(client: httpx.Client, metrics: list[str], **extra: object) -> list[dict]:
    body = {"site": "shop", "metrics": metrics, "date_range": "7d", "include_bots": True, **extra}
    answer = client.post("/api/v1/query", json=body)
    assert answer.status_code == 200, answer.text
    return answer.json()["rows"]


def wait_until_moved(client: httpx.Client, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not client.get("/api/v1/collect/stats").json()["waiting"]:
            time.sleep(1.2)  # the open segment is closed and imported on the next round
            if not client.get("/api/v1/collect/stats").json()["waiting"]:
                return
        time.sleep(0.2)
    raise AssertionError("events were not imported in time")


def test_plausible_and_footfall_events_are_stored(tracked_db: Path) -> None:
    with (
        running(Settings(db_path=tracked_db)) as url,
        local_client(url, timeout=10) as client,
    ):
        plausible = client.post("/api/event", headers={"user-agent": UA}, json={
            "name": "pageview", "url": f"{SITE_URL}/pricing?utm_source=news&utm_medium=email",
            "domain": "shop.example", "referrer": "https://www.google.com/",
        })  # fmt: skip
        assert plausible.status_code == 202, plausible.text
        own = client.post(
            "/api/event",
            headers={"user-agent": UA, "content-type": "text/plain", "origin": SITE_URL},
            content=b'{"n":"Signup","u":"https://shop.example/signup","d":"shop.example",'
            b'"p":{"plan":"pro"},"$":{"a":49.9,"c":"EUR"},"i":"abcdefgh12345678"}',
        )
        assert own.status_code == 202, own.text
        assert own.headers["access-control-allow-origin"] == SITE_URL
        wait_until_moved(client)
        rows = stored(client, ["pageviews", "events", "revenue"])
        assert rows == [{"pageviews": 1, "events": 1, "revenue": "49.9000"}]
        by_name = stored(client, ["requests"], dimensions=["event:name", "visit:channel"])
        # the signup joins the visit of the pageview before it, so it has that visit's channel
        assert {(r["event:name"], r["visit:channel"]) for r in by_name} == {
            ("pageview", "Email"), ("Signup", "Email")}  # fmt: skip


def test_bad_events_are_refused_and_nothing_is_stored(tracked_db: Path) -> None:
    good = {"n": "pageview", "u": f"{SITE_URL}/", "d": "shop.example"}
    cases = [
        (b"{not json", {}, 400),
        (b'{"n":"pageview","d":"shop.example"}', {}, 400),  # no url
        (b'{"n":"x","u":"ftp://shop.example/","d":"shop.example"}', {}, 400),
        (b'{"n":"x","u":"https://shop.example/","d":"shop.example","p":[1]}', {}, 400),
        (b'{"n":"x","u":"https://shop.example/","d":"shop.example","$":{"a":"lots","c":"EUR"}}', {}, 400),
        (b'{"n":"x","u":"https://shop.example/","d":"nobody.example"}', {}, 404),
        (b"x" * 20_000, {}, 413),
        (str(good).replace("'", '"').encode(), {"origin": "https://evil.example"}, 403),
    ]  # fmt: skip
    with (
        running(Settings(db_path=tracked_db)) as url,
        local_client(url, timeout=10) as client,
    ):
        for body, headers, status in cases:
            answer = client.post("/api/event", content=body, headers=headers)
            assert answer.status_code == status, (body[:60], answer.text)
            assert "error" in answer.json()
        stats = client.get("/api/v1/collect/stats").json()
        assert stats["counts"].get("accepted", 0) == 0
        assert sum(v for k, v in stats["counts"].items() if k.startswith("rejected")) == len(cases)
        wait_until_moved(client)
        assert stored(client, ["requests"]) == [{"requests": 0}]


def test_rate_limit_per_client(tracked_db: Path) -> None:
    settings = Settings(db_path=tracked_db, collect_rate=5.0)
    body = {"n": "pageview", "u": f"{SITE_URL}/", "d": "shop.example"}
    with running(settings) as url, local_client(url, timeout=10) as client:
        statuses = [client.post("/api/event", json=body).status_code for _ in range(40)]
    assert statuses.count(202) >= 20  # the burst
    assert statuses.count(429) > 0


def test_preflight_and_wrong_method(tracked_db: Path) -> None:
    with (
        running(Settings(db_path=tracked_db)) as url,
        local_client(url, timeout=10) as client,
    ):
        preflight = client.options("/api/event", headers={"origin": SITE_URL})
        assert preflight.status_code == 204
        assert preflight.headers["access-control-allow-origin"] == SITE_URL
        assert "content-type" in preflight.headers["access-control-allow-headers"]
        wrong = client.get("/api/event")
        assert wrong.status_code == 405 and "POST" in wrong.json()["error"]
        assert client.get("/healthz").status_code == 200  # other paths reach the app


def test_text_that_is_not_unicode_is_refused(tracked_db: Path) -> None:
    """A lone UTF-16 surrogate (valid JSON, no valid text) and NUL characters are refused
    with 400 and a message naming the field, never a 500, and nothing is stored."""
    cases = [
        (b'{"n":"pageview","u":"https://shop.example/\\ud800","d":"shop.example"}', "url"),
        (b'{"n":"pageview\\udfff","u":"https://shop.example/","d":"shop.example"}', "name"),
        (b'{"n":"x","u":"https://shop.example/","d":"shop.example","p":{"k\\ud83d":"v"}}', "props"),
        (b'{"n":"pageview","u":"https://shop.example/a\\u0000b","d":"shop.example"}', "url"),
        (b'{"n":"x","u":"https://shop.example/","d":"shop.example","r":"https://a.example/\\u0000"}', "referrer"),
        (b'{"n":"x","u":"https://shop.example/","d":"shop.example","p":{"k":"v\\u0000"}}', "props"),
        (b'{"n":"x","u":"https://shop.example/","d":"shop.example","props":"{\\"k\\":\\"\\\\ud800\\"}"}', "props"),  # Plausible: props as text
        (b'{"n":"x","u":"https://shop.example/","d":"shop.example","z\\ud800":1}', "a field"),  # never echoed
    ]  # fmt: skip
    with (
        running(Settings(db_path=tracked_db)) as url,
        contextlib.closing(local_client(url)) as client,
    ):
        for body, field in cases:
            answer = client.post("/api/event", content=body, headers={"user-agent": UA})
            assert answer.status_code == 400, (body, answer.text)
            error = answer.json()["error"]
            assert error.startswith(f"{field} ") and ("surrogate" in error or "NUL" in error)
        # a surrogate pair is one valid character: accepted
        pair = b'{"n":"pageview","u":"https://shop.example/\\ud83d\\ude00","d":"shop.example"}'
        assert client.post("/api/event", content=pair).status_code == 202
        wait_until_moved(client)
        assert stored(client, ["requests"]) == [{"requests": 1}]


#: Bodies exactly as @plausible-analytics/tracker 0.4.6 (the npm package, and the script
#: Plausible serves today, "v": 36) builds them: a hash-routed pageview, a custom event
#: with boolean and number props, revenue and "i": false, and the engagement event it
#: sends when the page is hidden (tests/fixtures/plausible/README.md).
NPM_TRACKER_BODIES = [
    b'{"n":"pageview","v":36,"u":"https://shop.example/app?utm_source=news#/pricing?tab=2",'
    b'"d":"shop.example","r":null,"h":1}',
    b'{"n":"Video Autoplay","v":36,"u":"https://shop.example/app#/pricing?tab=2",'
    b'"d":"shop.example","r":null,"p":{"plan":"pro","trial":true,"seats":3,"gone":null},'
    b'"i":false,"$":{"amount":15.99,"currency":"USD"},"h":1}',
    b'{"n":"engagement","sd":40,"d":"shop.example","u":"https://shop.example/app#/pricing?tab=2",'
    b'"p":{},"e":3000,"v":36,"h":1}',
    b'{"n":"pageview","v":36,"u":"https://shop.example/plain#top","d":"shop.example","r":null}',
]


def test_todays_plausible_tracker_is_stored(tracked_db: Path) -> None:
    """ "v" (script version), "i": false (non-interactive), "h": 1 (hash routing) and
    boolean props are what Plausible's current script sends: all accepted (202) and
    stored as Plausible stores them; the engagement event is answered, not stored."""
    with (
        running(Settings(db_path=tracked_db)) as url,
        local_client(url, timeout=10) as client,
    ):
        for body in NPM_TRACKER_BODIES:
            answer = client.post("/api/event", content=body,
                                 headers={"user-agent": UA, "origin": SITE_URL})  # fmt: skip
            assert answer.status_code == 202, (body[:50], answer.text)
        wait_until_moved(client)
        by_page = stored(client, ["requests"], dimensions=["event:name", "event:page"])
        sessions = stored(client, ["visits", "bounce_rate"])
    assert {(r["event:name"], r["event:page"]): r["requests"] for r in by_page} == {
        ("pageview", "/app#/pricing%3Ftab=2"): 1,  # hash mode: the fragment is the page
        ("Video Autoplay", "/app#/pricing%3Ftab=2"): 1,
        ("pageview", "/plain"): 1,  # no "h": the fragment is dropped
    }
    assert sessions == [{"visits": 1, "bounce_rate": 0}]
    with Database(Settings(db_path=tracked_db), read_only=True) as db:
        row = db.fetchone("SELECT props, revenue_amount, revenue_currency FROM hits "
                          "WHERE event_name = 'Video Autoplay'")  # fmt: skip
        utm = db.fetchone("SELECT utm_source FROM hits WHERE path = '/app#/pricing%3Ftab=2' "
                          "AND event_name = 'pageview'")  # fmt: skip
    assert row is not None and utm == ("news",)  # the query before '#' still counts
    assert json.loads(row[0]) == {"plan": "pro", "trial": "true", "seats": "3"}
    assert (str(row[1]), row[2]) == ("15.9900", "USD")


def test_footfall_trackers_of_before_still_work(tracked_db: Path) -> None:
    """A footfall.js cached from before the rename sends its event id as "i" and the
    pseudonymous id as "v", both strings: still stored, and a retried id once."""
    old = (b'{"n":"pageview","u":"https://shop.example/a","d":"shop.example","r":null,'
           b'"i":"k3v0q8a1m5d2tt7b","v":"person-0001"}')  # fmt: skip
    new = (b'{"n":"pageview","u":"https://shop.example/b","d":"shop.example","r":null,'
           b'"id":"k3v0q8a1m5d2tt7c","pid":"person-0001"}')  # fmt: skip
    with (
        running(Settings(db_path=tracked_db)) as url,
        local_client(url, timeout=10) as client,
    ):
        for body in (old, old, new, new):
            assert client.post("/api/event", content=body).status_code == 202
        wait_until_moved(client)
    with Database(Settings(db_path=tracked_db), read_only=True) as db:
        rows = db.fetchall("SELECT path, event_id, props FROM hits ORDER BY path")
    assert [(p, i, json.loads(props)) for p, i, props in rows] == [
        ("/a", "k3v0q8a1m5d2tt7b", {"$pid": "person-0001"}),
        ("/b", "k3v0q8a1m5d2tt7c", {"$pid": "person-0001"}),
    ]
