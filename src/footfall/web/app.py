"""The web application: routes, static files and the error -> status mapping, in one place."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from footfall.errors import (
    FootfallError,
    LoginLocked,
    QueryError,
    QueryTooLarge,
    StorageError,
    TryLater,
)
from footfall.web import admin_api, api, collect, health, imports, pages, plan_api, tracker
from footfall.web.guard import BadRequestBody, Forbidden, NotAuthenticated, WebContext

#: Error class -> HTTP status; anything else is a bug (500).
STATUS = (
    (LoginLocked, 429),
    (TryLater, 503),
    (QueryTooLarge, 413),
    (QueryError, 400),
    (StorageError, 503),
    (FootfallError, 400),
)


def create_app(ctx: WebContext) -> FastAPI:
    app = FastAPI(
        title="Footfall", docs_url=None, redoc_url=None, openapi_url="/api/v1/openapi.json"
    )
    app.state.ctx = ctx
    app.include_router(api.router)
    app.include_router(plan_api.router)
    app.include_router(admin_api.router)
    app.include_router(imports.router)
    app.include_router(collect.router)
    app.include_router(tracker.router)
    app.include_router(pages.router)
    app.include_router(health.router)
    app.mount("/static", StaticFiles(directory=str(pages.STATIC)), name="static")

    @app.exception_handler(FootfallError)
    async def footfall_error(request: Request, err: FootfallError) -> Response:
        status = next(code for cls, code in STATUS if isinstance(err, cls))
        later = {"retry-after": str(err.retry_after)} if isinstance(err, TryLater) else None
        return JSONResponse({"error": str(err)}, status_code=status, headers=later)

    @app.exception_handler(NotAuthenticated)
    async def not_authenticated(request: Request, err: NotAuthenticated) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": "log in or send an API token"}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, err: Forbidden) -> Response:
        return JSONResponse({"error": str(err) or "forbidden"}, status_code=403)

    @app.exception_handler(BadRequestBody)
    async def bad_body(request: Request, err: BadRequestBody) -> Response:
        return JSONResponse({"error": str(err)}, status_code=err.status)

    @app.exception_handler(RequestValidationError)
    async def invalid_fields(request: Request, err: RequestValidationError) -> Response:
        """Names the fields and what is wrong, never the values sent (they may be secrets)."""
        problems = ["{}: {}".format(".".join(str(p) for p in e.get("loc", ())[1:]) or "body",
                                    e.get("msg", "invalid")) for e in err.errors()]  # fmt: skip
        return JSONResponse({"error": "; ".join(problems)[:500]}, status_code=400)

    app.add_middleware(BodyLimit, limit=MAX_REQUEST_BODY)
    app.add_middleware(SecurityHeaders)
    if ctx.collector is not None:
        app.add_middleware(collect.EventIntake, collector=ctx.collector)  # outermost
    return app


#: Largest request body any route but ``/api/event`` (which has its own) accepts.
MAX_REQUEST_BODY = 64 * 1024


class BodyLimit:
    """Refuses bodies over ``limit`` bytes with 413 before the app reads them: by
    Content-Length at once, and by counting for chunked uploads (nothing is spooled)."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:  # type: ignore[type-arg]
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            await _too_large(send, self.limit)
            return
        seen = 0
        answered = False

        async def counted() -> dict:  # type: ignore[type-arg]
            nonlocal seen, answered
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit and not answered:
                answered = True
                await _too_large(send, self.limit)
            return {"type": "http.disconnect"} if answered else message

        async def unless_answered(message: dict) -> None:  # type: ignore[type-arg]
            if not answered:
                await send(message)

        await self.app(scope, counted, unless_answered)


async def _too_large(send: Any, limit: int) -> None:
    body = b'{"error":"the request body is larger than %d KiB"}' % (limit // 1024)
    await send({"type": "http.response.start", "status": 413, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close")]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
     b"frame-ancestors 'none'"),
]  # fmt: skip


class SecurityHeaders:
    """Adds the security headers to every response.  A plain ASGI wrapper: Starlette's
    BaseHTTPMiddleware costs a task and a stream per request (measured: 4.2k -> 1.6k req/s)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:  # type: ignore[type-arg]
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict) -> None:  # type: ignore[type-arg]
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"],
                                      *(h for h in SECURITY_HEADERS if h[0] not in names)]  # fmt: skip
            await send(message)

        await self.app(scope, receive, with_headers)
