"""JSON-lines access logs: nginx ``escape=json`` formats, Caddy and Traefik.

Keys differ between servers and setups, so each raw field has an ordered list
of candidate key paths; the first line of a file decides which path each
field uses, later sample lines fill in keys it lacks (``describe_json_log``).
Extraction then runs in DuckDB with one ``json_extract_string`` per line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from footfall.collect.directives import CLF_TIME, ISO_TIME

#: raw field -> candidate paths (dotted; "[0]" takes a header list's first value).
JSON_PATHS: dict[str, tuple[str, ...]] = {
    "client_ip": ("remote_addr", "request.client_ip", "request.remote_ip", "ClientHost",
                  "client_ip", "remote_ip", "ip"),
    "forwarded_for": ("http_x_forwarded_for", "request.headers.X-Forwarded-For[0]"),
    "user": ("remote_user", "user_id", "ClientUsername"),
    "time": ("time_iso8601", "time_local", "msec", "ts", "StartUTC", "time", "timestamp",
             "@timestamp"),
    "request": ("request",),
    "method": ("request_method", "request.method", "RequestMethod", "method"),
    "path": ("request_uri", "request.uri", "RequestPath", "uri", "path"),
    "query": ("args", "query_string"),
    "protocol": ("server_protocol", "request.proto", "RequestProtocol", "protocol"),
    "status": ("status", "DownstreamStatus", "status_code"),
    "bytes": ("body_bytes_sent", "bytes_sent", "size", "DownstreamContentSize", "bytes"),
    "referrer": ("http_referer", "request.headers.Referer[0]", "request_Referer", "referer",
                 "referrer"),
    "user_agent": ("http_user_agent", "request.headers.User-Agent[0]", "request_User-Agent",
                   "user_agent"),
    "host": ("host", "http_host", "server_name", "request.host", "RequestHost"),
    "duration": ("request_time", "duration", "Duration", "duration_ms"),
    # written by Footfall's own event log (collect/events.py), absent from server logs
    "event_name": ("event_name",),
    "event_id": ("event_id",),
    "props": ("props",),
    "revenue_amount": ("revenue_amount",),
    "revenue_currency": ("revenue_currency",),
}  # fmt: skip

#: milliseconds per unit of each duration key (Caddy: seconds; Traefik: nanoseconds).
DURATION_UNITS = {"request_time": 1000.0, "duration": 1000.0, "Duration": 1e-6, "duration_ms": 1.0}


@dataclass(frozen=True, slots=True)
class JsonLogFormat:
    name: str
    paths: dict[str, str]  # raw field -> JSON path (DuckDB syntax)
    time_kind: str
    duration_unit: float | None


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


def describe_json_log(first_line: str, more_lines: Sequence[str] = ()) -> JsonLogFormat | str:
    """The JSON format of a file from its first line, or the reason it is not usable.

    A key the first line lacks is looked for in ``more_lines``: Caddy and Traefik leave
    out headers the client did not send, and a first request without a Referer must not
    lose the referrers of the whole file.
    """
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
    paths: dict[str, str] = {}
    time_kind = None
    unit = None
    for field, candidates in JSON_PATHS.items():
        for item in objects:
            if field in paths:
                break
            for candidate in candidates:
                value = _lookup(item, candidate)
                if value is None or isinstance(value, dict | list):
                    continue
                if field == "time":
                    time_kind = time_kind_of(value)
                    if time_kind is None:
                        continue
                if field == "duration":
                    unit = DURATION_UNITS[candidate]
                paths[field] = _duckdb_path(candidate)
                break
    missing = [f for f in ("time", "status") if f not in paths]
    if "request" not in paths and "path" not in paths:
        missing.append("request or path")
    if missing:
        return f"JSON object has no key for {', '.join(missing)}"
    return JsonLogFormat("json", paths, time_kind or "iso8601", unit)
