"""The Europass EDC example maps with its outcomes, workload, level, mode, body and languages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from recognition_engine.domain import (
    AssessmentType,
    CredentialFormat,
    EUElement,
    ParticipationForm,
    SignatureStatus,
)
from recognition_engine.errors import InvalidInput
from recognition_engine.ingestion.digital import read_digital_credential


def claim(document: dict[str, Any]) -> dict[str, Any]:
    return document["credentialSubject"]["hasClaim"]  # type: ignore[no-any-return]


def test_the_example_maps_every_element_it_states(edc: dict[str, Any]) -> None:
    credential = read_digital_credential(edc, "edc")
    assert credential.title == "Title of your learning achievement"
    assert credential.learning_outcomes == [
        "Example of learning outcome",
        "Example of learning second outcome",
    ]
    assert credential.workload is not None
    assert (credential.workload.ects, credential.workload.hours) == (5, 45)  # PT45H
    assert credential.eqf_level == 6
    assert credential.participation is ParticipationForm.ONLINE
    assert credential.awarding_body == "NETIS d.o.o."
    assert credential.country == "SI"  # …/country/SVN
    assert credential.date_of_issue == dt.date(2026, 1, 12)
    assert credential.assessment is AssessmentType.SUPERVISED_EXAM  # "Written Exam"
    assert credential.grade == "19"
    assert credential.language == "en"
    assert credential.id == "urn:credential:92cdd79b-fd53-4ad4-90e8-20db7e1b4675"


def test_every_language_of_a_label_map_is_kept(edc: dict[str, Any]) -> None:
    credential = read_digital_credential(edc, "edc")
    assert credential.translations is not None
    assert set(credential.translations.title) == {"en", "de"}
    assert credential.translations.learning_outcomes == [
        {"en": "Example of learning outcome"},
        {"en": "Example of learning second outcome"},
    ]


def test_the_evaluators_language_is_read_where_the_credential_has_it(
    edc: dict[str, Any],
) -> None:
    claim(edc)["title"]["de"] = "Titel Ihrer Lernleistung"
    assert read_digital_credential(edc, "edc", language="de").title == "Titel Ihrer Lernleistung"
    assert read_digital_credential(edc, "edc").title == "Title of your learning achievement"
    # outcomes only in English stay English
    german = read_digital_credential(edc, "edc", language="de")
    assert german.learning_outcomes[0] == "Example of learning outcome"


def test_esco_skills_are_kept(edc: dict[str, Any]) -> None:
    skills = read_digital_credential(edc, "edc").skills
    assert [s.label for s in skills] == [
        "Game theory",
        "Rear game",
        "Manage frustration",
        "Blow moulding machine parts",
    ]
    assert {s.framework for s in skills} == {"ESCO"}


def test_the_missing_quality_assurance_is_reported_not_invented(edc: dict[str, Any]) -> None:
    credential = read_digital_credential(edc, "edc")
    assert credential.quality_assurance is None
    assert credential.eu_elements is not None
    assert credential.eu_elements.missing == [EUElement.QUALITY_ASSURANCE]
    assert EUElement.LEARNER in credential.eu_elements.found  # named, though never kept


def test_an_accreditation_is_the_quality_assurance(edc: dict[str, Any]) -> None:
    claim(edc)["specifiedBy"]["accreditation"] = {
        "id": "urn:epass:accreditation:1",
        "type": "Accreditation",
        "accreditingAgent": {"legalName": {"en": "SQAA"}},
    }
    credential = read_digital_credential(edc, "edc")
    assert credential.quality_assurance is not None
    assert credential.quality_assurance.type == "external_accredited"
    assert credential.quality_assurance.body == "SQAA"


def test_a_national_level_without_a_known_framework_is_noted_not_guessed(
    edc: dict[str, Any],
) -> None:
    credential = read_digital_credential(edc, "edc")
    assert credential.nqf_level is None
    assert credential.provenance is not None
    assert any("MECU Level 7" in note for note in credential.provenance.notes)


def test_a_volume_in_days_is_not_turned_into_hours(edc: dict[str, Any]) -> None:
    claim(edc)["specifiedBy"]["volumeOfLearning"] = "P5D"
    del claim(edc)["specifiedBy"]["creditPoint"]
    credential = read_digital_credential(edc, "edc")
    assert credential.workload is None
    assert credential.eu_elements is not None
    assert EUElement.WORKLOAD in credential.eu_elements.missing
    assert credential.provenance is not None
    assert any("P5D" in note for note in credential.provenance.notes)


def test_unsigned_edc_says_so(edc: dict[str, Any]) -> None:
    provenance = read_digital_credential(edc, "edc").provenance
    assert provenance is not None
    assert provenance.format is CredentialFormat.EDC
    assert provenance.signature is SignatureStatus.UNSIGNED
    assert provenance.revocation.startswith("not checked")
    assert provenance.valid_until is None and provenance.expired is None


@pytest.mark.parametrize(
    ("claim_type", "why"),
    [("LearningEntitlement", "entitlement"), ("LearningActivity", "participation")],
)
def test_another_claim_type_is_unsupported(edc: dict[str, Any], claim_type: str, why: str) -> None:
    claim(edc)["type"] = claim_type
    with pytest.raises(InvalidInput, match=f"unsupported credential type.*{why}"):
        read_digital_credential(edc, "edc")


def test_a_diploma_profile_is_unsupported(edc: dict[str, Any]) -> None:
    edc["credentialProfiles"]["prefLabel"] = {"en": "Diploma Supplement"}
    with pytest.raises(InvalidInput, match="unsupported credential type.*diploma supplement"):
        read_digital_credential(edc, "edc")


def test_an_unknown_country_code_is_left_unstated(edc: dict[str, Any]) -> None:
    body = claim(edc)["awardedBy"]["awardingBody"]
    body["location"]["address"]["countryCode"]["id"] = "http://example.org/country/XYZ"
    credential = read_digital_credential(edc, "edc")
    assert credential.country is None
    assert credential.provenance is not None
    assert any("'XYZ'" in note for note in credential.provenance.notes)
