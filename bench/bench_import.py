"""Benchmark `footfall import` against GoAccess and `wc -l` on the same generated log.

Usage::

    python bench/bench_import.py [--lines 1000000] [--big-lines 5000000] [--out bench/out]

See bench/README.md for what each figure means.  Only standard library, psutil and
rich are needed besides footfall itself (for the log generator).
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


def ensure_log(out_dir: Path, lines: int, seed: int) -> tuple[Path, Run]:
    """Generate (or reuse) a bench log of exactly `lines` lines; returns (path, gen run)."""
    path = out_dir / f"bench-{lines}-s{seed}.log"
    meta_path = path.with_name(path.name + ".meta")
    want = {
        "lines": lines,
        "seed": seed,
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
    console.print(f"[dim]generating {lines:,} lines -> {path}[/dim]")
    meta_path.unlink(missing_ok=True)
    started = time.perf_counter()
    demo_generator.write_bench_log(path, lines, seed=seed)
    run.seconds = time.perf_counter() - started
    run.megabytes = path.stat().st_size / 1e6
    meta = {**want, "bytes": path.stat().st_size, "created": dt.datetime.now(dt.UTC).isoformat()}
    tmp = meta_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(meta, indent=2) + "\n")
    tmp.replace(meta_path)
    return path, run


# ----------------------------------------------------------------------------- tools


def run_wc(path: Path, lines: int, mb: float, repeats: int = 3) -> Run:
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
        if counted != lines:
            run.note = f"counted {counted:,} lines, expected {lines:,}"
        if best is None or m.seconds < best.seconds:
            best = m
    assert best is not None
    _record(run, best)
    run.note = run.note or f"best of {repeats}"
    return run


def run_goaccess(
    goaccess: str | None, path: Path, lines: int, mb: float, out_dir: Path, timeout: float
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
        "--log-format=COMBINED",
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
    run.extra.update(valid_requests=valid, failed_requests=failed)
    if valid != lines:
        run.note = f"GoAccess parsed {valid} valid / {failed} failed of {lines:,} lines"
    return run


def footfall_cmd(footfall: Path, log: Path, db: Path) -> list[str]:
    return [
        str(footfall),
        "import",
        str(log),
        "--db",
        str(db),
        "--site",
        "bench",
        "--format",
        "combined",
        "--quiet",
    ]


def _remove_db(db: Path) -> None:
    for p in (db, db.with_name(db.name + ".wal")):
        p.unlink(missing_ok=True)


def run_footfall(
    footfall: Path | None,
    label: str,
    log: Path,
    db: Path,
    lines: int,
    mb: float,
    timeout: float,
    fresh: bool,
) -> Run:
    run = Run(tool=label, lines=lines, megabytes=mb)
    if footfall is None:
        run.status, run.note = "not installed", "footfall CLI not found (see --footfall)"
        return run
    if fresh:
        _remove_db(db)
    cmd = footfall_cmd(footfall, log, db)
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
    wc: Run, goaccess: Run, first: Run, again: Run, big: dict[str, Run], big_lines: int
) -> list[dict[str, object]]:
    out = []
    ff = first.lines_per_s

    name, target = "footfall ÷ GoAccess (lines/s)", f">= {TARGET_VS_GOACCESS:g}"
    if ff and goaccess.lines_per_s:
        v = ff / goaccess.lines_per_s
        out.append(ratio(name, v, target, v >= TARGET_VS_GOACCESS))
    else:
        why = "GoAccess not installed" if goaccess.status == "not installed" else ""
        out.append(ratio(name, None, target, None, why or _why(first) or _why(goaccess)))

    name = "footfall ÷ wc -l (lines/s)"
    if ff and wc.lines_per_s:
        out.append(ratio(name, ff / wc.lines_per_s, None, None, "share of the read-only floor"))
    else:
        out.append(ratio(name, None, None, None, _why(first) or _why(wc)))

    name, target = "first import ÷ re-import (time)", f">= {TARGET_REIMPORT:g}"
    if first.ok and again.ok and first.seconds and again.seconds:
        v = first.seconds / again.seconds
        out.append(ratio(name, v, target, v >= TARGET_REIMPORT))
    else:
        out.append(ratio(name, None, target, None, _why(first) or _why(again)))

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


def print_report(runs: list[Run], ratios: list[dict[str, object]]) -> None:
    table = Table(title="Import benchmark", title_justify="left")
    for col in ("tool", "lines", "MB", "seconds", "lines/s", "MB/s", "peak RSS MiB", "note"):
        justify = "left" if col in ("tool", "note") else "right"
        table.add_column(col, justify=justify, overflow="fold")
    for r in runs:
        status = "" if r.status == "ok" else f"[yellow]{r.status}[/yellow] "
        table.add_row(
            r.tool,
            _fmt(r.lines, ",d"),
            _fmt(r.megabytes, ".1f"),
            _fmt(r.seconds, ".3f"),
            _fmt(r.lines_per_s, ",.0f"),
            _fmt(r.mb_per_s, ",.1f"),
            _fmt(r.peak_rss_mib, ",.1f"),
            status + r.note,
        )
    console.print(table)
    targets = Table(title="Ratios and targets", title_justify="left")
    for col in ("ratio", "value", "target", "result"):
        targets.add_column(col, justify="right" if col in ("value", "target") else "left")
    for r in ratios:
        if r["met"] is True:
            result = "[green]met[/green]"
        elif r["met"] is False:
            result = "[red]not met[/red]"
        elif r["target"]:
            result = f"[yellow]n/a[/yellow] ({r['why']})"
        else:
            result = str(r["why"])
        value = r["value"]
        targets.add_row(
            str(r["name"]),
            _fmt_ratio(value),
            str(r["target"] or ""),
            result,
        )
    console.print(targets)


# ------------------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--lines", type=int, default=1_000_000, help="lines of the main log")
    parser.add_argument(
        "--big-lines",
        type=int,
        default=5_000_000,
        help="lines of the memory-test log (0 to skip); also runs half of it",
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

    log, gen = ensure_log(out_dir, args.lines, args.seed)
    size = log.stat().st_size
    mb = size / 1e6
    console.print(f"[dim]log: {log} ({args.lines:,} lines, {mb:,.1f} MB)[/dim]")

    wc = run_wc(log, args.lines, mb)
    goaccess = run_goaccess(args.goaccess, log, args.lines, mb, out_dir, args.timeout)
    db = out_dir / f"{log.stem}.duckdb"
    first = run_footfall(
        footfall, "footfall import (first)", log, db, args.lines, mb, args.timeout, fresh=True
    )
    if first.ok:
        again = run_footfall(
            footfall, "footfall import (again)", log, db, args.lines, mb, args.timeout, fresh=False
        )
    else:
        again = Run(
            tool="footfall import (again)", status="skipped", note="first import did not succeed"
        )
    if first.status == "failed":
        console.print("[red]footfall import failed; its stderr ends with:[/red]")
        console.print(first.detail or first.note, markup=False, highlight=False)
    if not args.keep_db:
        _remove_db(db)

    runs = [gen, wc, goaccess, first, again]
    big: dict[str, Run] = {}
    if args.big_lines:
        for key, n in (("half", args.big_lines // 2), ("full", args.big_lines)):
            if not first.ok:
                big[key] = Run(
                    tool=f"footfall import {n:,} lines",
                    status="skipped",
                    lines=n,
                    note="footfall import unavailable",
                )
                runs.append(big[key])
                continue
            big_log, big_gen = ensure_log(out_dir, n, args.seed)
            big_gen.tool = f"generator ({n:,} lines)"
            big_mb = big_log.stat().st_size / 1e6
            big_db = out_dir / f"{big_log.stem}.duckdb"
            big[key] = run_footfall(
                footfall,
                f"footfall import {n:,} lines",
                big_log,
                big_db,
                n,
                big_mb,
                args.timeout,
                fresh=True,
            )
            runs += [big_gen, big[key]]
            if key == "full" and big[key].ok:
                # the same file again: the cost of recognising it, whatever its size
                big["full_again"] = run_footfall(
                    footfall, f"footfall re-import {n:,} lines", big_log, big_db, n, big_mb,
                    args.timeout, fresh=False,
                )  # fmt: skip
                runs.append(big["full_again"])
            if not args.keep_db:
                _remove_db(big_db)

    ratios = compute_ratios(wc, goaccess, first, again, big, args.big_lines)
    print_report(runs, ratios)
    result = {
        "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpu_count": os.cpu_count(),
            "memory_mib": round(psutil.virtual_memory().total / MIB),
        },
        "file": {"path": str(log), "lines": args.lines, "bytes": size, "mb": round(mb, 3)},
        "lines": args.lines,
        "mb": round(mb, 3),
        "runs": {
            "generator": gen.as_json(),
            "wc": wc.as_json(),
            "goaccess": goaccess.as_json(),
            "footfall_first": first.as_json(),
            "footfall_reimport": again.as_json(),
        },
        "memory": {key: run.as_json() for key, run in big.items()},
        "ratios": ratios,
    }
    report = out_dir / "import.json"
    report.write_text(json.dumps(result, indent=2) + "\n")
    console.print(f"[dim]wrote {report}[/dim]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
