"""Raw fields -> typed columns, as one SQL SELECT over a batch of lines.

The batch is a relation ``batch(line_no BIGINT, line VARCHAR)``.  The SELECT
yields the *parsed hit* columns every format shares (``PARSED_COLUMNS``) and
a ``reject_reason``: NULL for a good line, a sentence otherwise (for lines the
regex did not match, ``formats.explain_mismatch`` fills it in Python).

Values are bound as parameters; only column names and fixed SQL fragments are
interpolated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from footfall.collect.formats import CompiledFormat
from footfall.collect.jsonlog import JsonLogFormat
from footfall.collect.split_plan import SplitPlan, plan_for

PARSED_COLUMNS = (
    "line_no", "client_ip", "ts", "method", "path", "protocol", "status", "bytes",
    "referrer", "user_agent", "host", "duration_ms",
)  # fmt: skip

TIME_SQL = {
    "clf": "timezone('UTC', try_strptime({t}, '%d/%b/%Y:%H:%M:%S %z'))",
    "iso8601": "timezone('UTC', try_cast({t} AS TIMESTAMPTZ))",
    "epoch": "timezone('UTC', to_timestamp(try_cast({t} AS DOUBLE)))",
    "w3c": "try_cast({d} || ' ' || {t} AS TIMESTAMP)",
    "w3c_local": "timezone('UTC', timezone($site_tz, try_cast({d} || ' ' || {t} AS TIMESTAMP)))",
    # HAProxy's accept_date: CLF with milliseconds and no zone, the host's local time
    "clf_local_ms": "timezone('UTC', timezone($site_tz, "
    "try_strptime({t}, '%d/%b/%Y:%H:%M:%S.%g')))",
}
#: Time kinds read in the site's time zone (they carry no offset of their own).
LOCAL_TIME_KINDS = frozenset({"w3c_local", "clf_local_ms"})

#: An absolute-form request target (``GET https://host:443/path``, RFC 9112 3.2.2): the
#: host is the target's, the path what follows it.
ABSOLUTE_TARGET = r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)[^/?#]*(.*)$"


def logs_user_agent(fmt: CompiledFormat | JsonLogFormat) -> bool:
    """Whether the format logs the User-Agent header at all (CLF does not)."""
    return "user_agent" in (fmt.paths if isinstance(fmt, JsonLogFormat) else fmt.fields)


@dataclass(frozen=True, slots=True)
class ParseQuery:
    sql: str
    params: dict[str, object]


def _dash(expr: str) -> str:
    """'-' and '' mean 'absent' in every access log format."""
    return f"nullif(nullif({expr}, '-'), '')"


def parse_query(
    fmt: CompiledFormat | JsonLogFormat, relation: str = "batch", timezone: str = "UTC"
) -> ParseQuery:
    """``timezone``: the site's, for W3C local times (IIS Advanced Logging)."""
    if isinstance(fmt, JsonLogFormat):
        names = list(fmt.paths)
        # json_extract_string raises on a line that is not JSON: only valid lines reach it
        inner = (
            "SELECT line_no, line, CASE WHEN json_valid(line) THEN "
            f"json_extract_string(line, $json_paths) END AS f FROM {relation}"
        )
        raw = {name: f"f[{i + 1}]" for i, name in enumerate(names)}
        matched = "json_valid(line)"
        params: dict[str, object] = {"json_paths": list(fmt.paths.values())}
        present = set(names)
    else:
        names = list(fmt.groups)
        raw = {name: f'f."{name}"' for name in names}
        if fmt.quoted_values:
            raw = {name: _unquote(expr) for name, expr in raw.items()}
        params = {"format_regex": fmt.regex, "format_groups": names}
        present = set(fmt.fields)
        plan = plan_for(fmt)
        if plan is None:
            inner = f"SELECT line_no, line, regexp_extract(line, $format_regex, $format_groups) AS f FROM {relation}"
            matched = "f._m <> ''"
        else:
            inner = _split_inner(plan, names, relation)
            matched = "ok"
            params["format_plain"] = plan.no_group_regex
    params["absolute_target"] = ABSOLUTE_TARGET
    if fmt.time_kind in LOCAL_TIME_KINDS:
        params["site_tz"] = timezone
    return ParseQuery(_typed_select(inner, raw, present, matched, fmt), params)


def _logs_minus_one(fmt: CompiledFormat | JsonLogFormat) -> bool:
    """Whether the format's duration field may be -1 (other formats keep the plain cast)."""
    if isinstance(fmt, JsonLogFormat):
        return False
    patterns = (t.directive.pattern for t in fmt.tokens if t.directive and t.group == "duration")
    pattern = next(patterns, None)
    return pattern is not None and re.fullmatch(pattern, "-1") is not None


def _unquote(expr: str) -> str:
    """A value written in quotes to hold spaces (W3C): without them, "" read as "."""
    return (
        f"CASE WHEN starts_with({expr}, '\"') AND length({expr}) > 1 "
        f"THEN replace({expr}[2:-2], '\"\"', '\"') ELSE {expr} END"
    )


def _split_inner(plan: SplitPlan, names: list[str], relation: str) -> str:
    """Match with the group-free regex; cut fields by splitting when the shape allows."""
    packed = ", ".join(
        "_m := line" if name == "_m" else f"{name} := {plan.fields[name]}" for name in names
    )
    return f"""
        SELECT line_no, line, ok,
            CASE WHEN ok AND {plan.shape_sql()} THEN struct_pack({packed})
                 WHEN ok THEN regexp_extract(line, $format_regex, $format_groups) END AS f
        FROM (SELECT line_no, line, regexp_full_match(line, $format_plain) AS ok,
                     {plan.split_columns_sql()}
              FROM {relation})"""


def _typed_select(
    inner: str,
    raw: dict[str, str],
    present: set[str],
    matched: str,
    fmt: CompiledFormat | JsonLogFormat,
) -> str:
    def col(name: str) -> str:
        return raw[name] if name in present else "NULL::VARCHAR"

    time_sql = TIME_SQL[fmt.time_kind].format(t=col("time"), d=col("date"))
    if "request" in present:
        request = col("request")
        method = f"split_part({request}, ' ', 1)"
        path = f"split_part({request}, ' ', 2)"
        protocol = _dash(f"split_part({request}, ' ', 3)")
    else:
        method, path, protocol = col("method"), col("path"), _dash(col("protocol"))
    if "query" in present:
        q = _dash(col("query"))
        path = f"{path} || coalesce('?' || ltrim({q}, '?'), '')"
    client = col("client_ip")
    if "forwarded_for" in present:
        xff = _dash(col("forwarded_for"))
        client = f"coalesce(trim(split_part({xff}, ',', 1)), {client})"
    agent = _dash(col("user_agent"))
    if isinstance(fmt, CompiledFormat) and fmt.encoded_user_agent:  # IIS: '+', CloudFront: %20
        agent = f"url_decode(replace({agent}, '+', ' '))"
    unit = fmt.duration_unit or 0.0
    duration = f"try_cast({_dash(col('duration'))} AS DOUBLE) * {float(unit)!r}"
    if _logs_minus_one(fmt):  # "this step did not happen" (AWS, HAProxy): no duration
        duration = f"CASE WHEN {duration} >= 0 THEN {duration} END"
    raw_bytes = col("bytes")
    bytes_sql = (
        f"CASE WHEN {_dash(raw_bytes)} IS NULL THEN 0 ELSE try_cast({raw_bytes} AS BIGINT) END"
    )
    return f"""
SELECT
  CASE
    WHEN NOT matched THEN NULL
    WHEN ts IS NULL THEN 'field time: cannot read ' || coalesce(quote_text, 'nothing')
         || ' as a timestamp'
    WHEN status IS NULL OR status < 100 OR status > 599 THEN 'field status: '
         || coalesce(status_text, 'nothing') || ' is not an HTTP status'
    WHEN bytes IS NULL THEN 'field bytes: ' || coalesce(bytes_text, 'nothing')
         || ' is not a byte count'
  END AS reject_reason,
  * EXCLUDE (quote_text, status_text, bytes_text, path, host),
  CASE WHEN NOT starts_with(path, '/') AND contains(path, '://')
       THEN '/' || ltrim(regexp_extract(path, $absolute_target, 2), '/') ELSE path END AS path,
  CASE WHEN host IS NULL AND NOT starts_with(path, '/') AND contains(path, '://')
       THEN nullif(lower(regexp_extract(path, $absolute_target, 1)), '') ELSE host END AS host
FROM (
  SELECT line_no, line, coalesce({matched}, false) AS matched,
    {client} AS client_ip,
    {time_sql} AS ts,
    '"' || {col("time")} || '"' AS quote_text,
    upper({method}) AS method,
    {path} AS path,
    {protocol} AS protocol,
    try_cast({col("status")} AS SMALLINT) AS status,
    {col("status")} AS status_text,
    {bytes_sql} AS bytes,
    {raw_bytes} AS bytes_text,
    {_dash(col("referrer"))} AS referrer,
    {agent} AS user_agent,
    lower({_dash(col("host"))}) AS host,
    {duration} AS duration_ms,
    {col("event_name")} AS event_name,
    {col("event_id")} AS event_id,
    {col("props")} AS props,
    try_cast({col("revenue_amount")} AS DECIMAL(18, 4)) AS revenue_amount,
    upper({col("revenue_currency")}) AS revenue_currency
  FROM ({inner})
)"""
