"""W3C extended log format (IIS, some CDNs): the ``#Fields:`` header names the columns.

Fields are separated by single spaces; IIS writes spaces inside a value as
``+``, so a user agent reads ``Mozilla/5.0+(Windows...)`` and is decoded in
``fields.py``.  Dates and times are UTC by the W3C draft and by IIS.
``time-taken`` is milliseconds in IIS (the W3C draft says seconds; IIS is
what people actually run, so we follow it and say so in docs/formats.md).
"""

from __future__ import annotations

from footfall.collect.directives import DIGITS, DIGITS_OR_DASH, STATUS, Directive

W3C_FIELDS: dict[str, Directive] = {
    "date": Directive("date", r"[0-9]{4}-[0-9]{2}-[0-9]{2}", doc="request date, UTC"),
    "time": Directive("time", r"[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?", "w3c", doc="UTC"),
    "c-ip": Directive("client_ip", r"[^ ]+", doc="client IP"),
    "cs-username": Directive("user", doc="authenticated user"),
    "cs-method": Directive("method", r"[A-Za-z]+|-", doc="request method"),
    "cs-uri-stem": Directive("path", doc="path"),
    "cs-uri-query": Directive("query", doc="query string without ?, - for none"),
    "cs-uri": Directive("path", doc="full URI"),
    "sc-status": Directive("status", STATUS, doc="HTTP status"),
    "sc-bytes": Directive("bytes", DIGITS_OR_DASH, doc="bytes sent"),
    "cs(user-agent)": Directive("user_agent", doc="User-Agent, spaces as +"),
    "cs(referer)": Directive("referrer", doc="Referer"),
    "cs-host": Directive("host", doc="Host header"),
    "cs(host)": Directive("host", doc="Host header"),
    "s-sitename": Directive(None, doc="IIS site name"),
    "x-forwarded-for": Directive("forwarded_for", doc="X-Forwarded-For"),
    "cs(x-forwarded-for)": Directive("forwarded_for", doc="X-Forwarded-For"),
    "cs-version": Directive("protocol", doc="protocol version"),
    "time-taken": Directive("duration", DIGITS, unit=1.0, doc="milliseconds (IIS)"),
    "s-port": Directive(None, DIGITS, doc="server port"),
}


def parse_fields_header(line: str) -> list[str] | None:
    """``#Fields: date time c-ip ...`` -> the field names; None for other lines."""
    if not line.startswith("#Fields:"):
        return None
    return line[len("#Fields:") :].split()
