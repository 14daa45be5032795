"""Reference tables for the docs, written from the registries themselves.

``footfall docs --write`` replaces the text between ``<!-- generated:NAME -->``
and ``<!-- end:NAME -->`` in docs/*.md; a test fails when a registry and its
page disagree, so a metric, dimension, format or rule cannot go undocumented.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import MISSING, fields
from importlib import resources
from pathlib import Path

from footfall.auth.access import ACTIONS, ROLES
from footfall.collect.business_csv import KINDS
from footfall.collect.directives import APACHE, NGINX
from footfall.collect.formats import LOG_FORMATS
from footfall.collect.jsonlog import JSON_PATHS
from footfall.collect.w3c import W3C_FIELDS
from footfall.enrich.bots import BEHAVIOUR_RULES
from footfall.enrich.channels import CHANNEL_RULES
from footfall.errors import ConfigError
from footfall.pipeline.batch import ENRICH_STEPS
from footfall.reports.attribution import MODELS
from footfall.reports.catalog import REPORTS
from footfall.reports.plan_catalog import PLAN_REPORTS
from footfall.settings import _FIELDS, FIELD_DOCS, SITE_DOCS, Settings, SiteOptions
from footfall.vocabulary.bots import BOT_CATEGORIES
from footfall.vocabulary.dimensions import DIMENSIONS
from footfall.vocabulary.metrics import METRICS

#: The dependency rule: which top-level parts of ``footfall`` each part may import.
#: ``tests/test_dependency_rule.py`` checks every import (lazy ones too) against it and
#: docs/architecture.md shows it as a generated table.
_CORE = ("errors", "settings", "vocabulary", "store", "collect", "enrich", "pipeline", "plan",
         "auth", "reports", "present", "demo")  # fmt: skip
ALLOWED_IMPORTS: dict[str, tuple[str, ...]] = {
    "errors": (),
    "settings": ("errors",),
    "vocabulary": ("errors",),
    "store": ("errors", "settings"),
    "collect": ("errors", "settings"),
    "enrich": ("errors", "settings", "collect"),
    "pipeline": ("errors", "settings", "collect", "enrich", "store"),
    "plan": ("errors", "settings", "vocabulary"),
    "auth": ("errors", "settings", "store"),
    "reports": ("errors", "settings", "vocabulary", "store", "plan"),
    "present": ("errors", "settings", "vocabulary", "plan", "reports"),
    "demo": ("errors", "settings"),
    "reference": _CORE,  # writes the docs' tables from every registry
    "web": (*_CORE, "reference"),
    "cli": (*_CORE, "reference", "web"),  # starts the server; nothing imports cli
}

#: Third-party packages that belong to one part only.
OWNED_LIBRARIES: dict[str, str] = {
    "typer": "cli",
    "click": "cli",
    "rich": "cli",
    "fastapi": "web",
    "starlette": "web",
    "uvicorn": "web",
    "duckdb": "store",
}


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def metrics_table() -> str:
    return _table(
        ("metric", "counts", "over", "definition"),
        [
            (f"`{m.name}`", "bots too" if m.scope == "all" else "people*", m.table, m.doc)
            for m in METRICS
        ],
    )


def dimensions_table() -> str:
    return _table(("dimension", "definition"), [(f"`{d.name}`", d.doc) for d in DIMENSIONS])


def reports_table() -> str:
    return _table(
        ("report", "dimensions", "metrics", "what"),
        [
            (f"`{r.name}`", ", ".join(r.dimensions) or "–", ", ".join(r.metrics), r.doc)
            for r in REPORTS
        ],
    )


def formats_table() -> str:
    return _table(
        ("name", "format string", "notes"),
        [
            (f"`{f.name}`", f"`{f.spec}`" if f.spec else "(from the file)", f.doc)
            for f in LOG_FORMATS
        ],
    )


def directives_table() -> str:
    rows = [(f"`%{k}`", d.field or "(ignored)", d.doc) for k, d in APACHE.items()]
    rows += [(f"`${k}`", d.field or "(ignored)", d.doc) for k, d in NGINX.items()]
    rows += [(f"`{k}`", d.field or "(ignored)", d.doc) for k, d in W3C_FIELDS.items()]
    return _table(("directive", "field", "meaning"), rows)


def json_keys_table() -> str:
    return _table(
        ("field", "keys tried, in order"),
        [(field, ", ".join(f"`{p}`" for p in paths)) for field, paths in JSON_PATHS.items()],
    )


def enrichment_table() -> str:
    return _table(("step", "what it does"), [(f"`{s.name}`", s.doc) for s in ENRICH_STEPS])


def bots_table() -> str:
    rows = [(f"`{c.name}`", c.label, c.doc) for c in BOT_CATEGORIES]
    return _table(("category", "label", "what"), rows)


def behaviour_table() -> str:
    return _table(
        ("rule", "category", "signal"),
        [(f"`{b.name}`", b.category, b.doc) for b in BEHAVIOUR_RULES],
    )


def channels_table() -> str:
    return _table(
        ("order", "rule", "channel", "when"),
        [(str(i + 1), f"`{r.name}`", r.channel, r.doc) for i, r in enumerate(CHANNEL_RULES)],
    )


def actions_table() -> str:
    return _table(
        ("action", "what it allows", "roles"),
        [
            (f"`{a.name}`", a.doc, ", ".join(r for r, acts in ROLES.items() if a.name in acts))
            for a in ACTIONS
        ],
    )


def plan_reports_table() -> str:
    return _table(("report", "what"), [(f"`{r.name}`", r.doc) for r in PLAN_REPORTS])


def attribution_table() -> str:
    return _table(("model", "credit"), [(f"`{name}`", doc) for name, _, doc in MODELS])


def business_csv_table() -> str:
    rows = []
    for kind in KINDS:
        columns = ", ".join(f"**{c.name}**" if c.required else c.name for c in kind.columns)
        rows.append((f"`{kind.name}`", columns, ", ".join(kind.key), kind.doc))
    return _table(("kind", "columns (bold: required)", "natural key", "what"), rows)


def dependency_table() -> str:
    rows = []
    for part, allowed in ALLOWED_IMPORTS.items():
        libraries = ", ".join(lib for lib, owner in OWNED_LIBRARIES.items() if owner == part)
        rows.append((f"`{part}`", ", ".join(f"`{a}`" for a in allowed) or "nothing of ours",
                     libraries or "–"))  # fmt: skip
    return _table(("part", "may import", "only it imports"), rows)


def _default(value: object) -> str:
    if isinstance(value, tuple):
        return ", ".join(str(v) or '""' for v in value) or "(none)"
    return str(value)


def settings_table() -> str:
    defaults = {f.name: f.default for f in fields(Settings) if f.default is not MISSING}
    rows = [(f"`{key}`", f"`FOOTFALL_{key.upper()}`", _default(defaults[key]), FIELD_DOCS[key])
            for key, _ in _FIELDS]  # fmt: skip
    return _table(("key", "environment", "default", "what"), rows)


def site_settings_table() -> str:
    defaults = {f.name: f.default for f in fields(SiteOptions)}
    rows = [(f"`{key}`", _default(defaults[key]), doc) for key, doc in SITE_DOCS.items()]
    return _table(("key", "default", "what"), rows)


GENERATED: dict[str, tuple[str, Callable[[], str]]] = {
    "settings": ("settings.md", settings_table),
    "site-settings": ("settings.md", site_settings_table),
    "plan-reports": ("plan.md", plan_reports_table),
    "attribution-models": ("plan.md", attribution_table),
    "business-csv": ("plan.md", business_csv_table),
    "actions": ("api.md", actions_table),
    "metrics": ("metrics.md", metrics_table),
    "dimensions": ("metrics.md", dimensions_table),
    "reports": ("metrics.md", reports_table),
    "bots": ("metrics.md", bots_table),
    "behaviour": ("metrics.md", behaviour_table),
    "channels": ("metrics.md", channels_table),
    "formats": ("formats.md", formats_table),
    "directives": ("formats.md", directives_table),
    "json-keys": ("formats.md", json_keys_table),
    "enrichment": ("architecture.md", enrichment_table),
    "dependencies": ("architecture.md", dependency_table),
}


def render(text: str, name: str, content: str) -> str:
    pattern = re.compile(rf"(<!-- generated:{name} -->\n).*?(<!-- end:{name} -->)", re.DOTALL)
    if not pattern.search(text):
        raise KeyError(f"no <!-- generated:{name} --> block")
    return pattern.sub(lambda m: m.group(1) + content + "\n" + m.group(2), text)


def update_docs(docs: Path, write: bool) -> list[str]:
    """Regenerate every block; returns the names of blocks that were out of date."""
    stale = []
    for name, (page, make) in GENERATED.items():
        path = docs / page
        text = path.read_text(encoding="utf-8")
        new = render(text, name, make())
        if new != text:
            stale.append(f"{page}:{name}")
            if write:
                path.write_text(new, encoding="utf-8")
    return stale


def _shipped_docs() -> Path:
    """docs/*.md as the package ships them (``footfall/docs``: a link to docs/ in a source
    checkout, the files themselves in a wheel)."""
    return Path(str(resources.files("footfall") / "docs"))


def doc_pages() -> dict[str, str]:
    """Every shipped page by name (``metrics`` for metrics.md), with its first heading."""
    pages = {}
    for path in sorted(_shipped_docs().glob("*.md")):
        heading = next((line for line in path.read_text(encoding="utf-8").splitlines()
                        if line.startswith("#")), path.stem)  # fmt: skip
        pages[path.stem] = heading.lstrip("# ").strip()
    return pages


def doc_page(name: str) -> str:
    """The text of one shipped page; ``name`` as ``doc_pages`` lists it (``.md`` optional)."""
    stem = name.removesuffix(".md")
    pages = doc_pages()
    if stem not in pages:
        raise ConfigError(f"no documentation page {name!r}; pages: {', '.join(pages)}")
    return (_shipped_docs() / f"{stem}.md").read_text(encoding="utf-8")
