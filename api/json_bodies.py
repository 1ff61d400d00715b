"""An ASGI middleware that lets a JSON request body in only as strict JSON text.

A JSON body (``application/json``, any ``+json`` type, or no type at all, which the API reads
as JSON) must be UTF-8, hold no lone UTF-16 surrogate (``"\\ud800"``) and nest at most
``max_nesting_depth`` levels; anything else is a 400 problem document before a route, a
validator or the database sees it. Python's parser would take the surrogate (a string that
cannot be stored, encoded or logged safely) and recurse once per level of nesting.
It sits inside the body size limit, so the body it reads is bounded.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from api.body_limit import BodyTooLarge, replaying
from api.http_middleware import BODILESS_METHODS, HttpMiddleware
from api.problems import problem_response
from recognition_engine.errors import InvalidInput, NestedTooDeep
from recognition_engine.ingestion.strict_text import check_json_text, decode_text

SOURCE = "the request body"


def is_json(scope: Scope) -> bool:
    """Whether the request's body is read as JSON (by its media type, or for want of one)."""
    declared = dict(scope["headers"]).get(b"content-type", b"")
    media_type = declared.split(b";", 1)[0].strip().lower()
    return media_type in {b"", b"application/json"} or media_type.endswith(b"+json")


class StrictJsonBodies(HttpMiddleware):
    def __init__(self, app: ASGIApp, max_depth: int) -> None:
        super().__init__(app)
        self.max_depth = max_depth

    def handles(self, scope: Scope) -> bool:
        return scope["method"] not in BODILESS_METHODS and is_json(scope)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        chunks: list[bytes] = []
        try:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    break
        except BodyTooLarge as error:  # a page's form limit, met here when it is sent as JSON
            response = problem_response(
                scope["path"],
                413,
                "body-too-large",
                "Request body too large",
                str(error),
                headers={"Connection": "close"},
            )
            await response(scope, receive, send)
            return
        body = b"".join(chunks)
        try:
            check_json_text(decode_text(body, SOURCE), SOURCE, max_depth=self.max_depth)
        except InvalidInput as error:
            slug, title = (
                ("nested-too-deep", "JSON nested too deeply")
                if isinstance(error, NestedTooDeep)
                else ("malformed-json", "Malformed JSON")
            )
            # the message names the rule broken, never the body's text
            response = problem_response(scope["path"], 400, slug, title, str(error))
            await response(scope, receive, send)
            return
        await self.app(scope, replaying(body, receive), send)
