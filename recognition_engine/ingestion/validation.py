"""Parsed data → a validated domain model, or an InvalidInput that names each bad field."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from recognition_engine.errors import InvalidInput

Model = TypeVar("Model", bound=BaseModel)


def validate(model: type[Model], data: Any, source: str) -> Model:
    """Return ``data`` as ``model``, or raise InvalidInput naming each bad field."""
    if not isinstance(data, dict):
        raise InvalidInput(f"{source}: expected a mapping of fields, got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(f"{source}: {describe_validation_error(error)}") from error


def describe_validation_error(error: ValidationError, limit: int = 5) -> str:
    """Return a short, readable list of what is wrong with which field."""
    problems = [_problem(item, "record") for item in error.errors()[:limit]]
    more = error.error_count() - limit
    if more > 0:
        problems.append(f"and {more} more")
    return "; ".join(problems)


def first_problem(error: ValidationError, whole: str = "record") -> str:
    """Return the first thing wrong, as ``field.path: message`` (``whole`` names the place when
    it is the whole document or record)."""
    return _problem(error.errors()[0], whole)


def _problem(item: ErrorDetails, whole: str) -> str:
    where = ".".join(str(part) for part in item["loc"]) or whole
    return f"{where}: {item['msg']}"
