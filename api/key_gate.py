"""An ASGI middleware that answers 401 to a request without a usable API key, before anything
else runs: no body is read or parsed, no database is queried.

A key that is well formed is checked against the database by the routes' dependency
(``api.security``). Only the public paths (liveness, the OpenAPI document) and the public
prefixes (pages that authenticate in their own way) pass without one.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from api.http_middleware import HttpMiddleware
from api.problems import problem_response
from api.security import KEY_HEADER, refuse_unusable_key


class ApiKeyGate(HttpMiddleware):
    def __init__(
        self, app: ASGIApp, public_paths: Iterable[str], public_prefixes: Iterable[str] = ()
    ) -> None:
        super().__init__(app)
        self.public_paths = frozenset(public_paths)
        # The workbench pages: they sign in with the key once and then carry a session cookie.
        self.public_prefixes = tuple(public_prefixes)

    def handles(self, scope: Scope) -> bool:
        path = scope["path"]
        return path not in self.public_paths and not path.startswith(self.public_prefixes)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        refused = refuse_unusable_key(Headers(scope=scope).get(KEY_HEADER))
        if refused is None:
            await self.app(scope, receive, send)
            return
        response = problem_response(
            scope["path"], refused.status, refused.slug, refused.title, refused.detail
        )
        await response(scope, receive, send)
