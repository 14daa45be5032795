"""Log formats as data: named format strings compiled to one regular expression.

A text format is a sequence of literals and directives (Apache ``%h``, nginx
``$remote_addr``, W3C ``c-ip``).  ``compile_format`` turns it into a regex
with one named group per kept raw field.  The same regex runs in DuckDB
(RE2, vectorised over a batch of lines) and in Python (``re``, for detection
and for explaining a rejected line), so both always agree.  JSON logs are
described in ``jsonlog.py``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace

from footfall.collect.directives import APACHE, APACHE_BRACED, NAMED_FIELDS, NGINX, Directive
from footfall.collect.w3c import SEPARATOR, VALUE, directive_for, separator_of
from footfall.errors import FormatDefinitionError

QUOTED = r'(?:[^"\\]|\\.)*'
PATH_BEFORE_QUERY = r'[^?\s"]*'
#: A format string ending in " ..." reads the fields before it and tolerates any that follow
#: (AWS and Squid add fields at the end over the years).
MORE_FIELDS = " ..."


@dataclass(frozen=True, slots=True)
class LogFormat:
    """A named log format users can pass as ``--format NAME``."""

    name: str
    syntax: str  # apache | nginx | w3c | json, or a NAMED_FIELDS table (alb, s3, haproxy...)
    spec: str  # the format string ("" when the file itself describes it)
    doc: str
    #: formats that read the same lines and more: when one fits as well, it wins silently
    #: (a vhost_combined line also fits %v without a port, its host then "name:port")
    yields_to: tuple[str, ...] = ()


LOG_FORMATS: tuple[LogFormat, ...] = (
    LogFormat("aws_alb", "alb",
              '$type $time $elb $client:$client_port $target $request_processing_time '
              '$target_processing_time $response_processing_time $elb_status_code '
              '$target_status_code $received_bytes $sent_bytes "$request" "$user_agent" '
              '$ssl_cipher $ssl_protocol ...',
              "AWS Application Load Balancer; duration is target_processing_time"),
    LogFormat("aws_elb", "elb",
              '$time $elb $client:$client_port $backend $request_processing_time '
              '$backend_processing_time $response_processing_time $elb_status_code '
              '$backend_status_code $received_bytes $sent_bytes "$request" "$user_agent" '
              '$ssl_cipher $ssl_protocol',
              "AWS Classic Load Balancer (HTTP listeners); duration is backend_processing_time"),
    LogFormat("aws_s3", "s3",
              '$bucket_owner $bucket [$time] $remote_ip $requester $request_id $operation $key '
              '"$request_uri" $http_status $error_code $bytes_sent $object_size $total_time '
              '$turn_around_time "$referer" "$user_agent" ...',
              "Amazon S3 server access log; the bucket is stored as the host"),
    LogFormat("haproxy_http", "haproxy",
              '$syslog_prefix$client_ip:$client_port [$accept_date] $frontend_name '
              '$backend_name/$server_name $TR/$Tw/$Tc/$Tr/$Ta $status_code $bytes_read '
              '$captured_request_cookie $captured_response_cookie $termination_state '
              '$actconn/$feconn/$beconn/$srv_conn/$retries $srv_queue/$backend_queue '
              '$captured_headers"$http_request"',
              "HAProxy option httplog (syslog prefix optional): no user agent; "
              "local time read in the site's time zone"),
    LogFormat("squid", "squid",
              '$time $elapsed $remotehost $code/$status $bytes $method $url $rfc931 '
              '$peerstatus/$peerhost $type ...',
              "Squid native access.log: no user agent; the URL's host is the host"),
    LogFormat("combined_request_time", "nginx",
              '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
              '"$http_referer" "$http_user_agent" $request_time',
              "nginx combined plus $request_time (seconds with milliseconds)"),
    LogFormat("combined_duration_us", "apache",
              '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D',
              "Apache combined plus %D (microseconds). Chosen over %T when both fit."),
    LogFormat("combined_duration_s", "apache",
              '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %T',
              "Apache combined plus %T (whole seconds)"),
    LogFormat("vhost_combined", "apache",
              '%v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
              "Debian/Ubuntu Apache vhost_combined: virtual host and port first"),
    LogFormat("vhost_combined_no_port", "apache",
              '%v %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"',
              "Apache combined with the virtual host first, no port",
              yields_to=("vhost_combined",)),
    LogFormat("combined", "apache",
              '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"',
              "NCSA combined: the default of nginx and of most Apache setups"),
    LogFormat("common", "apache", '%h %l %u %t "%r" %>s %b',
              "NCSA common log format (CLF): no referrer, no user agent"),
    LogFormat("w3c", "w3c", "",
              "W3C extended / IIS: fields named by the #Fields: header, times in UTC"),
    LogFormat("json", "json", "",
              "One JSON object a line: nginx escape=json, Caddy, Traefik (keys mapped by name)"),
    LogFormat("events", "json", "",
              "Footfall's own event log of tracker events (written by the server)"),
)  # fmt: skip

FORMATS_BY_NAME = {f.name: f for f in LOG_FORMATS}


@dataclass(frozen=True, slots=True)
class Token:
    literal: str = ""  # literal text, when directive is None
    directive: Directive | None = None
    source: str = ""  # the directive as written, for error messages
    group: str = ""  # regex group name ("" for literals)
    pattern: str = ""  # regex of a literal when not the literal itself (W3C: " +")


@dataclass(frozen=True, slots=True)
class CompiledFormat:
    """A text format ready to run: the regex and what its groups mean."""

    name: str
    tokens: tuple[Token, ...]
    regex: str
    groups: tuple[str, ...]  # group names in order, "_m" (whole line) first
    fields: frozenset[str]  # raw fields present
    time_kind: str
    duration_unit: float | None  # milliseconds per unit of the duration field
    pieces: tuple[str, ...]  # the regex piece of each token, for explain_mismatch
    # What a format's writer does besides its fields (W3C extended logs do all three):
    comment_prefix: str = ""  # lines starting with it are directives, not requests ("#")
    quoted_values: bool = False  # a value may be quoted to hold spaces, "" standing for "
    encoded_user_agent: bool = False  # the agent is URL-encoded, '+' for a space (IIS)

    @property
    def python_regex(self) -> re.Pattern[str]:
        return _compiled(self.regex)


@functools.lru_cache(maxsize=256)
def _compiled(regex: str) -> re.Pattern[str]:
    return re.compile(regex)


def tokenize_apache(spec: str) -> list[Token]:
    """Split an Apache LogFormat string into literals and directives."""
    tokens: list[Token] = []
    pattern = re.compile(r"%[<>]?(?:!?[0-9,]+)?(?:\{([^}]*)\})?([<>]?[a-zA-Z%])")
    pos = 0
    for match in pattern.finditer(spec):
        if "%" in spec[pos : match.start()]:
            raise FormatDefinitionError(
                f"incomplete directive before {match.group(0)!r} in {spec!r}"
            )
        if match.start() > pos:
            tokens.append(Token(literal=spec[pos : match.start()]))
        arg, letter = match.group(1), match.group(2)
        if arg is not None:
            directive = APACHE_BRACED.get((arg.lower(), letter), Directive(None))
            if letter == "t":
                raise FormatDefinitionError(
                    f"{match.group(0)}: custom time formats are not supported; use %t"
                )
        elif letter in APACHE:
            directive = APACHE[letter]
        else:
            raise FormatDefinitionError(f"unknown Apache directive {match.group(0)!r} in {spec!r}")
        if letter == "%":
            tokens.append(Token(literal="%"))
        else:
            tokens.append(Token(directive=directive, source=match.group(0)))
        pos = match.end()
    if "%" in spec[pos:]:
        raise FormatDefinitionError(f"incomplete directive at the end of {spec!r}")
    if pos < len(spec):
        tokens.append(Token(literal=spec[pos:]))
    return tokens


def tokenize_nginx(spec: str) -> list[Token]:
    """Split an nginx log_format string; unknown variables are kept as ignored fields."""
    tokens: list[Token] = []
    pos = 0
    for match in re.finditer(r"\$(?:\{([a-z0-9_]+)\}|([a-z0-9_]+))", spec, re.IGNORECASE):
        if match.start() > pos:
            tokens.append(Token(literal=spec[pos : match.start()]))
        name = (match.group(1) or match.group(2)).lower()
        tokens.append(Token(directive=NGINX.get(name, Directive(None)), source=match.group(0)))
        pos = match.end()
    if pos < len(spec):
        tokens.append(Token(literal=spec[pos:]))
    return tokens


def tokenize_named(spec: str, table: dict[str, Directive]) -> list[Token]:
    """Split a ``$name`` format string whose names are the keys of ``table``."""
    more = spec.endswith(MORE_FIELDS)
    if more:
        spec = spec[: -len(MORE_FIELDS)]
    tokens: list[Token] = []
    pos = 0
    for match in re.finditer(r"\$([A-Za-z_][A-Za-z0-9_]*)", spec):
        if match.start() > pos:
            tokens.append(Token(literal=spec[pos : match.start()]))
        directive = table.get(match.group(1))
        if directive is None:
            raise FormatDefinitionError(f"unknown field {match.group(0)!r} in {spec!r}")
        tokens.append(Token(directive=directive, source=match.group(0)))
        pos = match.end()
    if pos < len(spec):
        tokens.append(Token(literal=spec[pos:]))
    if more:
        tokens.append(Token(literal=MORE_FIELDS, pattern="(?: .*)?"))
    return tokens


def tokenize_w3c(field_names: list[str], first_data_line: str = "") -> list[Token]:
    """W3C fields, separated by spaces (one or more) or tabs; unknown names are kept as
    ignored fields.  Every field is one value, quoted when it holds spaces."""
    sep = separator_of(first_data_line)
    names = {name.lower() for name in field_names}
    tokens: list[Token] = []
    for i, name in enumerate(field_names):
        if i:
            tokens.append(Token(literal=sep, pattern=SEPARATOR[sep]))
        directive = directive_for(name, names) or Directive(None)
        if directive.pattern is None:
            directive = replace(directive, pattern=VALUE[sep])
        tokens.append(Token(directive=directive, source=name))
    return tokens


def compile_tokens(
    name: str,
    tokens: list[Token],
    *,
    comment_prefix: str = "",
    quoted_values: bool = False,
    encoded_user_agent: bool = False,
) -> CompiledFormat:
    """Build the regex: each directive's own pattern, or 'anything up to the next literal'.
    The keywords are the writer's habits, kept on the format (see ``CompiledFormat``)."""
    parts: list[str] = []
    named: list[Token] = []
    seen: set[str] = set()
    time_kinds: list[str] = []
    unit: float | None = None
    for i, token in enumerate(tokens):
        if token.directive is None:  # a space between fields may be several (hand-made formats)
            parts.append(token.pattern or re.escape(token.literal).replace("\\ ", " +"))
            named.append(token)
            continue
        d = token.directive
        before = tokens[i - 1].literal if i else ""
        after = tokens[i + 1].literal if i + 1 < len(tokens) else ""
        follower = tokens[i + 1].directive if i + 1 < len(tokens) else None
        joined = (
            follower is not None
            and (d.field == "path" or d.joins_path)
            and (follower.joins_path or follower.field == "query")
        )
        if follower is not None and not joined and not d.prefix:
            raise FormatDefinitionError(
                f"{token.source} is followed directly by {tokens[i + 1].source}: "
                "two fields need a separator between them"
            )
        if joined and d.field == "path":
            body = PATH_BEFORE_QUERY  # %U%q, $uri$is_args$args: the path stops at '?'
        elif d.pattern is not None:
            body = d.pattern
        elif before.endswith('"') and after.startswith('"'):
            body = QUOTED
        elif after:
            body = f"[^{re.escape(after[0])}]*"
        else:
            body = ".*?"
        field = d.field
        if field is None or field in seen:
            parts.append(f"(?:{body})")
            named.append(token)
            continue
        seen.add(field)
        if field == "time":
            time_kinds.append(d.time_kind or "")
            group = f"(?:{body})" if "(?P<" in body else f"(?P<time>{body})"
        else:
            group = f"(?P<{field}>{body})"
        if field == "duration":
            unit = d.unit
        parts.append(group)
        named.append(Token(directive=d, source=token.source, group=field))
    if "time" not in seen:
        raise FormatDefinitionError(f"format {name!r} has no time field (%t, $time_local...)")
    regex = "^(?P<_m>" + "".join(parts) + r")\s*$"
    try:
        compiled = re.compile(regex)
    except re.error as err:
        raise FormatDefinitionError(f"format {name!r} does not compile: {err}") from err
    groups = tuple(compiled.groupindex)
    return CompiledFormat(
        name, tuple(named), regex, groups, frozenset(seen), time_kinds[0], unit, tuple(parts),
        comment_prefix, quoted_values, encoded_user_agent,
    )  # fmt: skip


def compile_format(fmt: LogFormat) -> CompiledFormat:
    if fmt.syntax == "apache":
        return compile_tokens(fmt.name, tokenize_apache(fmt.spec))
    if fmt.syntax == "nginx":
        return compile_tokens(fmt.name, tokenize_nginx(fmt.spec))
    if fmt.syntax in NAMED_FIELDS and fmt.spec:
        return compile_tokens(fmt.name, tokenize_named(fmt.spec, NAMED_FIELDS[fmt.syntax]))
    raise FormatDefinitionError(f"format {fmt.name!r} is described by the file, not a string")


def custom_format(spec: str) -> LogFormat:
    """A user's --log-format string: nginx if it uses $variables, Apache if %directives."""
    if "$" in spec and re.search(r"\$[a-z_{]", spec):
        return LogFormat("custom", "nginx", spec, "custom nginx log_format")
    if "%" in spec:
        return LogFormat("custom", "apache", spec, "custom Apache LogFormat")
    raise FormatDefinitionError(
        f"{spec!r} is neither an Apache LogFormat (%h %t ...) nor an nginx log_format ($remote_addr ...)"
    )


def explain_mismatch(fmt: CompiledFormat, line: str) -> str:
    """Name the first directive (or literal) of ``fmt`` that ``line`` does not match."""
    return find_mismatch(fmt, line)[1]


def find_mismatch(fmt: CompiledFormat, line: str) -> tuple[int, str]:
    """(tokens matched, reason): how far ``line`` fits ``fmt``, and what stopped it."""
    pos = 0
    for index, (token, piece) in enumerate(zip(fmt.tokens, fmt.pieces, strict=True)):
        m = _compiled(piece).match(line, pos)
        if m is None:
            found = line[pos : pos + 24]
            found = f'"{found}..."' if len(line) - pos > 24 else f'"{found}"'
            if pos >= len(line):
                found = "the end of the line"
            if token.directive is None:
                return index, f"expected {token.literal!r} at column {pos + 1}, found {found}"
            what = token.group or "ignored field"
            return (
                index,
                f"field {what} ({token.source}) does not match at column {pos + 1}: {found}",
            )
        pos = m.end()
    rest = line[pos:].strip()
    if rest:
        return len(
            fmt.tokens
        ), f"unexpected text after the last field at column {pos + 1}: {rest[:24]!r}"
    return len(fmt.tokens), "line matches the format"
