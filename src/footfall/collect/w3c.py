"""W3C extended log format (IIS, CloudFront, SHOUTcast): ``#Fields:`` names the columns.

Fields are separated by spaces (IIS; several in a row are read as one) or by
tabs (CloudFront's standard log: chosen when the first data line has a tab).
A value may be quoted to hold spaces (cookies, Incapsula); IIS instead writes
spaces as ``+``, so a user agent reads ``Mozilla/5.0+(Windows...)``, and
CloudFront percent-encodes them; both are decoded in ``parse_sql.py``.  Dates
and times are UTC by the W3C draft and by IIS; IIS Advanced Logging's
``date-local``/``time-local`` are the server's local time, read in the site's
time zone.  ``time-taken`` is milliseconds in IIS (the W3C draft says seconds;
IIS is what people actually run, so we follow it and say so in
docs/formats.md) and seconds in CloudFront.
"""

from __future__ import annotations

from footfall.collect.directives import DIGITS, DIGITS_OR_DASH, STATUS, Directive

DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
TIME = r"[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?"
SECONDS = r"[0-9]+(?:\.[0-9]+)?|-"

W3C_FIELDS: dict[str, Directive] = {
    "date": Directive("date", DATE, doc="request date, UTC"),
    "time": Directive("time", TIME, "w3c", doc="UTC"),
    "date-local": Directive("date", DATE, doc="server's local date (IIS Advanced Logging)"),
    "time-local": Directive(
        "time", TIME, "w3c_local", doc="server's local time, read in the site's time zone"
    ),
    "c-ip": Directive("client_ip", r"[^ ]+", doc="client IP"),
    "cs-username": Directive("user", doc="authenticated user"),
    "cs-method": Directive("method", r"[A-Za-z]+|-", doc="request method"),
    "cs-uri-stem": Directive("path", doc="path"),
    "cs-uri-query": Directive("query", doc="query string without ?, - for none"),
    "cs-uri": Directive("path", doc="full URI"),
    "sc-status": Directive("status", STATUS, doc="HTTP status"),
    "c-status": Directive("status", STATUS, doc="HTTP status (SHOUTcast)"),
    "sc-bytes": Directive("bytes", DIGITS_OR_DASH, doc="bytes sent"),
    "cs(user-agent)": Directive("user_agent", doc="User-Agent, spaces as +"),
    "cs(referer)": Directive("referrer", doc="Referer"),
    "cs-host": Directive("host", doc="Host header"),
    "cs(host)": Directive("host", doc="Host header"),
    "s-sitename": Directive(None, doc="IIS site name"),
    "x-forwarded-for": Directive("forwarded_for", doc="X-Forwarded-For"),
    "cs(x-forwarded-for)": Directive("forwarded_for", doc="X-Forwarded-For"),
    "x-host-header": Directive("host", doc="Host header (CloudFront)"),
    "cs-version": Directive("protocol", doc="protocol version"),
    "cs-protocol-version": Directive("protocol", doc="protocol version (CloudFront)"),
    "time-taken": Directive("duration", DIGITS, unit=1.0, doc="milliseconds (IIS)"),
    "s-port": Directive(None, DIGITS, doc="server port"),
}

#: A field ignored when the one it names is in the header too: UTC over local time,
#: and CloudFront's x-host-header (the site) over cs(Host) (the distribution's domain).
W3C_YIELDS_TO: dict[str, str] = {
    "date-local": "date", "time-local": "time", "cs(host)": "x-host-header",
}  # fmt: skip

#: CloudFront (known by its x-edge-* fields) writes time-taken in seconds.
CLOUDFRONT_MARK = "x-edge-location"
CLOUDFRONT_FIELDS: dict[str, Directive] = {
    "time-taken": Directive("duration", SECONDS, unit=1000.0, doc="seconds (CloudFront)"),
}

#: A value: quoted (may hold spaces) or up to the next separator.
VALUE = {" ": r'"(?:[^"]|"")*"|[^ ]+', "\t": r"[^\t]+"}
SEPARATOR = {" ": " +", "\t": "\t"}


def directive_for(name: str, names: set[str]) -> Directive | None:
    """What the W3C field ``name`` means in a header that names ``names`` (lower case);
    None for a field this header leaves unread."""
    key = name.lower()
    if W3C_YIELDS_TO.get(key) in names:
        return None
    if CLOUDFRONT_MARK in names and key in CLOUDFRONT_FIELDS:
        return CLOUDFRONT_FIELDS[key]
    return W3C_FIELDS.get(key)


def separator_of(first_data_line: str) -> str:
    """Tab for CloudFront's standard log, space for IIS and the rest."""
    return "\t" if "\t" in first_data_line else " "


def parse_fields_header(line: str) -> list[str] | None:
    """``#Fields: date time c-ip ...`` -> the field names; None for other lines."""
    if not line.startswith("#Fields:"):
        return None
    return line[len("#Fields:") :].split()
