"""The one place that turns errors into RFC 9457 ``application/problem+json`` responses.

The engine raises typed ``RecognitionError``s; the API raises ``ApiProblem`` for what only HTTP
knows (keys, roles, limits); FastAPI and Starlette raise their own for malformed requests and
unknown routes. Every one of them leaves here as a problem document:
``{type, title, status, detail, instance}``, plus ``errors`` for field errors.
Request bodies are never echoed back nor logged: they may carry a learner's identity. An
unexpected error is logged as its type, its route, a request id and its stack, never its
message (which may quote the body).
"""

from __future__ import annotations

import logging
import re
import secrets
import traceback
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Message, Receive, Scope, Send

from api.http_middleware import HttpMiddleware
from recognition_engine.errors import (
    AwardRefused,
    IndexUnavailable,
    InvalidInput,
    ModelUnavailable,
    NotFound,
    RecognitionError,
    StackingRefused,
    UnknownFramework,
)

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "urn:recognition-engine:problem:"  # an absolute URI that names no server



class Conflict(InvalidInput):
    """A request the schema admits that what is stored refuses: a module the programme version
    does not have, ECTS over the cap, a credential counted twice."""

    title = "Conflicts with what is stored"


# Engine errors → (status, type slug), first match wins. A request the schema admits but the
# stored state refuses is a 409, so that the OpenAPI document stays the whole contract of 422.
ENGINE_ERRORS: dict[type[RecognitionError], tuple[int, str]] = {
    Conflict: (409, "conflict"),
    AwardRefused: (409, "conflict"),
    StackingRefused: (409, "stacking-refused"),
    # a level in a framework the service holds no table for: its reference data, not the schema
    UnknownFramework: (409, "unknown-framework"),
    InvalidInput: (422, "invalid-input"),
    NotFound: (404, "not-found"),
    IndexUnavailable: (503, "index-unavailable"),
    ModelUnavailable: (503, "model-unavailable"),
}


class FieldError(BaseModel):
    loc: list[str | int] = Field(description="Where the error is, e.g. ['body', 'workload'].")
    msg: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(description="A URI that identifies the kind of problem.")
    title: str = Field(description="A short summary of the kind of problem.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong this time.")
    instance: str = Field(description="The path of the request that failed.")
    errors: list[FieldError] | None = Field(None, description="Field errors (status 422 only).")


class ApiProblem(Exception):
    """An error only the HTTP layer knows about (keys, roles, limits, unknown ids)."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.slug, self.title, self.detail = status, slug, title, detail
        self.headers = headers or {}


def not_found(kind: str, identifier: str) -> NotFound:
    return NotFound(f"no {kind} with id {identifier!r}")


def already_exists(kind: str, identifier: str, hint: str) -> ApiProblem:
    return ApiProblem(
        409, "already-exists", "Already exists", f"{kind} {identifier!r} exists; {hint}"
    )


def problem_response(
    instance: str,
    status: int,
    slug: str,
    title: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> JSONResponse:
    """Return the problem document as a response (also used by the body-size middleware)."""
    body: dict[str, Any] = {
        "type": TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def _field_errors(error: RequestValidationError) -> list[dict[str, Any]]:
    # Only where, what and which kind: never the input, which may hold personal data.
    return [
        {
            "loc": list(item.get("loc", ())),
            "msg": str(item.get("msg", "")),
            "type": item.get("type"),
        }
        for item in error.errors()
    ]


def engine_problem(error: RecognitionError) -> dict[str, Any]:
    """The problem document of an engine error, without instance (for batch results)."""
    status, slug = _engine_status(error)
    return {"type": TYPE_BASE + slug, "title": error.title, "status": status, "detail": str(error)}


def _engine_status(error: RecognitionError) -> tuple[int, str]:
    for kind, mapped in ENGINE_ERRORS.items():
        if isinstance(error, kind):
            return mapped
    return 500, "engine-error"


async def _on_validation(request: Request, error: RequestValidationError) -> JSONResponse:
    errors = _field_errors(error)
    if any(item["type"] == "json_invalid" for item in errors):
        return problem_response(
            request.url.path, 400, "malformed-json", "Malformed JSON",
            "the request body is not valid JSON", errors=errors,
        )
    return problem_response(
        request.url.path, 422, "validation-error", "Invalid request",
        f"{len(errors)} field error(s) in the request", errors=errors,
    )


async def _on_api_problem(request: Request, error: ApiProblem) -> JSONResponse:
    return problem_response(
        request.url.path, error.status, error.slug, error.title, error.detail, headers=error.headers
    )


async def _on_engine_error(request: Request, error: RecognitionError) -> JSONResponse:
    status, slug = _engine_status(error)
    if status >= 500:  # its type, never its message (see log_unexpected)
        log_unexpected(request.scope, error)
    return problem_response(request.url.path, status, slug, error.title, str(error))


async def _on_http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    titles = {404: "Not found", 405: "Method not allowed"}
    slug = {404: "not-found", 405: "method-not-allowed"}.get(error.status_code, "http-error")
    headers = dict(error.headers or {})
    if error.status_code == 405:
        # each route holds one method, so Starlette's Allow names one: name them all
        headers["Allow"] = ", ".join(allowed_methods(request)) or headers.get("Allow", "")
    return problem_response(
        request.url.path, error.status_code, slug,
        titles.get(error.status_code, "HTTP error"), str(error.detail), headers=headers,
    )


def allowed_methods(request: Request) -> list[str]:
    """Every method the OpenAPI document gives the request's path (HEAD with GET)."""
    methods: set[str] = set()
    for template, operations in request.app.openapi().get("paths", {}).items():
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, request.url.path):
            methods |= {method.upper() for method in operations}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


async def _on_unexpected(request: Request, error: Exception) -> JSONResponse:
    # Reached only by an error in the middleware below (``UnexpectedErrors`` catches the rest).
    return internal_error(request.scope, error)


def internal_error(scope: Scope, error: BaseException) -> JSONResponse:
    """Log an unexpected error safely and return its 500 problem document."""
    request_id = log_unexpected(scope, error)
    return problem_response(
        scope.get("path", ""), 500, "internal-error", "Internal server error",
        f"the server failed to answer; the error has been logged as request {request_id}",
        headers={"X-Request-ID": request_id},
    )


def log_unexpected(scope: Scope, error: BaseException) -> str:
    """Log an error's type, the route, a fresh request id and where in the code it happened;
    return the id.

    Never the error's message, nor its causes: a parser's or a validator's message quotes the
    input it refused (``input_value='...'``), and a database's quotes its parameters, any of
    which may hold a learner's name. The stack (files, lines, code) holds no data.
    """
    request_id = secrets.token_hex(8)
    route = getattr(scope.get("route"), "path", None) or "(no route)"
    logger.error(
        "unexpected %s on %s %s (request %s)\n%s",
        type(error).__name__, scope.get("method", "-"), route, request_id, code_stack(error),
    )
    return request_id


def code_stack(error: BaseException) -> str:
    """Where an error was raised: files, lines and code, without its message or its causes."""
    return "".join(traceback.format_tb(error.__traceback__)).rstrip()


class UnexpectedErrors(HttpMiddleware):
    """The outermost middleware: an exception that nothing else answered becomes a logged 500
    here, and goes no further. Starlette would re-raise it to the server, whose log line carries
    the exception's message, and with it the tail of the request body."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def send_started(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, send_started)
        except Exception as error:  # noqa: BLE001 - the last line of defence, by design
            response = internal_error(scope, error)
            if not started:  # else the client sees the answer cut short, as it must
                await response(scope, receive, send)


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(ApiProblem, _on_api_problem)
    app.add_exception_handler(RecognitionError, _on_engine_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entries for the problems a route can answer."""
    descriptions = {
        400: "Malformed JSON: not UTF-8, not JSON, a lone surrogate, or nested too deeply",
        409: "Already exists, or refused by what is stored (a programme version, the cap)",
        401: "Missing or unknown API key",
        403: "The key's role may not do this",
        404: "Unknown id",
        413: "Request body too large",
        415: "Unsupported media type",
        422: "Invalid request: field errors, with where each is",
        429: "Too many requests for this key (see Retry-After)",
        503: "Index or model unavailable",
    }
    return {
        status: {
            "model": Problem,
            "description": descriptions[status],
            "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
        for status in statuses
    }
