"""Every headline metric on a hand-built log, against numbers computed by hand.

The log (UTC times, site hosts www.shop.test):

day 1, 2026-03-02
  A 10.0.0.1 Chrome   09:00:00 /            google  -> session A1 starts (Organic Search)
                      09:00:01 /static/app.css      asset
                      09:05:00 /pricing             pageview
                      09:20:00 /signup              pageview   A1: 3 views, 1200 s
                      09:21:00 POST /api/contact 201 other
                      10:00:00 /blog/one  (direct) 40 min gap -> A2: 1 view, bounce
  B 10.0.0.2 iPhone   09:10:00 /?utm_*=newsletter/email/spring -> B1 (Email)
                      09:10:30 /pricing 304         pageview   B1: 2 views, 30 s
                      09:11:00 /missing 404         not a pageview
  Googlebot           09:30:00 /robots.txt, 09:30:05 /         bot (ua:Googlebot)
  D 203.0.113.9 Chrome 09:40:00 /.env 404, 09:40:01 /          bot (behaviour:scanner-path)
day 2, 2026-03-03
  A again (new daily id) 08:00:00 / from t.co      -> bounce (Organic Social)
  E 10.0.0.5 Chrome   23:50:00 /pricing from bing  -> bounce (Organic Search)
                      23:55:00 /signup 500          other
day 3, 2026-03-04
  E again (new daily id) 00:05:00 /signup, internal referrer -> bounce (Direct)
plus one line that is not a log line (a reject).

people: pageviews 9, visitors 2+2+1 = 5, visits 6, bounces 4 (66.7 %),
        durations 1200+0+30+0+0+0 = 1230 s / 6 visits = 205.0 s
all:    requests 17, bytes 16,300, bots 4; status 200:12 304:1 404:2 201:1 500:1
with bots: visitors 7 (Googlebot and D each viewed /), visits 8
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import GOOGLEBOT, IPHONE, combined

SITE = "https://www.shop.test/"

LINES = [
    combined("10.0.0.1", "2026-03-02 09:00:00", "/", 200, 1000, "https://www.google.com/"),
    combined("10.0.0.1", "2026-03-02 09:00:01", "/static/app.css", 200, 500, SITE),
    combined("10.0.0.1", "2026-03-02 09:05:00", "/pricing", 200, 2000, SITE),
    combined("10.0.0.2", "2026-03-02 09:10:00",
             "/?utm_source=newsletter&utm_medium=email&utm_campaign=spring", 200, 1000, "-", IPHONE),
    combined("10.0.0.2", "2026-03-02 09:10:30", "/pricing", 304, 0, SITE, IPHONE),
    combined("10.0.0.2", "2026-03-02 09:11:00", "/missing", 404, 200, SITE, IPHONE),
    combined("10.0.0.1", "2026-03-02 09:20:00", "/signup", 200, 1500, SITE + "pricing"),
    combined("10.0.0.1", "2026-03-02 09:21:00", "/api/contact", 201, 50, SITE + "signup",
             method="POST"),
    combined("66.249.66.1", "2026-03-02 09:30:00", "/robots.txt", 200, 100, "-", GOOGLEBOT),
    combined("66.249.66.1", "2026-03-02 09:30:05", "/", 200, 1000, "-", GOOGLEBOT),
    "this is not a log line",
    combined("203.0.113.9", "2026-03-02 09:40:00", "/.env", 404, 150),
    combined("203.0.113.9", "2026-03-02 09:40:01", "/", 200, 1000),
    combined("10.0.0.1", "2026-03-02 10:00:00", "/blog/one", 200, 3000),
    combined("10.0.0.1", "2026-03-03 08:00:00", "/", 200, 1000, "https://t.co/abc"),
    combined("10.0.0.5", "2026-03-03 23:50:00", "/pricing", 200, 2000, "https://www.bing.com/"),
    combined("10.0.0.5", "2026-03-03 23:55:00", "/signup", 500, 300, SITE + "pricing"),
    combined("10.0.0.5", "2026-03-04 00:05:00", "/signup", 200, 1500, SITE + "pricing"),
]  # fmt: skip


@pytest.fixture
def shop(cli, write_log, db_path: Path) -> Path:
    log = write_log("shop.log", LINES)
    result = cli("import", str(log), "--db", str(db_path), "--site", "shop",
                 "--host", "www.shop.test", "--quiet")  # fmt: skip
    assert result.code == 0, result.err
    return db_path


def report(cli, db: Path, name: str, *args: str) -> dict:
    result = cli("report", name, "--db", str(db), "--format", "json", *args)
    assert result.code == 0, result.err
    return result.json()


def test_overview_matches_hand_computed_truth(cli, shop: Path) -> None:
    o = report(cli, shop, "overview")
    assert o["period"] == {"from": "2026-03-02", "to": "2026-03-04"}
    assert o["requests"] == 17
    assert o["bytes"] == 16_300
    assert o["bots"] == 4
    assert o["status"] == {"200": 12, "201": 1, "304": 1, "404": 2, "500": 1}
    assert o["pageviews"] == 9
    assert o["visitors"] == 5
    assert o["visits"] == 6
    assert o["bounce_rate"] == 66.7
    assert o["visit_duration"] == 205.0


def test_include_bots_counts_bots_as_visitors(cli, shop: Path) -> None:
    o = report(cli, shop, "overview", "--include-bots")
    assert o["visitors"] == 7
    assert o["visits"] == 8
    assert o["pageviews"] == 11
    assert o["requests"] == 17  # requests always include bots


def test_daily_unique_visitors(cli, shop: Path) -> None:
    series = report(cli, shop, "timeseries")
    by_day = {r["time:day"]: r for r in series["rows"]}
    assert {d: r["visitors"] for d, r in by_day.items()} == {
        "2026-03-02": 2, "2026-03-03": 2, "2026-03-04": 1,
    }  # fmt: skip
    assert {d: r["requests"] for d, r in by_day.items()} == {
        "2026-03-02": 13, "2026-03-03": 3, "2026-03-04": 1,
    }  # fmt: skip


def test_channels_and_entry_pages(cli, shop: Path) -> None:
    channels = {r["visit:channel"]: r["visits"] for r in report(cli, shop, "channels")["rows"]}
    assert channels == {"Direct": 2, "Organic Search": 2, "Email": 1, "Organic Social": 1}
    entries = {r["visit:entry_page"]: r["visits"] for r in report(cli, shop, "entry-pages")["rows"]}
    assert entries == {"/": 3, "/blog/one": 1, "/pricing": 1, "/signup": 1}


def test_campaigns(cli, shop: Path) -> None:
    rows = report(cli, shop, "campaigns")["rows"]
    assert rows == [{
        "visit:utm_campaign": "spring", "visit:utm_source": "newsletter",
        "visit:utm_medium": "email", "visits": 1, "pageviews": 2, "bounce_rate": 0.0,
    }]  # fmt: skip


def test_bots_are_explained(cli, shop: Path) -> None:
    rows = report(cli, shop, "bots")["rows"]
    found = {(r["event:bot_category"], r["event:bot_rule"]): r["requests"] for r in rows}
    assert found == {("search_engine", "ua:Googlebot"): 2, ("scanner", "behaviour:scanner-path"): 2}


def test_not_found_and_filters(cli, shop: Path) -> None:
    rows = report(cli, shop, "not-found", "--include-bots")["rows"]
    assert {r["event:page"]: r["requests"] for r in rows} == {"/missing": 1, "/.env": 1}
    o = report(cli, shop, "overview", "--filter", "visit:channel=Organic Search")
    assert (o["visits"], o["pageviews"], o["visitors"]) == (2, 4, 2)
    o = report(cli, shop, "overview", "--from", "2026-03-03", "--to", "2026-03-03")
    assert (o["requests"], o["visits"], o["visitors"]) == (3, 2, 2)


def test_rejects_are_kept_with_line_and_reason(cli, shop: Path) -> None:
    result = cli("rejects", "--db", str(shop))
    assert result.code == 0
    assert "shop.log" in result.out
    assert "11" in result.out  # line number of the bad line
    assert "this is not a log line" in result.out


def test_second_import_changes_nothing(cli, shop: Path, tmp_path: Path) -> None:
    before = report(cli, shop, "overview")
    again = cli("import", str(tmp_path / "shop.log"), "--db", str(shop), "--site", "shop")
    assert again.code == 0, again.err
    assert "unchanged" in again.err
    assert report(cli, shop, "overview") == before


def test_time_series_comparison_pairs_buckets_by_position(cli, shop: Path) -> None:
    rows = report(cli, shop, "timeseries", "--from", "2026-03-03", "--to", "2026-03-04",
                  "--compare", "previous")["rows"]  # fmt: skip
    # previous period: 03-01 (nothing) and 03-02 (2 visitors)
    assert [(r["time:day"], r["visitors"], r["visitors_previous"], r["visitors_change"])
            for r in rows] == [("2026-03-03", 2, 0, None), ("2026-03-04", 1, 2, -50.0)]  # fmt: skip


def test_filter_values_may_hold_operator_characters(cli, shop: Path) -> None:
    rows = report(cli, shop, "pages", "--filter", "event:page=/~nobody/")["rows"]
    assert rows == []
    rows = report(cli, shop, "pages")["rows"]
    assert all(r["pageviews"] > 0 for r in rows)  # no all-zero groups (assets, errors)
