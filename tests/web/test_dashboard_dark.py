"""Dark mode, today's partial point, and the definition of visitors, in Chromium over
the demo (whose data stops yesterday: today is in the chart, and partial)."""

from __future__ import annotations

from typing import Any

from tests.web.test_dashboard_plan import browser, demo, loaded, open_page, shot  # noqa: F401

VIEW = "/?site=demo&period=7d"


def luminance(rgb: str) -> float:
    parts = [float(x) for x in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    lin = [(c / 255) / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4
           for c in parts]  # fmt: skip
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_kpi_cards_are_readable_in_dark_mode(demo: str, browser: Any) -> None:  # noqa: F811
    page = open_page(browser, demo, scheme="dark")
    page.goto(demo + VIEW)
    loaded(page)
    shot(page, "dark-desktop")
    pairs = page.evaluate("""() => [...document.querySelectorAll('#plan .kpi, #plan .kpi *')]
        .filter((n) => n.childNodes.length && [...n.childNodes].some((c) => c.nodeType === 3
                       && c.textContent.trim()))
        .map((n) => {
          let bg = 'rgba(0, 0, 0, 0)';
          for (let e = n; e && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg); e = e.parentElement)
            bg = getComputedStyle(e).backgroundColor;
          return [n.textContent.trim().slice(0, 30), getComputedStyle(n).color, bg];
        })""")
    assert pairs
    for text, color, background in pairs:
        assert contrast(color, background) >= 4.5, (text, color, background)


def test_today_is_marked_partial(demo: str, browser: Any) -> None:  # noqa: F811
    for width, scheme in ((1280, "light"), (390, "dark")):
        page = open_page(browser, demo, width=width, scheme=scheme)
        page.goto(demo + VIEW + "&interval=day")
        loaded(page)
        page.locator("#chart").screenshot(path=f"/tmp/footfall-shots/chart-{width}-{scheme}.png")
        dots = page.locator(".chart-svg circle.dot")
        assert dots.count() == 7
        assert "partial" in dots.nth(6).get_attribute("class")
        assert all("partial" not in dots.nth(i).get_attribute("class") for i in range(6))
        assert page.locator(".chart-svg path.line.partial").count() == 1  # the dashed segment
        assert "today so far" in page.locator(".chart-panel").inner_text()
        assert page.errors == []


def test_visitors_point_to_their_definition(demo: str, browser: Any) -> None:  # noqa: F811
    for width in (1280, 390):
        page = open_page(browser, demo, width=width)
        page.goto(demo + VIEW)
        loaded(page)
        doc = page.evaluate("""fetch('/api/v1/meta').then((r) => r.json())
            .then((m) => m.metrics.find((x) => x.name === 'visitors').doc)""")
        assert "GoAccess" in doc
        card = page.locator('.cards [data-metric="visitors"]')
        target = card.locator("[aria-describedby]").first.get_attribute("aria-describedby")
        note = page.locator(f"#{target}")
        assert note.is_visible() and doc in note.inner_text()
        marker = card.locator(".card-note")
        assert marker.is_visible()
        marker.click()  # on a phone there is no hover: the mark leads to the footnote
        assert note.is_visible()
        headers = page.locator("#panels .col-num", has_text="Visitors")
        assert headers.first.get_attribute("title") == doc
        funnel = page.locator("#plan-funnels th", has_text="Visitors").first
        assert funnel.get_attribute("title") == doc
        assert page.errors == []
