"""The report of the EU 2022 mandatory elements a credential carries."""

from __future__ import annotations

from recognition_engine.domain import EUElement
from recognition_engine.ingestion.elements import describe_missing, eu_element_report
from tests.conftest import make_credential


def test_a_complete_credential_misses_nothing() -> None:
    report = eu_element_report(make_credential())
    assert report.missing == []
    assert EUElement.LEARNER not in report.found  # the engine's own format carries no learner


def test_what_is_not_stated_is_missing() -> None:
    credential = make_credential(workload=None, eqf_level=None, country=None, assessment=None)
    report = eu_element_report(credential, learner_identified=False)
    assert report.missing == [
        EUElement.LEARNER,
        EUElement.COUNTRY,
        EUElement.WORKLOAD,
        EUElement.LEVEL,
        EUElement.ASSESSMENT,
    ]
    assert "notional workload" in describe_missing(report.missing)
