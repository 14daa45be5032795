"""Where does an import spend its time?  A per-stage profile of one `footfall import`.

Runs the real importer in this process on a generated combined log and times each
stage by wrapping the functions that do it (nothing in the package changes):

    read      reading and decompressing bytes, cutting newline-aligned chunks
    split     a chunk into numbered lines (Arrow)
    parse     lines -> typed fields, request kind, campaign columns (DuckDB)
    enrich    user agents, sources and channels, countries, salts (once per distinct value)
    write     visitor ids and the joins into a staged temp table
    flush     behaviour bots, sessions and the insert into `hits` / `sessions`
    commit    the transaction's COMMIT (DuckDB writes the row groups) and close

and, in the same run, two references: DuckDB's own reader splitting the same file
into fields (``read_csv``, or ``read_ndjson`` for JSON, with all cores: the floor of
this design) and GoAccess reading it.  ``--format`` picks the log: the same events as
combined, IIS W3C or nginx JSON lines, the cached files of bench_import.py.

    python bench/profile_import.py --lines 1000000 [--format combined|w3c|json]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import shutil
import subprocess
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb

from bench_import import FLOOR_SQL, GOACCESS_ARGS, ensure_log
from footfall.collect import sources
from footfall.demo.generator import BENCH_FORMATS
from footfall.pipeline import batch, finalize
from footfall.pipeline.importer import ImportRequest, run_import
from footfall.settings import Settings
from footfall.store import database

SECONDS: dict[str, float] = defaultdict(float)


def _timed(stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            SECONDS[stage] += time.perf_counter() - start

    return wrapper


def _timed_chunks(fn: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    def wrapper(*args: Any, **kwargs: Any) -> Iterator[Any]:
        chunks = fn(*args, **kwargs)
        while True:
            start = time.perf_counter()
            try:
                chunk = next(chunks)
            except StopIteration:
                SECONDS["read"] += time.perf_counter() - start
                return
            SECONDS["read"] += time.perf_counter() - start
            yield chunk

    return wrapper


#: The stage of each enrichment step of ``batch.ENRICH_STEPS`` that runs a pass of its
#: own; the other ``put_*`` steps are "enrich".
STEP_STAGES = {"parse": "parse", "write": "write"}


def _timed_steps(steps: tuple[batch.Step, ...]) -> tuple[batch.Step, ...]:
    return tuple(
        dataclasses.replace(s, run=_timed(STEP_STAGES.get(s.name, "enrich"), s.run))
        if s.run is not None
        else s
        for s in steps
    )


@contextlib.contextmanager
def instrumented() -> Iterator[None]:
    patches = [
        (sources, "read_chunks", _timed_chunks(sources.read_chunks)),
        (batch, "lines_table", _timed("split", batch.lines_table)),
        (batch, "ENRICH_STEPS", _timed_steps(batch.ENRICH_STEPS)),
        (finalize, "_finalize_days", _timed("flush", finalize._finalize_days)),
        (finalize, "flush", _timed("flush and commit", finalize.flush)),
        (database.Database, "close", _timed("commit", database.Database.close)),
    ]
    saved = []
    for owner, name, new in patches:
        saved.append((owner, name, getattr(owner, name)))
        setattr(owner, name, new)
    try:
        yield
    finally:
        for owner, name, old in reversed(saved):
            setattr(owner, name, old)


def duckdb_split_floor(log: Path, fmt: str) -> float:
    """DuckDB's multithreaded reader cutting the log into its fields (bench_import's SQL)."""
    start = time.perf_counter()
    con = duckdb.connect()
    con.execute(FLOOR_SQL[fmt], [str(log)]).fetchall()
    con.close()
    return time.perf_counter() - start


def goaccess_seconds(log: Path, out: Path, fmt: str) -> float | None:
    """GoAccess on the same file, the reference of bench_import.py (None: not installed)."""
    binary = shutil.which("goaccess")
    if binary is None:
        return None
    start = time.perf_counter()
    subprocess.run([binary, str(log), *GOACCESS_ARGS[fmt], "-o", str(out / "profile.json"),
                    "--no-progress", "--no-global-config"], check=True, capture_output=True)  # fmt: skip
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--format", choices=BENCH_FORMATS, default="combined")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    fmt = args.format
    log, _ = ensure_log(args.out, args.lines, args.seed, fmt)  # bench_import.py's cached file
    suffix = "" if fmt == "combined" else f"-{fmt}"
    db_path = args.out / f"profile-{args.lines}{suffix}.duckdb"
    for leftover in args.out.glob(f"{db_path.name}*"):
        if leftover.is_file():
            leftover.unlink()
    floor = min(duckdb_split_floor(log, fmt) for _ in range(3))
    goaccess = goaccess_seconds(log, args.out, fmt)
    settings = Settings(db_path=db_path)
    start = time.perf_counter()
    with instrumented():
        report = run_import(settings, ImportRequest([str(log)], "bench", format=fmt))
    total = time.perf_counter() - start
    # the transaction's COMMIT: what a flush costs beyond its days' statements
    SECONDS["commit"] += SECONDS.pop("flush and commit", 0.0) - SECONDS["flush"]
    measured = sum(SECONDS.values())
    stages = {**{k: round(v, 3) for k, v in SECONDS.items()}, "other": round(total - measured, 3)}
    source = report.sources[0]
    result = {"format": fmt, "lines": args.lines, "file": str(log), "stored": source.stored,
              "rejected": source.rejected, "total_s": round(total, 3),
              "stages_s": stages, "duckdb_split_floor_s": round(floor, 3),
              "ratio_to_floor": round(total / floor, 2),
              "goaccess_s": goaccess and round(goaccess, 3),
              "speed_vs_goaccess": goaccess and round(goaccess / total, 2)}  # fmt: skip
    print(json.dumps(result, indent=2))
    (args.out / f"profile_import{suffix}.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
