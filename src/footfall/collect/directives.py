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
    prefix: bool = False  # ends itself (an optional syslog prefix): the next field may follow


DIGITS = r"[0-9]+"
DIGITS_OR_DASH = r"[0-9]+|-"
STATUS = r"[0-9]{3}"
#: nginx always writes $request_time with milliseconds ("0.123"): requiring the dot keeps an
#: Apache %D / %T integer from being read as nginx seconds during detection.
SECONDS_MS_OR_DASH = r"[0-9]+\.[0-9]+|-"
CLF_TIME = r"[0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}"
#: A client address written as ``ip:port``: IPv4 stops at the colon; IPv6 (unbracketed, as
#: HAProxy and the AWS load balancers write it) leaves the last colon to the port.
IP_BEFORE_PORT = r"[0-9.]+|[0-9A-Fa-f:.]+"
#: Seconds with a fraction, or -1 when the step did not happen (AWS load balancers).
SECONDS_OR_MINUS_ONE = r"-1|[0-9]+(?:\.[0-9]+)?"
#: HAProxy timers and counters: -1 when the step did not happen, '+' when logged early.
HAPROXY_NUMBER = r"[+]?-?[0-9]+"
NOT_SPACE = r"[^ ]+"
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


#: Fields of the formats that have no format string of their own (AWS load balancers and
#: S3, HAProxy, Squid), written ``$name`` after the vendor's documentation; one table per
#: LogFormat.syntax, so a name means one thing within a format.
def _ip() -> Directive:
    return Directive("client_ip", IP_BEFORE_PORT, doc="client address (before :port)")


def _ignored(pattern: str = NOT_SPACE, doc: str = "") -> Directive:
    return Directive(None, pattern, doc=doc)


_ISO = Directive("time", rf"(?P<time>{ISO_TIME})", "iso8601", doc="ISO 8601, UTC")
_PORT = _ignored(DIGITS, "client port")


def _load_balancer(peer: str) -> dict[str, Directive]:
    """The fields AWS's load balancers share; ``peer`` is what they call the server behind
    them (``target`` for an Application LB, ``backend`` for a Classic one)."""
    return {
        "time": _ISO,
        "elb": _ignored(doc="load balancer name or id"),
        "client": _ip(),
        "client_port": _PORT,
        peer: _ignored(doc=f"{peer}:port, - when none"),
        "request_processing_time": _ignored(SECONDS_OR_MINUS_ONE, "seconds"),
        f"{peer}_processing_time": Directive(
            "duration", SECONDS_OR_MINUS_ONE, unit=1000.0, doc=f"seconds the {peer} took, -1: none"
        ),
        "response_processing_time": _ignored(SECONDS_OR_MINUS_ONE, "seconds"),
        "elb_status_code": Directive("status", STATUS, doc="status sent to the client"),
        f"{peer}_status_code": _ignored(r"[0-9]{3}|-", f"status from the {peer}"),
        "received_bytes": _ignored(DIGITS, "bytes received"),
        "sent_bytes": Directive("bytes", DIGITS, doc="bytes sent to the client"),
        "request": Directive("request", doc="METHOD absolute-URL PROTOCOL"),
        "user_agent": Directive("user_agent", doc="User-Agent header"),
        "ssl_cipher": _ignored(doc="TLS cipher, - for none"),
        "ssl_protocol": _ignored(doc="TLS protocol, - for none"),
    }


#: AWS Application Load Balancer (docs.aws.amazon.com/elasticloadbalancing/latest/application/
#: load-balancer-access-logs.html).
ALB: dict[str, Directive] = {
    "type": _ignored(r"[a-z0-9]+", "http, https, h2, grpcs, ws or wss"),
    **_load_balancer("target"),
}

#: Classic Elastic Load Balancer (docs.aws.amazon.com/elasticloadbalancing/latest/classic/
#: access-log-collection.html).
ELB: dict[str, Directive] = _load_balancer("backend")

#: Amazon S3 server access log (docs.aws.amazon.com/AmazonS3/latest/userguide/LogFormat.html).
S3: dict[str, Directive] = {
    "bucket_owner": _ignored(doc="canonical user id of the owner"),
    "bucket": Directive("host", NOT_SPACE, doc="bucket name, stored as the host"),
    "time": Directive("time", rf"(?P<time>{CLF_TIME})", "clf", doc="CLF time"),
    "remote_ip": Directive("client_ip", NOT_SPACE, doc="requester IP"),
    "requester": _ignored(doc="canonical user id or IAM ARN, - when anonymous"),
    "request_id": _ignored(doc="request id"),
    "operation": _ignored(doc="REST.GET.OBJECT, ..."),
    "key": _ignored(doc="object key, URL-encoded, - for none"),
    "request_uri": Directive("request", doc="first line of the request"),
    "http_status": Directive("status", STATUS, doc="HTTP status"),
    "error_code": _ignored(doc="S3 error code, - for none"),
    "bytes_sent": Directive("bytes", DIGITS_OR_DASH, doc="bytes sent, - for none"),
    "object_size": _ignored(DIGITS_OR_DASH, "object size"),
    "total_time": Directive("duration", DIGITS_OR_DASH, unit=1.0, doc="milliseconds"),
    "turn_around_time": _ignored(DIGITS_OR_DASH, "milliseconds S3 spent"),
    "referer": Directive("referrer", doc="Referer header"),
    "user_agent": Directive("user_agent", doc="User-Agent header"),
}

#: HAProxy "option httplog" (docs.haproxy.org, section 8.2.3 "HTTP log format").
HAPROXY: dict[str, Directive] = {
    "syslog_prefix": Directive(
        None, r"(?:[^\"]*?: )?", doc="optional syslog header up to 'haproxy[pid]: '", prefix=True
    ),
    "client_ip": _ip(),
    "client_port": _PORT,
    "accept_date": Directive(
        "time",
        r"(?P<time>[0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3})",
        "clf_local_ms",
        doc="local time with milliseconds, no zone: read in the site's time zone",
    ),
    "frontend_name": _ignored(doc="frontend (~ when TLS)"),
    "backend_name": _ignored(r"[^ /]+", "backend"),
    "server_name": _ignored(doc="server, <NOSRV> when none"),
    "TR": _ignored(HAPROXY_NUMBER, "ms to receive the request (Tq before 1.8)"),
    "Tw": _ignored(HAPROXY_NUMBER, "ms in queues"),
    "Tc": _ignored(HAPROXY_NUMBER, "ms to connect to the server"),
    "Tr": _ignored(HAPROXY_NUMBER, "ms until the server's response headers"),
    "Ta": Directive("duration", HAPROXY_NUMBER, unit=1.0, doc="total ms (Tt before 1.8)"),
    "status_code": Directive("status", STATUS, doc="HTTP status"),
    "bytes_read": Directive("bytes", r"[+]?[0-9]+", doc="bytes sent to the client"),
    "captured_request_cookie": _ignored(doc="- unless captured"),
    "captured_response_cookie": _ignored(doc="- unless captured"),
    "termination_state": _ignored(doc="four flag characters"),
    "actconn": _ignored(HAPROXY_NUMBER, "connections"),
    "feconn": _ignored(HAPROXY_NUMBER, "frontend connections"),
    "beconn": _ignored(HAPROXY_NUMBER, "backend connections"),
    "srv_conn": _ignored(HAPROXY_NUMBER, "server connections"),
    "retries": _ignored(HAPROXY_NUMBER, "retries"),
    "srv_queue": _ignored(HAPROXY_NUMBER, "server queue"),
    "backend_queue": _ignored(HAPROXY_NUMBER, "backend queue"),
    "captured_headers": _ignored(r"(?:\{[^}]*\} +)*", "{request headers} {response headers}"),
    "http_request": Directive("request", doc="first line of the request"),
}

#: Squid native access.log (wiki.squid-cache.org/Features/LogFormat, "squid" format).
SQUID: dict[str, Directive] = {
    "time": Directive(
        "time", r"(?P<time>[0-9]+\.[0-9]{3})", "epoch", doc="epoch seconds.milliseconds"
    ),
    "elapsed": Directive("duration", DIGITS, unit=1.0, doc="milliseconds"),
    "remotehost": Directive("client_ip", NOT_SPACE, doc="client address"),
    "code": _ignored(r"[A-Z_]+", "Squid result code (TCP_MISS, ...)"),
    "status": Directive("status", STATUS, doc="HTTP status after the /"),
    "bytes": Directive("bytes", DIGITS, doc="bytes sent to the client"),
    "method": Directive("method", NOT_SPACE, doc="request method"),
    "url": Directive("path", NOT_SPACE, doc="URL, absolute for a proxy"),
    "rfc931": Directive("user", NOT_SPACE, doc="ident or authenticated user"),
    "peerstatus": _ignored(r"[A-Z_]+", "hierarchy code (DIRECT, ...)"),
    "peerhost": _ignored(doc="server the request went to"),
    "type": _ignored(doc="content type"),
}

#: LogFormat.syntax -> its table, for formats written in ``$name`` fields.
NAMED_FIELDS: dict[str, dict[str, Directive]] = {
    "alb": ALB, "elb": ELB, "s3": S3, "haproxy": HAPROXY, "squid": SQUID,
}  # fmt: skip
