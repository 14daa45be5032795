"""A plan file (TOML) -> ``Plan``, with every mistake named by file and line.

``tomllib`` gives values but no positions, so ``_Lines`` reads the text once for
where each ``[[goals]]``-style entry starts and on which line each of its keys is
written; an error about a key points there, one about an entry at its header.
The full format, with an example, is in docs/plan.md.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from footfall.errors import FootfallError, PlanError
from footfall.plan.model import (
    DIRECTIONS,
    FUNNEL_MODES,
    IDENTITIES,
    MATCH_FIELDS,
    PACINGS,
    Campaign,
    ChannelRule,
    Funnel,
    FunnelStep,
    Goal,
    Kpi,
    Plan,
)
from footfall.vocabulary.metrics import METRICS_BY_NAME, needs_goal
from footfall.vocabulary.query import parse_filter_text

SECTIONS = ("goals", "funnels", "kpis", "campaigns", "channel_rules")
TOP_KEYS = (
    "site",
    "currency",
    "identity",
    "lookback_days",
    "half_life_days",
    "conversion_goal",
    *SECTIONS,
)
CURRENCY = re.compile(r"[A-Z]{3}")
DURATION = re.compile(r"(\d+)\s*(m|min|h|d)")
_HEADER = re.compile(r"^\s*\[\[\s*([A-Za-z_]+)\s*\]\]")
_KEY = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=")


class _Lines:
    """Where things are written: top-level keys, each section entry and its keys."""

    def __init__(self, text: str) -> None:
        self.top: dict[str, int] = {}
        self.entries: dict[str, list[tuple[int, dict[str, int]]]] = {}
        current: dict[str, int] | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            header = _HEADER.match(line)
            if header:
                current = {}
                self.entries.setdefault(header.group(1), []).append((number, current))
                continue
            if line.lstrip().startswith("["):
                current = None  # some other table
                continue
            key = _KEY.match(line)
            if key:
                target = self.top if current is None else current
                target.setdefault(key.group(1), number)

    def entry(self, section: str, index: int) -> int | None:
        found = self.entries.get(section, [])
        return found[index][0] if index < len(found) else None

    def key(self, section: str, index: int, key: str) -> int | None:
        found = self.entries.get(section, [])
        if index < len(found):
            return found[index][1].get(key, found[index][0])
        return None


class _Reader:
    """Typed access to one entry's keys; errors carry the key's line."""

    def __init__(self, path: str, lines: _Lines, section: str, index: int, data: Any) -> None:
        self.path, self.lines, self.section, self.index = path, lines, section, index
        self.line = lines.entry(section, index) or 0
        if not isinstance(data, dict):
            raise PlanError(path, self.line, f"each [[{section}]] entry must be a table")
        self.data: dict[str, Any] = data

    def fail(self, key: str | None, message: str) -> PlanError:
        line = self.lines.key(self.section, self.index, key) if key else self.line
        return PlanError(self.path, line, f"[[{self.section}]] {message}")

    def allow(self, *keys: str) -> None:
        for key in self.data:
            if key not in keys:
                raise self.fail(key, f"unknown key {key!r}; known: {', '.join(keys)}")

    def text(self, key: str, required: bool = False, limit: int = 300) -> str | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.fail(None, f'needs {key} = "..."')
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"{key} must be a non-empty string")
        if len(value) > limit:
            raise self.fail(key, f"{key} is longer than {limit} characters")
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.text(key) or default
        if value not in choices:
            raise self.fail(key, f"{key} must be one of {', '.join(choices)}, not {value!r}")
        return value

    def money(self, key: str) -> Decimal | None:
        value = self.data.get(key)
        if value is None:
            return None
        return decimal_of(value, lambda m: self.fail(key, f"{key}: {m}"))

    def day(self, key: str) -> date:
        value = self.data.get(key)
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(key if key in self.data else None, f"needs {key} = YYYY-MM-DD")

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(key, f"{key} must be a list of strings")
        return tuple(value)

    def match(self) -> tuple[tuple[str, str], ...]:
        pairs = tuple((k, self.data[k]) for k in MATCH_FIELDS if k in self.data)
        for key, pattern in pairs:
            if not isinstance(pattern, str) or not pattern:
                raise self.fail(key, f"{key} must be a non-empty pattern")
        return pairs


def decimal_of(value: Any, fail: Any) -> Decimal:
    """A money amount from TOML: a string ("19.90") or an integer; floats are refused."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise fail('write amounts as strings ("19.90") or whole numbers, never floats')
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as err:
        raise fail(f"{value!r} is not an amount") from err
    if not amount.is_finite() or abs(amount) >= Decimal(10) ** 14:
        raise fail(f"{value!r} is out of range")
    return amount


def load_plan(path: Path) -> Plan:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise PlanError(str(path), None, f"cannot read the plan: {err.strerror}") from err
    return parse_plan(text, str(path))


def parse_plan(text: str, path: str = "plan.toml") -> Plan:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = re.search(r"line (\d+)", str(err))
        line = int(found.group(1)) if found else None
        raise PlanError(path, line, f"not valid TOML: {err}") from err
    lines = _Lines(text)

    def top_fail(key: str, message: str) -> PlanError:
        return PlanError(path, lines.top.get(key), message)

    for key in data:
        if key not in TOP_KEYS:
            raise top_fail(key, f"unknown key {key!r}; known: {', '.join(TOP_KEYS)}")
    site = data.get("site")
    if not isinstance(site, str) or not site:
        raise top_fail("site", 'the plan needs site = "NAME" (the site it measures)')
    currency = data.get("currency", "EUR")
    if not isinstance(currency, str) or not CURRENCY.fullmatch(currency):
        raise top_fail("currency", "currency must be a 3-letter ISO 4217 code such as EUR")
    identity = data.get("identity", "strict")
    if identity not in IDENTITIES:
        raise top_fail("identity", f"identity must be one of {', '.join(IDENTITIES)}")
    lookback = data.get("lookback_days", 30)
    if isinstance(lookback, bool) or not isinstance(lookback, int) or not 1 <= lookback <= 365:
        raise top_fail("lookback_days", "lookback_days must be a whole number from 1 to 365")
    half_life = decimal_of(data.get("half_life_days", 7),
                           lambda m: top_fail("half_life_days", f"half_life_days: {m}"))  # fmt: skip
    if half_life <= 0:
        raise top_fail("half_life_days", "half_life_days must be more than 0")

    def entries(section: str) -> list[_Reader]:
        raw = data.get(section, [])
        if not isinstance(raw, list):
            raise top_fail(section, f"write each of {section} as a [[{section}]] table")
        return [_Reader(path, lines, section, i, item) for i, item in enumerate(raw)]

    goals = _unique([_goal(r) for r in entries("goals")], "goals", path)
    names = {g.name for g in goals}
    funnels = _unique([_funnel(r, names) for r in entries("funnels")], "funnels", path)
    kpis = _unique([_kpi(r, {g.name: g for g in goals}) for r in entries("kpis")], "kpis", path)
    campaigns = _unique([_campaign(r) for r in entries("campaigns")], "campaigns", path)
    rules = tuple(_channel_rule(r) for r in entries("channel_rules"))
    conversion_goal = data.get("conversion_goal")
    if conversion_goal is not None:
        goal = next((g for g in goals if g.name == conversion_goal), None)
        if goal is None or goal.kind == "conversion":
            raise top_fail("conversion_goal", "conversion_goal names a page, event or orders "
                           "goal of this plan")  # fmt: skip
    return Plan(path, site, currency, identity, lookback, half_life, conversion_goal, goals,
                funnels, kpis, campaigns, rules, text)  # fmt: skip


def _unique(items: list[Any], section: str, path: str) -> tuple[Any, ...]:
    seen: set[str] = set()
    for item in items:
        if item.name in seen:
            raise PlanError(path, item.line, f"[[{section}]] {item.name!r} is defined twice")
        seen.add(item.name)
    return tuple(items)


def _goal(r: _Reader) -> Goal:
    r.allow("name", "page", "event", "props", "orders", "conversion", "value", "why")
    name = r.text("name", required=True)
    assert name is not None
    kinds = [k for k in ("page", "event", "orders", "conversion") if k in r.data]
    if len(kinds) != 1:
        raise r.fail(None, f"goal {name!r} needs exactly one of page, event, orders, conversion")
    page = r.text("page")
    if page is not None and not page.startswith("/"):
        raise r.fail("page", f"goal {name!r}: page patterns start with / (got {page!r})")
    props = r.data.get("props", {})
    if not isinstance(props, dict) or not all(isinstance(v, str | int) for v in props.values()):
        raise r.fail("props", f'goal {name!r}: props = {{ key = "value" }}')
    if props and "event" not in r.data:
        raise r.fail("props", f"goal {name!r}: props conditions apply to event goals only")
    if "orders" in r.data and r.data["orders"] is not True:
        raise r.fail("orders", f"goal {name!r}: write orders = true")
    raw_value = r.data.get("value")
    dynamic = raw_value == "revenue"
    if dynamic and page is not None:
        raise r.fail("value", f"goal {name!r}: a page has no revenue; give a fixed value")
    value = None if dynamic else r.money("value")
    return Goal(name, r.line, page, r.text("event"),
                tuple(sorted((str(k), str(v)) for k, v in props.items())),
                "orders" in r.data, r.text("conversion"), value,
                dynamic or ("orders" in r.data and raw_value is None), r.text("why", limit=2000) or "")  # fmt: skip


def _funnel(r: _Reader, goals: set[str]) -> Funnel:
    r.allow("name", "steps", "window", "mode", "why")
    name = r.text("name", required=True)
    assert name is not None
    labels = r.strings("steps")
    if len(labels) < 2:
        raise r.fail("steps", f"funnel {name!r} needs at least two steps")
    steps = []
    for label in labels:
        if label.startswith("/"):
            steps.append(FunnelStep(label, None, label))
        elif label in goals:
            steps.append(FunnelStep(label, label, None))
        else:
            raise r.fail("steps", f"funnel {name!r}: step {label!r} is neither a goal of this "
                         "plan nor a page pattern (which starts with /)")  # fmt: skip
    window = r.text("window") or "1d"
    found = DURATION.fullmatch(window.strip())
    if not found:
        raise r.fail("window", f"funnel {name!r}: window is a duration such as 30m, 2h or 1d")
    minutes = int(found.group(1)) * {"m": 1, "min": 1, "h": 60, "d": 1440}[found.group(2)]
    if not 1 <= minutes <= 1440:
        raise r.fail("window", f"funnel {name!r}: window is at most 1d (visitor ids are daily)")
    mode = r.choice("mode", FUNNEL_MODES, "closed")
    return Funnel(name, r.line, tuple(steps), minutes, mode, r.text("why", limit=2000) or "")


def _kpi(r: _Reader, goals: dict[str, Goal]) -> Kpi:
    r.allow("name", "metric", "goal", "filters", "target", "start", "deadline", "direction",
            "pacing", "owner", "why")  # fmt: skip
    name = r.text("name", required=True)
    metric = r.text("metric", required=True)
    assert name is not None and metric is not None
    if metric not in METRICS_BY_NAME:
        raise r.fail("metric", f"KPI {name!r}: unknown metric {metric!r}; valid: "
                     f"{', '.join(METRICS_BY_NAME)}")  # fmt: skip
    goal = r.text("goal")
    if needs_goal(metric) and goal is None:
        raise r.fail("metric", f'KPI {name!r}: metric {metric} counts a goal: add goal = "..."')
    if goal is not None:
        if goal not in goals:
            raise r.fail("goal", f"KPI {name!r}: no goal named {goal!r} in this plan")
        if not goals[goal].on_hits:
            raise r.fail("goal", f"KPI {name!r}: goal {goal!r} counts imported data; KPIs "
                         "measure page and event goals")  # fmt: skip
    filters = r.strings("filters")
    for text in filters:
        try:
            parse_filter_text(text)
        except FootfallError as err:  # say where it is written
            raise r.fail("filters", f"KPI {name!r}: {err}") from err
    target = r.money("target")
    if target is None:
        raise r.fail(None, f"KPI {name!r} needs target = NUMBER")
    start, deadline = r.day("start"), r.day("deadline")
    if deadline < start:
        raise r.fail("deadline", f"KPI {name!r}: the deadline {deadline} is before the start")
    return Kpi(name, r.line, metric, target, start, deadline, goal, filters,
               r.choice("direction", DIRECTIONS, "at_least"), r.choice("pacing", PACINGS, "linear"),
               r.text("owner") or "", r.text("why", limit=2000) or "")  # fmt: skip


def _campaign(r: _Reader) -> Campaign:
    r.allow("name", *MATCH_FIELDS, "budget", "channel", "owner", "why")
    name = r.text("name", required=True)
    assert name is not None
    match = r.match()
    if not match:
        raise r.fail(None, f"campaign {name!r} needs a rule: one of {', '.join(MATCH_FIELDS)}")
    return Campaign(name, r.line, match, r.money("budget"), r.text("channel"),
                    r.text("owner") or "", r.text("why", limit=2000) or "")  # fmt: skip


def _channel_rule(r: _Reader) -> ChannelRule:
    r.allow("channel", *MATCH_FIELDS)
    channel = r.text("channel", required=True)
    assert channel is not None
    match = r.match()
    if not match:
        raise r.fail(None, f"channel rule {channel!r} needs one of {', '.join(MATCH_FIELDS)}")
    return ChannelRule(channel, r.line, match)
