"""What each Apache ``LogFormat`` directive and nginx ``log_format`` variable means.

Tables, not code: a directive maps to a *raw field* (a canonical name every
format shares) or to nothing (parsed, then ignored), and to the regular
expression its text must match.  ``formats.compile_format`` turns a format
string into a regex from these tables; ``fields.py`` turns raw fields into
typed columns in SQL.

Raw fields: client_ip, forwarded_for, user, time, request, method, path,
query, protocol, status, bytes, referrer, user_agent, host, duration.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Directive:
    field: str | None  # raw field it fills; None: parsed but not kept
    pattern: str | None = None  # regex for its text; None: "anything up to the next literal"
    time_kind: str | None = None  # for field == "time": clf | iso8601 | epoch
    unit: float | None = None  # for field == "duration": milliseconds per unit
    doc: str = ""
    joins_path: bool = False  # may follow a path directive with no separator (%U%q)


DIGITS = r"[0-9]+"
DIGITS_OR_DASH = r"[0-9]+|-"
STATUS = r"[0-9]{3}"
#: nginx always writes $request_time with milliseconds ("0.123"): requiring the dot keeps an
#: Apache %D / %T integer from being read as nginx seconds during detection.
SECONDS_MS_OR_DASH = r"[0-9]+\.[0-9]+|-"
CLF_TIME = r"[0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}"
ISO_TIME = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(?:Z|[+-][0-9]{2}:?[0-9]{2})?"

#: Apache mod_log_config directives (https://httpd.apache.org/docs/current/mod/mod_log_config.html).
APACHE: dict[str, Directive] = {
    "h": Directive("client_ip", r"[^ ]+", doc="remote host (IP unless HostnameLookups)"),
    "a": Directive("client_ip", r"[^ ]+", doc="client IP address"),
    "l": Directive(None, doc="remote logname (identd), almost always -"),
    "u": Directive("user", doc="authenticated user"),
    "t": Directive("time", rf"\[(?P<time>{CLF_TIME})\]", "clf", doc="[day/month/year:h:m:s zone]"),
    "r": Directive("request", doc="first line of the request: METHOD path PROTOCOL"),
    ">s": Directive("status", STATUS, doc="final status"),
    "s": Directive("status", STATUS, doc="status"),
    "b": Directive("bytes", DIGITS_OR_DASH, doc="response body bytes, - for none"),
    "B": Directive("bytes", DIGITS, doc="response body bytes"),
    "O": Directive("bytes", DIGITS, doc="bytes sent including headers (mod_logio)"),
    "I": Directive(None, DIGITS, doc="bytes received (mod_logio)"),
    "S": Directive(None, DIGITS, doc="bytes transferred (mod_logio)"),
    "v": Directive("host", doc="canonical server name"),
    "V": Directive("host", doc="server name per UseCanonicalName"),
    "p": Directive(None, DIGITS, doc="server port"),
    "D": Directive("duration", DIGITS, unit=0.001, doc="time to serve, microseconds"),
    "T": Directive("duration", DIGITS, unit=1000.0, doc="time to serve, seconds"),
    "m": Directive("method", r"[A-Za-z]+", doc="request method"),
    "U": Directive("path", doc="URL path, no query string"),
    "q": Directive(
        "query", r"(?:\?[^\s\"]*)?", doc="query string with leading ?, or empty", joins_path=True
    ),
    "H": Directive("protocol", doc="request protocol"),
    "X": Directive(None, doc="connection status"),
    "k": Directive(None, DIGITS, doc="keepalive requests"),
    "P": Directive(None, doc="process id"),
    "L": Directive(None, doc="request log id"),
    "f": Directive(None, doc="file name"),
    "%": Directive(None, "%", doc="a literal %"),
}

#: Apache ``%{NAME}x`` directives: header-specific meanings; other names are ignored.
APACHE_BRACED: dict[tuple[str, str], Directive] = {
    ("referer", "i"): Directive("referrer", doc="Referer request header"),
    ("user-agent", "i"): Directive("user_agent", doc="User-Agent request header"),
    ("x-forwarded-for", "i"): Directive("forwarded_for", doc="X-Forwarded-For header"),
    ("host", "i"): Directive("host", doc="Host request header"),
    ("ms", "T"): Directive("duration", DIGITS, unit=1.0, doc="time to serve, milliseconds"),
    ("us", "T"): Directive("duration", DIGITS, unit=0.001, doc="time to serve, microseconds"),
    ("s", "T"): Directive("duration", DIGITS, unit=1000.0, doc="time to serve, seconds"),
    ("c", "a"): Directive("client_ip", r"[^ ]+", doc="peer IP of the connection"),
}

#: nginx variables (https://nginx.org/en/docs/http/ngx_http_log_module.html).
NGINX: dict[str, Directive] = {
    "remote_addr": Directive("client_ip", r"[^ ]+", doc="client address"),
    "realip_remote_addr": Directive("client_ip", r"[^ ]+", doc="address before realip"),
    "http_x_forwarded_for": Directive("forwarded_for", doc="X-Forwarded-For header"),
    "remote_user": Directive("user", doc="basic-auth user"),
    "time_local": Directive("time", rf"(?P<time>{CLF_TIME})", "clf", doc="local time, CLF"),
    "time_iso8601": Directive("time", rf"(?P<time>{ISO_TIME})", "iso8601", doc="ISO 8601"),
    "msec": Directive("time", r"(?P<time>[0-9]+\.[0-9]+)", "epoch", doc="epoch seconds.ms"),
    "request": Directive("request", doc="full request line"),
    "status": Directive("status", STATUS, doc="response status"),
    "body_bytes_sent": Directive("bytes", DIGITS, doc="body bytes sent"),
    "bytes_sent": Directive("bytes", DIGITS, doc="bytes sent including headers"),
    "http_referer": Directive("referrer", doc="Referer header"),
    "http_user_agent": Directive("user_agent", doc="User-Agent header"),
    "request_time": Directive("duration", SECONDS_MS_OR_DASH, unit=1000.0, doc="seconds.ms"),
    "upstream_response_time": Directive(None, doc="upstream seconds, may be a list"),
    "host": Directive("host", doc="host from request line, Host header or server_name"),
    "http_host": Directive("host", doc="Host header"),
    "server_name": Directive("host", doc="server_name of the matching server block"),
    "request_method": Directive("method", r"[A-Za-z]+", doc="request method"),
    "request_uri": Directive("path", doc="original URI with arguments"),
    "uri": Directive("path", doc="normalised URI, no arguments"),
    "is_args": Directive(None, r"\??", doc="? if there are arguments", joins_path=True),
    "args": Directive("query", doc="arguments, without ?"),
    "query_string": Directive("query", doc="same as $args"),
    "server_protocol": Directive("protocol", doc="request protocol"),
    "server_port": Directive(None, DIGITS, doc="server port"),
    "scheme": Directive(None, doc="http or https"),
    "pipe": Directive(None, doc="p if pipelined, . otherwise"),
    "connection": Directive(None, DIGITS, doc="connection serial number"),
    "request_length": Directive(None, DIGITS, doc="request length"),
}
