"""Referrer and campaign tags → traffic source and marketing channel.

The channel rules follow the shape of Google Analytics 4's default channel group, so numbers are
comparable with what marketers already know, but they are our own rules and deliberately differ:

* A referrer on one of the site's own hosts (or their subdomains) is **Internal**, with an empty
  source, instead of a self-referral or a silent "direct".
* ``gclid``/``msclkid`` imply **Paid Search** even without ``utm_medium``: Google and Microsoft
  Ads add them only to ad clicks. (This also covers display and video ads bought there; the
  click id alone cannot tell them apart.) ``ttclid``/``li_fat_id`` likewise imply Paid Social.
* ``fbclid`` alone does **not** imply paid: Meta appends it to ordinary shared links as well,
  so it means Organic Social unless the tags say paid.
* Footfall has no Paid Shopping, Paid Video, Organic Shopping, Cross-network, Audio, SMS, Push or
  Unassigned channels: paid shopping/video land in Paid Other, shopping-site referrals in
  Referral, and tagged traffic whose medium we do not recognise in Referral (rule
  ``unrecognised-tags``), where its source name still shows what it was.
* A webmail referrer (e.g. mail.google.com) counts as Email even without tags.
* When ``utm_source`` is not a known source, the referrer's category is used instead.

Source names: ``SOURCE_CATEGORIES`` below, written for Footfall from the sites' public domains.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from urllib.parse import urlsplit

__all__ = [
    "CHANNELS", "CHANNEL_RULES", "CLICK_IDS", "DIRECT_SOURCE", "SOURCE_ALIASES",
    "SOURCE_CATEGORIES", "SOURCE_KINDS", "Attribution", "Channel", "ChannelRule", "SourceEntry",
    "TrafficSignals", "classify_traffic", "referrer_host",
]  # fmt: skip

SOURCE_KINDS: tuple[str, ...] = ("search", "social", "email", "video", "shopping")
CLICK_IDS: tuple[str, ...] = ("gclid", "msclkid", "fbclid", "ttclid", "li_fat_id")
DIRECT_SOURCE = "Direct / None"


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """A known referrer domain: display name and category.

    `domain` is matched against the referrer host (``www.`` ignored), then against its parent
    domains (``l.facebook.com`` → ``facebook.com``). A domain written ``brand.*`` matches that
    brand under any country suffix (google.de, google.co.uk, google.com.br) but not its
    subdomains, which are usually other products (docs.google.com stays a plain referral).
    Unlisted hosts whose first label is ``webmail`` or ``mail`` count as "Webmail" (email).
    """

    domain: str
    source: str
    category: str


def _group(category: str, entries: dict[str, str]) -> tuple[SourceEntry, ...]:
    return tuple(SourceEntry(domain, source, category) for domain, source in entries.items())


# Android apps send "android-app://<package>" referrers; the package name becomes the host.
# fmt: off
SOURCE_CATEGORIES: tuple[SourceEntry, ...] = (
    *_group("search", {
        "google.*": "Google", "images.google.com": "Google", "bing.com": "Bing",
        "com.google.android.googlequicksearchbox": "Google", "duckduckgo.com": "DuckDuckGo",
        "yahoo.com": "Yahoo", "search.yahoo.com": "Yahoo", "yahoo.co.jp": "Yahoo! JAPAN",
        "yandex.*": "Yandex", "ya.ru": "Yandex", "baidu.com": "Baidu", "ecosia.org": "Ecosia",
        "startpage.com": "Startpage", "qwant.com": "Qwant", "search.brave.com": "Brave Search",
        "naver.com": "Naver", "seznam.cz": "Seznam", "ask.com": "Ask", "search.aol.com": "AOL",
        "so.com": "360 Search", "sogou.com": "Sogou", "sm.cn": "Shenma", "daum.net": "Daum",
        "mojeek.com": "Mojeek", "kagi.com": "Kagi", "presearch.com": "Presearch",
        "you.com": "You.com", "coccoc.com": "Cốc Cốc", "petalsearch.com": "Petal Search",
        "go.mail.ru": "Mail.ru Search", "rambler.ru": "Rambler", "lycos.com": "Lycos",
        "dogpile.com": "Dogpile", "metager.org": "MetaGer", "metager.de": "MetaGer",
        "swisscows.com": "Swisscows",
    }),
    *_group("social", {
        "facebook.com": "Facebook", "fb.com": "Facebook", "fb.me": "Facebook",
        "messenger.com": "Messenger", "instagram.com": "Instagram", "threads.net": "Threads",
        "threads.com": "Threads", "t.co": "Twitter", "twitter.com": "Twitter",
        "x.com": "Twitter", "linkedin.com": "LinkedIn", "lnkd.in": "LinkedIn",
        "com.linkedin.android": "LinkedIn", "reddit.com": "Reddit", "redd.it": "Reddit",
        "pinterest.*": "Pinterest", "pin.it": "Pinterest", "tiktok.com": "TikTok",
        "snapchat.com": "Snapchat", "tumblr.com": "Tumblr", "quora.com": "Quora",
        "mastodon.social": "Mastodon", "mastodon.online": "Mastodon", "mstdn.social": "Mastodon",
        "fosstodon.org": "Mastodon", "hachyderm.io": "Mastodon", "infosec.exchange": "Mastodon",
        "bsky.app": "Bluesky", "news.ycombinator.com": "Hacker News", "lobste.rs": "Lobsters",
        "vk.com": "VK", "ok.ru": "Odnoklassniki", "weibo.com": "Weibo", "weibo.cn": "Weibo",
        "douban.com": "Douban", "zhihu.com": "Zhihu", "xing.com": "XING", "line.me": "LINE",
        "discord.com": "Discord", "discordapp.com": "Discord", "slack.com": "Slack",
        "com.slack": "Slack", "t.me": "Telegram", "telegram.org": "Telegram",
        "org.telegram.messenger": "Telegram", "whatsapp.com": "WhatsApp", "wa.me": "WhatsApp",
        "producthunt.com": "Product Hunt", "nextdoor.com": "Nextdoor", "flickr.com": "Flickr",
        "story.kakao.com": "KakaoStory", "meetup.com": "Meetup", "medium.com": "Medium",
        "substack.com": "Substack",
    }),
    *_group("email", {
        "mail.google.com": "Gmail", "inbox.google.com": "Gmail", "com.google.android.gm": "Gmail",
        "outlook.live.com": "Outlook", "outlook.office.com": "Outlook",
        "outlook.office365.com": "Outlook", "mail.yahoo.com": "Yahoo Mail",
        "mail.yahoo.co.jp": "Yahoo Mail", "mail.aol.com": "AOL Mail",
        "mail.proton.me": "Proton Mail", "mail.protonmail.com": "Proton Mail",
        "app.fastmail.com": "Fastmail", "mail.zoho.com": "Zoho Mail",
        "mail.yandex.ru": "Yandex Mail", "e.mail.ru": "Mail.ru Mail", "mail.qq.com": "QQ Mail",
        "mail.gmx.net": "GMX", "navigator.gmx.net": "GMX", "web.de": "WEB.DE",
        "mail.tutanota.com": "Tuta", "app.tuta.com": "Tuta", "icloud.com": "iCloud Mail",
    }),
    *_group("video", {
        "youtube.com": "YouTube", "youtu.be": "YouTube", "vimeo.com": "Vimeo",
        "twitch.tv": "Twitch", "dailymotion.com": "Dailymotion", "bilibili.com": "Bilibili",
        "rumble.com": "Rumble", "nicovideo.jp": "Niconico", "youku.com": "Youku",
        "iqiyi.com": "iQIYI", "ted.com": "TED", "wistia.com": "Wistia",
    }),
    *_group("shopping", {
        "amazon.*": "Amazon", "ebay.*": "eBay", "etsy.com": "Etsy", "walmart.com": "Walmart",
        "shopping.google.com": "Google Shopping", "aliexpress.com": "AliExpress",
        "aliexpress.us": "AliExpress", "alibaba.com": "Alibaba", "target.com": "Target",
        "bestbuy.com": "Best Buy", "rakuten.co.jp": "Rakuten", "rakuten.com": "Rakuten",
        "shop.app": "Shop", "zalando.*": "Zalando", "otto.de": "OTTO", "idealo.de": "idealo",
        "mercadolibre.*": "Mercado Libre", "temu.com": "Temu", "shein.com": "SHEIN",
        "flipkart.com": "Flipkart", "wayfair.com": "Wayfair", "allegro.pl": "Allegro",
        "bol.com": "bol.com", "taobao.com": "Taobao", "tmall.com": "Tmall", "jd.com": "JD.com",
        "costco.com": "Costco", "homedepot.com": "The Home Depot", "pricerunner.com": "PriceRunner",
    }),
)
# fmt: on

# utm_source spellings that are not a source name or domain from the table above.
SOURCE_ALIASES: Mapping[str, str] = MappingProxyType({
    "fb": "Facebook", "meta": "Facebook", "ig": "Instagram", "tw": "Twitter", "x": "Twitter",
    "li": "LinkedIn", "yt": "YouTube", "hn": "Hacker News", "ddg": "DuckDuckGo",
    "adwords": "Google", "googleads": "Google", "google_ads": "Google",
})  # fmt: skip

# Which ad network a click id belongs to: names the source of an untagged ad click.
_CLICK_ID_SOURCES = {
    "gclid": "Google", "msclkid": "Bing", "fbclid": "Facebook", "ttclid": "TikTok",
    "li_fat_id": "LinkedIn",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Channel:
    """A marketing channel: the coarse "how did they get here" bucket of reports."""

    name: str
    doc: str


@dataclass(frozen=True, slots=True)
class TrafficSignals:
    """Everything channel attribution looks at, for one distinct referrer/tag combination.

    Values are normalised on construction (lower-cased, stripped), so equal inputs share one
    cache entry and callers cannot forget to normalise.
    """

    referrer_host: str = ""
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    click_id: str = ""
    site_hosts: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        for name in ("referrer_host", "utm_source", "utm_medium", "utm_campaign", "click_id"):
            object.__setattr__(self, name, (getattr(self, name) or "").strip().lower())
        object.__setattr__(self, "referrer_host", self.referrer_host.rstrip("."))
        hosts = frozenset(_strip_www(h.strip().lower().rstrip(".")) for h in self.site_hosts)
        object.__setattr__(self, "site_hosts", hosts - {""})


@dataclass(frozen=True, slots=True)
class ChannelRule:
    """One step of channel attribution; rules are tried in order and the first match wins."""

    name: str
    channel: str
    doc: str
    predicate: Callable[[TrafficSignals], bool]


@dataclass(frozen=True, slots=True)
class Attribution:
    """Source and channel of a visit, plus the name of the rule that decided the channel."""

    source: str
    channel: str
    rule: str


CHANNELS: tuple[Channel, ...] = (
    Channel("Direct", "No referrer, no campaign tags and no click id."),
    Channel("Internal", "Referred by a page of the site itself (its hosts or subdomains)."),
    Channel("Paid Search", "Ads on search engines: paid medium from a search source, or gclid."),
    Channel("Organic Search", "Unpaid results of a search engine."),
    Channel("Paid Social", "Ads on social networks."),
    Channel("Organic Social", "Unpaid links on social networks, forums and chat apps."),
    Channel("Email", "Newsletters and other email: email tags or a webmail referrer."),
    Channel("Paid Other", "Paid traffic that is neither search nor social, e.g. video ads."),
    Channel("Display", "Banner and display advertising."),
    Channel("Affiliates", "Traffic tagged as coming from affiliate partners."),
    Channel("Video", "Unpaid traffic from video platforms."),
    Channel("Referral", "Links from other websites, and tagged traffic we cannot place."),
)

_BY_DOMAIN = {e.domain: e for e in SOURCE_CATEGORIES if not e.domain.endswith(".*")}
_BY_BRAND = {e.domain.removesuffix(".*"): e for e in SOURCE_CATEGORIES if e.domain.endswith(".*")}
_BY_NAME = {e.source.lower(): e for e in reversed(SOURCE_CATEGORIES)}  # first entry wins
# "<brand>.<country suffix>": google.de, google.com, google.co.uk, google.com.br
_BRAND_HOST = re.compile(r"([a-z0-9-]+)\.(?:[a-z]{2,3}|(?:com|co|ne|or)\.[a-z]{2})")
# Hosts such as webmail.example.net or mail.example.org are a mail provider's web client.
_WEBMAIL = SourceEntry("webmail.*", "Webmail", "email")
_WEBMAIL_LABELS = ("webmail", "mail")


def _strip_www(host: str) -> str:
    return host.removeprefix("www.")


@lru_cache(maxsize=65_536)
def _lookup_host(host: str) -> SourceEntry | None:
    """Known source for a host: exact domain, webmail label, brand rule, then parent domains."""
    host = _strip_www(host)
    if entry := _BY_DOMAIN.get(host):
        return entry
    labels = host.split(".")
    if len(labels) >= 3 and labels[0] in _WEBMAIL_LABELS:
        return _WEBMAIL
    if (m := _BRAND_HOST.fullmatch(host)) and (entry := _BY_BRAND.get(m.group(1))):
        return entry
    for i in range(1, len(labels) - 1):
        if entry := _BY_DOMAIN.get(".".join(labels[i:])):
            return entry
    return None


@lru_cache(maxsize=65_536)
def _lookup_utm_source(utm_source: str) -> SourceEntry | None:
    """Known source for a utm_source value: alias, display name, or domain."""
    name = SOURCE_ALIASES.get(utm_source, utm_source).lower()
    return _BY_NAME.get(name) or _lookup_host(utm_source)


def _is_internal(s: TrafficSignals) -> bool:
    host = _strip_www(s.referrer_host)
    return bool(host) and any(host == h or host.endswith("." + h) for h in s.site_hosts)


def _source_kind(s: TrafficSignals) -> str:
    """Category of the utm_source if known, else of the referrer ("" if neither is known)."""
    entry = _lookup_utm_source(s.utm_source) if s.utm_source else None
    if entry is None and s.referrer_host:
        entry = _lookup_host(s.referrer_host)
    return entry.category if entry else ""


_PAID_MEDIUM = re.compile(r"cp[acmv]|ppc|paid|retargeting|remarketing|sponsored|^ads?$")
_DISPLAY_MEDIUM = re.compile(r"^(?:display|banner|expandable|interstitial|cpm)$")
_SOCIAL_MEDIUM = re.compile(r"social|^(?:sm|sn)$")
_EMAIL_TAG = re.compile(r"e[-_ ]?mail|newsletter")


def _paid(s: TrafficSignals) -> bool:
    return bool(_PAID_MEDIUM.search(s.utm_medium))


def _untagged_or_paid(s: TrafficSignals) -> bool:
    return not s.utm_medium or _paid(s)


def _is_direct(s: TrafficSignals) -> bool:
    return not (s.referrer_host or s.utm_source or s.utm_medium or s.utm_campaign or s.click_id)


def _is_email(s: TrafficSignals) -> bool:
    tagged = _EMAIL_TAG.search(s.utm_source) or _EMAIL_TAG.search(s.utm_medium)
    return bool(tagged) or _source_kind(s) == "email"


def _is_social(s: TrafficSignals) -> bool:
    return bool(_SOCIAL_MEDIUM.search(s.utm_medium)) or _source_kind(s) == "social"


# fmt: off
CHANNEL_RULES: tuple[ChannelRule, ...] = (
    ChannelRule("internal-referrer", "Internal", "The referrer is one of the site's own hosts "
                "or a subdomain of one; checked first so in-site navigation is never an "
                "acquisition.", _is_internal),
    ChannelRule("direct", "Direct", "Nothing at all: no referrer, no utm_* tags, no click id.",
                _is_direct),
    ChannelRule("paid-search-click-id", "Paid Search", "gclid or msclkid, utm_medium empty or "
                "paid: the ad networks add them to ad clicks only.",
                lambda s: s.click_id in ("gclid", "msclkid") and _untagged_or_paid(s)),
    ChannelRule("paid-search", "Paid Search", "Search engine source, paid utm_medium (cpc, ppc, "
                "paid…).", lambda s: _paid(s) and _source_kind(s) == "search"),
    ChannelRule("paid-social-click-id", "Paid Social", "ttclid or li_fat_id, utm_medium empty or "
                "paid: TikTok and LinkedIn add them to ad clicks only (unlike fbclid).",
                lambda s: s.click_id in ("ttclid", "li_fat_id") and _untagged_or_paid(s)),
    ChannelRule("paid-social", "Paid Social", "Paid utm_medium and a social source or a social "
                "medium such as paid_social.", lambda s: _paid(s) and _is_social(s)),
    ChannelRule("display", "Display", "utm_medium is display, banner, expandable, interstitial "
                "or cpm.", lambda s: bool(_DISPLAY_MEDIUM.match(s.utm_medium))),
    ChannelRule("paid-other", "Paid Other", "Any other paid utm_medium (video and shopping ads "
                "too), or a cross-network campaign.",
                lambda s: _paid(s) or "cross-network" in s.utm_campaign),
    ChannelRule("email", "Email", "utm_source or utm_medium mentions email or newsletter, or "
                "the source is a mail service (webmail referrer).", _is_email),
    ChannelRule("affiliates", "Affiliates", "utm_medium is affiliate or affiliates.",
                lambda s: s.utm_medium in ("affiliate", "affiliates")),
    ChannelRule("organic-search", "Organic Search", "Search engine source, or utm_medium "
                "organic.", lambda s: s.utm_medium == "organic" or _source_kind(s) == "search"),
    ChannelRule("organic-social", "Organic Social", "Social source or social utm_medium, or an "
                "fbclid without paid tags (Meta adds it to organic links too).",
                lambda s: s.click_id == "fbclid" or _is_social(s)),
    ChannelRule("video", "Video", "Video platform source, or a utm_medium mentioning video.",
                lambda s: "video" in s.utm_medium or _source_kind(s) == "video"),
    ChannelRule("referral", "Referral", "Any other referring website, or utm_medium referral, "
                "link or app.",
                lambda s: bool(s.referrer_host) or s.utm_medium in ("referral", "link", "app")),
    ChannelRule("unrecognised-tags", "Referral", "Catch-all: tags or a click id we cannot place "
                "and no referrer (GA4 would say Unassigned).", lambda s: True),
)
# fmt: on


def _source_name(s: TrafficSignals) -> str:
    if s.utm_source:
        entry = _lookup_utm_source(s.utm_source)
        return entry.source if entry else s.utm_source
    if s.referrer_host:
        entry = _lookup_host(s.referrer_host)
        return entry.source if entry else _strip_www(s.referrer_host)
    return _CLICK_ID_SOURCES.get(s.click_id, DIRECT_SOURCE)


@lru_cache(maxsize=65_536)
def classify_traffic(signals: TrafficSignals) -> Attribution:
    """Source and channel for one combination of referrer, utm tags and click id."""
    rule = next(r for r in CHANNEL_RULES if r.predicate(signals))
    source = "" if rule.channel == "Internal" else _source_name(signals)
    return Attribution(source, rule.channel, rule.name)


_HOST_LIKE_START = re.compile(r"[\w.-]+(?::\d*)?(?:[/?#]|$)")
_VALID_HOST = re.compile(r"(?:[\w-]+\.)*[\w-]+|[0-9a-f:.]+")


def referrer_host(url: str) -> str:
    """Lower-case host of a referrer URL without port ("" for "-", empty or unparseable).

    A scheme-less value such as "example.com/page" (some proxies log referrers like that) is
    read as a host too. "www." is kept: stripping it is a presentation choice.
    """
    url = (url or "").strip()
    if url in ("", "-"):
        return ""
    if "://" not in url and _HOST_LIKE_START.match(url):
        url = "//" + url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".")
    return host if _VALID_HOST.fullmatch(host) else ""
