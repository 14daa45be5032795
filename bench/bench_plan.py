"""How long do the measurement-plan reports take, next to the overview on the same data?

Usage::

    python bench/bench_plan.py [--days 42] [--visitors 600] [--repeat 5] [--out bench/out]

Builds the demo (``footfall demo``: a generated log, its plan and campaign spend) into
``bench/out/plan-demo/`` once, then times each plan report through the real CLI, best of
``--repeat``, against ``footfall report overview`` on the same database in the same run
(the reference: the cost of starting the CLI and one ordinary report).  Writes
``bench/out/plan.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPORTS = ("goals", "funnels", "kpis", "campaign-economics", "attribution")


def best_of(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=42)
    parser.add_argument("--visitors", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    footfall = str(Path(sys.executable).with_name("footfall"))
    folder = args.out / "plan-demo"
    db = folder / "footfall.duckdb"
    if not db.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        subprocess.run([footfall, "demo", "--db", str(db), "--days", str(args.days),
                        "--visitors", str(args.visitors)], check=True, capture_output=True)  # fmt: skip
    base = ["--db", str(db), "--period", "all", "--format", "json"]
    reference = best_of([footfall, "report", "overview", *base], args.repeat)
    rows = {"overview (reference)": reference}
    for name in REPORTS:
        rows[name] = best_of([footfall, "report", name, *base], args.repeat)
    print(f"{'report':24} {'seconds':>8} {'x overview':>10}")
    for name, seconds in rows.items():
        print(f"{name:24} {seconds:8.3f} {seconds / reference:10.2f}")
    out = {"days": args.days, "visitors": args.visitors, "repeat": args.repeat,
           "seconds": rows, "ratio_to_overview": {k: v / reference for k, v in rows.items()}}  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "plan.json").write_text(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
