"""The proposal is pure: hand-made matches in, a proposal with findings and reasons out."""

from __future__ import annotations

from dataclasses import replace

from recognition_engine.config import Settings
from recognition_engine.decision import (
    CredentialOutcomes,
    DecisionParams,
    credential_ects,
    propose_recognition,
)
from recognition_engine.domain import (
    Element,
    ProposalStatus,
    RecognitionKind,
    Verdict,
)
from recognition_engine.matching import ModuleMatch, OutcomeLink
from tests.conftest import make_credential, make_estimate, make_programme

PARAMS = DecisionParams.from_settings(Settings(_env_file=None))


def match(key: str, coverage: float, score: float, outcomes: int = 4) -> ModuleMatch:
    """A module match whose first ``coverage`` share of outcomes is covered."""
    covered = round(coverage * outcomes)
    links = [OutcomeLink(j, 0, 0.8 if j < covered else 0.2) for j in range(outcomes)]
    return ModuleMatch(
        key=key,
        title=key,
        coverage=coverage,
        strength=score,
        credential_coverage=1.0,
        text_similarity=score,
        title_similarity=score,
        score=score,
        outcomes=tuple(f"outcome {j}" for j in range(outcomes)),
        links=links,
    )


def propose(credential=None, programme=None, matches=(), **options):  # noqa: ANN001, ANN003, ANN201
    credential = credential or make_credential()
    programme = programme or make_programme()
    return propose_recognition(
        [CredentialOutcomes(credential, ["outcome a"])], programme, list(matches), PARAMS,
        **options,
    )


def verdict(proposal, element: Element) -> Verdict:  # noqa: ANN001
    return next(e.verdict for e in proposal.elements if e.element is element)


def test_full_recognition_with_evidence() -> None:
    proposal = propose(matches=[match("NET101", 1.0, 0.8)])
    assert proposal.status is ProposalStatus.PROPOSED
    [module] = proposal.modules
    assert module.recognition is RecognitionKind.FULL
    assert module.proposed_ects == 6
    assert len(module.evidence) == 4 and not module.uncovered_outcomes
    assert {e.element for e in module.elements} == set(Element)


def test_partial_recognition_credits_the_covered_share() -> None:
    proposal = propose(matches=[match("NET101", 0.5, 0.6)])
    [module] = proposal.modules
    assert module.recognition is RecognitionKind.PARTIAL
    assert module.proposed_ects == 3
    assert len(module.uncovered_outcomes) == 2


def test_nothing_proposed_below_the_score_floor() -> None:
    proposal = propose(matches=[match("HIS100", 1.0, PARAMS.min_proposal_score - 0.01)])
    assert proposal.status is ProposalStatus.NONE
    assert proposal.modules == []
    assert proposal.considered[0].module_code == "HIS100"
    assert "No recognition proposed" in proposal.reasons[0]
    assert verdict(proposal, Element.LEARNING_OUTCOMES) is Verdict.SUBSTANTIAL_DIFFERENCE


def test_low_coverage_is_a_substantial_difference() -> None:
    proposal = propose(matches=[match("NET101", 0.25, 0.7)])
    assert proposal.status is ProposalStatus.NONE
    assert "outcomes are covered" in " ".join(proposal.considered[0].reasons)


def test_ects_never_exceed_the_workload() -> None:
    small = make_credential(workload={"ects": 4})
    proposal = propose(small, matches=[match("NET101", 1.0, 0.8), match("DB201", 1.0, 0.8)])
    assert proposal.total_proposed_ects <= 4
    assert proposal.modules[0].recognition is RecognitionKind.PARTIAL


def test_hours_convert_to_ects() -> None:
    by_hours = make_credential(workload={"hours": 150})
    assert credential_ects(by_hours, 25) == 6
    assert credential_ects(by_hours, 30) == 5


def test_ects_never_exceed_the_programme_cap() -> None:
    big = make_credential(workload={"ects": 20})
    capped = make_programme(recognition_policy={"max_microcredential_ects": 7})
    proposal = propose(big, capped, [match("NET101", 1.0, 0.8), match("DB201", 1.0, 0.8)])
    assert proposal.ects_cap == 7
    assert proposal.total_proposed_ects <= 7


def test_share_cap() -> None:
    programme = make_programme(recognition_policy={"max_microcredential_share": 0.01})
    assert programme.recognition_policy.cap_ects(240) == 2.4


def test_no_quality_assurance_blocks_recognition() -> None:
    credential = make_credential(quality_assurance={"type": "none"})
    proposal = propose(credential, matches=[match("NET101", 1.0, 0.8)])
    assert proposal.status is ProposalStatus.NONE
    assert verdict(proposal, Element.QUALITY_ASSURANCE) is Verdict.SUBSTANTIAL_DIFFERENCE


def test_attendance_only_blocks_recognition() -> None:
    credential = make_credential(assessment="attendance")
    proposal = propose(credential, matches=[match("NET101", 1.0, 0.8)])
    assert proposal.status is ProposalStatus.NONE
    assert verdict(proposal, Element.PROFILE) is Verdict.SUBSTANTIAL_DIFFERENCE


def test_lower_level_blocks_recognition() -> None:
    credential = make_credential(eqf_level=4)
    proposal = propose(credential, matches=[match("NET101", 1.0, 0.8)])
    assert proposal.status is ProposalStatus.NONE
    assert verdict(proposal, Element.LEVEL) is Verdict.SUBSTANTIAL_DIFFERENCE


def test_georgian_nqf_level_counts_as_eqf() -> None:
    credential = make_credential(eqf_level=None, nqf_level={"framework": "GE", "level": 6})
    proposal = propose(credential, matches=[match("NET101", 1.0, 0.8)])
    assert verdict(proposal, Element.LEVEL) is Verdict.PASS


def test_stacked_credentials_pool_their_workload() -> None:
    first = make_credential(id="a", workload={"ects": 3})
    second = make_credential(id="b", workload={"ects": 3})
    proposal = propose_recognition(
        [CredentialOutcomes(first, ["x"]), CredentialOutcomes(second, ["y"])],
        make_programme(),
        [match("NET101", 1.0, 0.8)],
        PARAMS,
    )
    assert proposal.credential_ects == 6
    assert proposal.modules[0].recognition is RecognitionKind.FULL
    assert [c.id for c in proposal.credentials] == ["a", "b"]


def test_workload_goes_first_to_the_best_covered_module() -> None:
    six = make_credential(workload={"ects": 6})
    ranked = [match("DB201", 0.5, 0.9), match("NET101", 1.0, 0.7)]  # better rank, half covered
    proposal = propose(six, matches=ranked)
    [module] = proposal.modules
    assert module.module_code == "NET101" and module.recognition is RecognitionKind.FULL
    assert proposal.total_proposed_ects == 6
    assert proposal.considered[0].module_code == "DB201"


def test_proposed_modules_are_shown_in_the_ranking_order() -> None:
    twelve = make_credential(workload={"ects": 12})
    ranked = [match("DB201", 0.67, 0.9), match("NET101", 1.0, 0.7)]
    proposal = propose(twelve, matches=ranked)
    assert [m.module_code for m in proposal.modules] == ["DB201", "NET101"]
    assert [m.proposed_ects for m in proposal.modules] == [4, 6]  # full coverage served first


def test_refusal_names_the_substantial_differences() -> None:
    credential = make_credential(quality_assurance={"type": "none"}, eqf_level=4)
    proposal = propose(credential, matches=[match("NET101", 1.0, 0.8)])
    assert proposal.reasons[0] == "No recognition proposed: substantial differences."
    assert any("quality assurance" in reason for reason in proposal.reasons)
    assert any("EQF 4 is below" in reason for reason in proposal.reasons)


def test_an_irish_nfq_8_programme_admits_an_eqf_6_credential() -> None:
    """NFQ 8 (honours bachelor) is EQF 6: comparing raw numbers refused it as 'below EQF 8'."""
    irish = make_programme(country="IE", framework="IE-NFQ", nqf_level=8, eqf_level=6)
    proposal = propose(make_credential(eqf_level=6), irish, [match("NET101", 1.0, 0.8)])
    assert proposal.status is ProposalStatus.PROPOSED
    assert verdict(proposal, Element.LEVEL) is Verdict.PASS


def test_an_irish_module_level_is_converted_before_comparing() -> None:
    modules = make_programme().model_dump()["modules"]
    modules[0] |= {"nqf_level": 9}  # NFQ 9 is EQF 7: above an EQF 6 credential
    irish = make_programme(
        country="IE", framework="IE-NFQ", nqf_level=8, eqf_level=6, modules=modules
    )
    proposal = propose(
        make_credential(eqf_level=6), irish,
        [match("NET101", 1.0, 0.8), match("DB201", 1.0, 0.8)],
    )
    assert [m.module_code for m in proposal.modules] == ["DB201"]
    [refused] = [c for c in proposal.considered if c.module_code == "NET101"]
    assert "below the EQF 7 of module NET101" in refused.reasons[0]


def test_a_small_leftover_budget_is_not_proposed_at_zero_ects() -> None:
    """10 hours = 0.4 ECTS: below one step of 0.5, so nothing, not a module at 0.0 ECTS."""
    tiny = make_credential(workload={"hours": 10})
    proposal = propose(tiny, matches=[match("NET101", 1.0, 0.8)])
    assert proposal.status is ProposalStatus.NONE
    assert proposal.modules == [] and proposal.total_proposed_ects == 0
    assert "0.5 ECTS" in proposal.considered[0].reasons[0]


def test_leftover_after_the_first_module_is_not_proposed_at_zero() -> None:
    credential = make_credential(workload={"ects": 6.3})
    proposal = propose(credential, matches=[match("NET101", 1.0, 0.8), match("DB201", 1.0, 0.8)])
    assert [m.proposed_ects for m in proposal.modules] == [6]


def test_a_confident_lower_estimate_puts_the_proposal_under_review() -> None:
    proposal = propose(matches=[match("NET101", 1.0, 0.8)], level_estimate=make_estimate(4, 0.9))
    assert proposal.status is ProposalStatus.REVIEW
    assert proposal.modules  # the modules stay proposed, for the evaluator to confirm
    assert verdict(proposal, Element.LEVEL) is Verdict.SUBSTANTIAL_DIFFERENCE
    assert any("review" in reason.lower() for reason in proposal.reasons)


def test_reading_above_the_declared_level_is_no_difference() -> None:
    proposal = propose(matches=[match("NET101", 1.0, 0.8)], level_estimate=make_estimate(8, 0.95))
    assert proposal.status is ProposalStatus.PROPOSED
    assert verdict(proposal, Element.LEVEL) is Verdict.PASS


def test_below_the_programme_but_at_a_module_level_is_proposed_with_a_warning() -> None:
    modules = make_programme().model_dump()["modules"]
    modules[0] |= {"nqf_level": 5}
    programme = make_programme(modules=modules)
    proposal = propose(
        make_credential(eqf_level=5), programme,
        [match("NET101", 1.0, 0.8), match("DB201", 1.0, 0.8)],
    )
    assert [m.module_code for m in proposal.modules] == ["NET101"]
    assert verdict(proposal, Element.LEVEL) is Verdict.WARNING
    assert proposal.status is ProposalStatus.PROPOSED


def test_no_workload_gives_no_ects_and_says_why() -> None:
    unknown = make_credential(workload=None)
    proposal = propose(unknown, matches=[match("NET101", 1.0, 0.8)])
    assert proposal.status is ProposalStatus.NONE
    assert any("No workload" in reason for reason in proposal.reasons)
    assert proposal.credentials[0].ects is None


def test_earlier_recognitions_in_the_application_use_the_cap() -> None:
    capped = make_programme(recognition_policy={"max_microcredential_ects": 8})
    proposal = propose(
        make_credential(workload={"ects": 12}), capped,
        [match("NET101", 1.0, 0.8), match("DB201", 1.0, 0.8)], awarded_ects=5,
    )
    assert proposal.ects_cap == 8 and proposal.ects_cap_remaining == 3
    assert proposal.total_proposed_ects == 3


def test_a_used_up_cap_blocks_with_a_reason() -> None:
    capped = make_programme(recognition_policy={"max_microcredential_ects": 8})
    proposal = propose(make_credential(), capped, [match("NET101", 1.0, 0.8)], awarded_ects=8)
    assert proposal.status is ProposalStatus.NONE
    assert any("nothing is left" in reason for reason in proposal.reasons)


def test_every_check_is_a_typed_finding() -> None:
    proposal = propose(matches=[match("NET101", 1.0, 0.8), match("HIS100", 0.0, 0.2)])
    scopes = {(f.scope.value, f.module_code) for f in proposal.findings}
    assert ("programme", None) in scopes and ("module", "HIS100") in scopes
    [refused] = proposal.considered
    assert refused.findings and all(f.blocking for f in refused.findings)


def described_programme():  # noqa: ANN201
    """The test programme with NET101 stating no outcomes, only a description."""
    programme = make_programme()
    net = programme.module("NET101").model_copy(
        update={"learning_outcomes": [],
                "description": "Routers and switches. The TCP/IP stack. Subnetting."}
    )
    return programme.model_copy(
        update={"modules": [net, *[m for m in programme.modules if m.code != "NET101"]]}
    )


def test_decisions_back_a_low_coverage_module_that_states_no_outcomes() -> None:
    backed = replace(match("NET101", 0.25, 0.7), confidence=0.8)
    proposal = propose(programme=described_programme(), matches=[backed])
    assert proposal.status is ProposalStatus.PROPOSED
    [module] = proposal.modules
    assert module.proposed_ects == 6 and module.recognition is RecognitionKind.FULL
    outcomes = next(e for e in module.elements if e.element is Element.LEARNING_OUTCOMES)
    assert outcomes.verdict is Verdict.WARNING and not outcomes.blocking
    assert "states no learning outcomes" in outcomes.reason and "0.80" in outcomes.reason
    assert any("compare the content" in reason for reason in module.reasons)


def test_stated_outcomes_still_block_at_low_coverage_whatever_the_confidence() -> None:
    backed = replace(match("NET101", 0.25, 0.7), confidence=0.95)
    proposal = propose(matches=[backed])
    assert proposal.status is ProposalStatus.NONE


def test_a_described_module_needs_the_decisions_backing_to_pass_low_coverage() -> None:
    cold = match("NET101", 0.25, 0.7)  # no learned model: no confidence
    unsure = replace(cold, confidence=PARAMS.min_proposal_confidence - 0.01)
    for candidate in (cold, unsure):
        proposal = propose(programme=described_programme(), matches=[candidate])
        assert proposal.status is ProposalStatus.NONE


def test_a_learned_ranking_decides_which_module_gets_the_workload_first() -> None:
    small = make_credential(workload={"ects": 6})
    ranked_first = replace(match("NET101", 0.6, 0.7), confidence=0.9)
    better_covered = replace(match("DB201", 1.0, 0.7), confidence=0.6)
    proposal = propose(small, matches=[ranked_first, better_covered])
    assert {m.module_code: m.proposed_ects for m in proposal.modules} == {
        "NET101": 3.5, "DB201": 2.5  # its covered share first, the rest to the next
    }
    cold = propose(small, matches=[replace(ranked_first, confidence=None),
                                   replace(better_covered, confidence=None)])
    assert {m.module_code: m.proposed_ects for m in cold.modules} == {"DB201": 6}
