"""An ASGI middleware that refuses request bodies over ``api_max_body_bytes`` with a 413.

It trusts neither ``Content-Length`` nor its absence: the body is read (up to the limit) before
the app sees it, so a chunked upload cannot slip past.

The workbench's forms (``streamed_prefixes``) have a limit of their own and are not buffered
here: their bodies go on as they arrive, counted, and the read that would pass the limit (or the
first, when ``Content-Length`` already says so) raises ``BodyTooLarge`` in the page that reads
the form, which answers with its own 413 page. Either way no body is read whole past its limit.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http_middleware import BODILESS_METHODS, HttpMiddleware
from api.problems import problem_response


class BodyTooLarge(Exception):
    """A streamed request body past its limit, raised where the app reads it."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"the request body exceeds {max_bytes} bytes")
        self.max_bytes = max_bytes


class BodySizeLimit(HttpMiddleware):
    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        *,
        streamed_prefixes: tuple[str, ...] = (),
        streamed_max_bytes: int | None = None,
    ) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes
        self.streamed_prefixes = streamed_prefixes
        self.streamed_max_bytes = streamed_max_bytes or max_bytes

    def handles(self, scope: Scope) -> bool:
        return scope["method"] not in BODILESS_METHODS

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.streamed_prefixes and scope["path"].startswith(self.streamed_prefixes):
            await self.app(scope, counted(scope, receive, self.streamed_max_bytes), send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, replaying(b"".join(chunks), receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            scope["path"], 413, "body-too-large", "Request body too large",
            f"the request body exceeds {self.max_bytes} bytes",
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


def counted(scope: Scope, receive: Receive, max_bytes: int) -> Receive:
    """``receive``, raising ``BodyTooLarge`` at the read that passes ``max_bytes``."""
    declared = dict(scope["headers"]).get(b"content-length")
    too_large = declared is not None and declared.isdigit() and int(declared) > max_bytes
    size = 0

    async def receive_counted() -> Message:
        nonlocal size
        if too_large:  # said so: not one byte is read
            raise BodyTooLarge(max_bytes)
        message = await receive()
        size += len(message.get("body", b""))
        if size > max_bytes:
            raise BodyTooLarge(max_bytes)
        return message

    return receive_counted


def replaying(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the app the body already read, whole, then the server's own
    messages (a disconnect)."""
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
