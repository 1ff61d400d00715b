"""The format is told from the content; a malformed or foreign credential gets a clear error."""

from __future__ import annotations

from typing import Any

import pytest

from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.digital.detect import DocumentKind, kind_of, looks_like_jwt


def test_each_kind_is_recognised(
    edc: dict[str, Any], signed_edc: dict[str, Any], ob3: dict[str, Any]
) -> None:
    assert kind_of(edc, "x") is DocumentKind.EDC
    assert kind_of(signed_edc, "x") is DocumentKind.JWS_JSON
    assert kind_of(ob3, "x") is DocumentKind.OB3
    assert kind_of({"title": "ours", "awarding_body": "A"}, "x") is DocumentKind.OWN
    assert kind_of([{"title": "a list of ours"}], "x") is DocumentKind.OWN


def test_a_compact_jwt_is_told_from_text() -> None:
    assert looks_like_jwt("eyJhbGciOiJFUzI1NiJ9.eyJ2YyI6e319.c2ln\n")
    assert not looks_like_jwt("title: a.b.c")
    assert not looks_like_jwt("abc.def.ghi")  # three parts, but no JOSE header


def test_an_edc_with_a_wrong_context_is_refused(edc: dict[str, Any]) -> None:
    edc["@context"] = ["https://www.w3.org/2018/credentials/v1", "https://example.org/ctx"]
    with pytest.raises(InvalidInput, match="wrong @context.*EDC"):
        kind_of(edc, "x")


def test_an_edc_without_the_credentials_context_is_refused(edc: dict[str, Any]) -> None:
    edc["@context"] = ["http://data.europa.eu/snb/model/context/edc-ap"]
    with pytest.raises(InvalidInput, match="wrong @context.*W3C credentials"):
        kind_of(edc, "x")


def test_an_ob3_typed_credential_without_its_context_is_refused(ob3: dict[str, Any]) -> None:
    ob3["@context"] = ["https://www.w3.org/ns/credentials/v2"]
    with pytest.raises(InvalidInput, match="wrong @context.*Open Badges"):
        kind_of(ob3, "x")


@pytest.mark.parametrize("context", [42, [None], []])
def test_malformed_json_ld_is_refused(edc: dict[str, Any], context: Any) -> None:
    edc["@context"] = context
    with pytest.raises(InvalidInput, match="malformed JSON-LD"):
        kind_of(edc, "x")


def test_a_foreign_verifiable_credential_is_unsupported() -> None:
    degree = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "type": ["VerifiableCredential", "UniversityDegreeCredential"],
        "credentialSubject": {"degree": {"type": "BachelorDegree"}},
    }
    with pytest.raises(InvalidInput, match="unsupported credential type.*UniversityDegree"):
        kind_of(degree, "x")
