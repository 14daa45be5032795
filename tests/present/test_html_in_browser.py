"""The single-file report opens in a real browser with no network request at all."""

from __future__ import annotations

from pathlib import Path

from tests.browser import chromium
from tests.test_metrics_truth import LINES


def test_report_opens_offline(cli, write_log, db_path: Path, tmp_path: Path) -> None:
    log = write_log("shop.log", LINES)
    assert cli("import", str(log), "--db", str(db_path), "--site", "shop", "-q").code == 0
    out = tmp_path / "report.html"
    result = cli("report", "html", "--db", str(db_path), "--out", str(out))
    assert result.code == 0, result.err
    requests: list[str] = []
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(out.as_uri())
        page.wait_for_load_state("networkidle")
        visitors = page.locator('[data-metric="visitors"]').first.get_attribute("data-value")
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert requests == [out.as_uri()]  # the file itself, nothing else
    assert visitors == "5"
