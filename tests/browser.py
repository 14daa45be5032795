"""Debian's chromium driven by Playwright (never a downloaded browser).

Tests that need it call ``browser_or_skip()``: they skip where chromium is
missing, unless FOOTFALL_REQUIRE_BROWSER is set (CI), where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip


def browser_or_skip() -> None:
    if not CHROMIUM.exists():
        if os.environ.get("FOOTFALL_REQUIRE_BROWSER"):
            pytest.fail("FOOTFALL_REQUIRE_BROWSER is set but /usr/bin/chromium is missing")
        pytest.skip("Debian's chromium is not installed (CI installs it)")


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    browser_or_skip()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
