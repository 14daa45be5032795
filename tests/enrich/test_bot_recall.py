"""Bot detection against a labelled corpus of public lists, and the structural rules.

The corpus (``tests/fixtures/bots/``, built by ``bench/bot_corpus.py``; sources, versions and
licences in its README) holds crawler agents and browser agents that other projects labelled.
The goals of issue 14: recall >= 95 % on crawlers, false positives <= 1 % on browsers; each
source also has a floor (or ceiling) just under what was measured, so that a regression on one
list shows even when the totals still pass. ``bench/bot_recall.py`` prints the same figures.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from footfall.enrich.bots import BOT_RULES, STRUCTURE_RULES, classify_bot_user_agent
from footfall.enrich.useragent import describe_agent
from footfall.vocabulary.bots import BOT_CATEGORIES

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "bots"

# Measured on 2026-12-02 (bench/bot_recall.py): recall per crawler source...
RECALL_FLOORS = {
    "crawler-user-agents": 0.975,  # measured 0.9839 (was 0.8649 before device-detector + structure)
    "crawlerdetect": 0.995,  # 1.0: crawlerdetect's own fixtures
    "device-detector:bots": 0.995,  # 1.0: device-detector's own fixtures
    "device-detector:libraries+feeds": 0.60,  # 0.6321: feed readers on iOS/Android stay human
}
# ... and false-positive rate per browser source.
FP_CEILINGS = {
    "crawlerdetect-devices": 0.004,  # measured 0.0026 (junk agents such as "11", "request")
    "device-detector:browsers": 0.002,  # 0.0013
    "user-agents": 0.001,  # 0.0
    "device-detector:apps": 0.15,  # 0.1431: Office apps are crawlers to crawlerdetect
}


def _load(name: str) -> list[tuple[str, str]]:
    path = CORPUS / name
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    rows = [line.split("\t", 1) for line in raw.decode("utf-8").splitlines()]
    return [(source, agent) for source, agent in rows]


@pytest.fixture(scope="module")
def flagged() -> dict[str, dict[str, list[bool]]]:
    """label -> source -> one flag per agent, as the import decides it (describe_agent)."""
    out: dict[str, dict[str, list[bool]]] = {}
    for label, name in (("crawler", "crawlers.txt"), ("browser", "browsers.txt.gz")):
        for source, agent in _load(name):
            info = describe_agent(agent)
            out.setdefault(label, {}).setdefault(source, []).append(info.bot_rule is not None)
    return out


def _rate(flags: list[bool]) -> float:
    return sum(flags) / len(flags)


@pytest.mark.slow
def test_corpus_is_labelled_public_data() -> None:
    crawlers, browsers = _load("crawlers.txt"), _load("browsers.txt.gz")
    assert {s for s, _ in crawlers} == set(RECALL_FLOORS)
    assert {s for s, _ in browsers} == set(FP_CEILINGS)
    assert len(crawlers) > 5_000 and len(browsers) > 50_000
    assert not {a for _, a in crawlers} & {a for _, a in browsers}, "an agent labelled both ways"
    readme = (CORPUS / "README.md").read_text()
    for source in (*RECALL_FLOORS, *FP_CEILINGS):
        assert source.split(":")[0] in readme


@pytest.mark.slow
def test_recall_and_false_positives_meet_the_goal(flagged: dict) -> None:
    crawler_flags = [f for flags in flagged["crawler"].values() for f in flags]
    browser_flags = [f for flags in flagged["browser"].values() for f in flags]
    assert _rate(crawler_flags) >= 0.95
    assert _rate(browser_flags) <= 0.01


@pytest.mark.slow
@pytest.mark.parametrize("source", sorted(RECALL_FLOORS))
def test_recall_per_source(flagged: dict, source: str) -> None:
    assert _rate(flagged["crawler"][source]) >= RECALL_FLOORS[source]


@pytest.mark.slow
@pytest.mark.parametrize("source", sorted(FP_CEILINGS))
def test_false_positives_per_source(flagged: dict, source: str) -> None:
    assert _rate(flagged["browser"][source]) <= FP_CEILINGS[source]


@pytest.mark.slow
def test_every_flag_names_its_rule_and_a_known_category() -> None:
    categories = {c.name for c in BOT_CATEGORIES}
    kinds = {"ua", "crawlerdetect", "device-detector", "structure"}
    for _, agent in _load("crawlers.txt"):
        info = describe_agent(agent)
        if info.bot_rule is not None:
            assert info.bot_rule.split(":", 1)[0] in kinds, info
            assert info.bot_category in categories, info
            assert info.bot_name, info


# --- the structural rules -----------------------------------------------------------------

# Agents none of the lists know, caught only by their shape.
NO_ENGINE_BOTS = [
    "Zendesk Webhook",
    "Bitbucket-Webhooks/2.0",
    "IFTTT/1.0 (https://ifttt.com/support)",
    "my-sync-script/0.1",
    "Deno/1.26.1",
    "Bun/1.1.3",
    "uptrends",
    "Hydrozen.io/1.0",
    "rss-parser / Buttondown",
    "ClickUpLinkUnfurler/1.0 (+https://clickup.com)",
    "Svix-Webhooks/1.65.0 (sender-9YMgn; +https://www.svix.com/http-sender/)",
    # "Mozilla/" prefixed to a name is not a browser
    "Mozilla/5.0 (compatible; Attracta)",
    "Mozilla/5.0 (compatible; Amzn-User; +https://developer.amazon.com/)",
    "Mozilla/5.0 (compatible; Bugsnag; +https://www.bugsnag.com/)",
]

CONTACT_BOTS = [
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 "
    "Safari/537.36 Scope3/2.0 (https://scope3.com)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36 Wobble/1.0 (wobble-ops@wobble.example.org)",
]

# Real browsers and apps of people whose agents are short or name no browser engine.
PEOPLE = [
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "[FBAN/FB4A;FBAV/263.0.0.46.121;FBBV/205281663;FBLC/en_US;FBCR/Metro by T-Mobile;"
    "FBMF/LGE;FBBD/lge;FBPN/com.facebook.katana;FBDV/LM-X210;FBSV/7.1.2;]",
    "Spotify/8.9.10 iOS/17.4 (iPhone15,2)",
    "Instagram 328.0.0.42.90 (iPhone14,5; iOS 17_4; en_US; en; scale=3.00; 1170x2532; 590127025)",
    "YouTube/19.09.3 (iPhone15,3; U; CPU iOS 17_4 like Mac OS X)",
    "Podcasts/1650.20 CFNetwork/1485 Darwin/23.1.0",
    "AppleCoreMedia/1.0.0.21E236 (iPhone; U; CPU OS 17_4 like Mac OS X; en_us)",
    "Dalvik/2.1.0 (Linux; U; Android 13; Pixel 7 Build/TQ3A.230805.001)",
    "Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko)",
    "Roku/DVP-12.5 (12.5.0.4174-AE)",
    "VIZIO V705-J03 ViziOS/1.4.512.847.1 WatchFree/24.06.13.2 FancyPlayer/1.1.30-qa",
    "Opera/9.80 (J2ME/MIDP; Opera Mini/9.80 (S60; SymbOS; Opera Mobi/23.348; U; en) "
    "Presto/2.5.25 Version/10.54",
    "NokiaN95/11.0.026; Profile/MIDP-2.0 Configuration/CLDC-1.1",
    "DoCoMo/2.0 SH901iC(c100;TB;W24H12)",
    "SAGETEL61D_11C_HW MRE/3.1.00900;MAUI/ARTEL_F5_V02_20170527_MP;BDATE/2017/05/27 14:28",
    "w3m/0.5.3+git20230121",
    "Links (2.29; Linux 6.1.0-18-amd64 x86_64; GNU C 12.2; text)",
    # browsers that carry an address that is not a contact
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/143.0.0.0 Mobile Safari/537.36 (Ecosia android@143.0.0.0)",
    "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1; Trident/4.0;  Embedded Web Browser "
    "from: http://bsalsa.com/; .NET CLR 1.0.3705)",
]


@pytest.mark.parametrize("ua", NO_ENGINE_BOTS)
def test_agents_naming_no_browser_engine_are_automation(ua: str) -> None:
    match = classify_bot_user_agent(ua)
    assert match is not None
    assert (match.category, match.rule) == ("automation", "structure:no-browser-engine")


@pytest.mark.parametrize("ua", CONTACT_BOTS)
def test_agents_carrying_a_contact_are_bots(ua: str) -> None:
    match = classify_bot_user_agent(ua)
    assert match is not None
    assert (match.category, match.rule) == ("other", "structure:contact-in-agent")


@pytest.mark.parametrize("ua", PEOPLE)
def test_people_with_short_or_engineless_agents_are_not_bots(ua: str) -> None:
    assert classify_bot_user_agent(ua) is None
    assert describe_agent(ua).bot_rule is None


def test_lists_decide_before_the_structure() -> None:
    # a known name keeps its list's explanation even though it also names no engine
    assert classify_bot_user_agent("curl/8.4.0").rule == "ua:curl"  # type: ignore[union-attr]
    match = classify_bot_user_agent("Datadog Agent/7.69.2")
    assert match is not None
    assert (match.category, match.rule) == ("monitor", "device-detector:Datadog Agent")


def test_structure_rules_are_documented() -> None:
    categories = {c.name for c in BOT_CATEGORIES}
    for rule in STRUCTURE_RULES:
        re.compile(rule.pattern)
        assert rule.category in categories and rule.doc.strip()
    assert not {r.name for r in STRUCTURE_RULES} & {r.name for r in BOT_RULES}
