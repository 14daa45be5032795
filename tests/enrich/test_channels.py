"""Channel attribution: golden traffic cases, registry integrity and referrer parsing."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from footfall.enrich.channels import (
    CHANNEL_RULES,
    CHANNELS,
    CLICK_IDS,
    SOURCE_ALIASES,
    SOURCE_CATEGORIES,
    SOURCE_KINDS,
    Attribution,
    TrafficSignals,
    classify_traffic,
    referrer_host,
)

SITE = frozenset({"example.com"})

# (signals, expected (source, channel, rule))
GOLDEN: list[tuple[dict[str, Any], tuple[str, str, str]]] = [
    ({}, ("Direct / None", "Direct", "direct")),
    # referrers only
    ({"referrer_host": "www.google.com"}, ("Google", "Organic Search", "organic-search")),
    ({"referrer_host": "www.google.co.uk"}, ("Google", "Organic Search", "organic-search")),
    ({"referrer_host": "google.com.br"}, ("Google", "Organic Search", "organic-search")),
    ({"referrer_host": "docs.google.com"}, ("docs.google.com", "Referral", "referral")),
    ({"referrer_host": "duckduckgo.com"}, ("DuckDuckGo", "Organic Search", "organic-search")),
    ({"referrer_host": "cn.bing.com"}, ("Bing", "Organic Search", "organic-search")),
    ({"referrer_host": "mail.google.com"}, ("Gmail", "Email", "email")),
    ({"referrer_host": "com.google.android.gm"}, ("Gmail", "Email", "email")),
    ({"referrer_host": "outlook.live.com"}, ("Outlook", "Email", "email")),
    ({"referrer_host": "webmail.provider.net"}, ("Webmail", "Email", "email")),
    ({"referrer_host": "lm.facebook.com"}, ("Facebook", "Organic Social", "organic-social")),
    ({"referrer_host": "t.co"}, ("Twitter", "Organic Social", "organic-social")),
    ({"referrer_host": "old.reddit.com"}, ("Reddit", "Organic Social", "organic-social")),
    (
        {"referrer_host": "news.ycombinator.com"},
        ("Hacker News", "Organic Social", "organic-social"),
    ),
    ({"referrer_host": "m.youtube.com"}, ("YouTube", "Video", "video")),
    ({"referrer_host": "www.amazon.de"}, ("Amazon", "Referral", "referral")),
    ({"referrer_host": "www.some-blog.org"}, ("some-blog.org", "Referral", "referral")),
    # the site's own hosts
    (
        {"referrer_host": "blog.example.com", "site_hosts": SITE},
        ("", "Internal", "internal-referrer"),
    ),
    (
        {"referrer_host": "example.com", "site_hosts": frozenset({"www.example.com"})},
        ("", "Internal", "internal-referrer"),
    ),
    (
        {"referrer_host": "www.example.com", "utm_source": "banner", "site_hosts": SITE},
        ("", "Internal", "internal-referrer"),
    ),
    (
        {"referrer_host": "notexample.com", "site_hosts": SITE},
        ("notexample.com", "Referral", "referral"),
    ),
    # click ids
    ({"click_id": "gclid"}, ("Google", "Paid Search", "paid-search-click-id")),
    (
        {"click_id": "msclkid", "referrer_host": "www.bing.com"},
        ("Bing", "Paid Search", "paid-search-click-id"),
    ),
    ({"click_id": "fbclid"}, ("Facebook", "Organic Social", "organic-social")),
    (
        {"click_id": "fbclid", "referrer_host": "l.instagram.com"},
        ("Instagram", "Organic Social", "organic-social"),
    ),
    (
        {"click_id": "fbclid", "utm_source": "facebook", "utm_medium": "paid_social"},
        ("Facebook", "Paid Social", "paid-social"),
    ),
    ({"click_id": "ttclid"}, ("TikTok", "Paid Social", "paid-social-click-id")),
    ({"click_id": "li_fat_id"}, ("LinkedIn", "Paid Social", "paid-social-click-id")),
    ({"click_id": "gclid", "utm_medium": "email"}, ("Google", "Email", "email")),
    # utm tags
    ({"utm_source": "google", "utm_medium": "cpc"}, ("Google", "Paid Search", "paid-search")),
    ({"utm_source": "fb", "utm_medium": "cpc"}, ("Facebook", "Paid Social", "paid-social")),
    (
        {"utm_source": "ig", "utm_medium": "social"},
        ("Instagram", "Organic Social", "organic-social"),
    ),
    ({"utm_source": "facebook.com"}, ("Facebook", "Organic Social", "organic-social")),
    ({"utm_source": "newsletter", "utm_medium": "email"}, ("newsletter", "Email", "email")),
    ({"utm_source": "mailchimp", "utm_medium": "e-mail"}, ("mailchimp", "Email", "email")),
    ({"utm_source": "criteo", "utm_medium": "display"}, ("criteo", "Display", "display")),
    ({"utm_source": "youtube", "utm_medium": "cpv"}, ("YouTube", "Paid Other", "paid-other")),
    (
        {"utm_source": "google", "utm_campaign": "pmax_cross-network"},
        ("Google", "Paid Other", "paid-other"),
    ),
    ({"utm_source": "awin", "utm_medium": "affiliate"}, ("awin", "Affiliates", "affiliates")),
    (
        {"utm_source": "duckduckgo", "utm_medium": "organic"},
        ("DuckDuckGo", "Organic Search", "organic-search"),
    ),
    (
        {"utm_source": "partner-site", "utm_medium": "referral"},
        ("partner-site", "Referral", "referral"),
    ),
    ({"utm_campaign": "spring", "utm_source": "flyer"}, ("flyer", "Referral", "unrecognised-tags")),
    # utm_source wins for the source name; an unknown one falls back to the referrer's category
    (
        {"utm_source": "fb", "referrer_host": "www.google.com"},
        ("Facebook", "Organic Social", "organic-social"),
    ),
    (
        {"utm_source": "spring_post", "referrer_host": "www.linkedin.com"},
        ("spring_post", "Organic Social", "organic-social"),
    ),
    # inputs are normalised
    (
        {"referrer_host": " WWW.Google.COM. ", "utm_source": " Google ", "utm_medium": "CPC"},
        ("Google", "Paid Search", "paid-search"),
    ),
]


@pytest.mark.parametrize(("signals", "expected"), GOLDEN)
def test_golden_traffic(signals: dict[str, Any], expected: tuple[str, str, str]) -> None:
    assert classify_traffic(TrafficSignals(**signals)) == Attribution(*expected)


def test_channel_registry() -> None:
    names = [c.name for c in CHANNELS]
    assert names == [
        "Direct", "Internal", "Paid Search", "Organic Search", "Paid Social", "Organic Social",
        "Email", "Paid Other", "Display", "Affiliates", "Video", "Referral",
    ]  # fmt: skip
    for rule in CHANNEL_RULES:
        assert rule.channel in names, rule
    for record in (*CHANNELS, *CHANNEL_RULES):
        assert record.doc.strip(), record
    rule_names = [r.name for r in CHANNEL_RULES]
    assert len(rule_names) == len(set(rule_names))
    # every channel is reachable by some rule, and the last rule is a catch-all
    assert {r.channel for r in CHANNEL_RULES} == set(names)
    assert CHANNEL_RULES[-1].predicate(TrafficSignals(utm_source="x"))


def test_source_table() -> None:
    assert len(SOURCE_CATEGORIES) >= 140
    domains = [e.domain for e in SOURCE_CATEGORIES]
    assert len(domains) == len(set(domains))
    category_of: dict[str, str] = {}
    for entry in SOURCE_CATEGORIES:
        assert entry.category in SOURCE_KINDS, entry
        assert entry.domain == entry.domain.lower().strip() and not entry.domain.startswith("www.")
        assert re.fullmatch(r"[a-z0-9.-]+(?:\.\*)?", entry.domain), entry
        # one display name, one category: the channel must not depend on which domain matched
        assert category_of.setdefault(entry.source, entry.category) == entry.category, entry
    assert set(SOURCE_ALIASES.values()) <= set(category_of)
    assert {k for k in SOURCE_CATEGORIES if k.domain.endswith(".*")}


def test_click_ids_name_their_network() -> None:
    for click_id in CLICK_IDS:
        attribution = classify_traffic(TrafficSignals(click_id=click_id))
        assert attribution.source not in ("", "Direct / None")


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.Google.com:443/search?q=x", "www.google.com"),
        ("http://news.ycombinator.com/item?id=1", "news.ycombinator.com"),
        ("android-app://com.google.android.gm/", "com.google.android.gm"),
        ("https://user:pw@Foo.Bar./x", "foo.bar"),
        ("example.com/page", "example.com"),
        ("localhost:8080", "localhost"),
        ("http://[::1]:8080/", "::1"),
        ("https://bücher.de/", "bücher.de"),
        ("-", ""),
        ("", ""),
        ("   ", ""),
        ("about:blank", ""),
        ("http://[::1", ""),
        ("http://exa mple.com/", ""),
        ("not a url", ""),
    ],
)
def test_referrer_host(url: str, host: str) -> None:
    assert referrer_host(url) == host


_MEDIUMS = st.sampled_from(["", "cpc", "email", "social", "display", "organic", "affiliate", "x"])
_HOSTS = st.sampled_from(["", "www.google.de", "t.co", "example.com", "mail.x.org", "a.b.c.d"])


@settings(deadline=None, max_examples=300)
@given(
    referrer=st.one_of(_HOSTS, st.text()),
    source=st.text(),
    medium=st.one_of(_MEDIUMS, st.text()),
    campaign=st.text(),
    click_id=st.one_of(st.sampled_from(["", *CLICK_IDS]), st.text()),
    site_hosts=st.frozensets(st.one_of(_HOSTS, st.text()), max_size=3),
)
def test_classify_traffic_never_raises(
    referrer: str,
    source: str,
    medium: str,
    campaign: str,
    click_id: str,
    site_hosts: frozenset[str],
) -> None:
    signals = TrafficSignals(referrer, source, medium, campaign, click_id, site_hosts)
    attribution = classify_traffic(signals)
    assert attribution.channel in {c.name for c in CHANNELS}
    assert attribution.rule in {r.name for r in CHANNEL_RULES}
    assert (attribution.source == "") == (attribution.channel == "Internal")


@settings(deadline=None, max_examples=300)
@given(st.text())
def test_referrer_host_never_raises(url: str) -> None:
    host = referrer_host(url)
    assert host == host.lower().strip()
    assert classify_traffic(TrafficSignals(referrer_host=host)).channel
