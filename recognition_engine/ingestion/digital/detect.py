"""Tell a credential's format from its content: the engine's own YAML/JSON, a Europass EDC, an
Open Badges 3.0 credential, a JWS envelope in JSON, or a compact JWT."""

from __future__ import annotations

import base64
import binascii
import json
import re
from enum import StrEnum
from typing import Any

from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.digital.jsonld import as_list, types_of

VC_CONTEXTS = ("https://www.w3.org/2018/credentials/v1", "https://www.w3.org/ns/credentials/v2")
EDC_CONTEXT = "http://data.europa.eu/snb/model/context/"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context"
EDC_TYPES = {"EuropeanDigitalCredential"}
OB3_TYPES = {"OpenBadgeCredential", "AchievementCredential"}

_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


class DocumentKind(StrEnum):
    OWN = "own"  # the engine's micro-credential format (or something else to be validated as it)
    EDC = "edc"
    OB3 = "ob3"
    JWS_JSON = "jws-json"  # a signed payload, e.g. a JAdES-signed EDC


def looks_like_jwt(text: str) -> bool:
    """Return whether the text is one compact JWS whose header names an algorithm."""
    token = text.strip()
    if not _COMPACT_JWS.fullmatch(token):
        return False
    head = token.split(".", 1)[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))
    except (binascii.Error, ValueError):
        return False
    return isinstance(header, dict) and "alg" in header


def kind_of(document: Any, source: str) -> DocumentKind:
    """Return the kind of a parsed JSON/YAML document, refusing a malformed or foreign VC."""
    if not isinstance(document, dict):
        return DocumentKind.OWN
    if "payload" in document and ("signatures" in document or "signature" in document):
        return DocumentKind.JWS_JSON
    if "@context" not in document and not types_of(document) & {"VerifiableCredential"}:
        return DocumentKind.OWN
    contexts = _contexts(document, source)
    types = _types(document, source)
    if types & EDC_TYPES or any(c.startswith(EDC_CONTEXT) for c in contexts):
        _require(contexts, EDC_CONTEXT, "a Europass EDC", source)
        if not any(c in VC_CONTEXTS for c in contexts):
            raise InvalidInput(
                f"{source}: wrong @context: a Europass EDC needs the W3C credentials context "
                f"({' or '.join(VC_CONTEXTS)})"
            )
        return DocumentKind.EDC
    if types & OB3_TYPES or any(c.startswith(OB3_CONTEXT) for c in contexts):
        _require(contexts, OB3_CONTEXT, "an Open Badges 3.0 credential", source)
        return DocumentKind.OB3
    named = ", ".join(sorted(types)) or "none"
    raise InvalidInput(
        f"{source}: unsupported credential type ({named}): the engine reads Europass EDC and "
        "Open Badges 3.0 micro-credentials, and its own YAML/JSON format"
    )


def _contexts(document: dict[str, Any], source: str) -> list[str]:
    values = as_list(document.get("@context"))
    if not values or not all(isinstance(value, str | dict) for value in values):
        raise InvalidInput(
            f"{source}: malformed JSON-LD: @context must be a URI, an object or a list of them"
        )
    return [value for value in values if isinstance(value, str)]


def _types(document: dict[str, Any], source: str) -> set[str]:
    values = as_list(document.get("type"))
    if not all(isinstance(value, str) for value in values):
        raise InvalidInput(f"{source}: malformed JSON-LD: type must be a string or a list of them")
    return set(values)


def _require(contexts: list[str], prefix: str, what: str, source: str) -> None:
    if not any(context.startswith(prefix) for context in contexts):
        raise InvalidInput(f"{source}: wrong @context: {what} needs the context {prefix}…")
