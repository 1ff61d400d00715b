"""Proposals for review: the closest module below the coverage rules, when the confidence
model's tier says it is worth an evaluator's look; nothing, with the reason, when it does not."""

from __future__ import annotations

from recognition_engine.decision.review import ReviewLine
from recognition_engine.domain import ConfidenceTier, ProposalStatus, RecognitionKind, Verdict
from tests.conftest import make_credential
from tests.decision.test_proposal import PARAMS, match, propose

THIN = make_credential(
    id="mooc-net", title="Networking Basics", assessment=None, eqf_level=None,
    workload={"hours": 40}, quality_assurance=None,
)


def line(tier: ConfidenceTier, module: str = "NET101", confidence: float = 0.4) -> ReviewLine:
    return ReviewLine(module, confidence, tier, "shared")


def test_a_thin_credential_gets_its_closest_module_for_review() -> None:
    proposal = propose(THIN, matches=[match("NET101", 0.25, 0.62)],
                       review=line(ConfidenceTier.REVIEW))
    assert proposal.status is ProposalStatus.REVIEW
    [module] = proposal.modules
    assert module.recognition is RecognitionKind.REVIEW
    assert module.proposed_ects == 1.5  # 40 h at 25 h per ECTS, down to a step of 0.5
    assert len(module.evidence) == 1 and len(module.uncovered_outcomes) == 3
    outcome = next(f for f in module.elements if f.element == "learning_outcomes")
    assert outcome.verdict is Verdict.SUBSTANTIAL_DIFFERENCE and not outcome.blocking
    assert "'review' tier" in outcome.reason and "cold-start model" in outcome.reason
    requests = " ".join(module.evidence_requests)
    assert "outcome 1" in requests  # the module outcomes without evidence
    assert "how 'Networking Basics' was assessed".lower() in requests.lower()
    assert "identity" in requests
    assert any("proposed for an evaluator to review" in r for r in proposal.reasons)


def test_below_the_review_tier_nothing_is_proposed_and_the_reason_says_why() -> None:
    proposal = propose(THIN, matches=[match("NET101", 0.25, 0.62)],
                       review=line(ConfidenceTier.NO_EQUIVALENT, confidence=0.03))
    assert proposal.status is ProposalStatus.NONE and not proposal.modules
    assert any("'no_equivalent' tier: nothing to review" in r for r in proposal.reasons)


def test_a_credential_too_small_for_a_step_still_names_the_module() -> None:
    short = THIN.model_copy(update={"workload": THIN.workload.model_copy(update={"hours": 8})})
    proposal = propose(short, matches=[match("NET101", 0.0, 0.6)],
                       review=line(ConfidenceTier.REVIEW))
    [module] = proposal.modules
    assert module.recognition is RecognitionKind.REVIEW and module.proposed_ects == 0
    assert proposal.total_proposed_ects == 0 and proposal.status is ProposalStatus.REVIEW
    assert any("less than 0.5 ECTS" in reason for reason in module.reasons)
    assert "No outcome line" in next(
        f.reason for f in module.elements if f.element == "learning_outcomes")


def test_other_blocks_stand() -> None:
    below = make_credential(eqf_level=4, workload={"ects": 6})  # the module is EQF 6
    proposal = propose(below, matches=[match("NET101", 0.25, 0.62)],
                       review=line(ConfidenceTier.REVIEW))
    assert not proposal.modules


def test_modules_recognised_as_they_stand_are_served_first() -> None:
    budget = make_credential(workload={"ects": 6})
    proposal = propose(
        budget,
        matches=[match("NET101", 0.25, 0.7), match("DB201", 1.0, 0.65)],
        review=line(ConfidenceTier.REVIEW, module="NET101"),
    )
    kinds = {m.module_code: (m.recognition, m.proposed_ects) for m in proposal.modules}
    assert kinds["DB201"][0] is RecognitionKind.FULL
    assert kinds.get("NET101", (RecognitionKind.REVIEW, 0.0)) == (RecognitionKind.REVIEW, 0.0)
    assert proposal.total_proposed_ects <= 6


def test_a_module_that_passes_the_rules_is_not_turned_into_a_review() -> None:
    proposal = propose(matches=[match("NET101", 1.0, 0.8)], review=line(ConfidenceTier.REVIEW))
    assert proposal.modules[0].recognition is RecognitionKind.FULL
    assert proposal.status is ProposalStatus.PROPOSED
    assert PARAMS.partial_coverage == 0.5


def test_a_title_only_credential_is_said_to_be_matched_by_its_title() -> None:
    bare = THIN.model_copy(update={"learning_outcomes": [], "description": None})
    proposal = propose(bare, matches=[match("NET101", 0.0, 0.6)],
                       review=line(ConfidenceTier.REVIEW))
    stated = [f for f in proposal.findings if "matched by its title alone" in f.reason]
    assert stated and stated[0].verdict is Verdict.WARNING
    assert any("states none, only its title" in r for r in proposal.modules[0].evidence_requests)


def test_stacked_courses_together_give_the_module_under_review_their_summed_workload() -> None:
    from recognition_engine.decision import CredentialOutcomes, propose_recognition
    from tests.conftest import make_programme

    second = THIN.model_copy(update={"id": "mooc-net-2", "title": "Networking Basics II"})
    stack = [CredentialOutcomes(THIN, ["outcome a"]), CredentialOutcomes(second, ["outcome b"])]
    alone = propose(THIN, matches=[match("NET101", 0.25, 0.62)],
                    review=line(ConfidenceTier.REVIEW))
    together = propose_recognition(stack, make_programme(), [match("NET101", 0.5 - 0.25, 0.62)],
                                   PARAMS, review=line(ConfidenceTier.REVIEW))
    assert together.credential_ects == 2 * alone.credential_ects
    assert together.modules[0].proposed_ects == 3.0  # 80 h: 3.2 ECTS, down to a step
    assert together.modules[0].recognition is RecognitionKind.REVIEW


def test_an_implausible_workload_puts_the_proposal_under_review() -> None:
    huge = make_credential(workload={"hours": 3000})  # 120 ECTS for one micro-credential
    proposal = propose(huge, matches=[match("NET101", 1.0, 0.8)])
    assert proposal.status is ProposalStatus.REVIEW
    implausible = [f for f in proposal.findings if "implausible" in f.reason]
    assert implausible and not implausible[0].blocking


def test_a_covered_module_under_the_score_floor_is_reviewed_for_its_overall_match() -> None:
    low = PARAMS.min_proposal_score - 0.05
    proposal = propose(THIN, matches=[match("NET101", 0.75, low)],
                       review=line(ConfidenceTier.REVIEW))
    [module] = proposal.modules
    assert module.recognition is RecognitionKind.REVIEW
    reason = next(f.reason for f in module.elements if f.element == "learning_outcomes")
    assert reason.startswith("75% of the module's outcomes are evidenced, but the overall match")
