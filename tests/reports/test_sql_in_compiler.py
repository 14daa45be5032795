"""SQL text is written in the store and in the report compiler, nowhere else.

Walks the AST of every module under ``src/footfall/`` and fails on a string
constant (or a literal part of an f-string) that looks like SQL outside the
allowed places: ``store/`` (the database, its schema and writes), the report
compiler (``reports/compiler/``), and the import engine that runs in embedded
DuckDB by design (``collect/parse_sql.py``, ``enrich/``, ``pipeline/``).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "footfall"

SQL = re.compile(
    r"\b(SELECT|INSERT INTO|DELETE FROM|UPDATE \w+ SET|CREATE (OR REPLACE )?(TEMP )?(TABLE|VIEW)|FROM \w+ WHERE)\b"
)

ALLOWED = (
    "store/",
    "reports/compiler/",
    "collect/parse_sql.py",
    "collect/split_plan.py",
    "enrich/",
    "pipeline/",
)


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append((node.lineno, node.value))
    return out


def _docstrings(tree: ast.AST) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                lines.add(body[0].value.lineno)
    return lines


def sql_outside_the_compiler() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix()
        if rel.startswith(ALLOWED) or rel in ALLOWED:
            continue
        tree = ast.parse(path.read_text(), str(path))
        docs = _docstrings(tree)
        hits = [
            f"{rel}:{line}: {text.strip()[:60]!r}"
            for line, text in _strings(tree)
            if line not in docs and SQL.search(text)
        ]
        if hits:
            found[rel] = hits
    return found


def test_no_sql_outside_store_and_compiler() -> None:
    found = sql_outside_the_compiler()
    assert not found, "SQL outside store/ and reports/compiler/:\n" + "\n".join(
        h for hits in found.values() for h in hits
    )


def test_the_pattern_finds_sql() -> None:
    assert SQL.search("SELECT 1")
    assert SQL.search("x FROM hits WHERE site = ?")
    assert SQL.search("UPDATE users SET x = 1")
    assert not SQL.search("select a report")  # upper case only: prose is not SQL
