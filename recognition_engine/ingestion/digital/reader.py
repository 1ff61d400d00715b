"""A digital credential → a MicroCredential with its provenance and EU 2022 element report.

The steps: tell the format from the content; unwrap a signature and check it; refuse a type
that is not a micro-credential or learning achievement; validate against the shipped schema;
map the fields; state validity, revocation and the elements found and missing. The learner's
name, e-mail, birth date and identifiers are never copied: only whether they were there.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from recognition_engine.domain import (
    CredentialFormat,
    MicroCredential,
    Provenance,
    SignatureStatus,
)
from recognition_engine.errors import InvalidInput, MalformedDocument, NestedTooDeep
from recognition_engine.ingestion.digital import edc, ob3
from recognition_engine.ingestion.digital.detect import DocumentKind, kind_of
from recognition_engine.ingestion.digital.reading import Reading, instant
from recognition_engine.ingestion.digital.schemas import validate_edc, validate_ob3
from recognition_engine.ingestion.digital.signatures import (
    UNSIGNED,
    SignatureCheck,
    check_compact_jws,
    check_jws_json,
)
from recognition_engine.ingestion.elements import eu_element_report
from recognition_engine.ingestion.strict_text import DEFAULT_MAX_DEPTH, load_json
from recognition_engine.ingestion.validation import validate

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 5_000_000

Check = Callable[[dict[str, Any], str], None]
Read = Callable[[dict[str, Any], str | None], Reading]
READERS: dict[DocumentKind, tuple[str, Check, Check, Read]] = {
    DocumentKind.EDC: ("Europass EDC", edc.check_supported, validate_edc, edc.read_edc),
    DocumentKind.OB3: (
        "Open Badges 3.0 credential",
        ob3.check_supported,
        validate_ob3,
        ob3.read_ob3,
    ),
}


def is_digital_credential(document: Any, source: str) -> bool:
    """Return whether a parsed document is a digital credential rather than the engine's format.

    A verifiable credential of another kind, or one with a wrong @context, raises InvalidInput.
    """
    return kind_of(document, source) is not DocumentKind.OWN


def read_digital_credential(
    document: Any,
    source: str,
    *,
    language: str | None = None,
    now: dt.datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> MicroCredential:
    """Return the micro-credential in an EDC, an OB3 credential, a JWS envelope or a JWT.

    ``document`` is a parsed JSON object, or the text of a compact JWT. ``language`` is the
    evaluator's: texts are taken in it where the credential has it, else in its primary one.
    """
    now = now or dt.datetime.now(dt.UTC)
    jwt_claims: dict[str, Any] = {}
    if isinstance(document, str):
        payload, check = check_compact_jws(document.strip(), source, max_bytes)
        claims = _json_object(payload, source, "the JWT payload", max_depth)
        credential = _credential_of_jwt(claims, source)
        jwt_claims = claims if credential is not claims else {}
        signed_as = CredentialFormat.OB3_JWT
    else:
        kind = kind_of(document, source)
        if kind is DocumentKind.OWN:
            raise InvalidInput(f"{source}: not a digital credential (no @context, no VC type)")
        if kind is DocumentKind.JWS_JSON:
            payload, check = check_jws_json(document, source, max_bytes)
            credential = _json_object(payload, source, "the signed payload", max_depth)
        else:
            credential, check = document, UNSIGNED
        signed_as = None
    kind = kind_of(credential, source)
    if kind not in READERS:
        raise InvalidInput(f"{source}: the signed content is not an EDC or OB3 credential")
    label, check_supported, check_schema, read = READERS[kind]
    check_supported(credential, source)
    check_schema(credential, source)
    try:
        reading = read(credential, language)
    except (TypeError, AttributeError, KeyError, ValueError) as error:
        # The schemas leave room for shapes the mapper does not expect; say so, never a 500.
        raise InvalidInput(
            f"{source}: the {label} could not be read ({error.__class__.__name__})"
        ) from error
    if kind is DocumentKind.EDC:
        form = CredentialFormat.EDC
    else:
        form = signed_as or CredentialFormat.OB3_JSON
    if check is UNSIGNED and reading.proof:
        check = SignatureCheck(
            SignatureStatus.NOT_VERIFIABLE_OFFLINE,
            f"The credential carries an embedded proof ({reading.proof[:100]}) that needs JSON-LD "
            "canonicalisation with remote contexts: not checked offline.",
        )
    provenance = _provenance(form, check, reading, jwt_claims, now)
    fields = reading.fields | {"provenance": provenance}
    if isinstance(credential.get("id"), str) and len(credential["id"]) <= 200:
        fields["id"] = credential["id"]
    for name, what in (
        ("title", "title"),
        ("awarding_body", "awarding body"),
        ("date_of_issue", "date of issue"),
    ):
        if not fields.get(name):
            raise InvalidInput(f"{source}: the {label} states no {what}")
    result = validate(MicroCredential, fields, source)
    report = eu_element_report(result, learner_identified=reading.learner_identified)
    logger.info(
        "read %s: signature %s, %d element(s) missing",
        form.value,
        check.status.value,
        len(report.missing),
    )
    return result.model_copy(update={"eu_elements": report})


def _credential_of_jwt(claims: dict[str, Any], source: str) -> dict[str, Any]:
    """Return the credential in a JWT: its ``vc`` claim (VC 1.1) or the payload (VC 2.0)."""
    if isinstance(claims.get("vc"), dict):
        return claims["vc"]  # type: ignore[no-any-return]
    if "@context" in claims or "credentialSubject" in claims:
        return claims
    raise InvalidInput(
        f"{source}: the JWT is not a verifiable credential (no 'vc' claim, no credential in it)"
    )


def _provenance(
    form: CredentialFormat,
    check: SignatureCheck,
    reading: Reading,
    jwt_claims: dict[str, Any],
    now: dt.datetime,
) -> Provenance:
    valid_from = reading.valid_from or _epoch(jwt_claims.get("nbf"))
    valid_until = reading.valid_until or _epoch(jwt_claims.get("exp"))
    notes = list(check.notes) + reading.notes
    if valid_from is not None and valid_from > now:
        notes.append(f"Not valid before {valid_from:%Y-%m-%d}.")
    revocation = (
        "not checked: the credential names a status list, which cannot be reached offline"
        if reading.status_listed
        else "not checked: the credential names no status list"
    )
    return Provenance(
        format=form,
        signature=check.status,
        signature_detail=check.detail,
        signer=check.signer[:500] if check.signer else None,
        issuer=reading.issuer[:500] if reading.issuer else None,
        valid_from=valid_from,
        valid_until=valid_until,
        expired=None if valid_until is None else valid_until < now,
        revocation=revocation,
        notes=[note[:2000] for note in notes[:100]],
    )


def _json_object(payload: bytes, source: str, what: str, max_depth: int) -> dict[str, Any]:
    try:
        value = load_json(payload, source, max_depth=max_depth)
    except NestedTooDeep as error:
        raise NestedTooDeep(f"{source}: {what} is nested too deeply") from error
    except MalformedDocument as error:
        raise MalformedDocument(f"{source}: {what} is not JSON, or not UTF-8 text") from error
    if not isinstance(value, dict):
        raise InvalidInput(f"{source}: {what} is not a JSON object")
    return value


def _epoch(value: Any) -> dt.datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return instant(value) if isinstance(value, str) else None
    try:
        return dt.datetime.fromtimestamp(value, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None
