"""The public website: `create_app` builds the FastAPI application from validated settings."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from frontend.dependencies import Database
from frontend.errors import ChartNotFound, InvalidChartKey, InvalidFilter
from frontend.i18n import LANGUAGE_COOKIE, LANGUAGE_PARAMETER, LANGUAGES, load_translations
from frontend.pages import router
from frontend.rendering import PageRenderer, page_context
from shared.blobs import BlobStore, LocalBlobStore
from shared.settings import Settings

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600
HEALTH_PATH = "/healthz"


def content_security_policy(charts_base_url: str | None) -> str:
    """Allow only this site's own resources, plus images from the chart CDN when there is one."""
    image_sources = "'self'"
    if charts_base_url:
        parts = urlsplit(charts_base_url)
        image_sources += f" {parts.scheme}://{parts.netloc}"
    return (
        "default-src 'self'; "
        f"img-src {image_sources}; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


def _add_response_headers(app: FastAPI, policy: str) -> None:
    """Set the security headers on every response and remember a `?lang=` choice in a cookie."""

    @app.middleware("http")
    async def response_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = policy
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["X-Frame-Options"] = "DENY"

        requested = request.query_params.get(LANGUAGE_PARAMETER)
        if requested in LANGUAGES and request.cookies.get(LANGUAGE_COOKIE) != requested:
            response.set_cookie(
                LANGUAGE_COOKIE,
                requested,
                max_age=LANGUAGE_COOKIE_MAX_AGE,
                httponly=True,
                samesite="lax",
                secure=request.url.scheme == "https",
            )
        return response


def _error_page(request: Request, status_code: int, error: dict[str, str]) -> Response:
    renderer: PageRenderer = request.app.state.renderer
    page = page_context(request)
    return renderer.render("error.html", page, {"error": error}, status_code=status_code)


def _add_error_handlers(app: FastAPI) -> None:
    """Map each expected error to its HTTP response, a page in the visitor's language.

    No other code builds error responses. `/healthz` gets JSON instead of a page.
    """

    @app.exception_handler(InvalidFilter)
    async def invalid_filter(request: Request, exc: InvalidFilter) -> Response:
        logger.info("invalid dashboard filter", extra={"parameter": exc.parameter})
        error = {"kind": "invalid_filter", "parameter": exc.parameter, "value": exc.value}
        return _error_page(request, 400, error)

    @app.exception_handler(InvalidChartKey)
    async def invalid_chart_key(request: Request, exc: InvalidChartKey) -> Response:
        logger.info("chart key rejected", extra={"error": str(exc)})
        return _error_page(request, 400, {"kind": "invalid_chart_key"})

    @app.exception_handler(ChartNotFound)
    async def chart_not_found(request: Request, exc: ChartNotFound) -> Response:
        logger.info("chart not found", extra={"error": str(exc)})
        return _error_page(request, 404, {"kind": "chart_not_found"})

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        kind = "not_found" if exc.status_code == 404 else "http_error"
        response = _error_page(request, exc.status_code, {"kind": kind})
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(OperationalError)
    async def database_unavailable(request: Request, exc: OperationalError) -> Response:
        logger.error("database query failed", extra={"path": request.url.path}, exc_info=exc)
        if request.url.path == HEALTH_PATH:
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return _error_page(request, 503, {"kind": "database_unavailable"})


def create_app(
    settings: Settings, *, engine: Engine | None = None, blobs: BlobStore | None = None
) -> FastAPI:
    """Build the site; the engine is created on the first request unless `engine` is given.

    Without `blobs`, charts are read from `settings.blob_dir`, except when a bucket is
    configured: then images come from `settings.charts_base_url` and `/graphiques/` returns 404.
    """
    if blobs is None and not settings.blob_bucket:
        blobs = LocalBlobStore(settings.blob_dir)
    database = Database(settings.effective_database_url, engine)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        database.dispose()

    app = FastAPI(
        title="Datastats",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.blobs = blobs
    app.state.renderer = PageRenderer(load_translations())

    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _add_response_headers(app, content_security_policy(settings.charts_base_url))
    _add_error_handlers(app)
    return app
