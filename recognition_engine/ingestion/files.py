"""Files → validated domain objects: programmes, and micro-credentials (read by the one
credential reader, ``ingestion.credentials``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from recognition_engine.domain import MicroCredential, Programme
from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.credentials import (
    DEFAULT_MAX_BYTES,
    parse_document,
    read_credentials,
)
from recognition_engine.ingestion.strict_text import decode_text
from recognition_engine.ingestion.validation import describe_validation_error, validate

__all__ = [
    "describe_validation_error",
    "load_credentials",
    "load_programme",
    "parse_document",
    "read_document",
    "read_jsonl",
    "read_text",
    "validate",
]


def read_text(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Return the UTF-8 text of a file, refusing missing, huge, empty or binary files."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    size = path.stat().st_size
    if size > max_bytes:
        raise InvalidInput(f"{path}: {size:,} bytes is over the limit of {max_bytes:,} bytes")
    if size == 0:
        raise InvalidInput(f"{path}: the file is empty")
    return decode_text(path.read_bytes(), str(path))


def read_document(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """Return the parsed content of a JSON or YAML file, refusing missing, huge or bad files."""
    return parse_document(read_text(path, max_bytes=max_bytes), path)


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


def load_programme(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Programme:
    """Return the programme described by a JSON or YAML file."""
    return validate(Programme, read_document(path, max_bytes=max_bytes), str(path))


def load_credentials(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, language: str | None = None
) -> list[MicroCredential]:
    """Return the micro-credential(s) in a file, whatever its format, as ``read_credentials``
    reads them.

    The engine's format holds one mapping or a list of them; a digital credential (an EDC, an
    OB3 credential, a JWS envelope or a compact JWT) holds one. ``language`` is the evaluator's
    language, in which a multilingual digital credential's texts are read where it has them.
    """
    return read_credentials(
        read_text(path, max_bytes=max_bytes), str(path), language=language, max_bytes=max_bytes
    )
