"""User agent description: golden browsers/devices and robustness on arbitrary input."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from footfall.enrich.useragent import (
    DEVICE_RULES,
    DEVICE_TYPES,
    AgentInfo,
    describe_agent,
    describe_agents,
)

# (user agent, browser, browser major, OS, OS major, device)
GOLDEN: list[tuple[str, str, str, str, str, str]] = [
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "Chrome", "124", "Windows", "10", "desktop",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Firefox", "125", "Windows", "10", "desktop",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80",
        "Edge", "124", "Windows", "10", "desktop",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4.1 Safari/605.1.15",
        "Safari", "17", "Mac OS X", "10", "desktop",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "Chrome", "124", "Mac OS X", "10", "desktop",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Firefox", "125", "Mac OS X", "14", "desktop",
    ),
    (
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0",
        "Opera", "110", "Mac OS X", "10", "desktop",
    ),
    (
        "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Firefox", "125", "Ubuntu", "", "desktop",
    ),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "Chrome", "124", "Linux", "", "desktop",
    ),
    (
        "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "Chrome", "124", "Chrome OS", "14541", "desktop",
    ),
    (
        "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0; Touch; Tablet PC 2.0)",
        "IE", "10", "Windows", "8", "desktop",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mobile Safari", "17", "iOS", "17", "mobile",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
        "Chrome Mobile iOS", "124", "iOS", "17", "mobile",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) FxiOS/125.0 Mobile/15E148 Safari/605.1.15",
        "Firefox iOS", "125", "iOS", "17", "mobile",
    ),
    (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/460.0.0.38.106;FBBV/594372813;"
        "FBDV/iPhone15,3;FBMD/iPhone;FBSN/iOS;FBSV/17.4;FBSS/3;FBID/phone;FBLC/en_US;FBOP/5]",
        "Facebook", "460", "iOS", "17", "mobile",
    ),
    (
        "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Mobile/15E148 Safari/604.1",
        "Mobile Safari", "17", "iOS", "17", "tablet",
    ),
    (
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Mobile Safari/537.36",
        "Chrome Mobile", "124", "Android", "10", "mobile",
    ),
    (
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
        "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
        "Samsung Internet", "24", "Android", "14", "mobile",
    ),
    (
        "Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0",
        "Firefox Mobile", "125", "Android", "14", "mobile",
    ),
    (
        "Opera/9.80 (Android; Opera Mini/36.2.2254/119.132; U; id) Presto/2.12.423 Version/12.16",
        "Opera Mini", "36", "Android", "", "mobile",
    ),
    (
        "Mozilla/5.0 (Mobile; Windows Phone 8.1; Android 4.0; ARM; Trident/7.0; Touch; rv:11.0; "
        "IEMobile/11.0; NOKIA; Lumia 635) like iPhone OS 7_0_3 Mac OS X AppleWebKit/537 "
        "(KHTML, like Gecko) Mobile Safari/537",
        "IE Mobile", "11", "Windows Phone", "8", "mobile",
    ),
    (
        "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "Chrome", "124", "Android", "13", "tablet",
    ),
    (
        "Mozilla/5.0 (Android 14; Tablet; rv:125.0) Gecko/125.0 Firefox/125.0",
        "Firefox Mobile", "125", "Android", "14", "tablet",
    ),
    (
        "Mozilla/5.0 (Linux; Android 9; KFTRWI) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Silk/124.2.1 like Chrome/124.0.6367.179 Safari/537.36",
        "Amazon Silk", "124", "Android", "9", "tablet",
    ),
    (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/48.0.2564.82 Safari/537.36 Edge/14.14393",
        "Edge", "14", "Windows", "10", "other",
    ),
    (
        "Mozilla/5.0 (Linux; Android 9; SHIELD Android TV Build/PPR1.180610.011) "
        "AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.230 Safari/537.36",
        "Chrome", "120", "Android", "9", "other",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("ua", "browser", "browser_v", "os", "os_v", "device"), GOLDEN)
def test_golden_browsers(
    ua: str, browser: str, browser_v: str, os: str, os_v: str, device: str
) -> None:
    info = describe_agent(ua)
    assert (info.browser, info.browser_version, info.os, info.os_version, info.device) == (
        browser,
        browser_v,
        os,
        os_v,
        device,
    )
    assert (info.bot_category, info.bot_name, info.bot_rule) == (None, None, None)


# (user agent, bot category, bot name): bots always get device "bot"
BOTS: list[tuple[str, str, str]] = [
    (
        "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/124.0.6367.201 Mobile Safari/537.36 "
        "(compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "search_engine", "Googlebot",
    ),
    (
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
        "+https://openai.com/gptbot)",
        "ai_crawler", "GPTBot",
    ),
    ("curl/8.4.0", "automation", "curl"),
    (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "HeadlessChrome/124.0.6367.60 Safari/537.36",
        "automation", "HeadlessChrome",
    ),
    ("", "automation", "Empty user agent"),
    ("-", "automation", "Empty user agent"),
]  # fmt: skip


@pytest.mark.parametrize(("ua", "category", "name"), BOTS)
def test_bots_have_device_bot(ua: str, category: str, name: str) -> None:
    info = describe_agent(ua)
    assert (info.device, info.bot_category, info.bot_name) == ("bot", category, name)
    assert info.bot_rule


def test_an_agent_naming_no_browser_engine_is_automation() -> None:
    """Free text names no engine and no platform: a script, not a person (issue 14); the
    first list that knows it says so (device-detector's generic bot), else the structure."""
    info = describe_agent("hello world")
    assert (info.browser, info.os, info.device) == ("Other", "Other", "bot")
    assert info.bot_category is not None
    assert info.bot_rule in ("device-detector:Generic Bot", "structure:no-browser-engine")
    assert describe_agent("acme-sync 2.1").bot_rule == "structure:no-browser-engine"


def test_empty_agent_has_unknown_browser() -> None:
    info = describe_agent("")
    unknown = ("Other", "", "Other", "")
    assert (info.browser, info.browser_version, info.os, info.os_version) == unknown


def test_describe_agents_keeps_order() -> None:
    uas = [GOLDEN[0][0], "curl/8.4.0", GOLDEN[0][0]]
    infos = describe_agents(uas)
    assert [i.device for i in infos] == ["desktop", "bot", "desktop"]
    assert describe_agents(iter([])) == []


def test_agent_info_is_frozen() -> None:
    info = describe_agent(GOLDEN[0][0])
    with pytest.raises(AttributeError):
        info.browser = "x"  # type: ignore[misc]


def test_device_rules_are_documented_and_compile() -> None:
    for rule in DEVICE_RULES:
        assert rule.device in DEVICE_TYPES
        assert rule.doc.strip()
        re.compile(rule.pattern)


@pytest.mark.parametrize("ua", ["\ud800", "abc\udcff def", "\x00", "x" * 100_000, "(((((" * 50])
def test_hostile_input(ua: str) -> None:
    assert isinstance(describe_agent(ua), AgentInfo)


_UA_TOKENS = st.sampled_from(
    ["Mozilla/5.0 ", "(iPad; ", "Android 14; ", "Mobile ", "Googlebot/2.1", "Chrome/124.0 ",
     "Safari/604.1", "Windows NT 10.0", "curl/8", "; ", ")", "/", " "]
)  # fmt: skip


@settings(deadline=None, max_examples=300)
@given(st.one_of(st.text(), st.lists(_UA_TOKENS | st.text(max_size=5)).map("".join)))
def test_describe_agent_never_raises(ua: str) -> None:
    info = describe_agent(ua)
    assert info.device in DEVICE_TYPES
    assert (info.device == "bot") == (info.bot_category is not None)
    assert (info.bot_name is None) == (info.bot_category is None) == (info.bot_rule is None)
