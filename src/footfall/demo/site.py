"""The demo website: its pages and their sizes, static assets, dead links, error pages.

Also what vulnerability scanners probe it for, and how popular each page is.
Sizes are gzip'd bytes as nginx would log them.
"""

from __future__ import annotations

from footfall.demo.sampling import zipf

BLOG_SLUGS: tuple[str, ...] = (
    "cookieless-analytics-explained",
    "reading-your-access-logs",
    "utm-parameters-guide",
    "bot-traffic-in-2026",
    "migrating-from-google-analytics",
    "self-hosting-on-a-raspberry-pi",
    "gdpr-and-web-analytics",
    "bounce-rate-is-misleading",
    "nginx-log-formats",
    "measuring-campaigns-without-cookies",
    "what-counts-as-a-visit",
    "ai-crawlers-and-your-site",
    "duckdb-for-log-analytics",
    "referrer-policy-explained",
    "spotting-fake-traffic",
    "server-side-vs-client-side-analytics",
    "small-site-seo-checklist",
    "release-1-0",
    "release-0-9",
    "year-in-review-2025",
)
DOCS = (
    "/docs/",
    "/docs/getting-started",
    "/docs/install",
    "/docs/configuration",
    "/docs/importing-logs",
    "/docs/tracker",
    "/docs/api-reference",  # one huge page, slow to render
)
SLOW_DOC = "/docs/api-reference"

# HTML pages with their size; the main pages in popularity order (see _rank_pages).
PAGE_SIZES: dict[str, int] = {
    "/": 14_820,
    "/pricing": 11_305,
    "/features": 12_960,
    "/blog/": 9_870,
    "/docs/": 7_412,
    "/login": 4_203,
    "/signup": 5_118,
    "/docs/getting-started": 10_544,
    "/about": 6_931,
    "/docs/install": 9_208,
    "/contact": 5_702,
    "/product/dashboards": 10_077,
    "/docs/configuration": 13_960,
    "/product/campaigns": 9_640,
    "/docs/importing-logs": 11_733,
    "/changelog": 18_402,
    "/product/bot-filter": 9_023,
    "/docs/tracker": 8_876,
    "/product/tracker": 8_410,
    "/docs/api-reference": 96_114,
    "/privacy": 7_650,
    "/terms": 8_120,
    "/signup/thanks": 3_911,
}
PAGE_SIZES.update(
    {f"/blog/{slug}": 8_500 + (i * 2_731) % 9_000 for i, slug in enumerate(BLOG_SLUGS)}
)
BLOG_POSTS: tuple[str, ...] = tuple(f"/blog/{slug}" for slug in BLOG_SLUGS)


def _rank_pages() -> tuple[str, ...]:
    """Popularity order: the main pages with blog posts interleaved from rank 5 on."""
    main = [p for p in PAGE_SIZES if not p.startswith("/blog/") or p == "/blog/"]
    posts = list(BLOG_POSTS)
    ranked = main[:4]
    rest = main[4:]
    while rest or posts:
        if posts:
            ranked.append(posts.pop(0))
        if rest:
            ranked.append(rest.pop(0))
    return tuple(ranked)


PAGE_RANK = _rank_pages()
PAGE_POPULARITY = zipf(PAGE_RANK, 1.05)
POST_POPULARITY = zipf(BLOG_POSTS, 0.9)
DOC_POPULARITY = zipf(DOCS, 0.8)

DEAD_LINKS = {"/blog/old-post": 3_322, "/pricing-old": 3_322, "/docs/legacy-setup": 3_322}
ERROR_PAGE_BYTES = {404: 3_322, 403: 153, 400: 157, 500: 2_104, 502: 157, 503: 197}

# Static assets: path -> gzip'd size.
ASSET_SIZES: dict[str, int] = {
    "/static/app.css": 7_412,
    "/static/app.js": 41_208,
    "/img/logo.png": 4_861,
    "/favicon.ico": 1_150,
    "/img/hero-home.png": 84_310,
    "/img/screenshot-dashboard.png": 132_904,
    "/img/pricing-plans.png": 22_517,
    "/img/team.png": 61_780,
    "/img/diagram-pipeline.png": 38_215,
    "/img/campaign-report.png": 57_402,
}
ASSET_SIZES.update(
    {f"/img/blog/{slug}.png": 25_000 + (len(slug) * 3_917) % 60_000 for slug in BLOG_SLUGS}
)
PAGE_IMAGES: dict[str, tuple[str, ...]] = {
    "/": ("/img/hero-home.png", "/img/screenshot-dashboard.png"),
    "/features": ("/img/screenshot-dashboard.png", "/img/diagram-pipeline.png"),
    "/pricing": ("/img/pricing-plans.png",),
    "/about": ("/img/team.png",),
    "/product/dashboards": ("/img/screenshot-dashboard.png",),
    "/product/campaigns": ("/img/campaign-report.png",),
    "/docs/importing-logs": ("/img/diagram-pipeline.png",),
}
PAGE_IMAGES.update({f"/blog/{slug}": (f"/img/blog/{slug}.png",) for slug in BLOG_SLUGS})
SHARED_ASSETS = ("/static/app.css", "/static/app.js", "/img/logo.png")  # on every page

SEARCH_TERMS = (
    "import+nginx+logs",
    "utm",
    "bots",
    "docker",
    "retention",
    "api+token",
    "tracker+snippet",
    "geoip",
    "export+csv",
    "campaign",
)

# (method, request target, status) probed by vulnerability scanners; no human asks for these.
SCANNER_PROBE_TABLE: tuple[tuple[str, str, int], ...] = (
    ("GET", "/.env", 403),
    ("GET", "/.env.production", 403),
    ("GET", "/api/.env", 403),
    ("GET", "/.git/config", 403),
    ("GET", "/.git/HEAD", 403),
    ("GET", "/.aws/credentials", 403),
    ("GET", "/.vscode/sftp.json", 403),
    ("GET", "/.DS_Store", 403),
    ("GET", "/wp-login.php", 404),
    ("GET", "/wp-admin/setup-config.php", 404),
    ("GET", "/wordpress/wp-admin/setup-config.php", 404),
    ("POST", "/xmlrpc.php", 404),
    ("GET", "/wp-content/plugins/wp-file-manager/readme.txt", 404),
    ("GET", "/phpmyadmin/", 404),
    ("GET", "/pma/index.php", 404),
    ("GET", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", 404),
    ("POST", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php", 404),
    ("GET", "/info.php", 404),
    ("GET", "/phpinfo.php", 404),
    ("GET", "/config.json", 404),
    ("GET", "/backup.zip", 404),
    ("GET", "/server-status", 404),
    ("GET", "/actuator/env", 404),
    ("GET", "/_ignition/execute-solution", 404),
    ("GET", "/owa/auth/logon.aspx", 404),
    ("GET", "/cgi-bin/luci/;stok=/locale", 404),
    ("POST", "/boaform/admin/formLogin", 404),
    ("GET", "/HNAP1/", 404),
    ("GET", "/solr/admin/info/system?wt=json", 404),
    ("GET", "/index.php?s=/Index/\\think\\app/invokefunction&function=phpinfo", 404),
    ("GET", "/cgi-bin/.%2e/.%2e/.%2e/.%2e/bin/sh", 400),
)
SCANNER_PROBES: tuple[str, ...] = tuple(p for _, p, _ in SCANNER_PROBE_TABLE)
