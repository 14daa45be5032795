"""A fast way to cut fields out of a line that the format's regex already accepted.

Extracting capture groups is the slow part of a regex (RE2 must leave its DFA);
merely testing a match is about four times faster.  So a batch is checked
with the group-free regex, and the fields of matching lines are cut out by
splitting on '"' and then on spaces, at positions compiled from the format's
tokens.  The split is only trusted when the line has exactly the expected
number of pieces (an escaped quote inside a user agent adds pieces); other
matching lines fall back to regex extraction.  Formats whose fields cannot be
located this way (a field that may contain spaces outside quotes) get no plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from footfall.collect.formats import QUOTED, CompiledFormat

#: Fields known to contain exactly this many spaces (CLF time: "10/Oct/2026:13:55:36 +0000").
SPACES_IN_FIELD = {"clf": 1}


@dataclass(frozen=True, slots=True)
class _Field:
    group: str
    spaces: int  # spaces inside the field's own text; -1: any number (only allowed when quoted)


@dataclass(frozen=True, slots=True)
class SplitPlan:
    segments: int  # number of '"'-separated segments
    pieces: dict[int, int]  # unquoted segment (1-based) -> number of ' '-separated pieces
    fields: dict[str, str]  # group -> SQL over q (segments) and s<k> (pieces of segment k)
    no_group_regex: str

    def shape_sql(self) -> str:
        tests = [f"len(q) = {self.segments}"]
        tests += [f"len(s{k}) = {n}" for k, n in sorted(self.pieces.items())]
        return " AND ".join(tests)

    def split_columns_sql(self) -> str:
        cols = ["string_split(line, '\"') AS q"]
        cols += [f"string_split(q[{k}], ' ') AS s{k}" for k in sorted(self.pieces)]
        return ", ".join(cols)


def _spaces(fmt: CompiledFormat, group: str, piece: str) -> int:
    if group == "time":
        return SPACES_IN_FIELD.get(fmt.time_kind, 0)
    if QUOTED in piece or '[^\\"]' in piece or ".*" in piece:
        return -1
    return 0


def plan_for(fmt: CompiledFormat) -> SplitPlan | None:
    """The split plan of a text format, or None when its fields cannot be located by splitting."""
    items: list[str | _Field] = []
    for token, piece in zip(fmt.tokens, fmt.pieces, strict=True):
        if token.directive is None and token.pattern and token.literal.strip():
            return None  # " ..." (any further fields): the pieces cannot be counted
        if token.directive is None:
            items.append(token.literal)
        else:
            field = _Field(token.group, _spaces(fmt, token.group, piece))
            bracketed = piece.startswith("(?:\\[") and piece.endswith("\\])")  # Apache %t
            items.extend(["[", field, "]"] if bracketed else [field])
    segments = _split_items(items, '"')
    fields: dict[str, str] = {}
    pieces: dict[int, int] = {}
    for k, segment in enumerate(segments, start=1):
        quoted = k % 2 == 0
        if quoted:
            if len(segment) != 1 or not isinstance(segment[0], _Field):
                return None
            if segment[0].group:
                fields[segment[0].group] = f"q[{k}]"
            continue
        if not any(isinstance(i, _Field) for i in segment):
            continue
        located = _locate(segment, k)
        if located is None:
            return None
        count, exprs = located
        pieces[k] = count
        fields.update(exprs)
    if set(fields) != set(fmt.groups) - {"_m"}:
        return None
    no_groups = re.sub(r"\(\?P<[A-Za-z_]+>", "(?:", fmt.regex)
    return SplitPlan(len(segments), pieces, fields, no_groups)


def _split_items(items: list[str | _Field], sep: str) -> list[list[str | _Field]]:
    """Split a token sequence wherever a literal contains ``sep``."""
    out: list[list[str | _Field]] = [[]]
    for item in items:
        if isinstance(item, _Field):
            out[-1].append(item)
            continue
        parts = item.split(sep)
        for i, part in enumerate(parts):
            if i:
                out.append([])
            if part:
                out[-1].append(part)
    return out


def _locate(segment: list[str | _Field], k: int) -> tuple[int, dict[str, str]] | None:
    """Piece count of an unquoted segment and each field's SQL, or None.

    A field with one inner space (CLF time) spans two pieces of the line: its
    prefix ('[') is on the first, its suffix (']') on the second.
    """
    exprs: dict[str, str] = {}
    index = 1  # 1-based index into s<k>, in the line's pieces
    for piece in _split_items(segment, " "):
        fields = [i for i in piece if isinstance(i, _Field)]
        if not fields:
            index += 1
            continue
        field = fields[0]
        if len(fields) > 1 or not 0 <= field.spaces <= 1:
            return None
        at = piece.index(field)
        prefix = "".join(i for i in piece[:at] if isinstance(i, str))
        suffix = "".join(i for i in piece[at + 1 :] if isinstance(i, str))
        if field.spaces == 0:
            expr = _trim(f"s{k}[{index}]", prefix, suffix)
        else:
            head = _trim(f"s{k}[{index}]", prefix, "")
            tail = _trim(f"s{k}[{index + 1}]", "", suffix)
            expr = f"({head} || ' ' || {tail})"
        if field.group:
            exprs[field.group] = expr
        index += 1 + field.spaces
    return index - 1, exprs


def _trim(expr: str, prefix: str, suffix: str) -> str:
    if not prefix and not suffix:
        return expr
    start = len(prefix) + 1
    return f"substr({expr}, {start}, length({expr}) - {len(prefix) + len(suffix)})"
