"""JSON-lines access logs: nginx ``escape=json`` formats, Caddy and Traefik.

Keys differ between servers and setups, so each raw field has an ordered list
of candidate key paths (the names of nginx's variables first, then the short
names the common ``log_format`` examples use, then Caddy's and Traefik's); the
first line of a file decides which path each field uses, later sample lines
fill in keys it lacks (``describe_json_log``). A ``--json-keys`` mapping
(``parse_json_keys``) names a field's key outright, for setups no list can
guess. Extraction then runs in DuckDB with one ``json_extract_string`` per line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from footfall.collect.directives import CLF_TIME, ISO_TIME
from footfall.errors import ConfigError

#: raw field -> candidate paths (dotted; "[0]" takes a header list's first value).
JSON_PATHS: dict[str, tuple[str, ...]] = {
    "client_ip": ("remote_addr", "request.client_ip", "request.remote_ip", "ClientHost",
                  "client_ip", "remote_ip", "ip", "client"),
    "forwarded_for": ("http_x_forwarded_for", "request.headers.X-Forwarded-For[0]"),
    "user": ("remote_user", "user_id", "ClientUsername"),
    "time": ("time_iso8601", "time_local", "msec", "ts", "StartUTC", "time", "timestamp",
             "@timestamp", "date"),
    # only with a clock time under "time" (DATE_ONLY + CLOCK_ONLY): read in the site's zone
    "date": ("date",),
    "request": ("request",),  # only a "METHOD target" line; a bare URI here is the path
    "method": ("request_method", "request.method", "RequestMethod", "method"),
    "path": ("request_uri", "request.uri", "RequestPath", "uri", "path", "request"),
    "query": ("args", "query_string"),
    "protocol": ("server_protocol", "request.proto", "RequestProtocol", "protocol"),
    "status": ("status", "DownstreamStatus", "status_code", "code"),
    "bytes": ("body_bytes_sent", "bytes_sent", "size", "DownstreamContentSize", "bytes",
              "length"),
    "referrer": ("http_referer", "request.headers.Referer[0]", "request_Referer", "referer",
                 "referrer"),
    "user_agent": ("http_user_agent", "request.headers.User-Agent[0]", "request_User-Agent",
                   "user_agent", "agent"),
    "host": ("host", "http_host", "server_name", "request.host", "RequestHost"),
    "duration": ("request_time", "duration", "Duration", "duration_ms",
                 "upstream_response_time"),
    # written by Footfall's own event log (collect/events.py), absent from server logs
    "event_name": ("event_name",),
    "event_id": ("event_id",),
    "props": ("props",),
    "revenue_amount": ("revenue_amount",),
    "revenue_currency": ("revenue_currency",),
}  # fmt: skip

#: milliseconds per unit of each duration key (Caddy: seconds; Traefik: nanoseconds).
#: A key named by --json-keys is read as seconds unless it is one of these.
DURATION_UNITS = {"request_time": 1000.0, "duration": 1000.0, "Duration": 1e-6, "duration_ms": 1.0,
                  "upstream_response_time": 1000.0}  # fmt: skip


@dataclass(frozen=True, slots=True)
class JsonLogFormat:
    name: str
    paths: dict[str, str]  # raw field -> JSON path (DuckDB syntax)
    time_kind: str
    duration_unit: float | None
    comment_prefix: str = ""  # as CompiledFormat's: JSON logs have no comment lines


#: Footfall's own event log (collect/event_log.py): fixed keys, never guessed.
EVENT_KEYS = ("remote_addr", "msec", "http_user_agent", "host", "request_uri", "request_method",
              "status", "body_bytes_sent", "http_referer", "event_name", "event_id", "props",
              "revenue_amount", "revenue_currency")  # fmt: skip
EVENT_FIELDS = ("client_ip", "time", "user_agent", "host", "path", "method", "status", "bytes",
                "referrer", "event_name", "event_id", "props", "revenue_amount",
                "revenue_currency")  # fmt: skip
EVENT_LOG_FORMAT = JsonLogFormat(
    "events",
    {field: f"$.{key}" for field, key in zip(EVENT_FIELDS, EVENT_KEYS, strict=True)},
    "epoch",
    None,
)


def _lookup(obj: object, dotted: str) -> object:
    for part in dotted.split("."):
        index = None
        if part.endswith("[0]"):
            part, index = part[:-3], 0
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
        if index is not None:
            if not isinstance(obj, list) or not obj:
                return None
            obj = obj[index]
    return obj


def _duckdb_path(dotted: str) -> str:
    parts = []
    for part in dotted.split("."):
        suffix = ""
        if part.endswith("[0]"):
            part, suffix = part[:-3], "[0]"
        parts.append((f'"{part}"' if re.search(r"[^A-Za-z0-9_]", part) else part) + suffix)
    return "$." + ".".join(parts)


def time_kind_of(value: object) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "epoch"
    if isinstance(value, str):
        if re.fullmatch(CLF_TIME, value):
            return "clf"
        if re.fullmatch(ISO_TIME, value):
            return "iso8601"
        if re.fullmatch(r"[0-9]+(\.[0-9]+)?", value):
            return "epoch"
    return None


def describe_json_log(
    first_line: str, more_lines: Sequence[str] = (), keys: Iterable[tuple[str, str]] = ()
) -> JsonLogFormat | str:
    """The JSON format of a file from its first line, or the reason it is not usable.

    A key the first line lacks is looked for in ``more_lines``: Caddy and Traefik leave
    out headers the client did not send, and a first request without a Referer must not
    lose the referrers of the whole file. ``keys`` (``--json-keys``) name a field's key
    outright; its candidates are then not tried.
    """
    objects = _objects(first_line, more_lines)
    if isinstance(objects, str):
        return objects
    mapped = dict(keys)
    chosen: dict[str, str] = {}
    for field, candidates in JSON_PATHS.items():
        if field in ("time", "date"):
            continue
        key = mapped.get(field) or _first_key(objects, field, candidates)
        if key is not None:
            chosen[field] = key
    timing = _time_keys(objects, mapped)
    if isinstance(timing, str):
        return timing
    time_keys, time_kind = timing
    chosen.update(time_keys)
    missing = [f for f in ("time", "status") if f not in chosen]
    if "request" not in chosen and "path" not in chosen:
        missing.append("request or path")
    if missing:
        return f"JSON object has no key for {', '.join(missing)} (name it with --json-keys)"
    unit = DURATION_UNITS.get(chosen["duration"], 1000.0) if "duration" in chosen else None
    paths = {field: _duckdb_path(key) for field, key in chosen.items()}
    return JsonLogFormat("json", paths, time_kind, unit)


def _objects(first_line: str, more_lines: Sequence[str]) -> list[dict[str, object]] | str:
    try:
        obj = json.loads(first_line)
    except ValueError as err:
        return f"not JSON: {err}"
    if not isinstance(obj, dict):
        return "not a JSON object"
    objects = [obj]
    for line in more_lines:
        try:
            other = json.loads(line)
        except ValueError:
            continue
        if isinstance(other, dict):
            objects.append(other)
    return objects


#: A request line is "METHOD target ..."; a "request" key holding a bare URI is the path.
REQUEST_LINE = re.compile(r"[A-Za-z]+ [^ ]")
DATE_ONLY = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
CLOCK_ONLY = r"[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"


def _first_key(
    objects: list[dict[str, object]], field: str, candidates: Sequence[str]
) -> str | None:
    """The first candidate with a plain value, the first line before the next ones."""
    for item in objects:
        for candidate in candidates:
            value = _lookup(item, candidate)
            if value is None or isinstance(value, dict | list):
                continue
            if candidate == "request" and (field == "request") != bool(
                REQUEST_LINE.match(str(value))
            ):
                continue
            return candidate
    return None


def _time_keys(
    objects: list[dict[str, object]], mapped: dict[str, str]
) -> tuple[dict[str, str], str] | str:
    """One key holding a whole timestamp (its kind from its value), else a ``date`` key
    and a ``time`` key holding a clock time: nginx examples that split ``$time_iso8601``
    drop its offset, so the pair is read in the site's time zone (``w3c_local``)."""
    time_candidates = (mapped["time"],) if "time" in mapped else JSON_PATHS["time"]
    for item in objects:
        for candidate in time_candidates:
            kind = time_kind_of(_lookup(item, candidate))
            if kind is not None:
                return {"time": candidate}, kind
    date_key, clock_key = mapped.get("date", "date"), mapped.get("time", "time")
    for item in objects:
        day, clock = _lookup(item, date_key), _lookup(item, clock_key)
        if re.fullmatch(DATE_ONLY, str(day)) and re.fullmatch(CLOCK_ONLY, str(clock)):
            return {"date": date_key, "time": clock_key}, "w3c_local"
    if "time" in mapped or "date" in mapped:
        given = ", ".join(f"{f}={mapped[f]}" for f in ("time", "date") if f in mapped)
        return f"the keys of --json-keys {given} hold no timestamp in the first lines"
    return {}, "iso8601"


#: Fields a --json-keys mapping may name: the access-log fields (not the event log's).
EVENT_ONLY = ("event_name", "event_id", "props", "revenue_amount", "revenue_currency")
MAPPABLE_FIELDS = tuple(f for f in JSON_PATHS if f not in EVENT_ONLY)
KEY_PATH = re.compile(r'[^.\["\]]+(?:\[0\])?(?:\.[^.\["\]]+(?:\[0\])?)*')


def parse_json_keys(text: str, option: str = "--json-keys") -> tuple[tuple[str, str], ...]:
    """``'time=ts,path=req.uri'`` as (field, key path) pairs; a ConfigError names the bad
    part, so a typo fails before any file is read."""
    pairs = []
    for part in text.split(","):
        if not part.strip():
            continue
        field, sep, key = part.partition("=")
        if not sep:
            raise ConfigError(
                f"{option}: {part.strip()!r} is not FIELD=KEY; write e.g. 'time=ts,path=req.uri'"
            )
        pairs.append((field.strip(), key.strip()))
    return check_json_keys(pairs, option)


def check_json_keys(
    pairs: Iterable[tuple[str, str]], option: str = "--json-keys"
) -> tuple[tuple[str, str], ...]:
    """Each field known and named once, each key a dotted path (``[0]``: a list's first)."""
    seen: dict[str, str] = {}
    for field, key in pairs:
        if field not in MAPPABLE_FIELDS:
            known = ", ".join(MAPPABLE_FIELDS)
            raise ConfigError(f"{option}: unknown Footfall field {field!r}; fields: {known}")
        if not KEY_PATH.fullmatch(key):
            raise ConfigError(
                f"{option}: {field}={key!r} is not a key path: keys joined by '.' for nested "
                "objects, '[0]' for a list's first value, no quotes"
            )
        if field in seen:
            raise ConfigError(f"{option}: field {field!r} is named twice")
        seen[field] = key
    return tuple(seen.items())
