"""Imports asked through the API read only inside the ``import_dirs`` directories, and a
refused path is refused before any byte of it is read (issue 11, defect 7)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from footfall.errors import OutsideImportDirs
from footfall.pipeline.importer import ImportReport, ImportRequest, run_import
from footfall.settings import Settings, SiteOptions
from tests.conftest import combined

SECRET = "SECRET-FIRST-LINE"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """allowed/{access.log, link.log -> outside, rotated/{a.log.1, a.log}}, outside/secret.log"""
    allowed, outside = tmp_path / "allowed", tmp_path / "outside"
    (allowed / "rotated").mkdir(parents=True)
    outside.mkdir()

    def log(path: Path, minute: int) -> None:
        lines = [
            combined(f"192.0.2.{i}", f"2026-10-10 10:{minute:02d}:{i:02d}", "/") for i in (1, 2)
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    log(allowed / "access.log", 0)
    log(allowed / "rotated" / "a.log.1", 1)
    log(allowed / "rotated" / "a.log", 2)
    (outside / "secret.log").write_text(
        f"root x 0 {SECRET}:/root:/bin/sh\nnothing like a log\n", encoding="utf-8"
    )
    (allowed / "link.log").symlink_to(outside / "secret.log")
    return tmp_path


def run(tree: Path, inputs: list[str], roots: tuple[Path, ...] | None) -> ImportReport:
    settings = Settings(db_path=tree / "t.duckdb", site_defaults=SiteOptions(country=False))
    return run_import(settings, ImportRequest(inputs, "s", allowed_roots=roots))


def hits(tree: Path) -> int:
    with duckdb.connect(str(tree / "t.duckdb"), read_only=True) as con:
        return int(con.execute("SELECT count(*) FROM hits").fetchone()[0])  # type: ignore[index]


def test_files_globs_and_directories_inside_import(tree: Path) -> None:
    allowed = tree / "allowed"
    report = run(tree, [str(allowed / "access.log"), str(allowed / "rotated" / "*.log*")],
                 (allowed,))  # fmt: skip
    assert not report.failed
    assert [s.status for s in report.sources] == ["imported"] * 3
    assert hits(tree) == 6
    # a directory, named through a relative path with ".." that stays inside
    again = run(tree, [str(allowed / "rotated" / ".." / "rotated")], (allowed,))
    assert [s.status for s in again.sources] == ["unchanged"] * 2  # known already, not refused


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ("outside/secret.log", "outside/secret.log"),  # a file outside
        ("allowed/../outside/secret.log", "allowed/../outside/secret.log"),  # climbing out
        ("allowed/link.log", "allowed/link.log"),  # a link inside to a file outside
        ("allowed/*.log", "allowed/link.log"),  # a glob matching that link
        ("allowed", "allowed/link.log"),  # a directory holding it
        ("outside/*.log", "outside/*.log"),  # a glob outside: refused before it is listed
        ("outside/missing.log", "outside/missing.log"),  # absent: no hint whether it exists
    ],
)
def test_paths_leading_outside_are_refused_unread(tree: Path, given: str, named: str) -> None:
    with pytest.raises(OutsideImportDirs) as refused:
        run(tree, [str(tree / "allowed" / "access.log"), str(tree / given)], (tree / "allowed",))
    message = str(refused.value)
    assert message.startswith(f"{tree / named}: outside the allowed import directories")
    assert "import_dirs" in message and "FOOTFALL_IMPORT_DIRS" in message
    assert "SECRET" not in message and "secret.log" not in message.replace(str(tree / named), "")
    assert not (tree / "t.duckdb").exists()  # the whole request is refused, nothing imported


def test_without_a_list_the_owner_imports_anything(tree: Path) -> None:
    """The control: read without a list, the file's first line is quoted in the error,
    which is what the list keeps API callers from seeing."""
    report = run(tree, [str(tree / "allowed" / "link.log")], None)
    assert report.failed and SECRET in report.failed[0].message


def test_an_empty_list_allows_nothing(tree: Path) -> None:
    with pytest.raises(OutsideImportDirs, match="set import_dirs"):
        run(tree, [str(tree / "allowed" / "access.log")], ())


def test_standard_input_is_not_for_api_callers(tree: Path) -> None:
    with pytest.raises(OutsideImportDirs, match="standard input"):
        run(tree, ["-"], (tree / "allowed",))
