"""Site health: what the site serves and how well (logs, browser timings, uptime checks),
and what slow, failing or down pages cost in visits, conversions and money.

Each module holds one family of catalogue records (``reports/records.py``):
``logs.py`` (speed, web vitals, errors, broken links, crawler and attack load,
outages seen in the logs), ``uptime.py`` (uptime checks and incidents) and
``cost.py`` (conversions and revenue by speed and errors, and at risk).
"""
