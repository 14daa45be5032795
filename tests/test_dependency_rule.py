"""The dependency rule of docs/architecture.md, checked on every import.

Each module's imports are read with ``ast`` (the whole tree, so an import inside a
function counts as much as one at the top) and compared with
``footfall.reference.ALLOWED_IMPORTS``, the table the architecture page shows.
"""

from __future__ import annotations

import ast
from pathlib import Path

from footfall.reference import ALLOWED_IMPORTS, OWNED_LIBRARIES, dependency_table

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "footfall"
DOCS = PACKAGE.parent.parent / "docs"


def _part(path: Path) -> str:
    """The top-level part of ``footfall`` a file belongs to (``store``, ``errors``, ...)."""
    first = path.relative_to(PACKAGE).parts[0]
    return first.removesuffix(".py")


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every absolute module a file imports, with its line; relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ["footfall", *path.relative_to(PACKAGE).parent.parts]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module == "footfall" or (node.level and not node.module):
                # ``from footfall import x``: x is the part (or module) imported
                found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, module))
    return found


def broken_arrows() -> list[str]:
    broken = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.parent == PACKAGE and path.name == "__init__.py":
            continue  # the package's own docstring and version
        part = _part(path)
        where = path.relative_to(PACKAGE.parent)
        for line, module in _imports(path):
            top, _, rest = module.partition(".")
            if top == "footfall":
                target = rest.partition(".")[0]
                if target and target != part and target not in ALLOWED_IMPORTS.get(part, ()):
                    broken.append(f"{where}:{line}: {part} imports {module}")
            elif top in OWNED_LIBRARIES and OWNED_LIBRARIES[top] != part:
                broken.append(
                    f"{where}:{line}: {part} imports {module} (only {OWNED_LIBRARIES[top]})"
                )
    return broken


def test_every_part_is_in_the_rule() -> None:
    parts = {_part(p) for p in PACKAGE.rglob("*.py") if p != PACKAGE / "__init__.py"}
    parts.discard("py")
    assert parts <= set(ALLOWED_IMPORTS), (
        f"parts missing from the rule: {parts - set(ALLOWED_IMPORTS)}"
    )


def test_the_rule_points_only_down() -> None:
    order = list(ALLOWED_IMPORTS)
    for part, allowed in ALLOWED_IMPORTS.items():
        assert "cli" not in allowed, "nothing imports cli"
        for other in allowed:
            assert order.index(other) < order.index(part), f"{part} -> {other} points up"


def test_no_import_breaks_the_dependency_rule() -> None:
    broken = broken_arrows()
    assert not broken, "imports against docs/architecture.md:\n" + "\n".join(broken)


def test_the_architecture_page_shows_this_rule() -> None:
    page = (DOCS / "architecture.md").read_text(encoding="utf-8")
    assert dependency_table() in page, "run `footfall docs --write`"


if __name__ == "__main__":
    print("\n".join(broken_arrows()) or "no broken arrows")
