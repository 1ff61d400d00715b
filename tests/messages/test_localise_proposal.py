"""A proposal localised for a reader: every message re-rendered from its code, the codes and the
original untouched; a proposal stored before codes existed reads as it was written."""

from __future__ import annotations

from recognition_engine.domain import ConfidenceTier, RecognitionProposal
from recognition_engine.messages import localise_proposal, render
from tests.decision.test_proposal import match, propose
from tests.decision.test_review import THIN, line


def every_message(proposal: RecognitionProposal) -> list:
    return [
        *proposal.elements, *proposal.findings, *proposal.reason_codes,
        *[m for module in proposal.modules
          for m in (*module.elements, *module.reason_codes, *module.evidence_request_codes)],
        *[m for c in proposal.considered for m in (*c.findings, *c.reason_codes)],
    ]


def test_localising_renders_every_message_and_keeps_the_codes() -> None:
    proposal = propose(THIN, matches=[match("NET101", 0.25, 0.62), match("DB201", 0.0, 0.1)],
                       review=line(ConfidenceTier.REVIEW))
    assert proposal.modules[0].evidence_request_codes  # a module under review asks for evidence
    english = proposal.model_dump()
    armenian = localise_proposal(proposal, "hy")
    assert proposal.model_dump() == english  # the original is left as it is
    before, after = every_message(proposal), every_message(armenian)
    assert [(m.code, m.params) for m in after] == [(m.code, m.params) for m in before]
    for item in after:
        assert item.message == render(item.code, item.params, "hy") != render(
            item.code, item.params, "en")
    assert all(f.reason == f.message for f in armenian.findings)
    assert armenian.reasons == [m.message for m in armenian.reason_codes]
    module = armenian.modules[0]
    assert module.reasons == [m.message for m in module.reason_codes]
    assert module.evidence_requests == [m.message for m in module.evidence_request_codes]
    considered = armenian.considered[0]
    assert considered.reasons == [m.message for m in considered.reason_codes]


def test_a_proposal_stored_before_codes_reads_as_it_was_written() -> None:
    stored = propose(matches=[match("NET101", 1.0, 0.8)]).model_dump(mode="json")
    for finding in stored["findings"] + stored["elements"]:
        del finding["code"], finding["params"], finding["message"]
    del stored["reason_codes"]
    for module in stored["modules"]:
        del module["reason_codes"], module["evidence_request_codes"]
        for finding in module["elements"]:
            del finding["code"], finding["params"], finding["message"]
    old = RecognitionProposal.model_validate(stored)
    assert {f.code for f in old.findings} == {"text"}
    georgian = localise_proposal(old, "ka")
    assert georgian.reasons == stored["reasons"]
    assert [f.reason for f in georgian.findings] == [f["reason"] for f in stored["findings"]]
    assert georgian.modules[0].reasons == stored["modules"][0]["reasons"]
