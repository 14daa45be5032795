"""(Re)build the labelled bot corpus in ``tests/fixtures/bots/`` from public packages.

Usage::

    python bench/bot_corpus.py [--fetch] [--sources bench/out/bot-sources]

Nothing in the corpus is written here: every agent comes from a list that someone else
maintains, read straight out of the package archives named in ``SOURCES`` (exact versions).
``--fetch`` downloads those archives into ``--sources`` with the ordinary registry clients
(``npm pack NAME@VERSION`` and ``pip download --no-deps --no-binary :all: NAME==VERSION``);
without it the archives must already be there.

Writes, each line ``source<TAB>agent``, deduplicated within a source, sorted:

- ``crawlers.txt``: agents a maintained list labels as a crawler, bot or non-browser client;
- ``browsers.txt.gz``: agents a maintained list labels as a browser or a person's app.

An agent labelled both ways by different lists is dropped from both files (counted in the
output). ``tests/fixtures/bots/README.md`` documents sources, versions and licences.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = ROOT / "tests" / "fixtures" / "bots"

# (registry, package, version, archive file name)
SOURCES: tuple[tuple[str, str, str, str], ...] = (
    ("npm", "crawler-user-agents", "1.60.0", "crawler-user-agents-1.60.0.tgz"),
    ("npm", "user-agents", "2.1.198", "user-agents-2.1.198.tgz"),
    ("pypi", "crawlerdetect", "0.4.2", "crawlerdetect-0.4.2.tar.gz"),
    ("pypi", "device-detector", "6.5.1", "device_detector-6.5.1.tar.gz"),
)

# crawlerdetect's devices.txt has 165,640 distinct agents (24 MB): a fixed sample keeps the
# corpus small and the test fast. The sample is the agents with the smallest SHA-1, so it
# does not depend on the file's order and is the same on every rebuild.
CRAWLERDETECT_DEVICE_SAMPLE = 20_000

# device-detector client types that a person drives (the fixtures of podcast apps are left
# out: those apps fetch feeds on a schedule).
DD_PERSON_APPS = frozenset({"mobile app", "messaging", "pim"})
# device-detector client types that are programs, not people: HTTP libraries, feed readers.
DD_PROGRAMS = frozenset({"library", "feed reader"})


def fetch(dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for registry, name, version, archive in SOURCES:
        if (dest / archive).exists():
            continue
        if registry == "npm":
            cmd = ["npm", "pack", f"{name}@{version}", "--pack-destination", str(dest)]
        else:
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary",
                   ":all:", f"{name}=={version}", "-d", str(dest)]  # fmt: skip
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def members(archive: Path, suffix: str) -> Iterator[tuple[str, bytes]]:
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.endswith(suffix):
                file = tar.extractfile(member)
                assert file is not None
                yield member.name, file.read()


def one(archive: Path, suffix: str) -> bytes:
    found = list(members(archive, suffix))
    if len(found) != 1:
        raise SystemExit(f"{archive.name}: expected one *{suffix}, found {len(found)}")
    return found[0][1]


def lines(data: bytes) -> list[str]:
    return [line.strip() for line in data.decode("utf-8").splitlines() if line.strip()]


def crawler_user_agents(src: Path) -> Iterator[tuple[str, str, str]]:
    data = json.loads(one(src / "crawler-user-agents-1.60.0.tgz", "/crawler-user-agents.json"))
    for entry in data:
        for agent in entry.get("instances", []):
            yield "crawler", "crawler-user-agents", agent


def user_agents(src: Path) -> Iterator[tuple[str, str, str]]:
    data = json.loads(one(src / "user-agents-2.1.198.tgz", "/dist/user-agents.json"))
    for entry in data:
        yield "browser", "user-agents", entry["userAgent"]


def crawlerdetect(src: Path) -> Iterator[tuple[str, str, str]]:
    archive = src / "crawlerdetect-0.4.2.tar.gz"
    for agent in lines(one(archive, "/fixtures/user_agent/crawlers.txt")):
        yield "crawler", "crawlerdetect", agent
    devices = set(lines(one(archive, "/fixtures/user_agent/devices.txt")))
    ordered = sorted(devices, key=lambda ua: hashlib.sha1(ua.encode()).hexdigest())
    for agent in ordered[:CRAWLERDETECT_DEVICE_SAMPLE]:
        yield "browser", "crawlerdetect-devices", agent


def device_detector(src: Path) -> Iterator[tuple[str, str, str]]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for name, data in sorted(members(src / "device_detector-6.5.1.tar.gz", ".yml")):
        if "/tests/fixtures/upstream/" not in name:
            continue
        podcasting = name.endswith("/podcasting.yml")
        for entry in yaml.load(io.BytesIO(data), Loader=loader) or ():
            agent = str(entry.get("user_agent") or "").strip()
            client_type = (entry.get("client") or {}).get("type")
            if not agent:
                continue
            if entry.get("bot"):
                yield "crawler", "device-detector:bots", agent
            elif client_type in DD_PROGRAMS:
                yield "crawler", "device-detector:libraries+feeds", agent
            elif client_type == "browser":
                yield "browser", "device-detector:browsers", agent
            elif client_type in DD_PERSON_APPS and not podcasting:
                yield "browser", "device-detector:apps", agent


def build(src: Path) -> dict[str, object]:
    rows: set[tuple[str, str, str]] = set()
    for reader in (crawler_user_agents, user_agents, crawlerdetect, device_detector):
        for label, source, agent in reader(src):
            if "\t" in agent or "\n" in agent:
                continue
            rows.add((label, source, agent))
    labels: dict[str, set[str]] = {}
    for label, _, agent in rows:
        labels.setdefault(agent, set()).add(label)
    conflicting = {agent for agent, seen in labels.items() if len(seen) > 1}
    OUT.mkdir(parents=True, exist_ok=True)
    counts: dict[str, dict[str, int]] = {"crawler": {}, "browser": {}}
    for label, path in (("crawler", OUT / "crawlers.txt"), ("browser", OUT / "browsers.txt.gz")):
        kept = sorted((s, a) for lab, s, a in rows if lab == label and a not in conflicting)
        text = "".join(f"{s}\t{a}\n" for s, a in kept).encode("utf-8")
        if path.suffix == ".gz":
            # mtime=0: the same corpus gives the same bytes on every rebuild.
            with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as out:
                out.write(text)
        else:
            path.write_bytes(text)
        for source, _ in kept:
            counts[label][source] = counts[label].get(source, 0) + 1
    return {"counts": counts, "dropped_conflicting": len(conflicting)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=HERE / "out" / "bot-sources")
    parser.add_argument("--fetch", action="store_true", help="download the archives first")
    args = parser.parse_args()
    if args.fetch:
        fetch(args.sources)
    missing = [a for *_, a in SOURCES if not (args.sources / a).exists()]
    if missing:
        raise SystemExit(f"missing in {args.sources}: {', '.join(missing)} (use --fetch)")
    print(json.dumps(build(args.sources), indent=2))


if __name__ == "__main__":
    main()
