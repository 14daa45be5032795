"""Rebuild the served tracker files from their readable sources.

    npm install --prefix /tmp/terser terser@5
    TERSER=/tmp/terser/node_modules/.bin/terser python -m tests.tracker.minify

terser is a development tool only: nothing installs it into the repository and
nothing runs it at serve time; the minified files are committed.  The first line of
each source carries the sha256 of the source below that line, and the first line of
its minified file the first 16 hex digits of that sha256 (the full one would cost
~25 of footfall.min.js's 1024 gzipped bytes), so ``test_tracker_size`` fails when a
source is edited without rebuilding.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

TRACKER = Path(__file__).resolve().parents[2] / "src" / "footfall" / "web" / "tracker"
SOURCES = ("footfall.js", "footfall.timing.js")
HEADER = re.compile(r"^/\*! footfall source-sha256:([0-9a-f]{64}) \*/\n")
MIN_HEADER = re.compile(r"^/\*! footfall ([0-9a-f]{16}) \*/\n")
SHORT = 16
TERSER_ARGS = ["--compress", "passes=3,unsafe,unsafe_arrows", "--mangle", "--ecma", "2015",
               "--comments", "false"]  # fmt: skip


def minified_name(source: str) -> str:
    return source.removesuffix(".js") + ".min.js"


def split(text: str, header: re.Pattern[str] = HEADER) -> tuple[str | None, str]:
    """(hash in the header line or None, the code below the header)."""
    match = header.match(text)
    return (match.group(1), text[match.end() :]) if match else (None, text)


def digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def header(body: str) -> str:
    return f"/*! footfall source-sha256:{digest(body)} */\n"


def min_header(body: str) -> str:
    return f"/*! footfall {digest(body)[:SHORT]} */\n"


def main() -> int:
    terser = os.environ.get("TERSER") or shutil.which("terser")
    if not terser:
        print(__doc__, file=sys.stderr)
        return 2
    for name in SOURCES:
        source = TRACKER / name
        _, body = split(source.read_text(encoding="utf-8"))
        out = subprocess.run(
            [terser, *TERSER_ARGS], input=body, capture_output=True, text=True, check=True
        ).stdout.strip()
        source.write_text(header(body) + body, encoding="utf-8")
        (TRACKER / minified_name(name)).write_text(min_header(body) + out + "\n", encoding="utf-8")
        print(f"{name} -> {minified_name(name)}: {len(out)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
