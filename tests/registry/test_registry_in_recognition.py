"""A recognition checks the awarding body against the registers: before any import it says so;
after one, a listed provider passes citing its entry, an unlisted one sends the proposal to
review, and one whose QA had lapsed at issue too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from recognition_engine.config import Settings
from recognition_engine.domain import (
    Element,
    Finding,
    ProposalStatus,
    RecognitionProposal,
    SourceKind,
)
from recognition_engine.registry import ProviderRegistry, read_export
from recognition_engine.service import RecognitionEngine
from tests.conftest import make_credential, make_programme
from tests.registry.deqar_rows import write_institutions, write_reports

LISTED = "Kutaisi Polytechnic Institute (invented)"


def registry_findings(proposal: RecognitionProposal) -> list[Finding]:
    return [f for f in proposal.findings if f.code.startswith("qa.registry.")]


def quality_element(proposal: RecognitionProposal) -> Finding:
    [element] = [f for f in proposal.elements if f.element is Element.QUALITY_ASSURANCE]
    return element


@pytest.fixture
def imported(settings: Settings, tmp_path: Path) -> Settings:
    exports = [read_export(write_institutions(tmp_path)), read_export(write_reports(tmp_path))]
    ProviderRegistry(settings.data_dir).import_deqar(exports, dt.date(2026, 11, 30))
    return settings


def test_before_any_import_the_finding_says_no_register_was_checked(settings: Settings) -> None:
    proposal = RecognitionEngine(settings).recognise([make_credential()], make_programme())
    [said] = registry_findings(proposal)
    assert said.code == "qa.registry.not_configured"
    assert said.source is None
    assert proposal.status is ProposalStatus.PROPOSED  # a warning: nothing is held back
    # the element is what the credential declares, as before registers existed
    assert quality_element(proposal).code == "quality.accredited_by"


def test_a_listed_provider_is_registered_citing_its_report(imported: Settings) -> None:
    credential = make_credential(awarding_body=LISTED)
    proposal = RecognitionEngine(imported).recognise([credential], make_programme())
    [said] = registry_findings(proposal)
    assert said.code == "qa.registry.registered"
    assert said.verdict == "pass"
    assert said.source is not None and said.source.kind is SourceKind.REGISTRY
    assert said.source.id == "77001"
    assert "CC BY 4.0" in said.source.citation and "EQAR" in said.source.citation
    assert said.source.date == "2026-11-30"
    assert said.params["valid_until"] == "2028-02-28"
    assert proposal.status is ProposalStatus.PROPOSED
    assert quality_element(proposal) == said  # the register's word, not the declaration
    assert proposal.modules[0].elements[2] == said


def test_a_name_in_georgian_script_finds_the_provider(imported: Settings) -> None:
    credential = make_credential(awarding_body="ქუთაისის პოლიტექნიკური ინსტიტუტი")
    proposal = RecognitionEngine(imported).recognise([credential], make_programme())
    [said] = registry_findings(proposal)
    assert said.code == "qa.registry.registered"
    assert said.params["name_kind"] == "official"


def test_an_unlisted_provider_is_sent_to_review(imported: Settings) -> None:
    proposal = RecognitionEngine(imported).recognise([make_credential()], make_programme())
    [said] = registry_findings(proposal)
    assert said.code == "qa.registry.not_found"
    assert said.verdict == "substantial_difference" and not said.blocking
    assert proposal.modules  # proposed, but not as it stands:
    assert proposal.status is ProposalStatus.REVIEW
    assert "qa.registry.not_found" in [reason.code for reason in proposal.reason_codes]
    # declared "external, accredited": the register decides the element all the same
    assert quality_element(proposal).code == "qa.registry.not_found"


def test_a_provider_whose_qa_had_lapsed_at_issue_is_sent_to_review(imported: Settings) -> None:
    credential = make_credential(awarding_body="Gyumri Academy of Crafts (invented)", country="AM")
    proposal = RecognitionEngine(imported).recognise([credential], make_programme())
    [said] = registry_findings(proposal)
    assert said.code == "qa.registry.expired"
    assert said.params["valid_until"] == "2020-12-31"
    assert proposal.status is ProposalStatus.REVIEW
