"""Files → validated domain objects: programmes, and micro-credentials in the engine's JSON or
YAML or as digital credentials (Europass EDC, Open Badges 3.0 JSON or JWT), told apart by their
content."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from recognition_engine.domain import (
    CredentialFormat,
    MicroCredential,
    Programme,
    Provenance,
    SignatureStatus,
)
from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.digital import (
    is_digital_credential,
    looks_like_jwt,
    read_digital_credential,
)
from recognition_engine.ingestion.elements import eu_element_report
from recognition_engine.ingestion.strict_text import (
    DEFAULT_MAX_DEPTH,
    decode_text,
    load_json,
    load_yaml,
)
from recognition_engine.ingestion.validation import describe_validation_error, validate

__all__ = [
    "describe_validation_error",
    "load_credentials",
    "load_programme",
    "own_format_credential",
    "read_document",
    "read_jsonl",
    "read_text",
    "validate",
    "with_own_provenance",
    "without_checks",
]

DEFAULT_MAX_BYTES = 5_000_000
JSON_SUFFIXES = {".json", ".jsonld", ".jwt"}


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


def parse_document(text: str, path: Path, *, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """Return parsed JSON (by suffix, or a text that starts as JSON does) or YAML, read
    strictly: nested at most ``max_depth``, no lone surrogate (``strict_text``)."""
    is_json = path.suffix.lower() in JSON_SUFFIXES or (
        path.suffix.lower() not in {".yaml", ".yml"} and text.lstrip()[:1] in {"{", "["}
    )
    if is_json:
        return load_json(text, str(path), max_depth=max_depth)
    return load_yaml(text, str(path), max_depth=max_depth)


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
    """Return the micro-credential(s) in a file, whatever its format.

    The engine's format holds one mapping or a list of them; a digital credential (an EDC, an
    OB3 credential, a JWS envelope or a compact JWT) holds one. ``language`` is the evaluator's
    language, in which a multilingual digital credential's texts are read where it has them.
    """
    text = read_text(path, max_bytes=max_bytes)
    if looks_like_jwt(text):
        return [
            read_digital_credential(text, str(path), language=language, max_bytes=max_bytes)
        ]
    data = parse_document(text, path)
    records = data if isinstance(data, list) else [data]
    if not records:
        raise InvalidInput(f"{path}: the file holds no credential")
    form = CredentialFormat.JSON if text.lstrip()[:1] in {"{", "["} else CredentialFormat.YAML
    credentials = []
    for i, record in enumerate(records):
        source = str(path) if len(records) == 1 else f"{path} (credential {i + 1})"
        if is_digital_credential(record, source):
            credentials.append(
                read_digital_credential(record, source, language=language, max_bytes=max_bytes)
            )
        else:
            credentials.append(own_format_credential(record, source, form))
    return credentials


def own_format_credential(record: Any, source: str, form: CredentialFormat) -> MicroCredential:
    """Return a credential in the engine's own format, with its provenance and element report.

    A provenance the record states itself is replaced: only the engine says what it checked.
    """
    return with_own_provenance(validate(MicroCredential, without_checks(record), source), form)


def without_checks(record: Any) -> Any:
    """Return a submitted record without what only the engine may state about it."""
    if isinstance(record, dict):
        return {k: v for k, v in record.items() if k not in {"provenance", "eu_elements"}}
    return record


def with_own_provenance(credential: MicroCredential, form: CredentialFormat) -> MicroCredential:
    """Return the credential marked as read from the engine's own (unsigned) format."""
    provenance = Provenance(
        format=form,
        signature=SignatureStatus.UNSIGNED,
        signature_detail="The engine's own format carries no signature: it is as trustworthy "
        "as whoever wrote it.",
        revocation="not checked: the format has no status list",
    )
    return credential.model_copy(
        update={"provenance": provenance, "eu_elements": eu_element_report(credential)}
    )
