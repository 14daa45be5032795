"""What a new user meets first: `footfall --version`, `footfall docs` from anywhere (the
pages ship in the package), and the overview pointing to what a visitor is."""

from __future__ import annotations

import subprocess
from importlib import metadata, resources
from pathlib import Path

from tests.conftest import FOOTFALL, combined

LINES = [combined(f"10.0.0.{i}", "2026-03-02 09:00:00", f"/p{i}") for i in range(3)]


def run_outside(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The venv's `footfall` from a folder outside the repository."""
    return subprocess.run([FOOTFALL, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env={"PATH": "/usr/bin:/bin", "COLUMNS": "200"})  # fmt: skip


def test_version_is_the_package_version(tmp_path: Path) -> None:
    result = run_outside(tmp_path, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"footfall {metadata.version('footfall')}"


def test_docs_ship_in_the_package() -> None:
    shipped = resources.files("footfall") / "docs"
    for page in ("metrics.md", "formats.md", "plan.md", "privacy.md", "api.md", "tracker.md",
                 "settings.md", "architecture.md"):  # fmt: skip
        assert (shipped / page).is_file(), page


def test_docs_outside_the_repository(tmp_path: Path) -> None:
    listing = run_outside(tmp_path, "docs")
    assert listing.returncode == 0, listing.stderr
    assert "Traceback" not in listing.stderr
    for name in ("metrics", "formats", "plan", "privacy", "api", "tracker", "settings"):
        assert name in listing.stdout
    page = run_outside(tmp_path, "docs", "metrics")
    assert page.returncode == 0, page.stderr
    assert "Distinct visitor ids with at least one pageview" in page.stdout
    unknown = run_outside(tmp_path, "docs", "nosuch")
    assert unknown.returncode == 2
    assert len(unknown.stderr.strip().splitlines()) == 1 and "nosuch" in unknown.stderr
    check = run_outside(tmp_path, "docs", "--check")  # a source checkout's job: one line
    assert check.returncode == 2 and "Traceback" not in check.stderr
    assert len(check.stderr.strip().splitlines()) == 1


def test_help_texts_name_pages_that_exist(tmp_path: Path) -> None:
    """Help points to `footfall docs NAME`, not to docs/ files an installed package lacks."""
    for command in (("site",), ("plan", "check"), ("load",), ("report",)):
        text = run_outside(tmp_path, *command, "--help").stdout
        assert "docs/" not in text, command
    assert "footfall docs privacy" in " ".join(
        run_outside(tmp_path, "site", "--help").stdout.split()
    )


def test_overview_points_to_the_visitors_definition(cli, write_log, db_path: Path) -> None:
    log = write_log("a.log", LINES)
    assert cli("import", str(log), "--db", str(db_path), "--site", "s", "-q").code == 0
    out = cli("report", "overview", "--db", str(db_path)).out
    flat = " ".join(out.split())
    assert "Visitors: distinct daily visitor ids" in flat
    assert "footfall docs metrics" in flat
