"""National policy in a recognition: the profile of the programme's country gives
national_policy findings citing its rules; a GE maximum marks a larger credential; the AM
three-part test blocks ECTS for a provider with no accredited programme."""

from __future__ import annotations

from pathlib import Path

import pytest

from recognition_engine.config import Settings
from recognition_engine.domain import Finding, ProposalStatus, RecognitionProposal, SourceKind
from recognition_engine.errors import InvalidInput
from recognition_engine.registry import ProviderRegistry, read_export, read_national_list
from recognition_engine.service import RecognitionEngine
from tests.conftest import make_credential, make_programme
from tests.registry.deqar_rows import write_institutions, write_reports

CORPORA = Path(__file__).resolve().parents[2] / "corpora"
EXAMPLES = CORPORA / "policies" / "ge-am.example.yaml"


def national(proposal: RecognitionProposal, kind: str) -> list[Finding]:
    return [f for f in proposal.findings if f.code.startswith(f"national_policy.{kind}")]


@pytest.fixture
def with_policy(settings: Settings) -> Settings:
    return settings.model_copy(update={"national_policy_file": EXAMPLES})


def test_without_a_policy_file_there_are_no_national_findings(settings: Settings) -> None:
    proposal = RecognitionEngine(settings).recognise([make_credential()], make_programme())
    assert not [f for f in proposal.findings if f.code.startswith("national_policy.")]


def test_a_georgian_maximum_of_10_ects_marks_a_12_ects_credential(with_policy: Settings) -> None:
    credential = make_credential(workload={"ects": 12})
    proposal = RecognitionEngine(with_policy).recognise([credential], make_programme())
    [said] = national(proposal, "microcredential_ects")
    assert said.code == "national_policy.microcredential_ects.outside"
    assert said.verdict == "substantial_difference"
    assert said.params["max_ects"] == 10 and said.params["basis"] == "example"
    assert "example value" in said.message
    assert said.source is not None and said.source.kind is SourceKind.NATIONAL_POLICY
    assert said.source.id == "GE:ge-microcredential-ects"
    assert "amendment (d)" in said.source.citation and "example" in said.source.citation
    assert proposal.status is ProposalStatus.REVIEW


def test_a_6_ects_credential_is_within_the_georgian_range(with_policy: Settings) -> None:
    proposal = RecognitionEngine(with_policy).recognise([make_credential()], make_programme())
    [said] = national(proposal, "microcredential_ects")
    assert said.code == "national_policy.microcredential_ects.within"
    [cap] = national(proposal, "cycle_cap_ects")
    assert cap.params == {"cap": 30, "level": 6, "programme_cap": 30, "basis": "example"}


def test_the_georgian_cap_for_the_cycle_lowers_the_programmes(with_policy: Settings) -> None:
    master = make_programme(
        eqf_level=7,
        nqf_level=7,
        cycle="second",
        recognition_policy={"max_microcredential_ects": 60},
    )
    proposal = RecognitionEngine(with_policy).recognise([make_credential()], master)
    assert proposal.ects_cap == 20  # the example profile's cap at EQF level 7


def test_the_armenian_test_blocks_ects_without_an_accredited_programme(
    with_policy: Settings,
) -> None:
    ProviderRegistry(with_policy.data_dir).import_national(
        read_national_list(CORPORA / "registries" / "am-anqa.example.yaml"), "am-anqa.yaml"
    )
    programme = make_programme(country="AM")
    without = make_credential(
        awarding_body="Yerevan Digital Skills Centre (illustrative)", country="AM"
    )
    proposal = RecognitionEngine(with_policy).recognise([without], programme)
    [said] = national(proposal, "degree_credit_conditions")
    assert said.code == "national_policy.degree_credit_conditions.failed"
    assert said.blocking and said.params["failed"] == ["accredited_programme"]
    assert said.source is not None and said.source.id == "AM:am-degree-credit-conditions"
    assert proposal.status is ProposalStatus.NONE and proposal.total_proposed_ects == 0

    accredited = make_credential(
        awarding_body="Yerevan Institute of Cybersecurity (illustrative)", country="AM"
    )
    passed = RecognitionEngine(with_policy).recognise([accredited], programme)
    [said] = national(passed, "degree_credit_conditions")
    assert said.code == "national_policy.degree_credit_conditions.met"
    assert passed.total_proposed_ects > 0


def test_the_armenian_test_wants_ects_awarded_not_hours(with_policy: Settings) -> None:
    ProviderRegistry(with_policy.data_dir).import_national(
        read_national_list(CORPORA / "registries" / "am-anqa.example.yaml"), "am-anqa.yaml"
    )
    credential = make_credential(
        awarding_body="Yerevan Institute of Cybersecurity (illustrative)",
        country="AM",
        workload={"hours": 150},
    )
    proposal = RecognitionEngine(with_policy).recognise([credential], make_programme(country="AM"))
    [said] = national(proposal, "degree_credit_conditions")
    assert said.params["failed"] == ["ects_awarded"]


def test_a_wrong_policy_file_stops_the_engine_at_start(settings: Settings, tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("- country: GE\n  name: x\n  rules:\n    - id: a\n      kind: nope\n")
    with pytest.raises(InvalidInput, match="line 5"):
        RecognitionEngine(settings.model_copy(update={"national_policy_file": path}))


def test_a_deqar_programme_report_is_an_accredited_programme(
    with_policy: Settings, tmp_path: Path
) -> None:
    institution = {
        "deqar_id": "DEQARINST9003",
        "name_primary": "Vanadzor Tech School (invented)",
        "country": "Armenia",
    }
    report = {
        "report_id": "77003",
        "report_type": "programme",
        "report_decision": "positive",
        "report_valid_from": "2024-01-01",
        "report_valid_to": "2029-12-31",
        "hei_deqar_id": "DEQARINST9003",
        "hei_name": "Vanadzor Tech School (invented)",
        "country": "Armenia",
        "programme_name": "Network Engineering (invented)",
    }
    ProviderRegistry(with_policy.data_dir).import_deqar(
        [
            read_export(write_institutions(tmp_path, [institution])),
            read_export(write_reports(tmp_path, [report])),
        ],
        None,
    )
    credential = make_credential(awarding_body="Vanadzor Tech School (invented)", country="AM")
    proposal = RecognitionEngine(with_policy).recognise([credential], make_programme(country="AM"))
    [said] = national(proposal, "degree_credit_conditions")
    assert said.code == "national_policy.degree_credit_conditions.met"
    assert "Network Engineering (invented)" in " ".join(said.evidence)
