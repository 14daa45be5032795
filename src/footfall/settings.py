"""Settings, read once (environment + optional TOML file) into a frozen object.

Nothing else in Footfall reads ``os.environ``: the CLI builds ``Settings`` and
passes it down.  Per-site choices that change what is stored (IP handling,
page/asset classification) live in ``SiteOptions`` so the importer and a
future tracker endpoint apply the same rules.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from footfall.errors import ConfigError

DEFAULT_DB = "footfall.duckdb"

#: Extensions of requests that are part of rendering a page, never pageviews.
ASSET_EXTENSIONS = (
    "css", "js", "mjs", "map", "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico",
    "bmp", "tif", "tiff", "woff", "woff2", "ttf", "otf", "eot", "mp4", "webm", "mp3", "ogg",
    "wav", "m4a", "m4v", "mov", "json", "xml", "txt", "wasm",
)  # fmt: skip
#: Extensions that are documents a person opens (counted as pageviews when GET 2xx/304).
PAGE_EXTENSIONS = ("", "html", "htm", "php", "asp", "aspx", "jsp", "cfm", "shtml", "xhtml")

#: Paths under these prefixes are APIs called by scripts: requests, never pageviews.
API_PREFIXES = ("/api/", "/wp-json/", "/graphql", "/ajax/", "/xmlrpc.php")

IP_MODES = ("none", "truncated", "full")

SITE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}")


def check_site_name(name: str) -> str:
    """A site name as every layer accepts it (it appears in paths and, validated, in views)."""
    if not SITE_NAME.fullmatch(name):
        raise ConfigError(
            f"site name {name!r}: use 1-63 letters, digits, '.', '_' or '-', starting with a "
            "letter or digit"
        )
    return name


@dataclass(frozen=True, slots=True)
class SiteOptions:
    """Per-site enrichment choices; see docs/privacy.md for the IP trade-off."""

    hosts: tuple[str, ...] = ()
    ip_mode: str = "none"  # none: only the salted hash; truncated: /24 and /48; full: opt-in
    timezone: str = "UTC"
    page_extensions: tuple[str, ...] = PAGE_EXTENSIONS
    asset_extensions: tuple[str, ...] = ASSET_EXTENSIONS
    api_prefixes: tuple[str, ...] = API_PREFIXES
    session_timeout_minutes: int = 30
    country: bool = True

    def __post_init__(self) -> None:
        if self.ip_mode not in IP_MODES:
            raise ConfigError(f"ip_mode must be one of {', '.join(IP_MODES)}, not {self.ip_mode!r}")
        if not 1 <= self.session_timeout_minutes <= 24 * 60:
            raise ConfigError("session_timeout_minutes must be between 1 and 1440")


@dataclass(frozen=True, slots=True)
class Settings:
    """Process-wide settings. Build with ``load_settings``."""

    db_path: Path = Path(DEFAULT_DB)
    batch_lines: int = 200_000  # a chunk is about batch_lines * 100 bytes, at most 16 MiB
    flush_rows: int = 1_000_000  # staged rows committed with their checkpoints
    memory_limit: str = "512MB"
    threads: int = 0  # 0: DuckDB decides (all cores)
    site_defaults: SiteOptions = field(default_factory=SiteOptions)
    api_token: str = ""  # FOOTFALL_TOKEN: lets the CLI hand imports to a running server
    collect_rate: float = 50.0  # tracker events per second per client address; 0: no limit
    collect_move_seconds: float = 5.0  # how often accepted events move into the store
    # What one API request may cost (docs/api.md, "Limits"); the CLI is the owner's own.
    query_seconds: float = 10.0  # wall time of one query before it is interrupted
    query_max_days: int = 3_660  # days in one date range (ten years)
    query_max_buckets: int = 10_000  # time buckets one time series may fill
    query_max_bytes: int = 8 * 1024 * 1024  # bytes of one answer (JSON, CSV or Parquet)
    # Directories the server may import from when asked through the API (none by default).
    import_dirs: tuple[Path, ...] = ()
    # Host names the server answers to besides loopback addresses (behind a reverse proxy).
    allowed_hosts: tuple[str, ...] = ()
    # Failed logins (per user name and per client address) within the window lock them for
    # login_lock_seconds, doubling with each further lock (auth/throttle.py).
    login_max_failures: int = 5
    login_window_seconds: float = 900.0
    login_lock_seconds: float = 60.0

    def __post_init__(self) -> None:
        if not 0.05 <= self.collect_move_seconds <= 3600:
            raise ConfigError("collect_move_seconds must be between 0.05 and 3600")

    def with_db(self, db: str | Path | None) -> Settings:
        return self if db is None else replace(self, db_path=Path(db))


def _paths(value: object) -> tuple[Path, ...]:
    """A list (TOML) or comma-separated text (environment) of directories."""
    items = value.split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    return tuple(Path(str(v).strip()) for v in items if str(v).strip())


def _names(value: object) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    return tuple(str(v).strip().lower() for v in items if str(v).strip())


#: Settings a file or a FOOTFALL_<NAME> variable may set, with their types.
_FIELDS = (("db_path", Path), ("batch_lines", int), ("flush_rows", int), ("memory_limit", str),
           ("threads", int), ("collect_rate", float), ("collect_move_seconds", float),
           ("query_seconds", float), ("query_max_days", int), ("query_max_buckets", int),
           ("query_max_bytes", int), ("import_dirs", _paths),
           ("allowed_hosts", _names), ("login_max_failures", int),
           ("login_window_seconds", float), ("login_lock_seconds", float))  # fmt: skip

#: What each setting is for: docs/settings.md is written from these and ``_FIELDS``
#: (``footfall docs --write``), and a test fails when one goes undocumented.
FIELD_DOCS = {
    "db_path": "The database file.",
    "batch_lines": "Log lines parsed per chunk (a chunk is about 100 bytes a line, at most 16 MiB).",
    "flush_rows": "Staged rows committed together with their checkpoints during an import.",
    "memory_limit": "DuckDB's memory limit; queries spill to `<db>.tmp` beyond it.",
    "threads": "DuckDB's threads; 0 lets DuckDB use every core.",
    "collect_rate": "Tracker events accepted per second per client address; 0 turns the limit off.",
    "collect_move_seconds": "How often accepted tracker events move into the store (0.05 to 3600).",
    "query_seconds": "Wall time one API query may take before it is interrupted.",
    "query_max_days": "Days one API date range may cover.",
    "query_max_buckets": "Time buckets one API time series may fill.",
    "query_max_bytes": "Bytes of one API answer (JSON, CSV or Parquet).",
    "import_dirs": "Directories the server may import from when asked through the API; none by default.",
    "allowed_hosts": "Host names the server answers to besides loopback addresses (behind a reverse proxy).",
    "login_max_failures": "Failed logins (per user name and per client address) within the window before a lock.",
    "login_window_seconds": "The window in which failed logins are counted.",
    "login_lock_seconds": "How long a lock lasts; it doubles with each further lock.",
}  # fmt: skip
#: The ``[site]`` table of the settings file: defaults for new sites (``footfall site``
#: changes one site's).
SITE_DOCS = {
    "hosts": "Host names of the site (learnt at the first import when empty).",
    "ip_mode": "none (only a salted hash), truncated (/24 and /48) or full (`footfall docs privacy`).",
    "timezone": "IANA time zone reports use, e.g. Europe/Paris.",
    "page_extensions": "Extensions of documents a person opens, counted as pageviews.",
    "asset_extensions": "Extensions of page assets, never pageviews.",
    "api_prefixes": "Path prefixes of APIs called by scripts, never pageviews.",
    "session_timeout_minutes": "Minutes of inactivity that end a visit (1 to 1440).",
    "country": "Look up the country of each address (offline table).",
}  # fmt: skip


def load_settings(env: Mapping[str, str] | None = None, file: Path | None = None) -> Settings:
    """Environment (FOOTFALL_*) overrides the TOML file, which overrides defaults."""
    env = os.environ if env is None else env
    values: dict[str, object] = {}
    config_file = file or (Path(env["FOOTFALL_CONFIG"]) if env.get("FOOTFALL_CONFIG") else None)
    site: dict[str, object] = {}
    if config_file is not None:
        try:
            data = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as err:
            raise ConfigError(f"{config_file}: cannot read settings: {err}") from err
        site = dict(data.pop("site", {}))
        values.update(data)
    for key, cast in _FIELDS:
        raw = env.get(f"FOOTFALL_{key.upper()}")
        if raw:
            values[key] = raw
        if key in values:
            try:
                values[key] = cast(values[key])  # type: ignore[operator]
            except (ValueError, TypeError) as err:
                raise ConfigError(f"setting {key}: {err}") from err
    unknown = set(values) - {key for key, _ in _FIELDS}
    if unknown:
        raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
    for key in ("hosts", "page_extensions", "asset_extensions", "api_prefixes"):
        if key in site:
            site[key] = tuple(site[key])  # type: ignore[arg-type]
    try:
        site_options = SiteOptions(**site)  # type: ignore[arg-type]
    except TypeError as err:
        raise ConfigError(f"[site] settings: {err}") from err
    token = env.get("FOOTFALL_TOKEN", "")
    return Settings(site_defaults=site_options, api_token=token, **values)  # type: ignore[arg-type]
