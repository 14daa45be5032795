"""The tracker's static promises: the served file fits 1 KiB gzipped, it was built from
the current source, and it has no way to store anything but reads the opt-out flag."""

from __future__ import annotations

import gzip
import re

import pytest

from tests.tracker.minify import (
    HEADER,
    MIN_HEADER,
    SHORT,
    SOURCES,
    TRACKER,
    digest,
    minified_name,
    split,
)

BUDGET = 1024  # bytes, gzip level 9
SERVED = [minified_name(s) for s in SOURCES]
ALL = [*SOURCES, *SERVED]


def read(name: str) -> str:
    return (TRACKER / name).read_text(encoding="utf-8")


def test_footfall_min_js_fits_one_kib_gzipped() -> None:
    data = (TRACKER / "footfall.min.js").read_bytes()
    size = len(gzip.compress(data, 9))
    assert size <= BUDGET, f"footfall.min.js is {size} bytes gzipped, the budget is {BUDGET}"


def test_timing_extension_is_small_too() -> None:
    data = (TRACKER / "footfall.timing.min.js").read_bytes()
    assert len(gzip.compress(data, 9)) <= BUDGET


@pytest.mark.parametrize("source", SOURCES)
def test_minified_file_is_built_from_the_current_source(source: str) -> None:
    recorded, body = split(read(source))
    assert recorded == digest(body), (
        f"{source} changed since it was minified: run `python -m tests.tracker.minify` "
        "(README.md says how)"
    )
    short, code = split(read(minified_name(source)), MIN_HEADER)
    assert short == digest(body)[:SHORT], f"{minified_name(source)} is stale: rebuild it"
    assert code.strip() and "\n" not in code.strip(), "the served file is one minified line"


@pytest.mark.parametrize("name", ALL)
def test_stores_nothing(name: str) -> None:
    code = read(name)
    if name in SOURCES:  # the readable sources say "cookieless" in their comments
        code = re.sub(r"^\s*//.*$", "", code, flags=re.MULTILINE)
    for banned in ("cookie", "setItem", "sessionStorage", "indexedDB", "caches."):
        assert banned not in code, f"{name} mentions {banned}"
    # the only use of localStorage is reading the opt-out flag
    assert re.findall(r"localStorage\.?\w*", code) in ([], ["localStorage.footfall_ignore"])


@pytest.mark.parametrize("name", SERVED)
def test_served_files_only_use_the_documented_names(name: str) -> None:
    code = read(name)
    assert not HEADER.match(code), "the served file carries the short header"
    for word in ("eval(", "XMLHttpRequest", "console."):
        assert word not in code


def test_readme_documents_the_snippet_and_every_body_key() -> None:
    readme = read("README.md")
    snippet = '<script defer data-domain="shop.example" src="https://HOST/js/footfall.js"></script>'
    assert snippet in readme
    queue = (
        "window.footfall = window.footfall || function () "
        "{ (window.footfall.q = window.footfall.q || []).push(arguments) }"
    )
    assert queue in readme
    for attribute in ("data-api", "data-allow-localhost", "data-hash"):
        assert f"`{attribute}`" in readme
    for key in ("n", "u", "d", "r", "p", "$", "id", "pid"):
        assert f"| `{key}` |" in readme
    for event in ("pageview", "Outbound Link: Click", "File Download", "Page Timing", "404"):
        assert event in readme
    assert "footfall_ignore" in readme
