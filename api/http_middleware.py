"""The base of the service's ASGI middlewares: each acts on the HTTP requests it handles, and
lets everything else (other requests, the lifespan events) through to the app untouched."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

BODILESS_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})


class HttpMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def handles(self, scope: Scope) -> bool:
        """Whether ``handle`` answers this HTTP request (by default: every one)."""
        return True

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.handles(scope):
            await self.handle(scope, receive, send)
        else:
            await self.app(scope, receive, send)
