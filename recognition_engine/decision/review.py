"""Proposals for review: the closest module, below the coverage rules.

A short online course states a handful of thin outcomes: it seldom covers half of a module's,
so the coverage rules alone propose nothing and an evaluator sees "no match" for a Python
course against a programme with a Python module. Where the confidence model (the institution's
learned model, or the cold-start model on day one) puts the best-ranked candidate at tier
``review`` or above, that module is proposed **for review**: with the outcome pairs that match,
the module's outcomes left without evidence, the ECTS the workload supports, and what to ask
the provider for. Below that tier nothing is proposed, and the proposal says why. The line is
the calibrated confidence, not a coverage rule: a thin outcome list may evidence no module
outcome line by line while the whole course plainly reads as the module (then the review asks
for the syllabus of every module outcome).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from recognition_engine.decision.findings import finding, states_title_only
from recognition_engine.domain import (
    AssessmentType,
    ConfidenceTier,
    Element,
    Finding,
    IdentityVerification,
    Message,
    MicroCredential,
    Verdict,
)
from recognition_engine.matching import ModuleMatch
from recognition_engine.messages import codes
from recognition_engine.messages.render import coded

PROPOSING_TIERS = frozenset({ConfidenceTier.CONFIRMED, ConfidenceTier.POSSIBLE,
                             ConfidenceTier.REVIEW})
ASSESSED_WITH_IDENTITY = frozenset({IdentityVerification.ONLINE_PROCTORED,
                                    IdentityVerification.ON_SITE})
MAX_LISTED = 5


@dataclass(frozen=True)
class ReviewLine:
    """What the confidence model says of the best-ranked candidate."""

    module_code: str
    confidence: float
    tier: ConfidenceTier
    basis: str  # "institution" or "shared" (the cold-start model)

    @property
    def proposes(self) -> bool:
        return self.tier in PROPOSING_TIERS


def review_candidate(
    line: ReviewLine | None,
    candidates: Sequence[ModuleMatch],
    module_findings: Mapping[str, Sequence[Finding]],
    programme_blocked: Sequence[Finding],
) -> ModuleMatch | None:
    """Return the module to propose for review: the best-ranked one when the confidence model
    puts it at tier review or above and only its outcome findings (too little coverage,
    similarity or confidence) keep it out. Any other block stands."""
    if line is None or not line.proposes or programme_blocked:
        return None
    match = next((m for m in candidates if m.key == line.module_code), None)
    if match is None:
        return None
    blocks = [f for f in module_findings[match.key] if f.blocking]
    if not blocks or any(f.element is not Element.LEARNING_OUTCOMES for f in blocks):
        return None
    return match


def review_finding(match: ModuleMatch, line: ReviewLine, partial: float) -> Finding:
    """The non-blocking substantial difference that puts a review module under review."""
    said = {"confidence": line.confidence, "tier": line.tier.value, "basis": line.basis}
    if match.coverage >= partial:  # kept out by its overall similarity or learned confidence
        message = coded(codes.REVIEW_MATCH_BELOW_RULE, coverage=match.coverage, **said)
    elif match.coverage > 0:
        message = coded(codes.REVIEW_COVERAGE_BELOW, coverage=match.coverage, partial=partial,
                        **said)
    else:
        message = coded(codes.REVIEW_NOTHING_EVIDENCED, partial=partial, **said)
    return finding(
        Element.LEARNING_OUTCOMES, Verdict.SUBSTANTIAL_DIFFERENCE, message, module_code=match.key
    )


def no_review_reason(line: ReviewLine | None) -> Message | None:
    """Why the closest module was not put up for review, when a confidence model said no."""
    if line is None or line.proposes:
        return None
    return coded(codes.REASON_NOTHING_TO_REVIEW, module_code=line.module_code,
                 confidence=line.confidence, tier=line.tier.value)


def evidence_requests(
    credentials: list[MicroCredential], uncovered: list[str]
) -> list[Message]:
    """Return what an evaluator should ask the provider for before recognising the module."""
    requests = [
        coded(codes.REQUEST_OUTCOMES, title=c.title) for c in credentials if states_title_only(c)
    ]
    if uncovered:
        listed = uncovered[:MAX_LISTED]
        more = len(uncovered) - MAX_LISTED
        requests.append(
            coded(codes.REQUEST_SYLLABUS_MORE, outcomes=listed, more=more) if more > 0
            else coded(codes.REQUEST_SYLLABUS, outcomes=listed)
        )
    for credential in credentials:
        if credential.assessment is None or credential.assessment is AssessmentType.AUTOMATED_TEST:
            requests.append(coded(codes.REQUEST_ASSESSMENT, title=credential.title))
        if credential.identity_verification not in ASSESSED_WITH_IDENTITY:
            requests.append(coded(codes.REQUEST_IDENTITY, title=credential.title))
    return requests
