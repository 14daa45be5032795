"""Behaviour-based bot detection and sessions, computed per (site, UTC day).

Both need every hit of a visitor, so they run when an import finishes, over
whole days of staged rows (``group_rows``: a day already stored is moved back
to staging first, so it is recomputed whole).
``day_assets`` (does the day have any asset request?) is computed by the caller
over the whole day, stored and staged rows alike, since a flush may recompute
only the visitors it has new rows for.

Visitor ids change every UTC day (daily salt), so a day is a closed world:
no session crosses midnight UTC (as in Plausible), and recomputing a day
never touches another.

Sessions: a visitor's pageviews with gaps of at most ``timeout`` minutes.
Entry and exit page are the first and last pageview, duration the time
between them (0 for one pageview: a log cannot see time on the last page),
a bounce is a session of exactly one pageview.  Its source, channel and
campaign are those of its entry pageview; an entry from an internal referrer
(the session timed out while the visitor kept browsing) counts as Direct.
"""

from __future__ import annotations

from footfall.enrich.bots import NO_ASSETS_MIN_PAGES, RATE_MAX_PER_MINUTE, SCANNER_PATH_REGEX

BEHAVIOUR_PARAMS = {
    "scanner_regex": SCANNER_PATH_REGEX,
    "rate_max": RATE_MAX_PER_MINUTE,
    "min_pages": NO_ASSETS_MIN_PAGES,
}

#: Visitors (people so far) whose behaviour gives them away, with the rule that did.
BEHAVIOUR_SQL = """
CREATE OR REPLACE TEMP TABLE behaviour AS
WITH per_visitor AS (
    SELECT day, visitor_id,
        bool_or(path = '/robots.txt') AS robots,
        bool_or(regexp_matches(path, $scanner_regex)) AS scanner,
        count(*) FILTER (WHERE kind = 'page') AS pages,
        count(*) FILTER (WHERE kind = 'asset') AS assets
    FROM group_rows WHERE bot_category IS NULL
    GROUP BY day, visitor_id
), rate AS (
    SELECT day, visitor_id, max(n) AS peak FROM (
        SELECT day, visitor_id, count(*) AS n FROM group_rows
        WHERE bot_category IS NULL AND kind <> 'asset'
        GROUP BY day, visitor_id, date_trunc('minute', ts)
    ) GROUP BY day, visitor_id
), flagged AS (
    SELECT day, visitor_id,
        CASE WHEN scanner THEN 'behaviour:scanner-path'
             WHEN robots THEN 'behaviour:robots.txt'
             WHEN peak > $rate_max THEN 'behaviour:rate'
             WHEN has_assets AND pages >= $min_pages AND assets = 0 THEN 'behaviour:no-assets'
        END AS bot_rule
    FROM per_visitor JOIN rate USING (day, visitor_id) JOIN day_assets USING (day)
)
SELECT day, visitor_id, bot_rule,
    CASE bot_rule WHEN 'behaviour:scanner-path' THEN 'scanner'
                  WHEN 'behaviour:robots.txt' THEN 'other'
                  ELSE 'automation' END AS bot_category
FROM flagged WHERE bot_rule IS NOT NULL
"""

#: The bot columns of a staged row once behaviour is known.
MARKED_BOT_COLUMNS = """
    coalesce(r.bot_category, b.bot_category) AS bot_category,
    CASE WHEN r.bot_category IS NULL AND b.bot_category IS NOT NULL THEN 'Unnamed bot'
         ELSE r.bot_name END AS bot_name,
    coalesce(r.bot_rule, b.bot_rule) AS bot_rule"""

#: A site fed by both its access log and the tracker sees most pageviews twice.
#: The tracker's pageview is the human signal; a log pageview of the same visitor
#: and path within 30 seconds of it is the same view: it stays stored (status,
#: bytes, latency) but stops counting as a pageview.  Both rows are marked
#: seen_by = 'both'; unmatched rows keep their origin ('log' or 'tracker').
RECONCILE_SQL = """
CREATE OR REPLACE TEMP TABLE seen_twice AS
SELECT l.file_id AS log_file, l.line_no AS log_line, t.file_id AS t_file, t.line_no AS t_line
FROM (SELECT * FROM group_rows WHERE coalesce(origin, 'log') = 'log' AND is_pageview) l
JOIN (SELECT * FROM group_rows WHERE origin = 'tracker' AND is_pageview) t
  ON l.day = t.day AND l.visitor_id = t.visitor_id AND l.path = t.path
 AND t.ts BETWEEN l.ts - INTERVAL 30 SECOND AND l.ts + INTERVAL 30 SECOND;
CREATE OR REPLACE TEMP VIEW reconciled AS
SELECT r.* REPLACE (r.is_pageview AND l.log_file IS NULL AS is_pageview),
    CASE WHEN l.log_file IS NOT NULL OR t.t_file IS NOT NULL THEN 'both'
         ELSE coalesce(r.origin, 'log') END AS seen_by
FROM group_rows r
LEFT JOIN (SELECT DISTINCT log_file, log_line FROM seen_twice) l
  ON l.log_file = r.file_id AND l.log_line = r.line_no
LEFT JOIN (SELECT DISTINCT t_file, t_line FROM seen_twice) t
  ON t.t_file = r.file_id AND t.t_line = r.line_no
"""

#: The session id of each pageview, keyed by (file_id, line_no), which identifies a row.
#: Only the keys go through the window's sort: carrying every column of a hit through
#: it cost ten times as much.  Behaviour bots keep their sessions, so no join is needed.
#: A tracker event that is not a pageview (a signup, a purchase) joins the session of the
#: visitor's last pageview before it, if that pageview is at most ``timeout`` minutes
#: earlier: goals, funnels and attribution then see events with their visit's source.
SESSION_KEYS_SQL = """
CREATE OR REPLACE TEMP TABLE session_keys AS
WITH gaps AS (
    SELECT file_id, line_no, day, visitor_id, ts,
        CASE WHEN lag(ts) OVER w IS NULL
              OR ts - lag(ts) OVER w > to_minutes($timeout::BIGINT) THEN 1 ELSE 0 END AS new_session
    FROM reconciled WHERE is_pageview
    WINDOW w AS (PARTITION BY day, visitor_id ORDER BY ts, line_no)
), numbered AS (
    SELECT *, sum(new_session) OVER (PARTITION BY day, visitor_id ORDER BY ts, line_no
                                     ROWS UNBOUNDED PRECEDING) AS session_no
    FROM gaps
), views AS (
    SELECT file_id AS p_file, line_no AS p_line, day, visitor_id, ts,
        hash(day, visitor_id, session_no) AS session_id
    FROM numbered
), events AS (
    SELECT file_id, line_no, day, visitor_id, ts FROM reconciled
    WHERE NOT is_pageview AND origin = 'tracker' AND event_name <> 'pageview'
)
SELECT p_file, p_line, session_id FROM views
UNION ALL
SELECT e.file_id, e.line_no, v.session_id
FROM events e ASOF JOIN views v
  ON e.day = v.day AND e.visitor_id = v.visitor_id AND e.ts >= v.ts
WHERE e.ts - v.ts <= to_minutes($timeout::BIGINT)
"""

#: Staged rows -> hits, with behaviour marks and session ids.
INSERT_HITS_SQL = f"""
INSERT INTO hits BY NAME
SELECT r.* REPLACE ({MARKED_BOT_COLUMNS}), p.session_id
FROM reconciled r
LEFT JOIN behaviour b USING (day, visitor_id)
LEFT JOIN session_keys p ON p.p_file = r.file_id AND p.p_line = r.line_no
"""

#: A group's pageviews as just stored: its pageview hits with a session id.  The caller
#: fills in the group's condition; sessions are read back from ``hits`` rather than
#: kept in a wide table of their own.
PAGEVIEWS_VIEW_SQL = """
CREATE OR REPLACE TEMP VIEW pageviews AS
SELECT * FROM hits WHERE {where} AND session_id IS NOT NULL AND is_pageview
  AND (day, visitor_id) IN (SELECT (day, visitor_id) FROM group_rows)
"""

SESSIONS_SQL = """
INSERT INTO sessions BY NAME
WITH keyed AS (
    SELECT *,
        epoch_us(ts)::HUGEINT * 10000000000 + coalesce(line_no, 0) AS k,
        channel = 'Internal' AS internal
    FROM pageviews
)
SELECT site, day, session_id,
    any_value(visitor_id) AS visitor_id,
    min(ts) AS start_ts, max(ts) AS end_ts,
    epoch(max(ts) - min(ts)) AS duration_s,
    count(*) AS pageviews,
    count(*) = 1 AS is_bounce,
    arg_min(path, k) AS entry_page,
    arg_max(path, k) AS exit_page,
    arg_min(host, k) AS host,
    arg_min(CASE WHEN internal THEN NULL ELSE referrer END, k) AS referrer,
    arg_min(CASE WHEN internal THEN NULL ELSE referrer_host END, k) AS referrer_host,
    arg_min(CASE WHEN internal THEN 'Direct / None' ELSE source END, k) AS source,
    arg_min(CASE WHEN internal THEN 'Direct' ELSE channel END, k) AS channel,
    arg_min(utm_source, k) AS utm_source,
    arg_min(utm_medium, k) AS utm_medium,
    arg_min(utm_campaign, k) AS utm_campaign,
    arg_min(utm_content, k) AS utm_content,
    arg_min(utm_term, k) AS utm_term,
    arg_min(click_id, k) AS click_id,
    any_value(browser) AS browser, any_value(browser_version) AS browser_version,
    any_value(os) AS os, any_value(os_version) AS os_version,
    any_value(device) AS device, any_value(country) AS country,
    any_value(bot_category) AS bot_category, any_value(bot_name) AS bot_name,
    any_value(bot_rule) AS bot_rule
FROM keyed
GROUP BY site, day, session_id
"""
