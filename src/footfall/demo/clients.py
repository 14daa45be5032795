"""Who sends requests: browser and bot user agents, and where their addresses come from."""

from __future__ import annotations

import random
from collections.abc import Mapping
from types import MappingProxyType

from footfall.demo.sampling import WeightedChoice

# ----------------------------------------------------------------------- user agents

# (user agent, weight) of the browsers human visitors use.
HUMAN_UA_WEIGHTS: tuple[tuple[str, float], ...] = (
    # Chrome / Edge / Firefox on Windows
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/142.0.0.0 Safari/537.36",
        15,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/141.0.0.0 Safari/537.36",
        6,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0",
        6,
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/140.0.0.0 Safari/537.36 Edg/140.0.0.0",
        2,
    ),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:145.0) Gecko/20100101 Firefox/145.0", 4),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0", 1.5),
    # macOS
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/142.0.0.0 Safari/537.36",
        8,
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/26.1 Safari/605.1.15",
        6,
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/18.6 Safari/605.1.15",
        2,
    ),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:145.0) Gecko/20100101 Firefox/145.0", 2),
    # iPhone / iPad
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1",
        11,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1",
        4,
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) CriOS/142.0.7444.77 Mobile/15E148 Safari/604.1",
        2,
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/26.1 Mobile/15E148 Safari/604.1",
        2,
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.7 Mobile/15E148 Safari/604.1",
        0.8,
    ),
    # Android phones and tablets
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/142.0.0.0 Mobile Safari/537.36",
        12,
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/141.0.0.0 Mobile Safari/537.36",
        4,
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/142.0.0.0 Safari/537.36",
        1.2,
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; Lenovo TB-X606F) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/140.0.0.0 Safari/537.36",
        0.6,
    ),
    (
        "Mozilla/5.0 (Linux; Android 15; SAMSUNG SM-S931B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/28.0 Chrome/130.0.0.0 Mobile Safari/537.36",
        3,
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/27.0 Chrome/125.0.0.0 Mobile Safari/537.36",
        1.5,
    ),
    ("Mozilla/5.0 (Android 15; Mobile; rv:145.0) Gecko/145.0 Firefox/145.0", 1),
    # Linux desktop
    ("Mozilla/5.0 (X11; Linux x86_64; rv:145.0) Gecko/20100101 Firefox/145.0", 2),
    ("Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:144.0) Gecko/20100101 Firefox/144.0", 1),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/142.0.0.0 Safari/537.36",
        1.5,
    ),
)
HUMAN_USER_AGENTS: tuple[str, ...] = tuple(ua for ua, _ in HUMAN_UA_WEIGHTS)

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
GOOGLEBOT_SMARTPHONE = (
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/142.0.7444.59 Mobile Safari/537.36 "
    "(compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
)
BINGBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; "
    "+http://www.bing.com/bingbot.htm) Chrome/116.0.1938.76 Safari/537.36"
)
GPTBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
    "+https://openai.com/gptbot)"
)
CLAUDEBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; "
    "+claudebot@anthropic.com)"
)
PERPLEXITYBOT = (
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; "
    "+https://perplexity.ai/perplexitybot)"
)
AHREFSBOT = "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)"
SEMRUSHBOT = "Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)"
UPTIMEROBOT = "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"
SCANNER_UAS: tuple[str, ...] = (
    "Mozilla/5.0 zgrab/0.x",
    "Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/78.0.3904.108 Safari/537.36",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/41.0.2228.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:83.0) Gecko/20100101 Firefox/83.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_6) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/60.0.3112.113 Safari/537.36",
)
CURL_UAS = ("curl/8.5.0", "curl/8.11.1")
PYTHON_REQUESTS_UAS = ("python-requests/2.32.3", "python-requests/2.31.0")
# The stealth scraper pretends to be the most common desktop browser.
STEALTH_UA = HUMAN_USER_AGENTS[0]
BOT_USER_AGENTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "search_engine": (GOOGLEBOT, GOOGLEBOT_SMARTPHONE, BINGBOT),
        "ai_crawler": (GPTBOT, CLAUDEBOT, PERPLEXITYBOT),
        "seo_tool": (AHREFSBOT, SEMRUSHBOT),
        "monitor": (UPTIMEROBOT,),
        "scanner": SCANNER_UAS,
        "automation": CURL_UAS + PYTHON_REQUESTS_UAS,
        # Same string as a human browser: only behaviour (and its IP) gives it away.
        "stealth": (STEALTH_UA,),
    }
)


# ------------------------------------------------------------------------- addresses

# Fixed addresses of two bots (every other client gets one from ClientAddresses).
STEALTH_BOT_IP = "45.134.140.23"
MONITOR_IPS = ("216.144.248.18", "69.162.124.235", "63.143.42.244")  # UptimeRobot probes

# First octets of public IPv4 space commonly seen for eyeball networks (EU/US heavy).
_IPV4_FIRST = (
    (2, 3), (5, 4), (31, 3), (37, 3), (46, 3), (62, 2), (77, 3), (78, 3), (79, 2), (80, 3),
    (81, 3), (82, 3), (83, 2), (84, 3), (85, 2), (86, 3), (87, 2), (88, 3), (89, 2), (90, 3),
    (91, 3), (92, 3), (93, 3), (94, 2), (95, 3), (109, 2), (151, 2), (176, 3), (178, 2),
    (188, 2), (212, 2), (213, 2), (217, 2), (24, 3), (47, 2), (50, 2), (67, 2), (68, 2),
    (71, 2), (73, 3), (75, 2), (76, 2), (98, 2), (99, 2), (108, 2), (174, 2), (184, 2),
    (1, 1), (14, 1), (27, 1), (49, 1), (101, 1), (110, 1), (115, 1), (121, 1), (177, 2),
    (179, 1), (186, 1), (189, 1), (191, 1), (201, 1), (41, 1), (102, 1), (105, 1), (197, 1),
)  # fmt: skip
_IPV6_PREFIXES = (
    ("2a02:", 4), ("2a01:", 3), ("2003:", 2), ("2a00:", 2), ("2600:", 3), ("2601:", 3),
    ("2a0a:", 1), ("2409:", 1), ("2405:", 1), ("2804:", 1),
)  # fmt: skip
_FIRST_OCTET = WeightedChoice(_IPV4_FIRST)
_IPV6_PREFIX = WeightedChoice(_IPV6_PREFIXES)


class ClientAddresses:
    """Random client addresses, drawn from the simulation's one seeded generator."""

    __slots__ = ("getrandbits", "rnd")

    def __init__(self, rng: random.Random) -> None:
        self.rnd = rng.random
        self.getrandbits = rng.getrandbits

    def ipv4(self) -> str:
        gb = self.getrandbits
        first = _FIRST_OCTET(self.rnd)
        return f"{first}.{gb(8)}.{gb(8)}.{1 + gb(8) % 254}"

    def human(self) -> str:
        """A visitor's address: IPv4 mostly, IPv6 for about one in eleven."""
        if self.rnd() < 0.09:
            gb = self.getrandbits
            return (
                f"{_IPV6_PREFIX(self.rnd)}{gb(16):x}:{gb(16):x}:{gb(16):x}:"
                f"{gb(16):x}:{gb(16):x}:{gb(16):x}:{gb(16):x}"
            )
        return self.ipv4()
