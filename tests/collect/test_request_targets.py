"""Request lines as some clients and proxies send them, and hand-made spacing."""

from __future__ import annotations

from pathlib import Path

from tests.collect._support import import_logs
from tests.conftest import combined


def test_absolute_form_target_is_host_and_path(tmp_path: Path, write_log) -> None:
    log = write_log("access.log", [
        combined("192.0.2.1", "2026-03-03 10:00:00", "https://Www.Example.com:443/pricing?utm_source=x"),
        combined("192.0.2.1", "2026-03-03 10:00:01", "http://example.com"),
        combined("192.0.2.1", "2026-03-03 10:00:02", "/plain?a=b"),
    ])  # fmt: skip
    imp = import_logs(tmp_path, [log])
    first = imp.hit(1)
    assert (first["host"], first["path"], first["utm_source"]) == (
        "www.example.com",
        "/pricing",
        "x",
    )
    assert (imp.hit(2)["host"], imp.hit(2)["path"]) == ("example.com", "/")
    assert (imp.hit(3)["host"], imp.hit(3)["path"]) == (None, "/plain")


def test_two_spaces_between_fields(tmp_path: Path, write_log) -> None:
    lines = [combined("192.0.2.1", f"2026-03-03 10:00:0{i}", f"/p{i}") for i in range(5)]
    lines[2] = lines[2].replace(" - - [", " -  - [").replace('" 200 ', '"  200 ')
    imp = import_logs(tmp_path, [write_log("access.log", lines)])
    assert imp.formats() == ["combined"]
    assert (imp.count("hits"), imp.count("rejects")) == (5, 0)
    assert (imp.hit(3)["path"], imp.hit(3)["status"]) == ("/p2", 200)
