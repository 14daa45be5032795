"""Synthetic but realistic web-server access logs for demos, tests and benchmarks.

The generator writes an nginx/Apache *combined* log (optionally with nginx's
``$request_time`` appended) for a small product website over a period of days:

* humans: returning and new visitors with real-looking browser user agents,
  sessions of several pageviews separated by think time, static assets fetched
  with the page as referrer (200 or 304, nothing at all when cached), entry
  sources (direct, search, social, referral, email, three UTM campaigns), a
  signup funnel, a contact form, dead links, a slow search page;
* bots of every kind: search engines, AI crawlers, SEO tools, an uptime monitor,
  vulnerability scanners, command-line automation and one "stealth" scraper
  that uses a browser user agent but never loads assets;
* daily and weekly seasonality, a slow upward trend, short 5xx incidents.

Everything is driven by one seeded :class:`random.Random`, so a given
:class:`DemoSpec` always produces byte-identical output.  Generation is
streaming: one day of events is held in memory at a time (sorted cheaply by
second), so memory stays flat whatever the number of days.  Pure standard
library, no I/O besides the output file.

This module is the public entry point; the work is done in:

* :mod:`~footfall.demo.spec` -- what to generate and what was written;
* :mod:`~footfall.demo.site`, :mod:`~footfall.demo.audience`,
  :mod:`~footfall.demo.clients` -- the website, how humans find it, who sends
  requests (user agents, addresses);
* :mod:`~footfall.demo.simulation` -- the day loop, driving
  :mod:`~footfall.demo.humans` (with :mod:`~footfall.demo.page_requests`) and
  :mod:`~footfall.demo.bots`, which write into a :mod:`~footfall.demo.day_log`;
* :mod:`~footfall.demo.writers` -- the log file, its summary, bench logs (the same
  events as combined, IIS W3C or nginx JSON lines).
"""

from __future__ import annotations

from footfall.demo.audience import CAMPAIGN_NAMES
from footfall.demo.clients import BOT_USER_AGENTS, HUMAN_USER_AGENTS, STEALTH_BOT_IP
from footfall.demo.site import SCANNER_PROBES
from footfall.demo.spec import BOT_CATEGORIES, DEFAULT_SPEC, DemoSpec, DemoSummary
from footfall.demo.writers import (
    BENCH_FORMATS,
    bench_header_lines,
    iter_demo_lines,
    write_bench_log,
    write_demo_log,
)

__all__ = [
    "BENCH_FORMATS",
    "BOT_CATEGORIES",
    "BOT_USER_AGENTS",
    "CAMPAIGN_NAMES",
    "DEFAULT_SPEC",
    "HUMAN_USER_AGENTS",
    "SCANNER_PROBES",
    "STEALTH_BOT_IP",
    "DemoSpec",
    "DemoSummary",
    "bench_header_lines",
    "iter_demo_lines",
    "write_bench_log",
    "write_demo_log",
]
