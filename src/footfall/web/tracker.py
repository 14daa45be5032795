"""The tracker scripts and the snippet a site pastes into its pages."""

from __future__ import annotations

import gzip
import hashlib
import html
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import Response

from footfall.web.guard import Public, ViewSite

router = APIRouter()
SCRIPTS = {"footfall.js": "footfall.min.js", "footfall.timing.js": "footfall.timing.min.js"}
FILES = resources.files("footfall.web") / "tracker"
#: Browsers keep a script an hour, then ask again with If-None-Match: 304 while unchanged.
CACHE_CONTROL = "public, max-age=3600"


@dataclass(frozen=True)
class Script:
    body: bytes
    gzipped: bytes
    etag: str


@lru_cache(maxsize=len(SCRIPTS))
def _script(served: str) -> Script:
    body = (FILES / served).read_bytes()
    etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
    return Script(body, gzip.compress(body, compresslevel=9, mtime=0), etag)


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header takes gzip (``gzip;q=0`` refuses it)."""
    for item in header.lower().split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            q = (
                params.strip().removeprefix("q=").strip()
                if params.strip().startswith("q=")
                else "1"
            )
            try:
                return float(q) > 0
            except ValueError:
                return False
    return False


def _matches(header: str, etag: str) -> bool:
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag in tags


@router.get("/js/{name}")
def script(name: str, request: Request, _: Public) -> Response:
    served = SCRIPTS.get(name)
    if served is None:
        return Response(status_code=404)
    found = _script(served)
    headers = {"cache-control": CACHE_CONTROL, "etag": found.etag, "vary": "Accept-Encoding"}
    if _matches(request.headers.get("if-none-match", ""), found.etag):
        return Response(status_code=304, headers=headers)
    if accepts_gzip(request.headers.get("accept-encoding", "")):
        headers["content-encoding"] = "gzip"
        return Response(found.gzipped, media_type="text/javascript", headers=headers)
    return Response(found.body, media_type="text/javascript", headers=headers)


def snippet(base_url: str, domain: str, timing: bool = False) -> str:
    """The HTML to paste before </head> of every page of the site."""
    base = base_url.rstrip("/")
    lines = [
        "<script>window.footfall = window.footfall || function () "
        "{ (window.footfall.q = window.footfall.q || []).push(arguments) }</script>",
        f'<script defer data-domain="{html.escape(domain)}" src="{html.escape(base)}/js/footfall.js"></script>',
    ]
    if timing:
        lines.append(f'<script defer src="{html.escape(base)}/js/footfall.timing.js"></script>')
    return "\n".join(lines)


@router.get("/api/v1/snippet")
def snippet_for_site(request: Request, access: ViewSite) -> dict[str, str]:
    """?site=NAME: the snippet for that site, pointing at this server."""
    site = str(access.site)
    return {"site": site, "snippet": snippet(str(request.base_url), site)}
