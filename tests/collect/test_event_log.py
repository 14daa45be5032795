"""The write-ahead event log: an append returns only once its line is on disk, appends
from an event loop and from threads share fsyncs, and a crash leaves no partial line."""

from __future__ import annotations

import asyncio
import json
import threading
from pathlib import Path

import pytest

from footfall.collect.event_log import EventLog
from footfall.errors import StorageError


def lines_of(log: EventLog, site: str) -> list[dict[str, object]]:
    segments = log.closed_segments().get(site, [])
    return [json.loads(line) for p in segments for line in p.read_text().splitlines()]


def test_async_and_thread_appends_are_all_durable_once(tmp_path: Path) -> None:
    log = EventLog(tmp_path / "events")

    async def burst() -> None:
        await asyncio.gather(*(log.append_async("shop", {"n": i}) for i in range(300)))

    workers = [threading.Thread(target=log.append, args=("shop", {"n": 1000 + i}))
               for i in range(20)]  # fmt: skip
    for w in workers:
        w.start()
    asyncio.run(burst())
    for w in workers:
        w.join()
    log.close()
    stored = sorted(int(line["n"]) for line in lines_of(log, "shop"))  # type: ignore[call-overload]
    assert stored == [*range(300), *range(1000, 1020)]


def test_a_closed_log_refuses_appends(tmp_path: Path) -> None:
    log = EventLog(tmp_path / "events")
    log.append("shop", {"n": 1})
    log.close()
    with pytest.raises(StorageError, match="closed"):
        log.append("shop", {"n": 2})
    assert [line["n"] for line in lines_of(log, "shop")] == [1]


def test_recover_cuts_a_partial_last_line(tmp_path: Path) -> None:
    folder = tmp_path / "events" / "shop"
    folder.mkdir(parents=True)
    (folder / "00000000000000000001.open").write_bytes(b'{"n":1}\n{"n":2}\n{"n":')
    (folder / "00000000000000000002.open").write_bytes(b'{"n":')  # nothing complete
    log = EventLog(tmp_path / "events")
    try:
        assert [line["n"] for line in lines_of(log, "shop")] == [1, 2]
        assert not list(folder.glob("*.open"))
    finally:
        log.close()
