"""The docs cannot drift from the code: generated tables match the registries,
and every registry entry carries a definition."""

from __future__ import annotations

from pathlib import Path

from footfall.auth.access import ACTIONS
from footfall.collect.formats import LOG_FORMATS
from footfall.pipeline.batch import ENRICH_STEPS
from footfall.reference import update_docs
from footfall.vocabulary.dimensions import DIMENSIONS
from footfall.vocabulary.metrics import METRICS

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_generated_tables_are_up_to_date() -> None:
    assert update_docs(DOCS, write=False) == [], "run `footfall docs --write`"


def test_every_metric_dimension_format_and_step_is_documented() -> None:
    metrics = (DOCS / "metrics.md").read_text()
    formats = (DOCS / "formats.md").read_text()
    architecture = (DOCS / "architecture.md").read_text()
    for m in METRICS:
        assert m.doc and f"`{m.name}`" in metrics
    for d in DIMENSIONS:
        assert d.doc and f"`{d.name}`" in metrics
    for f in LOG_FORMATS:
        assert f.doc and f"`{f.name}`" in formats
    for s in ENRICH_STEPS:
        assert s.doc and f"`{s.name}`" in architecture
    api = (DOCS / "api.md").read_text()
    for a in ACTIONS:
        assert a.doc and f"`{a.name}`" in api


def test_readme_has_the_two_commands_and_the_library_table() -> None:
    readme = (DOCS.parent / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    for library in ("duckdb", "pyarrow", "typer", "rich", "ua-parser", "crawlerdetect", "iptocc",
                    "fastapi", "uvicorn", "argon2-cffi", "python-multipart", "playwright"):  # fmt: skip
        assert library in readme.lower()


def test_every_setting_is_documented_and_the_example_file_loads(tmp_path: Path) -> None:
    from footfall.settings import _FIELDS, FIELD_DOCS, SITE_DOCS, SiteOptions, load_settings

    assert [key for key, _ in _FIELDS] == list(FIELD_DOCS)
    assert set(SITE_DOCS) == set(SiteOptions.__dataclass_fields__)
    page = (DOCS / "settings.md").read_text()
    for key in FIELD_DOCS:
        assert f"`{key}`" in page and f"`FOOTFALL_{key.upper()}`" in page
    for key in SITE_DOCS:
        assert f"`{key}`" in page
    example = page.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "footfall.toml").write_text(example)
    settings = load_settings({}, tmp_path / "footfall.toml")
    assert settings.memory_limit == "2GB" and settings.site_defaults.ip_mode == "truncated"
    readme = (DOCS.parent / "README.md").read_text()
    assert "docs/settings.md" in readme
