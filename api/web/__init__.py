"""The evaluator's workbench: server-rendered pages (Jinja2 + htmx) over the same services,
database and roles as the JSON API."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from api.database import Database
from api.http_middleware import HttpMiddleware
from api.web import auth, cases, catalogue, patterns, screenings
from api.web.i18n import TemplateSet
from api.web.pages import Workbench, install_page_handlers
from api.web.session import SessionLifetime, SessionStore
from recognition_engine.config import Settings

STATIC = Path(__file__).parent / "static"
# What the pages own of the URL space; the API's key gate lets these through to the session.
PAGE_PREFIXES = (
    "/static/", "/login", "/logout", "/lang", "/cases", "/programmes", "/screenings", "/patterns",
)

# Scripts and styles only from this site: an outcome text that holds markup stays text.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def install_workbench(app: FastAPI, settings: Settings, database: Database) -> None:
    """Mount the pages, their static files and their error pages on ``app``."""
    lifetime = SessionLifetime(
        idle=dt.timedelta(minutes=settings.web_session_idle_minutes),
        absolute=dt.timedelta(hours=settings.web_session_max_hours),
    )
    app.state.workbench = Workbench(
        templates=TemplateSet(), sessions=SessionStore(database, lifetime)
    )
    install_page_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (auth, cases, catalogue, screenings, patterns):
        app.include_router(module.router)
    app.add_middleware(PageHeaders)


class PageHeaders(HttpMiddleware):
    """Security headers on the HTML pages (the JSON API and its docs keep their own)."""

    def handles(self, scope: Scope) -> bool:
        return not _is_api(scope["path"])

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: dict) -> None:  # type: ignore[type-arg]
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _is_api(path: str) -> bool:
    return path.startswith(("/v1/", "/docs", "/redoc", "/openapi.json", "/health", "/ready"))
