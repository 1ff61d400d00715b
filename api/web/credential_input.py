"""Credentials from what the new-case page sends: uploaded files, or the EU 2022 form, both read
by the engine's one reader (``read_credentials``), as the CLI and the API read them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from starlette.datastructures import FormData, UploadFile

from recognition_engine.config import Settings
from recognition_engine.domain import CredentialFormat, MicroCredential
from recognition_engine.ingestion import read_credentials
from recognition_engine.ingestion.credentials import DEFAULT_MAX_BYTES
from recognition_engine.ingestion.strict_text import DEFAULT_MAX_DEPTH


def credentials_from_file(
    name: str,
    content: bytes,
    *,
    language: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> list[MicroCredential]:
    """Return the credential(s) in one uploaded file: the engine's YAML/JSON (one or a list),
    or a digital credential (Europass EDC, Open Badges 3.0)."""
    return read_credentials(
        content, name, language=language, max_bytes=max_bytes, max_depth=max_depth
    )


def uploads_in(form: FormData) -> list[UploadFile]:
    """The files chosen in the form's ``credentials`` input (none chosen: an empty list)."""
    chosen = form.getlist("credentials")
    return [item for item in chosen if isinstance(item, UploadFile) and item.filename]


async def credentials_from_uploads(
    uploads: list[UploadFile],
    settings: Settings,
    language: str | None,
    too_large: Callable[[UploadFile], Exception],
) -> list[MicroCredential]:
    """Return the credentials in the uploaded files, in order; a file over ``max_file_bytes``
    raises ``too_large(upload)``, read no further than one byte past the limit."""
    credentials: list[MicroCredential] = []
    for upload in uploads:
        content = await upload.read(settings.max_file_bytes + 1)
        if len(content) > settings.max_file_bytes:
            raise too_large(upload)
        credentials += credentials_from_file(
            upload.filename or "", content, language=language, max_depth=settings.max_nesting_depth
        )
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
            if qa_type
            else None
        ),
    }
    [credential] = read_credentials(data, "the form", written_as=CredentialFormat.FORM)
    return credential
