"""DuckDB allows one writing process per file: while the server owns the database,
`footfall import` hands the job to it; the API keeps answering during the import
and the new data appears when it ends."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import httpx

from footfall.demo.generator import DemoSpec, write_demo_log
from footfall.settings import Settings
from tests.conftest import FOOTFALL
from tests.web.conftest import local_client, running


def requests_of(client: httpx.Client, site: str) -> int:
    answer = client.post("/api/v1/query", json={"site": site, "metrics": ["requests"],
                                                "date_range": "all"})  # fmt: skip
    assert answer.status_code == 200, answer.text
    return int(answer.json()["rows"][0]["requests"])


def test_import_goes_through_the_server(shop_db: Path, tmp_path: Path) -> None:
    log = tmp_path / "live.log"
    write_demo_log(log, DemoSpec(days=5, daily_visitors=300))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOOTFALL_")}
    clean = tmp_path / "clean.duckdb"
    subprocess.run([FOOTFALL, "import", str(log), "--db", str(clean), "--site", "live", "-q"],
                   check=True, env=env)  # fmt: skip
    expected = int(subprocess.run(
        [FOOTFALL, "report", "overview", "--db", str(clean), "--format", "json"],
        check=True, env=env, capture_output=True, text=True,
    ).stdout.split('"requests": ', 1)[1].split(",", 1)[0])  # fmt: skip

    with (
        running(Settings(db_path=shop_db)) as url,
        local_client(url, timeout=10) as client,
    ):
        before = requests_of(client, "shop")
        proc = subprocess.Popen(
            [FOOTFALL, "import", str(log), "--db", str(shop_db), "--site", "live"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        slowest = 0.0
        answered = 0
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline and answered < 200:
            started = time.perf_counter()
            assert requests_of(client, "shop") == before  # other sites unaffected
            slowest = max(slowest, time.perf_counter() - started)
            answered += 1
            time.sleep(0.05)
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "importing through it" in err
        assert answered > 0 and slowest < 2.0  # the dashboard stayed responsive
        assert requests_of(client, "live") == expected  # new data visible once committed
