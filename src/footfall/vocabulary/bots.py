"""Bot categories: the kinds of non-human traffic reports show apart, with their labels.

Which user agents and behaviours fall in each category is ``enrich/bots.py``'s business;
the names, labels and definitions here are what every face shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True)
class BotCategory:
    """A kind of non-human traffic, shown as a separate line in bot reports."""

    name: str
    label: str
    doc: str


BOT_CATEGORIES: tuple[BotCategory, ...] = (
    BotCategory("search_engine", "Search engines", "Crawlers that index pages for web search."),
    BotCategory(
        "ai_crawler",
        "AI crawlers",
        "Crawlers collecting training data for AI models, and AI assistants fetching pages "
        "on a user's behalf.",
    ),
    BotCategory("seo_tool", "SEO tools", "Backlink, ranking and site-audit crawlers."),
    BotCategory("monitor", "Monitors", "Uptime, health-check and synthetic monitoring probes."),
    BotCategory(
        "scanner",
        "Scanners",
        "Vulnerability scanners, internet-wide port/HTTP surveys and attack probes.",
    ),
    BotCategory(
        "automation",
        "Automation",
        "HTTP libraries, command-line tools, headless browsers and scripts, including "
        "requests with an empty user agent or one that names no browser engine.",
    ),
    BotCategory(
        "other",
        "Other bots",
        "Link-preview fetchers of social and chat apps, and any other crawler recognised by "
        "the crawlerdetect or device-detector lists or by a contact address in its user agent.",
    ),
)

BOT_CATEGORIES_BY_NAME = MappingProxyType({c.name: c for c in BOT_CATEGORIES})

#: category name -> label, as every face shows it.
BOT_CATEGORY_LABELS = MappingProxyType({c.name: c.label for c in BOT_CATEGORIES})
