"""The Open Badges 3.0 example maps; credits without a unit give no workload."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from recognition_engine.domain import CredentialFormat, EUElement
from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.digital import read_digital_credential


def achievement(document: dict[str, Any]) -> dict[str, Any]:
    return document["credentialSubject"]["achievement"]  # type: ignore[no-any-return]


def test_the_example_maps(ob3: dict[str, Any]) -> None:
    credential = read_digital_credential(ob3, "ob3")
    assert credential.title == "Data Science Fundamentals"
    assert credential.awarding_body == "NETIS d.o.o."
    assert credential.date_of_issue == dt.date(2026, 1, 12)  # awardedDate
    assert credential.language == "en"
    assert credential.description is not None
    assert "fundamental data science concepts" in credential.description
    assert "Criteria: Complete all coursework" in credential.description
    assert credential.learning_outcomes == []  # OB3 has no outcome list: the text is matched
    assert [s.uri for s in credential.skills] == [
        "http://data.europa.eu/esco/skill/f10142ce-d522-49c3-9fd1-054fb63529d4",
        "http://data.europa.eu/esco/skill/81a2db2c-7e55-44d0-9cd9-74c25147d7cd",
    ]
    assert credential.provenance is not None
    assert credential.provenance.format is CredentialFormat.OB3_JSON
    assert credential.provenance.issuer == "NETIS d.o.o."


def test_credits_without_a_unit_leave_the_workload_unknown(ob3: dict[str, Any]) -> None:
    credential = read_digital_credential(ob3, "ob3")
    assert credential.workload is None
    assert credential.provenance is not None
    assert any("creditsAvailable is 5" in note for note in credential.provenance.notes)
    assert credential.eu_elements is not None
    assert EUElement.WORKLOAD in credential.eu_elements.missing


def test_credits_count_as_ects_when_the_credential_says_so(ob3: dict[str, Any]) -> None:
    achievement(ob3)["description"] += " Worth 5 ECTS."
    credential = read_digital_credential(ob3, "ob3")
    assert credential.workload is not None and credential.workload.ects == 5


def test_a_conflicting_ects_figure_is_not_used(ob3: dict[str, Any]) -> None:
    achievement(ob3)["description"] += " Worth 6 ECTS."
    assert read_digital_credential(ob3, "ob3").workload is None


def test_an_extension_unit_counts(ob3: dict[str, Any]) -> None:
    achievement(ob3)["creditUnit"] = "ECTS"
    credential = read_digital_credential(ob3, "ob3")
    assert credential.workload is not None and credential.workload.ects == 5


def test_elements_ob3_cannot_state_are_missing_not_invented(ob3: dict[str, Any]) -> None:
    credential = read_digital_credential(ob3, "ob3")
    assert credential.country is None
    assert credential.assessment is None and credential.participation is None
    assert credential.quality_assurance is None and credential.eqf_level is None
    assert credential.eu_elements is not None
    assert set(credential.eu_elements.missing) == {
        EUElement.COUNTRY,
        EUElement.LEARNING_OUTCOMES,
        EUElement.WORKLOAD,
        EUElement.LEVEL,
        EUElement.ASSESSMENT,
        EUElement.PARTICIPATION,
        EUElement.QUALITY_ASSURANCE,
    }


def test_an_eqf_alignment_and_an_issuer_address_are_read(ob3: dict[str, Any]) -> None:
    achievement(ob3)["alignment"].append(
        {
            "type": ["Alignment"],
            "targetName": "EQF level 5",
            "targetUrl": "http://data.europa.eu/snb/eqf/5",
        }
    )
    ob3["issuer"]["address"] = {"type": ["Address"], "addressCountryCode": "SI"}
    credential = read_digital_credential(ob3, "ob3")
    assert credential.eqf_level == 5
    assert credential.country == "SI"


def test_validity_is_stated_as_a_fact(ob3: dict[str, Any]) -> None:
    before = read_digital_credential(ob3, "ob3", now=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    after = read_digital_credential(ob3, "ob3", now=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    assert before.provenance is not None and after.provenance is not None
    assert before.provenance.valid_until == dt.datetime(2026, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
    assert before.provenance.expired is False
    assert after.provenance.expired is True


@pytest.mark.parametrize("kind", ["BachelorDegree", "Diploma", "License", "ext:Thing"])
def test_a_degree_or_other_type_is_unsupported(ob3: dict[str, Any], kind: str) -> None:
    achievement(ob3)["achievementType"] = kind
    with pytest.raises(InvalidInput, match="unsupported credential type"):
        read_digital_credential(ob3, "ob3")


def test_an_endorsement_is_unsupported(ob3: dict[str, Any]) -> None:
    ob3["type"] = ["VerifiableCredential", "EndorsementCredential"]
    with pytest.raises(InvalidInput, match="unsupported credential type"):
        read_digital_credential(ob3, "ob3")


def test_an_embedded_proof_cannot_be_checked_offline(ob3: dict[str, Any]) -> None:
    ob3["proof"] = [
        {
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "proofValue": "z3abc",
            "verificationMethod": "did:web:example.org#key-1",
            "proofPurpose": "assertionMethod",
            "created": "2026-01-12T07:04:19Z",
        }
    ]
    provenance = read_digital_credential(ob3, "ob3").provenance
    assert provenance is not None
    assert provenance.signature == "not_verifiable_offline"
    assert "eddsa-rdfc-2022" in provenance.signature_detail
