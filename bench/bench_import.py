"""Benchmark `footfall import` against GoAccess and `wc -l` on the same generated log.

Usage::

    python bench/bench_import.py [--lines 1000000] [--big-lines 5000000] [--out bench/out]
                                 [--formats combined,w3c,json]

Each format is the same events written as a combined, an IIS W3C or an nginx JSON log.
See bench/README.md for what each figure means.  Only standard library, psutil and
rich are needed besides footfall itself (for the log generator and DuckDB).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil
from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
try:
    from footfall.demo import generator as demo_generator
except ImportError:  # running from a checkout without the package installed
    sys.path.insert(0, str(REPO / "src"))
    from footfall.demo import generator as demo_generator

BENCH_FORMATS = demo_generator.BENCH_FORMATS
bench_header_lines = demo_generator.bench_header_lines

console = Console()
if not console.is_terminal:  # piped / CI logs: do not squeeze the tables into 80 columns
    console = Console(width=140)
POLL_SECONDS = 0.05
MIB = 1024 * 1024
TARGET_VS_GOACCESS = 10.0  # footfall lines/s >= 10x GoAccess lines/s
TARGET_REIMPORT = 50.0  # first import >= 50x slower than a (no-op) re-import
TARGET_RSS_MIB = 1024.0  # peak RSS on the big file
TARGET_RSS_GROWTH = 1.25  # peak RSS(big) / peak RSS(big / 2): memory is flat


# ----------------------------------------------------------------------------- runs


@dataclass
class Run:
    """One measured tool run."""

    tool: str
    status: str = "ok"  # ok | not installed | failed | skipped | reused
    seconds: float | None = None
    lines: int | None = None
    megabytes: float | None = None
    peak_rss_mib: float | None = None
    note: str = ""
    detail: str = ""  # e.g. the tail of stderr of a failed run
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok" and self.seconds is not None

    @property
    def lines_per_s(self) -> float | None:
        if not self.ok or not self.lines or not self.seconds:
            return None
        return self.lines / self.seconds

    @property
    def mb_per_s(self) -> float | None:
        if not self.ok or not self.megabytes or not self.seconds:
            return None
        return self.megabytes / self.seconds

    def as_json(self) -> dict[str, object]:
        data = asdict(self)
        data["lines_per_s"] = _round(self.lines_per_s)
        data["mb_per_s"] = _round(self.mb_per_s)
        for key in ("seconds", "megabytes", "peak_rss_mib"):
            data[key] = _round(data[key], 4)
        return data


def _round(value: object, digits: int = 1) -> object:
    return round(value, digits) if isinstance(value, float) else value


def _peak_of(pid: int) -> int | None:
    """Peak RSS ("high water mark") of one process in bytes, or None if unreadable.

    On Linux /proc/PID/status VmHWM is kept by the kernel since the last exec, so
    polling it misses nothing but the final poll interval.
    """
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for raw in fh:
                if raw.startswith(b"VmHWM:"):
                    return int(raw.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _tree_peak(proc: psutil.Process) -> int:
    """Sum of the peak (or current) RSS of a process and its descendants, in bytes."""
    try:
        procs = [proc, *proc.children(recursive=True)]
    except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
        return 0
    total = 0
    for p in procs:
        hwm = _peak_of(p.pid)
        if hwm is not None:
            total += hwm
            continue
        with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
            total += p.memory_info().rss
    return total


@dataclass
class Measured:
    code: int
    seconds: float
    peak_rss_mib: float | None  # None: finished before it could be sampled
    cpu_seconds: float
    stdout: str
    stderr: str


def measure(cmd: list[str], timeout: float) -> Measured:
    """Run `cmd` and measure wall time, CPU time and peak RSS of this one run.

    The main thread blocks in os.wait4 so the wall time ends exactly at exit; a
    helper thread polls the child's process tree every 50 ms for its peak RSS
    (VmHWM on Linux, RSS elsewhere).  The kernel's ru_maxrss is not used for memory:
    for a child forked from this Python process it also counts the parent's pages.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        except OSError as exc:  # not executable, wrong architecture, ...
            return Measured(127, 0.0, None, 0.0, "", f"cannot run {cmd[0]}: {exc}")
        ps = psutil.Process(proc.pid)
        done = threading.Event()
        peak = [0]

        def poll() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], _tree_peak(ps))
                done.wait(POLL_SECONDS)

        poller = threading.Thread(target=poll, name="rss-poller", daemon=True)
        poller.start()
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            _, status, rusage = os.wait4(proc.pid, 0)
        finally:
            seconds = time.perf_counter() - started
            killer.cancel()
            done.set()
            poller.join()
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code  # already reaped by wait4: keep Popen from waiting again
        if seconds >= timeout:
            err.write(f"\n[bench] killed after the {timeout:.0f} s timeout\n".encode())
        out.seek(0)
        err.seek(0)
        return Measured(
            code=code,
            seconds=seconds,
            peak_rss_mib=peak[0] / MIB if peak[0] else None,
            cpu_seconds=rusage.ru_utime + rusage.ru_stime,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
        )


def _record(run: Run, m: Measured) -> None:
    run.seconds = m.seconds
    run.peak_rss_mib = m.peak_rss_mib
    run.extra["cpu_seconds"] = round(m.cpu_seconds, 3)


def _failed(run: Run, m: Measured) -> Run:
    """Mark `run` failed: a one-line note for the table, the stderr tail for details."""
    tail = m.stderr.strip().splitlines()[-12:]
    run.status = "failed"
    run.note = f"exit {m.code}: {tail[-1] if tail else 'no error output'}"
    run.detail = "\n".join(tail)
    return run


# ------------------------------------------------------------------------ input logs


def _generator_fingerprint() -> str:
    """Every module of the demo package: a change to any of them regenerates cached logs."""
    digest = hashlib.sha256()
    for module in sorted(Path(demo_generator.__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()[:16]


def log_path(out_dir: Path, lines: int, seed: int, fmt: str = "combined") -> Path:
    """The cached bench log: ``bench-N-sS.log`` (combined), ``bench-N-sS.FMT.log``."""
    suffix = "" if fmt == "combined" else f".{fmt}"
    return out_dir / f"bench-{lines}-s{seed}{suffix}.log"


def ensure_log(out_dir: Path, lines: int, seed: int, fmt: str = "combined") -> tuple[Path, Run]:
    """Generate (or reuse) a bench log of exactly `lines` events in format `fmt` (a W3C
    file has its 4 header lines more); returns (path, gen run)."""
    path = log_path(out_dir, lines, seed, fmt)
    meta_path = path.with_name(path.name + ".meta")
    want = {
        "lines": lines,
        "seed": seed,
        "format": fmt,
        "with_request_time": False,
        "generator": _generator_fingerprint(),
    }
    run = Run(tool="generator", lines=lines)
    if path.exists() and meta_path.exists():
        try:
            meta = json.loads(meta_path.read_text())
        except (OSError, ValueError):
            meta = {}
        if {k: meta.get(k) for k in want} == want and meta.get("bytes") == path.stat().st_size:
            run.status = "reused"
            run.note = "existing file, same generator and line count"
            run.megabytes = path.stat().st_size / 1e6
            return path, run
    console.print(f"[dim]generating {lines:,} {fmt} lines -> {path}[/dim]")
    meta_path.unlink(missing_ok=True)
    started = time.perf_counter()
    demo_generator.write_bench_log(path, lines, seed=seed, fmt=fmt)
    run.seconds = time.perf_counter() - started
    run.megabytes = path.stat().st_size / 1e6
    meta = {**want, "bytes": path.stat().st_size, "created": dt.datetime.now(dt.UTC).isoformat()}
    tmp = meta_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(meta, indent=2) + "\n")
    tmp.replace(meta_path)
    return path, run


# ----------------------------------------------------------------------------- tools


def run_wc(path: Path, lines: int, mb: float, repeats: int = 3, header: int = 0) -> Run:
    """`wc -l`, best of `repeats`; the file has `lines` events and `header` lines more."""
    run = Run(tool="wc -l", lines=lines, megabytes=mb)
    wc = shutil.which("wc")
    if not wc:
        run.status, run.note = "not installed", "wc not found on PATH"
        return run
    best: Measured | None = None
    for _ in range(repeats):  # best of N: wc is fast enough to be noisy
        m = measure([wc, "-l", str(path)], timeout=600)
        if m.code != 0:
            return _failed(run, m)
        counted = int(m.stdout.split()[0])
        if counted != lines + header:
            run.note = f"counted {counted:,} lines, expected {lines + header:,}"
        if best is None or m.seconds < best.seconds:
            best = m
    assert best is not None
    _record(run, best)
    if not run.note:
        run.note = f"best of {repeats}" + (f"; +{header} header lines" if header else "")
    return run


#: GoAccess 1.7's reading of each format.  Its predefined W3C format is IIS's default field
#: set, which has no sc-bytes: on our header it would read every line but take sc-bytes for
#: time-taken (0 bytes in its report), so the fields are given.  JSON: a template naming
#: our keys (GoAccess reads JSON logs since 1.6, as its CADDY format does).
GOACCESS_ARGS: dict[str, list[str]] = {
    "combined": ["--log-format=COMBINED"],
    "w3c": [
        "--log-format=%d %t %^ %m %U %q %^ %^ %h %u %R %s %^ %^ %b %L",
        "--date-format=%Y-%m-%d",
        "--time-format=%T",
    ],
    "json": [
        '--log-format={"time_iso8601":"%x","remote_addr":"%h","request":"%r","status":"%s",'
        '"body_bytes_sent":"%b","http_referer":"%R","http_user_agent":"%u",'
        '"request_time":"%T"}',
        "--datetime-format=%Y-%m-%dT%H:%M:%S%z",
    ],
}

#: The floor in DuckDB: its multithreaded reader cutting the file into fields, counting
#: rows and distinct user agents (so the fields are really cut).
FLOOR_SQL: dict[str, str] = {
    "combined": "SELECT count(*), count(DISTINCT column9) FROM read_csv(?, delim=' ', "
    "quote='\"', escape='\\', header=false, all_varchar=true, null_padding=true, "
    "ignore_errors=true, strict_mode=false)",
    "w3c": "SELECT count(*), count(DISTINCT column09) FROM read_csv(?, delim=' ', quote='', "
    "comment='#', header=false, all_varchar=true, null_padding=true, ignore_errors=true, "
    "strict_mode=false)",
    "json": "SELECT count(*), count(DISTINCT http_user_agent) FROM read_ndjson(?)",
}
FLOOR_READER = {"combined": "read_csv", "w3c": "read_csv", "json": "read_ndjson"}
FLOOR_SCRIPT = """
import sys, time, duckdb
start = time.perf_counter()
rows, agents = duckdb.connect().execute(sys.argv[2], [sys.argv[1]]).fetchone()
print(rows, agents, time.perf_counter() - start)
"""


#: The storage floor: the same reader writing every field of every line, as text, into a
#: table of a fresh DuckDB file, then closing it (checkpoint included). Any design that
#: keeps each request as a row pays at least this; a target below it cannot be met by
#: tuning the import.
STORE_SCRIPT = """
import sys, time, duckdb
start = time.perf_counter()
con = duckdb.connect(sys.argv[3])
con.execute("CREATE TABLE raw AS SELECT * FROM " + sys.argv[2], [sys.argv[1]])
rows = con.execute("SELECT count(*) FROM raw").fetchone()[0]
con.close()
print(rows, 0, time.perf_counter() - start)
"""


def run_duckdb_store(path: Path, lines: int, mb: float, fmt: str, timeout: float) -> Run:
    """The storage floor as a child process: every field of every line into a DuckDB file."""
    db = path.with_suffix(".floor.duckdb")
    _remove_db(db)
    reader = FLOOR_SQL[fmt].split(" FROM ", 1)[1]  # the floor's reader call, every column
    cmd = [sys.executable, "-c", STORE_SCRIPT, str(path), reader, str(db)]
    try:
        return _duckdb_run(f"DuckDB {FLOOR_READER[fmt]} → file", cmd, lines, mb, timeout)
    finally:
        _remove_db(db)


def run_duckdb_floor(path: Path, lines: int, mb: float, fmt: str, timeout: float) -> Run:
    """The DuckDB floor as a child process (Python and DuckDB start-up included, as in
    the footfall runs; the query alone is in the note)."""
    cmd = [sys.executable, "-c", FLOOR_SCRIPT, str(path), FLOOR_SQL[fmt]]
    run = _duckdb_run(f"DuckDB {FLOOR_READER[fmt]}", cmd, lines, mb, timeout)
    run.extra["sql"] = FLOOR_SQL[fmt]
    return run


def _duckdb_run(tool: str, cmd: list[str], lines: int, mb: float, timeout: float) -> Run:
    """A DuckDB script that prints rows, a second figure and its query seconds."""
    run = Run(tool=tool, lines=lines, megabytes=mb)
    m = measure(cmd, timeout)
    if m.code != 0:
        return _failed(run, m)
    _record(run, m)
    rows, _second, query_s = m.stdout.split()
    run.extra.update(rows=int(rows), query_seconds=round(float(query_s), 4))
    run.note = f"query {float(query_s):.3f} s"
    if int(rows) != lines:
        run.note += f"; counted {int(rows):,} rows, expected {lines:,}"
    return run


def run_goaccess(
    goaccess: str | None,
    path: Path,
    lines: int,
    mb: float,
    out_dir: Path,
    timeout: float,
    fmt: str = "combined",
) -> Run:
    run = Run(tool="GoAccess", lines=lines, megabytes=mb)
    if not goaccess:
        run.status, run.note = "not installed", "goaccess not found on PATH"
        return run
    report = out_dir / f"{path.stem}.goaccess.json"
    report.unlink(missing_ok=True)
    version = subprocess.run([goaccess, "--version"], capture_output=True, text=True, check=False)
    run.extra["version"] = (version.stdout.strip().splitlines() or ["?"])[0]
    cmd = [
        goaccess,
        str(path),
        *GOACCESS_ARGS[fmt],
        "-o",
        str(report),
        "--no-progress",
        "--no-global-config",  # a system goaccess.conf must not change what is parsed
    ]
    run.extra["command"] = " ".join(cmd)
    m = measure(cmd, timeout)
    if m.code != 0 or not report.exists():
        return _failed(run, m)
    _record(run, m)
    try:
        general = json.loads(report.read_text()).get("general", {})
    except (OSError, ValueError) as exc:
        run.note = f"unreadable JSON report: {exc}"
        return run
    valid = general.get("valid_requests")
    failed = general.get("failed_requests")
    run.extra.update(
        valid_requests=valid, failed_requests=failed, bandwidth=general.get("bandwidth")
    )
    if valid != lines:
        run.note = f"GoAccess parsed {valid} valid / {failed} failed of {lines:,} lines"
    return run


def footfall_cmd(footfall: Path, log: Path, db: Path, fmt: str = "combined") -> list[str]:
    return [
        str(footfall),
        "import",
        str(log),
        "--db",
        str(db),
        "--site",
        "bench",
        "--format",
        fmt,
        "--quiet",
    ]


STORED_SQL = """
    SELECT count(*), count(*) FILTER (WHERE is_pageview), coalesce(sum(bytes), 0),
           count(*) FILTER (WHERE bot_category IS NOT NULL), count(DISTINCT session_id),
           (SELECT count(*) FROM rejects)
    FROM hits"""
STORED_KEYS = ("hits", "pageviews", "bytes", "bot_hits", "sessions", "rejects")


def stored_counts(db: Path) -> dict[str, int] | None:
    """What an import stored (read-only), to check every format stored the same."""
    import duckdb  # footfall's own dependency; only needed here

    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = con.execute(STORED_SQL).fetchone()
    finally:
        con.close()
    return dict(zip(STORED_KEYS, map(int, row or ()), strict=True))


def _remove_db(db: Path) -> None:
    for p in (db, db.with_name(db.name + ".wal")):
        p.unlink(missing_ok=True)
    shutil.rmtree(db.with_name(db.name + ".tmp"), ignore_errors=True)  # DuckDB's spill dir


def run_footfall(
    footfall: Path | None,
    label: str,
    log: Path,
    db: Path,
    lines: int,
    mb: float,
    timeout: float,
    fresh: bool,
    fmt: str = "combined",
) -> Run:
    run = Run(tool=label, lines=lines, megabytes=mb)
    if footfall is None:
        run.status, run.note = "not installed", "footfall CLI not found (see --footfall)"
        return run
    if fresh:
        _remove_db(db)
    cmd = footfall_cmd(footfall, log, db, fmt)
    run.extra["command"] = " ".join(cmd)
    m = measure(cmd, timeout)
    if m.code != 0:
        return _failed(run, m)
    _record(run, m)
    if db.exists():
        run.extra["db_mib"] = round(db.stat().st_size / MIB, 1)
    return run


# --------------------------------------------------------------------------- report


def ratio(
    name: str, value: float | None, target: str | None, met: bool | None, why: str = ""
) -> dict[str, object]:
    return {"name": name, "value": _round(value, 4), "target": target, "met": met, "why": why}


def _why(run: Run | None, default: str = "not run") -> str:
    if run is None:
        return default
    return f"{run.tool}: {run.status}" if not run.ok else ""


def compute_ratios(
    wc: Run,
    goaccess: Run,
    first: Run,
    again: Run,
    big: dict[str, Run],
    big_lines: int,
    floor: Run | None = None,
    memory: bool = True,
    store: Run | None = None,
) -> list[dict[str, object]]:
    """The ratios of one format; `memory`: with the memory-test rows (the main format)."""
    out = []
    ff = first.lines_per_s

    name, target = "footfall ÷ GoAccess (lines/s)", f">= {TARGET_VS_GOACCESS:g}"
    if ff and goaccess.lines_per_s:
        v = ff / goaccess.lines_per_s
        out.append(ratio(name, v, target, v >= TARGET_VS_GOACCESS))
    else:
        why = f"GoAccess {goaccess.status}: {goaccess.note}" if goaccess.status != "ok" else ""
        out.append(ratio(name, None, target, None, why or _why(first) or _why(goaccess)))

    if store is not None and store.lines_per_s and goaccess.lines_per_s:
        # how far the storage floor itself is from GoAccess: the most any import can reach
        v = store.lines_per_s / goaccess.lines_per_s
        out.append(ratio(f"{store.tool} ÷ GoAccess (lines/s)", v, None, None,
                         "the storage floor: the ceiling of footfall ÷ GoAccess"))  # fmt: skip

    name = "footfall ÷ wc -l (lines/s)"
    if ff and wc.lines_per_s:
        out.append(ratio(name, ff / wc.lines_per_s, None, None, "share of the read-only floor"))
    else:
        out.append(ratio(name, None, None, None, _why(first) or _why(wc)))

    if floor is not None:
        name = f"footfall ÷ {floor.tool} (lines/s)"
        if ff and floor.lines_per_s:
            v = ff / floor.lines_per_s
            out.append(ratio(name, v, None, None, "share of the field-cutting floor"))
        else:
            out.append(ratio(name, None, None, None, _why(first) or _why(floor)))

    name, target = "first import ÷ re-import (time)", f">= {TARGET_REIMPORT:g}"
    if first.ok and again.ok and first.seconds and again.seconds:
        v = first.seconds / again.seconds
        out.append(ratio(name, v, target, v >= TARGET_REIMPORT))
    else:
        out.append(ratio(name, None, target, None, _why(first) or _why(again)))
    if not memory:
        return out

    full, half, full_again = big.get("full"), big.get("half"), big.get("full_again")
    if full and full_again and full.ok and full_again.ok and full.seconds and full_again.seconds:
        v = full.seconds / full_again.seconds
        name = f"first import ÷ re-import at {big_lines:,} lines (time)"
        out.append(ratio(name, v, f">= {TARGET_REIMPORT:g}", v >= TARGET_REIMPORT))
    name, target = f"peak RSS at {big_lines:,} lines (MiB)", f"<= {TARGET_RSS_MIB:g}"
    if not big_lines:
        out.append(ratio("peak RSS on the big file (MiB)", None, target, None, "--big-lines 0"))
    elif full is not None and full.ok and full.peak_rss_mib:
        out.append(ratio(name, full.peak_rss_mib, target, full.peak_rss_mib <= TARGET_RSS_MIB))
    else:
        out.append(ratio(name, None, target, None, _why(full) or "not sampled"))

    if big_lines:
        name, target = "peak RSS full ÷ half file (flat memory)", f"<= {TARGET_RSS_GROWTH:g}"
        ok = full and half and full.ok and half.ok and full.peak_rss_mib and half.peak_rss_mib
        if ok:
            v = full.peak_rss_mib / half.peak_rss_mib  # type: ignore[operator, union-attr]
            out.append(ratio(name, v, target, v <= TARGET_RSS_GROWTH))
        else:
            out.append(ratio(name, None, target, None, _why(half) or _why(full) or "not sampled"))
    return out


def _fmt(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def _fmt_ratio(value: object) -> str:
    if not isinstance(value, float | int):
        return "—"
    return f"{value:,.2f}" if abs(value) >= 1 else f"{value:.3g}"


def print_report(runs: dict[str, list[Run]], ratios: dict[str, list[dict[str, object]]]) -> None:
    """One table of runs and one of ratios, a section per format."""
    table = Table(title="Import benchmark", title_justify="left")
    columns = ("format", "tool", "lines", "MB", "seconds", "lines/s", "MB/s", "peak RSS MiB")
    for col in (*columns, "note"):
        justify = "left" if col in ("format", "tool", "note") else "right"
        table.add_column(col, justify=justify, overflow="fold")
    for fmt, fmt_runs in runs.items():
        table.add_section()
        for r in fmt_runs:
            _add_run(table, fmt, r)
    console.print(table)
    targets = Table(title="Ratios and targets", title_justify="left")
    for col in ("format", "ratio", "value", "target", "result"):
        targets.add_column(col, justify="right" if col in ("value", "target") else "left")
    for fmt, fmt_ratios in ratios.items():
        targets.add_section()
        for r in fmt_ratios:
            _add_ratio(targets, fmt, r)
    console.print(targets)


def _add_run(table: Table, fmt: str, r: Run) -> None:
    status = "" if r.status == "ok" else f"[yellow]{r.status}[/yellow] "
    table.add_row(
        fmt,
        r.tool,
        _fmt(r.lines, ",d"),
        _fmt(r.megabytes, ".1f"),
        _fmt(r.seconds, ".3f"),
        _fmt(r.lines_per_s, ",.0f"),
        _fmt(r.mb_per_s, ",.1f"),
        _fmt(r.peak_rss_mib, ",.1f"),
        status + r.note,
    )


def _add_ratio(table: Table, fmt: str, r: dict[str, object]) -> None:
    if r["met"] is True:
        result = "[green]met[/green]"
    elif r["met"] is False:
        result = "[red]not met[/red]"
    elif r["target"]:
        result = f"[yellow]n/a[/yellow] ({r['why']})"
    else:
        result = str(r["why"])
    table.add_row(fmt, str(r["name"]), _fmt_ratio(r["value"]), str(r["target"] or ""), result)


def stored_check(stored: dict[str, dict[str, int] | None]) -> dict[str, object]:
    """Whether every format stored the same hits (count, pageviews, bytes, bots, visits)
    and rejected nothing; printed and kept in the JSON."""
    known = {fmt: counts for fmt, counts in stored.items() if counts is not None}
    same = len({tuple(c.values()) for c in known.values()}) <= 1
    no_rejects = all(c["rejects"] == 0 for c in known.values())
    complete = len(known) == len(stored)
    check: dict[str, object] = {
        "stored": stored,
        "same": same if complete else None,
        "no_rejects": no_rejects,
    }
    if not known:
        console.print("[yellow]stored hits: not read (no import succeeded)[/yellow]")
        return check

    def values(counts: dict[str, int]) -> str:
        return ", ".join(f"{counts[k]:,} {k.replace('_', ' ')}" for k in STORED_KEYS)

    if same and complete:
        shared = next(iter(known.values()))
        where, verdict = "every format", "[green]the same[/green]"
        if len(known) == 1:
            where, verdict = next(iter(known)), "[green]no rejects[/green]"
        if not no_rejects:
            verdict = "[red]rejects[/red]"
        console.print(f"stored by the first import, {where}: {values(shared)}: {verdict}")
        return check
    if len(known) < len(stored):
        missing = ", ".join(fmt for fmt, counts in stored.items() if counts is None)
        console.print(
            f"[yellow]stored by the first import: not compared ({missing}: no import)[/yellow]"
        )
    else:
        console.print("[red]stored by the first import: NOT the same in every format[/red]")
    for fmt, counts in stored.items():
        console.print(f"  {fmt}: {values(counts) if counts else 'not read'}")
    return check


# ------------------------------------------------------------------------------ main


@dataclass
class FormatResult:
    """The runs of one format, what its first import stored and its ratios."""

    fmt: str
    log: Path
    gen: Run
    wc: Run
    goaccess: Run
    floor: Run
    store: Run
    first: Run
    again: Run
    stored: dict[str, int] | None = None
    ratios: list[dict[str, object]] = field(default_factory=list)

    @property
    def runs(self) -> list[Run]:
        return [self.gen, self.wc, self.goaccess, self.floor, self.store, self.first, self.again]

    def file_json(self) -> dict[str, object]:
        size = self.log.stat().st_size
        return {"path": str(self.log), "lines": self.first.lines, "bytes": size,
                "mb": round(size / 1e6, 3), "header_lines": bench_header_lines(self.fmt)}  # fmt: skip

    def as_json(self) -> dict[str, object]:
        return {"file": self.file_json(), "runs": self.runs_json(), "stored": self.stored,
                "ratios": self.ratios}  # fmt: skip

    def runs_json(self) -> dict[str, object]:
        return {
            "generator": self.gen.as_json(),
            "wc": self.wc.as_json(),
            "goaccess": self.goaccess.as_json(),
            "duckdb_floor": self.floor.as_json(),
            "duckdb_store": self.store.as_json(),
            "footfall_first": self.first.as_json(),
            "footfall_reimport": self.again.as_json(),
        }


def measure_format(
    fmt: str, args: argparse.Namespace, footfall: Path | None, out_dir: Path
) -> FormatResult:
    """Generate (or reuse) the `fmt` log and run every tool on it, footfall last."""
    lines = args.lines
    log, gen = ensure_log(out_dir, lines, args.seed, fmt)
    mb = log.stat().st_size / 1e6
    console.print(f"[dim]{fmt} log: {log} ({lines:,} events, {mb:,.1f} MB)[/dim]")
    wc = run_wc(log, lines, mb, header=bench_header_lines(fmt))
    goaccess = run_goaccess(args.goaccess, log, lines, mb, out_dir, args.timeout, fmt)
    floor = run_duckdb_floor(log, lines, mb, fmt, args.timeout)
    store = run_duckdb_store(log, lines, mb, fmt, args.timeout)
    db = out_dir / f"{log.stem}.duckdb"
    first = run_footfall(
        footfall, "footfall import (first)", log, db, lines, mb, args.timeout, True, fmt
    )
    if first.ok:
        again = run_footfall(
            footfall, "footfall import (again)", log, db, lines, mb, args.timeout, False, fmt
        )
    else:
        again = Run(
            tool="footfall import (again)", status="skipped", note="first import did not succeed"
        )
    if first.status == "failed":
        console.print(f"[red]footfall import ({fmt}) failed; its stderr ends with:[/red]")
        console.print(first.detail or first.note, markup=False, highlight=False)
    stored = stored_counts(db) if first.ok and db.exists() else None
    if not args.keep_db:
        _remove_db(db)
    return FormatResult(fmt, log, gen, wc, goaccess, floor, store, first, again, stored)


def memory_test(
    args: argparse.Namespace, footfall: Path | None, out_dir: Path, fmt: str, usable: bool
) -> tuple[dict[str, Run], list[Run]]:
    """First imports of an N-line and an N/2-line log, and a re-import of the N-line one."""
    big: dict[str, Run] = {}
    runs: list[Run] = []
    for key, n in (("half", args.big_lines // 2), ("full", args.big_lines)):
        if not usable:
            big[key] = Run(
                tool=f"footfall import {n:,} lines",
                status="skipped",
                lines=n,
                note="footfall import unavailable",
            )
            runs.append(big[key])
            continue
        big_log, big_gen = ensure_log(out_dir, n, args.seed, fmt)
        big_gen.tool = f"generator ({n:,} lines)"
        big_mb = big_log.stat().st_size / 1e6
        big_db = out_dir / f"{big_log.stem}.duckdb"
        big[key] = run_footfall(
            footfall, f"footfall import {n:,} lines", big_log, big_db, n, big_mb,
            args.timeout, True, fmt,
        )  # fmt: skip
        runs += [big_gen, big[key]]
        if key == "full" and big[key].ok:
            # the same file again: the cost of recognising it, whatever its size
            big["full_again"] = run_footfall(
                footfall, f"footfall re-import {n:,} lines", big_log, big_db, n, big_mb,
                args.timeout, False, fmt,
            )  # fmt: skip
            runs.append(big["full_again"])
        if not args.keep_db:
            _remove_db(big_db)
    return big, runs


def parse_formats(text: str) -> list[str]:
    formats = [f.strip() for f in text.split(",") if f.strip()]
    unknown = [f for f in formats if f not in BENCH_FORMATS]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or '(none)'}; known: {', '.join(BENCH_FORMATS)}"
        )
    return list(dict.fromkeys(formats))  # each once, in the order given


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines of the main log")
    parser.add_argument(
        "--big-lines",
        type=int,
        default=5_000_000,
        help="lines of the memory-test log (0 to skip); also runs half of it",
    )
    parser.add_argument(
        "--formats",
        type=parse_formats,
        default=["combined"],
        help=f"comma list of log formats of the same events ({', '.join(BENCH_FORMATS)}); "
        "default combined",
    )
    parser.add_argument("--out", type=Path, default=HERE / "out", help="work/output directory")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=3_600, help="per tool run, seconds")
    parser.add_argument("--goaccess", default=shutil.which("goaccess"), help="GoAccess binary")
    parser.add_argument(
        "--footfall",
        type=Path,
        default=Path(sys.executable).with_name("footfall"),
        help="footfall CLI",
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the DuckDB files")
    args = parser.parse_args(argv)
    if args.lines <= 0 or args.big_lines < 0:
        parser.error("--lines must be > 0 and --big-lines >= 0")

    out_dir: Path = args.out
    out_dir.mkdir(parents=True, exist_ok=True)
    footfall: Path | None = args.footfall if args.footfall.exists() else None
    if footfall is None:
        console.print(
            f"[yellow]footfall CLI not found at {args.footfall}; "
            "import runs will be skipped[/yellow]"
        )

    results = {fmt: measure_format(fmt, args, footfall, out_dir) for fmt in args.formats}
    # the top-level keys of import.json (and the memory test) are combined's, as before
    main_fmt = "combined" if "combined" in results else args.formats[0]
    main = results[main_fmt]
    big: dict[str, Run] = {}
    runs = {fmt: res.runs for fmt, res in results.items()}
    if args.big_lines:
        big, big_runs = memory_test(args, footfall, out_dir, main_fmt, main.first.ok)
        runs[main_fmt] = runs[main_fmt] + big_runs
    for fmt, res in results.items():
        res.ratios = compute_ratios(
            res.wc, res.goaccess, res.first, res.again, big if fmt == main_fmt else {},
            args.big_lines, res.floor, memory=fmt == main_fmt, store=res.store,
        )  # fmt: skip
    print_report(runs, {fmt: res.ratios for fmt, res in results.items()})
    check = stored_check({fmt: res.stored for fmt, res in results.items()})
    file = main.file_json()
    result = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpu_count": os.cpu_count(),
            "memory_mib": round(psutil.virtual_memory().total / MIB),
        },
        "format": main_fmt,
        "file": file,
        "lines": args.lines,
        "mb": file["mb"],
        "runs": main.runs_json(),
        "memory": {key: run.as_json() for key, run in big.items()},
        "ratios": main.ratios,
        "formats": {fmt: res.as_json() for fmt, res in results.items()},
        "stored_check": check,
    }
    report = out_dir / "import.json"
    report.write_text(json.dumps(result, indent=2) + "\n")
    console.print(f"[dim]wrote {report}[/dim]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
