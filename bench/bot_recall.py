"""How many crawlers does Footfall flag, how many browsers does it wrongly flag, at what cost?

Usage::

    python bench/bot_recall.py [--out bench/out] [--label NAME]

Runs ``describe_agent`` (the per-distinct-agent enrichment the import does) once on every
agent of the labelled corpus in ``tests/fixtures/bots/`` (built by ``bench/bot_corpus.py``)
with its caches cleared, and prints recall on crawlers and false-positive rate on browsers,
overall and per source, the rule families that decided, and the cost per distinct agent (µs,
wall clock, fastest of ``--repeat`` passes). Writes ``bench/out/bots.json`` (under ``--label``, default ``current``,
so a before/after pair can be kept) and the misses and false positives as
``bench/out/bots-misses.tsv`` and ``bench/out/bots-false-positives.tsv`` for reading.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from footfall.enrich.bots import classify_bot_user_agent
from footfall.enrich.useragent import describe_agent

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "tests" / "fixtures" / "bots"


def load(name: str) -> list[tuple[str, str]]:
    path = CORPUS / name
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return [tuple(line.split("\t", 1)) for line in raw.decode("utf-8").splitlines()]  # type: ignore[misc]


def rule_family(rule: str | None) -> str:
    if rule is None:
        return "-"
    kind, _, name = rule.partition(":")
    return rule if kind == "ua" and name in ("empty",) else kind if kind != "ua" else "ua:own"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--label", default="current")
    parser.add_argument("--repeat", type=int, default=3, help="passes; the fastest counts")
    args = parser.parse_args()

    crawlers, browsers = load("crawlers.txt"), load("browsers.txt.gz")
    distinct = sorted({ua for _, ua in crawlers} | {ua for _, ua in browsers})
    describe_agent("warm-up/1.0")  # first-call set-up (regex compilation) is not per agent
    passes = []
    for _ in range(max(1, args.repeat)):
        describe_agent.cache_clear()
        classify_bot_user_agent.cache_clear()
        started = time.perf_counter()
        info = {ua: describe_agent(ua) for ua in distinct}
        passes.append((time.perf_counter() - started) / len(distinct) * 1e6)
    us_per_agent = min(passes)

    rows: dict[str, dict[str, object]] = {}
    families: Counter[str] = Counter()
    misses, false_positives = [], []
    for label, corpus in (("crawler", crawlers), ("browser", browsers)):
        by_source: dict[str, list[int]] = {}
        for source, ua in corpus:
            flagged = info[ua].bot_rule is not None
            counts = by_source.setdefault(source, [0, 0])
            counts[0] += 1
            counts[1] += flagged
            if label == "crawler":
                families[rule_family(info[ua].bot_rule)] += 1
                if not flagged:
                    misses.append(f"{source}\t{ua}")
            elif flagged:
                false_positives.append(f"{source}\t{info[ua].bot_rule}\t{ua}")
        total = [sum(c[0] for c in by_source.values()), sum(c[1] for c in by_source.values())]
        for source, (n, flagged) in [*sorted(by_source.items()), ("all", total)]:
            rows[f"{label}:{source}"] = {
                "label": label, "source": source, "agents": n, "flagged": flagged,
                "rate": round(flagged / n, 4),
            }  # fmt: skip

    table = Table(title=f"Bot detection on the labelled corpus ({args.label})")
    for col in ("set", "source", "agents", "flagged", "recall / false positives"):
        table.add_column(col, justify="right" if col in ("agents", "flagged") else "left")
    for row in rows.values():
        what = "recall" if row["label"] == "crawler" else "false positives"
        table.add_row(
            str(row["label"]) + "s", str(row["source"]), f"{row['agents']:,}",
            f"{row['flagged']:,}", f"{what} {float(row['rate']) * 100:.2f} %",  # type: ignore[arg-type]
        )  # fmt: skip
    console = Console(width=110)
    console.print(table)
    console.print(
        f"{len(distinct):,} distinct agents, describe_agent {us_per_agent:.1f} µs per distinct "
        f"agent (fastest of {len(passes)} passes, caches cleared)"
    )
    console.print("crawlers decided by: " + ", ".join(f"{k} {v}" for k, v in families.items()))

    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "bots.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    results[args.label] = {
        "measured": time.strftime("%Y-%m-%d %H:%M"),
        "distinct_agents": len(distinct),
        "us_per_distinct_agent": round(us_per_agent, 1),
        "crawlers_decided_by": dict(families),
        "rows": list(rows.values()),
    }
    path.write_text(json.dumps(results, indent=2) + "\n")
    (args.out / "bots-misses.tsv").write_text("\n".join(misses) + "\n")
    (args.out / "bots-false-positives.tsv").write_text("\n".join(false_positives) + "\n")


if __name__ == "__main__":
    main()
