"""Every dimension, as data, with a namespaced name used identically everywhere.

``event:*`` dimensions describe a request, ``visit:*`` a session (its entry
pageview), ``time:*`` a time bucket in the site's time zone.  Each record says
which column holds it in ``hits`` (events) and in ``sessions``; None means
the compiler has to join through ``session_id``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Dimension:
    name: str
    label: str
    events: str | None  # SQL over hits
    sessions: str | None  # SQL over sessions
    doc: str


def _visit(name: str, label: str, column: str, doc: str, on_hits: bool = False) -> Dimension:
    return Dimension(f"visit:{name}", label, column if on_hits else None, column, doc)


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("event:page", "Page", "path", None, "Path of the request, without query string."),
    Dimension("event:kind", "Kind", "kind", None, "page, asset or other (see request_kind.py)."),
    Dimension("event:status", "Status", "status", None, "HTTP status code."),
    Dimension("event:method", "Method", "method", None, "HTTP method."),
    Dimension("event:host", "Host", "host", "host", "Virtual host, when the log has it."),
    Dimension("event:bot_category", "Bot category", "coalesce(bot_category, 'human')",
              "coalesce(bot_category, 'human')",
              "search_engine, ai_crawler, seo_tool, monitor, scanner, automation, other; "
              "'human' for everything else."),
    Dimension("event:bot_name", "Bot", "bot_name", "bot_name", "Name of the bot, when known."),
    Dimension("event:bot_rule", "Bot rule", "bot_rule", "bot_rule",
              "The rule that classified the request as a bot (ua:NAME, crawlerdetect:..., "
              "behaviour:...)."),
    Dimension("event:name", "Event", "coalesce(event_name, 'pageview')", None,
              "Tracker event name ('pageview' for pageviews and for log lines)."),
    Dimension("event:origin", "Origin", "coalesce(origin, 'log')", None,
              "Where a hit came from: the access log or the tracker."),
    Dimension("event:seen_by", "Seen by", "coalesce(seen_by, 'log')", None,
              "log, tracker or both: which source saw a hit (a pageview seen by both is "
              "counted once, on the tracker's row)."),
    Dimension("event:currency", "Currency", "revenue_currency", None,
              "Currency of the revenue sent with an event."),
    _visit("entry_page", "Entry page", "entry_page", "First pageview of the visit."),
    _visit("exit_page", "Exit page", "exit_page", "Last pageview of the visit."),
    _visit("source", "Source", "source", "Where the visit came from: UTM source, or the "
           "referrer's known name, or its host; 'Direct / None' without either."),
    _visit("channel", "Channel", "channel", "Channel group of the visit (enrich/channels.py)."),
    _visit("referrer", "Referrer", "referrer_host", "Referrer host of the entry pageview."),
    _visit("utm_source", "UTM source", "utm_source", "utm_source of the entry pageview."),
    _visit("utm_medium", "UTM medium", "utm_medium", "utm_medium of the entry pageview."),
    _visit("utm_campaign", "UTM campaign", "utm_campaign", "utm_campaign of the entry pageview."),
    _visit("utm_content", "UTM content", "utm_content", "utm_content of the entry pageview."),
    _visit("utm_term", "UTM term", "utm_term", "utm_term of the entry pageview."),
    _visit("click_id", "Click id", "click_id", "Ad click id parameter present (gclid, ...)."),
    _visit("browser", "Browser", "browser", "Browser family (ua-parser).", on_hits=True),
    _visit("os", "Operating system", "os", "Operating system family (ua-parser).", on_hits=True),
    _visit("device", "Device", "device", "desktop, mobile, tablet, bot or other.", on_hits=True),
    _visit("country", "Country", "country", "ISO country code of the IP (iptocc), at import.",
           on_hits=True),
    Dimension("time:hour", "Hour", "ts", "start_ts", "Hour, in the site's time zone."),
    Dimension("time:day", "Day", "ts", "start_ts", "Day, in the site's time zone."),
    Dimension("time:week", "Week", "ts", "start_ts", "ISO week (Monday), site time zone."),
    Dimension("time:month", "Month", "ts", "start_ts", "Month, in the site's time zone."),
)  # fmt: skip

DIMENSIONS_BY_NAME = {d.name: d for d in DIMENSIONS}
TIME_UNITS = ("hour", "day", "week", "month")


def local_time_sql(column: str, timezone: str) -> str:
    """A stored UTC timestamp as wall-clock time in the site's zone (bound as $tz)."""
    if timezone == "UTC":
        return column
    return f"timezone($tz, timezone('UTC', {column}))"


def time_bucket_sql(unit: str, column: str, timezone: str) -> str:
    """The bucket as a timestamp: grouping on it is cheap; ``time_label_sql`` names it."""
    assert unit in TIME_UNITS
    return f"date_trunc('{unit}', {local_time_sql(column, timezone)})"


def time_label_sql(unit: str, bucket: str) -> str:
    """A bucket's label, formatted once per group rather than once per row."""
    fmt = {"hour": "%Y-%m-%d %H:00", "month": "%Y-%m"}.get(unit, "%Y-%m-%d")
    return f"strftime({bucket}, '{fmt}')"
