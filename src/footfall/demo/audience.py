"""How human visitors find the site: entry sources, referrers, landing pages, campaigns.

Also when they come (hour-of-day rhythm, weekday vs weekend).  Weight tables
are kept as ready-to-use :class:`~footfall.demo.sampling.WeightedChoice` objects.
"""

from __future__ import annotations

from dataclasses import dataclass

from footfall.demo.sampling import WeightedChoice
from footfall.demo.site import BLOG_POSTS

# ------------------------------------------------------------------ entry sources

ENTRY_SOURCE = WeightedChoice(
    [("direct", 30), ("search", 37), ("social", 10), ("referral", 7), ("email", 4)]
)
# Odds that a session is a single pageview, by entry source.
BOUNCE = {"direct": 0.30, "search": 0.42, "social": 0.55, "referral": 0.36, "email": 0.36}
CAMPAIGN_BOUNCE = 0.50

# Landing page by entry source; "post" and "doc" stand for a blog post / docs page
# chosen by popularity.
LANDING_BY_SOURCE: dict[str, WeightedChoice[str]] = {
    "direct": WeightedChoice(
        [
            ("/", 55),
            ("/login", 12),
            ("/pricing", 8),
            ("/docs/", 6),
            ("/blog/", 5),
            ("/docs/getting-started", 4),
            ("/features", 4),
            ("/changelog", 2),
            (BLOG_POSTS[0], 2),
            ("/contact", 1),
            ("/about", 1),
        ]
    ),
    "search": WeightedChoice(
        [
            ("post", 48),
            ("/", 18),
            ("doc", 20),
            ("/features", 4),
            ("/pricing", 4),
            ("/pricing-old", 1.5),
            ("/product/dashboards", 2),
            ("/about", 1),
            ("/product/bot-filter", 1.5),
        ]
    ),
    "social": WeightedChoice([("post", 70), ("/", 18), ("/features", 6), ("/changelog", 6)]),
    "referral": WeightedChoice([("post", 45), ("/", 35), ("/blog/old-post", 10), ("doc", 10)]),
    "email": WeightedChoice([("/login", 50), ("doc", 30), ("/changelog", 20)]),
}

# ---------------------------------------------------------------------- referrers

_SEARCH_REFERRERS = (
    ("https://www.google.com/", 48),
    ("https://www.google.de/", 6),
    ("https://www.google.co.uk/", 5),
    ("https://www.google.fr/", 4),
    ("https://www.google.nl/", 2),
    ("https://www.google.es/", 2),
    ("https://www.bing.com/", 9),
    ("https://duckduckgo.com/", 7),
    ("https://search.brave.com/", 1.5),
    ("https://www.ecosia.org/", 1),
    ("https://yandex.ru/", 0.5),
)
_SOCIAL_REFERRERS = (
    ("https://t.co/", 14),
    ("https://www.facebook.com/", 5),
    ("https://l.facebook.com/", 6),
    ("https://m.facebook.com/", 3),
    ("https://www.linkedin.com/", 9),
    ("https://www.reddit.com/r/selfhosted/", 8),
    ("https://www.reddit.com/r/webdev/", 4),
    ("https://old.reddit.com/r/analytics/", 1.5),
    ("https://news.ycombinator.com/", 6),
    ("https://mastodon.social/", 3),
    ("https://bsky.app/", 2),
)
_REFERRAL_REFERRERS = (
    ("https://lobste.rs/s/7ghm2x/reading_your_access_logs", 3),
    ("https://dev.to/ops-notes/self-hosted-analytics-compared-4kd1", 4),
    ("https://www.smallweb-digest.net/issues/112", 2),
    ("https://blog.nicolas-ferrand.fr/2026/10/analytics-sans-cookies/", 2),
    ("https://alternativeto.net/software/google-analytics/", 4),
    ("https://github.com/topics/web-analytics", 3),
    ("https://www.privacyguides.org/en/", 1.5),
    ("https://techweekly-news.com/articles/cookieless-tracking", 2),
)
WEBMAIL_REFERRERS = ("https://mail.google.com/", "https://outlook.live.com/")
SEARCH_REFERRER = WeightedChoice(_SEARCH_REFERRERS)
SOCIAL_REFERRER = WeightedChoice(_SOCIAL_REFERRERS)
REFERRAL_REFERRER = WeightedChoice(_REFERRAL_REFERRERS)
# Where the forum thread linking to a long-gone blog post sends its readers.
OLD_POST_REFERRER = "https://forum.selfhosters.org/t/which-analytics-do-you-use/8812"

# ---------------------------------------------------------------------- campaigns


@dataclass(frozen=True)
class Campaign:
    """A marketing campaign: whom it brings, where they land and on which days."""

    name: str
    source: str
    medium: str
    share: float  # extra visitors while active, as a fraction of daily visitors
    landings: tuple[tuple[str, float], ...]
    referrers: tuple[tuple[str, float], ...]
    click_id: str = ""  # gclid / fbclid
    click_prefix: str = ""
    windows: tuple[tuple[float, float], ...] = ()  # fractions of the period
    sends: tuple[float, ...] = ()  # newsletter send days, fractions of the period

    def intensity(self, index: int, days: int) -> float:
        """Extra traffic on day `index` of `days`: 1 while running, a fading tail after a send."""
        intensity = 0.0
        for lo, hi in self.windows:
            first = int(lo * (days - 1) + 0.5)
            last = int(hi * (days - 1) + 0.5)
            if first <= index <= last:
                intensity = max(intensity, 1.0)
        for when in self.sends:
            send = int(when * (days - 1) + 0.5)
            age = index - send
            if 0 <= age < 5:
                intensity = max(intensity, (1.0, 0.35, 0.12, 0.05, 0.02)[age])
        return intensity


CAMPAIGNS: tuple[Campaign, ...] = (
    Campaign(
        name="winter_sale",
        source="google",
        medium="cpc",
        share=0.10,
        landings=(("/pricing", 6), ("/product/dashboards", 2), ("/", 1)),
        referrers=(("https://www.google.com/", 9), ("https://www.google.de/", 1)),
        click_id="gclid",
        click_prefix="Cj0KCQiA",
        windows=((0.58, 1.0),),
    ),
    Campaign(
        name="launch_video",
        source="facebook",
        medium="paid_social",
        share=0.08,
        landings=(("/features", 5), ("/", 3), ("/product/campaigns", 1)),
        referrers=(
            ("https://l.facebook.com/", 5),
            ("https://m.facebook.com/", 3),
            ("https://www.facebook.com/", 1),
            ("https://lm.facebook.com/", 1),
        ),
        click_id="fbclid",
        click_prefix="IwAR",
        windows=((0.12, 0.45),),
    ),
    Campaign(
        name="november_digest",
        source="newsletter",
        medium="email",
        share=0.16,
        landings=(
            (BLOG_POSTS[2], 4),
            (BLOG_POSTS[9], 3),
            ("/changelog", 2),
            ("/pricing", 1),
        ),
        referrers=(("-", 8), ("https://mail.google.com/", 1.5), ("https://outlook.live.com/", 0.5)),
        sends=(0.30, 0.78),
    ),
)
CAMPAIGN_NAMES: tuple[str, ...] = tuple(c.name for c in CAMPAIGNS)
CAMPAIGN_LANDINGS = tuple(WeightedChoice(c.landings) for c in CAMPAIGNS)
CAMPAIGN_REFERRERS = tuple(WeightedChoice(c.referrers) for c in CAMPAIGNS)

# ---------------------------------------------------------------------- hour of day

# Hour-of-day weights (local time) for human traffic.
_HOURS_WEEKDAY = (
    0.30, 0.17, 0.11, 0.08, 0.08, 0.12, 0.28, 0.55, 0.85, 1.05, 1.20, 1.25,
    1.05, 1.00, 1.00, 0.98, 0.95, 0.90, 0.95, 1.08, 1.18, 1.05, 0.78, 0.50,
)  # fmt: skip
_HOURS_WEEKEND = (
    0.42, 0.28, 0.18, 0.12, 0.09, 0.09, 0.14, 0.25, 0.45, 0.75, 1.00, 1.12,
    1.10, 1.00, 0.95, 0.95, 0.95, 0.95, 1.00, 1.12, 1.20, 1.10, 0.85, 0.60,
)  # fmt: skip

WEEKDAY_HOUR = WeightedChoice(list(enumerate(_HOURS_WEEKDAY)))
WEEKEND_HOUR = WeightedChoice(list(enumerate(_HOURS_WEEKEND)))
