"""The dashboard's first view asks for the headline first (issue 18).

In Chromium, against a live server: the overview is the first report the page requests,
the panels are requested only once it has answered, and the headline cards
(``[data-metric]``) have their values before any panel report is even asked for.
"""

from __future__ import annotations

from tests.browser import browser_or_skip, chromium
from tests.web.conftest import Live

#: Records when every headline card first has a data-value (ms since navigation start).
HEADLINE_WATCH = """
window.__headlineAt = null;
new MutationObserver(() => {
  if (window.__headlineAt !== null) return;
  const cards = document.querySelectorAll('[data-metric]');
  if (cards.length && [...cards].every((c) => c.hasAttribute('data-value'))) {
    window.__headlineAt = performance.now();
  }
}).observe(document, { subtree: true, childList: true, attributes: true });
"""
REPORTS_JS = """() => performance.getEntriesByType('resource')
  .filter((e) => e.name.includes('/api/v1/report/'))
  .map((e) => ({ name: new URL(e.name).pathname.split('/').pop(), start: e.startTime,
                 end: e.responseEnd }))"""


def test_headline_is_requested_and_shown_before_the_panels(open_server: Live) -> None:
    browser_or_skip()
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        try:
            page = context.new_page()
            page.add_init_script(HEADLINE_WATCH)
            page.goto(f"{open_server.url}/?site=shop&from=2026-03-02&to=2026-03-04")
            page.wait_for_selector("body[data-state=ready]", timeout=15_000)
            page.wait_for_load_state("networkidle")
            reports = sorted(page.evaluate(REPORTS_JS), key=lambda r: r["start"])
            headline_at = page.evaluate("window.__headlineAt")
        finally:
            context.close()

    assert reports, "no report was requested"
    assert reports[0]["name"] == "overview", [r["name"] for r in reports]
    overview = reports[0]
    panels = [r for r in reports[1:] if r["name"] not in ("overview", "timeseries")]
    assert panels, [r["name"] for r in reports]
    assert headline_at is not None, "the headline never got its values"
    for panel in panels:  # asked for only after the overview answered and was shown
        assert panel["start"] >= overview["end"], (panel, overview)
        assert panel["start"] >= headline_at, (panel, headline_at, reports)
