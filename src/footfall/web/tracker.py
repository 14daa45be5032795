"""The tracker scripts and the snippet a site pastes into its pages."""

from __future__ import annotations

import html
from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import Response

from footfall.web.guard import Public, ViewSite

router = APIRouter()
SCRIPTS = {"footfall.js": "footfall.min.js", "footfall.timing.js": "footfall.timing.min.js"}
FILES = resources.files("footfall.web") / "tracker"


@router.get("/js/{name}")
def script(name: str, _: Public) -> Response:
    served = SCRIPTS.get(name)
    if served is None:
        return Response(status_code=404)
    body = (FILES / served).read_bytes()
    return Response(body, media_type="text/javascript",
                    headers={"cache-control": "public, max-age=3600"})  # fmt: skip


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
