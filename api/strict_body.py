"""JSON request bodies are read as their schema types them: no silent coercion at the boundary.

FastAPI validates a body in pydantic's lax Python mode, where ``0`` is taken as ``false`` and
``"6"`` as ``6``; the OpenAPI document says boolean and integer. Each route that takes a JSON
body also depends on ``strict_json(Model)``, which validates the raw body in strict JSON mode
(where a date or an enum is still read from its string) and answers the same 422 field errors.
JSON's ``4.0`` is the integer 4 (JSON Schema agrees), so that one coercion is let through.
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter, ValidationError


def read_strictly(adapter: TypeAdapter[Any], raw: bytes | str) -> Any:
    """Return the body validated as its schema says; raise its field errors (422) if not.

    Malformed JSON is left to the caller: the ``ValidationError`` is raised as it is.
    """
    try:
        return adapter.validate_json(raw, strict=True)
    except ValidationError as error:
        if any(item["type"] == "json_invalid" for item in error.errors()):
            raise
        errors = [item for item in error.errors() if not _integral_float(item)]
        if errors:
            raise field_errors(errors) from error
    return adapter.validate_json(raw)  # only whole numbers written as floats: read them


def field_errors(errors: list[Any]) -> RequestValidationError:
    """The field errors of a body, as FastAPI gives them: where and what, never the input."""
    return RequestValidationError(
        [
            {"loc": ("body", *item["loc"]), "msg": item["msg"], "type": item["type"]}
            for item in errors
        ]
    )


def strict_json(model: Any) -> Any:
    """A dependency that refuses a body that only lax validation would admit as ``model``."""
    adapter: TypeAdapter[Any] = TypeAdapter(model)

    async def check(request: Request) -> None:
        try:
            read_strictly(adapter, await request.body())
        except ValidationError:
            return  # malformed JSON: FastAPI answers it itself (400)

    return Depends(check)


def _integral_float(item: Any) -> bool:
    """Whether a strict error is only a whole number written as a float (4.0 for 4)."""
    value = item.get("input")
    return item["type"] == "int_type" and isinstance(value, float) and value.is_integer()
