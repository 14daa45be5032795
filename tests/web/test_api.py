"""The JSON API against a live server: same numbers as the CLI, clear 400s, exports."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow.parquet as pq

from footfall.settings import Settings
from tests.web.conftest import Live, local_client, running

PERIOD = ["2026-03-02", "2026-03-04"]


def post_query(live: Live, body: dict, fmt: str = "json"):  # type: ignore[no-untyped-def]
    with live.client() as client:
        return client.post(f"/api/v1/query?format={fmt}", json=body)


def test_overview_report_equals_the_cli(cli, shop_db: Path) -> None:
    cli_json = cli("report", "overview", "--db", str(shop_db), "--site", "shop",
                   "--format", "json").json()  # fmt: skip
    with running(Settings(db_path=shop_db)) as url, local_client(url) as client:
        api = client.get("/api/v1/report/overview", params={"site": "shop", "period": "all"})
    assert api.status_code == 200, api.text
    for key in ("requests", "pageviews", "visitors", "visits", "bounce_rate", "bytes", "status"):
        assert api.json()[key] == cli_json[key]
    assert api.json()["visitors"] == 5


def test_query_with_dimension_filter_and_comparison(open_server: Live) -> None:
    answer = post_query(open_server, {
        "site": "shop", "metrics": ["visits", "pageviews"], "dimensions": ["visit:channel"],
        "filters": [["visit:channel", "is_not", ["Direct"]]], "date_range": PERIOD,
        "compare": "previous",
    })  # fmt: skip
    assert answer.status_code == 200, answer.text
    rows = {r["visit:channel"]: (r["visits"], r["pageviews"]) for r in answer.json()["rows"]}
    assert rows == {"Organic Search": (2, 4), "Email": (1, 2), "Organic Social": (1, 1)}
    assert answer.json()["comparison"]["period"] == {"from": "2026-02-27", "to": "2026-03-01"}


def test_time_series_over_the_api(open_server: Live) -> None:
    answer = post_query(open_server, {"site": "shop", "metrics": ["visitors"],
                                      "dimensions": ["time:day"], "date_range": PERIOD})  # fmt: skip
    assert [r["visitors"] for r in answer.json()["rows"]] == [2, 2, 1]


def test_meta_lists_definitions(open_server: Live) -> None:
    with open_server.client() as client:
        meta = client.get("/api/v1/meta").json()
    metrics = {m["name"]: m["doc"] for m in meta["metrics"]}
    assert "daily-salted hash" in metrics["visitors"]
    assert {d["name"] for d in meta["dimensions"]} >= {"visit:source", "event:page", "time:day"}


def test_bad_queries_get_400_and_change_nothing(open_server: Live) -> None:
    count = {"site": "shop", "metrics": ["requests"], "date_range": "all", "include_bots": True}
    before = post_query(open_server, count).json()["rows"]
    cases = [
        ({"site": "shop", "metrics": ["vistors"]}, "valid metrics: requests"),
        ({"site": "shop", "metrics": ["visits"], "dimensions": ["visit:colour"]}, "unknown dimension"),
        ({"site": "shop", "metrics": ["visits"], "limit": 10**9}, "limit must be between"),
        ({"site": "shop", "metrics": ["visits"], "hack": 1}, "unknown fields: hack"),
        ({"site": "shop", "metrics": ["visits"], "date_range": "forever"}, "unknown period"),
        ({"site": "nope", "metrics": ["visits"]}, "unknown site"),
        ({"site": "shop", "metrics": ["visits"],
          "filters": [["event:page", "matches", ["("]]]}, "invalid filter"),
    ]  # fmt: skip
    for body, message in cases:
        answer = post_query(open_server, body)
        assert answer.status_code == 400, (body, answer.text)
        assert message in answer.json()["error"], (body, answer.json())
    evil = post_query(open_server, {
        "site": "shop", "metrics": ["pageviews"], "date_range": PERIOD,
        "filters": [["event:page", "is", ["/'; DROP TABLE hits; --"]]],
    })  # fmt: skip
    assert evil.status_code == 200 and evil.json()["rows"] == [{"pageviews": 0}]
    with open_server.client() as client:
        not_json = client.post(
            "/api/v1/query", content=b"{nope", headers={"content-type": "application/json"}
        )
    assert not_json.status_code == 400
    assert post_query(open_server, count).json()["rows"] == before == [{"requests": 17}]


def test_exports(open_server: Live) -> None:
    body = {"site": "shop", "metrics": ["visits"], "dimensions": ["visit:entry_page"],
            "date_range": PERIOD, "order_by": [["visit:entry_page", "asc"]]}  # fmt: skip
    csv_answer = post_query(open_server, body, "csv")
    assert csv_answer.status_code == 200
    assert csv_answer.text.splitlines() == [
        "visit:entry_page,visits", "/,3", "/blog/one,1", "/pricing,1", "/signup,1",
    ]  # fmt: skip
    parquet = pq.read_table(io.BytesIO(post_query(open_server, body, "parquet").content))
    assert parquet.column("visits").to_pylist() == [3, 1, 1, 1]


def test_snippet_and_tracker_script_are_served(open_server: Live) -> None:
    with open_server.client() as client:
        snippet = client.get("/api/v1/snippet", params={"site": "shop"}).json()["snippet"]
        script = client.get("/js/footfall.js")
        assert client.get("/js/nothing.js").status_code == 404
    assert 'data-domain="shop"' in snippet and f"{open_server.url}/js/footfall.js" in snippet
    assert script.status_code == 200 and script.headers["content-type"].startswith(
        "text/javascript"
    )
    assert len(script.content) < 4096
