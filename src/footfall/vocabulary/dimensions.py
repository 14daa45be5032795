"""Every dimension, as data, with a namespaced name used identically everywhere.

``event:*`` dimensions describe a request, ``visit:*`` a session (its entry
pageview), ``time:*`` a time bucket in the site's time zone.  Which column holds
each one in ``hits`` and in ``sessions`` is the compiler's knowledge
(``reports/compiler/columns.py``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Dimension:
    name: str
    label: str
    doc: str


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("event:page", "Page", "Path of the request, without query string."),
    Dimension("event:kind", "Kind", "page, asset or other (see request_kind.py)."),
    Dimension("event:status", "Status", "HTTP status code."),
    Dimension("event:method", "Method", "HTTP method."),
    Dimension("event:host", "Host", "Virtual host, when the log has it."),
    Dimension(
        "event:bot_category",
        "Bot category",
        "search_engine, ai_crawler, seo_tool, monitor, scanner, automation, other; 'human' for everything else.",
    ),
    Dimension("event:bot_name", "Bot", "Name of the bot, when known."),
    Dimension(
        "event:bot_rule",
        "Bot rule",
        "The rule that classified the request as a bot (ua:NAME, crawlerdetect:..., behaviour:...).",
    ),
    Dimension(
        "event:name", "Event", "Tracker event name ('pageview' for pageviews and for log lines)."
    ),
    Dimension("event:origin", "Origin", "Where a hit came from: the access log or the tracker."),
    Dimension(
        "event:seen_by",
        "Seen by",
        "log, tracker or both: which source saw a hit (a pageview seen by both is counted once, on the tracker's row).",
    ),
    Dimension("event:currency", "Currency", "Currency of the revenue sent with an event."),
    Dimension("visit:entry_page", "Entry page", "First pageview of the visit."),
    Dimension("visit:exit_page", "Exit page", "Last pageview of the visit."),
    Dimension(
        "visit:source",
        "Source",
        "Where the visit came from: UTM source, or the referrer's known name, or its host; 'Direct / None' without either.",
    ),
    Dimension("visit:channel", "Channel", "Channel group of the visit (enrich/channels.py)."),
    Dimension("visit:referrer", "Referrer", "Referrer host of the entry pageview."),
    Dimension("visit:utm_source", "UTM source", "utm_source of the entry pageview."),
    Dimension("visit:utm_medium", "UTM medium", "utm_medium of the entry pageview."),
    Dimension("visit:utm_campaign", "UTM campaign", "utm_campaign of the entry pageview."),
    Dimension("visit:utm_content", "UTM content", "utm_content of the entry pageview."),
    Dimension("visit:utm_term", "UTM term", "utm_term of the entry pageview."),
    Dimension("visit:click_id", "Click id", "Ad click id parameter present (gclid, ...)."),
    Dimension("visit:browser", "Browser", "Browser family (ua-parser)."),
    Dimension("visit:os", "Operating system", "Operating system family (ua-parser)."),
    Dimension("visit:device", "Device", "desktop, mobile, tablet, bot or other."),
    Dimension("visit:country", "Country", "ISO country code of the IP (iptocc), at import."),
    Dimension("time:hour", "Hour", "Hour, in the site's time zone."),
    Dimension("time:day", "Day", "Day, in the site's time zone."),
    Dimension("time:week", "Week", "ISO week (Monday), site time zone."),
    Dimension("time:month", "Month", "Month, in the site's time zone."),
)

DIMENSIONS_BY_NAME = {d.name: d for d in DIMENSIONS}
TIME_UNITS = ("hour", "day", "week", "month")
