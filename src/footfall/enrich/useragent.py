"""User agent → browser, OS, device type and bot category.

Browser and OS names come from ua-parser (the uap-core regex database, run by the Rust
`ua-parser-rs` engine) and are kept exactly as it spells them ("Chrome Mobile", "Mac OS X"),
so they match what other uap-based tools report. ua-parser has no notion of device *type*,
so `DEVICE_RULES` below decide desktop/mobile/tablet from well-known user-agent tokens.
Bots are recognised by `footfall.enrich.bots`.

Known blind spot: iPadOS Safari asks for desktop sites by default and sends a Mac user agent,
so those iPads are counted as desktop; no user-agent rule can tell them apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import ua_parser

from footfall.enrich.bots import classify_bot_user_agent

__all__ = [
    "DEVICE_RULES",
    "DEVICE_TYPES",
    "AgentInfo",
    "DeviceRule",
    "describe_agent",
    "describe_agents",
]

DEVICE_TYPES: tuple[str, ...] = ("desktop", "mobile", "tablet", "bot", "other")

# Longer values are cut before parsing: real user agents stay well below this, and it bounds the
# work an abusive header can cause.
_MAX_UA_LENGTH = 2048


@dataclass(frozen=True, slots=True)
class AgentInfo:
    """What a user agent says about the visitor's software and device."""

    browser: str
    browser_version: str
    os: str
    os_version: str
    device: str
    bot_category: str | None = None
    bot_name: str | None = None
    bot_rule: str | None = None


@dataclass(frozen=True, slots=True)
class DeviceRule:
    """Device type for user agents matching `pattern` (a case-sensitive regex)."""

    device: str
    pattern: str
    doc: str


# First match wins. Non-computer devices go first because TVs and consoles often claim
# Android or Windows; tablets before phones because iPad user agents contain "Mobile/".
DEVICE_RULES: tuple[DeviceRule, ...] = (
    DeviceRule(
        "other",
        r"SmartTV|SMART-TV|Smart-TV|\bTV\b|HbbTV|BRAVIA|AFT[A-Z]|CrKey|Roku|AppleTV|Web0S|"
        r"PlayStation|Xbox|Nintendo|OculusBrowser|Quest \d",
        "Televisions, streaming sticks, game consoles and VR headsets.",
    ),
    DeviceRule(
        "tablet",
        r"iPad|Kindle|\bSilk/|PlayBook|Tablet(?! PC)|Android(?!.*(?:Mobi|Opera Mini))",
        "iPads, Kindle/Fire (Silk), Firefox's 'Tablet' token, and Android without 'Mobile', "
        "which is how Android marks tablets. 'Tablet PC' is an old Windows desktop token.",
    ),
    DeviceRule(
        "mobile",
        r"iPhone|iPod|Mobi|Windows Phone|BlackBerry|BB10|Opera Mini|KaiOS|Symbian",
        "Phones: 'Mobi' covers every 'Mobile' browser token (Android phones, Firefox).",
    ),
)
_DEVICE_REGEXES = tuple((rule.device, re.compile(rule.pattern)) for rule in DEVICE_RULES)

# ua-parser OS families that mean a desktop or laptop computer.
_DESKTOP_OS_FAMILIES = frozenset(
    {
        "Windows", "Mac OS X", "Mac OS", "Chrome OS", "Linux", "Ubuntu", "Kubuntu", "Lubuntu",
        "Linux Mint", "Debian", "Fedora", "Red Hat", "CentOS", "Arch Linux", "Gentoo",
        "Slackware", "openSUSE", "SUSE", "Mageia", "PCLinuxOS", "Mandriva", "FreeBSD",
        "OpenBSD", "NetBSD", "BSD", "Solaris",
    }
)  # fmt: skip


def _device_type(ua: str, os_family: str) -> str:
    for device, regex in _DEVICE_REGEXES:
        if regex.search(ua):
            return device
    return "desktop" if os_family in _DESKTOP_OS_FAMILIES else "other"


def _clean(ua: str) -> str:
    # ua-parser's Rust engine needs valid UTF-8: lone surrogates (possible when raw bytes were
    # decoded with surrogateescape) are replaced rather than allowed to raise.
    ua = ua[:_MAX_UA_LENGTH]
    return ua.encode("utf-8", "replace").decode("utf-8")


@lru_cache(maxsize=100_000)
def describe_agent(ua: str) -> AgentInfo:
    """Describe one user agent. Cached: callers pass each distinct user agent, often repeatedly."""
    ua = _clean(ua or "")
    parsed = ua_parser.parse(ua)
    agent, os = parsed.user_agent, parsed.os
    browser = agent.family if agent else "Other"
    os_family = os.family if os else "Other"
    bot = classify_bot_user_agent(ua)
    return AgentInfo(
        browser=browser,
        browser_version=(agent.major or "") if agent else "",
        os=os_family,
        os_version=(os.major or "") if os else "",
        device="bot" if bot else _device_type(ua, os_family),
        bot_category=bot.category if bot else None,
        bot_name=bot.name if bot else None,
        bot_rule=bot.rule if bot else None,
    )


def describe_agents(uas: Iterable[str]) -> list[AgentInfo]:
    """Describe many user agents, in order (convenience for batch enrichment)."""
    return [describe_agent(ua) for ua in uas]
