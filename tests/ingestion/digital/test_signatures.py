"""Signature checks: the JAdES-signed EDC and Open Badges JWTs made here with a generated key."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from joserfc.jwk import ECKey

from recognition_engine.domain import CredentialFormat, SignatureStatus
from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.digital import read_digital_credential
from tests.ingestion.digital.conftest import make_jwt, tamper_jwt


def status(document: Any) -> SignatureStatus:
    provenance = read_digital_credential(document, "test").provenance
    assert provenance is not None
    return provenance.signature


def protected_header(envelope: dict[str, Any]) -> dict[str, Any]:
    segment = envelope["signatures"][0]["protected"]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))  # type: ignore[no-any-return]


def set_protected_header(envelope: dict[str, Any], header: dict[str, Any]) -> None:
    encoded = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    envelope["signatures"][0]["protected"] = encoded


# --- the JAdES-signed EDC (JWS JSON serialisation, b64: false, certificate in x5c) ---------


def test_the_signed_edc_verifies(signed_edc: dict[str, Any]) -> None:
    provenance = read_digital_credential(signed_edc, "signed").provenance
    assert provenance is not None
    assert provenance.signature is SignatureStatus.VERIFIED
    assert provenance.format is CredentialFormat.EDC
    assert "not checked against an EU trust list" in provenance.signature_detail
    assert provenance.signer is not None and "VELOCERT OU" in provenance.signer


def test_changing_one_character_of_the_signed_payload_makes_it_invalid(
    signed_edc: dict[str, Any],
) -> None:
    assert status(signed_edc) is SignatureStatus.VERIFIED
    payload = signed_edc["payload"]
    at = payload.index('"en":"Title of your learning achievement"') + len('"en":"')
    signed_edc["payload"] = payload[:at] + "t" + payload[at + 1 :]  # "Title" → "title"
    assert status(signed_edc) is SignatureStatus.INVALID
    # the credential is still read, so the evaluator sees what was tampered with
    assert read_digital_credential(signed_edc, "x").title.startswith("title of your")


def test_a_changed_signature_is_invalid(signed_edc: dict[str, Any]) -> None:
    signature = signed_edc["signatures"][0]["signature"]
    signed_edc["signatures"][0]["signature"] = ("A" if signature[0] != "A" else "B") + signature[1:]
    assert status(signed_edc) is SignatureStatus.INVALID


def test_without_the_certificate_the_signature_is_not_verifiable_offline(
    signed_edc: dict[str, Any],
) -> None:
    header = protected_header(signed_edc)
    del header["x5c"]
    set_protected_header(signed_edc, header)
    assert status(signed_edc) is SignatureStatus.NOT_VERIFIABLE_OFFLINE


def test_a_certificate_other_than_the_one_the_header_names_is_invalid(
    signed_edc: dict[str, Any],
) -> None:
    header = protected_header(signed_edc)
    header["x5t#S256"] = "A" * 43
    set_protected_header(signed_edc, header)
    assert status(signed_edc) is SignatureStatus.INVALID


def test_a_malformed_envelope_is_a_clear_error(signed_edc: dict[str, Any]) -> None:
    signed_edc["signatures"] = "nope"
    with pytest.raises(InvalidInput, match="malformed JWS"):
        read_digital_credential(signed_edc, "signed")


# --- Open Badges 3.0 as a compact JWT --------------------------------------------------------


def vc_jwt_claims(ob3: dict[str, Any]) -> dict[str, Any]:
    """VC-JWT claims (VC data model 1.1 style) around the OB3 example."""
    return {
        "iss": ob3["issuer"]["id"],
        "jti": ob3["id"],
        "sub": ob3["credentialSubject"]["id"],
        "nbf": 1768201459,
        "exp": 1798761599,
        "vc": ob3,
    }


def test_a_signed_jwt_verifies_and_maps(ob3: dict[str, Any], signing_key: ECKey) -> None:
    token = make_jwt(vc_jwt_claims(ob3), signing_key)
    credential = read_digital_credential(token, "jwt")
    assert credential.title == "Data Science Fundamentals"
    assert credential.provenance is not None
    assert credential.provenance.format is CredentialFormat.OB3_JWT
    assert credential.provenance.signature is SignatureStatus.VERIFIED
    assert "nothing offline ties that key to the issuer" in credential.provenance.signature_detail


def test_a_tampered_jwt_is_invalid(ob3: dict[str, Any], signing_key: ECKey) -> None:
    token = make_jwt(vc_jwt_claims(ob3), signing_key)
    changed = vc_jwt_claims(ob3)["vc"] | {"name": "Data Science Fundamentalz"}
    assert status(tamper_jwt(token, {"vc": changed})) is SignatureStatus.INVALID


def test_a_jwt_signed_by_another_key_is_invalid(ob3: dict[str, Any], signing_key: ECKey) -> None:
    other = ECKey.generate_key("P-256")
    token = make_jwt(vc_jwt_claims(ob3), other, jwk=signing_key.as_dict(private=False))
    assert status(token) is SignatureStatus.INVALID


def test_a_vc2_jwt_whose_payload_is_the_credential(ob3: dict[str, Any], signing_key: ECKey) -> None:
    assert status(make_jwt(ob3, signing_key)) is SignatureStatus.VERIFIED


def test_a_did_jwk_key_id_is_resolved_offline(ob3: dict[str, Any], signing_key: ECKey) -> None:
    did = (
        "did:jwk:"
        + base64.urlsafe_b64encode(json.dumps(signing_key.as_dict(private=False)).encode())
        .rstrip(b"=")
        .decode()
    )
    token = make_jwt(vc_jwt_claims(ob3), signing_key, jwk=None, kid=did + "#0")
    assert status(token) is SignatureStatus.VERIFIED


def test_a_key_only_referenced_is_not_verifiable_offline(
    ob3: dict[str, Any], signing_key: ECKey
) -> None:
    token = make_jwt(vc_jwt_claims(ob3), signing_key, jwk=None, kid="did:web:example.org#key-1")
    provenance = read_digital_credential(token, "jwt").provenance
    assert provenance is not None
    assert provenance.signature is SignatureStatus.NOT_VERIFIABLE_OFFLINE
    assert "needs the network" in provenance.signature_detail


def test_the_jwt_expiry_is_the_validity_when_the_credential_states_none(
    ob3: dict[str, Any], signing_key: ECKey
) -> None:
    claims = vc_jwt_claims(ob3)
    del claims["vc"]["validUntil"]
    provenance = read_digital_credential(make_jwt(claims, signing_key), "jwt").provenance
    assert provenance is not None and provenance.valid_until is not None
    assert provenance.valid_until.year == 2026


def test_an_unsecured_jwt_is_unsigned(ob3: dict[str, Any]) -> None:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    token = f"{part({'alg': 'none'})}.{part(vc_jwt_claims(ob3))}."
    assert status(token) is SignatureStatus.UNSIGNED


def test_a_jwt_that_is_not_a_credential_is_refused(signing_key: ECKey) -> None:
    token = make_jwt({"sub": "someone", "scope": "login"}, signing_key)
    with pytest.raises(InvalidInput, match="not a verifiable credential"):
        read_digital_credential(token, "jwt")


def test_a_garbled_jwt_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="not JSON|not a JWT|malformed"):
        read_digital_credential("eyJhbGciOiJFUzI1NiJ9.bm90IGpzb24.c2ln", "jwt")
