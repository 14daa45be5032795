"""A site fed by its access log and the tracker counts each pageview once, and a
report shows what each source saw: /a by both, /b by the tracker only (a cached
page the server never saw), /c by the log only (a visitor blocking scripts)."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from footfall.settings import Settings
from tests.conftest import CHROME, FOOTFALL
from tests.web.conftest import local_client, running
from tests.web.test_collect import wait_until_moved


def clf(when: datetime) -> str:
    return when.strftime("%d/%b/%Y:%H:%M:%S +0000")


def test_pageviews_seen_by_both_count_once(cli, db_path: Path, tmp_path: Path) -> None:
    assert cli("site", "shop", "--db", str(db_path), "--host", "shop.example").code == 0
    now = datetime.now(UTC).replace(microsecond=0)
    with (
        running(Settings(db_path=db_path)) as url,
        local_client(url, timeout=10) as client,
    ):
        for i, path in enumerate(("/a", "/b")):
            sent = client.post("/api/event", headers={"user-agent": CHROME}, json={
                "n": "pageview", "u": f"https://shop.example{path}", "d": "shop.example",
                "i": f"reconcile{i:07d}",
            })  # fmt: skip
            assert sent.status_code == 202
        log = tmp_path / "access.log"
        log.write_text("".join(
            f'127.0.0.1 - - [{clf(now + timedelta(seconds=s))}] "GET {p} HTTP/1.1" 200 100 "-" "{CHROME}"\n'
            for s, p in ((2, "/a"), (3, "/static/app.css"), (60, "/c"))
        ))  # fmt: skip
        env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTFALL_")}
        done = subprocess.run([FOOTFALL, "import", str(log), "--db", str(db_path), "--site", "shop",
                               "-q"], env=env, capture_output=True, text=True)  # fmt: skip
        assert done.returncode == 0, done.stderr
        wait_until_moved(client)
        answer = client.get(
            "/api/v1/report/reconciliation", params={"site": "shop", "period": "7d"}
        )
        overview = client.get("/api/v1/report/overview", params={"site": "shop", "period": "7d"})
    seen = {r["event:seen_by"]: r["pageviews"] for r in answer.json()["rows"]}
    assert seen == {"both": 1, "tracker": 1, "log": 1}
    assert overview.json()["pageviews"] == 3
    assert overview.json()["requests"] == 5  # 2 tracker events + 3 log lines, all kept
