"""Tracker events: validate an incoming payload and turn it into one log line.

Accepted bodies (JSON, sent as text/plain by sendBeacon):
- Footfall's tracker: ``{"n", "u", "d", "r", "p", "$", "id", "pid"}`` (``id``: the
  event's random id, a retried send is stored once; ``pid``: the site's own persistent
  pseudonymous id, only where it opted into that identity).  Trackers served before
  these were renamed send them as ``"i"`` and ``"v"``, always strings: still read so;
- Plausible's events API and scripts, old and current: ``{"n"/"name", "u"/"url",
  "d"/"domain", "r"/"referrer", "p"/"props" (or "m"/"meta"), "$"/"revenue", "i"/
  "interactive", "h"/"hash_mode", "v"}``, so an existing Plausible snippet or library
  pointed at Footfall just works.  ``v`` (a number: the script's version) is read and
  not kept; ``i`` (a boolean) is whether the event is interactive: Footfall's bounce
  counts pageviews only, so no custom event, interactive or not, ends a bounce, as
  ``"i": false`` asks; ``h`` (1 or true) keeps the URL's fragment in the page, as
  Plausible does for hash-based routing.  Plausible's ``engagement`` events (time on
  page, scroll depth) are validated and answered, and not stored (``ENGAGEMENT``).
  Other keys (``w``, ``e``, ``sd``...) are ignored, as Plausible ignores them.

A valid event becomes a JSON line whose keys the JSON log reader already
knows (``remote_addr``, ``msec``, ``request_uri``...), so tracker events go
through the same enrichment, identity and writer as access logs.  Anything
invalid raises ``EventRejected`` with the HTTP status and the reason.

Text must be Unicode a file can hold: JSON lets ``"\\ud800"`` (half of a UTF-16
pair) through, which no UTF-8 file can store, and NUL characters, which would
be stored as they came and cut strings in other tools; both are refused (400,
naming the field) rather than stripped, since a tracker never sends them and a
silently changed URL would be counted as another page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

MAX_BODY = 8 * 1024
MAX_NAME = 120
MAX_URL = 2000
MAX_PROPS = 30
MAX_PROP_KEY = 300
MAX_PROP_VALUE = 2000
EVENT_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
CURRENCY = re.compile(r"[A-Za-z]{3}")
PERSON_PROP = "$pid"
NOT_TEXT = re.compile("[\x00\ud800-\udfff]")
#: the names of the short keys, for messages
FIELD_NAMES = {"n": "name", "u": "url", "d": "domain", "r": "referrer", "p": "props",
               "m": "meta", "$": "revenue", "i": "interactive", "h": "hash_mode",
               "v": "version", "id": "id", "pid": "pid"}  # fmt: skip
#: Plausible's script reports time on page and scroll depth as an event of this name;
#: Footfall has no such measure yet, so it answers it (202) and stores nothing.
ENGAGEMENT = "engagement"


class EventRejected(Exception):
    def __init__(self, status: int, reason: str) -> None:
        self.status = status
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True, slots=True)
class Event:
    domain: str
    line: dict[str, Any]  # the JSON log line (without site, ip and user agent yet)
    store: bool = True  # False: valid and answered, not stored (Plausible's engagement)


def _field(body: dict[str, Any], short: str, long: str) -> Any:
    return body[short] if short in body else body.get(long)


def _text(value: Any, what: str, limit: int, required: bool = False) -> str | None:
    if value is None or value == "":
        if required:
            raise EventRejected(400, f"{what} is required")
        return None
    if not isinstance(value, str):
        raise EventRejected(400, f"{what} must be a string")
    if len(value) > limit:
        raise EventRejected(400, f"{what} is longer than {limit} characters")
    return value


def parse_event(raw: bytes) -> Event:
    if len(raw) > MAX_BODY:
        raise EventRejected(413, f"the event is larger than {MAX_BODY} bytes")
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise EventRejected(400, "the body must be a JSON object") from err
    if not isinstance(body, dict):
        raise EventRejected(400, "the body must be a JSON object")
    for key, value in body.items():  # unknown keys are named vaguely: never echo them
        known = key if key in FIELD_NAMES.values() else "a field"
        _check_text([key, value], FIELD_NAMES.get(key, known))
    name = _text(_field(body, "n", "name"), "name", MAX_NAME, required=True)
    url = _text(_field(body, "u", "url"), "url", MAX_URL, required=True)
    domain = _text(_field(body, "d", "domain"), "domain", 253, required=True)
    referrer = _text(_field(body, "r", "referrer"), "referrer", MAX_URL)
    assert name is not None and url is not None and domain is not None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EventRejected(400, "url must be an absolute http(s) URL")
    page = parts.path or "/"
    if _hash_mode(_field(body, "h", "hash_mode")) and parts.fragment:
        # hash-based routing (Plausible's "h": 1): the fragment is part of the page.  The
        # store splits the path from the query at the first '?', so one in the fragment
        # ("#/search?q=x") is written %3F: the page stays whole, the real query apart.
        page += "#" + parts.fragment.replace("?", "%3F")
    _interactive(body)
    _version(body.get("v"))
    line: dict[str, Any] = {
        "event_name": name,
        "host": parts.hostname.lower(),
        "request_uri": page + (f"?{parts.query}" if parts.query else ""),
        "request_method": "GET",
        "status": 200,
        "body_bytes_sent": 0,
        "http_referer": referrer,
    }
    event_id = _own(body, "id", "i")
    if event_id is not None:
        if not isinstance(event_id, str) or not EVENT_ID.fullmatch(event_id):
            raise EventRejected(400, "id must be 8-64 letters, digits, '-' or '_'")
        line["event_id"] = event_id
    props = _props(_first(body, "p", "props", "m", "meta"))
    person = _own(body, "pid", "v")
    if person is not None:
        # the persistent pseudonymous id a site opted into (docs/privacy.md), kept as the
        # reserved property $pid, as PostHog keeps $device_id among the properties
        if not isinstance(person, str) or not EVENT_ID.fullmatch(person):
            raise EventRejected(400, "pid must be 8-64 letters, digits, '-' or '_'")
        props = {**(props or {}), PERSON_PROP: person}
    if props:
        line["props"] = props
    revenue = _field(body, "$", "revenue")
    if revenue is not None:
        line["revenue_amount"], line["revenue_currency"] = _revenue(revenue)
    return Event(domain.lower().removeprefix("www."), line, store=name != ENGAGEMENT)


def _first(body: dict[str, Any], *keys: str) -> Any:
    return next((body[key] for key in keys if key in body), None)


def _own(body: dict[str, Any], key: str, legacy: str) -> Any:
    """Footfall's own ``key``, or the same field as Footfall's trackers sent it before it
    was renamed: ``legacy`` holding a string (Plausible's ``i``/``v`` never do)."""
    if key in body:
        return body[key]
    value = body.get(legacy)
    return value if isinstance(value, str) else None


def _hash_mode(value: Any) -> bool:
    """Plausible's ``h``: 1 (or true) for hash-based routing; 0, false or absent if not."""
    if value is None or value in (0, 1):  # True == 1 and False == 0
        return bool(value)
    raise EventRejected(400, "h (hash_mode) must be 0 or 1")


def _interactive(body: dict[str, Any]) -> bool:
    """Plausible's ``i``/``interactive`` (default true).  Footfall's bounce is a visit of
    one pageview and custom events never end it, so a non-interactive event is stored
    and counted like any other, and leaves bounces alone, as Plausible treats it."""
    value = body["interactive"] if "interactive" in body else body.get("i")
    if value is None or (isinstance(value, str) and "interactive" not in body):
        return True  # a string "i": an old Footfall tracker's event id (``_own``)
    if not isinstance(value, bool):
        raise EventRejected(400, "i (interactive) must be true or false")
    return value


def _version(value: Any) -> None:
    """Plausible's ``v``, its script's version (a number): checked, not kept.  A string is
    an old Footfall tracker's pid (``_own``)."""
    if value is None or isinstance(value, str):
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EventRejected(400, "v (the script version) must be a number")


def _check_text(value: Any, what: str) -> None:
    """Refuse lone surrogates and NUL anywhere in ``value`` (keys too), naming ``what``."""
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list):
        for item in value:
            _check_text(item, what)
    elif isinstance(value, str) and (bad := NOT_TEXT.search(value)):
        if bad.group() == "\x00":
            raise EventRejected(400, f"{what} holds a NUL character, which text may not hold")
        raise EventRejected(400, f"{what} holds a lone UTF-16 surrogate "
                            f"(\\u{ord(bad.group()):04x}): send valid Unicode text")  # fmt: skip


def _props(value: Any) -> dict[str, str] | None:
    """Props as text; Plausible's script may send them as a JSON string."""
    if value is None:
        return None
    if isinstance(value, str):  # Plausible's script may send props as a JSON string
        try:
            value = json.loads(value)
        except ValueError as err:
            raise EventRejected(400, "props must be an object") from err
        _check_text(value, "props")
    if not isinstance(value, dict):
        raise EventRejected(400, "props must be an object")
    if len(value) > MAX_PROPS:
        raise EventRejected(400, f"at most {MAX_PROPS} props")
    out = {}
    for key, item in value.items():
        if key == PERSON_PROP:
            raise EventRejected(400, f"{PERSON_PROP} is reserved: send the id as pid")
        if not isinstance(key, str) or not key or len(key) > MAX_PROP_KEY:
            raise EventRejected(400, f"prop names are 1-{MAX_PROP_KEY} characters")
        if item is None or item == "" or isinstance(item, list | dict):
            continue  # as Plausible: an empty, null or nested value is left out
        # a boolean or a number is kept as its JSON text ("true", "3"), as Plausible does
        text = json.dumps(item) if isinstance(item, bool) else str(item)
        if len(text) > MAX_PROP_VALUE:
            raise EventRejected(400, f"prop {key!r} is longer than {MAX_PROP_VALUE} characters")
        out[key] = text
    return out


def _revenue(value: Any) -> tuple[str, str]:
    if not isinstance(value, dict):
        raise EventRejected(400, "revenue must be an object with amount and currency")
    amount = value.get("a", value.get("amount"))
    currency = value.get("c", value.get("currency"))
    if isinstance(amount, bool) or not isinstance(amount, str | int | float):
        raise EventRejected(400, "revenue amount must be a number")
    try:
        decimal = Decimal(str(amount))
    except InvalidOperation as err:
        raise EventRejected(400, "revenue amount must be a number") from err
    if not decimal.is_finite() or abs(decimal) >= Decimal(10) ** 14:
        raise EventRejected(400, "revenue amount is out of range")
    if not isinstance(currency, str) or not CURRENCY.fullmatch(currency):
        raise EventRejected(400, "revenue currency must be a 3-letter ISO 4217 code")
    return str(decimal.quantize(Decimal("0.0001"))), currency.upper()
