"""The web application: routes, static files and the error -> status mapping, in one place."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from footfall.errors import FootfallError, QueryError, StorageError
from footfall.web import api, collect, imports, pages, tracker
from footfall.web.guard import Forbidden, NotAuthenticated, WebContext

#: Error class -> HTTP status; anything else is a bug (500).
STATUS = ((QueryError, 400), (StorageError, 503), (FootfallError, 400))


def create_app(ctx: WebContext) -> FastAPI:
    app = FastAPI(
        title="Footfall", docs_url=None, redoc_url=None, openapi_url="/api/v1/openapi.json"
    )
    app.state.ctx = ctx
    app.include_router(api.router)
    app.include_router(imports.router)
    app.include_router(collect.router)
    app.include_router(tracker.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(pages.STATIC)), name="static")

    @app.exception_handler(FootfallError)
    async def footfall_error(request: Request, err: FootfallError) -> Response:
        status = next(code for cls, code in STATUS if isinstance(err, cls))
        return JSONResponse({"error": str(err)}, status_code=status)

    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, err: NotAuthenticated) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "log in or send an API token"}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, err: Forbidden) -> Response:
        return JSONResponse({"error": str(err) or "forbidden"}, status_code=403)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        response.headers.setdefault("x-content-type-options", "nosniff")
        response.headers.setdefault("x-frame-options", "DENY")
        response.headers.setdefault("referrer-policy", "same-origin")
        response.headers.setdefault(
            "content-security-policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'",
        )
        return response

    return app
