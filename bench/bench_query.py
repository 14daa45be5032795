"""Benchmark the dashboard's queries through the real server on a big generated dataset.

Usage::

    python bench/bench_query.py [--events 10000000] [--days 90] [--repeat 20] [--out bench/out]
    python bench/bench_query.py --events 100000000 --repeat 10     # the 100M-hit store

Targets (issue 18): on 10M stored hits over 90 days, on 2 cores, every dashboard report over
30 days p50 <= 10x and p95 <= 20x the ``count(*)`` floor of the same range, measured in the
same run; the dashboard's first view in Chromium at most half of issue 18's 3.6 s (shown
next to the ``/healthz`` floor of the same run); from 50M hits (the 100M store), p50 <= 1 s
for every report.  See bench/README.md for how the dataset is built (daily rollups
included) and what each figure means.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import httpx
import psutil
import uvicorn
from rich.console import Console
from rich.markup import escape
from rich.table import Table

import footfall
from bench_import import ensure_log, footfall_cmd
from footfall.settings import Settings
from footfall.vocabulary.periods import preset_range, today_in, utc_bounds
from footfall.web.app import create_app
from footfall.web.guard import WebContext
from footfall.web.server import build, shutdown

HERE = Path(__file__).resolve().parent

console = Console()
if not console.is_terminal:  # piped / CI logs: do not squeeze the tables into 80 columns
    console = Console(width=140)
MIB = 1024 * 1024
SITE = "bench"
PERIOD = "30d"
#: Reports, against the count(*) floor of the same range in the same run (issue 18).
TARGET_P50_X = 10.0
TARGET_P95_X = 20.0
#: From this many hits on (the "100M" store), the target is absolute: p50 <= 1 s.
LARGE_EVENTS = 50_000_000
TARGET_LARGE_P50_MS = 1000.0
#: The first view in Chromium that issue 18 measured; the target is half of it.
BASELINE_FIRST_VIEW_MS = 3600.0
#: Bytes a stored hit takes in a built dataset (measured: ~44 at 10M); with the copy being
#: built next to the old one and DuckDB's spill files, a build needs about twice that.
BYTES_PER_HIT_ESTIMATE = 48
BROWSER_WORKERS = 6  # a browser's connections per host (HTTP/1.1)
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
BROWSER_RUNS = 5
BUILD_MEMORY_LIMIT = "2GB"  # building only; the server runs with Footfall's default (512 MB)
#: Modules whose changes change what an import stores: a stored dataset is rebuilt then.
#: ``store`` holds ``rollups.py`` (the cubes' design): a changed cube rebuilds the dataset.
DATA_MODULES = ("collect", "enrich", "pipeline", "store")

#: (report, extra query parameters): the overview and every panel the dashboard shows.
PANELS = ("pages", "entry-pages", "exit-pages", "sources", "channels", "referrers", "campaigns",
          "devices", "browsers", "os", "countries", "status", "not-found", "bots")  # fmt: skip
REPORTS: tuple[tuple[str, dict[str, str]], ...] = (
    ("overview", {"compare": "previous"}),
    ("timeseries", {"interval": "day"}),
    *((name, {"limit": "10"}) for name in PANELS),
)
#: What dashboard.js asks for on a first view without a comparison: meta and sites, then the
#: overview alone; once it has answered, the chart, the first tab of each panel, the plan and
#: the snippet at once.
DASHBOARD_TABS = ("pages", "sources", "devices", "countries", "status", "bots")
OVERVIEW_KEYS = ("requests", "pageviews", "visits", "visitors", "bots")


# --------------------------------------------------------------------------- figures


def percentile(values: list[float], q: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


@dataclass
class Timing:
    """Samples (milliseconds) of one measured thing, and its verdict against the target."""

    name: str
    kind: str  # report | floor | first_view
    target: str = ""
    samples: list[float] = field(default_factory=list)
    warmup: list[float] = field(default_factory=list)
    error: str = ""
    note: str = ""
    met: bool | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def p50(self) -> float | None:
        return percentile(self.samples, 50)

    @property
    def p95(self) -> float | None:
        return percentile(self.samples, 95)

    @property
    def max(self) -> float | None:
        return max(self.samples) if self.samples else None

    def ratios(self, ref: float | None) -> tuple[float | None, float | None]:
        """p50 and p95 divided by a reference's p50 (None when not measurable)."""
        if not ref:
            return None, None
        p50, p95 = self.p50, self.p95
        return (None if p50 is None else p50 / ref), (None if p95 is None else p95 / ref)

    def judge_ratio(self, ref: float | None, p50_x: float, p95_x: float) -> None:
        """Met if p50 <= p50_x and p95 <= p95_x times the reference's p50."""
        p50_r, p95_r = self.ratios(ref)
        if self.error or p50_r is None or p95_r is None:
            self.met = None
            return
        self.met = p50_r <= p50_x and p95_r <= p95_x

    def judge(self, p50_limit: float | None, p95_limit: float | None) -> None:
        if self.error or not self.samples:
            self.met = None
            return
        ok = True
        if p50_limit is not None:
            ok = ok and self.p50 is not None and self.p50 <= p50_limit
        if p95_limit is not None:
            ok = ok and self.p95 is not None and self.p95 <= p95_limit
        self.met = ok

    def as_json(self, floor: float | None, ref_name: str = "floor") -> dict[str, object]:
        p50 = self.p50
        p50_r, p95_r = self.ratios(floor)
        return {
            "name": self.name,
            "kind": self.kind,
            "n": len(self.samples),
            "p50_ms": _r(p50),
            "p95_ms": _r(self.p95),
            "max_ms": _r(self.max),
            "p50_over_floor": _r(p50_r, 2),
            "p95_over_floor": _r(p95_r, 2),
            "ratio_reference": ref_name if floor else None,
            "target": self.target or None,
            "met": self.met,
            "error": self.error or None,
            "note": self.note or None,
            "samples_ms": [_r(s) for s in self.samples],
            "warmup_ms": [_r(s) for s in self.warmup],
            **self.extra,
        }


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


# --------------------------------------------------------------------------- dataset


@dataclass
class Dataset:
    db: Path
    meta: dict[str, Any]
    reused: bool
    build_seconds: float


def _fingerprint(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(f"{path.parent.name}/{path.name}".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _data_fingerprint() -> str:
    """Footfall's import code (parsing, enrichment, storage, schema)."""
    pkg = Path(footfall.__file__).parent
    files = [p for d in DATA_MODULES for p in (pkg / d).glob("*.py")]
    files.append(pkg / "settings.py")
    return _fingerprint(files)


def _rollups_fingerprint() -> str | None:
    """The cubes' design alone (also in ``_data_fingerprint``; kept apart in the .meta so a
    rebuild for a changed cube shows)."""
    path = Path(footfall.__file__).parent / "store" / "rollups.py"
    return _fingerprint([path]) if path.exists() else None


def _read_meta(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_meta(path: Path, meta: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(meta, indent=2) + "\n")
    tmp.replace(path)


def _remove_db(db: Path) -> None:
    for p in (db, db.with_name(db.name + ".wal")):
        p.unlink(missing_ok=True)
    for suffix in (".tmp", ".events"):  # spill directory, the server's event log
        shutil.rmtree(db.with_name(db.name + suffix), ignore_errors=True)


@dataclass(frozen=True)
class PlanRow:
    target: dt.date
    src: dt.date
    k: int  # mixed into every copied id: each (target day, layer) is a distinct population
    keep_ppm: int  # share of the source day's visitors copied, in millionths


def plan_copies(counts: dict[dt.date, int], events: int, days: int, end: dt.date) -> list[PlanRow]:
    """Which stored days fill which target days so that there are ~`events` hits in all.

    Each target day gets L "layers": whole source days of the same weekday (so weekly
    seasonality survives), rotated from week to week, plus a share of one more source day
    (sampled by visitor, so visits stay whole).  L is the same for every day and is found by
    bisection so that the expected total is `events`.  The first and last stored days are
    left out: the log starts and stops mid-day.
    """
    stored = sorted(counts)
    full = stored[1:-1] if len(stored) > 2 else stored
    by_weekday = {wd: [d for d in full if d.weekday() == wd] for wd in range(7)}
    targets = [end - dt.timedelta(days=days - 1 - i) for i in range(days)]

    def sources(i: int, t: dt.date, layers: float) -> list[tuple[dt.date, int, float]]:
        cands = by_weekday[t.weekday()] or full
        whole = math.floor(layers)
        part = layers - whole
        out = []
        for j in range(whole + (1 if part > 0 else 0)):
            src = cands[(t.toordinal() // 7 + j) % len(cands)]
            out.append((src, i * 10_000 + j, 1.0 if j < whole else part))
        return out

    def expected(layers: float) -> float:
        return sum(
            counts[src] * keep
            for i, t in enumerate(targets)
            for src, _, keep in sources(i, t, layers)
        )

    lo, hi = 0.0, 1.0
    while expected(hi) < events:
        hi *= 2
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if expected(mid) < events else (lo, mid)
    plan = []
    for i, t in enumerate(targets):
        for src, k, keep in sources(i, t, hi):
            plan.append(PlanRow(t, src, k, round(keep * 1_000_000)))
    return plan


def _copy_sql(con: duckdb.DuckDBPyConnection, table: str, overrides: dict[str, str]) -> str:
    """INSERT INTO main.<table> SELECT every column of base.<table>, some rewritten, for one
    target day (``$target``), in time order."""
    columns = [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = 'base' "
            "AND schema_name = 'main' AND table_name = ? ORDER BY column_index",
            [table],
        ).fetchall()
    ]
    exprs = [f"{overrides.get(c, 'x.' + c)} AS {c}" for c in columns]
    order = columns.index("ts" if table == "hits" else "start_ts") + 1
    return (
        f"INSERT INTO main.{table} ({', '.join(columns)}) "
        f"SELECT {', '.join(exprs)} FROM base.main.{table} x JOIN _plan p ON x.day = p.src "
        "WHERE p.target = $target AND x.site = $site "
        "AND (p.keep_ppm >= 1000000 OR hash(x.visitor_id, p.k, 'keep') % 1000000 < p.keep_ppm) "
        f"ORDER BY {order}"
    )


SHIFTED = {
    "day": "x.day + p.shift",
    "visitor_id": "hash(x.visitor_id, p.k)",
    "session_id": "CASE WHEN x.session_id IS NULL THEN NULL ELSE hash(x.session_id, p.k) END",
    "event_id": "CASE WHEN x.event_id IS NULL THEN NULL ELSE x.event_id || '-' || p.k END",
}
HIT_OVERRIDES = {**SHIFTED, "ts": "x.ts + to_days(p.shift)"}
SESSION_OVERRIDES = {
    **SHIFTED,
    "start_ts": "x.start_ts + to_days(p.shift)",
    "end_ts": "x.end_ts + to_days(p.shift)",
}


def replicate(base: Path, target: Path, events: int, days: int, end: dt.date) -> None:
    """Fill `target` (a copy of `base`) with ~`events` hits over `days` days ending `end`,
    copied in SQL from the hits and sessions that `footfall import` stored in `base`."""
    config = {"memory_limit": BUILD_MEMORY_LIMIT, "temp_directory": str(target) + ".tmp"}
    con = duckdb.connect(str(target), config=config)
    try:
        con.execute("SET TimeZone = 'UTC'")
        con.execute(f"ATTACH '{base}' AS base (READ_ONLY)")
        counts = dict(
            con.execute(
                "SELECT day, count(*) FROM base.main.hits WHERE site = ? GROUP BY day", [SITE]
            ).fetchall()
        )
        if len(counts) < 3:
            raise SystemExit(f"{base}: only {len(counts)} stored days, need at least 3")
        plan = plan_copies(counts, events, days, end)
        con.execute(
            "CREATE TEMP TABLE _plan (target DATE, src DATE, shift INTEGER, k INTEGER, "
            "keep_ppm INTEGER)"
        )
        con.executemany(
            "INSERT INTO _plan VALUES (?, ?, ?, ?, ?)",
            [(r.target, r.src, (r.target - r.src).days, r.k, r.keep_ppm) for r in plan],
        )
        for table in ("hits", "sessions", "salts"):
            con.execute(f"DELETE FROM main.{table} WHERE site = ?", [SITE])
        copy_hits = _copy_sql(con, "hits", HIT_OVERRIDES)
        copy_sessions = _copy_sql(con, "sessions", SESSION_OVERRIDES)
        targets = sorted({r.target for r in plan})
        started = time.perf_counter()
        for n, day in enumerate(targets, 1):
            params = {"target": day, "site": SITE}
            con.execute("BEGIN TRANSACTION")
            con.execute(copy_hits, params)
            con.execute(copy_sessions, params)
            con.execute(
                "INSERT INTO main.salts VALUES ($site, $target, md5('bench-query:' || $target))",
                params,
            )
            con.execute("COMMIT")
            if n % 10 == 0 or n == len(targets):
                console.print(
                    f"[dim]  {n}/{len(targets)} days copied "
                    f"({time.perf_counter() - started:.0f} s)[/dim]"
                )
        con.execute("DETACH base")
        con.execute("CHECKPOINT")
    finally:
        con.close()


def build_rollups(target: Path) -> tuple[float | None, str]:
    """The daily rollups of the copied rows (``rebuild_site_rollups``), as an import would
    have written them; seconds, or None and why not."""
    try:
        from footfall.store.rollups import rebuild_site_rollups
    except ImportError:
        return None, "footfall.store.rollups.rebuild_site_rollups is missing"
    config = {"memory_limit": BUILD_MEMORY_LIMIT, "temp_directory": str(target) + ".tmp"}
    con = duckdb.connect(str(target), config=config)
    try:
        con.execute("SET TimeZone = 'UTC'")
        (present,) = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'rollup_sites'"
        ).fetchone()  # type: ignore[misc]
        if not present:
            return None, "no rollup tables in the schema"
        started = time.perf_counter()
        con.execute("BEGIN TRANSACTION")
        rebuild_site_rollups(con, SITE)
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        return time.perf_counter() - started, ""
    finally:
        con.close()


def _rollup_bytes(con: duckdb.DuckDBPyConnection) -> int | None:
    try:
        from footfall.store.rollups import rollup_bytes
    except ImportError:
        return None
    try:
        return int(rollup_bytes(con))
    except duckdb.Error:  # no cube tables in this schema
        return None


def check_disk(out_dir: Path, events: int) -> None:
    """Refuse a build the disk cannot hold, naming the largest size that fits."""
    need = events * BYTES_PER_HIT_ESTIMATE * 2
    free = shutil.disk_usage(out_dir).free
    if need > free:
        fits = free // (BYTES_PER_HIT_ESTIMATE * 2)
        raise SystemExit(
            f"{events:,} hits need ~{need / 1e9:.1f} GB free in {out_dir} to build "
            f"(~{BYTES_PER_HIT_ESTIMATE} B a hit, twice during the build); "
            f"{free / 1e9:.1f} GB are free: at most ~{fits:,} hits fit (--events)"
        )


def ensure_dataset(
    out_dir: Path, events: int, days: int, base_lines: int, seed: int, cli: Path, rebuild: bool
) -> Dataset:
    """Build (or reuse, if its .meta matches) bench/out/query-<events>.duckdb."""
    db = out_dir / f"query-{events}.duckdb"
    meta_path = db.with_name(db.name + ".meta")
    end = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)
    log, _ = ensure_log(out_dir, base_lines, seed)
    want = {
        "events": events,
        "days": days,
        "end": end.isoformat(),
        "base_lines": base_lines,
        "seed": seed,
        "generator": _read_meta(log.with_name(log.name + ".meta")).get("generator"),
        "footfall": _data_fingerprint(),
        "rollups_design": _rollups_fingerprint(),
    }
    meta = _read_meta(meta_path)
    if not rebuild and db.exists() and {k: meta.get(k) for k in want} == want:
        return Dataset(db, meta, reused=True, build_seconds=float(meta.get("build_seconds", 0)))

    check_disk(out_dir, events)
    console.print(f"[dim]building {db} ({events:,} hits over {days} days to {end})[/dim]")
    started = time.perf_counter()
    base = out_dir / f"query-{events}.base.duckdb"
    building = out_dir / f"query-{events}.building.duckdb"
    try:
        _remove_db(base)
        _remove_db(building)
        cmd = footfall_cmd(cli, log, base)
        console.print(f"[dim]  {' '.join(cmd)}[/dim]")
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            tail = "\n".join(done.stderr.strip().splitlines()[-12:])
            raise SystemExit(f"footfall import failed (exit {done.returncode}):\n{tail}")
        import_seconds = time.perf_counter() - started
        console.print(f"[dim]  imported {base_lines:,} lines in {import_seconds:.1f} s[/dim]")
        shutil.copyfile(base, building)
        copy_started = time.perf_counter()
        replicate(base, building, events, days, end)
        copy_seconds = time.perf_counter() - copy_started
        console.print(f"[dim]  copied in {copy_seconds:.1f} s[/dim]")
        rollup_seconds, no_rollups = build_rollups(building)
        if rollup_seconds is None:
            console.print(f"[yellow]  no rollups built: {no_rollups}[/yellow]")
        else:
            console.print(f"[dim]  rollups built in {rollup_seconds:.1f} s[/dim]")
        # only now does the previous dataset (if any) go: a failed build leaves it in place
        meta_path.unlink(missing_ok=True)
        _remove_db(db)
        building.replace(db)
    finally:
        _remove_db(base)
        _remove_db(building)
    seconds = time.perf_counter() - started

    con = duckdb.connect(str(db), read_only=True)
    try:
        hits, first, last, n_days = con.execute(
            "SELECT count(*), min(day), max(day), count(DISTINCT day) FROM hits WHERE site = ?",
            [SITE],
        ).fetchone()  # type: ignore[misc]
        (sessions,) = con.execute("SELECT count(*) FROM sessions WHERE site = ?", [SITE]).fetchone()  # type: ignore[misc]
        cube_bytes = _rollup_bytes(con) if rollup_seconds is not None else None
    finally:
        con.close()
    meta = {
        **want,
        "hits": hits,
        "sessions": sessions,
        "first_day": first.isoformat(),
        "last_day": last.isoformat(),
        "stored_days": n_days,
        "db_mib": round(db.stat().st_size / MIB, 1),
        "import_seconds": round(import_seconds, 1),
        "copy_seconds": round(copy_seconds, 1),
        "rollup_seconds": None if rollup_seconds is None else round(rollup_seconds, 1),
        "no_rollups": no_rollups or None,
        "rollup_bytes": cube_bytes,
        "rollup_bytes_per_hit": round(cube_bytes / hits, 2) if cube_bytes and hits else None,
        "bytes_per_hit": round(db.stat().st_size / hits, 1) if hits else None,
        "build_seconds": round(seconds, 1),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    _write_meta(meta_path, meta)
    return Dataset(db, meta, reused=False, build_seconds=seconds)


# ---------------------------------------------------------------------------- server


@contextlib.contextmanager
def serving(settings: Settings) -> Iterator[tuple[str, WebContext]]:
    """The real app under uvicorn in a thread on 127.0.0.1 (port chosen by the OS)."""
    ctx = build(settings, "127.0.0.1")
    config = uvicorn.Config(create_app(ctx), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            shutdown(ctx)
            raise SystemExit("the server did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}", ctx
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        shutdown(ctx)


def _get(client: httpx.Client, path: str, params: dict[str, str]) -> float:
    """GET and read the whole answer; milliseconds.  Raises on anything but 200."""
    started = time.perf_counter()
    response = client.get(path, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {response.status_code}: {response.text[:200]}")
    return elapsed


def _report_call(name: str, extra: dict[str, str]) -> tuple[str, dict[str, str]]:
    return f"/api/v1/report/{name}", {"site": SITE, "period": PERIOD, **extra}


def report_target(events: int) -> str:
    if events >= LARGE_EVENTS:
        return f"p50 ≤ {TARGET_LARGE_P50_MS:g} ms"
    return f"p50 ≤ {TARGET_P50_X:g}×, p95 ≤ {TARGET_P95_X:g}× floor"


def measure_reports(
    url: str, ctx: WebContext, repeat: int, events: int
) -> tuple[list[Timing], Timing, Timing, dict[str, Any]]:
    """Each report `repeat` times, in rounds; each round also times the two floors."""
    reports = [Timing(name, "report", report_target(events)) for name, _ in REPORTS]
    floor = Timing(f"floor: SELECT count(*) {PERIOD} (in-process)", "floor")
    http_floor = Timing("HTTP floor: GET /healthz", "floor")
    lo, hi = utc_bounds(preset_range(PERIOD, today_in("UTC"), None), "UTC")
    floor_sql = "SELECT count(*) FROM hits WHERE site = $site AND ts >= $lo AND ts < $hi"
    floor_params = {"site": SITE, "lo": lo, "hi": hi}
    floor.note = f"{floor_sql.replace('$site', repr(SITE))}, [{lo}, {hi})"
    cursor = ctx.reader()  # a cursor of the server's own connection, like a request's
    overview: dict[str, Any] = {}
    try:
        with httpx.Client(base_url=url, timeout=120) as client:
            for round_no in range(repeat + 1):  # round 0 warms up (caches, first reads)
                sink = "warmup" if round_no == 0 else "samples"
                started = time.perf_counter()
                (count,) = cursor.fetchone(floor_sql, floor_params)  # type: ignore[misc]
                getattr(floor, sink).append((time.perf_counter() - started) * 1000)
                floor.extra["rows_in_period"] = count
                getattr(http_floor, sink).append(_get(client, "/healthz", {}))
                for timing, (name, extra) in zip(reports, REPORTS, strict=True):
                    if timing.error:
                        continue
                    path, params = _report_call(name, extra)
                    try:
                        getattr(timing, sink).append(_get(client, path, params))
                    except (RuntimeError, httpx.HTTPError) as err:
                        timing.error = str(err)
                if round_no == 0:
                    path, params = _report_call(*REPORTS[0])
                    answer = client.get(path, params=params)
                    overview = answer.json() if answer.status_code == 200 else {}
                if console.is_terminal:
                    console.print(f"[dim]  round {round_no}/{repeat}[/dim]", end="\r")
    finally:
        cursor.close()
    for t in reports:
        if events >= LARGE_EVENTS:
            t.judge(TARGET_LARGE_P50_MS, None)
        else:
            t.judge_ratio(floor.p50, TARGET_P50_X, TARGET_P95_X)
    return reports, floor, http_floor, overview


def measure_sources(ctx: WebContext, repeat: int) -> list[dict[str, Any]]:
    """Every report answered by the compiler's choice (``source="auto"``: rollups when they
    can) and from the raw rows (``source="raw"``), in-process through a cursor of the
    server's connection, one after the other in the same rounds: the rollups' gain as a
    same-run ratio.  (The HTTP API has no raw switch: this skips HTTP for both.)"""
    from footfall.reports.catalog import run_report
    from footfall.vocabulary.query import Query

    period = preset_range(PERIOD, today_in("UTC"), None)
    timings = {(name, src): Timing(f"{name} ({src})", "source")
               for name, _ in REPORTS for src in ("auto", "raw")}  # fmt: skip
    cursor = ctx.reader()
    try:
        for round_no in range(repeat + 1):  # round 0 warms up
            sink = "warmup" if round_no == 0 else "samples"
            for name, extra in REPORTS:
                base = Query(site=SITE, metrics=("visits",), period=period,
                             limit=int(extra.get("limit", "10")),
                             compare=extra.get("compare"))  # fmt: skip
                for src in ("auto", "raw"):
                    timing = timings[(name, src)]
                    if timing.error:
                        continue
                    started = time.perf_counter()
                    try:
                        run_report(cursor, name, base, extra.get("interval", "day"), source=src)
                    except Exception as err:  # the figures of the others still stand
                        timing.error = f"{type(err).__name__}: {err}"
                        continue
                    getattr(timing, sink).append((time.perf_counter() - started) * 1000)
    finally:
        cursor.close()
    out = []
    for name, _ in REPORTS:
        auto, raw = timings[(name, "auto")], timings[(name, "raw")]
        gain = raw.p50 / auto.p50 if raw.p50 is not None and auto.p50 else None
        out.append({"name": name, "auto": auto.as_json(None), "raw": raw.as_json(None),
                    "raw_p50_over_auto_p50": _r(gain, 2)})  # fmt: skip
    return out


def print_sources(rows: list[dict[str, Any]], floor_ms: float | None) -> None:
    table = Table(title="Rollups against raw rows, in-process, same rounds", title_justify="left")
    for col in ("report", "auto p50 ms", "auto p95 ms", "raw p50 ms", "raw p95 ms",
                "raw ÷ auto (p50)", "raw p50 ÷ floor"):  # fmt: skip
        table.add_column(col, justify="left" if col == "report" else "right")
    for row in rows:
        auto, raw = row["auto"], row["raw"]
        raw_floor = raw["p50_ms"] / floor_ms if raw["p50_ms"] is not None and floor_ms else None
        error = auto["error"] or raw["error"]
        table.add_row(row["name"], _fmt(auto["p50_ms"]), _fmt(auto["p95_ms"]),
                      _fmt(raw["p50_ms"]), _fmt(raw["p95_ms"]),
                      _fmt(row["raw_p50_over_auto_p50"], ",.1f") if not error
                      else f"[yellow]{escape(str(error)[:60])}[/yellow]",
                      _fmt(raw_floor, ",.1f"))  # fmt: skip
    console.print(table)


def measure_first_view(url: str, repeat: int) -> Timing:
    """All the report requests at once through `BROWSER_WORKERS` connections, until the
    last answer is read."""
    timing = Timing(
        f"first view: all {len(REPORTS)} requests, {BROWSER_WORKERS} at a time", "first_view"
    )
    calls = [_report_call(name, extra) for name, extra in REPORTS]
    for round_no in range(repeat + 1):
        try:
            ms = _concurrently(url, lambda client, pool: [
                pool.submit(_get, client, path, params) for path, params in calls])  # fmt: skip
        except (RuntimeError, httpx.HTTPError) as err:
            timing.error = str(err)
            break
        (timing.warmup if round_no == 0 else timing.samples).append(ms)
    return timing


def measure_dashboard_sequence(url: str, repeat: int) -> Timing:
    """The API calls of dashboard.js for /?site=bench&period=30d, in its order: meta and
    sites; the overview alone; then the chart, the first tab of each panel, the plan and the
    snippet at once.  ``extra.headline_ms``: until the overview has answered."""
    timing = Timing("first view: the dashboard's request sequence", "first_view")
    timing.note = ("meta+sites, overview, then timeseries, " + ", ".join(DASHBOARD_TABS)
                   + ", plan, snippet")  # fmt: skip
    headline: list[float] = []

    def run(client: httpx.Client, pool: ThreadPoolExecutor) -> list[Any]:
        started = time.perf_counter()
        first = [pool.submit(_get, client, p, {}) for p in ("/api/v1/meta", "/api/v1/sites")]
        for f in first:
            f.result()
        _get(client, *_report_call("overview", {}))
        headline.append((time.perf_counter() - started) * 1000)
        jobs = [pool.submit(_get, client, *_report_call("timeseries", {"interval": "day"}))]
        jobs += [pool.submit(_get, client, *_report_call(t, {"limit": "10"}))
                 for t in DASHBOARD_TABS]  # fmt: skip
        jobs += [pool.submit(_get, client, p, {"site": SITE})
                 for p in ("/api/v1/plan", "/api/v1/snippet")]  # fmt: skip
        return jobs

    for round_no in range(repeat + 1):
        try:
            ms = _concurrently(url, run)
        except (RuntimeError, httpx.HTTPError) as err:
            timing.error = str(err)
            break
        (timing.warmup if round_no == 0 else timing.samples).append(ms)
    timing.extra["headline_ms"] = [_r(h) for h in headline[1:]]
    return timing


def _concurrently(
    url: str, submit: Callable[[httpx.Client, ThreadPoolExecutor], list[Any]]
) -> float:
    """A fresh client (new connections, as a first visit) and pool; ms until all answered."""
    limits = httpx.Limits(max_connections=BROWSER_WORKERS)
    with (
        httpx.Client(base_url=url, timeout=120, limits=limits) as client,
        ThreadPoolExecutor(BROWSER_WORKERS) as pool,
    ):
        started = time.perf_counter()
        for future in submit(client, pool):
            future.result()
        return (time.perf_counter() - started) * 1000


CARDS_READY_JS = """() => {
  const cards = document.querySelectorAll('[data-metric]');
  if (!cards.length) return false;
  for (const card of cards) if (!card.getAttribute('data-value')) return false;
  return performance.now();
}"""
#: ms since navigation start: end of the last response, and start of the first report call.
TIMELINE_JS = """() => {
  const all = performance.getEntriesByType('resource');
  const reports = all.filter((e) => e.name.includes('/api/v1/report/'));
  return {
    last_response: Math.max(0, ...all.map((e) => e.responseEnd)),
    first_report: reports.length ? Math.min(...reports.map((e) => e.startTime)) : null,
    state: document.body ? document.body.dataset.state || '' : '',
  };
}"""
PAGE_STATE_JS = """() => ({
  cards: document.querySelectorAll('[data-metric]').length,
  filled: [...document.querySelectorAll('[data-metric]')]
    .filter((c) => c.getAttribute('data-value')).length,
  state: document.body ? document.body.dataset.state || '' : '',
})"""


class NotReady(Exception):
    """The page never showed its numbers: the reason, for an "n/a"."""


def _children_cpu() -> dict[int, float]:
    """CPU seconds of each child process (the Playwright driver, Chromium's processes)."""
    out = {}
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            cpu = child.cpu_times()
            out[child.pid] = cpu.user + cpu.system
    return out


def _browser_run(browser: Any, page_url: str, error: type[Exception]) -> dict[str, Any]:
    """One first view in a fresh context (empty cache, new connections)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        cpu_before = _children_cpu()
        page.goto(page_url, wait_until="commit")
        try:
            cards_ms = page.wait_for_function(CARDS_READY_JS, timeout=60_000).json_value()
        except error as err:
            seen = page.evaluate(PAGE_STATE_JS)
            if not seen["cards"]:
                raise NotReady("the dashboard has no [data-metric] elements yet") from err
            raise NotReady(
                f"{seen['filled']} of {seen['cards']} [data-metric] got a data-value "
                f"in 60 s (page state {seen['state']!r})"
            ) from err
        page.wait_for_load_state("networkidle", timeout=60_000)
        timeline = page.evaluate(TIMELINE_JS)
        cpu_after = _children_cpu()
    finally:
        context.close()
    ms = max(float(cards_ms), float(timeline["last_response"]))
    first_report = timeline["first_report"]
    return {
        "ms": ms,
        "cards_ms": float(cards_ms),
        "before_reports_ms": first_report,  # page, scripts, /meta and /sites
        "reports_ms": None if first_report is None else ms - first_report,
        "browser_cpu_ms": 1000 * sum(v - cpu_before.get(k, 0.0) for k, v in cpu_after.items()),
        "state": timeline["state"],
    }


def measure_browser(url: str, baseline: float = BASELINE_FIRST_VIEW_MS) -> Timing:
    """A real first view in Chromium: from navigation start until every headline card
    (``[data-metric]``) has a ``data-value`` and the last response has arrived."""
    timing = Timing(
        f"first view: Chromium (median of {BROWSER_RUNS})",
        "first_view",
        f"median ≤ {baseline / 2:g} ms (½ of {baseline:g})",
    )
    if not CHROMIUM.exists():
        timing.error = f"n/a: {CHROMIUM} is missing"
        return timing
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        timing.error = "n/a: playwright is not installed"
        return timing
    page_url = f"{url}/?site={SITE}&period={PERIOD}"
    timing.note = f"GET {page_url.removeprefix(url)}, a fresh browser context each run"
    runs: list[dict[str, Any]] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                for _ in range(BROWSER_RUNS + 1):  # the first run warms up the browser
                    runs.append(_browser_run(browser, page_url, PlaywrightError))
            finally:
                browser.close()
    except NotReady as why:
        timing.error = f"n/a: {why}"
        return timing
    except PlaywrightError as err:
        timing.error = f"n/a: browser failed: {str(err).splitlines()[0]}"
        return timing
    timing.warmup = [runs[0]["ms"]]
    timing.samples = [r["ms"] for r in runs[1:]]
    for key in ("cards_ms", "before_reports_ms", "reports_ms", "browser_cpu_ms"):
        timing.extra[key] = [_r(r[key]) for r in runs[1:]]
    timing.extra["page_state"] = [r["state"] for r in runs[1:]]
    timing.judge(baseline / 2, None)  # samples are 5: p50 is their median
    return timing


def explain(ctx: WebContext, name: str, extra: dict[str, str]) -> str:
    """EXPLAIN ANALYZE of a report's main statement, compiled as the server compiles it
    (the overview's comparison and status queries are not included)."""
    from footfall.reports.catalog import report_query
    from footfall.reports.compiler import compile_query
    from footfall.vocabulary.query import Query

    period = preset_range(PERIOD, today_in("UTC"), None)
    base = Query(site=SITE, metrics=("visits",), period=period,
                 limit=int(extra.get("limit", "10")))  # fmt: skip
    query = report_query(name, base, extra.get("interval", "day"))
    compiled = compile_query(query, utc_bounds(period, "UTC"), "UTC")  # the bench site is UTC
    cursor = ctx.reader()
    try:
        rows = cursor.fetchall("EXPLAIN ANALYZE " + compiled.sql, compiled.params)
    finally:
        cursor.close()
    plan = "\n".join(str(r[-1]) for r in rows)
    return f"-- report {name}, period {PERIOD}\n{compiled.sql}\n-- params {compiled.params}\n\n{plan}\n"


# --------------------------------------------------------------------------- output


def _fmt(value: float | None, spec: str = ",.1f") -> str:
    return "—" if value is None else format(value, spec)


def print_table(
    rows: list[Timing], floor_ms: float | None, http_ms: float | None, title: str
) -> None:
    """Reports divided by the count(*) floor, first views by the /healthz floor."""
    table = Table(title=title, title_justify="left")
    cols = ("report", "p50 ms", "p95 ms", "max ms", "p50 ÷ ref", "p95 ÷ ref", "ref", "target",
            "result")  # fmt: skip
    for col in cols:
        table.add_column(col, justify="left" if col in ("report", "ref", "result") else "right")
    for t in rows:
        if t.met is True:
            result = "[green]met[/green]"
        elif t.met is False:
            result = "[red]not met[/red]"
        elif t.error:  # in full in the JSON
            short = t.error if len(t.error) <= 90 else t.error[:89] + "…"
            result = f"[yellow]{escape(short)}[/yellow]"
        else:
            result = ""
        ref, ref_name = {"report": (floor_ms, "count(*)"),
                         "first_view": (http_ms, "/healthz")}.get(t.kind, (None, ""))  # fmt: skip
        p50_r, p95_r = t.ratios(ref)
        table.add_row(t.name, _fmt(t.p50), _fmt(t.p95), _fmt(t.max), _fmt(p50_r, ",.1f"),
                      _fmt(p95_r, ",.1f"), ref_name if ref else "", t.target, result)  # fmt: skip
    console.print(table)


# ------------------------------------------------------------------------------ main


def _load() -> list[float]:
    """1, 5 and 15 minute load averages (other work on the machine skews the figures)."""
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else []


def pin_cores(cores: int) -> str:
    """Run this process (server, DuckDB, clients, browser) on `cores` CPUs if it has more."""
    if not cores or not hasattr(os, "sched_setaffinity"):
        return "not pinned"
    available = sorted(os.sched_getaffinity(0))
    if len(available) <= cores:
        return f"{len(available)} CPUs available, not pinned"
    chosen = set(available[:cores])
    os.sched_setaffinity(0, chosen)
    return f"pinned to CPUs {sorted(chosen)} of {len(available)}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--events", type=int, default=10_000_000, help="stored hits")
    parser.add_argument("--days", type=int, default=90, help="days they span, to yesterday")
    parser.add_argument("--repeat", type=int, default=20, help="requests per report")
    parser.add_argument("--out", type=Path, default=HERE / "out", help="work/output directory")
    parser.add_argument("--cores", type=int, default=2,
                        help="CPUs to run on (DuckDB threads too); 0: all")  # fmt: skip
    parser.add_argument("--base-lines", type=int, default=1_000_000,
                        help="lines of the generated log that is imported, then replicated")  # fmt: skip
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium run")
    parser.add_argument("--rebuild", action="store_true", help="build the dataset even if cached")
    parser.add_argument("--sources", choices=("auto", "both"), default="auto",
                        help="both: also time every report from rollups and from raw rows "
                        "in-process in the same rounds (the rollups' gain)")  # fmt: skip
    parser.add_argument("--first-view-baseline", type=float, default=BASELINE_FIRST_VIEW_MS,
                        help="ms; Chromium's first view must take at most half of it")  # fmt: skip
    parser.add_argument(
        "--footfall",
        type=Path,
        default=Path(sys.executable).with_name("footfall"),
        help="footfall CLI",
    )
    args = parser.parse_args(argv)
    if args.events <= 0 or args.days < 31 or args.repeat <= 0 or args.base_lines <= 0:
        parser.error("--events, --repeat, --base-lines must be > 0 and --days >= 31")
    if not args.footfall.exists():
        parser.error(f"footfall CLI not found at {args.footfall} (see --footfall)")

    baseline = args.first_view_baseline
    pinned = pin_cores(args.cores)
    out_dir: Path = args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    data = ensure_dataset(out_dir, args.events, args.days, args.base_lines, args.seed,
                          args.footfall, args.rebuild)  # fmt: skip
    meta = data.meta
    how = "reused" if data.reused else "built"
    db_bytes = data.db.stat().st_size
    console.print(
        f"dataset {how}: {data.db} — {meta['hits']:,} hits, {meta['sessions']:,} visits, "
        f"{meta['first_day']} … {meta['last_day']}, {db_bytes / MIB:,.0f} MiB "
        f"({db_bytes / max(meta['hits'], 1):.1f} B a hit); "
        f"build took {data.build_seconds:.1f} s"
        + (" (when built)" if data.reused else "")
        + f": import {meta.get('import_seconds')} s, copy {meta.get('copy_seconds')} s, "
        f"rollups {meta.get('rollup_seconds')} s"
    )
    if meta.get("rollup_bytes"):
        console.print(
            f"rollups: {meta['rollup_bytes'] / MIB:,.1f} MiB = "
            f"{meta['rollup_bytes_per_hit']:.2f} B a hit "
            f"({100 * meta['rollup_bytes'] / db_bytes:.1f} % of the file)"
        )
    else:
        console.print(f"[yellow]rollups: none ({meta.get('no_rollups')})[/yellow]")
    if data.reused:
        console.print(f"[dim]  (checked in {time.perf_counter() - started:.1f} s)[/dim]")

    settings = Settings(db_path=data.db, threads=args.cores)
    console.print(f"[dim]serving {data.db} ({pinned}, DuckDB threads "
                  f"{args.cores or 'auto'}, memory_limit {settings.memory_limit})[/dim]")  # fmt: skip
    load_before = _load()
    if load_before and load_before[0] > (args.cores or os.cpu_count() or 1):
        console.print(
            f"[yellow]the machine is busy (load average {load_before[0]:.1f} for "
            f"{args.cores or os.cpu_count()} cores): expect slower, noisier figures[/yellow]"
        )
    with serving(settings) as (url, ctx):
        console.print(f"[dim]{url}: {len(REPORTS)} reports × {args.repeat} rounds[/dim]")
        reports, floor, http_floor, overview = measure_reports(url, ctx, args.repeat,
                                                               args.events)  # fmt: skip
        console.print("[dim]first views over HTTP[/dim]")
        first_all = measure_first_view(url, args.repeat)
        first_seq = measure_dashboard_sequence(url, args.repeat)
        slowest = max((t for t in reports if t.samples), key=lambda t: t.p50 or 0, default=None)
        explained = None
        if slowest is not None and slowest.met is False:
            explained = out_dir / "query-explain.txt"
            try:
                explained.write_text(explain(ctx, slowest.name, dict(REPORTS)[slowest.name]))
            except Exception as err:  # the report internals moved: the figures still stand
                explained.write_text(f"EXPLAIN ANALYZE of {slowest.name} failed: {err!r}\n")
        sources: list[dict[str, Any]] = []
        if args.sources == "both":
            console.print("[dim]rollups against raw rows, in-process[/dim]")
            sources = measure_sources(ctx, args.repeat)
        if args.no_browser:
            browser = Timing("first view: Chromium", "first_view", error="n/a: --no-browser")
        else:
            console.print("[dim]first view in Chromium[/dim]")
            browser = measure_browser(url, baseline)

    floor_ms = floor.p50
    http_ms = http_floor.p50
    rows = [floor, http_floor, *reports, first_all, first_seq, browser]
    title = (f"Query benchmark: {meta['hits']:,} hits over {meta['stored_days']} days, "
             f"period {PERIOD}, {args.repeat} runs each")  # fmt: skip
    print_table(rows, floor_ms, http_ms, title)
    if sources:
        print_sources(sources, floor_ms)
    if overview:
        console.print(
            f"[dim]overview {PERIOD}: {overview.get('requests', 0):,} requests, "
            f"{overview.get('visits', 0):,} visits, {overview.get('visitors', 0):,} visitors; "
            f"floor count {floor.extra.get('rows_in_period', 0):,} hits[/dim]"
        )
    med = statistics.median
    if first_seq.extra.get("headline_ms"):
        console.print(
            f"[dim]dashboard's sequence: headline (meta, sites, overview) answered after "
            f"{med(first_seq.extra['headline_ms']):,.0f} ms (median)[/dim]"  # type: ignore[arg-type]
        )
    if browser.samples:
        console.print(
            f"[dim]Chromium, medians: {med(browser.extra['before_reports_ms']):,.0f} ms before the "
            f"first report call (page, scripts, /meta, /sites), "
            f"{med(browser.extra['reports_ms']):,.0f} ms from it to the last answer; headline "
            f"shown at {med(browser.extra['cards_ms']):,.0f} ms; /healthz p50 "
            f"{_fmt(http_ms, ',.2f')} ms in the same run; the browser "
            f"used {med(browser.extra['browser_cpu_ms']):,.0f} ms of CPU per view on the same "
            "cores as the server[/dim]"
        )
    missed = [t.name for t in reports if t.met is False]
    unmeasured = [t.name for t in reports if t.met is None]
    verdict = {
        "reports_met": bool(reports) and all(t.met for t in reports),
        "reports_missed": missed,
        "reports_not_measured": unmeasured,
        "slowest_report": slowest.name if slowest else None,
        "browser_first_view_met": browser.met,
        "rollup_bytes_per_hit": meta.get("rollup_bytes_per_hit"),
    }
    console.print(
        f"reports: {sum(t.met is True for t in reports)}/{len(reports)} met"
        + (f"; missed: {', '.join(missed)}" if missed else "")
        + (f"; not measured (error): {', '.join(unmeasured)}" if unmeasured else "")
        + (f"; slowest p50: {slowest.name} {slowest.p50:.1f} ms" if slowest else "")
    )

    result = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "duckdb": duckdb.__version__,
            "cpu_count": os.cpu_count(),
            "cores": pinned,
            "memory_mib": round(psutil.virtual_memory().total / MIB),
            "load_average_before": load_before,
            "load_average_after": _load(),
        },
        "dataset": {
            "db": str(data.db),
            "reused": data.reused,
            "build_seconds": round(data.build_seconds, 1),
            "db_mib": round(data.db.stat().st_size / MIB, 1),
            **meta,
        },
        "settings": {"memory_limit": settings.memory_limit, "threads": settings.threads},
        "period": PERIOD,
        "repeat": args.repeat,
        "targets": {
            "report_p50_over_floor": TARGET_P50_X,
            "report_p95_over_floor": TARGET_P95_X,
            "report_p50_ms_from_50m": TARGET_LARGE_P50_MS,
            "judged_by": "absolute p50" if args.events >= LARGE_EVENTS else "ratio to floor",
            "browser_first_view_ms": baseline / 2,
            "browser_first_view_baseline_ms": baseline,
        },
        "floor_p50_ms": _r(floor_ms, 2),
        "http_floor_p50_ms": _r(http_ms, 2),
        "rollups": {
            "bytes": meta.get("rollup_bytes"),
            "bytes_per_hit": meta.get("rollup_bytes_per_hit"),
            "build_seconds": meta.get("rollup_seconds"),
            "missing": meta.get("no_rollups"),
        },
        "floors": [t.as_json(None) for t in (floor, http_floor)],
        "reports": [t.as_json(floor_ms) for t in reports],
        "first_view": [t.as_json(http_ms, "/healthz") for t in (first_all, first_seq, browser)],
        "sources": sources or None,
        "verdict": verdict,
        "overview_30d": {k: overview.get(k) for k in OVERVIEW_KEYS},
    }
    if explained is not None:
        result["explain"] = str(explained)
        console.print(f"[dim]EXPLAIN ANALYZE of {slowest.name}: {explained}[/dim]")  # type: ignore[union-attr]
    text = json.dumps(result, indent=2) + "\n"
    for report in (out_dir / "query.json", out_dir / f"query-{args.events}.json"):
        report.write_text(text)  # the latest run, and the latest run of this size
        console.print(f"[dim]wrote {report}[/dim]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
