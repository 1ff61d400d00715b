"""An ASGI middleware that puts the key's ``RateLimit-*`` headers on every answer to a request
that named a valid key, success or problem alike; the route's key dependency
(``api.security``) leaves where the key stands in the request's state."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from api.http_middleware import HttpMiddleware


class RateLimitHeaders(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            limit = scope.get("state", {}).get("rate_limit")
            if message["type"] == "http.response.start" and limit is not None:
                headers = MutableHeaders(scope=message)
                for name, value in limit.headers().items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)
