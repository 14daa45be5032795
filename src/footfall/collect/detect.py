"""Choose the log format of a file from its first lines, or explain why not.

Each candidate format is tried on a sample of lines; the best one must match
at least ``MIN_SHARE`` of them.  Formats are tried most specific first (the
load balancer, S3, HAProxy and Squid layouts, which no Apache or nginx line
fits, then combined with request time before combined before common), so a
line that fits several gets the one that keeps the most fields.  When nothing fits,
the error lists the closest formats with their score and, for the first line
each could not read, which field failed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from footfall.collect.formats import (
    FORMATS_BY_NAME,
    LOG_FORMATS,
    CompiledFormat,
    LogFormat,
    compile_format,
    compile_tokens,
    custom_format,
    explain_mismatch,
    find_mismatch,
    tokenize_w3c,
)
from footfall.collect.jsonlog import EVENT_LOG_FORMAT, JsonLogFormat, describe_json_log
from footfall.collect.w3c import parse_fields_header
from footfall.errors import ConfigError, FormatDefinitionError, UnknownFormat

SAMPLE_LINES = 50
MIN_SHARE = 0.8

#: Logs that sit next to access logs but are not one: skipped with a note, not failed.
#: Half the sample must fit (an Apache error log may carry multi-line stack traces).
OTHER_LOGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an nginx error log", re.compile(
        r"[0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} "
        r"\[(?:debug|info|notice|warn|error|crit|alert|emerg)\] [0-9]+#[0-9]+: ")),
    ("an Apache error log", re.compile(
        r"\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9][0-9] [0-9:.]+ [0-9]{4}\] "
        r"\[(?:[a-z_]+:)?(?:emerg|alert|crit|error|warn|notice|info|debug|trace[1-8])\] ")),
)  # fmt: skip
OTHER_LOG_SHARE = 0.5

ParsedFormat = CompiledFormat | JsonLogFormat


@dataclass(frozen=True, slots=True)
class Detection:
    format: ParsedFormat
    matched: int
    sampled: int
    note: str = ""  # e.g. another format fitted equally well


def sample_lines(head: bytes) -> list[str]:
    text = head.decode("utf-8", errors="replace")
    lines = [line.rstrip("\r") for line in text.split("\n")]
    if head and not head.endswith(b"\n") and len(lines) > 1:
        lines.pop()  # probably cut in the middle
    # a line with NUL bytes (copytruncate, a crash) is rejected on import, not sampled
    return [line for line in lines if line.strip() and "\x00" not in line]


def other_log(head: bytes) -> str | None:
    """A note when ``head`` is a server's error log rather than an access log."""
    lines = sample_lines(head)[:SAMPLE_LINES]
    for what, regex in OTHER_LOGS:
        if lines and sum(1 for line in lines if regex.match(line)) >= OTHER_LOG_SHARE * len(lines):
            return f"{what}, not an access log: skipped"
    return None


def w3c_format(name: str, field_names: list[str], sample: list[str]) -> CompiledFormat:
    """The format a ``#Fields:`` header describes; a header without a time field makes
    this file unreadable (named, exit 1), not the whole command."""
    data = [line for line in sample if not line.startswith("#")]
    try:
        tokens = tokenize_w3c(field_names, data[0] if data else "")
        return compile_tokens(
            "w3c", tokens, comment_prefix="#", quoted_values=True, encoded_user_agent=True
        )
    except FormatDefinitionError as err:
        raise UnknownFormat(name, f"W3C #Fields header: {err}") from err


def detect(
    name: str,
    head: bytes,
    forced: str | None = None,
    spec: str | None = None,
    json_keys: tuple[tuple[str, str], ...] = (),
) -> Detection:
    """The format for a file whose first bytes are ``head``; ``name`` is for messages;
    ``json_keys`` (field, key path) name keys of a JSON log (``--json-keys``)."""
    lines = sample_lines(head)
    if not lines:
        raise UnknownFormat(name, "the file has no lines to read")
    if spec is not None:
        return _check(name, compile_format(custom_format(spec)), lines)
    if forced == "events":
        return Detection(EVENT_LOG_FORMAT, len(lines), len(lines))
    if forced is not None:
        fmt = FORMATS_BY_NAME.get(forced)
        if fmt is None:
            known = ", ".join(f.name for f in LOG_FORMATS)
            raise ConfigError(f"unknown format {forced!r}; known formats: {known}")
        special = _detect_special(name, lines, fmt, json_keys)
        return special or _check(name, compile_format(fmt), lines)
    special = _detect_special(name, lines, None, json_keys)
    if special is not None:
        return special
    data = [line for line in lines if not line.startswith("#")][:SAMPLE_LINES]
    scored = []
    for fmt in LOG_FORMATS:
        if not fmt.spec:  # W3C and JSON are known by their own marks, above
            continue
        compiled = compile_format(fmt)
        regex = compiled.python_regex
        hits = sum(1 for line in data if regex.match(line))
        scored.append((hits, compiled))
    best = max(hits for hits, _ in scored)
    if data and best >= MIN_SHARE * len(data):
        winners = [c for hits, c in scored if hits == best]
        # a format that yields to an equal winner (listed before it) is not worth a note
        winners = [winners[0]] + [c for c in winners[1:] if winners[0].name not in _yields(c)]
        note = ""
        if len(winners) > 1:
            others = ", ".join(c.name for c in winners[1:])
            note = f"also fits {others}; pass --format to choose"
        return Detection(winners[0], best, len(data), note)
    raise UnknownFormat(name, _closest(scored, data))


def _yields(fmt: CompiledFormat) -> tuple[str, ...]:
    known = FORMATS_BY_NAME.get(fmt.name)
    return known.yields_to if known is not None else ()


def _detect_special(
    name: str, lines: list[str], fmt: LogFormat | None, json_keys: tuple[tuple[str, str], ...] = ()
) -> Detection | None:
    """W3C (by its #Fields header) and JSON (by a leading '{')."""
    fields = next((f for f in map(parse_fields_header, lines) if f is not None), None)
    if fields is not None and (fmt is None or fmt.syntax == "w3c"):
        return _check(name, w3c_format(name, fields, lines), lines)
    if fmt is not None and fmt.syntax == "w3c":
        raise UnknownFormat(name, "W3C format needs a '#Fields:' header line")
    sample = lines[:SAMPLE_LINES]
    objects = [i for i, line in enumerate(sample) if line.lstrip().startswith("{")]
    # JSON when most lines are objects: junk or a line cut in half becomes a reject
    if (
        objects
        and len(objects) >= MIN_SHARE * len(sample)
        and (fmt is None or fmt.syntax == "json")
    ):
        first = objects[0]
        described = describe_json_log(sample[first], sample[first + 1 :], json_keys)
        if isinstance(described, str):
            line = first + 1
            raise UnknownFormat(name, f"line {line} looks like JSON but {described}", line=line)
        return Detection(described, len(objects), len(sample))
    if fmt is not None and fmt.syntax == "json":
        raise UnknownFormat(name, "the first line is not a JSON object", line=1)
    return None


def _check(name: str, fmt: CompiledFormat, lines: list[str]) -> Detection:
    """A format the user named must fit at least some of the sample."""
    data = [line for line in lines if not line.startswith("#")][:SAMPLE_LINES]
    hits = sum(1 for line in data if fmt.python_regex.match(line))
    if data and hits == 0:
        reason = explain_mismatch(fmt, data[0])
        raise UnknownFormat(
            name, f"none of the first {len(data)} lines fit format {fmt.name}: line 1: {reason}"
        )
    return Detection(fmt, hits, len(data))


def _closest(scored: list[tuple[int, CompiledFormat]], data: list[str]) -> str:
    """The three formats that read most lines; ties go to the one that got furthest
    into its first bad line, then to the simpler format (later in LOG_FORMATS)."""
    ranked = []
    for order, (hits, compiled) in enumerate(scored):
        bad = next((i for i, line in enumerate(data) if not compiled.python_regex.match(line)), 0)
        reached, why = find_mismatch(compiled, data[bad]) if data else (0, "no data lines")
        ranked.append((-hits, -reached, -order, compiled.name, hits, bad, why))
    parts = [
        f"{name} fits {hits}/{len(data)} lines (line {bad + 1}: {why})"
        for *_, name, hits, bad, why in sorted(ranked)[:3]
    ]
    return (
        "cannot tell the log format; closest: "
        + "; ".join(parts)
        + ". Pass --format NAME or --log-format 'STRING'"
    )
