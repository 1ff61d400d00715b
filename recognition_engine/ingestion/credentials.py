"""The one reader of credentials: bytes, text or a parsed document → validated micro-credentials.

Every surface goes through ``read_credentials``: the CLI's files, the API's request bodies, the
workbench's uploads and form, inline screenings and ``screen``'s JSON lines. A credential is the
engine's own format (YAML or JSON, one mapping or a list of them), a Europass EDC, or an Open
Badges 3.0 credential (JSON, a JWS envelope or a compact JWT), told apart by its content.

What only the engine may state is never taken from the file: ``provenance`` (its format and what
the engine could check of its signature) and ``eu_elements`` (the EU 2022 mandatory elements
found and missing) are the engine's reading, whatever the file says of itself. The engine's own
format is validated strictly, as its JSON Schema types it (no ``0`` for false, no ``"6"`` for 6),
whichever surface it came through, so that one file gives one credential everywhere.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath
from typing import Any

from pydantic import TypeAdapter, ValidationError

from recognition_engine.domain import (
    CredentialFormat,
    MicroCredential,
    Provenance,
    SignatureStatus,
)
from recognition_engine.errors import InvalidFields, InvalidInput
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

__all__ = [
    "DEFAULT_MAX_BYTES",
    "CredentialDocument",
    "Syntax",
    "parse_credentials",
    "parse_document",
    "read_credentials",
]

DEFAULT_MAX_BYTES = 5_000_000
JSON_SUFFIXES = {".json", ".jsonld", ".jwt"}
YAML_SUFFIXES = {".yaml", ".yml"}
ENGINE_STATED = ("provenance", "eu_elements")
"""What only the engine may state about a credential: dropped from whatever a sender writes."""

_CREDENTIAL = TypeAdapter(MicroCredential)


class Syntax(StrEnum):
    """What the caller knows of how a credential is written."""

    ANY = "any"  # a file: a compact JWT, or JSON or YAML by its name's suffix, else its content
    JSON = "json"  # JSON: the engine's format or a digital credential
    JSON_LD = "json-ld"  # JSON, and a digital credential only (EDC, OB3, a JWS envelope)
    JWT = "jwt"  # a compact JWT only


@dataclass(frozen=True)
class CredentialDocument:
    """A credential document parsed but not yet read: JSON or YAML content (a mapping or a
    list of them), or the text of a compact JWT (``written_as`` OB3_JWT)."""

    content: Any
    written_as: CredentialFormat


def parse_document(text: str, name: str | PurePath, *, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """Return parsed JSON (by ``name``'s suffix, or a text that starts as JSON does) or YAML,
    read strictly: nested at most ``max_depth``, no lone surrogate (``strict_text``)."""
    if _is_json(text, str(name)):
        return load_json(text, str(name), max_depth=max_depth)
    return load_yaml(text, str(name), max_depth=max_depth)


def parse_credentials(
    raw: bytes | str,
    source: str,
    *,
    syntax: Syntax = Syntax.ANY,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> CredentialDocument:
    """Return the parsed document in ``raw``, refusing huge, empty, non-UTF-8, malformed or
    too deeply nested text (``MalformedDocument``, ``NestedTooDeep``: both ``InvalidInput``).

    ``source`` names the input in every message (a file's path: its suffix says JSON or YAML).
    """
    size = len(raw.encode() if isinstance(raw, str) else raw)
    if size > max_bytes:
        raise InvalidInput(f"{source}: {size:,} bytes is over the limit of {max_bytes:,} bytes")
    text = decode_text(raw, source) if isinstance(raw, bytes) else raw
    if not text.strip():
        raise InvalidInput(f"{source}: empty, nothing to read")
    if syntax is Syntax.JWT or (syntax is Syntax.ANY and looks_like_jwt(text)):
        if not looks_like_jwt(text):
            raise InvalidInput(f"{source}: not a compact JWT (header.payload.signature)")
        return CredentialDocument(text.strip(), CredentialFormat.OB3_JWT)
    if syntax is Syntax.ANY:
        written_as = CredentialFormat.JSON if _is_json(text, source) else CredentialFormat.YAML
        return CredentialDocument(parse_document(text, source, max_depth=max_depth), written_as)
    return CredentialDocument(load_json(text, source, max_depth=max_depth), CredentialFormat.JSON)


def read_credentials(
    content: bytes | str | CredentialDocument | Mapping[str, Any] | list[Any],
    source: str,
    *,
    syntax: Syntax = Syntax.ANY,
    written_as: CredentialFormat = CredentialFormat.JSON,
    language: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> list[MicroCredential]:
    """Return the credential(s) in ``content``, each with the engine's own provenance and EU
    2022 element report; raise ``InvalidInput`` (``InvalidFields`` for the engine's format's
    field errors) naming ``source`` and, in a list, the credential's position.

    ``content`` is raw bytes or text (parsed by ``parse_credentials``), a parsed document, or a
    mapping or list already parsed from JSON (``written_as`` says how: JSON, or FORM for the
    workbench's form). ``language`` is the evaluator's, in which a multilingual digital
    credential's texts are read where it has them.
    """
    if isinstance(content, bytes | str):
        document = parse_credentials(
            content, source, syntax=syntax, max_bytes=max_bytes, max_depth=max_depth
        )
    elif isinstance(content, CredentialDocument):
        document = content
    else:
        document = CredentialDocument(content, written_as)

    def digital(content: Any, where: str) -> MicroCredential:
        return read_digital_credential(
            content, where, language=language, max_bytes=max_bytes, max_depth=max_depth
        )

    if document.written_as is CredentialFormat.OB3_JWT:
        return [digital(document.content, source)]
    records = document.content if isinstance(document.content, list) else [document.content]
    if not records:
        raise InvalidInput(f"{source}: the file holds no credential")
    credentials = []
    for number, record in enumerate(records, start=1):
        where = source if len(records) == 1 else f"{source} (credential {number})"
        if is_digital_credential(record, where):
            credentials.append(digital(record, where))
        elif syntax is Syntax.JSON_LD:
            raise InvalidInput(
                f"{where}: JSON-LD that is neither a Europass EDC nor an Open Badges 3.0 credential"
            )
        else:
            credentials.append(_own_format(record, where, document.written_as))
    return credentials


def _own_format(record: Any, source: str, written_as: CredentialFormat) -> MicroCredential:
    """Return a credential in the engine's own format, validated strictly, with the engine's
    provenance and element report in place of any the record states about itself."""
    if not isinstance(record, Mapping):
        raise InvalidInput(f"{source}: expected a mapping of fields, got {type(record).__name__}")
    claimed = [key for key in ENGINE_STATED if record.get(key) is not None]
    # validated as sent, claims and all (a malformed claim is an error, as its schema says),
    # then the claims are replaced by the engine's reading
    credential = _validate_strictly(record, source)
    notes = []
    if claimed:
        notes.append(
            f"The file stated its own {' and '.join(claimed)}: not believed; these are the "
            "engine's reading."
        )
    provenance = Provenance(
        format=written_as,
        signature=SignatureStatus.UNSIGNED,
        signature_detail="The engine's own format carries no signature: it is as trustworthy "
        "as whoever wrote it.",
        revocation="not checked: the format has no status list",
        notes=notes,
    )
    return credential.model_copy(
        update={"provenance": provenance, "eu_elements": eu_element_report(credential)}
    )


def _validate_strictly(record: Mapping[str, Any], source: str) -> MicroCredential:
    """Return the record as a MicroCredential, validated as its JSON Schema types it.

    The record goes through JSON (a YAML date as its ISO text) and pydantic's strict JSON mode,
    where a date or an enumerated value is still read from its string. JSON's ``4.0`` is the
    integer 4 (JSON Schema agrees): that one coercion is let through.
    """
    try:
        text = json.dumps(record, default=_iso_date, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise InvalidInput(f"{source}: a value that JSON cannot hold ({error})") from error
    try:
        return _CREDENTIAL.validate_json(text, strict=True)
    except ValidationError as error:
        problems = [item for item in error.errors() if not _integral_float(item)]
        if problems:
            raise InvalidFields(source, problems) from error
    return _CREDENTIAL.validate_json(text)  # only whole numbers written as floats: read them


def _iso_date(value: Any) -> str:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"a {type(value).__name__}")


def _integral_float(item: Any) -> bool:
    value = item.get("input")
    return item["type"] == "int_type" and isinstance(value, float) and value.is_integer()


def _is_json(text: str, name: str) -> bool:
    suffix = PurePath(name).suffix.lower()
    return suffix in JSON_SUFFIXES or (
        suffix not in YAML_SUFFIXES and text.lstrip()[:1] in {"{", "["}
    )
