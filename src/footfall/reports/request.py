"""One request for one report, whichever face asks: ``ReportRequest``.

The CLI (flags, ``--option KEY=VALUE``) and the API (URL query parameters) both
build it here, and it is validated here, once, against the report's catalogue
record (``reports/catalog.py``): the generic fields every report takes (site,
period, filters, bots, comparison, page, interval) and the report's own options,
each with its type, choices and default.  An option the report does not take is a
``QueryError`` naming it and listing the options the report does take.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from footfall.errors import QueryError
from footfall.vocabulary.dimensions import TIME_UNITS
from footfall.vocabulary.periods import DateRange
from footfall.vocabulary.query import (
    COMPARISONS,
    MAX_LIMIT,
    MAX_OFFSET,
    Filter,
    parse_filter_text,
    resolve_dimension,
)

MAX_FILTERS = 20
#: URL query parameters every report route reads itself; any other one is a report option.
GENERIC_PARAMS = ("site", "period", "from", "to", "filter", "include_bots", "compare", "limit",
                  "offset", "interval", "format", "explain")  # fmt: skip
OPTION_TYPES = ("text", "choice", "dimension")


@dataclass(frozen=True, slots=True)
class Option:
    """An option one report takes: ``--option NAME=VALUE`` or ``?NAME=VALUE``."""

    name: str
    type: str  # text | choice (one of ``choices``) | dimension (a dimension name)
    doc: str
    choices: tuple[str, ...] = ()
    default: str | None = None

    def parse(self, text: str) -> str:
        if self.type == "dimension":
            return resolve_dimension(text)
        if self.choices and text not in self.choices:
            raise QueryError(f"{self.name} must be one of {', '.join(self.choices)}, not {text!r}")
        if not text:
            raise QueryError(f"{self.name}: a value is required")
        return text

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "choices": list(self.choices),
                "default": self.default, "doc": self.doc}  # fmt: skip


class Record(Protocol):
    """What validation needs of a catalogue record."""

    @property
    def name(self) -> str: ...
    @property
    def options(self) -> tuple[Option, ...]: ...


@dataclass(frozen=True, slots=True)
class ReportRequest:
    site: str
    report: str
    period: DateRange
    filters: tuple[Filter, ...] = ()
    include_bots: bool = False
    compare: str | None = None
    limit: int = 20
    offset: int = 0
    interval: str = "day"  # time series: hour, day, week or month
    options: Mapping[str, str | None] = field(default_factory=dict)  # the report's own, filled

    def option(self, name: str) -> str | None:
        return self.options.get(name)


def make_request(
    record: Record,
    site: str,
    period: DateRange,
    filters: Iterable[str] = (),
    include_bots: bool = False,
    compare: str | None = None,
    limit: int = 20,
    offset: int = 0,
    interval: str | None = None,
    options: Mapping[str, str] | None = None,
) -> ReportRequest:
    """The one validation: generic fields, then the report's options (defaults filled)."""
    texts = list(filters)
    if len(texts) > MAX_FILTERS:
        raise QueryError(f"at most {MAX_FILTERS} filters")
    interval = interval or "day"
    if interval not in TIME_UNITS:
        raise QueryError(f"interval must be {', '.join(TIME_UNITS[:-1])} or {TIME_UNITS[-1]}")
    if compare is not None and compare not in COMPARISONS:
        raise QueryError(f"compare must be one of {', '.join(COMPARISONS)}")
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
    if not 0 <= offset <= MAX_OFFSET:
        raise QueryError(f"offset must be between 0 and {MAX_OFFSET:,}")
    return ReportRequest(
        site=site, report=record.name, period=period,
        filters=tuple(parse_filter_text(f) for f in texts), include_bots=include_bots,
        compare=compare, limit=limit, offset=offset, interval=interval,
        options=parse_options(record, options or {}),
    )  # fmt: skip


def parse_options(record: Record, given: Mapping[str, str]) -> dict[str, str | None]:
    accepted = {o.name: o for o in record.options}
    for key in given:
        if key not in accepted:
            takes = (f"its options: {', '.join(accepted)}" if accepted
                     else "it takes no options")  # fmt: skip
            raise QueryError(f"report {record.name!r} has no option {key!r}; {takes}")
    return {name: option.parse(given[name]) if name in given else option.default
            for name, option in accepted.items()}  # fmt: skip


def option_pairs(texts: Iterable[str]) -> dict[str, str]:
    """``--option KEY=VALUE`` texts as a mapping."""
    out: dict[str, str] = {}
    for text in texts:
        key, sep, value = text.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"option {text!r}: write KEY=VALUE")
        out[key.strip()] = value
    return out


PeriodOf = Callable[[str | None, str | None, str | None], DateRange]


def request_from_url(record: Record, site: str, params: Any, period_of: PeriodOf,
                     default_limit: int = 10) -> ReportRequest:  # fmt: skip
    """From URL query parameters (a Starlette ``QueryParams`` or a ``MultiDict``-like with
    ``get``, ``getlist`` and keys): ``period_of(period, from, to)`` resolves the dates."""
    options = {k: params.get(k) for k in params if k not in GENERIC_PARAMS}
    return make_request(
        record, site, period_of(params.get("period"), params.get("from"), params.get("to")),
        filters=params.getlist("filter"),
        include_bots=params.get("include_bots") in ("1", "true"),
        compare=params.get("compare") or None,
        limit=_int(params.get("limit"), default_limit, "limit"),
        offset=_int(params.get("offset"), 0, "offset"),
        interval=params.get("interval") or None,
        options=options,
    )  # fmt: skip


def _int(text: str | None, default: int, what: str) -> int:
    if text is None or text == "":
        return default
    try:
        return int(text)
    except ValueError as err:
        raise QueryError(f"{what} must be a whole number") from err


def request_from_flags(record: Record, site: str, period: DateRange, filters: Iterable[str] = (),
                       include_bots: bool = False, compare: str | None = None, limit: int = 20,
                       offset: int = 0, interval: str | None = None,
                       options: Iterable[str] = (),
                       aliases: Mapping[str, str | None] | None = None) -> ReportRequest:  # fmt: skip
    """From CLI flags: ``options`` are ``KEY=VALUE`` texts; ``aliases`` the old per-option
    flags (``--by``, ``--funnel``, ``--model``, ``--goal``), those given only."""
    given = {k: v for k, v in (aliases or {}).items() if v is not None}
    given.update(option_pairs(options))
    return make_request(record, site, period, filters, include_bots, compare, limit, offset,
                        interval, given)  # fmt: skip
