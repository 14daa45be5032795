"""Hostile or careless bodies get a clear 4xx, never a 500 (issue: edge inputs)."""

from __future__ import annotations

import json
import time
from pathlib import Path

from footfall.settings import Settings
from footfall.store.database import Database
from tests.test_metrics_truth import LINES
from tests.web.conftest import Live


def test_json_nested_thousands_deep_is_a_400(open_server: Live) -> None:
    deep = '{"site": "shop", "metrics": ["visits"], "x": ' + "[" * 5000 + "]" * 5000 + "}"
    with open_server.client() as client:
        answer = client.post("/api/v1/query", content=deep,
                             headers={"content-type": "application/json"})  # fmt: skip
        assert answer.status_code == 400 and "nested" in answer.json()["error"]


def test_a_form_encoded_csrf_field_on_a_json_route_is_a_4xx(open_server: Live) -> None:
    with open_server.client() as client:
        client.headers.pop("x-csrf-token")
        answer = client.post("/api/v1/query", data={"csrf": open_server.csrf, "site": "shop"})
        assert 400 <= answer.status_code < 500, answer.text


def test_bodies_that_are_not_objects_or_not_json(open_server: Live) -> None:
    with open_server.client() as client:
        for raw in ("[1, 2]", '"shop"', "{not json", ""):
            answer = client.post("/api/v1/query", content=raw,
                                 headers={"content-type": "application/json"})  # fmt: skip
            assert answer.status_code == 400, raw
        huge = client.post("/api/v1/query", content=b" " * (65 * 1024),
                           headers={"content-type": "application/json"})  # fmt: skip
        assert huge.status_code == 413


def test_hosts_given_as_text_are_one_host(open_server: Live, tmp_path: Path) -> None:
    log = tmp_path / "new.log"
    log.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    info = json.loads(Path(str(open_server.db_path) + ".server.json").read_text())
    owner = {"authorization": f"Bearer {info['secret']}"}
    with open_server.client(headers=owner) as client:
        job = client.post("/api/v1/imports", json={"paths": [str(log)], "site": "fresh",
                                                   "hosts": "www.fresh.test"})  # fmt: skip
        assert job.status_code == 202, job.text
        deadline = time.monotonic() + 60
        while (state := client.get(f"/api/v1/imports/{job.json()['id']}").json())["status"] in (
            "queued",
            "running",
        ):
            assert time.monotonic() < deadline
            time.sleep(0.2)
        assert state["status"] == "done", json.dumps(state)
        bad = client.post("/api/v1/imports", json={"paths": [str(log)], "hosts": [1, 2]})
        assert bad.status_code == 400 and "hosts" in bad.json()["error"]
    with Database(Settings(db_path=open_server.db_path), read_only=False) as db:
        hosts = db.fetchone("SELECT hosts FROM sites WHERE name = 'fresh'")
    assert hosts is not None and "www.fresh.test" in hosts[0] and "w" not in hosts[0]
