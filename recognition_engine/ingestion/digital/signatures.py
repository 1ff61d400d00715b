"""Offline signature checks: a JWS in JSON serialisation (a JAdES-signed EDC) and a compact JWS
(an Open Badges 3.0 ``vc+jwt``), with ``joserfc``.

The key comes from the signature itself: the certificate in ``x5c``, a ``jwk`` header, or a
``did:jwk`` key id. A key that is only referenced (an https URL, ``did:web``) needs the network,
so such a signature is "not verifiable offline". A certificate is read with ``cryptography`` but
never checked against a trust list (the EU trust lists are online): the result says so.

joserfc implements RFC 7797 (``b64: false``, the unencoded payload of JAdES), so the signing
input is ``ASCII(protected) || '.' || payload`` exactly as the signer computed it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwk import Key, import_key
from joserfc.registry import HeaderParameter

from recognition_engine.domain import SignatureStatus
from recognition_engine.errors import InvalidInput

# fmt: off
ASYMMETRIC = (
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA",
)
# fmt: on
# JAdES (ETSI TS 119 182-1) header parameters that may be listed in "crit". sigD (detached
# content by reference) is absent on purpose: its signing input is not the payload at hand.
JADES_HEADERS = ("sigT", "sigX5ts", "srCms", "sigPl", "srAts", "adoTst", "sigPId", "x5t#o")
MAX_HEADER_BYTES = 64_000  # an x5c chain in the protected header


@dataclass(frozen=True)
class SignatureCheck:
    """The outcome of one signature check, said in one sentence."""

    status: SignatureStatus
    detail: str
    signer: str | None = None
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class FoundKey:
    """A verification key found in the signature, and what verifying with it shows."""

    key: Key
    signer: str | None
    meaning: str
    notes: tuple[str, ...] = ()


UNSIGNED = SignatureCheck(
    SignatureStatus.UNSIGNED,
    "The credential carries no signature: its content is not authenticated.",
)


def check_jws_json(
    envelope: dict[str, Any], source: str, max_bytes: int
) -> tuple[bytes, SignatureCheck]:
    """Return the signed payload of a JWS in JSON serialisation and the check of its signatures."""
    payload = envelope.get("payload")
    if not isinstance(payload, str):
        raise InvalidInput(f"{source}: malformed JWS: 'payload' must be a string")
    members = envelope.get("signatures") if "signatures" in envelope else [envelope]
    if not isinstance(members, list) or not members:
        raise InvalidInput(f"{source}: malformed JWS: 'signatures' must be a non-empty list")
    checks = []
    for member in members:
        if not isinstance(member, dict) or not isinstance(member.get("signature"), str):
            raise InvalidInput(f"{source}: malformed JWS: a signature without 'signature'")
        protected = _decode_header(member.get("protected"), source)
        flattened = {"payload": payload, "signature": member["signature"]}
        flattened |= {k: member[k] for k in ("protected", "header") if k in member}
        checks.append(_check(flattened, protected, max_bytes))
    # the payload is the signed bytes: unencoded (b64: false) or base64url
    unencoded = all(_decode_header(m.get("protected"), source).get("b64") is False for m in members)
    return (payload.encode() if unencoded else _b64url(payload, source)), _worst(checks)


def check_compact_jws(token: str, source: str, max_bytes: int) -> tuple[bytes, SignatureCheck]:
    """Return the payload of a compact JWS (a JWT) and the check of its signature."""
    parts = token.split(".")
    if len(parts) != 3:
        raise InvalidInput(f"{source}: not a JWT: expected three dot-separated parts")
    header = _decode_header(parts[0], source)
    if header.get("b64") is False:
        raise InvalidInput(f"{source}: a compact JWT with an unencoded payload is not supported")
    payload = _b64url(parts[1], source)
    if str(header.get("alg", "")).lower() == "none":
        return payload, SignatureCheck(
            SignatureStatus.UNSIGNED, "The JWT is unsecured (alg 'none'): nothing was signed."
        )
    return payload, _check(token, header, max_bytes)


def _check(
    jws_value: dict[str, Any] | str, header: dict[str, Any], max_bytes: int
) -> SignatureCheck:
    alg = str(header.get("alg", ""))
    if alg.startswith("HS"):
        return SignatureCheck(
            SignatureStatus.NOT_VERIFIABLE_OFFLINE,
            f"Signed with a shared secret ({alg}), which only the issuer holds: not checked.",
        )
    if alg not in ASYMMETRIC:
        return SignatureCheck(
            SignatureStatus.NOT_VERIFIABLE_OFFLINE,
            f"Signed with algorithm {alg or '(none named)'!r}, which the engine cannot check.",
        )
    if "sigD" in header:
        return SignatureCheck(
            SignatureStatus.NOT_VERIFIABLE_OFFLINE,
            "The signature covers detached content by reference (JAdES sigD): not checked.",
        )
    found = _key_of(header)
    if isinstance(found, SignatureCheck):
        return found
    try:
        if isinstance(jws_value, str):
            jws.deserialize_compact(jws_value, found.key, registry=_registry(max_bytes))
        else:
            jws.deserialize_json(jws_value, found.key, registry=_registry(max_bytes))  # type: ignore[arg-type]
    except BadSignatureError:
        return SignatureCheck(
            SignatureStatus.INVALID,
            f"The {alg} signature does not match the signed content: the credential was changed "
            "after signing, or the signature is corrupt.",
            found.signer,
        )
    except JoseError as error:
        return SignatureCheck(
            SignatureStatus.INVALID,
            f"The signature does not follow JWS ({error.error}): it cannot be valid.",
            found.signer,
        )
    return SignatureCheck(
        SignatureStatus.VERIFIED,
        f"The {alg} signature is valid: {found.meaning}",
        found.signer,
        found.notes,
    )


def _key_of(header: dict[str, Any]) -> FoundKey | SignatureCheck:
    """Return the key the signature carries, or the check that says why there is none."""
    if header.get("x5c"):
        return _certificate_key(header)
    if isinstance(header.get("jwk"), dict):
        key = _import_jwk(header["jwk"])
        if key is None:
            return _bad_key("the 'jwk' in the header is not a usable public key")
        return FoundKey(
            key,
            _text(header.get("kid")),
            "the content is unchanged since it was signed with the key the credential carries "
            "in its header; nothing offline ties that key to the issuer.",
        )
    kid = header.get("kid")
    if isinstance(kid, str) and kid.startswith("did:jwk:"):
        try:
            jwk = json.loads(_b64url(kid[8:].split("#", 1)[0], "kid"))
        except (InvalidInput, ValueError):
            return _bad_key("the did:jwk key id does not hold a JSON key")
        key = _import_jwk(jwk) if isinstance(jwk, dict) else None
        if key is None:
            return _bad_key("the did:jwk key id does not hold a usable public key")
        return FoundKey(
            key,
            kid.split("#", 1)[0][:120],
            "the content is unchanged since it was signed with the key named by its did:jwk key "
            "id; nothing offline ties that key to the issuer.",
        )
    where = f"by {kid!r}" if isinstance(kid, str) else "elsewhere (no kid, jwk or x5c)"
    return SignatureCheck(
        SignatureStatus.NOT_VERIFIABLE_OFFLINE,
        f"Signed, but the key is referenced {where[:200]} and fetching it needs the network: "
        "the signature was not checked.",
    )


def _certificate_key(header: dict[str, Any]) -> FoundKey | SignatureCheck:
    chain = header["x5c"]
    if not isinstance(chain, list) or not isinstance(chain[0], str):
        return _bad_key("'x5c' is not a list of certificates")
    try:
        der = base64.b64decode(chain[0], validate=True)
        certificate = x509.load_der_x509_certificate(der)
    except (binascii.Error, ValueError):
        return _bad_key("the signing certificate in 'x5c' cannot be read")
    thumbprint = header.get("x5t#S256")
    if thumbprint is not None and thumbprint != _b64url_encode(hashlib.sha256(der).digest()):
        return _bad_key("the certificate in 'x5c' is not the one 'x5t#S256' names")
    key = _public_key(certificate.public_key())
    if key is None:
        return _bad_key("the certificate's key type is not one JWS signs with")
    subject = certificate.subject.rfc4514_string()
    issuer = certificate.issuer.rfc4514_string()
    notes = [f"Signing certificate: {subject}; issued by {issuer}."]
    signed_at = _instant(header.get("sigT"))
    if signed_at is not None:
        valid = certificate.not_valid_before_utc <= signed_at <= certificate.not_valid_after_utc
        notes.append(
            f"The certificate was {'' if valid else 'NOT '}within its validity period "
            f"({certificate.not_valid_before_utc:%Y-%m-%d} to "
            f"{certificate.not_valid_after_utc:%Y-%m-%d}) at the signing time {signed_at:%Y-%m-%d}."
        )
    return FoundKey(
        key,
        subject,
        "the content is unchanged since it was signed with the key of the certificate in x5c; "
        "the certificate was not checked against an EU trust list, which cannot be reached "
        "offline.",
        tuple(notes),
    )


def _public_key(public: Any) -> Key | None:
    kinds = {
        rsa.RSAPublicKey: "RSA",
        ec.EllipticCurvePublicKey: "EC",
        ed25519.Ed25519PublicKey: "OKP",
        ed448.Ed448PublicKey: "OKP",
    }
    for kind, key_type in kinds.items():
        if isinstance(public, kind):
            pem = public.public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            return import_key(pem, key_type)  # type: ignore[arg-type]
    return None


def _import_jwk(jwk: dict[str, Any]) -> Key | None:
    public = {k: v for k, v in jwk.items() if k not in {"d", "p", "q", "dp", "dq", "qi", "k"}}
    try:
        return import_key(public)
    except (JoseError, ValueError, TypeError, KeyError):
        return None


def _registry(max_bytes: int) -> jws.JWSRegistry:
    registry = jws.JWSRegistry(
        header_registry={name: HeaderParameter(f"JAdES {name}", _any) for name in JADES_HEADERS},
        algorithms=list(ASYMMETRIC),
        strict_check_header=False,  # JAdES adds unprotected headers (etsiU) of its own
    )
    registry.max_header_length = MAX_HEADER_BYTES
    registry.max_payload_length = max_bytes
    return registry


def _any(value: Any) -> None:
    """JAdES values are not interpreted here; they only need to be understood as present."""


def _worst(checks: list[SignatureCheck]) -> SignatureCheck:
    order = [
        SignatureStatus.INVALID,
        SignatureStatus.NOT_VERIFIABLE_OFFLINE,
        SignatureStatus.UNSIGNED,
        SignatureStatus.VERIFIED,
    ]
    return min(checks, key=lambda check: order.index(check.status))


def _bad_key(why: str) -> SignatureCheck:
    return SignatureCheck(SignatureStatus.INVALID, f"The signature cannot be valid: {why}.")


def _decode_header(segment: Any, source: str) -> dict[str, Any]:
    if segment is None:
        return {}
    if not isinstance(segment, str):
        raise InvalidInput(f"{source}: malformed JWS: the protected header must be a string")
    try:
        header = json.loads(_b64url(segment, source))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise InvalidInput(f"{source}: malformed JWS: the header is not JSON") from error
    if not isinstance(header, dict):
        raise InvalidInput(f"{source}: malformed JWS: the header is not a JSON object")
    return header


def _b64url(segment: str, source: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as error:
        raise InvalidInput(f"{source}: malformed JWS: a part is not base64url") from error


def _b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _instant(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        instant = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return instant if instant.tzinfo else instant.replace(tzinfo=dt.UTC)


def _text(value: Any) -> str | None:
    return value[:200] if isinstance(value, str) else None
