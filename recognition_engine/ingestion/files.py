"""Files → validated domain objects: programmes and micro-credentials in JSON or YAML."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from recognition_engine.domain import MicroCredential, Programme
from recognition_engine.errors import InvalidInput

DEFAULT_MAX_BYTES = 5_000_000
Model = TypeVar("Model", bound=BaseModel)


def read_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """Return the parsed content of a JSON or YAML file, refusing missing, huge or bad files."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    size = path.stat().st_size
    if size > max_bytes:
        raise InvalidInput(f"{path}: {size:,} bytes is over the limit of {max_bytes:,} bytes")
    if size == 0:
        raise InvalidInput(f"{path}: the file is empty")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{path}: not UTF-8 text ({error.reason})") from error
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{path}: malformed JSON at line {error.lineno}: {error.msg}") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InvalidInput(f"{path}: malformed YAML{where}: {error}") from error


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line number, object) for each non-empty line of a JSON-lines file.

    A missing file, a line that is not JSON or not an object raises InvalidInput naming the
    file and the line.
    """
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise InvalidInput(f"{path}:{number}: not JSON ({error.msg})") from error
            if not isinstance(record, dict):
                raise InvalidInput(f"{path}:{number}: expected a JSON object")
            yield number, record


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
    problems = []
    for item in error.errors()[:limit]:
        where = ".".join(str(part) for part in item["loc"]) or "record"
        problems.append(f"{where}: {item['msg']}")
    more = error.error_count() - limit
    if more > 0:
        problems.append(f"and {more} more")
    return "; ".join(problems)


def load_programme(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Programme:
    """Return the programme described by a JSON or YAML file."""
    return validate(Programme, read_document(path, max_bytes=max_bytes), str(path))


def load_credentials(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[MicroCredential]:
    """Return the micro-credential(s) in a file: one mapping, or a list of them."""
    data = read_document(path, max_bytes=max_bytes)
    records = data if isinstance(data, list) else [data]
    if not records:
        raise InvalidInput(f"{path}: the file holds no credential")
    return [
        validate(MicroCredential, record, f"{path} (credential {i + 1})")
        for i, record in enumerate(records)
    ]
