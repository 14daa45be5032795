"""Bot rules: golden user agents, registry integrity and the scanner path regex."""

from __future__ import annotations

import re

import duckdb
import pytest

from footfall.enrich.bots import (
    BEHAVIOUR_RULES,
    BOT_RULES,
    NO_ASSETS_MIN_PAGES,
    RATE_MAX_PER_MINUTE,
    SCANNER_PATH_REGEX,
    BotMatch,
    classify_bot_user_agent,
)
from footfall.vocabulary.bots import BOT_CATEGORIES

CATEGORY_NAMES = {c.name for c in BOT_CATEGORIES}

CHROME_WIN = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)

# (user agent, expected (category, name) or None for a human)
GOLDEN: list[tuple[str, tuple[str, str] | None]] = [
    # humans, including in-app browsers that carry app names
    (CHROME_WIN, None),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0", None),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        None,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/460.0.0.38.106;FBBV/594372813;"
        "FBDV/iPhone15,3;FBMD/iPhone;FBSN/iOS;FBSV/17.4;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]",
        None,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148 LinkedInApp/9.29.7954",
        None,
    ),
    # search engines
    (
        "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/124.0.6367.201 Mobile Safari/537.36 "
        "(compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        ("search_engine", "Googlebot"),
    ),
    ("Googlebot-Image/1.0", ("search_engine", "Googlebot")),
    (
        "Mozilla/5.0 (compatible; Google-InspectionTool/1.0;)",
        ("search_engine", "Google-InspectionTool"),
    ),
    (
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
        "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36",
        ("search_engine", "Bingbot"),
    ),
    (
        "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
        ("search_engine", "YandexBot"),
    ),
    (
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        ("search_engine", "Baiduspider"),
    ),
    (
        "DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)",
        ("search_engine", "DuckDuckBot"),
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
        ("search_engine", "Applebot"),
    ),
    (
        "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
        ("search_engine", "Yahoo Slurp"),
    ),
    (
        "Mozilla/5.0 (Linux; Android 7.0;) AppleWebKit/537.36 (KHTML, like Gecko) Mobile "
        "Safari/537.36 (compatible; PetalBot;+https://webmaster.petalsearch.com/site/petalbot)",
        ("search_engine", "PetalBot"),
    ),
    ("Mozilla/5.0 (compatible; Yeti/1.1; +https://naver.me/spd)", ("search_engine", "Naver Yeti")),
    # AI crawlers
    (
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
        "+https://openai.com/gptbot)",
        ("ai_crawler", "GPTBot"),
    ),
    (
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; "
        "+https://openai.com/bot",
        ("ai_crawler", "ChatGPT-User"),
    ),
    (
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; "
        "+claudebot@anthropic.com)",
        ("ai_crawler", "ClaudeBot"),
    ),
    (
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; "
        "+https://perplexity.ai/perplexitybot)",
        ("ai_crawler", "PerplexityBot"),
    ),
    ("CCBot/2.0 (https://commoncrawl.org/faq/)", ("ai_crawler", "CCBot")),
    (
        "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile "
        "Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)",
        ("ai_crawler", "Bytespider"),
    ),
    (
        "meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)",
        ("ai_crawler", "meta-externalagent"),
    ),
    # SEO tools
    (
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
        ("seo_tool", "AhrefsBot"),
    ),
    (
        "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)",
        ("seo_tool", "SemrushBot"),
    ),
    ("Mozilla/5.0 (compatible; MJ12bot/v1.4.8; http://mj12bot.com/)", ("seo_tool", "MJ12bot")),
    ("Screaming Frog SEO Spider/19.8", ("seo_tool", "Screaming Frog")),
    # monitors
    (
        "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
        ("monitor", "UptimeRobot"),
    ),
    ("Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)", ("monitor", "Pingdom")),
    ("Uptime-Kuma/1.23.11", ("monitor", "Uptime Kuma")),
    ("ELB-HealthChecker/2.0", ("monitor", "Cloud health check")),
    ("kube-probe/1.29", ("monitor", "kube-probe")),
    # scanners
    ("sqlmap/1.7.2#stable (https://sqlmap.org)", ("scanner", "sqlmap")),
    ("Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:Port Check)", ("scanner", "Nikto")),
    (
        "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
        ("scanner", "Nmap"),
    ),
    ("Mozilla/5.0 zgrab/0.x", ("scanner", "zgrab")),
    (
        "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)",
        ("scanner", "CensysInspect"),
    ),
    ("l9explore/1.2.2", ("scanner", "LeakIX")),
    ("WPScan v3.8.25 (https://wpscan.com/wordpress-security-scanner)", ("scanner", "WPScan")),
    # automation
    ("curl/8.4.0", ("automation", "curl")),
    ("Wget/1.21.4", ("automation", "Wget")),
    ("python-requests/2.31.0", ("automation", "python-requests")),
    ("Python/3.11 aiohttp/3.9.5", ("automation", "aiohttp")),
    ("Go-http-client/1.1", ("automation", "Go-http-client")),
    ("Java/17.0.9", ("automation", "Java")),
    ("okhttp/4.12.0", ("automation", "okhttp")),
    ("axios/1.6.8", ("automation", "axios")),
    ("Scrapy/2.11.1 (+https://scrapy.org)", ("automation", "Scrapy")),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/124.0.6367.60 Safari/537.36",
        ("automation", "HeadlessChrome"),
    ),
    # link previews: TelegramBot mentions TwitterBot, LinkedInBot mentions Apache-HttpClient
    (
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        ("other", "Facebook preview"),
    ),
    ("Twitterbot/1.0", ("other", "Twitter preview")),
    ("TelegramBot (like TwitterBot)", ("other", "Telegram preview")),
    (
        "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
        ("other", "LinkedIn preview"),
    ),
    ("Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)", ("other", "Slack preview")),
    (
        "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
        ("other", "Discord preview"),
    ),
    ("WhatsApp/2.23.20.0 A", ("other", "WhatsApp preview")),
    # crawlerdetect fallback
    ("Feedly/1.0 (+http://www.feedly.com/fetcher.html; 5 subscribers; )", ("other", "Feedly")),
]


@pytest.mark.parametrize(("ua", "expected"), GOLDEN)
def test_golden_user_agents(ua: str, expected: tuple[str, str] | None) -> None:
    match = classify_bot_user_agent(ua)
    got = (match.category, match.name) if match else None
    assert got == expected


def test_own_rule_reports_its_name() -> None:
    assert classify_bot_user_agent("Mozilla/5.0 (compatible; GPTBot/1.2)") == BotMatch(
        "ai_crawler", "GPTBot", "ua:GPTBot"
    )


def test_crawlerdetect_fallback_reports_matched_text() -> None:
    match = classify_bot_user_agent("Feedly/1.0 (+http://www.feedly.com/fetcher.html)")
    assert match == BotMatch("other", "Feedly", "crawlerdetect:Feedly")


@pytest.mark.parametrize("ua", ["", "-", "   "])
def test_empty_user_agent_is_automation(ua: str) -> None:
    assert classify_bot_user_agent(ua) == BotMatch("automation", "Empty user agent", "ua:empty")


@pytest.mark.parametrize(
    ("ua", "name"),
    [
        # AI-training token that contains a search engine's crawler name
        ("Mozilla/5.0 (compatible; Applebot-Extended/0.1)", "Applebot-Extended"),
        # monitors run headless browsers; the monitor name must win
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "HeadlessChrome/120.0.0.0 Safari/537.36 Checkly/1.0 (https://www.checklyhq.com)",
            "Checkly",
        ),
        # a scanner built on an HTTP library
        (
            "Nuclei - Open-source project (github.com/projectdiscovery/nuclei) Go-http-client/1.1",
            "Nuclei",
        ),
    ],
)
def test_specific_rules_win_over_generic_ones(ua: str, name: str) -> None:
    match = classify_bot_user_agent(ua)
    assert match is not None
    assert match.name == name


def test_rules_compile_and_use_known_categories() -> None:
    for rule in BOT_RULES:
        re.compile(rule.pattern, re.IGNORECASE)
        # rules run lowercased on the lowercased agent: an uppercase escape (\B, \D, \W)
        # would change meaning
        assert not re.search(r"\\[A-Z]", rule.pattern), rule
        assert rule.category in CATEGORY_NAMES, rule
    for behaviour in BEHAVIOUR_RULES:
        assert behaviour.category in CATEGORY_NAMES, behaviour


def test_registries_are_documented_and_unique() -> None:
    assert [c.name for c in BOT_CATEGORIES] == [
        "search_engine", "ai_crawler", "seo_tool", "monitor", "scanner", "automation", "other",
    ]  # fmt: skip
    for record in (*BOT_CATEGORIES, *BOT_RULES, *BEHAVIOUR_RULES):
        assert record.doc.strip(), record
    names = [r.name for r in BOT_RULES]
    assert len(names) == len(set(names))
    assert {r.category for r in BOT_RULES} == CATEGORY_NAMES


HUMAN_BROWSERS = [
    CHROME_WIN,
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/122.0.0.0 YaBrowser/24.4.0.0 Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A.240405.002; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 Instagram "
    "328.0.0.42.90 Android (34/14; 420dpi; 1080x2400; Google/google; Pixel 8; shiba; en_US)",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/48.0.2564.82 Safari/537.36 Edge/14.14393",
]


@pytest.mark.parametrize("ua", HUMAN_BROWSERS)
def test_no_rule_matches_ordinary_browsers(ua: str) -> None:
    assert [r.name for r in BOT_RULES if re.search(r.pattern, ua, re.IGNORECASE)] == []
    assert classify_bot_user_agent(ua) is None


def test_behaviour_rules() -> None:
    assert [b.name for b in BEHAVIOUR_RULES] == [
        "behaviour:robots.txt", "behaviour:scanner-path", "behaviour:no-assets", "behaviour:rate",
    ]  # fmt: skip
    assert NO_ASSETS_MIN_PAGES == 20
    assert RATE_MAX_PER_MINUTE == 120


ATTACK_PATHS = [
    "/.env",
    "/.env.production",
    "/api/.env",
    "/.git/config",
    "/.git/HEAD",
    "/.aws/credentials",
    "/.DS_Store",
    "/wp-config.php.bak",
    "/wp-config.php~",
    "/backup.sql",
    "/phpmyadmin/index.php",
    "/phpMyAdmin/",
    "/pma/",
    "/adminer.php",
    "/cgi-bin/luci/;stok=/locale",
    "/boaform/admin/formLogin",
    "/HNAP1/",
    "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
    "/actuator/health",
    "/actuator",
    "/server-status",
    "/solr/admin/info/system",
    "/xmlrpc.php",
    "/_ignition/execute-solution",
    "/index.php?s=/Index/\\think\\app/invokefunction",
    "/shell?cd+/tmp",
    "/info.php7",
    "/static/../../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/latest/meta-data/iam/",
    "/wp-includes/wlwmanifest.xml",
    "/containers/json",
    "/phpinfo.php",
]

ORDINARY_PATHS = [
    "/",
    "/blog/post",
    "/blog/how-to-use-.env-files",
    "/pricing",
    "/static/app.js",
    "/wp-content/uploads/2024/05/x.png",
    "/wp-login.php",
    "/robots.txt",
    "/sitemap.xml",
    "/.well-known/security.txt",
    "/.well-known/acme-challenge/abc",
    "/environment",
    "/docs/shell-scripting",
    "/actuators-explained",
    "/pmax/",
    "/config.json",
    "/search?q=php",
    "/images/.gitkeep-guide",
]


def _duckdb_matches(path: str) -> bool:
    return duckdb.execute("select regexp_matches(?, ?)", [path, SCANNER_PATH_REGEX]).fetchone()[0]


@pytest.mark.parametrize("path", ATTACK_PATHS)
def test_scanner_paths_match(path: str) -> None:
    assert re.search(SCANNER_PATH_REGEX, path)
    assert _duckdb_matches(path)


@pytest.mark.parametrize("path", ORDINARY_PATHS)
def test_ordinary_paths_do_not_match(path: str) -> None:
    assert not re.search(SCANNER_PATH_REGEX, path)
    assert not _duckdb_matches(path)


def test_scanner_regex_is_re2_compatible() -> None:
    # RE2 has no lookarounds or backreferences; DuckDB rejects such patterns outright.
    assert not re.search(r"\(\?[=!<]|\\[1-9]", SCANNER_PATH_REGEX)
    duckdb.execute("select regexp_matches('x', ?)", [SCANNER_PATH_REGEX]).fetchall()
