"""Helpers for the collect tests: import files into a fresh DuckDB and read it back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from footfall.pipeline.importer import ImportReport, ImportRequest, run_import
from footfall.settings import Settings, SiteOptions

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "logs"

#: Columns of ``hits`` the format tests look at.
HIT_FIELDS = (
    "line_no", "ts", "day", "ip", "method", "path", "protocol", "status", "bytes", "referrer",
    "referrer_host", "host", "duration_ms", "utm_source", "utm_medium", "utm_campaign",
    "utm_content", "utm_term", "click_id", "browser", "device", "kind", "is_pageview",
)  # fmt: skip


@dataclass
class Imported:
    db: Path
    report: ImportReport

    def query(self, sql: str, params: list[object] | None = None) -> list[tuple[Any, ...]]:
        con = duckdb.connect(str(self.db), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()

    def count(self, table: str) -> int:
        assert table in ("hits", "rejects", "sources")
        return int(self.query(f"SELECT count(*) FROM {table}")[0][0])

    def formats(self) -> list[str]:
        return [r[0] for r in self.query("SELECT format FROM sources ORDER BY file_id")]

    def hit(self, line_no: int, file_id: int = 1) -> dict[str, Any]:
        rows = self.query(
            f"SELECT {', '.join(HIT_FIELDS)} FROM hits WHERE file_id = ? AND line_no = ?",
            [file_id, line_no],
        )
        assert len(rows) == 1, f"expected one hit for line {line_no}, found {len(rows)}"
        return dict(zip(HIT_FIELDS, rows[0], strict=True))

    def hit_lines(self, file_id: int = 1) -> list[int]:
        rows = self.query("SELECT line_no FROM hits WHERE file_id = ? ORDER BY 1", [file_id])
        return [r[0] for r in rows]

    def rejects(self) -> list[tuple[int, str, str]]:
        return self.query("SELECT line_no, reason, line FROM rejects ORDER BY file_id, line_no")


def import_logs(
    workdir: Path,
    inputs: list[Path | str],
    *,
    format: str | None = None,
    log_format: str | None = None,
) -> Imported:
    """Import ``inputs`` into a new database in ``workdir``.

    The site keeps full IPs (``ip_mode="full"``) so tests can check which client address
    was parsed, and skips the country lookup, which these tests do not look at.
    """
    db = workdir / "t.duckdb"
    assert not db.exists(), "each import test starts from a fresh database"
    settings = Settings(db_path=db, site_defaults=SiteOptions(ip_mode="full", country=False))
    request = ImportRequest(
        inputs=[str(p) for p in inputs], site="s", format=format, log_format=log_format
    )
    return Imported(db, run_import(settings, request))


def format_string(name: str) -> str:
    """The LogFormat / log_format string stored next to a custom fixture."""
    return (FIXTURES / name).read_text(encoding="utf-8").rstrip("\n")
