"""Credentials from what the new-case page sends: uploaded files, or the EU 2022 form."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from recognition_engine.domain import MicroCredential
from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.files import describe_validation_error
from recognition_engine.ingestion.files import parse_document as parse_text
from recognition_engine.ingestion.strict_text import DEFAULT_MAX_DEPTH, decode_text

try:  # Europass EDC and Open Badges 3.0, where the digital reader is installed
    from recognition_engine.ingestion.digital import (
        is_digital_credential,
        looks_like_jwt,
        read_digital_credential,
    )
except ImportError:  # pragma: no cover - the engine's own YAML/JSON only
    is_digital_credential = looks_like_jwt = read_digital_credential = None  # type: ignore[assignment]


def credentials_from_file(
    name: str,
    content: bytes,
    *,
    language: str | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> list[MicroCredential]:
    """Return the credential(s) in one uploaded file: the engine's YAML/JSON (one or a list),
    or a digital credential (Europass EDC, Open Badges 3.0) when the reader is there."""
    if not content.strip():
        raise InvalidInput(f"{name}: the file is empty")
    text = decode_text(content, name)
    if looks_like_jwt is not None and looks_like_jwt(text.strip()):
        return [
            read_digital_credential(text.strip(), name, language=language, max_depth=max_depth)
        ]
    document = parse_document(name, content, max_depth=max_depth)
    records = document if isinstance(document, list) else [document]
    if not records:
        raise InvalidInput(f"{name}: the file holds no credential")
    credentials = []
    for number, record in enumerate(records, start=1):
        if is_digital_credential is not None and is_digital_credential(record, name):
            credentials.append(
                read_digital_credential(record, name, language=language, max_depth=max_depth)
            )
        else:
            credentials.append(_validate(record, f"{name} (credential {number})"))
    return credentials


def credential_from_form(form: Mapping[str, Any]) -> MicroCredential:
    """Return the credential described by the form's EU 2022 elements."""
    outcomes = [line.strip() for line in str(form.get("learning_outcomes", "")).splitlines()]
    workload = {
        key: float(form[key]) for key in ("ects", "hours") if str(form.get(key, "")).strip()
    }
    qa_type = str(form.get("qa_type", "")).strip()
    data: dict[str, Any] = {
        "title": form.get("title", ""),
        "awarding_body": form.get("awarding_body", ""),
        "country": str(form.get("country", "")).strip() or None,
        "date_of_issue": form.get("date_of_issue") or None,
        "learning_outcomes": [line for line in outcomes if line],
        "workload": workload or None,
        "eqf_level": int(form["eqf_level"]) if str(form.get("eqf_level", "")).strip() else None,
        "assessment": str(form.get("assessment", "")).strip() or None,
        "participation": str(form.get("participation", "")).strip() or None,
        "quality_assurance": (
            {"type": qa_type, "body": str(form.get("qa_body", "")).strip() or None}
            if qa_type else None
        ),
    }
    return _validate(data, "the form")


def parse_document(name: str, content: bytes, *, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """Return the parsed JSON or YAML of an uploaded file, read by the engine's one reader:
    strict UTF-8, no lone surrogate, nested at most ``max_depth`` (never a RecursionError).

    Nothing here reads XML: a JSON-LD credential is JSON, and goes the same way.
    """
    return parse_text(decode_text(content, name), Path(name), max_depth=max_depth)


def _validate(data: Any, source: str) -> MicroCredential:
    if not isinstance(data, dict):
        raise InvalidInput(f"{source}: expected a mapping of fields")
    try:
        return MicroCredential.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(f"{source}: {describe_validation_error(error)}") from error
