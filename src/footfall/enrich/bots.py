"""Bot categories and user-agent rules.

Why a category and not just a yes/no flag: "AI crawler ate 30% of my bandwidth" and "an uptime
checker hits / every minute" are different questions, so bots are kept out of human traffic
but can still be reported per category.

Sources, tried in this order, the first that decides wins and names itself in ``bot_rule``:

1. our own rules (``BOT_RULES``, ``ua:NAME``): the product tokens come from each operator's
   published crawler documentation (e.g. Google's and Bing's crawler pages, OpenAI's and
   Anthropic's bot pages) and from the user agents those tools send by default;
2. the community-maintained crawlerdetect list (https://github.com/JayBizzle/Crawler-Detect,
   Python port `crawlerdetect`), category `other` (``crawlerdetect:MATCHED TEXT``);
3. Matomo's device-detector bot list (Python port `device-detector`, kept current with
   Matomo's), its own category mapped to ours (``device-detector:NAME``); the slowest list,
   so asked only when the others did not decide;
4. the structural rules (``STRUCTURE_RULES``, ``structure:NAME``): an agent that names no
   browser engine and no device platform, or one that carries a URL or e-mail address.

Measured on a labelled corpus of public lists (tests/fixtures/bots, bench/bot_recall.py):
see docs/metrics.md, "Bots".

The categories themselves (names, labels, definitions) are vocabulary
(``footfall/vocabulary/bots.py``, which every face reads): every rule here names one of
them by its name, and tests/enrich/test_bots.py checks that it does.

Behaviour signals (robots.txt, scanner paths, no assets, request rate) are computed in SQL by the
pipeline; their thresholds and the scanner path regex live here so that all bot knowledge is in
one documented place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from crawlerdetect import CrawlerDetect
from device_detector.parser.device.bot import Bot as DeviceDetectorBot

__all__ = [
    "BEHAVIOUR_RULES", "BOT_RULES", "NOT_LOGGED", "NO_ASSETS_MIN_PAGES",
    "RATE_MAX_PER_MINUTE", "SCANNER_PATH_REGEX", "STRUCTURE_RULES", "BehaviourRule", "BotMatch", "BotRule",
    "classify_bot_user_agent",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class BotRule:
    """One well-known bot: `pattern` is a case-insensitive regex searched in the user agent."""

    name: str
    category: str
    pattern: str
    doc: str


@dataclass(frozen=True, slots=True)
class BotMatch:
    """Result of bot classification; `rule` says what matched, for auditability."""

    category: str
    name: str
    rule: str


@dataclass(frozen=True, slots=True)
class BehaviourRule:
    """A bot signal derived from what a client requests rather than what it claims to be."""

    name: str
    category: str
    doc: str


# Order matters: the first matching rule wins. AI crawlers come first because some of their
# tokens contain a search engine's name (Applebot-Extended); monitors, scanners and link-preview
# fetchers come before automation because they often also carry a library or HeadlessChrome
# token (LinkedInBot says Apache-HttpClient); the generic HTTP-library rules come last.
_AI, _SE, _SEO, _MON, _SCAN, _OTHER, _AUTO = (
    "ai_crawler", "search_engine", "seo_tool", "monitor", "scanner", "other", "automation",
)  # fmt: skip

BOT_RULES: tuple[BotRule, ...] = (
    # --- AI crawlers and assistants
    BotRule("GPTBot", _AI, r"\bGPTBot\b", "OpenAI's training-data crawler."),
    BotRule("ChatGPT-User", _AI, r"ChatGPT-User", "ChatGPT fetching a page a user asked about."),
    BotRule("OAI-SearchBot", _AI, r"OAI-SearchBot", "OpenAI's crawler for ChatGPT search."),
    BotRule("ClaudeBot", _AI, r"ClaudeBot", "Anthropic's training-data crawler."),
    BotRule("Claude-User", _AI, r"Claude-User", "Claude fetching a page for a user."),
    BotRule("Claude-SearchBot", _AI, r"Claude-SearchBot", "Anthropic's search crawler."),
    BotRule("Claude-Web", _AI, r"Claude-Web", "Older Anthropic web fetcher token."),
    BotRule("anthropic-ai", _AI, r"anthropic-ai", "Older Anthropic crawler token."),
    BotRule("PerplexityBot", _AI, r"PerplexityBot", "Perplexity's answer-engine crawler."),
    BotRule("Perplexity-User", _AI, r"Perplexity-User", "Perplexity fetching a page for a user."),
    BotRule("CCBot", _AI, r"\bCCBot\b", "Common Crawl; its archive is a staple of AI training."),
    BotRule(
        "Google-Extended",
        _AI,
        r"Google-Extended",
        "Google's AI-training opt-out token; normally only seen in robots.txt, matched in case "
        "it appears in a user agent.",
    ),
    BotRule("Applebot-Extended", _AI, r"Applebot-Extended", "Apple's AI-training token."),
    BotRule("Bytespider", _AI, r"Bytespider", "ByteDance crawler, used for its AI models."),
    BotRule("Amazonbot", _AI, r"Amazonbot", "Amazon's crawler (Alexa answers, AI models)."),
    BotRule("meta-externalagent", _AI, r"meta-external(?:agent|fetcher)", "Meta's AI crawler."),
    BotRule("FacebookBot", _AI, r"\bFacebookBot\b", "Meta's crawler for language models."),
    BotRule("cohere-ai", _AI, r"cohere-(?:ai|training-data-crawler)", "Cohere's AI crawler."),
    BotRule("Diffbot", _AI, r"Diffbot", "Diffbot knowledge-graph extraction crawler."),
    BotRule("YouBot", _AI, r"\bYouBot\b", "You.com AI search crawler."),
    BotRule("MistralAI-User", _AI, r"MistralAI-User", "Mistral's Le Chat fetching a page."),
    BotRule("DuckAssistBot", _AI, r"DuckAssistBot", "DuckDuckGo's AI answer fetcher."),
    # --- search engines
    BotRule("Google-InspectionTool", _SE, r"Google-InspectionTool", "Search Console live tests."),
    BotRule("Googlebot", _SE, r"Googlebot|Storebot-Google", "Google search and shopping crawlers."),
    BotRule("Bingbot", _SE, r"\bbingbot\b|\bmsnbot\b|BingPreview", "Microsoft Bing crawlers."),
    BotRule("YandexBot", _SE, r"Yandex\w*Bot|YandexImages", "Yandex search crawlers."),
    BotRule("Baiduspider", _SE, r"Baiduspider", "Baidu search crawler."),
    BotRule("DuckDuckBot", _SE, r"DuckDuck(?:Bot|Go-Favicons-Bot)", "DuckDuckGo crawlers."),
    BotRule("Applebot", _SE, r"Applebot", "Apple's crawler for Siri and Spotlight suggestions."),
    BotRule("Sogou", _SE, r"Sogou[\w ]{0,12}spider", "Sogou search crawlers."),
    BotRule("SeznamBot", _SE, r"SeznamBot", "Seznam.cz search crawler."),
    BotRule("Qwant", _SE, r"Qwantify|Qwantbot", "Qwant search crawler."),
    BotRule("Yahoo Slurp", _SE, r"Yahoo! Slurp", "Yahoo search crawler."),
    BotRule("PetalBot", _SE, r"PetalBot|AspiegelBot", "Huawei Petal Search crawler."),
    BotRule("Naver Yeti", _SE, r"\bYeti/\d", "Naver search crawler."),
    BotRule("MojeekBot", _SE, r"MojeekBot", "Mojeek independent search crawler."),
    BotRule("coccocbot", _SE, r"coccocbot", "Cốc Cốc search crawler (Vietnam)."),
    # --- SEO tools
    BotRule("AhrefsBot", _SEO, r"AhrefsBot|AhrefsSiteAudit", "Ahrefs backlink and audit crawlers."),
    BotRule("SemrushBot", _SEO, r"SemrushBot|SiteAuditBot", "Semrush crawlers."),
    BotRule("MJ12bot", _SEO, r"MJ12bot", "Majestic backlink crawler."),
    BotRule("DotBot", _SEO, r"\bDotBot\b", "Moz link index crawler."),
    BotRule("rogerbot", _SEO, r"rogerbot", "Moz site-audit crawler."),
    BotRule("Screaming Frog", _SEO, r"Screaming Frog", "Screaming Frog SEO Spider desktop app."),
    BotRule("SEOkicks", _SEO, r"SEOkicks", "SEOkicks backlink crawler."),
    BotRule("BLEXBot", _SEO, r"BLEXBot", "WebMeUp backlink crawler."),
    BotRule("serpstatbot", _SEO, r"serpstatbot", "Serpstat backlink crawler."),
    BotRule("DataForSeoBot", _SEO, r"DataForSeoBot", "DataForSEO crawler."),
    BotRule("Barkrowler", _SEO, r"Barkrowler", "Babbar.tech link-graph crawler."),
    BotRule("Sitebulb", _SEO, r"Sitebulb", "Sitebulb site-audit crawler."),
    # --- monitors
    BotRule("UptimeRobot", _MON, r"UptimeRobot", "UptimeRobot checks."),
    BotRule("Pingdom", _MON, r"Pingdom", "SolarWinds Pingdom checks."),
    BotRule("StatusCake", _MON, r"StatusCake", "StatusCake checks."),
    BotRule("Site24x7", _MON, r"Site24x7", "Zoho Site24x7 checks."),
    BotRule("Better Uptime", _MON, r"Better ?Uptime|BetterStack", "Better Stack uptime checks."),
    BotRule("Datadog Synthetics", _MON, r"Datadog/?Synthetics", "Datadog synthetic tests."),
    BotRule("New Relic", _MON, r"NewRelicPinger|NewRelicSynthetics", "New Relic synthetics."),
    BotRule("Uptime Kuma", _MON, r"Uptime-Kuma", "Self-hosted Uptime Kuma checks."),
    BotRule("Google Cloud Monitoring", _MON, r"GoogleStackdriverMonitoring", "Google uptime."),
    BotRule("Checkly", _MON, r"Checkly", "Checkly API and browser checks."),
    BotRule(
        "Cloud health check",
        _MON,
        r"ELB-HealthChecker|GoogleHC/|Route53-Health-Check",
        "AWS and Google Cloud load-balancer and DNS health checks.",
    ),
    BotRule("kube-probe", _MON, r"kube-probe", "Kubernetes liveness/readiness probes."),
    BotRule("Nagios", _MON, r"check_http|monitoring-plugins", "Nagios/Icinga check_http."),
    BotRule("Zabbix", _MON, r"Zabbix", "Zabbix web monitoring."),
    BotRule("Blackbox exporter", _MON, r"Blackbox Exporter", "Prometheus blackbox probes."),
    # --- scanners
    BotRule("sqlmap", _SCAN, r"sqlmap", "SQL-injection tool."),
    BotRule("Nikto", _SCAN, r"Nikto", "Web server vulnerability scanner."),
    BotRule("Nmap", _SCAN, r"Nmap Scripting Engine", "Nmap NSE HTTP scripts."),
    BotRule("masscan", _SCAN, r"masscan", "Internet-wide port scanner."),
    BotRule("zgrab", _SCAN, r"zgrab", "Banner grabber used by internet surveys."),
    BotRule("Nuclei", _SCAN, r"Nuclei|projectdiscovery", "ProjectDiscovery scanners."),
    BotRule("WPScan", _SCAN, r"WPScan", "WordPress vulnerability scanner."),
    BotRule("Acunetix", _SCAN, r"Acunetix", "Commercial web vulnerability scanner."),
    BotRule("Netsparker", _SCAN, r"Netsparker|Invicti", "Invicti (Netsparker) scanner."),
    BotRule(
        "Directory brute-forcer",
        _SCAN,
        r"DirBuster|gobuster|Fuzz Faster U Fool",
        "DirBuster, gobuster and ffuf guessing paths.",
    ),
    BotRule("Expanse", _SCAN, r"Expanse", "Palo Alto Networks attack-surface scans."),
    BotRule("CensysInspect", _SCAN, r"CensysInspect", "Censys internet survey."),
    BotRule("LeakIX", _SCAN, r"l9explore|l9tcpid|l9scan", "LeakIX exposure scanner."),
    BotRule("Nessus", _SCAN, r"Nessus", "Tenable vulnerability scanner."),
    BotRule("OpenVAS", _SCAN, r"OpenVAS", "Greenbone vulnerability scanner."),
    BotRule("Old exploit kits", _SCAN, r"ZmEu|Morfeus|Jorgee", "Classic PHP exploit probes."),
    # --- link previews of social and chat apps (Telegram first: its UA says "like TwitterBot")
    BotRule("Telegram preview", _OTHER, r"TelegramBot", "Telegram link previews."),
    BotRule("Facebook preview", _OTHER, r"facebookexternalhit|Facebot", "Facebook link cards."),
    BotRule("Twitter preview", _OTHER, r"Twitterbot", "X/Twitter link cards."),
    BotRule("LinkedIn preview", _OTHER, r"LinkedInBot", "LinkedIn link cards."),
    BotRule("Slack preview", _OTHER, r"Slackbot|Slack-ImgProxy", "Slack link unfurling."),
    BotRule("Discord preview", _OTHER, r"Discordbot", "Discord link embeds."),
    BotRule("WhatsApp preview", _OTHER, r"WhatsApp/", "WhatsApp link previews."),
    BotRule("Pinterest", _OTHER, r"Pinterestbot", "Pinterest pin fetcher."),
    BotRule("Mastodon preview", _OTHER, r"\bMastodon/\d", "Mastodon server link cards."),
    BotRule("Bluesky preview", _OTHER, r"Bluesky Cardyb", "Bluesky link cards."),
    BotRule("Google ads checks", _OTHER, r"AdsBot-Google|Mediapartners-Google", "Ads bots."),
    BotRule("GoogleOther", _OTHER, r"GoogleOther", "Google research and one-off crawls."),
    # --- automation: libraries, tools, headless browsers (most generic last)
    BotRule("HeadlessChrome", _AUTO, r"HeadlessChrome", "Chrome in headless mode."),
    BotRule(
        "Browser automation",
        _AUTO,
        r"PhantomJS|Puppeteer|Playwright|Selenium",
        "Automation frameworks that announce themselves in a custom user agent.",
    ),
    BotRule("curl", _AUTO, r"\bcurl/|\blibcurl\b|PycURL", "curl command line and libcurl."),
    BotRule("Wget", _AUTO, r"\bWget/", "GNU Wget."),
    BotRule("python-requests", _AUTO, r"python-requests", "Python requests library."),
    BotRule("python-urllib", _AUTO, r"Python-urllib", "Python standard library."),
    BotRule("aiohttp", _AUTO, r"aiohttp", "Python aiohttp client."),
    BotRule("httpx", _AUTO, r"python-httpx", "Python httpx client."),
    BotRule("Scrapy", _AUTO, r"Scrapy", "Python scraping framework."),
    BotRule("Go-http-client", _AUTO, r"Go-http-client", "Go net/http default."),
    BotRule("Java", _AUTO, r"\bJava/\d|Apache-HttpClient", "Java HTTP clients."),
    BotRule("okhttp", _AUTO, r"okhttp", "OkHttp (Android/JVM apps and scripts)."),
    BotRule("axios", _AUTO, r"\baxios/", "Node.js axios."),
    BotRule("node-fetch", _AUTO, r"node-fetch|\bundici\b", "Node.js fetch implementations."),
    BotRule("libwww-perl", _AUTO, r"libwww-perl|lwp-request", "Perl LWP."),
    BotRule("Guzzle", _AUTO, r"Guzzle", "PHP Guzzle client."),
    BotRule("API client", _AUTO, r"PostmanRuntime|insomnia/|HTTPie", "API testing tools."),
    BotRule("Dart", _AUTO, r"\(dart:io\)", "Dart/Flutter default client."),
    BotRule("reqwest", _AUTO, r"\breqwest/", "Rust reqwest client."),
)

# Searched one by one in order rather than as one combined alternation: an alternation prefers
# the leftmost position in the string over rule order, and with IGNORECASE Python's engine ran
# it slower than this loop when measured. Patterns are lowercased and searched in the
# lowercased agent instead of compiled with IGNORECASE, which ran them at half the speed
# (no pattern uses an uppercase escape such as \B or \D, which lowercasing would change;
# tests/enrich/test_bots.py checks it).
_RULE_REGEXES: tuple[tuple[BotRule, re.Pattern[str]], ...] = tuple(
    (rule, re.compile(rule.pattern.lower())) for rule in BOT_RULES
)

# device-detector's own bot categories -> ours; any other (Crawler, Service Agent, Feed
# Fetcher, Social Media Agent...) is `other`.
_DD_CATEGORIES: dict[str, str] = {
    "Search bot": _SE, "Search tools": _SE,
    "AI Data Scraper": _AI, "AI Assistant": _AI, "AI Search Crawler": _AI, "AI Agent": _AI,
    "Site Monitor": _MON, "Network Monitor": _MON,
    "Security Checker": _SCAN, "Security search bot": _SCAN,
    "Benchmark": _AUTO, "Validator": _AUTO,
}  # fmt: skip

_EMPTY_MATCH = BotMatch("automation", "Empty user agent", "ua:empty")

NOT_LOGGED = "(user agent not logged)"
"""Stands for the user agent of a line whose format does not log one (Common Log Format).
Unknown is not empty: such a hit is a person unless a behaviour rule says bot."""


# A browser, or a person's app built on a browser engine or a device's network stack, names its
# engine or its platform. An agent that names neither is a library, a command-line tool, a
# feed reader, a webhook, a link previewer, an AI agent or an uptime check. "Mozilla/" alone
# does not count: bots prefix it to look like a browser ("Mozilla/5.0 (compatible; X)").
# Platform tokens keep feature phones (MIDP, MAUI/MRE, DoCoMo, WAP), TVs, consoles, Office and
# iOS/Android apps (CFNetwork, Dalvik, okhttp's "Android") on the human side.
_BROWSER_ENGINE_OR_PLATFORM = re.compile(
    r"AppleWebKit|Gecko|Trident|Presto|KHTML|MSIE|Goanna|NetFront|Opera|OPR/|Chrome|Safari|"
    r"Firefox|Konqueror|Links|Lynx|w3m|Dillo|NetSurf|Mosaic|amaya|iCab|Obigo|UCWEB|Dolfin|"
    r"Openwave|UP\.Browser|Teleca|Polaris|BlackBerry|Nokia|MIDP|CLDC|Profile/|J2ME|Symbian|"
    r"Series ?[46]0|Windows|Win(?:32|64|\d\d?\b)|PalmOS|webOS|Maemo|Tizen|KaiOS|HbbTV|"
    r"SmartTV|\bTV\b|ViziOS|Roku|PlayStation|Xbox|Nintendo|Dalvik|CFNetwork|Darwin|iPhone|"
    r"iPad|iPod|\biOS\b|tvOS|watchOS|Android|Mac ?OS|macOS|Macintosh|X11|Linux|Ubuntu|"
    r"AmigaOS|BeOS|RISC ?OS|OpenHarmony|HarmonyOS|MAUI|MRE/|WAP|DoCoMo|Browser|FBAN|FBAV|"
    r"Build/|AppleTV|CrKey|Kepler|NativeClientPlatform|\bwired\b",
    re.IGNORECASE,
)
# Browsers never carry a URL or an e-mail address; crawlers put their documentation page or
# their operator's address there ("+https://example.com/bot", "(bot@example.com)"). The one
# browser family that did, IE embedded by Delphi apps, says so ("Embedded Web Browser from:").
_CONTACT = re.compile(
    r"https?://|\bwww\.[a-z0-9-]+\.[a-z]{2,}|[\w.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b",
    re.IGNORECASE,
)
_EMBEDDED_IE = "Embedded Web Browser from:"

STRUCTURE_RULES: tuple[BotRule, ...] = (
    BotRule(
        "no-browser-engine",
        _AUTO,
        _BROWSER_ENGINE_OR_PLATFORM.pattern,
        "Names no browser engine and no device platform (pattern: what it must NOT contain): "
        "HTTP libraries, command-line tools, feed readers, webhooks, uptime checks, AI agents.",
    ),
    BotRule(
        "contact-in-agent",
        _OTHER,
        _CONTACT.pattern,
        "Carries a URL or an e-mail address, as crawlers do to say who runs them; browsers "
        "never do (except IE embedded in Delphi apps, which is left out).",
    ),
)
"""Structural rules, tried when no list recognised the agent: they judge its shape, not a
name. ``bot_rule`` is ``structure:NAME``."""


@lru_cache(maxsize=65_536)
def classify_bot_user_agent(ua: str) -> BotMatch | None:
    """Return the bot category of a user agent, or None if it looks human.

    In order, first decision wins, each flag naming the rule that matched (``bot_rule``):
    own rules (``ua:NAME``), the crawlerdetect list (``crawlerdetect:MATCHED``), Matomo's
    device-detector bot list (``device-detector:NAME``, its category mapped to ours), then the
    structural rules (``structure:NAME``).
    An empty or "-" user agent (nginx's placeholder) counts as automation: browsers always send one.
    ``NOT_LOGGED`` (the format has no user-agent field) is no evidence either way: None.
    """
    if ua == NOT_LOGGED:
        return None
    ua = (ua or "").strip()
    if ua in ("", "-"):
        return _EMPTY_MATCH
    lowered = ua.lower()
    for rule, regex in _RULE_REGEXES:
        if regex.search(lowered):
            return BotMatch(rule.category, rule.name, f"ua:{rule.name}")
    # A fresh detector per call: CrawlerDetect keeps the last match as instance state, so a
    # shared instance would not be thread-safe. Its compiled regexes are cached module-wide.
    detector = CrawlerDetect()
    if detector.is_crawler(ua):
        matched = detector.get_matches() or "crawler"
        return BotMatch("other", matched, f"crawlerdetect:{matched}")
    # device-detector last of the lists: it costs ~150 µs an agent, so only for the undecided.
    found = DeviceDetectorBot(ua, None).parse()
    if found and found.ua_data:
        name = str(found.ua_data.get("name") or "bot")
        category = _DD_CATEGORIES.get(str(found.ua_data.get("category") or ""), "other")
        return BotMatch(category, name, f"device-detector:{name}")
    if _BROWSER_ENGINE_OR_PLATFORM.search(ua) is None:
        return BotMatch(_AUTO, "No browser engine", "structure:no-browser-engine")
    if _EMBEDDED_IE not in ua and _CONTACT.search(ua):
        return BotMatch(_OTHER, "Contact in user agent", "structure:contact-in-agent")
    return None


# --- behaviour signals (evaluated in SQL by the pipeline) -----------------------------------

NO_ASSETS_MIN_PAGES = 20
"""Page requests per client and UTC day above which "never loads CSS/JS/images" means a bot."""

RATE_MAX_PER_MINUTE = 120
"""Requests per client within one minute above which no human is clicking."""

# One RE2-compatible regex (no lookarounds, no backreferences) because it runs inside DuckDB's
# regexp_matches over request paths. Case-insensitive; matches anywhere in the path or query.
# Only paths no real visitor of a normal site requests are listed; /wp-login.php and
# /wp-admin/ are left out on purpose because they are legitimate on WordPress sites.
_SCANNER_PATH_PARTS: tuple[str, ...] = (
    # secrets and version-control metadata: /.env, /.env.local, /.git/config, /.aws/credentials
    r"/\.env\b|/\.git(?:/|config\b|$)|/\.(?:svn|hg|aws|ssh|docker)/|/\.(?:htpasswd|ds_store)\b",
    # backup copies and database dumps: /wp-config.php.bak, /backup.sql
    r"/wp-config\.php[.~_-]|/(?:backup|dump|db|database|site)\.(?:sql|zip|tar\.gz)\b",
    # database admin tools: /phpmyadmin/, /pma/, /adminer.php
    r"/(?:phpmyadmin|pma|myadmin|mysqladmin|adminer)(?:[/.?]|$)",
    # router and IoT exploits, CGI: /cgi-bin/, /boaform/admin/formLogin, /HNAP1
    r"/cgi-bin/|/boaform/|/hnap1\b|/gponform/|/goform/",
    # framework and server exploit endpoints (PHPUnit RCE, Spring Boot actuator, Apache status,
    # Solr, WordPress XML-RPC brute force, Laravel Ignition, ThinkPHP, JBoss, Docker API).
    # xmlrpc.php also serves pingbacks and Jetpack, but those callers are machines as well.
    r"/vendor/phpunit/|/actuator(?:[/?]|$)|/server-(?:status|info)\b|/solr/admin",
    r"/xmlrpc\.php|/_ignition/execute-solution|invokefunction|/(?:jmx-console|invoker)/",
    r"/containers/json|/phpinfo\.php|/wp-includes/wlwmanifest\.xml|/shell(?:\?|$)|\.php[3-7]\b",
    # path traversal, system files and cloud metadata (SSRF probes)
    r"\.\./|%2e%2e(?:/|%2f)|/etc/passwd|/proc/self/|win\.ini|/latest/meta-data",
)
SCANNER_PATH_REGEX: str = "(?i)(?:" + "|".join(_SCANNER_PATH_PARTS) + ")"
"""RE2-compatible regex for request paths that only attack probes request."""

BEHAVIOUR_RULES: tuple[BehaviourRule, ...] = (
    BehaviourRule(
        "behaviour:robots.txt",
        "other",
        "The client fetched /robots.txt; only crawlers read it.",
    ),
    BehaviourRule(
        "behaviour:scanner-path",
        "scanner",
        "The client requested a path matching SCANNER_PATH_REGEX (secrets, admin tools, "
        "exploit endpoints, path traversal).",
    ),
    BehaviourRule(
        "behaviour:no-assets",
        "automation",
        f"At least {NO_ASSETS_MIN_PAGES} page requests in one UTC day and not a single asset "
        "request (CSS, JS, images, fonts): browsers load assets, scripts do not.",
    ),
    BehaviourRule(
        "behaviour:rate",
        "automation",
        f"More than {RATE_MAX_PER_MINUTE} requests within a single minute.",
    ),
)
